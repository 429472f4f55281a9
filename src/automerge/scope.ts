import picomatch from 'picomatch';
import type { PullRequestFile } from '../github/client.ts';
import { LOCKFILE_NAMES } from './lockfile/parse.ts';

/** Manifests whose content Steward diffs field by field. */
const MANIFESTS = new Set(['package.json']);
/** Lockfiles of npm, yarn and pnpm: allowed to change, every changed entry judged (lockfile/judge.ts). */
const LOCKFILES: ReadonlySet<string> = new Set(LOCKFILE_NAMES);
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

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
