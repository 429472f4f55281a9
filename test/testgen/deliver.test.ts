import { describe, expect } from 'vitest';
import {
  deliverArtifact,
  deliverTests,
  testsBranch,
  type DeliveryTarget,
} from '../../src/testgen/deliver.ts';
import { readTestsMarker } from '../../src/testgen/markdown.ts';
import {
  checkPatch,
  createTestPatch,
  serializeTestPatch,
  type CheckedTestPatch,
} from '../../src/testgen/patch.ts';
import type { GitHubFake, PullRequestHandle } from '../support/github-fake/index.ts';
import { gitHubTest } from '../support/github-world.ts';

const OWNER = 'acme';
const REPO = 'widgets';
const it = gitHubTest({ botLogin: 'steward[bot]' });

const TEST_FILE = {
  path: 'test/args.test.ts',
  text: "import { it } from 'vitest';\nit('parses', () => {});\n",
};

/** The patch job 1 would upload for the pull request's head now, as job 2's check accepts it. */
function patchFor(pr: PullRequestHandle, files = [TEST_FILE], candidates = 6): CheckedTestPatch {
  const artifact = createTestPatch({
    repository: `${OWNER}/${REPO}`,
    pullRequest: pr.number,
    headSha: pr.headSha,
    files,
    report: {
      funnel: {
        candidates,
        typeChecks: 5,
        passes: 4,
        stable: 3,
        addsValue: 1,
        kept: 1,
        possibleBugs: 1,
      },
      kept: [
        {
          name: 'parses',
          target: 'parseArgs',
          sourcePath: 'src/args.ts',
          testPath: 'test/args.test.ts',
          kills: [
            {
              id: '3',
              mutator: 'EqualityOperator',
              line: 4,
              original: 'a < b',
              replacement: 'a <= b',
            },
          ],
          covers: [],
        },
      ],
      possibleBugs: [
        {
          name: 'rejects -1',
          target: 'parseArgs',
          sourcePath: 'src/args.ts',
          assertion: 'expected 1 to be 2',
        },
      ],
    },
  });
  const check = checkPatch(artifact, {
    testFile: (path) => path.startsWith('test/'),
    expected: { repository: `${OWNER}/${REPO}`, pullRequest: pr.number, headSha: pr.headSha },
  });
  if (check.kind !== 'ok') throw new Error(JSON.stringify(check));
  return check.patch;
}

function target(pr: PullRequestHandle, fake: GitHubFake): DeliveryTarget {
  const view = fake.pullRequests(OWNER, REPO).find((p) => p.number === pr.number)!;
  return {
    number: pr.number,
    headSha: pr.headSha,
    headRefName: view.headRefName,
    isCrossRepository: false,
  };
}

function seed(fake: GitHubFake): PullRequestHandle {
  const pr = fake.addPullRequest({
    owner: OWNER,
    repo: REPO,
    number: 7,
    headRefName: 'feature/args',
  });
  fake.setFileContents(OWNER, REPO, pr.headSha, { 'src/args.ts': 'export const a = 1;\n' });
  return pr;
}

describe('deliverTests: pull-request', () => {
  it('commits the tests on steward/tests/N from the head and opens "Tests for #N" into the head branch', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const head = pr.headSha;
    const outcome = await deliverTests(client, {
      target: target(pr, fake),
      mode: 'pull-request',
      patch: patchFor(pr),
    });
    expect(outcome).toMatchObject({
      kind: 'pull-request',
      action: 'created',
      committed: true,
      number: 8,
    });

    const tip = fake.branch(OWNER, REPO, testsBranch(7))!;
    expect(fake.commit(OWNER, REPO, tip)).toMatchObject({
      parents: [head],
      author: { login: 'steward[bot]' },
      verification: { verified: true },
    });
    expect(fake.commit(OWNER, REPO, tip)!.message).toMatch(
      /^Tests for #7: 1 test killing 1 mutant\n/,
    );
    expect(fake.branchCommits).toEqual([
      expect.objectContaining({
        branch: 'steward/tests/7',
        expectedHeadOid: head,
        files: ['test/args.test.ts'],
      }),
    ]);
    expect(fake.fileAt(OWNER, REPO, tip, 'test/args.test.ts')).toBe(TEST_FILE.text);
    expect(fake.fileAt(OWNER, REPO, tip, 'src/args.ts')).toBe('export const a = 1;\n');

    const opened = fake.pullRequests(OWNER, REPO).find((p) => p.number === 8)!;
    expect(opened).toMatchObject({
      title: 'Tests for #7',
      headRefName: 'steward/tests/7',
      baseRefName: 'feature/args',
      author: { login: 'steward[bot]' },
    });
    expect(readTestsMarker(opened.body)).toEqual({ pullRequest: 7, headSha: head });
    // The head branch itself is untouched.
    expect(fake.branch(OWNER, REPO, 'feature/args')).toBe(head);
  });

  it('a rerun on the same head commits nothing and opens no second pull request', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const input = { target: target(pr, fake), mode: 'pull-request' as const, patch: patchFor(pr) };
    const first = await deliverTests(client, input);
    const second = await deliverTests(client, input);
    expect(second).toEqual({ ...first, action: 'unchanged', committed: false });
    expect(fake.branchCommits).toHaveLength(1);
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(2);
    const writes = fake.requests.filter(
      (r) => r.method !== 'GET' && r.graphql?.operationName !== 'StewardViewer',
    );
    expect(writes.filter((r) => r.path.endsWith('/pulls') && r.method === 'POST')).toHaveLength(1);
  });

  it('a regenerated patch for the same head changes neither the commit nor the body describing it', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const first = await deliverTests(client, {
      target: target(pr, fake),
      mode: 'pull-request',
      patch: patchFor(pr),
    });
    const body = fake.pullRequests(OWNER, REPO)[1]!.body;
    const other = patchFor(
      pr,
      [{ path: 'test/args.test.ts', text: "it('other', () => {});\n" }],
      9,
    );
    const again = await deliverTests(client, {
      target: target(pr, fake),
      mode: 'pull-request',
      patch: other,
    });
    expect(again).toEqual({ ...first, action: 'unchanged', committed: false });
    expect(fake.pullRequests(OWNER, REPO)[1]!.body).toBe(body);
    expect(fake.branchCommits).toHaveLength(1);
  });

  it('a rerun after a crash between the commit and the pull request reuses the commit', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const input = { target: target(pr, fake), mode: 'pull-request' as const, patch: patchFor(pr) };
    // The runner dies after the commit, before the pull request is opened.
    const dying = {
      ...client,
      createPullRequest: () => Promise.reject(new Error('the runner was cancelled')),
    };
    await expect(deliverTests(dying, input)).rejects.toThrow(/cancelled/);
    expect(fake.branchCommits).toHaveLength(1);
    const outcome = await deliverTests(client, input);
    expect(outcome).toMatchObject({ kind: 'pull-request', action: 'created', committed: false });
    expect(fake.branchCommits).toHaveLength(1);
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(2);
  });

  it('on a new head, resets its branch to it, commits the new tests, and rewrites the same pull request', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    await deliverTests(client, {
      target: target(pr, fake),
      mode: 'pull-request',
      patch: patchFor(pr),
    });
    const newHead = pr.pushCommit();
    const outcome = await deliverTests(client, {
      target: target(pr, fake),
      mode: 'pull-request',
      patch: patchFor(pr),
    });
    expect(outcome).toMatchObject({
      kind: 'pull-request',
      number: 8,
      action: 'updated',
      committed: true,
    });
    const tip = fake.branch(OWNER, REPO, testsBranch(7))!;
    expect(fake.commit(OWNER, REPO, tip)!.parents).toEqual([newHead]);
    const prs = fake.pullRequests(OWNER, REPO);
    expect(prs).toHaveLength(2);
    expect(readTestsMarker(prs[1]!.body)).toEqual({ pullRequest: 7, headSha: newHead });
  });

  it('does not reopen tests a person closed for the same head, but does for a new head', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const first = await deliverTests(client, {
      target: target(pr, fake),
      mode: 'pull-request',
      patch: patchFor(pr),
    });
    if (first.kind !== 'pull-request') throw new Error(first.kind);
    fake.pullRequest(OWNER, REPO, first.number).update({ state: 'CLOSED' });
    const again = await deliverTests(client, {
      target: target(pr, fake),
      mode: 'pull-request',
      patch: patchFor(pr),
    });
    expect(again).toEqual({
      kind: 'not-delivered',
      reason: expect.stringMatching(/#8 .* was closed; Steward opens none again for the same head/),
    });
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(2);

    pr.pushCommit();
    const next = await deliverTests(client, {
      target: target(pr, fake),
      mode: 'pull-request',
      patch: patchFor(pr),
    });
    expect(next).toMatchObject({ kind: 'pull-request', action: 'created', number: 9 });
  });

  it('refuses a patch made for an older head', async ({ github: { fake, client } }) => {
    const pr = seed(fake);
    const stale = patchFor(pr);
    pr.pushCommit();
    const outcome = await deliverTests(client, {
      target: target(pr, fake),
      mode: 'pull-request',
      patch: stale,
    });
    expect(outcome.kind).toBe('head-moved');
    expect(outcome.kind === 'head-moved' && outcome.message).toMatch(/regenerate/);
    expect(fake.branchCommits).toHaveLength(0);
  });

  it('does not count a tests commit someone else pushed as delivered, even with the trailer', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const head = pr.headSha;
    // Mallory opens a look-alike pull request from Steward's branch with a forged marker.
    fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      number: 9,
      headRefName: 'steward/tests/7',
      baseRefName: 'feature/args',
      author: { login: 'mallory', type: 'User' },
      body: `<!-- steward:tests pr:7 head:${head} -->\nlooks done`,
      commits: [
        {
          message: `Tests for #7\n\nSteward-Tests-For: ${head}`,
          author: { login: 'steward[bot]', type: 'Bot' },
        },
      ],
    });
    const outcome = await deliverTests(client, {
      target: { ...target(pr, fake), headSha: head },
      mode: 'pull-request',
      patch: patchFor(pr),
    });
    expect(outcome).toMatchObject({ kind: 'not-delivered' });
    expect(outcome.kind === 'not-delivered' && outcome.reason).toMatch(
      /#9 is open from steward\/tests\/7 and Steward did not open it/,
    );
    expect(fake.branchCommits).toHaveLength(0);
  });

  it('a forged-looking unsigned commit on its branch is replaced, not taken for delivered', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const head = pr.headSha;
    // The branch holds a commit authored (by email) as Steward's bot but not signed by GitHub.
    const forged = fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      number: 20,
      headRefName: 'steward/tests/7',
      state: 'CLOSED',
      commits: [
        {
          message: `Tests for #7\n\nSteward-Tests-For: ${head}`,
          author: { login: 'steward[bot]', type: 'Bot' },
          parents: [head],
          verification: { verified: false, reason: 'unsigned' },
        },
      ],
    });
    expect(fake.branch(OWNER, REPO, 'steward/tests/7')).toBe(forged.headSha);
    const outcome = await deliverTests(client, {
      target: target(pr, fake),
      mode: 'pull-request',
      patch: patchFor(pr),
    });
    expect(outcome).toMatchObject({ kind: 'pull-request', action: 'created', committed: true });
    const tip = fake.branch(OWNER, REPO, 'steward/tests/7')!;
    expect(fake.commit(OWNER, REPO, tip)!.parents).toEqual([head]);
  });

  it('cannot deliver to a fork’s branch, and says where the tests are', async ({
    github: { fake, client },
  }) => {
    const pr = fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      number: 7,
      isCrossRepository: true,
    });
    for (const mode of ['pull-request', 'push'] as const) {
      const outcome = await deliverTests(client, {
        target: { number: 7, headSha: pr.headSha, headRefName: 'main', isCrossRepository: true },
        mode,
        patch: patchFor(pr),
      });
      expect(outcome).toEqual({
        kind: 'not-delivered',
        reason: expect.stringMatching(
          /cannot deliver to a fork's branch.*job summary and the patch artifact/,
        ),
      });
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('deliverTests: push', () => {
  it('commits onto the head branch pinned to the head, once', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const head = pr.headSha;
    const input = { target: target(pr, fake), mode: 'push' as const, patch: patchFor(pr) };
    const first = await deliverTests(client, input);
    expect(first).toMatchObject({ kind: 'pushed', committed: true });
    expect(pr.headSha).not.toBe(head);
    expect(fake.commit(OWNER, REPO, pr.headSha)!.parents).toEqual([head]);
    expect(fake.branchCommits[0]).toMatchObject({ branch: 'feature/args', expectedHeadOid: head });

    const again = await deliverTests(client, input);
    expect(again).toEqual({ kind: 'pushed', commitSha: pr.headSha, committed: false });
    expect(fake.branchCommits).toHaveLength(1);
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(1);
  });

  it('pushes nothing over a head that moved after the check', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const input = { target: target(pr, fake), mode: 'push' as const, patch: patchFor(pr) };
    const moved = fake.pushCommit(OWNER, REPO, 7);
    const outcome = await deliverTests(client, input);
    expect(outcome.kind).toBe('head-moved');
    expect(outcome.kind === 'head-moved' && outcome.message).toMatch(/regenerate/);
    expect(fake.branch(OWNER, REPO, 'feature/args')).toBe(moved);
    expect(fake.branchCommits).toHaveLength(0);
  });

  it('pushes nothing when the head moves between reading it and committing (STALE_DATA)', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const input = { target: target(pr, fake), mode: 'push' as const, patch: patchFor(pr) };
    let moved: string | undefined;
    fake.beforeRequest((req) => {
      if (
        req.path === '/graphql' &&
        moved === undefined &&
        JSON.stringify(req.body).includes('createCommitOnBranch')
      ) {
        moved = fake.pushCommit(OWNER, REPO, 7);
      }
    });
    const outcome = await deliverTests(client, input);
    expect(outcome.kind).toBe('head-moved');
    expect(fake.branch(OWNER, REPO, 'feature/args')).toBe(moved);
    expect(fake.branchCommits).toHaveLength(0);
  });
});

describe('deliverArtifact: the delivery job from the artifact’s text', () => {
  const artifactFor = (pr: PullRequestHandle, files = [TEST_FILE]) =>
    serializeTestPatch({ ...patchFor(pr), files });
  const testFile = (path: string) => path.startsWith('test/');

  it('checks the artifact against the pull request as GitHub has it, then delivers it', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const outcome = await deliverArtifact(client, {
      artifact: artifactFor(pr),
      pullRequest: 7,
      mode: 'pull-request',
      testFile,
    });
    expect(outcome).toMatchObject({ kind: 'pull-request', action: 'created', number: 8 });
  });

  it('writes nothing to GitHub for a hostile artifact', async ({ github: { fake, client } }) => {
    const pr = seed(fake);
    const workflow = { path: '.github/workflows/ci.yml', text: 'on: push' };
    const outcome = await deliverArtifact(client, {
      artifact: artifactFor(pr, [TEST_FILE, workflow]),
      pullRequest: 7,
      mode: 'push',
      testFile,
    });
    expect(outcome).toMatchObject({
      kind: 'refused',
      problems: [{ field: 'files[1].path', path: '.github/workflows/ci.yml' }],
    });
    const writes = fake.requests.filter(
      (r) => r.method !== 'GET' && !/^query /.test(r.graphql?.document.trim() ?? ''),
    );
    expect(writes).toEqual([]);
    expect(fake.branchCommits).toEqual([]);
  });

  it('refuses an artifact made for an older head: regenerate', async ({
    github: { fake, client },
  }) => {
    const pr = seed(fake);
    const artifact = artifactFor(pr);
    pr.pushCommit();
    const outcome = await deliverArtifact(client, {
      artifact,
      pullRequest: 7,
      mode: 'pull-request',
      testFile,
    });
    expect(outcome.kind).toBe('head-moved');
    expect(fake.branchCommits).toEqual([]);
  });

  it('delivers nothing to a closed pull request', async ({ github: { fake, client } }) => {
    const pr = seed(fake);
    const artifact = artifactFor(pr);
    pr.update({ state: 'CLOSED' });
    const outcome = await deliverArtifact(client, {
      artifact,
      pullRequest: 7,
      mode: 'pull-request',
      testFile,
    });
    expect(outcome).toEqual({ kind: 'not-delivered', reason: '#7 is no longer open' });
  });
});
