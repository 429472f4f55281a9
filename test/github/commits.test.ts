import { describe, expect } from 'vitest';
import { MissingPermissionError } from '../../src/github/errors.ts';
import { gitHubTest } from '../support/github-world.ts';

const OWNER = 'acme';
const REPO = 'widgets';
const it = gitHubTest({ botLogin: 'steward[bot]' });

describe('GitHub client: branches, commits and opening pull requests', () => {
  it('creates a branch at a SHA once; a second time is `exists`, not an error', async ({
    github: { fake, client },
  }) => {
    const pr = fake.addPullRequest({ owner: OWNER, repo: REPO, number: 7 });
    expect(await client.createBranch('steward/tests/7', pr.headSha)).toBe('created');
    expect(fake.branch(OWNER, REPO, 'steward/tests/7')).toBe(pr.headSha);
    expect(await client.createBranch('steward/tests/7', pr.headSha)).toBe('exists');
  });

  it('reads a branch tip, and null for a branch that does not exist', async ({
    github: { fake, client },
  }) => {
    const pr = fake.addPullRequest({ owner: OWNER, repo: REPO, headRefName: 'feature/x' });
    expect(await client.getBranchTip('feature/x')).toMatchObject({ sha: pr.headSha, ours: false });
    expect(await client.getBranchTip('steward/tests/404')).toBeNull();
  });

  it('commits files on a branch, signed, authored by our account, on top of the expected head', async ({
    github: { fake, client },
  }) => {
    const pr = fake.addPullRequest({ owner: OWNER, repo: REPO, headRefName: 'feature/x' });
    const head = pr.headSha;
    fake.setFileContents(OWNER, REPO, head, { 'src/a.ts': 'export const a = 1;\n' });
    const outcome = await client.createCommitOnBranch({
      branch: 'feature/x',
      expectedHeadSha: head,
      headline: 'Tests for #1',
      body: 'body',
      files: [{ path: 'test/a.test.ts', text: "it('é', () => {});\n" }],
    });
    if (outcome.kind !== 'committed') throw new Error(outcome.message);
    expect(fake.branch(OWNER, REPO, 'feature/x')).toBe(outcome.sha);
    expect(fake.fileAt(OWNER, REPO, outcome.sha, 'test/a.test.ts')).toBe("it('é', () => {});\n");
    expect(fake.fileAt(OWNER, REPO, outcome.sha, 'src/a.ts')).toBe('export const a = 1;\n');
    expect(fake.pullRequest(OWNER, REPO, pr.number).headSha).toBe(outcome.sha);
    const tip = await client.getBranchTip('feature/x');
    expect(tip).toEqual({
      sha: outcome.sha,
      parents: [head],
      message: 'Tests for #1\n\nbody',
      ours: true,
      verified: true,
    });
  });

  it('answers head-moved, and commits nothing, when the branch moved since', async ({
    github: { fake, client },
  }) => {
    const pr = fake.addPullRequest({ owner: OWNER, repo: REPO, headRefName: 'feature/x' });
    const old = pr.headSha;
    const moved = pr.pushCommit();
    const outcome = await client.createCommitOnBranch({
      branch: 'feature/x',
      expectedHeadSha: old,
      headline: 'h',
      body: '',
      files: [{ path: 'test/a.test.ts', text: 'x' }],
    });
    expect(outcome).toEqual({
      kind: 'head-moved',
      message: `Expected branch to point to "${old}" but it did not. Pull and try again.`,
    });
    expect(fake.branch(OWNER, REPO, 'feature/x')).toBe(moved);
    expect(fake.branchCommits).toHaveLength(0);
  });

  it('names the permission when the token may not write contents', async ({
    github: { fake, client },
  }) => {
    const pr = fake.addPullRequest({ owner: OWNER, repo: REPO, headRefName: 'feature/x' });
    fake.denyPermission({ mutation: 'createCommitOnBranch', permission: 'contents=write' });
    fake.denyPermission({
      method: 'POST',
      pathPattern: /\/git\/refs$/,
      permission: 'contents=write',
    });
    const commit = client.createCommitOnBranch({
      branch: 'feature/x',
      expectedHeadSha: pr.headSha,
      headline: 'h',
      body: '',
      files: [],
    });
    await expect(commit).rejects.toBeInstanceOf(MissingPermissionError);
    await expect(client.createBranch('b', pr.headSha)).rejects.toThrow(/contents: write/);
  });

  it('resets a branch to another commit', async ({ github: { fake, client } }) => {
    const pr = fake.addPullRequest({ owner: OWNER, repo: REPO, headRefName: 'feature/x' });
    const first = pr.headSha;
    await client.createBranch('steward/tests/1', first);
    const second = pr.pushCommit();
    await client.resetBranch('steward/tests/1', second);
    expect(fake.branch(OWNER, REPO, 'steward/tests/1')).toBe(second);
  });

  it('opens a pull request once; GitHub’s 422 for the second is `exists`', async ({
    github: { fake, client },
  }) => {
    const pr = fake.addPullRequest({ owner: OWNER, repo: REPO, headRefName: 'feature/x' });
    await client.createBranch('steward/tests/1', pr.headSha);
    await client.createCommitOnBranch({
      branch: 'steward/tests/1',
      expectedHeadSha: pr.headSha,
      headline: 'h',
      body: '',
      files: [{ path: 'test/a.test.ts', text: 'x' }],
    });
    const input = { head: 'steward/tests/1', base: 'feature/x', title: 'Tests for #1', body: 'b' };
    const created = await client.createPullRequest(input);
    expect(created).toMatchObject({ kind: 'created', number: 2 });
    const again = await client.createPullRequest(input);
    expect(again.kind).toBe('exists');
    expect(again.kind === 'exists' && again.message).toMatch(/already exists/);

    const found = await client.findPullRequestsByHead('steward/tests/1');
    expect(found).toEqual([
      expect.objectContaining({
        number: 2,
        state: 'open',
        body: 'b',
        baseRefName: 'feature/x',
        ours: true,
      }),
    ]);
    await client.updatePullRequest({ number: 2, title: 'T', body: 'new' });
    expect(fake.pullRequests(OWNER, REPO)[1]).toMatchObject({ title: 'T', body: 'new' });
  });

  it('finds a pull request after GitHub opened it and still answered 502', async ({
    github: { fake, client },
  }) => {
    const pr = fake.addPullRequest({ owner: OWNER, repo: REPO, headRefName: 'feature/x' });
    await client.createBranch('steward/tests/1', pr.headSha);
    fake.pushCommit(OWNER, REPO, 1);
    await client.resetBranch('steward/tests/1', fake.pullRequest(OWNER, REPO, 1).headSha);
    fake.failAfterWriting({ method: 'POST', pathPattern: /\/pulls$/, status: 502 });
    const outcome = await client.createPullRequest({
      head: 'steward/tests/1',
      base: 'main',
      title: 't',
      body: 'b',
    });
    expect(outcome).toMatchObject({ kind: 'created', number: 2 });
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(2);
  });

  it('tells pull requests opened by others from ours', async ({ github: { fake, client } }) => {
    fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      headRefName: 'steward/tests/1',
      author: { login: 'mallory', type: 'User' },
      body: '<!-- steward:tests -->',
    });
    const found = await client.findPullRequestsByHead('steward/tests/1');
    expect(found).toEqual([expect.objectContaining({ ours: false })]);
  });
});

describe('GitHub client: a commit whose answer is lost', () => {
  it('says whether it committed is unknown, and a rerun finds the commit', async ({
    github: { fake, client },
  }) => {
    const pr = fake.addPullRequest({ owner: OWNER, repo: REPO, headRefName: 'feature/x' });
    const head = pr.headSha;
    fake.failAfterWriting({ method: 'POST', pathPattern: /^\/graphql$/, status: 502 });
    const commit = client.createCommitOnBranch({
      branch: 'feature/x',
      expectedHeadSha: head,
      headline: 'h',
      body: '',
      files: [{ path: 'test/a.test.ts', text: 'x' }],
    });
    await expect(commit).rejects.toThrow(/whether it committed is unknown/);
    // It went through once, and was not repeated blindly.
    expect(fake.branchCommits).toHaveLength(1);
    expect((await client.getBranchTip('feature/x'))?.parents).toEqual([head]);
  });
});
