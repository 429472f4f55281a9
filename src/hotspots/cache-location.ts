import { isAbsolute, join } from 'node:path';
import { runGit } from '../git/process.ts';

/**
 * The caches live in the repository's git directory (shared by its worktrees): they are per
 * repository, survive checkouts, and never show up as untracked files.
 */
export async function stewardDirFor(root: string): Promise<string> {
  let dir = stewardDirs.get(root);
  if (!dir) {
    dir = runGit(['rev-parse', '--git-common-dir'], { cwd: root }).then(({ stdout }) => {
      const gitDir = stdout.trim();
      return join(isAbsolute(gitDir) ? gitDir : join(root, gitDir), 'steward');
    });
    // A failure is not remembered: the next call asks git again.
    dir.catch(() => stewardDirs.delete(root));
    stewardDirs.set(root, dir);
  }
  return dir;
}

/** One `git rev-parse` per work tree and process, however many caches ask. */
const stewardDirs = new Map<string, Promise<string>>();

/** The per-file analysis cache (see AnalysisCache). */
export async function cacheFileFor(root: string): Promise<string> {
  return join(await stewardDirFor(root), 'analysis-cache.jsonl');
}

/** The parsed git log records that history mining reuses (see HistoryCache). */
export async function historyCacheFileFor(root: string): Promise<string> {
  return join(await stewardDirFor(root), 'history-cache.json');
}

/** The bug-fix rule's verdicts on commit messages (see FixCache). */
export async function fixCacheFileFor(root: string): Promise<string> {
  return join(await stewardDirFor(root), 'fix-cache.json');
}

/** The duplicated blocks of the last run, for an incremental rerun (see duplication-cache.ts). */
export async function duplicationCacheFileFor(root: string): Promise<string> {
  return join(await stewardDirFor(root), 'duplication-cache.json');
}
