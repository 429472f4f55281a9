import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkoutProject, MAX_PROJECT_FILE_BYTES } from '../../src/git/checkout-project.ts';
import { disposables } from '../support/git-repo.ts';

const { repo } = disposables();

describe('checkoutProject', () => {
  it('lists the files of the commit, reads them from the working tree, and never follows a link', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'steward-outside-'));
    onTestFinished(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(join(outside, 'secret.txt'), 'GITHUB_TOKEN=ghs_secret');
    mkdirSync(join(outside, 'dir'));
    writeFileSync(join(outside, 'dir', 'a.ts'), 'export const leaked = 1;');
    const r = repo()
      .write('.gitignore', 'ignored.ts\n')
      .write('src/a.ts', 'export const a = 1;\n')
      .write('test/a.test.ts', "import { a } from '../src/a.ts';\n")
      .write('big.txt', 'x'.repeat(MAX_PROJECT_FILE_BYTES + 1))
      .write('blob.bin', 'a\0b');
    symlinkSync(join(outside, 'secret.txt'), join(r.dir, 'test/link.test.ts'));
    symlinkSync(join(outside, 'dir'), join(r.dir, 'linked'));
    r.commit('files');
    r.write('ignored.ts', 'no').write('untracked.ts', 'no');
    r.write('src/a.ts', 'export const a = 2;\n');

    const project = await checkoutProject(r.dir);
    expect(project.paths).toEqual([
      '.gitignore',
      'big.txt',
      'blob.bin',
      'linked',
      'src/a.ts',
      'test/a.test.ts',
      'test/link.test.ts',
    ]);
    expect(project.read('src/a.ts')).toBe('export const a = 2;\n');
    expect(project.read('test/link.test.ts')).toBeNull();
    expect(project.read('linked/a.ts')).toBeNull();
    expect(project.read('big.txt')).toBeNull();
    expect(project.read('blob.bin')).toBeNull();
    expect(project.read('../' + 'etc/passwd')).toBeNull();
    expect(project.read('/etc/passwd')).toBeNull();
    expect(project.read('missing.ts')).toBeNull();
  });
});
