import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconstructOldText } from '../../src/diff/hunks.ts';
import { DiffParseError } from '../../src/diff/review-file.ts';
import type { ReviewFile } from '../../src/diff/review-file.ts';
import { parseGitDiff } from '../../src/diff/git-diff.ts';
import { readGitDiff } from '../../src/git/diff.ts';
import { GitPathError, unquoteGitPath } from '../../src/review/git-path.ts';
import { GitRepo } from '../support/git-repo.ts';
import { githubPatch } from '../support/patch.ts';
import { buildScenario } from '../review/git-fixture.ts';
import type { DiffScenario } from '../review/git-fixture.ts';

describe('parseGitDiff on a real git diff', () => {
  let scenario: DiffScenario;
  let files: Map<string, ReviewFile>;
  beforeAll(() => {
    scenario = buildScenario();
    files = new Map(parseGitDiff(scenario.diff).map((f) => [f.path, f]));
  });
  afterAll(() => scenario.repo.dispose());
  const file = (path: string) => {
    const found = files.get(path);
    if (!found) throw new Error(`${path} not parsed; got ${[...files.keys()].join(', ')}`);
    return found;
  };

  it('lists every changed file once with its status', () => {
    expect(Object.fromEntries([...files.values()].map((f) => [f.path, f.status]))).toEqual({
      'assets/.keep': 'added',
      'assets/my logo.png': 'added',
      'docs/über straße.md': 'modified',
      'eof.ts': 'modified',
      'gone.js': 'removed',
      'logo.png': 'modified',
      'run.sh': 'changed',
      'src/keep.ts': 'modified',
      'src/new-name.ts': 'renamed',
      'windows.txt': 'modified',
      '新しい.ts': 'added',
    });
  });

  it('follows a rename with edits', () => {
    expect(file('src/new-name.ts').previousPath).toBe('src/old-name.ts');
    expect(file('src/new-name.ts').commentable.RIGHT).toEqual(new Set([1, 2, 3, 4, 5, 6, 7]));
  });

  it('marks binary files and gives them no lines', () => {
    expect(file('logo.png')).toMatchObject({ binary: true, patch: null, hunks: [] });
    expect(file('logo.png').commentable.RIGHT.size).toBe(0);
    // named only by the "diff --git" line, unquoted, with a space in it
    expect(file('assets/my logo.png')).toMatchObject({ binary: true, status: 'added' });
    expect(file('assets/.keep')).toMatchObject({ binary: false, patch: null, hunks: [] });
  });

  it('keeps CR in CRLF content so suggestions and fingerprints see the real bytes', () => {
    const lines = file('windows.txt').hunks[0]!.lines;
    expect(lines.map((l) => l.text)).toEqual(['one\r', 'two\r', 'TWO\r', 'three\r']);
  });

  it('skips the no-newline marker without counting it as a line', () => {
    expect(file('eof.ts').commentable.RIGHT).toEqual(new Set([1, 2]));
  });

  it('decodes quoted non-ASCII paths, including names with spaces', () => {
    expect(file('新しい.ts').commentable.RIGHT).toEqual(new Set([1]));
    expect(file('docs/über straße.md').commentable.LEFT).toEqual(new Set([1, 2, 3]));
  });

  it('puts deleted lines on LEFT only, and separate hunks stay separate', () => {
    expect(file('gone.js').commentable).toEqual({ RIGHT: new Set(), LEFT: new Set([1]) });
    expect(file('src/keep.ts').hunks.map((h) => h.newStart)).toEqual([3, 31]);
  });

  it('yields patches that rebuild the base text of every text file from the head text', () => {
    for (const f of files.values()) {
      if (f.binary || f.patch === null || f.status === 'removed' || f.status === 'added') continue;
      const before = scenario.show(scenario.base, f.previousPath ?? f.path);
      const after = scenario.show(scenario.head, f.path);
      // reconstructOldText does not model "\ No newline at end of file": compare without it.
      const trim = (text: string) => text.replace(/\n$/, '');
      expect(trim(reconstructOldText(after, f.patch)), f.path).toBe(trim(before));
    }
  });
});

describe('parseGitDiff on bad input', () => {
  it('returns nothing for an empty diff', () => {
    expect(parseGitDiff('')).toEqual([]);
  });

  it('names the line of text that is not a diff', () => {
    expect(() => parseGitDiff('hello\n')).toThrow(/diff line 1: expected "diff --git"/);
  });

  it('reads copies, mode-only changes and renames without edits', () => {
    const diff = [
      'diff --git a/src/a.ts b/src/copy.ts',
      'similarity index 100%',
      'copy from src/a.ts',
      'copy to src/copy.ts',
      'diff --git a/x y.sh b/x y.sh',
      'old mode 100644',
      'new mode 100755',
      'diff --git "a/\\303\\244.ts" "b/\\303\\266.ts"',
      'similarity index 100%',
      'rename from "\\303\\244.ts"',
      'rename to "\\303\\266.ts"',
    ].join('\n');
    expect(parseGitDiff(diff).map((f) => [f.path, f.previousPath, f.status])).toEqual([
      ['src/copy.ts', 'src/a.ts', 'copied'],
      ['x y.sh', null, 'changed'],
      ['ö.ts', 'ä.ts', 'renamed'],
    ]);
  });

  it('refuses a truncated hunk instead of numbering lines wrongly', () => {
    const diff = 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n';
    expect(() => parseGitDiff(diff)).toThrow(/truncated or corrupt/);
  });

  it('explains how to fix a diff made without a/ b/ prefixes', () => {
    const diff = 'diff --git x x\n--- x\n+++ x\n@@ -1 +1 @@\n-a\n+b\n';
    expect(() => parseGitDiff(diff)).toThrow(/--src-prefix=a\/ --dst-prefix=b\//);
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 400 })])(
    'never throws anything but DiffParseError',
    (text) => {
      try {
        parseGitDiff(text);
      } catch (error: unknown) {
        expect(error).toBeInstanceOf(DiffParseError);
      }
    },
  );

  const diffish = fc
    .array(
      fc.constantFrom(
        'diff --git a/x b/x',
        '--- a/x',
        '+++ b/x',
        '--- /dev/null',
        '@@ -1,2 +1,2 @@',
        '@@ -0,0 +1 @@',
        ' a',
        '-b',
        '+c',
        '\\ No newline at end of file',
        'rename from "\\303"',
        'Binary files a/x and b/x differ',
        'new file mode 100644',
        '',
      ),
      { maxLength: 30 },
    )
    .map((rows) => rows.join('\n'));
  test.prop([diffish])('never throws anything but DiffParseError on diff-like text', (text) => {
    try {
      parseGitDiff(text);
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(DiffParseError);
    }
  });
});

/** Git's quoting, written independently of the parser: octal for every byte git would escape. */
function quote(path: string): string {
  const bytes = Buffer.from(path, 'utf8');
  if (![...bytes].some((b) => b < 0x20 || b >= 0x7f || b === 0x22 || b === 0x5c)) return path;
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b < 0x20 || b >= 0x7f) out += '\\' + b.toString(8).padStart(3, '0');
    else out += String.fromCharCode(b);
  }
  return out + '"';
}

describe('round trips', () => {
  const segment = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
    .filter(
      (s) => !s.includes('/') && !s.includes('\n') && s.trim() === s && s !== '.' && s !== '..',
    );
  const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));

  test.prop([path])('unquotes what git quotes', (p) => {
    expect(unquoteGitPath(quote(p))).toBe(p);
  });

  test.prop([path])('unquotes what git quotes with core.quotePath=false (raw UTF-8)', (p) => {
    const raw = '"' + p.replace(/[\\"]/g, (c) => '\\' + c).replace(/\t/g, '\\t') + '"';
    expect(unquoteGitPath(raw)).toBe(p);
  });

  it('keeps astral characters whole inside quotes', () => {
    expect(unquoteGitPath('"😀\\"x"')).toBe('😀"x');
  });

  it('rejects a quoted path that is not UTF-8 or not closed', () => {
    expect(() => unquoteGitPath('"\\377"')).toThrow(GitPathError);
    expect(() => unquoteGitPath('"abc')).toThrow(/unterminated/);
  });

  const lines = fc.array(fc.constantFrom('a', 'b', 'c', '}', '  x();', 'é', 'x\r'), {
    maxLength: 30,
  });
  const change = fc.record({ path, before: lines, after: lines });
  test.prop([fc.uniqueArray(change, { selector: (c) => c.path, maxLength: 5 })])(
    'a multi-file diff parses back to its files, hunks that rebuild the old text',
    (changes) => {
      const text = changes
        .map(({ path: p, before, after }) => {
          const patch = githubPatch(lines2text(before), lines2text(after));
          const header = `diff --git ${quote('a/' + p)} ${quote('b/' + p)}\nindex 1..2 100644\n`;
          return patch === ''
            ? header.trimEnd()
            : `${header}--- ${quote('a/' + p)}\n+++ ${quote('b/' + p)}\n${patch}`;
        })
        .join('\n');
      const parsed = parseGitDiff(text);
      expect(parsed.map((f) => f.path)).toEqual(changes.map((c) => c.path));
      parsed.forEach((f, i) => {
        const { before, after } = changes[i]!;
        if (f.patch !== null)
          expect(reconstructOldText(lines2text(after), f.patch)).toBe(lines2text(before));
        for (const n of f.commentable.RIGHT) expect(n).toBeLessThanOrEqual(after.length);
        for (const n of f.commentable.LEFT) expect(n).toBeLessThanOrEqual(before.length);
      });
    },
  );
});

function lines2text(lines: string[]): string {
  return lines.map((l) => l + '\n').join('');
}

describe('the local diff ignores git config and environment that would move hunks', () => {
  it('reads the same hunks as a pristine git when diff.context, the algorithm, a textconv and more are set', async () => {
    const repo = new GitRepo();
    try {
      const lines = (n: number, change?: (i: number) => string | null) =>
        Array.from({ length: n }, (_, i) => change?.(i) ?? `export const v${i} = ${i};\n`).join('');
      repo
        .write('src/a.ts', lines(60))
        .write('notes.txt', 'alpha\nbeta\n\ngamma\n')
        .write('.gitattributes', '*.txt diff=shout\n');
      const base = repo.commit('base');
      repo
        .write(
          'src/a.ts',
          lines(60, (i) => (i === 10 || i === 20 ? `export const v${i} = 0;\n` : null)),
        )
        .write('notes.txt', 'alpha\nBETA\n\ngamma\n');
      const head = repo.commit('head');
      const range = `${base}...${head}`;
      const pristine = parseGitDiff(await readGitDiff(repo.dir, range));

      // Everything a user's git config (here the repository's own) can set to reshape a diff.
      for (const [key, value] of [
        ['diff.context', '10'],
        ['diff.interHunkContext', '20'],
        ['diff.algorithm', 'patience'],
        ['diff.indentHeuristic', 'false'],
        ['diff.suppressBlankEmpty', 'true'],
        ['diff.noprefix', 'true'],
        ['diff.mnemonicPrefix', 'true'],
        ['diff.relative', 'true'],
        ['diff.renames', 'copies'],
        ['diff.submodule', 'log'],
        ['diff.external', 'false'],
        ['diff.shout.textconv', 'tr a-z A-Z'],
        ['color.ui', 'always'],
        ['color.diff', 'always'],
        ['core.quotePath', 'false'],
      ] as const)
        repo.git('config', key, value);
      const saved = process.env['GIT_DIFF_OPTS'];
      process.env['GIT_DIFF_OPTS'] = '--unified=7';
      let configured: ReviewFile[];
      try {
        configured = parseGitDiff(await readGitDiff(repo.dir, range));
      } finally {
        if (saved === undefined) delete process.env['GIT_DIFF_OPTS'];
        else process.env['GIT_DIFF_OPTS'] = saved;
      }
      const shape = (files: ReviewFile[]) =>
        files.map((f) => ({
          path: f.path,
          hunks: f.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]),
          right: [...f.commentable.RIGHT],
          lines: f.hunks.flatMap((h) => h.lines.map((l) => `${l.kind}:${l.text}`)),
        }));
      expect(shape(configured)).toEqual(shape(pristine));
      // Three lines of context around each change, two hunks: what GitHub shows.
      expect(shape(pristine)[1]!.hunks).toEqual([
        [8, 7, 8, 7],
        [18, 7, 18, 7],
      ]);
      expect(shape(pristine)[0]!.lines).toContain('add:BETA');
    } finally {
      repo.dispose();
    }
  });
});
