import { afterEach, describe, expect, it } from 'vitest';
import { openGitRevisionReader } from '../../src/git/revision-reader.ts';
import { GitError, NotAGitRepositoryError } from '../../src/revision/errors.ts';
import { GitRepo } from '../support/git-repo.ts';

/** The git implementation of the revision-reader port, on real repositories. */

let repo: GitRepo | undefined;
afterEach(() => repo?.dispose());

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('openGitRevisionReader', () => {
  it('resolves refs, and names a ref that is not a commit with the option to correct', async () => {
    repo = new GitRepo();
    const first = repo.write('a.ts', 'export const a = 1;\n').commit('first');
    const reader = await openGitRevisionReader(repo.dir);
    expect(await reader.resolveCommit('main')).toBe(first);
    expect(reader.repository.head).toBe(first);
    const error = await reader.resolveCommit('no-such-branch', '--base').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).message).toMatch(/"no-such-branch" is not a commit in /);
    expect((error as GitError).hint).toMatch(/exists locally as --base \(git fetch it first\)/);
  });

  it('answers refs, symbolic refs and merge bases, null for what is absent', async () => {
    repo = new GitRepo();
    const base = repo.write('a.ts', 'export const a = 1;\n').commit('first');
    repo.git('checkout', '-q', '-b', 'feature');
    const feature = repo.write('b.ts', 'export const b = 2;\n').commit('feature');
    repo.git('checkout', '-q', 'main');
    repo.write('c.ts', 'export const c = 3;\n').commit('main moves on');
    repo.git('checkout', '-q', '--orphan', 'unrelated');
    const unrelated = repo.write('d.ts', 'export const d = 4;\n').commit('no shared history');
    const reader = await openGitRevisionReader(repo.dir);
    expect(await reader.fullRefName('feature')).toBe('refs/heads/feature');
    expect(await reader.fullRefName('@{upstream}')).toBeNull();
    expect(await reader.fullRefName('refs/remotes/origin/HEAD')).toBeNull();
    expect(await reader.symbolicRef('HEAD')).toBe('refs/heads/unrelated');
    expect(await reader.symbolicRef('refs/remotes/origin/HEAD')).toBeNull();
    expect(await reader.mergeBase('main', feature)).toBe(base);
    expect(await reader.mergeBase(feature, unrelated)).toBeNull();
  });

  it('lists changed paths with renames, trees with blob SHAs, and reads blobs in order', async () => {
    repo = new GitRepo();
    const body = Array.from({ length: 20 }, (_, i) => `export const v${i} = ${i};`).join('\n');
    const before = repo.write('src/old name.ts', `${body}\n`).write('keep.ts', 'k\n').commit('one');
    repo.move('src/old name.ts', 'src/new name.ts');
    const after = repo.write('added.ts', 'export {};\n').commit('two');
    const reader = await openGitRevisionReader(repo.dir);
    expect(await reader.changedPaths(before, after)).toEqual([
      { path: 'added.ts', oldPath: null },
      { path: 'src/new name.ts', oldPath: 'src/old name.ts' },
    ]);
    const tree = await reader.listTree(after);
    expect(tree.map((blob) => blob.path)).toEqual(['added.ts', 'keep.ts', 'src/new name.ts']);
    expect(tree.find((blob) => blob.path === 'keep.ts')).toMatchObject({ size: 2 });
    const blobs = await collect(reader.readBlobs([`${after}:keep.ts`, `${after}:added.ts`]));
    expect(blobs.map((blob) => blob.content.toString())).toEqual(['k\n', 'export {};\n']);
    expect(await reader.listFiles(after)).toEqual(
      new Set(['added.ts', 'keep.ts', 'src/new name.ts']),
    );
    expect(await reader.commitTime(after)).toBe(Date.parse('2024-01-01T14:00:00Z') / 1000);
  });

  it('names an object the repository lacks, or hands it to onMissing', async () => {
    repo = new GitRepo();
    repo.write('a.ts', 'a\n').commit('first');
    const reader = await openGitRevisionReader(repo.dir);
    const absent = '0123456789abcdef0123456789abcdef01234567';
    await expect(collect(reader.readBlobs([absent]))).rejects.toThrow(
      new RegExp(`found no object ${absent}`),
    );
    const missing: string[] = [];
    expect(await collect(reader.readBlobs([absent], undefined, (o) => missing.push(o)))).toEqual(
      [],
    );
    expect(missing).toEqual([absent]);
  });

  it('refuses a directory that is not a repository, with a hint', async () => {
    const error = await openGitRevisionReader('/nonexistent/steward').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAGitRepositoryError);
    expect((error as GitError).hint).toBeTruthy();
  });
});
