import picomatch from 'picomatch';
import type { PullRequestFile } from '../github/types.ts';

/** Manifests whose content Steward diffs field by field. */
const MANIFESTS = new Set(['package.json']);
/** Lockfiles of npm, yarn and pnpm: allowed to change, their registry URLs linted. */
const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
]);
/** Never merged by a bot, whatever the allowlist says: these run code with the repository's token. */
const FORBIDDEN = picomatch(['.github/workflows/**', '.github/actions/**'], { dot: true });

export interface ScopeResult {
  manifests: PullRequestFile[];
  lockfiles: PullRequestFile[];
  /** Files allowed through the `extra-files` allowlist (other ecosystems). */
  extra: PullRequestFile[];
  problems: string[];
}

export function checkScope(
  files: readonly PullRequestFile[],
  extraFiles: readonly string[],
): ScopeResult {
  const isExtra = extraFiles.length > 0 ? picomatch([...extraFiles], { dot: true }) : () => false;
  const result: ScopeResult = { manifests: [], lockfiles: [], extra: [], problems: [] };
  for (const file of files) {
    const name = basename(file.path);
    if (FORBIDDEN(file.path)) {
      result.problems.push(
        `${file.path}: workflow and action files are never merged automatically`,
      );
    } else if (file.status === 'renamed' || file.status === 'copied') {
      result.problems.push(
        `${file.path}: ${file.status} from ${file.previousPath ?? 'another path'}`,
      );
    } else if (MANIFESTS.has(name)) {
      if (file.status !== 'modified') result.problems.push(`${file.path}: manifest ${file.status}`);
      else result.manifests.push(file);
    } else if (LOCKFILES.has(name)) {
      result.lockfiles.push(file);
    } else if (isExtra(file.path)) {
      result.extra.push(file);
    } else {
      result.problems.push(`${file.path}: not a dependency manifest or lockfile`);
    }
  }
  return result;
}

const RESOLVED_URL = [
  /"resolved":\s*"([^"]+)"/, // package-lock.json
  /^\s*resolved\s+"?([^"\s]+)"?/, // yarn.lock v1
  /tarball:\s*['"]?([^'",\s}]+)/, // pnpm-lock.yaml
];

/**
 * Lockfile injection hides code behind a rewritten `resolved` URL nobody reads. Every URL a
 * lockfile change adds must be https on the configured registry (or npm's and yarn's own).
 */
export function lintLockfile(file: PullRequestFile, registry: string): string[] {
  if (file.patch === null) {
    return file.status === 'removed'
      ? [`${file.path}: lockfile removed`]
      : [`${file.path}: GitHub sent no diff (too large); its resolved URLs cannot be checked`];
  }
  const allowed = new Set([hostOf(registry), 'registry.npmjs.org', 'registry.yarnpkg.com']);
  const problems: string[] = [];
  for (const row of file.patch.split('\n')) {
    if (!row.startsWith('+')) continue;
    for (const pattern of RESOLVED_URL) {
      const url = pattern.exec(row.slice(1))?.[1];
      if (!url) continue;
      const host = hostOf(url);
      if (!url.startsWith('https://') || !allowed.has(host)) {
        problems.push(`${file.path}: resolves a package from ${url}, outside the registry`);
      }
    }
  }
  return problems;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch (error: unknown) {
    if (error instanceof TypeError) return '';
    throw error;
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
