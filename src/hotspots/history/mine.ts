import { inspectRepository, listFiles } from '../../git/repository.ts';
import { streamGit } from '../../git/process.ts';
import type { FileHistory } from '../types.ts';
import { HistoryAccumulator } from './accumulate.ts';
import { gitLogArgs } from './log-command.ts';
import { LogParser, type LogCommit } from './log-parser.ts';

/**
 * Git history mining for hotspots: one streamed `git log --numstat` (see gitLogArgs for the exact
 * command and why each flag) plus one `git ls-tree` for the files at HEAD, however many files or
 * commits. Memory grows with the number of files at HEAD and of changesets kept for coupling, not
 * with the size of the log.
 *
 * Renames are followed: a file's history before a rename is counted under its HEAD name, through
 * any chain of renames. Files absent at HEAD are left out. Merge commits are left out; the commits
 * they merge are counted once each.
 */

export interface MineHistoryOptions {
  /** Only commits with a commit date at or after this; null for all of history. */
  since: Date | null;
  /**
   * Commits touching more files than this (counted as git lists them, files absent at HEAD
   * included) are left out of the changesets used for coupling; they still count as revisions.
   * Default 30, as code-maat's `--max-changeset-size`.
   */
  maxChangesetSize?: number;
  /** Called with the number of commits read so far, every PROGRESS_INTERVAL commits and at the end. */
  onProgress?: (commits: number) => void;
  /** Aborting kills the git process; mineHistory then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Something the caller should show the user; the result is still usable. */
export interface HistoryWarning {
  kind: 'shallow-clone';
  message: string;
  hint: string;
}

export interface MinedHistory {
  /** Absolute path of the work tree's top level; every path below is relative to it. */
  root: string;
  /** The commit that was HEAD when mining started; all paths are as they are there. */
  head: string;
  /** The window start as an ISO date, or null for all of history. */
  since: string | null;
  /** Non-merge commits read in the window. */
  commits: number;
  /** Files at HEAD changed in the window, by path. Files at HEAD not in this map had no change. */
  files: Map<string, FileHistory>;
  /**
   * Per commit within maxChangesetSize, the files at HEAD it changed (HEAD names, each once), newest
   * commit first. Commits that changed no file at HEAD are left out. Input of computeCoupling.
   */
  changesets: string[][];
  warnings: HistoryWarning[];
}

export const DEFAULT_MAX_CHANGESET_SIZE = 30;
export const PROGRESS_INTERVAL = 1000;

/**
 * Mines `repoDir`'s history up to HEAD. `repoDir` may be any directory in the work tree; the whole
 * repository is mined.
 *
 * Throws NotAGitRepositoryError, BareRepositoryError, EmptyRepositoryError, PartialCloneError,
 * DubiousOwnershipError, GitNotFoundError or GitCommandError (all GitError, with a `hint`), or
 * LogParseError. A shallow clone is not an error: when the walk reaches the point where its history
 * was cut off, the result carries a `shallow-clone` warning naming the fix, and the cut-off commit
 * (which git shows as adding every file) is not counted. A shallow clone deep enough to cover the
 * window gives no warning.
 */
export async function mineHistory(
  repoDir: string,
  options: MineHistoryOptions,
): Promise<MinedHistory> {
  const { since, signal, onProgress } = options;
  const maxChangesetSize = options.maxChangesetSize ?? DEFAULT_MAX_CHANGESET_SIZE;
  const repository = await inspectRepository(repoDir, signal);
  const { root, head } = repository;
  const headFiles = await listFiles(root, head, signal);

  const accumulator = new HistoryAccumulator(
    headFiles,
    maxChangesetSize,
    repository.shallowBoundaries,
  );
  let read = 0;
  const parser = new LogParser((commit: LogCommit) => {
    accumulator.add(commit);
    if (++read % PROGRESS_INTERVAL === 0) onProgress?.(read);
  });
  for await (const chunk of streamGit(gitLogArgs(head, since), { cwd: root, signal })) {
    parser.push(chunk);
  }
  parser.end();
  onProgress?.(read);

  const history = accumulator.result();
  const warnings: HistoryWarning[] = [];
  if (history.boundaries.length > 0) warnings.push(shallowWarning(root, history.boundaries));
  return {
    root,
    head,
    since: since ? since.toISOString() : null,
    commits: history.commits,
    files: history.files,
    changesets: history.changesets,
    warnings,
  };
}

function shallowWarning(root: string, boundaries: { sha: string; time: number }[]): HistoryWarning {
  const newest = Math.max(...boundaries.map((b) => b.time));
  const date = new Date(newest * 1000).toISOString().slice(0, 10);
  return {
    kind: 'shallow-clone',
    message: `${root} is a shallow clone: its history stops at ${date} (commit ${boundaries[0]!.sha.slice(0, 12)}), inside the analysed window, so older revisions, authors and coupling are missing.`,
    hint: 'Fetch the full history: set `fetch-depth: 0` on actions/checkout, or run `git fetch --unshallow` in this clone.',
  };
}
