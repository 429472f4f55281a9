import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ts } from 'ts-morph';
import { anchorFindings } from '../../src/review/anchor.ts';
import { SEVERITIES } from '../../src/review/severity.ts';
import type { Finding } from '../../src/review/anchor.ts';
import { fromPullRequestFiles } from '../../src/diff/review-file.ts';
import type { ReviewFile } from '../../src/diff/review-file.ts';
import { githubPatch } from '../support/patch.ts';

function reviewFile(path: string, before: string, after: string): ReviewFile {
  const [file] = fromPullRequestFiles([
    {
      path,
      previousPath: null,
      status: 'modified',
      additions: 1,
      deletions: 1,
      patch: githubPatch(before, after, 1),
    },
  ]);
  return file!;
}

const finding = (over: Partial<Finding>): Finding => ({
  path: 'a.ts',
  line: 1,
  severity: 'minor',
  category: 'correctness',
  title: 'Something',
  body: 'Because.',
  ...over,
});

// 20 lines; lines 3 and 15 change, so with one line of context the hunks are 2-4 and 14-16.
const before =
  Array.from({ length: 20 }, (_, i) => `const v${i + 1} = ${i + 1};`).join('\n') + '\n';
const after = before.replace('v3 = 3', 'v3 = 30').replace('v15 = 15', 'v15 = 150');
const file = reviewFile('a.ts', before, after);
const contents = new Map([['a.ts', after]]);

describe('anchorFindings placement', () => {
  it('puts a finding inline only when its whole range sits in one hunk', () => {
    const result = anchorFindings(
      [
        finding({ line: 3, title: 'in hunk' }),
        finding({ line: 2, endLine: 4, title: 'whole hunk' }),
        finding({ line: 9, title: 'between hunks' }),
        finding({ line: 3, endLine: 15, title: 'across hunks' }),
        finding({ line: 4, endLine: 6, title: 'runs out of the hunk' }),
        finding({ path: 'other.ts', line: 1, title: 'unknown file' }),
      ],
      [file],
    );
    expect(result.inline.map((f) => f.title)).toEqual(['in hunk']);
    expect(Object.fromEntries(result.offDiff.map((f) => [f.title, f.offDiffReason]))).toEqual({
      'between hunks': 'line 9 of the new file is outside the diff',
      'across hunks': 'lines 3-15 span more than one hunk',
      'runs out of the hunk': 'lines 4-6 of the new file run past the hunk, outside the diff',
      'unknown file': 'the file is not in the reviewed diff',
    });
    // 'whole hunk' shares line 3 with the earlier, equally severe finding
    expect(result.dropped.map((d) => d.reason)).toEqual([
      'line 3 already has an inline finding at least as severe',
    ]);
  });

  it('keeps the most severe finding on a line, whatever the order given', () => {
    const result = anchorFindings(
      [
        finding({ line: 3, severity: 'info', title: 'nit' }),
        finding({ line: 3, severity: 'critical', title: 'bug' }),
      ],
      [file],
    );
    expect(result.inline.map((f) => f.title)).toEqual(['bug']);
    expect(result.dropped.map((d) => d.finding.title)).toEqual(['nit']);
  });

  it('keeps the most severe under max-comments', () => {
    const result = anchorFindings(
      [
        finding({ line: 2, severity: 'info', title: 'a' }),
        finding({ line: 3, severity: 'major', title: 'b' }),
        finding({ line: 15, severity: 'critical', title: 'c' }),
      ],
      [file],
      { maxComments: 2 },
    );
    expect(result.inline.map((f) => f.title)).toEqual(['b', 'c']);
    expect(result.dropped).toEqual([]);
    expect(result.offDiff).toEqual([
      expect.objectContaining({ title: 'a', offDiffReason: 'over max-comments (2)' }),
    ]);
  });

  it('sends an absurdly long range off the diff without walking it', () => {
    const result = anchorFindings([finding({ line: 3, endLine: 1e12 })], [file]);
    expect(result.offDiff[0]!.offDiffReason).toBe(
      'lines 3-1000000000000 of the new file run past the hunk, outside the diff',
    );
  });

  it('drops invalid ranges and exact repeats', () => {
    const result = anchorFindings(
      [
        finding({ line: 0 }),
        finding({ line: 5, endLine: 4 }),
        finding({ line: 3 }),
        finding({ line: 3 }),
      ],
      [file],
    );
    expect(result.dropped.map((d) => d.reason)).toEqual([
      'line 0 is not a line number',
      'endLine 4 is not a line number at or after line 5',
      'the same finding was reported twice',
    ]);
  });
});

describe('suggestions', () => {
  it('keeps a suggestion that parses, without its trailing newline', () => {
    const result = anchorFindings([finding({ line: 3, suggestion: 'const v3 = 3;\n' })], [file], {
      contents,
    });
    expect(result.inline[0]).toMatchObject({ suggestion: 'const v3 = 3;' });
    expect(result.inline[0]!.suggestionDropped).toBeUndefined();
  });

  it('keeps the finding but drops a suggestion that breaks the syntax, saying why', () => {
    const result = anchorFindings([finding({ line: 3, suggestion: 'const v3 = (3;' })], [file], {
      contents,
    });
    expect(result.inline[0]!.suggestion).toBeUndefined();
    expect(result.inline[0]!.suggestionDropped).toMatch(
      /would not parse with the suggestion: line 3: .*TS1005/,
    );
  });

  it('drops a JS/TS suggestion it cannot verify, and one that changes nothing', () => {
    const noContent = anchorFindings([finding({ line: 3, suggestion: 'const v3 = 4;' })], [file]);
    expect(noContent.inline[0]!.suggestionDropped).toBe(
      'the file content was not available to parse the suggestion',
    );
    const same = anchorFindings([finding({ line: 3, suggestion: 'const v3 = 30;' })], [file], {
      contents,
    });
    expect(same.inline[0]!.suggestionDropped).toBe(
      'the suggestion is the same as the current code',
    );
  });

  it('compares a suggestion with CRLF lines as the file has them', () => {
    const crlf = after.replaceAll('\n', '\r\n');
    const crlfFile = reviewFile('a.ts', before.replaceAll('\n', '\r\n'), crlf);
    const check = (suggestion: string) =>
      anchorFindings([finding({ line: 3, suggestion })], [crlfFile], {
        contents: new Map([['a.ts', crlf]]),
      }).inline[0]!;
    expect(check('const v3 = 30;').suggestionDropped).toBe(
      'the suggestion is the same as the current code',
    );
    expect(check('const v3 = 3;').suggestion).toBe('const v3 = 3;');
    expect(check('const v3 = {;').suggestionDropped).toMatch(/would not parse/);
  });

  it('reads an empty suggestion as deleting the lines, as GitHub applies it', () => {
    const opened = after.replace('const v3 = 30;', 'function f() {');
    const result = anchorFindings([finding({ line: 3, suggestion: '' })], [file], {
      contents: new Map([['a.ts', opened]]),
    });
    expect(result.inline[0]!.suggestion).toBe('');
  });

  it('judges only new errors in a file that already had some', () => {
    const broken = after.replace('const v20 = 20;', 'const v20 = (20;');
    const result = anchorFindings([finding({ line: 3, suggestion: 'const v3 = 3;' })], [file], {
      contents: new Map([['a.ts', broken]]),
    });
    expect(result.inline[0]!.suggestion).toBe('const v3 = 3;');
  });

  it('drops a suggestion that repeats the lines just below or above its range', () => {
    // Line 3 is the range; the model quotes line 4 after its fix, or line 2 before it.
    const below = anchorFindings(
      [finding({ line: 3, suggestion: 'const v3 = 3;\nconst v4 = 4;' })],
      [file],
      { contents },
    ).inline[0]!;
    expect(below.suggestion).toBeUndefined();
    expect(below.suggestionDropped).toBe(
      'the suggestion repeats line 4, just below its range: committing it would duplicate that line',
    );
    const above = anchorFindings(
      [finding({ line: 3, suggestion: 'const v2 = 2;\nconst v3 = 3;' })],
      [file],
      { contents },
    ).inline[0]!;
    expect(above.suggestionDropped).toBe(
      'the suggestion repeats line 2, just above its range: committing it would duplicate that line',
    );
    // A one-line range answered with the whole block that follows it.
    const block = anchorFindings(
      [
        finding({
          line: 3,
          suggestion: ['const v3 = 3;', 'const v4 = 4;', 'const v5 = 5;', 'const v6 = 6;'].join(
            '\n',
          ),
        }),
      ],
      [file],
      { contents },
    ).inline[0]!;
    expect(block.suggestionDropped).toMatch(/repeats lines 4-6, just below its range/);
  });

  it('keeps a rewrite of its own range even when its last line reads like the next one', () => {
    const nested = 'function f() {\n  if (x) {\n    a();\n  }\n}\n';
    const changed = nested.replace('a();', 'a(1);');
    const md = reviewFile('n.ts', nested, changed);
    const result = anchorFindings(
      [finding({ path: 'n.ts', line: 3, endLine: 4, suggestion: '    b();\n  }' })],
      [md],
      { contents: new Map([['n.ts', changed]]) },
    ).inline[0]!;
    expect(result.suggestionDropped).toBeUndefined();
    expect(result.suggestion).toBe('    b();\n  }');
  });

  it('keeps a valid suggestion on lines holding a code fence, fenced longer when posted', () => {
    const doc = 'const doc = `\n```ts\nold()\n```\n`;\n';
    const changed = doc.replace('old()', 'older()');
    const ts = reviewFile('doc.ts', doc, changed);
    const result = anchorFindings(
      [finding({ path: 'doc.ts', line: 2, endLine: 4, suggestion: '```ts\nnewer()\n```' })],
      [ts],
      { contents: new Map([['doc.ts', changed]]) },
    ).inline[0]!;
    expect(result.suggestionDropped).toBeUndefined();
    expect(result.suggestion).toBe('```ts\nnewer()\n```');
    const md = reviewFile('README.md', '# T\n\n```sh\nnpm i\n```\n', '# T\n\n```sh\nnpm ci\n```\n');
    const kept = anchorFindings(
      [
        finding({
          path: 'README.md',
          line: 3,
          endLine: 5,
          suggestion: '~~~sh\nnpm ci --ignore-scripts\n~~~',
        }),
      ],
      [md],
      { contents: new Map([['README.md', '# T\n\n```sh\nnpm ci\n```\n']]) },
    ).inline[0]!;
    expect(kept.suggestion).toBe('~~~sh\nnpm ci --ignore-scripts\n~~~');
  });

  it('does not turn a blank line at the end of the range into a deletion', () => {
    const spaced = 'const a = 1;\nconst b = 2;\n\nconst c = 3;\n';
    const changed = spaced.replace('b = 2', 'b = 20');
    const f = reviewFile('s.ts', spaced, changed);
    const result = anchorFindings(
      [finding({ path: 's.ts', line: 2, endLine: 3, suggestion: 'const b = 2;\n' })],
      [f],
      { contents: new Map([['s.ts', changed]]) },
    ).inline[0]!;
    // The suggestion replaces line 2 only: committing it keeps the blank line 3.
    expect(result).toMatchObject({ line: 2, endLine: 2, suggestion: 'const b = 2;' });
    // A suggestion that writes the blank line back keeps the whole range.
    const whole = anchorFindings(
      [finding({ path: 's.ts', line: 2, endLine: 3, suggestion: 'const b = 2;\n\n' })],
      [f],
      { contents: new Map([['s.ts', changed]]) },
    ).inline[0]!;
    expect(whole).toMatchObject({ line: 2, endLine: 3, suggestion: 'const b = 2;\n' });
  });

  it('passes suggestions in languages without a parser here, unverified', () => {
    const md = reviewFile('README.md', 'a\nb\n', 'a\nc\n');
    const result = anchorFindings(
      [finding({ path: 'README.md', line: 2, suggestion: '(((' })],
      [md],
    );
    expect(result.inline[0]!.suggestion).toBe('(((');
  });

  const code = fc.array(
    fc.constantFrom(
      '(',
      ')',
      '{',
      '}',
      '[',
      ']',
      ';',
      'const x = 1',
      '"',
      "'",
      '`',
      '/*',
      '*/',
      '=>',
      'if (a)',
      '<div>',
      ' ',
      '\n',
      'return',
    ),
    { maxLength: 12 },
  );
  const garbage = fc.oneof(
    code.map((parts) => parts.join('')),
    fc.string({ maxLength: 40 }),
  );
  test.prop([garbage, fc.constantFrom('a.ts', 'a.tsx', 'a.js', 'a.mjs')])(
    'no suggestion that survives leaves a file that fails to parse',
    (suggestion, path) => {
      const f = { ...file, path };
      const result = anchorFindings([finding({ path, line: 2, endLine: 3, suggestion })], [f], {
        contents: new Map([[path, after]]),
      });
      const kept = result.inline[0]!;
      if (kept.suggestion === undefined) return;
      const rows = after.split('\n');
      rows.splice(1, 2, ...kept.suggestion.split('\n'));
      const kind = path.endsWith('x')
        ? ts.ScriptKind.TSX
        : path.endsWith('ts')
          ? ts.ScriptKind.TS
          : ts.ScriptKind.JS;
      const source = ts.createSourceFile(
        path,
        rows.join('\n'),
        ts.ScriptTarget.Latest,
        false,
        kind,
      );
      expect((source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    },
  );
});

describe('zero inline comments outside the diff', () => {
  const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', '}'), { maxLength: 40 });
  const randomFinding = fc.record({
    path: fc.constantFrom('x.ts', 'y.ts', 'z.ts'),
    line: fc.integer({ min: -2, max: 45 }),
    span: fc.option(fc.integer({ min: -1, max: 8 }), { nil: undefined }),
    severity: fc.constantFrom(...SEVERITIES),
    title: fc.constantFrom('t1', 't2', 't3'),
  });
  test.prop([
    fc.tuple(lines, lines),
    fc.tuple(lines, lines),
    fc.integer({ min: 0, max: 3 }),
    fc.array(randomFinding, { maxLength: 30 }),
    fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  ])(
    'every inline finding covers commentable right-side lines within one hunk',
    (x, y, context, raw, maxComments) => {
      const text = (rows: string[]) => rows.map((r) => r + '\n').join('');
      const files = [x, y].map(([b, a], i) => {
        const [f] = fromPullRequestFiles([
          {
            path: ['x.ts', 'y.ts'][i]!,
            previousPath: null,
            status: 'modified',
            additions: 1,
            deletions: 0,
            patch: githubPatch(text(b), text(a), context),
          },
        ]);
        return f!;
      });
      const findings = raw.map((r) =>
        finding({ ...r, endLine: r.span === undefined ? undefined : r.line + r.span }),
      );
      const result = anchorFindings(findings, files, { maxComments });
      const used = new Set<string>();
      for (const f of result.inline) {
        const target = files.find((file) => file.path === f.path)!;
        const hunk = target.hunks.find(
          (h) => h.newStart <= f.line && f.endLine < h.newStart + h.newLines,
        );
        expect(hunk, `${f.path}:${f.line}-${f.endLine}`).toBeDefined();
        for (let n = f.line; n <= f.endLine; n++) {
          expect(hunk!.lines.some((l) => l.newLine === n)).toBe(true);
          expect(used.has(`${f.path}:${n}`)).toBe(false);
          used.add(`${f.path}:${n}`);
        }
      }
      if (maxComments !== undefined) expect(result.inline.length).toBeLessThanOrEqual(maxComments);
      expect(result.inline.length + result.offDiff.length + result.dropped.length).toBe(
        findings.length,
      );
    },
  );
});
