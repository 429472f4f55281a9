import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  LogParseError,
  LogParser,
  type FileChange,
  type LogCommit,
} from '../../../src/hotspots/history/log-parser.ts';

function parse(chunks: Uint8Array[]): LogCommit[] {
  const commits: LogCommit[] = [];
  const parser = new LogParser((commit) => commits.push(commit));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return commits;
}

/** Writes commits the way `git log -z --numstat --format=LOG_FORMAT` prints them. */
function gitOutput(commits: LogCommit[]): Buffer {
  const parts: string[] = [];
  for (const commit of commits) {
    parts.push(`\x1e${commit.sha}\0${commit.time}\0${commit.author}\0`);
    commit.changes.forEach((change, i) => {
      const counts = `${i === 0 ? '\n' : ''}${change.added ?? '-'}\t${change.deleted ?? '-'}\t`;
      parts.push(
        change.from === undefined
          ? `${counts}${change.path}\0`
          : `${counts}\0${change.from}\0${change.path}\0`,
      );
    });
  }
  return Buffer.from(parts.join(''), 'utf8');
}

/** Cuts a buffer at the given offsets. */
function split(buffer: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buffer.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, buffer.length]) {
    chunks.push(buffer.subarray(start, point));
    start = point;
  }
  return chunks;
}

const SHA = 'a'.repeat(40);

describe('LogParser', () => {
  it('reads commits, numstat lines, binary files, renames and commits without files', () => {
    // Bytes as git 2.39 prints them (captured), shortened to three commits.
    const output = Buffer.from(
      `\x1e${SHA}\0${1700000000}\0Zoë Ä\0\n0\t0\t\0d/moved.txt\0e/moved.txt\0` +
        `3\t1\te/\u00fc.ts\0` +
        `\x1e${'b'.repeat(40)}\0${1600000000}\0Bob\0` +
        `\x1e${'c'.repeat(40)}\0${1500000000}\0Bob\0\n-\t-\tbin.dat\0` +
        `1\t0\tsp ace.txt\0`,
    );
    expect(parse([output])).toEqual([
      {
        sha: SHA,
        time: 1700000000,
        author: 'Zoë Ä',
        changes: [
          { path: 'e/moved.txt', from: 'd/moved.txt', added: 0, deleted: 0 },
          { path: 'e/ü.ts', added: 3, deleted: 1 },
        ],
      },
      { sha: 'b'.repeat(40), time: 1600000000, author: 'Bob', changes: [] },
      {
        sha: 'c'.repeat(40),
        time: 1500000000,
        author: 'Bob',
        changes: [
          { path: 'bin.dat', added: null, deleted: null },
          { path: 'sp ace.txt', added: 1, deleted: 0 },
        ],
      },
    ]);
  });

  it('reads nothing from no output', () => {
    expect(parse([])).toEqual([]);
  });

  it('names the byte where the output stops making sense', () => {
    const bad = Buffer.from(`\x1e${SHA}\0${1}\0A\0\n1\t0\tok\0oops\0`);
    expect(() => parse(split(bad, [50, 51]))).toThrow(LogParseError);
    expect(() => parse([bad])).toThrow(
      /at byte 54: expected "<added>\\t<deleted>\\t<path>", found "oops"/,
    );
    expect(() => parse([Buffer.from('commit 123\n')])).toThrow(
      /at byte 0: expected a commit header/,
    );
    expect(() => parse([Buffer.from(`\x1e${SHA}\0x\0`)])).toThrow(/expected an author time/);
  });

  it('refuses output cut off in the middle of a commit or a rename', () => {
    expect(() => parse([Buffer.from(`\x1e${SHA}\0${1}\0`)])).toThrow(/ends in the middle/);
    expect(() => parse([Buffer.from(`\x1e${SHA}\0${1}\0A\0\n1\t1\t\0old\0`)])).toThrow(
      /ends in the middle/,
    );
  });

  // Paths biased towards the bytes that matter to the format: tabs, newlines, the record mark,
  // digits, dashes, arrows and braces of git's non -z rename notation, and multi-byte letters.
  const tricky = fc.string({
    unit: fc.constantFrom(
      '\t',
      '\n',
      '\x1e',
      ' ',
      'a',
      '/',
      'ü',
      '日',
      '😀',
      '-',
      '1',
      '=>',
      '{',
      '}',
    ),
    minLength: 1,
    maxLength: 12,
  });
  const anyText = fc
    .string({ unit: 'binary', minLength: 1, maxLength: 12 })
    .map((s) => s.replaceAll('\0', '\u2400'));
  const path = fc.oneof(tricky, anyText);
  const count = fc.option(fc.nat({ max: 100_000 }), { nil: null, freq: 5 });
  const change: fc.Arbitrary<FileChange> = fc
    .record({ path, from: fc.option(path, { nil: undefined }), added: count, deleted: count })
    .map(({ from, ...rest }) => (from === undefined ? rest : { ...rest, from }));
  const commit: fc.Arbitrary<LogCommit> = fc.record({
    sha: fc.stringMatching(/^[0-9a-f]{40}$/),
    time: fc.integer({ min: -1_000_000, max: 4_000_000_000 }),
    author: fc.oneof(anyText, fc.constant('')),
    changes: fc.array(change, { maxLength: 5 }),
  });
  const commits = fc.array(commit, { maxLength: 6 });

  test.prop([commits])('reads back exactly what git would print', (expected) => {
    expect(parse([gitOutput(expected)])).toEqual(expected);
  });

  test.prop([commits, fc.array(fc.nat(), { maxLength: 30 })])(
    'gives the same commits whatever the chunk boundaries',
    (expected, cuts) => {
      const output = gitOutput(expected);
      expect(parse(split(output, cuts))).toEqual(parse([output]));
    },
  );

  test.prop([commits])('gives the same commits when fed one byte at a time', (expected) => {
    const output = gitOutput(expected);
    const bytes = Array.from(output, (_, i) => output.subarray(i, i + 1));
    expect(parse(bytes)).toEqual(expected);
  });
});

describe('LogParser with namesOnly (git log -z --name-only, the damaged-clone fallback)', () => {
  it('reads bare paths, whatever they hold, with no line counts', () => {
    const output = Buffer.from(
      `\x1e${SHA}\x001700000000\x00Ann\x00\nsrc/a.ts\x00src/tab\there.ts\x00` +
        `\x1e${'b'.repeat(40)}\x001700000001\x00Bob\x00\n1\t2\tlooks like numstat.ts\x00`,
      'utf8',
    );
    const commits: LogCommit[] = [];
    const parser = new LogParser((commit) => commits.push(commit), { namesOnly: true });
    for (const chunk of split(output, [5, 50, 61, 90])) parser.push(chunk);
    parser.end();
    expect(commits.map((c) => c.changes)).toEqual([
      [
        { path: 'src/a.ts', added: null, deleted: null },
        { path: 'src/tab\there.ts', added: null, deleted: null },
      ],
      [{ path: '1\t2\tlooks like numstat.ts', added: null, deleted: null }],
    ]);
  });
});
