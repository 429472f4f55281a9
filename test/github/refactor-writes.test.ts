import { describe, expect } from 'vitest';
import { MissingPermissionError } from '../../src/github/errors.ts';
import { gitHubTest } from '../support/github-world.ts';

const OWNER = 'acme';
const REPO = 'widgets';
const BOT = { login: 'steward[bot]', type: 'Bot' } as const;
const it = gitHubTest({ botLogin: BOT.login });

describe('GitHub client: listing, closing pull requests and deleting branches', () => {
  it('lists open or closed pull requests with labels, merged, head and who opened them', async ({
    github: { fake, client },
  }) => {
    fake.addPullRequest({ owner: OWNER, repo: REPO, number: 1, labels: ['x'], author: BOT });
    fake.addPullRequest({ owner: OWNER, repo: REPO, number: 2, state: 'MERGED' });
    fake.addPullRequest({ owner: OWNER, repo: REPO, number: 3, state: 'CLOSED', body: 'b' });
    fake.addPullRequest({ owner: OWNER, repo: REPO, number: 4, isCrossRepository: true });

    const open = await client.listPullRequests('open');
    expect(open.map((pr) => pr.number)).toEqual([4, 1]);
    expect(open[1]).toMatchObject({
      number: 1,
      state: 'open',
      merged: false,
      labels: ['x'],
      ours: true,
      headRefName: 'feature-1',
      baseRefName: 'main',
      headSha: fake.pullRequest(OWNER, REPO, 1).headSha,
      isCrossRepository: false,
    });
    expect(open[0]).toMatchObject({ ours: false });

    const closed = await client.listPullRequests('closed');
    expect(closed.map((pr) => [pr.number, pr.merged, pr.body])).toEqual([
      [3, false, 'b'],
      [2, true, ''],
    ]);
  });

  it('reads no more than maxPages pages of 100', async ({ github: { fake, client } }) => {
    for (let n = 1; n <= 150; n++) fake.addPullRequest({ owner: OWNER, repo: REPO, number: n });
    expect(await client.listPullRequests('open', { maxPages: 1 })).toHaveLength(100);
    expect(await client.listPullRequests('open')).toHaveLength(150);
  });

  it('closes a pull request unmerged, and closing it again changes nothing', async ({
    github: { fake, client },
  }) => {
    const pr = fake.addPullRequest({ owner: OWNER, repo: REPO, number: 5 });
    await client.closePullRequest(5);
    expect(pr.state).toBe('CLOSED');
    await client.closePullRequest(5);
    expect(pr.state).toBe('CLOSED');
    expect((await client.listPullRequests('closed'))[0]).toMatchObject({ merged: false });
  });

  it('names the permission when the token may not close pull requests', async ({
    github: { fake, client },
  }) => {
    fake.addPullRequest({ owner: OWNER, repo: REPO, number: 5 });
    fake.denyPermission({
      method: 'PATCH',
      pathPattern: /\/pulls\/5$/,
      permission: 'pull_requests=write',
    });
    await expect(client.closePullRequest(5)).rejects.toBeInstanceOf(MissingPermissionError);
  });

  it("deletes Steward's branch once; a second time it is `missing`", async ({
    github: { fake, client },
  }) => {
    const main = fake.branch(OWNER, REPO, 'main')!;
    expect(await client.createBranch('steward/refactor/a-b', main)).toBe('created');
    expect(await client.deleteBranch('steward/refactor/a-b')).toBe('deleted');
    expect(fake.branch(OWNER, REPO, 'steward/refactor/a-b')).toBeUndefined();
    expect(await client.deleteBranch('steward/refactor/a-b')).toBe('missing');
  });

  it('refuses to delete any branch that is not Steward’s, without asking GitHub', async ({
    github: { fake, client },
  }) => {
    for (const branch of ['main', 'feature/steward/x', 'steward', 'steward/../main']) {
      await expect(client.deleteBranch(branch)).rejects.toThrow(/only its own branches/);
    }
    expect(fake.branch(OWNER, REPO, 'main')).toBeDefined();
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
  });

  it('deleting the head branch of an open pull request closes it, as GitHub does', async ({
    github: { fake, client },
  }) => {
    const pr = fake.addPullRequest({ owner: OWNER, repo: REPO, headRefName: 'steward/x' });
    await client.deleteBranch('steward/x');
    expect(pr.state).toBe('CLOSED');
  });
});
