import { isAbsolute, join } from 'node:path';
import { runGit } from '../git/process.ts';

/**
 * The analysis cache lives in the repository's git directory (shared by its worktrees): it is
 * per repository, survives checkouts, and never shows up as an untracked file.
 */
export async function cacheFileFor(root: string): Promise<string> {
  const { stdout } = await runGit(['rev-parse', '--git-common-dir'], { cwd: root });
  const gitDir = stdout.trim();
  return join(isAbsolute(gitDir) ? gitDir : join(root, gitDir), 'steward', 'analysis-cache.json');
}
