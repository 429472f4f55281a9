import picomatch from 'picomatch';
import { hasMinifiedName, minifiedReason } from './minified.ts';

/**
 * Which files code health leaves out, and why: excluded by the settings, type declarations, build
 * output and vendored code, minified, binary or over-large files. Shared by every way of assessing
 * (a revision read from git, the texts of a pull request).
 */

/** Files above this size are skipped: generated or bundled code, not code people maintain. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Paths of build output and vendored code, which no one edits by hand. */
const BUILD_OR_VENDORED = /(^|\/)(node_modules|vendor|dist|build|coverage)\//;

/** Whether a path matches one of the `hotspots.exclude` globs. */
export function excludeMatcher(exclude: readonly string[]): (path: string) => boolean {
  return exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
}

/** Why a file is not analysed, from its path and size alone; null when it is. */
export function skipReason(
  blob: { path: string; size: number },
  excluded: (path: string) => boolean,
): string | null {
  if (excluded(blob.path)) return 'excluded by hotspots.exclude';
  if (blob.path.endsWith('.d.ts') || /\.d\.[mc]ts$/.test(blob.path))
    return 'type declarations, no code';
  if (BUILD_OR_VENDORED.test(blob.path)) return 'build output or vendored code';
  if (hasMinifiedName(blob.path)) return 'minified file name';
  if (blob.size > MAX_FILE_BYTES)
    return `larger than 1 MB (${(blob.size / 1048576).toFixed(1)} MB)`;
  return null;
}

/** Binary content and minified code (see minified.ts) are not worth parsing or scoring. */
export function contentSkipReason(content: Buffer): string | null {
  if (content.subarray(0, 8000).includes(0)) return 'binary';
  const text = content.subarray(0, 64 * 1024).toString('utf8');
  return minifiedReason(text.split('\n'));
}
