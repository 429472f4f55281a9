import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BareRepositoryError,
  EmptyRepositoryError,
  MissingObjectError,
  NotAGitRepositoryError,
  PartialCloneError,
} from '../../../src/revision/errors.ts';
import { computeCoupling } from '../../../src/hotspots/history/coupling.ts';
import { mineHistory as mineHistoryOf } from '../../../src/hotspots/history/mine.ts';
import { disposables, GitRepo } from '../../support/git-repo.ts';
import { openGitRevisionReader } from '../../../src/git/revision-reader.ts';

/** mineHistory on a repository named by its directory. */
const mineHistory = async (dir: string, options: Parameters<typeof mineHistoryOf>[1]) =>
  mineHistoryOf(await openGitRevisionReader(dir), options);

const { repo, defer } = disposables();

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-history-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const allTime = { since: null };

describe('mineHistory: per-file history', () => {
  it('counts revisions, added and deleted lines, distinct authors (after .mailmap) and dates', async () => {
    const r = repo();
    r.lines('src/a.ts', 10).lines('src/b.ts', 5);
    r.write('.mailmap', 'Alice <alice@example.com> Alice Old <old@example.com>\n');
    r.commit('one', { author: 'Alice', date: '2024-02-01T10:00:00Z' });
    r.lines('src/a.ts', 12);
    r.commit('two', { author: 'Bob', date: '2024-02-03T10:00:00Z' });
    r.lines('src/a.ts', 8);
    r.commit('three', {
      author: 'Alice Old',
      email: 'old@example.com',
      date: '2024-02-05T10:00:00Z',
    });

    const history = await mineHistory(r.dir, allTime);
    expect(history.commits).toBe(3);
    expect(history.head).toBe(r.git('rev-parse', 'HEAD').trim());
    expect(history.since).toBeNull();
    expect(history.warnings).toEqual([]);
    expect(history.files.get('src/a.ts')).toEqual({
      path: 'src/a.ts',
      revisions: 3,
      added: 12,
      deleted: 4,
      authors: 2,
      firstChange: '2024-02-01T10:00:00.000Z',
      lastChange: '2024-02-05T10:00:00.000Z',
    });
    expect(history.files.get('src/b.ts')).toMatchObject({ revisions: 1, added: 5, deleted: 0 });
    expect(history.changesets).toEqual([
      ['src/a.ts'],
      ['src/a.ts'],
      ['.mailmap', 'src/a.ts', 'src/b.ts'],
    ]);
  });

  it('counts a binary file’s revisions with no lines', async () => {
    const r = repo();
    r.write('logo.png', '\x89PNG\0\0\x01');
    r.commit('one');
    r.write('logo.png', '\x89PNG\0\0\x02');
    r.commit('two');
    const history = await mineHistory(r.dir, allTime);
    expect(history.files.get('logo.png')).toMatchObject({ revisions: 2, added: 0, deleted: 0 });
  });

  it('keeps a renamed file’s history under its new name, with and without edits, through a chain', async () => {
    const r = repo();
    r.lines('a.ts', 20).lines('keep.ts', 3);
    r.commit('create a');
    r.move('a.ts', 'b.ts');
    r.commit('pure rename a → b');
    r.move('b.ts', 'lib/c.ts');
    r.lines('lib/c.ts', 22);
    r.commit('rename b → lib/c with two more lines');
    r.lines('lib/c.ts', 21);
    r.commit('edit c');

    const history = await mineHistory(r.dir, allTime);
    expect(history.files.get('lib/c.ts')).toMatchObject({ revisions: 4, added: 22, deleted: 1 });
    expect(history.files.has('a.ts')).toBe(false);
    expect(history.files.has('b.ts')).toBe(false);
    // The first commit's changeset names the file as it is called at HEAD.
    expect(history.changesets.at(-1)).toEqual(['lib/c.ts', 'keep.ts']);
  });

  it('gives a name reused after a rename only the new file’s history', async () => {
    const r = repo();
    r.lines('a.ts', 10);
    r.commit('old a');
    r.lines('a.ts', 11);
    r.commit('edit old a');
    r.move('a.ts', 'moved.ts');
    r.commit('a → moved');
    r.lines('a.ts', 4, 'fresh');
    r.commit('new a');

    const history = await mineHistory(r.dir, allTime);
    expect(history.files.get('a.ts')).toMatchObject({ revisions: 1, added: 4 });
    expect(history.files.get('moved.ts')).toMatchObject({ revisions: 3, added: 11 });
  });

  it('does not take a copy for a rename, nor skip the first commit, whatever git config says', async () => {
    const r = repo();
    r.git('config', 'diff.renames', 'copies');
    r.git('config', 'log.showRoot', 'false');
    r.lines('a.ts', 50);
    r.commit('one');
    r.lines('b.ts', 50).lines('a.ts', 51);
    r.commit('copy a to b, edit a');
    const history = await mineHistory(r.dir, allTime);
    expect(history.files.get('a.ts')).toMatchObject({ revisions: 2, added: 51 });
    expect(history.files.get('b.ts')).toMatchObject({ revisions: 1, added: 50 });
  });

  it('leaves out files absent at HEAD, including history under the name of a deleted rename target', async () => {
    const r = repo();
    r.lines('gone.ts', 3).lines('stays.ts', 3).lines('old.ts', 30);
    r.commit('one');
    r.move('old.ts', 'renamed-then-deleted.ts');
    r.commit('rename');
    r.remove('gone.ts').remove('renamed-then-deleted.ts');
    r.commit('delete both');

    const history = await mineHistory(r.dir, allTime);
    expect([...history.files.keys()]).toEqual(['stays.ts']);
    expect(history.commits).toBe(3);
  });

  it('does not count a merge commit (branch merged with --no-ff) or the changes it brings twice', async () => {
    const r = repo();
    r.lines('x.ts', 3).lines('y.ts', 3);
    r.commit('base');
    r.git('checkout', '-q', '-b', 'feature');
    r.lines('x.ts', 4);
    r.commit('feature edits x', { author: 'Bob' });
    r.git('checkout', '-q', 'main');
    r.lines('y.ts', 5);
    r.commit('main edits y');
    r.git('merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature');
    expect(r.git('rev-list', '--count', '--merges', 'HEAD').trim()).toBe('1');

    const history = await mineHistory(r.dir, allTime);
    expect(history.commits).toBe(3);
    expect(history.files.get('x.ts')).toMatchObject({ revisions: 2, added: 4, authors: 2 });
    expect(history.files.get('y.ts')).toMatchObject({ revisions: 2, added: 5, authors: 1 });
    expect(history.changesets).toHaveLength(3);
  });

  it('handles paths with spaces, non-ASCII letters, tabs and newlines', async () => {
    const r = repo();
    const unicode = 'docs/ünïcode file.ts';
    const odd = 'weird\tname\nwith newline.ts';
    r.lines(unicode, 2).lines(odd, 2).lines('日本/旧 name.ts', 40);
    r.commit('one');
    r.lines(unicode, 3).lines(odd, 1);
    r.move('日本/旧 name.ts', '日本/新 name ✓.ts');
    r.commit('two');

    const history = await mineHistory(r.dir, allTime);
    expect(history.files.get(unicode)).toMatchObject({ revisions: 2, added: 3, deleted: 0 });
    expect(history.files.get(odd)).toMatchObject({ revisions: 2, added: 2, deleted: 1 });
    expect(history.files.get('日本/新 name ✓.ts')).toMatchObject({ revisions: 2, added: 40 });
    expect(history.files.size).toBe(3);
  });

  it('reads only commits since the window start (by commit date)', async () => {
    const r = repo();
    r.lines('a.ts', 1);
    r.commit('2020', { date: '2020-03-01T00:00:00Z' });
    r.lines('a.ts', 2).lines('b.ts', 1);
    r.commit('2021', { date: '2021-03-01T00:00:00Z' });
    r.lines('a.ts', 3);
    r.commit('2022', { date: '2022-03-01T00:00:00Z' });

    const since = new Date('2021-01-01T00:00:00Z');
    const history = await mineHistory(r.dir, { since });
    expect(history.since).toBe('2021-01-01T00:00:00.000Z');
    expect(history.commits).toBe(2);
    expect(history.files.get('a.ts')).toMatchObject({
      revisions: 2,
      added: 2,
      firstChange: '2021-03-01T00:00:00.000Z',
    });
  });

  it('mines the whole repository from a subdirectory, with paths relative to the top level', async () => {
    const r = repo();
    r.lines('pkg/src/a.ts', 1).lines('other/b.ts', 1);
    r.commit('one');
    const history = await mineHistory(join(r.dir, 'pkg'), allTime);
    expect(history.root).toBe(r.git('rev-parse', '--show-toplevel').trim());
    expect([...history.files.keys()].sort()).toEqual(['other/b.ts', 'pkg/src/a.ts']);
  });

  it('reports progress at the end with the number of commits read', async () => {
    const r = repo();
    for (let i = 1; i <= 3; i++) r.lines('a.ts', i).commit(`c${i}`);
    const calls: number[] = [];
    await mineHistory(r.dir, { since: null, onProgress: (n) => calls.push(n) });
    expect(calls).toEqual([3]);
  });

  it('rejects with the abort reason when the signal is aborted', async () => {
    const r = repo();
    r.lines('a.ts', 1).commit('one');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(mineHistory(r.dir, { since: null, signal: controller.signal })).rejects.toThrow(
      'stop',
    );
  });
});

describe('mineHistory: changesets and coupling', () => {
  it('leaves a commit over the changeset limit out of coupling but counts its revisions', async () => {
    const r = repo();
    r.lines('a.ts', 1).lines('b.ts', 1);
    r.commit('two files');
    for (const f of ['a.ts', 'b.ts', 'c.ts', 'd.ts']) r.lines(f, 2);
    r.commit('four files');

    const history = await mineHistory(r.dir, { since: null, maxChangesetSize: 3 });
    expect(history.files.get('a.ts')?.revisions).toBe(2);
    expect(history.files.get('c.ts')?.revisions).toBe(1);
    expect(history.changesets).toEqual([['a.ts', 'b.ts']]);
  });

  it('computes code-maat’s degree on a known history', async () => {
    const r = repo();
    // 1 commit creating a, b, c; 6 commits changing a and b; 2 changing a alone; 1 changing a and
    // c; 1 big commit (a, b and 3 more: over the limit of 4).
    r.lines('a.ts', 1).lines('b.ts', 1).lines('c.ts', 1);
    r.commit('create');
    for (let i = 2; i <= 7; i++) r.lines('a.ts', i).lines('b.ts', i).commit(`a+b ${i}`);
    for (let i = 8; i <= 9; i++) r.lines('a.ts', i).commit(`a ${i}`);
    r.lines('a.ts', 10).lines('c.ts', 2).commit('a+c');
    for (const f of ['a.ts', 'b.ts', 'x.ts', 'y.ts', 'z.ts']) r.lines(f, 20);
    r.commit('big');

    const history = await mineHistory(r.dir, { since: null, maxChangesetSize: 4 });
    expect(history.files.get('a.ts')?.revisions).toBe(11);
    // In changesets: a 10, b 7, shared 7 → 7 / 8.5; a–c shares 2 < minShared.
    expect(computeCoupling(history)).toEqual([
      { a: 'a.ts', b: 'b.ts', shared: 7, degree: 7 / 8.5 },
    ]);
    expect(computeCoupling(history, { minShared: 2, minRevisions: 1 })).toEqual([
      { a: 'a.ts', b: 'b.ts', shared: 7, degree: 7 / 8.5 },
      { a: 'a.ts', b: 'c.ts', shared: 2, degree: 2 / 6 },
    ]);
  });
});

describe('mineHistory: repositories it cannot read', () => {
  it('names a directory that is not a repository, or does not exist', async () => {
    const dir = tempDir();
    await expect(mineHistory(dir, allTime)).rejects.toThrow(NotAGitRepositoryError);
    await expect(mineHistory(dir, allTime)).rejects.toMatchObject({
      message: `${dir} is not inside a git repository.`,
      hint: expect.stringMatching(/git clone/),
    });
    await expect(mineHistory(join(dir, 'missing'), allTime)).rejects.toThrow(/does not exist/);
  });

  it('names an empty repository', async () => {
    const r = repo();
    await expect(mineHistory(r.dir, allTime)).rejects.toThrow(EmptyRepositoryError);
    await expect(mineHistory(r.dir, allTime)).rejects.toThrow(/has no commits yet/);
  });

  it('names a bare repository and a .git directory', async () => {
    const bare = new GitRepo(undefined, { bare: true });
    defer(() => bare.dispose());
    await expect(mineHistory(bare.dir, allTime)).rejects.toThrow(BareRepositoryError);
    await expect(mineHistory(bare.dir, allTime)).rejects.toMatchObject({
      hint: expect.stringMatching(/git clone/),
    });
    const r = repo();
    r.lines('a.ts', 1).commit('one');
    await expect(mineHistory(join(r.dir, '.git'), allTime)).rejects.toThrow(
      /inside a .git directory/,
    );
  });

  it('warns about a shallow clone whose history stops inside the window, and skips the cut-off commit', async () => {
    const r = repo();
    r.lines('a.ts', 10).lines('b.ts', 10);
    r.commit('one', { date: '2024-03-01T00:00:00Z' });
    r.lines('a.ts', 11);
    r.commit('two', { date: '2024-03-02T00:00:00Z' });
    r.lines('a.ts', 12);
    r.commit('three', { date: '2024-03-03T00:00:00Z' });
    r.lines('b.ts', 12);
    r.commit('four', { date: '2024-03-04T00:00:00Z' });
    const clone = join(tempDir(), 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '2', `file://${r.dir}`, clone]);

    const history = await mineHistory(clone, allTime);
    expect(history.commits).toBe(1);
    expect(history.files.get('b.ts')).toMatchObject({ revisions: 1, added: 2 });
    expect(history.files.has('a.ts')).toBe(false);
    expect(history.warnings).toEqual([
      {
        kind: 'shallow-clone',
        message: expect.stringMatching(/is a shallow clone: its history stops at 2024-03-03/),
        hint: expect.stringMatching(/fetch-depth: 0.*git fetch --unshallow/),
      },
    ]);

    const recent = await mineHistory(clone, { since: new Date('2024-03-03T12:00:00Z') });
    expect(recent.warnings).toEqual([]);
    expect(recent.commits).toBe(1);
  });

  it('names a partial clone, which lacks the file contents numstat needs', async () => {
    const r = repo();
    r.lines('a.ts', 1).commit('one');
    r.git('config', 'uploadpack.allowFilter', 'true');
    const clone = join(tempDir(), 'partial');
    mkdirSync(clone);
    execFileSync('git', ['clone', '-q', '--filter=blob:none', `file://${r.dir}`, clone]);
    await expect(mineHistory(clone, allTime)).rejects.toThrow(PartialCloneError);
    await expect(mineHistory(clone, allTime)).rejects.toMatchObject({
      message: expect.stringMatching(/is a partial clone \(remote\.origin\.promisor = true\)/),
      hint: expect.stringMatching(/without `--filter`/),
    });
  });
});

describe('mineHistory: a repository that lacks objects', () => {
  it('names the missing object and says what to do, instead of git’s bare exit status', async () => {
    const r = repo();
    r.write('a.ts', 'export const a = 1;\n').commit('one');
    r.write('a.ts', 'export const a = 2;\n').commit('two');
    r.write('b.ts', 'export const b = 1;\n').commit('three');
    const blob = r.git('rev-parse', 'HEAD~2:a.ts').trim();
    rmSync(join(r.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const mining = mineHistory(r.dir, allTime);
    await expect(mining).rejects.toBeInstanceOf(MissingObjectError);
    await expect(mining).rejects.toMatchObject({
      object: blob,
      message: expect.stringContaining(`lacks git object ${blob}`),
      hint: expect.stringContaining('git fsck'),
    });
  });
});
