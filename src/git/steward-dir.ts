import { isAbsolute, join } from 'node:path';
import { runGit } from './process.ts';

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
