import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { RevisionReader } from '../../revision/reader.ts';
import { historyCacheFileFor } from '../cache-location.ts';
import type { FileHistory } from '../types.ts';
import { HistoryAccumulator, type CountedCommit, type FileTouch } from './accumulate.ts';
import { HISTORY_CACHE_FORMAT, HistoryCache } from './history-cache.ts';
import {
  gitLogArgs,
  gitLogCommitsArgs,
  gitLogNamesOnlyArgs,
  gitRevListArgs,
} from './log-command.ts';
import { LogParser, type LogCommit } from './log-parser.ts';

/**
 * Git history mining for hotspots: one streamed `git log --numstat` (see gitLogArgs for the exact
 * command and why each flag) plus one `git ls-tree` for the files at HEAD, however many files or
 * commits. Memory grows with the number of files at HEAD and of changesets kept for coupling, not
 * with the size of the log (with the history cache: with the number of commits, about 150 bytes
 * each).
 *
 * With `cache: true`, a rerun reads only the commits it has not read before. The parsed record of
 * every commit mined is kept on disk (HistoryCache, in the repository's git directory); a run asks
 * `git rev-list` (no diffs: a fraction of the log's cost) for the commits and the order the same
 * `git log` would print, has `git log` print only the records missing from the cache, and replays
 * all records in that order through the same accumulator. The result is identical to a mine without
 * the cache, whatever happened in between (new commits, merged branches with old dates, rewritten
 * history, another window): only the commits it lacks are read, and when that is most of them, the
 * history is mined in full as without a cache.
 *
 * Renames are followed: a file's history before a rename is counted under its HEAD name, through
 * any chain of renames. Files absent at HEAD are left out. Merge commits are left out; the commits
 * they merge are counted once each.
 */

export interface MineHistoryOptions {
  /** Only commits with a commit date at or after this; null for all of history. */
  since: Date | null;
  /**
   * The commit to mine up to, in place of HEAD (a backtest's cut-off); paths are as they are there.
   * Not with `cache`.
   */
  rev?: string;
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
  /**
   * Reuse and update the on-disk history cache (see HistoryCache), so that a rerun after a few
   * commits reads only those. Default false: every run mines the whole window.
   */
  cache?: boolean;
  /**
   * Read only which files each commit changed (no line counts, no renames), for a repository that
   * lacks the file contents `--numstat` needs. Not with `cache`.
   */
  namesOnly?: boolean;
  /** With the cache: how many commits were replayed from it and how many git had to print. */
  onCacheUse?: (use: HistoryCacheUse) => void;
}

export interface HistoryCacheUse {
  /** Records taken from the cache. */
  reused: number;
  /** Records git printed in this run. */
  read: number;
  /** Whether the window was mined in full (no usable cache, or too much missing from it). */
  full: boolean;
}

/** Something the caller should show the user; the result is still usable. */
export interface HistoryWarning {
  kind: 'shallow-clone' | 'missing-objects';
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
  /** Every counted commit, newest first. */
  commitList: CountedCommit[];
  /** Per file in `files`, its changes newest first, indexing commitList. */
  touches: Map<string, FileTouch[]>;
  warnings: HistoryWarning[];
}

export const DEFAULT_MAX_CHANGESET_SIZE = 30;
export const PROGRESS_INTERVAL = 1000;
/**
 * With the cache, up to this many missing commits are read one by one (`git log --no-walk`); more
 * than that, or more than half of the window, and the window is mined in full.
 */
export const MAX_PICKED_COMMITS = 2000;

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
  reader: RevisionReader,
  options: MineHistoryOptions,
): Promise<MinedHistory> {
  const { since, signal, onProgress } = options;
  const maxChangesetSize = options.maxChangesetSize ?? DEFAULT_MAX_CHANGESET_SIZE;
  const repository = reader.repository;
  const { root } = repository;
  if ((options.rev !== undefined || options.namesOnly) && options.cache) {
    throw new Error('mineHistory: `rev` and `namesOnly` are mined without the cache');
  }
  const head = options.rev ?? repository.head;
  // With the cache, the commit list is needed unless the cache is empty: asked for at once when
  // a cache file is there, it comes while the file list and the cache load. A cold run (no file)
  // leaves that CPU to git log and the parser.
  const cacheFile = options.cache ? historyCacheFileFor(reader) : null;
  const commitList = cacheFile
    ?.then((file) => access(file))
    .then(
      () => revList(reader, head, since, signal),
      () => null,
    );
  commitList?.catch(() => undefined);
  // git log starts without waiting for the files at HEAD: the commits it prints meanwhile wait
  // here until the accumulator (which needs those files) exists.
  let accumulator: HistoryAccumulator | null = null;
  const waiting: LogCommit[] = [];
  const headFiles = reader.listFiles(head, signal).then((files) => {
    accumulator = new HistoryAccumulator(files, maxChangesetSize, repository.shallowBoundaries);
    for (const commit of waiting) accumulator.add(commit);
    waiting.length = 0;
    return files;
  });
  // Without the file list the run fails (below): nothing more is kept for it.
  let failed = false;
  headFiles.catch(() => {
    failed = true;
    waiting.length = 0;
  });

  let read = 0;
  const add = (commit: LogCommit) => {
    if (accumulator) accumulator.add(commit);
    else if (!failed) waiting.push(commit);
    if (++read % PROGRESS_INTERVAL === 0) onProgress?.(read);
  };
  try {
    if (options.cache) {
      const shallow = repository.shallowBoundaries;
      const use = await mineWithCache({
        reader,
        root,
        head,
        since,
        headFiles,
        shallow,
        cacheFile: cacheFile!,
        commitList: commitList!,
        add,
        signal,
      });
      options.onCacheUse?.(use);
    } else if (options.namesOnly) {
      await readLog(reader, gitLogNamesOnlyArgs(head, since), add, signal, { namesOnly: true });
    } else {
      await readLog(reader, gitLogArgs(head, since), add, signal);
    }
  } catch (error: unknown) {
    // The file list's failure first, as when it was read before the log.
    await headFiles;
    throw error;
  }
  await headFiles;
  onProgress?.(read);

  const history = (accumulator as HistoryAccumulator | null)!.result();
  const warnings: HistoryWarning[] = [];
  if (history.boundaries.length > 0) warnings.push(shallowWarning(root, history.boundaries));
  return {
    root,
    head,
    since: since ? since.toISOString() : null,
    commits: history.commits,
    files: history.files,
    changesets: history.changesets,
    commitList: history.commitList,
    touches: history.touches,
    warnings,
  };
}

/** Streams one `git log` through the parser; `onCommit` gets each record as it is complete. */
async function readLog(
  reader: RevisionReader,
  args: readonly string[],
  onCommit: (commit: LogCommit) => void,
  signal: AbortSignal | undefined,
  parsing: { namesOnly?: boolean } = {},
): Promise<void> {
  const parser = new LogParser(onCommit, parsing);
  for await (const chunk of reader.stream(args, { signal })) parser.push(chunk);
  parser.end();
}

interface CachedMine {
  reader: RevisionReader;
  root: string;
  head: string;
  since: Date | null;
  headFiles: Promise<ReadonlySet<string>>;
  shallow: ReadonlySet<string>;
  cacheFile: Promise<string>;
  /** The SHAs `git log` would print, in its order (revList); null when no cache file was there. */
  commitList: Promise<string[] | null>;
  add: (commit: LogCommit) => void;
  signal: AbortSignal | undefined;
}

/** Feeds `add` exactly the records `git log` would print, reading from git only what the cache lacks. */
async function mineWithCache(run: CachedMine): Promise<HistoryCacheUse> {
  const { reader, head, since, add, signal } = run;
  const key = historyCacheKey(run);
  key.catch(() => undefined);
  const cache = await HistoryCache.load(await run.cacheFile, key);
  let order: string[] | null = null;
  let read = 0;
  if (cache.size > 0) {
    order = (await run.commitList) ?? (await revList(reader, head, since, signal));
    const missing = order.filter((sha) => !cache.has(sha));
    if (missing.length > Math.min(MAX_PICKED_COMMITS, order.length / 2)) order = null;
    else if (missing.length > 0) {
      const put = (commit: LogCommit) => {
        cache.put(commit);
        read++;
      };
      await readLog(reader, gitLogCommitsArgs(missing), put, signal);
    }
  }
  const full = order === null;
  if (order) {
    for (const sha of order) {
      const commit = cache.get(sha);
      // git printed no record for a commit it listed: never seen, but not worth a wrong answer.
      if (!commit) throw new Error(`git log printed no record for commit ${sha}`);
      add(commit);
    }
  } else {
    order = [];
    const walked = order;
    await readLog(
      reader,
      gitLogArgs(head, since),
      (commit) => {
        cache.put(commit);
        walked.push(commit.sha);
        add(commit);
      },
      signal,
    );
  }
  await cache.save(order);
  return full
    ? { reused: 0, read: order.length, full }
    : { reused: order.length - read, read, full };
}

/** The SHAs `git log` would print for this window, in its order. */
async function revList(
  reader: RevisionReader,
  head: string,
  since: Date | null,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of reader.stream(gitRevListArgs(head, since), { signal })) {
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('latin1');
  return text.split('\n').filter((line) => line !== '');
}

/**
 * Everything besides the commits themselves that changes what `git log` prints for a commit: the
 * cache format and the command, git's version, the configuration of diffs, logs and the mailmap,
 * the .mailmap and attribute files (author names; binary files and diff drivers), and the shallow
 * boundaries (a boundary commit shows every file as added until the clone is deepened).
 */
async function historyCacheKey(run: CachedMine): Promise<string> {
  const { reader, root, shallow, signal } = run;
  const options = { signal, acceptExitCodes: [0, 1] };
  const [headFiles, version, config, stewardDir] = await Promise.all([
    run.headFiles,
    reader.run(['version'], options),
    reader.run(
      [
        'config',
        '--get-regexp',
        String.raw`^(diff|log|mailmap)\.|^core\.(attributesfile|bigfilethreshold)$`,
      ],
      options,
    ),
    reader.stewardDir(),
  ]);
  const configured = (name: string) =>
    config.stdout
      .split('\n')
      .filter((line) => line.toLowerCase().startsWith(`${name} `))
      .map((line) => line.slice(name.length + 1));
  const files = [
    '.mailmap',
    ...[...headFiles].filter(
      (path) => path === '.gitattributes' || path.endsWith('/.gitattributes'),
    ),
  ].map((path) => join(root, path));
  files.push(join(dirname(stewardDir), 'info', 'attributes'));
  for (const path of [...configured('mailmap.file'), ...configured('core.attributesfile')]) {
    files.push(isAbsolute(path) ? path : join(root, path));
  }
  const contents = await Promise.all(files.map((path) => readFile(path, 'utf8').catch(() => '')));
  const hash = createHash('sha256');
  for (const part of [
    String(HISTORY_CACHE_FORMAT),
    gitLogArgs('HEAD', null).join(' '),
    version.stdout,
    config.stdout,
    [...shallow].sort().join(' '),
    ...files.flatMap((path, i) => [path, contents[i]!]),
  ]) {
    hash.update(part).update('\0');
  }
  return hash.digest('hex');
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
