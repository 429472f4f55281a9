import { readJsonCache, writeJsonCache } from '../json-cache.ts';
import type { FileChange, LogCommit } from './log-parser.ts';

/**
 * The parsed `git log` records of commits already mined, keyed by commit SHA, on disk. A commit's
 * record (author, author time, numstat with renames) depends only on the commit and its first
 * parent, so it never changes while its SHA stays the same, except through settings the cache key
 * covers: git's version, diff/log/mailmap configuration, .mailmap, .gitattributes and the shallow
 * boundaries (see historyCacheKey). A cache under another key or format is ignored and rewritten.
 *
 * The file is one JSON object, compact: author names and paths are stored once in tables, and each
 * commit is one array of integers, in parallel with the array of SHAs:
 *
 *   { format, key, authors: [name], paths: [path], shas: [sha],
 *     records: [[authorTime, author, (path, from, added, deleted)*]] }
 *
 * `author`, `path` and `from` index the tables; `from` is -1 when the change is not a rename, and
 * `added`/`deleted` are -1 for a binary file. Loading checks every index, so a damaged file costs a
 * full mine, never a wrong result.
 */
export const HISTORY_CACHE_FORMAT = 1;

/** Beyond this many commits, a save keeps only the commits the run used. */
const MAX_RECORDS = 500_000;

interface StoredCache {
  format: number;
  key: string;
  authors: string[];
  paths: string[];
  shas: string[];
  records: number[][];
}

export class HistoryCache {
  readonly file: string;
  /** Awaited only to save: a cold run's git log need not wait for it. */
  private readonly key: string | PromiseLike<string>;
  private authors: string[];
  private paths: string[];
  private records: Map<string, number[]>;
  /** Built on the first `put`: a run that only reads never needs them. */
  private authorIndex: Map<string, number> | null = null;
  private pathIndex: Map<string, number> | null = null;
  private dirty = false;

  private constructor(file: string, key: string | PromiseLike<string>, stored: StoredCache | null) {
    this.file = file;
    this.key = key;
    this.authors = stored?.authors ?? [];
    this.paths = stored?.paths ?? [];
    this.records = new Map();
    if (stored) stored.shas.forEach((sha, i) => this.records.set(sha, stored.records[i]!));
  }

  /**
   * Loads the cache, or starts empty when it is missing, unreadable, damaged or under another key.
   * The key may still be on its way: the file is read meanwhile, and when there is none (a cold
   * run) the empty cache is ready without waiting for the key.
   */
  static async load(file: string, key: string | PromiseLike<string>): Promise<HistoryCache> {
    const stored = await readJsonCache(file);
    if (stored === null) return new HistoryCache(file, key, null);
    const resolvedKey = await key;
    return new HistoryCache(file, resolvedKey, isValid(stored, resolvedKey) ? stored : null);
  }

  get size(): number {
    return this.records.size;
  }

  has(sha: string): boolean {
    return this.records.has(sha);
  }

  /** The record of a cached commit, as the log parser produced it. */
  get(sha: string): LogCommit | undefined {
    const record = this.records.get(sha);
    if (!record) return undefined;
    const changes: FileChange[] = [];
    for (let i = 2; i < record.length; i += 4) {
      const from = record[i + 1]!;
      const added = record[i + 2]!;
      const deleted = record[i + 3]!;
      const path = this.paths[record[i]!]!;
      const counts = { added: added < 0 ? null : added, deleted: deleted < 0 ? null : deleted };
      changes.push(from < 0 ? { path, ...counts } : { path, from: this.paths[from]!, ...counts });
    }
    return { sha, time: record[0]!, author: this.authors[record[1]!]!, changes };
  }

  put(commit: LogCommit): void {
    if (this.records.has(commit.sha)) return;
    const record = [commit.time, this.intern(commit.author, 'authors')];
    for (const change of commit.changes) {
      record.push(
        this.intern(change.path, 'paths'),
        change.from === undefined ? -1 : this.intern(change.from, 'paths'),
        change.added ?? -1,
        change.deleted ?? -1,
      );
    }
    this.records.set(commit.sha, record);
    this.dirty = true;
  }

  /**
   * Writes the cache (atomically) if it changed. Past MAX_RECORDS, only the commits in `used` are
   * kept: commits of rewritten or abandoned history otherwise stay, as they are cheap and a branch
   * may come back.
   */
  async save(used: Iterable<string>): Promise<void> {
    if (!this.dirty) return;
    if (this.records.size > MAX_RECORDS) this.keepOnly(new Set(used));
    const stored: StoredCache = {
      format: HISTORY_CACHE_FORMAT,
      key: await this.key,
      authors: this.authors,
      paths: this.paths,
      shas: [...this.records.keys()],
      records: [...this.records.values()],
    };
    await writeJsonCache(this.file, stored);
    this.dirty = false;
  }

  private keepOnly(used: ReadonlySet<string>): void {
    const kept = [...used].flatMap((sha) => {
      const commit = this.get(sha);
      return commit ? [commit] : [];
    });
    this.authors = [];
    this.paths = [];
    this.authorIndex = null;
    this.pathIndex = null;
    this.records = new Map();
    for (const commit of kept) this.put(commit);
  }

  private intern(value: string, table: 'authors' | 'paths'): number {
    const index = table === 'authors' ? this.indexOfAuthors() : this.indexOfPaths();
    let at = index.get(value);
    if (at === undefined) {
      at = this[table].push(value) - 1;
      index.set(value, at);
    }
    return at;
  }

  private indexOfAuthors(): Map<string, number> {
    return (this.authorIndex ??= new Map(this.authors.map((name, i) => [name, i])));
  }

  private indexOfPaths(): Map<string, number> {
    return (this.pathIndex ??= new Map(this.paths.map((path, i) => [path, i])));
  }
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The shape, the key, and every index and count of every record: anything else is damage. */
function isValid(value: unknown, key: string): value is StoredCache {
  if (typeof value !== 'object' || value === null) return false;
  const stored = value as Partial<StoredCache>;
  if (stored.format !== HISTORY_CACHE_FORMAT || stored.key !== key) return false;
  const { authors, paths, shas, records } = stored;
  if (!isStrings(authors) || !isStrings(paths) || !isStrings(shas)) return false;
  if (!Array.isArray(records) || records.length !== shas.length) return false;
  if (!shas.every((sha) => SHA.test(sha))) return false;
  return records.every((record: unknown) => {
    if (!Array.isArray(record) || record.length < 2 || (record.length - 2) % 4 !== 0) return false;
    if (!Number.isSafeInteger(record[0]) || !isCount(record[1], authors.length - 1)) return false;
    for (let i = 2; i < record.length; i += 4) {
      if (!isCount(record[i], paths.length - 1)) return false;
      if (record[i + 1] !== -1 && !isCount(record[i + 1], paths.length - 1)) return false;
      if (record[i + 2] !== -1 && !isCount(record[i + 2], Infinity)) return false;
      if (record[i + 3] !== -1 && !isCount(record[i + 3], Infinity)) return false;
    }
    return true;
  });
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isCount(value: unknown, max: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max;
}
