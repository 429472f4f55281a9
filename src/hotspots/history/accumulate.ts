import type { FileHistory } from '../types.ts';
import type { LogCommit } from './log-parser.ts';
import { RenameTracker } from './rename-tracker.ts';

/** Running totals of one file at HEAD. */
interface Tally {
  path: string;
  revisions: number;
  added: number;
  deleted: number;
  authors: Set<string>;
  first: number;
  last: number;
  /** Index of the last commit counted, so a file listed twice in one commit counts once. */
  lastCommit: number;
  touches: FileTouch[];
}

/** One commit's change to one file, for scores that weigh changes by age or by kind. */
export interface FileTouch {
  /** Index into `AccumulatedHistory.commitList`. */
  commit: number;
  /** Lines added plus lines deleted (0 for a binary file). */
  lines: number;
}

/** A commit counted in the history, in the order read (newest first). */
export interface CountedCommit {
  sha: string;
  /** Author time, seconds since the epoch. */
  time: number;
}

export interface AccumulatedHistory {
  commits: number;
  files: Map<string, FileHistory>;
  changesets: string[][];
  /** Every counted commit, newest first; FileTouch.commit indexes it. */
  commitList: CountedCommit[];
  /** Per file at HEAD, its changes newest first (a file changed twice in one commit: once). */
  touches: Map<string, FileTouch[]>;
  /** Shallow-clone boundary commits the walk reached: history older than these is missing. */
  boundaries: { sha: string; time: number }[];
}

/**
 * Folds commits, newest first, into per-file history of the files at HEAD, following renames, and
 * keeps the changesets coupling needs. Pure: commits in, totals out.
 */
export class HistoryAccumulator {
  private readonly headFiles: ReadonlySet<string>;
  private readonly maxChangesetSize: number;
  private readonly skip: ReadonlySet<string>;
  private readonly renames = new RenameTracker();
  private readonly tallies = new Map<string, Tally>();
  /** One string per author name, shared by every file's author set. */
  private readonly authors = new Map<string, string>();
  private readonly changesets: string[][] = [];
  private readonly boundaries: { sha: string; time: number }[] = [];
  private readonly commitList: CountedCommit[] = [];
  private commits = 0;

  /**
   * @param headFiles paths at HEAD; history of anything else is dropped.
   * @param maxChangesetSize commits touching more files than this are not changesets for coupling.
   * @param skip commits to leave out entirely: a shallow clone's boundary commits, whose diff
   *   against a missing parent would show every file as added.
   */
  constructor(
    headFiles: ReadonlySet<string>,
    maxChangesetSize: number,
    skip: ReadonlySet<string> = new Set(),
  ) {
    this.headFiles = headFiles;
    this.maxChangesetSize = maxChangesetSize;
    this.skip = skip;
  }

  get commitCount(): number {
    return this.commits;
  }

  add(commit: LogCommit): void {
    if (this.skip.has(commit.sha)) {
      this.boundaries.push({ sha: commit.sha, time: commit.time });
      return;
    }
    const index = this.commits++;
    this.commitList.push({ sha: commit.sha, time: commit.time });
    // All names of one commit are resolved before its renames are learnt: the renames describe
    // the step into this commit, and must not apply to the commit itself.
    const targets = commit.changes.map((change) => this.renames.current(change.path));
    commit.changes.forEach((change, i) => {
      if (change.from !== undefined) this.renames.renamed(change.from, targets[i]!);
    });

    const author = this.intern(commit.author);
    const changeset: string[] = [];
    commit.changes.forEach((change, i) => {
      const target = targets[i]!;
      if (!this.headFiles.has(target)) return;
      const tally = this.tally(target, commit.time);
      tally.added += change.added ?? 0;
      tally.deleted += change.deleted ?? 0;
      const lines = (change.added ?? 0) + (change.deleted ?? 0);
      if (tally.lastCommit === index) {
        tally.touches[tally.touches.length - 1]!.lines += lines;
        return;
      }
      tally.touches.push({ commit: index, lines });
      tally.lastCommit = index;
      tally.revisions++;
      tally.authors.add(author);
      if (commit.time < tally.first) tally.first = commit.time;
      if (commit.time > tally.last) tally.last = commit.time;
      changeset.push(tally.path);
    });
    if (changeset.length > 0 && commit.changes.length <= this.maxChangesetSize) {
      this.changesets.push(changeset);
    }
  }

  result(): AccumulatedHistory {
    const files = new Map<string, FileHistory>();
    const touches = new Map<string, FileTouch[]>();
    for (const tally of this.tallies.values()) {
      touches.set(tally.path, tally.touches);
      files.set(tally.path, {
        path: tally.path,
        revisions: tally.revisions,
        added: tally.added,
        deleted: tally.deleted,
        authors: tally.authors.size,
        firstChange: isoDate(tally.first),
        lastChange: isoDate(tally.last),
      });
    }
    return {
      commits: this.commits,
      files,
      changesets: this.changesets,
      commitList: this.commitList,
      touches,
      boundaries: this.boundaries,
    };
  }

  private tally(path: string, time: number): Tally {
    let tally = this.tallies.get(path);
    if (!tally) {
      tally = {
        path,
        revisions: 0,
        added: 0,
        deleted: 0,
        authors: new Set(),
        first: time,
        last: time,
        lastCommit: -1,
        touches: [],
      };
      this.tallies.set(path, tally);
    }
    return tally;
  }

  private intern(author: string): string {
    let shared = this.authors.get(author);
    if (shared === undefined) {
      shared = author;
      this.authors.set(author, author);
    }
    return shared;
  }
}

function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
