import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  changesOf,
  checkoutView,
  plainRelativePath,
  writeTestFiles,
} from '../../src/cli/tests-checkout.ts';
import { fileDiff, unifiedDiff } from '../../src/cli/tests-diff.ts';
import { GitRepo } from '../support/git-repo.ts';

/** The patch `steward tests` prints and the guarded `--write`, on real repositories. */

let repo: GitRepo | undefined;
afterEach(() => repo?.dispose());

const TEST_FILE = `import { expect, test } from 'vitest';
import { add } from '../src/math.ts';

test('adds', () => {
  expect(add(2, 3)).toBe(5);
});
`;

function project(): GitRepo {
  repo = new GitRepo();
  repo
    .write('src/math.ts', 'export const add = (a: number, b: number) => a + b;\n')
    .write('test/math.test.ts', TEST_FILE)
    .commit('math');
  return repo;
}

describe('the patch', () => {
  it('is one git apply takes: a new file and a changed one, in path order', async () => {
    const r = project();
    const changed = TEST_FILE.replace(
      '  expect(add(2, 3)).toBe(5);\n});\n',
      "  expect(add(2, 3)).toBe(5);\n});\n\ntest('adds zero', () => {\n  expect(add(0, 7)).toBe(7);\n});\n",
    );
    const added = "import { test } from 'vitest';\n\ntest('x', () => {});";
    const files = [
      { path: 'test/math.test.ts', text: changed },
      { path: 'test/a b/new.test.ts', text: added },
    ];
    const patch = unifiedDiff(changesOf(r.dir, files));
    expect(patch.indexOf('"a/test/a b/new.test.ts"')).toBeLessThan(
      patch.indexOf('a/test/math.test.ts'),
    );
    expect(patch).toContain('new file mode 100644\n--- /dev/null\n+++ "b/test/a b/new.test.ts"');
    expect(patch).toContain('\\ No newline at end of file');
    writeFileSync(join(r.dir, 'change.patch'), patch);
    r.git('apply', '--check', 'change.patch');
    r.git('apply', 'change.patch');
    expect(readFileSync(join(r.dir, 'test/math.test.ts'), 'utf8')).toBe(changed);
    expect(readFileSync(join(r.dir, 'test/a b/new.test.ts'), 'utf8')).toBe(added);
  });

  it('is empty for a file the tests left as it was', () => {
    expect(fileDiff({ path: 'test/a.test.ts', before: 'x\n', after: 'x\n' })).toBe('');
    expect(fileDiff({ path: 'test/a.test.ts', before: null, after: '' })).toContain(
      'new file mode',
    );
  });
});

describe('plainRelativePath', () => {
  it.each([
    '../x.test.ts',
    '/etc/x.test.ts',
    'a/../../x.test.ts',
    'a//b.test.ts',
    'C:/x.test.ts',
    'a\\..\\b.test.ts',
    './a.test.ts',
    'a\0.test.ts',
    '',
  ])('refuses %j', (path) => expect(plainRelativePath(path)).toBe(false));
  it('takes a plain path', () => expect(plainRelativePath('test/a/b.test.ts')).toBe(true));
});

describe('--write', () => {
  async function viewOf(r: GitRepo) {
    const view = await checkoutView(r.dir);
    // What generation read: the test file it added to.
    view.read('test/math.test.ts');
    return view;
  }

  it('writes test files, new folders and all', async () => {
    const r = project();
    const view = await viewOf(r);
    const files = [
      { path: 'test/math.test.ts', text: `${TEST_FILE}\n// more\n` },
      { path: 'test/deep/er/new.test.ts', text: "import { test } from 'vitest';\n" },
    ];
    expect(await writeTestFiles(r.dir, view, files)).toEqual([]);
    expect(readFileSync(join(r.dir, 'test/math.test.ts'), 'utf8')).toBe(`${TEST_FILE}\n// more\n`);
    expect(readFileSync(join(r.dir, 'test/deep/er/new.test.ts'), 'utf8')).toContain('vitest');
  });

  it('writes nothing when one file is refused, and says why for each', async () => {
    const r = project();
    const view = await viewOf(r);
    const outside = mkdtempSync(join(tmpdir(), 'steward-outside-'));
    symlinkSync(outside, join(r.dir, 'test', 'linked'));
    const refusals = await writeTestFiles(r.dir, view, [
      { path: 'test/ok.test.ts', text: "import { test } from 'vitest';\n" },
      { path: '../escape.test.ts', text: 'x' },
      { path: 'src/math.ts', text: 'export const add = () => 0;\n' },
      { path: 'test/linked/x.test.ts', text: "import { test } from 'vitest';\n" },
    ]);
    expect(refusals.map((r) => r.path)).toEqual([
      '../escape.test.ts',
      'src/math.ts',
      'test/linked/x.test.ts',
    ]);
    expect(refusals[0]!.reason).toContain('outside');
    expect(refusals[1]!.reason).toContain('not a test file');
    expect(refusals[2]!.reason).toContain('symbolic link');
    expect(() => readFileSync(join(r.dir, 'test/ok.test.ts'))).toThrow();
    expect(() => readFileSync(join(outside, 'x.test.ts'))).toThrow();
    expect(readFileSync(join(r.dir, 'src/math.ts'), 'utf8')).toContain('a + b');
  });

  it('refuses a test file that changed or appeared after generation read the checkout', async () => {
    const r = project();
    const view = await viewOf(r);
    writeFileSync(join(r.dir, 'test/math.test.ts'), `${TEST_FILE}// edited meanwhile\n`);
    mkdirSync(join(r.dir, 'test/new'), { recursive: true });
    writeFileSync(join(r.dir, 'test/new/late.test.ts'), '// someone else’s\n');
    const refusals = await writeTestFiles(r.dir, view, [
      { path: 'test/math.test.ts', text: `${TEST_FILE}// generated\n` },
      { path: 'test/new/late.test.ts', text: "import { test } from 'vitest';\n" },
    ]);
    expect(refusals).toEqual([
      { path: 'test/math.test.ts', reason: expect.stringContaining('changed after') },
      { path: 'test/new/late.test.ts', reason: expect.stringContaining("not among HEAD's files") },
    ]);
    expect(readFileSync(join(r.dir, 'test/math.test.ts'), 'utf8')).toContain('edited meanwhile');
  });

  it('refuses a file of HEAD that was missing when generation read it and is back now', async () => {
    const r = project();
    rmSync(join(r.dir, 'test/math.test.ts'));
    const view = await viewOf(r);
    writeFileSync(join(r.dir, 'test/math.test.ts'), TEST_FILE);
    const refusals = await writeTestFiles(r.dir, view, [
      { path: 'test/math.test.ts', text: `${TEST_FILE}// generated\n` },
    ]);
    expect(refusals).toEqual([
      {
        path: 'test/math.test.ts',
        reason: 'it was created after the tests were generated; run again',
      },
    ]);
  });

  it('refuses to write through a link in place of the test file', async () => {
    const r = project();
    const view = await viewOf(r);
    const outside = join(mkdtempSync(join(tmpdir(), 'steward-outside-')), 'target.test.ts');
    writeFileSync(outside, 'theirs\n');
    symlinkSync(outside, join(r.dir, 'test', 'link.test.ts'));
    const refusals = await writeTestFiles(r.dir, view, [
      { path: 'test/link.test.ts', text: "import { test } from 'vitest';\n" },
    ]);
    expect(refusals[0]?.reason).toContain('not a regular file');
    expect(readFileSync(outside, 'utf8')).toBe('theirs\n');
  });
});

describe('the checkout view', () => {
  it('lists the files of HEAD, reads the working tree, never through a link, and keeps what it read', async () => {
    const r = project();
    r.write('.gitignore', 'dist\n').commit('ignore');
    r.write('dist/out.js', 'x').write('src/draft.ts', 'export const d = 1;\n');
    r.write('test/math.test.ts', `${TEST_FILE}// edited\n`);
    symlinkSync('/etc/hostname', join(r.dir, 'src', 'host.ts'));
    const view = await checkoutView(r.dir);
    expect(view.paths).toEqual(['.gitignore', 'src/math.ts', 'test/math.test.ts']);
    expect(view.read('test/math.test.ts')).toBe(`${TEST_FILE}// edited\n`);
    expect(view.read('src/host.ts')).toBeNull();
    expect(view.read('../etc/passwd')).toBeNull();
    expect([...view.seen]).toEqual([
      ['test/math.test.ts', `${TEST_FILE}// edited\n`],
      ['src/host.ts', null],
      ['../etc/passwd', null],
    ]);
  });
});
