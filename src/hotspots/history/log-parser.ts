/**
 * An incremental parser for the output of `git log -z --numstat --format=LOG_FORMAT`: feed it
 * chunks as they come off the pipe, cut anywhere (even inside a multi-byte character), and it calls
 * back once per commit. It holds one commit and one unfinished token at a time, never the log.
 *
 * The byte stream it reads (with -z every token ends in NUL):
 *
 *   \x1e<sha> NUL <author time> NUL <author name> NUL            commit header
 *   [\n]<added>\t<deleted>\t<path> NUL                            a changed file
 *   [\n]<added>\t<deleted>\t NUL <old path> NUL <new path> NUL    a renamed file
 *
 * `added`/`deleted` are `-` for binary files. The newline git puts before a commit's first file is
 * optional here. Every field is found by its position, so a path or name may hold any byte but
 * NUL (tabs, newlines, \x1e, spaces, non-ASCII). The non-`-z` forms `old => new` and
 * `{a => b}/c` are never requested: they cannot be told apart from a path that contains " => ".
 */

/** The `--format` that goes with this parser: record mark, full SHA, author time, author name (mailmap applied). */
export const LOG_FORMAT = '%x1e%H%x00%at%x00%aN';

export interface FileChange {
  /** The path after this commit. */
  path: string;
  /** The path before this commit, when git detected a rename in it. */
  from?: string;
  /** Lines added and deleted; null for a binary file. */
  added: number | null;
  deleted: number | null;
}

export interface LogCommit {
  sha: string;
  /** Author time, seconds since the epoch. */
  time: number;
  /** Author name after .mailmap. */
  author: string;
  changes: FileChange[];
}

/** Output that does not follow LOG_FORMAT; `offset` is the byte where the bad token starts. */
export class LogParseError extends Error {
  readonly offset: number;
  readonly hint =
    'git printed something the history parser does not expect. Check git config for log or diff settings that change `git log --numstat` output, and report this with `git --version`.';
  constructor(offset: number, detail: string) {
    super(`Unexpected git log output at byte ${offset}: ${detail}`);
    this.name = 'LogParseError';
    this.offset = offset;
  }
}

const NUL = 0x00;
const TAB = 0x09;
const NEWLINE = 0x0a;
const RECORD_MARK = 0x1e;
const DASH = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

const State = {
  header: 0,
  time: 1,
  author: 2,
  files: 3,
  renameFrom: 4,
  renameTo: 5,
} as const;
type State = (typeof State)[keyof typeof State];

/** Feed it with `push(chunk)` as output arrives and `end()` once; commits arrive through the callback. */
export class LogParser {
  private readonly onCommit: (commit: LogCommit) => void;
  private state: State = State.header;
  private commit: LogCommit | null = null;
  private sha = '';
  private time = 0;
  private rename: FileChange | null = null;
  /** Bytes of a token whose NUL has not arrived yet. */
  private partial: Buffer | null = null;
  /** Stream offset of the first byte of the buffer being scanned, for error messages. */
  private consumed = 0;

  /** Reads `--name-only` output (paths without line counts) instead of `--numstat`. */
  private readonly namesOnly: boolean;

  constructor(onCommit: (commit: LogCommit) => void, options: { namesOnly?: boolean } = {}) {
    this.onCommit = onCommit;
    this.namesOnly = options.namesOnly === true;
  }

  push(chunk: Uint8Array): void {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const buffer = this.partial ? Buffer.concat([this.partial, bytes]) : bytes;
    let start = 0;
    for (let end = buffer.indexOf(NUL, start); end !== -1; end = buffer.indexOf(NUL, start)) {
      this.token(buffer, start, end);
      start = end + 1;
    }
    this.consumed += start;
    // Copied so the parser does not pin a whole 64 KiB chunk for a few trailing bytes.
    this.partial = start < buffer.length ? Buffer.from(buffer.subarray(start)) : null;
  }

  /** Call once after the last chunk; emits the last commit and checks nothing was cut off. */
  end(): void {
    if (this.partial) {
      const last = this.partial;
      this.partial = null;
      this.token(last, 0, last.length);
      this.consumed += last.length;
    }
    if (this.state === State.files) this.flush();
    else if (this.state !== State.header) {
      throw new LogParseError(this.consumed, 'the output ends in the middle of a commit');
    }
  }

  private token(buffer: Buffer, start: number, end: number): void {
    switch (this.state) {
      case State.header:
        this.header(buffer, start, end);
        return;
      case State.time:
        this.time = this.integer(buffer, start, end, 'an author time');
        this.state = State.author;
        return;
      case State.author:
        this.commit = {
          sha: this.sha,
          time: this.time,
          author: buffer.toString('utf8', start, end),
          changes: [],
        };
        this.state = State.files;
        return;
      case State.files:
        if (start === end) return;
        if (buffer[start] === RECORD_MARK) {
          this.flush();
          this.header(buffer, start, end);
          return;
        }
        this.fileChange(buffer, start, end);
        return;
      case State.renameFrom:
        this.rename!.from = buffer.toString('utf8', start, end);
        this.state = State.renameTo;
        return;
      case State.renameTo: {
        const change = this.rename!;
        change.path = buffer.toString('utf8', start, end);
        this.commit!.changes.push({
          path: change.path,
          from: change.from!,
          added: change.added,
          deleted: change.deleted,
        });
        this.rename = null;
        this.state = State.files;
        return;
      }
    }
  }

  private header(buffer: Buffer, start: number, end: number): void {
    if (start === end) return;
    const sha = buffer.toString('latin1', start + 1, end);
    if (buffer[start] !== RECORD_MARK || !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha)) {
      throw this.error(start, `expected a commit header, found ${preview(buffer, start, end)}`);
    }
    this.sha = sha;
    this.state = State.time;
  }

  /** `[\n]<added>\t<deleted>\t<path>`; an empty path means the old and new paths follow. */
  private fileChange(buffer: Buffer, start: number, end: number): void {
    let at = buffer[start] === NEWLINE ? start + 1 : start;
    if (this.namesOnly) {
      this.commit!.changes.push({
        path: buffer.toString('utf8', at, end),
        added: null,
        deleted: null,
      });
      return;
    }
    const addedEnd = buffer.indexOf(TAB, at);
    const deletedEnd = addedEnd === -1 || addedEnd >= end ? -1 : buffer.indexOf(TAB, addedEnd + 1);
    if (deletedEnd === -1 || deletedEnd >= end) {
      throw this.error(
        start,
        `expected "<added>\\t<deleted>\\t<path>", found ${preview(buffer, start, end)}`,
      );
    }
    const added = this.count(buffer, at, addedEnd);
    at = addedEnd + 1;
    const deleted = this.count(buffer, at, deletedEnd);
    if (deletedEnd + 1 === end) {
      this.rename = { path: '', added, deleted };
      this.state = State.renameFrom;
      return;
    }
    this.commit!.changes.push({
      path: buffer.toString('utf8', deletedEnd + 1, end),
      added,
      deleted,
    });
  }

  private count(buffer: Buffer, start: number, end: number): number | null {
    if (end === start + 1 && buffer[start] === DASH) return null;
    return this.integer(buffer, start, end, 'a line count');
  }

  private integer(buffer: Buffer, start: number, end: number, what: string): number {
    const negative = buffer[start] === DASH && end > start + 1;
    let value = 0;
    for (let i = negative ? start + 1 : start; i < end; i++) {
      const byte = buffer[i]!;
      if (byte < ZERO || byte > NINE) {
        throw this.error(start, `expected ${what}, found ${preview(buffer, start, end)}`);
      }
      value = value * 10 + (byte - ZERO);
    }
    if (start === end) throw this.error(start, `expected ${what}, found nothing`);
    return negative ? -value : value;
  }

  private flush(): void {
    const commit = this.commit!;
    this.commit = null;
    this.state = State.header;
    this.onCommit(commit);
  }

  private error(position: number, detail: string): LogParseError {
    // `position` is an index into the buffer being scanned, which begins with the partial token.
    return new LogParseError(this.consumed + position, detail);
  }
}

function preview(buffer: Buffer, start: number, end: number): string {
  return JSON.stringify(buffer.toString('utf8', start, Math.min(end, start + 60)));
}
