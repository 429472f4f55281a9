import { describe, expect } from 'vitest';
import { MissingPermissionError } from '../../src/github/errors.ts';
import type { GitHubClient } from '../../src/github/client.ts';
import { checkArtifact, type CheckedRefactorArtifact } from '../../src/refactor/artifact.ts';
import {
  CLOSED_MARKER,
  deliverRefactor,
  refactorBranch,
  tendRefactorPullRequests,
  type RefactorDelivery,
} from '../../src/refactor/deliver.ts';
import { readRefactorMarker, refactorMarker, REFACTOR_LABEL } from '../../src/refactor/markdown.ts';
import { refactorPullRequests } from '../../src/refactor/pull-requests.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';
import { gitHubTest } from '../support/github-world.ts';
import {
  AFTER,
  BEFORE,
  FUNCTION,
  PATH,
  artifactJson,
  checkers,
  targetIn,
} from './deliver-fixtures.ts';

const OWNER = 'acme';
const REPO = 'widgets';
const BOT = { login: 'steward[bot]', type: 'Bot' } as const;
const it = gitHubTest({ botLogin: BOT.login });
const BRANCH = refactorBranch(PATH, FUNCTION);
const OPTIONS = { defaultBranch: 'main', maxOpen: 1 };

/** The default branch holding the smelly file; its tip is what the propose job proved on. */
function seed(fake: GitHubFake): string {
  fake.setFileContents(OWNER, REPO, 'main', { [PATH]: BEFORE });
  return fake.branch(OWNER, REPO, 'main')!;
}

function checked(baseSha: string): CheckedRefactorArtifact {
  const check = checkArtifact(artifactJson(baseSha), { checkers });
  if (!check.ok) throw new Error(check.problems.join('; '));
  return check;
}

function delivered(result: RefactorDelivery) {
  if (result.kind === 'not-delivered') throw new Error(result.reason);
  return result;
}

/** A commit on the default branch, as a person merging something else would make. */
async function moveMain(client: GitHubClient, fake: GitHubFake, files: Record<string, string>) {
  const made = await client.createCommitOnBranch({
    branch: 'main',
    expectedHeadSha: fake.branch(OWNER, REPO, 'main')!,
    headline: 'Something else',
    body: '',
    files: Object.entries(files).map(([path, text]) => ({ path, text })),
  });
  if (made.kind !== 'committed') throw new Error(made.message);
  return made.sha;
}

const fingerprint = targetIn().fingerprint;

describe('deliverRefactor', () => {
  it('opens one pull request with one signed commit on the base, labelled, with the table and the proof log', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    const result = delivered(await deliverRefactor(client, checked(base), OPTIONS));
    expect(result).toMatchObject({ kind: 'opened', branch: BRANCH });

    const [pr, ...more] = fake.pullRequests(OWNER, REPO);
    expect(more).toHaveLength(0);
    expect(pr).toMatchObject({
      number: result.number,
      title: 'Refactor classify in src/calc.ts: health 6.8 → 9.1',
      headRefName: BRANCH,
      baseRefName: 'main',
      author: BOT,
      headSha: result.commitSha,
    });
    expect(BRANCH).toBe('steward/refactor/src-calc-ts-classify');
    expect(readRefactorMarker(pr!.body)).toEqual({
      fingerprint,
      path: PATH,
      function: FUNCTION,
      stale: false,
    });
    expect(pr!.body).toContain('| Cognitive complexity | 27 | 3 |');
    expect(pr!.body).toContain('<details><summary>Proof log</summary>');
    expect(pr!.body).toContain('| tests | passed | 2 runs, 14 tests passed | 5.3 s |');
    expect(fake.labels(OWNER, REPO, result.number)).toEqual([REFACTOR_LABEL]);

    expect(fake.branchCommits).toHaveLength(1);
    const commit = fake.commit(OWNER, REPO, result.commitSha);
    expect(commit).toMatchObject({
      parents: [base],
      author: BOT,
      verification: { verified: true },
    });
    expect(commit!.message).toContain(`Steward-Refactor: ${fingerprint}`);
    expect(fake.fileAt(OWNER, REPO, BRANCH, PATH)).toBe(AFTER);
    expect(fake.fileAt(OWNER, REPO, 'main', PATH)).toBe(BEFORE);
  });

  it('changes nothing when run again: the same pull request, no second commit, no write', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    const first = delivered(await deliverRefactor(client, checked(base), OPTIONS));
    const writes = () => fake.requests.filter((r) => r.method !== 'GET' && !isRead(r)).length;
    const before = writes();
    const again = delivered(await deliverRefactor(client, checked(base), OPTIONS));
    expect(again).toEqual({ ...first, kind: 'existing' });
    expect(writes()).toBe(before);
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(1);
    expect(fake.branchCommits).toHaveLength(1);
  });

  it('labels again a pull request of its own whose label a person removed', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    const first = delivered(await deliverRefactor(client, checked(base), OPTIONS));
    fake.pullRequest(OWNER, REPO, first.number).update({ labels: [] });
    await deliverRefactor(client, checked(base), OPTIONS);
    expect(fake.labels(OWNER, REPO, first.number)).toEqual([REFACTOR_LABEL]);
  });

  it('respects max-open: another open refactoring pull request of its own is enough at 1', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      number: 3,
      author: BOT,
      headRefName: 'steward/refactor/src-other-ts-f',
      body: `${refactorMarker({ fingerprint: 'feedfacefeedface', path: 'src/other.ts', function: 'f' })}\nbody`,
      labels: [REFACTOR_LABEL],
    });
    const result = await deliverRefactor(client, checked(base), OPTIONS);
    expect(result).toEqual({
      kind: 'not-delivered',
      reason: expect.stringMatching(/1 refactoring pull request is open \(max-open 1\): #3/),
    });
    expect(fake.branch(OWNER, REPO, BRANCH)).toBeUndefined();
    delivered(await deliverRefactor(client, checked(base), { ...OPTIONS, maxOpen: 2 }));
  });

  it('refuses a function whose refactoring pull request was closed unmerged', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      author: BOT,
      state: 'CLOSED',
      headRefName: 'old-branch',
      body: `${refactorMarker({ fingerprint, path: PATH, function: FUNCTION })}\nbody`,
    });
    const result = await deliverRefactor(client, checked(base), OPTIONS);
    expect(result).toEqual({
      kind: 'not-delivered',
      reason: expect.stringMatching(/closed unmerged: Steward does not propose it again/),
    });
    expect(fake.branch(OWNER, REPO, BRANCH)).toBeUndefined();
  });

  it('delivers again a function whose pull request Steward itself closed as stale', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      author: BOT,
      state: 'CLOSED',
      headRefName: 'old-branch',
      body: `${refactorMarker({ fingerprint, path: PATH, function: FUNCTION, stale: true })}\nbody`,
    });
    delivered(await deliverRefactor(client, checked(base), OPTIONS));
  });

  it('refuses when the base moved since the proofs, or the file there is not `before`', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    await moveMain(client, fake, { 'README.md': 'news\n' });
    const moved = await deliverRefactor(client, checked(base), OPTIONS);
    expect(moved).toEqual({
      kind: 'not-delivered',
      reason: expect.stringMatching(/^the base moved/),
    });

    const now = await moveMain(client, fake, { [PATH]: `${BEFORE}// edited\n` });
    const other = await deliverRefactor(client, checked(now), OPTIONS);
    expect(other).toEqual({
      kind: 'not-delivered',
      reason: expect.stringMatching(/is not the text the refactoring was made from/),
    });
    expect(fake.branch(OWNER, REPO, BRANCH)).toBeUndefined();
  });

  it('refuses when an open pull request changes the file', async ({ github: { fake, client } }) => {
    const base = seed(fake);
    fake.addPullRequest({ owner: OWNER, repo: REPO, files: [{ path: PATH, additions: 1 }] });
    const result = await deliverRefactor(client, checked(base), OPTIONS);
    expect(result).toEqual({
      kind: 'not-delivered',
      reason: expect.stringMatching(/an open pull request changes src\/calc\.ts/),
    });
  });

  it('leaves no branch behind when GitHub refuses to open the pull request (403)', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    fake.denyPermission({
      method: 'POST',
      pathPattern: /\/pulls$/,
      permission: 'pull_requests=write',
    });
    await expect(deliverRefactor(client, checked(base), OPTIONS)).rejects.toBeInstanceOf(
      MissingPermissionError,
    );
    expect(fake.branchCommits).toHaveLength(1);
    expect(fake.branch(OWNER, REPO, BRANCH)).toBeUndefined();
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(0);
  });

  it('leaves no branch behind when GitHub keeps failing to open the pull request (500)', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    fake.failRequests({ method: 'POST', pathPattern: /\/pulls$/, status: 500 });
    await expect(deliverRefactor(client, checked(base), OPTIONS)).rejects.toThrow();
    expect(fake.branch(OWNER, REPO, BRANCH)).toBeUndefined();
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(0);
  }, 30_000);

  it('ignores pull requests with a forged marker that Steward did not open', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    const forged = `${refactorMarker({ fingerprint, path: PATH, function: FUNCTION })}\nbody`;
    const octocat = { login: 'octocat', type: 'User' } as const;
    fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      author: octocat,
      body: forged,
      labels: [REFACTOR_LABEL],
    });
    fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      author: octocat,
      body: forged,
      state: 'CLOSED',
    });
    const known = await refactorPullRequests(client);
    expect(known.open).toHaveLength(0);
    expect(known.rejected.size).toBe(0);
    const result = delivered(await deliverRefactor(client, checked(base), { ...OPTIONS, known }));
    expect(result.kind).toBe('opened');
    expect(await tendRefactorPullRequests(client, base)).toEqual([
      { number: result.number, action: 'current', reason: '' },
    ]);
    expect(fake.pullRequest(OWNER, REPO, 1).state).toBe('OPEN');
  });

  it('reuses its own commit left on the branch by a run that failed before opening, and resets any other', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    await client.createBranch(BRANCH, base);
    const left = await client.createCommitOnBranch({
      branch: BRANCH,
      expectedHeadSha: base,
      headline: 'Refactor classify',
      body: `Steward-Refactor: ${fingerprint}`,
      files: [{ path: PATH, text: AFTER }],
    });
    if (left.kind !== 'committed') throw new Error(left.message);
    const result = delivered(await deliverRefactor(client, checked(base), OPTIONS));
    expect(result.commitSha).toBe(left.sha);
    expect(fake.branchCommits).toHaveLength(1);
  });

  it('resets a leftover branch whose tip Steward did not make', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    fake.addPullRequest({ owner: OWNER, repo: REPO, headRefName: BRANCH, state: 'CLOSED' });
    const result = delivered(await deliverRefactor(client, checked(base), OPTIONS));
    expect(fake.commit(OWNER, REPO, result.commitSha)!.parents).toEqual([base]);
    expect(fake.fileAt(OWNER, REPO, BRANCH, PATH)).toBe(AFTER);
  });

  it('refuses when someone else has a pull request open from its branch', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    fake.addPullRequest({ owner: OWNER, repo: REPO, number: 4, headRefName: BRANCH });
    const result = await deliverRefactor(client, checked(base), OPTIONS);
    expect(result).toEqual({
      kind: 'not-delivered',
      reason: expect.stringMatching(/^#4 is open from/),
    });
  });
});

describe('tendRefactorPullRequests', () => {
  it('rebases when the base moved and the file is unchanged there: one commit on the new base', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    const pr = delivered(await deliverRefactor(client, checked(base), OPTIONS));
    const moved = await moveMain(client, fake, { 'README.md': 'news\n' });
    expect(await tendRefactorPullRequests(client, moved)).toEqual([
      { number: pr.number, action: 'rebased', reason: expect.stringContaining('unchanged') },
    ]);
    const tip = fake.branch(OWNER, REPO, BRANCH)!;
    expect(fake.commit(OWNER, REPO, tip)).toMatchObject({
      parents: [moved],
      author: BOT,
      verification: { verified: true },
    });
    expect(fake.fileAt(OWNER, REPO, tip, PATH)).toBe(AFTER);
    expect(fake.fileAt(OWNER, REPO, tip, 'README.md')).toBe('news\n');
    const view = fake.pullRequest(OWNER, REPO, pr.number);
    expect(view.state).toBe('OPEN');
    expect(view.headSha).toBe(tip);
    expect(fake.branch(OWNER, REPO, `${BRANCH}--rebase`)).toBeUndefined();
    // Tending again on the same tip changes nothing.
    expect(await tendRefactorPullRequests(client, moved)).toEqual([
      { number: pr.number, action: 'current', reason: '' },
    ]);
  });

  it('closes with a comment, and deletes the branch, when the file changed on the new base', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    const pr = delivered(await deliverRefactor(client, checked(base), OPTIONS));
    const moved = await moveMain(client, fake, { [PATH]: `${BEFORE}// more\n` });
    expect(await tendRefactorPullRequests(client, moved)).toEqual([
      {
        number: pr.number,
        action: 'closed',
        reason: expect.stringMatching(/src\/calc\.ts changed/),
      },
    ]);
    expect(fake.pullRequest(OWNER, REPO, pr.number).state).toBe('CLOSED');
    expect(fake.branch(OWNER, REPO, BRANCH)).toBeUndefined();
    const [comment, ...others] = fake.comments(OWNER, REPO, pr.number);
    expect(others).toHaveLength(0);
    expect(comment!.body.startsWith(`${CLOSED_MARKER}\n`)).toBe(true);
    expect(comment!.body).toContain('changed on the default branch');
    // Closed by Steward, not by a person: the function may be proposed again.
    expect((await refactorPullRequests(client)).rejected.has(fingerprint)).toBe(false);
  });

  it('leaves alone a branch holding a commit a person pushed', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    const pr = delivered(await deliverRefactor(client, checked(base), OPTIONS));
    fake
      .pullRequest(OWNER, REPO, pr.number)
      .pushCommit({ author: { login: 'octocat', type: 'User' } });
    const moved = await moveMain(client, fake, { [PATH]: `${BEFORE}// more\n` });
    expect(await tendRefactorPullRequests(client, moved)).toEqual([
      {
        number: pr.number,
        action: 'left',
        reason: expect.stringMatching(/commits Steward did not make/),
      },
    ]);
    expect(fake.pullRequest(OWNER, REPO, pr.number).state).toBe('OPEN');
  });
});

/** GraphQL reads go out as POST too. */
function isRead(request: { method: string; path: string; body: unknown }): boolean {
  return request.path === '/graphql' && !/mutation/.test(JSON.stringify(request.body));
}
