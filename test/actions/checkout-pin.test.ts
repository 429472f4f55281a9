import { describe, expect, it } from 'vitest';
import { mergedBase, pinCheckout } from '../../actions/shared/checkout.ts';
import { openGitRevisionReader } from '../../src/git/revision-reader.ts';
import { GitRepo } from '../support/git-repo.ts';

/** A pull request's head on a branch from main, and main moved on with `mainChange`. */
function pullRequest(mainChange: { path: string; text: string }) {
  const repo = new GitRepo();
  repo.write('src/a.ts', 'export const a = 1;\n').write('README.md', '# r\n');
  const base = repo.commit('base');
  repo.git('switch', '-q', '-c', 'feature');
  repo.write('src/a.ts', 'export const a = 2;\n');
  const head = repo.commit('change a');
  repo.git('switch', '-q', '--detach', base);
  repo.write(mainChange.path, mainChange.text);
  repo.commit('main moves on');
  // refs/pull/N/merge, as actions/checkout checks it out on pull_request.
  repo.git('merge', '-q', '--no-ff', '-m', 'Merge head', head);
  return { repo, head };
}

describe('pinCheckout: which commit a run on a checkout is pinned to', () => {
  it('the head when the checkout is the head', async () => {
    const { repo, head } = pullRequest({ path: 'README.md', text: '# moved\n' });
    repo.git('switch', '-q', '--detach', head);
    const reader = await openGitRevisionReader(repo.dir);
    expect(await pinCheckout(reader, head, ['src/a.ts'], false)).toEqual({
      kind: 'head',
      sha: head,
    });
  });

  it('the head when the checkout is the merge commit and the paths are the same in both', async () => {
    const { repo, head } = pullRequest({ path: 'README.md', text: '# moved\n' });
    const reader = await openGitRevisionReader(repo.dir);
    const merge = reader.repository.head;
    expect(await mergedBase(reader, merge, head)).not.toBeNull();
    expect(await pinCheckout(reader, head, ['src/a.ts', 'src/a.ts'], true)).toEqual({
      kind: 'merge-same',
      sha: head,
      checkedOut: merge,
      head,
    });
  });

  it('the merge commit when the base also changed one of the paths', async () => {
    const { repo, head } = pullRequest({ path: 'src/b.ts', text: 'export const b = 1;\n' });
    const reader = await openGitRevisionReader(repo.dir);
    const merge = reader.repository.head;
    // src/b.ts came from the base: the merge commit differs from the head there.
    expect(await pinCheckout(reader, head, ['src/a.ts', 'src/b.ts'], true)).toEqual({
      kind: 'merge-differs',
      sha: merge,
      checkedOut: merge,
      head,
    });
    expect((await pinCheckout(reader, head, ['src/a.ts'], true)).kind).toBe('merge-same');
  });

  it('the checkout when the head moved on since, whatever the paths', async () => {
    const { repo } = pullRequest({ path: 'README.md', text: '# moved\n' });
    const reader = await openGitRevisionReader(repo.dir);
    const checkedOut = reader.repository.head;
    const moved = 'f'.repeat(40);
    expect(await pinCheckout(reader, moved, [], false)).toEqual({
      kind: 'moved',
      sha: checkedOut,
      checkedOut,
      head: moved,
    });
  });
});
