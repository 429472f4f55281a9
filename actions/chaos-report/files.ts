import { glob, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The `files` input read as the action may: each pattern expanded inside the workspace (or
 * RUNNER_TEMP), each match a regular file whose real path is there too (a symlink to the runner's
 * secrets is refused), bounded in size and number. The files are data: nothing in them runs.
 */

/** The most files read. */
export const MAX_FILES = 200;
/** The largest file read. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** The most bytes read over all files. */
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

export interface ResultFiles {
  /** Each file's text, named by its path relative to the workspace. */
  files: { source: string; text: string }[];
  /** Patterns that matched nothing and files that could not be read, each named. */
  problems: string[];
}

const GLOB_CHARS = /[*?[\]{}]/;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function shown(workspace: string, path: string): string {
  return inside(workspace, path) ? relative(workspace, path) : path;
}

/** A name for a message: one line, bounded. */
function quoted(text: string): string {
  const flat = text.replace(/\p{Cc}/gu, '?');
  return JSON.stringify(flat.length > 200 ? `${flat.slice(0, 200)}…` : flat);
}

async function expand(pattern: string, workspace: string): Promise<string[]> {
  if (!GLOB_CHARS.test(pattern)) return [resolve(workspace, pattern)];
  const found: string[] = [];
  for await (const entry of glob(pattern, { cwd: workspace })) {
    found.push(resolve(workspace, entry));
    if (found.length > MAX_FILES) break;
  }
  return found.sort();
}

function describe(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ELOOP') return 'too many symbolic links';
  return error instanceof Error ? error.message : String(error);
}

export async function readResultFiles(
  patterns: readonly string[],
  options: { workspace: string; roots: readonly string[] },
): Promise<ResultFiles> {
  const { workspace, roots } = options;
  const files: ResultFiles['files'] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const pattern of patterns) {
    const matches = await expand(pattern, workspace);
    if (matches.length === 0) {
      problems.push(`${quoted(pattern)} matched no file`);
      continue;
    }
    for (const path of matches) {
      const name = shown(workspace, path);
      if (files.length >= MAX_FILES) {
        problems.push(`more than ${MAX_FILES} files: ${quoted(name)} and the rest were not read`);
        break;
      }
      let real: string;
      try {
        real = await realpath(path);
      } catch (error: unknown) {
        problems.push(`cannot read ${quoted(name)}: ${describe(error)}`);
        continue;
      }
      if (seen.has(real)) continue;
      if (!roots.some((root) => inside(root, real))) {
        problems.push(
          `refused ${quoted(name)}: it is not inside the workspace${roots.length > 1 ? ' or RUNNER_TEMP' : ''}`,
        );
        continue;
      }
      try {
        const info = await stat(real);
        if (!info.isFile()) {
          problems.push(
            `cannot read ${quoted(name)}: ${info.isDirectory() ? 'it is a directory' : 'it is not a regular file'}`,
          );
          continue;
        }
        if (info.size > MAX_FILE_BYTES || total + info.size > MAX_TOTAL_BYTES) {
          problems.push(
            `refused ${quoted(name)}: larger than ${info.size > MAX_FILE_BYTES ? MAX_FILE_BYTES / 1024 / 1024 : MAX_TOTAL_BYTES / 1024 / 1024} MiB${info.size > MAX_FILE_BYTES ? '' : ' with the files before it'}`,
          );
          continue;
        }
        const text = await readFile(real, 'utf8');
        total += info.size;
        seen.add(real);
        files.push({ source: name, text });
      } catch (error: unknown) {
        problems.push(`cannot read ${quoted(name)}: ${describe(error)}`);
      }
    }
  }
  return { files, problems };
}
