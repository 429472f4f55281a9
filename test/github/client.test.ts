import { describe, expect } from 'vitest';
import { createActionsOctokit } from '../../src/github/actions-octokit.ts';
import { FILE_TEXTS_PER_QUERY } from '../../src/github/contents.ts';
import { createGitHubClient } from '../../src/github/octokit-client.ts';
import { startGitHubFake } from '../support/github-fake/index.ts';
import { gitHubTest } from '../support/github-world.ts';

/** The client as the actions build it (@actions/github with retry and throttling), over the wire. */
const OWNER = 'acme';
const REPO = 'widgets';

const it = gitHubTest();
/** The client as the app builds it: the App's bot account is known from `GET /app`. */
const asApp = gitHubTest({ ownAccount: { login: 'steward-app[bot]', databaseId: null } });

describe('GitHub client', () => {
  it('lists every file of a large pull request across pages', async ({
    github: { fake: github, client },
  }) => {
    const files = Array.from({ length: 250 }, (_, i) => ({
      path: `src/f${i}.ts`,
      patch: '@@ -1 +1 @@\n-a\n+b',
    }));
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO, files });
    const listed = await client.listPullRequestFiles(pr.number);
    expect(listed).toHaveLength(250);
    expect(listed[249]).toMatchObject({
      path: 'src/f249.ts',
      status: 'modified',
      patch: '@@ -1 +1 @@\n-a\n+b',
    });
    expect(github.requests.filter((r) => r.path.endsWith('/files'))).toHaveLength(3);
  });

  it('reads the required checks of classic protection and rulesets together', async ({
    github: { fake: github, client },
  }) => {
    github.setRequiredChecks(OWNER, REPO, 'main', {
      classic: [{ context: 'test', appId: 15368 }],
      rulesets: [{ context: 'e2e', appId: 42 }, 'test'],
    });
    expect(await client.getRequiredChecks('main')).toEqual([
      { context: 'e2e', appId: 42, source: 'ruleset' },
      { context: 'test', appId: null, source: 'branch protection' },
    ]);
    // GraphQL does not carry classic protection's App binding; the REST branch does.
    expect(await client.getBranchProtectionChecks('main')).toEqual([
      { context: 'test', appId: 15368, source: 'branch protection' },
    ]);
  });

  it('names the App of each check run', async ({ github: { fake: github, client } }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    github.addCheckRun(OWNER, REPO, pr.headSha, {
      name: 'test',
      status: 'completed',
      conclusion: 'success',
      app: { id: 999, slug: 'lookalike' },
    });
    const checks = await client.getCommitChecks(pr.headSha);
    expect(checks).toEqual([
      expect.objectContaining({ name: 'test', app: { id: 999, slug: 'lookalike' } }),
    ]);
  });

  it('folds check runs and statuses of a commit into one rollup', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    github.addCheckRun(OWNER, REPO, pr.headSha, {
      name: 'test',
      status: 'completed',
      conclusion: 'timed_out',
    });
    github.addCheckRun(OWNER, REPO, pr.headSha, { name: 'lint', status: 'queued' });
    github.addStatus(OWNER, REPO, pr.headSha, { context: 'ci/legacy', state: 'success' });
    const checks = await client.getCommitChecks(pr.headSha);
    expect(checks.map((c) => [c.name, c.kind, c.state])).toEqual(
      expect.arrayContaining([
        ['test', 'check-run', 'timed_out'],
        ['lint', 'check-run', 'pending'],
        ['ci/legacy', 'status', 'success'],
      ]),
    );
  });

  it('reads files at a ref, null where they do not exist, several in one request', async ({
    github: { fake: github, client },
  }) => {
    github.setFileContents(OWNER, REPO, 'main', { 'a.txt': 'A', 'dir/b.txt': 'B' });
    const texts = await client.getFileTexts(['a.txt', 'dir/b.txt', 'missing.txt'], 'main');
    expect([...texts]).toEqual([
      ['a.txt', 'A'],
      ['dir/b.txt', 'B'],
      ['missing.txt', null],
    ]);
    expect(github.requests).toHaveLength(1);
  });

  it("reads a pull request's worth of files in batches, and asks nothing for no files", async ({
    github: { fake: github, client },
  }) => {
    const files = Object.fromEntries(
      Array.from({ length: 2 * FILE_TEXTS_PER_QUERY + 1 }, (_, i) => [`src/f${i}.ts`, `// ${i}`]),
    );
    github.setFileContents(OWNER, REPO, 'main', files);
    const texts = await client.getFileTexts(Object.keys(files), 'main');
    expect(Object.fromEntries(texts)).toEqual(files);
    expect(github.requests).toHaveLength(3);
    expect((await client.getFileTexts([], 'main')).size).toBe(0);
    expect(github.requests).toHaveLength(3);
  });

  it('reads a raw file of another repository up to a limit, missing where there is none', async ({
    github: { fake: github, client },
  }) => {
    github.addRepo({ owner: OWNER, repo: '.github', defaultBranch: 'main' });
    github.setFileContents(OWNER, '.github', 'main', { 'steward.yml': 'review: {}\n' });
    github.setFileContents(OWNER, '.github', 'main', { 'big.yml': 'x'.repeat(2000) });
    const file = (path: string) => ({ owner: OWNER, repo: '.github', path });
    expect(await client.readRepositoryFile(file('steward.yml'), 1000)).toEqual({
      kind: 'text',
      text: 'review: {}\n',
    });
    expect(await client.readRepositoryFile(file('absent.yml'), 1000)).toEqual({ kind: 'missing' });
    expect(await client.readRepositoryFile(file('big.yml'), 1000)).toMatchObject({
      kind: 'too-large',
    });
    expect(github.requests.map((r) => r.headers['accept'])).toEqual([
      'application/vnd.github.v3.raw',
      'application/vnd.github.v3.raw',
      'application/vnd.github.v3.raw',
    ]);
  });

  it('upserts one comment by marker: created, unchanged, updated', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    const marker = '<!-- steward:test -->';
    expect((await client.upsertComment(pr.number, marker, 'first')).action).toBe('created');
    expect((await client.upsertComment(pr.number, marker, 'first')).action).toBe('unchanged');
    expect((await client.upsertComment(pr.number, marker, 'second')).action).toBe('updated');
    const comments = github.comments(OWNER, REPO, pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toBe(`${marker}\nsecond`);
  });

  it('never rewrites a person’s comment that quotes the marker', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    const marker = '<!-- steward:test -->';
    github.addComment(OWNER, REPO, pr.number, `look: ${marker}`, {
      login: 'mallory',
      type: 'User',
    });
    expect((await client.upsertComment(pr.number, marker, 'ours')).action).toBe('created');
    expect(github.comments(OWNER, REPO, pr.number).map((c) => c.body)).toEqual([
      `look: ${marker}`,
      `${marker}\nours`,
    ]);
  });

  it('finds the bot’s marked comment, passing over a person’s that quotes the marker', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    const marker = '<!-- steward:review-state sha=abc -->';
    expect(await client.findMarkedComment(pr.number, marker)).toBeNull();
    github.addComment(OWNER, REPO, pr.number, `quoting ${marker}`, {
      login: 'mallory',
      type: 'User',
    });
    github.addComment(OWNER, REPO, pr.number, 'unrelated', {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    expect(await client.findMarkedComment(pr.number, marker)).toBeNull();
    const ours = github.addComment(OWNER, REPO, pr.number, `${marker}\nreviewed`, {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    github.addComment(OWNER, REPO, pr.number, `${marker}\nlater`, {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    expect(await client.findMarkedComment(pr.number, marker)).toEqual({
      id: ours.id,
      body: `${marker}\nreviewed`,
      userType: 'Bot',
    });
    // upsertComment rewrites that same comment: there is one way to find it.
    expect(await client.upsertComment(pr.number, marker, 'again')).toEqual({
      id: ours.id,
      action: 'updated',
    });
  });

  it('trusts a marker only from its own account: another bot’s comment opening with it is not ours', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    const marker = '<!-- steward:review -->';
    github.addComment(OWNER, REPO, pr.number, `${marker}\nforged by another app`, {
      login: 'renovate[bot]',
      type: 'Bot',
    });
    expect(await client.findMarkedComment(pr.number, marker)).toBeNull();
    expect((await client.upsertComment(pr.number, marker, 'ours')).action).toBe('created');
    const bodies = github.comments(OWNER, REPO, pr.number).map((c) => c.body);
    expect(bodies).toEqual([`${marker}\nforged by another app`, `${marker}\nours`]);
    // The account is learnt once per client, from GraphQL viewer.
    const viewer = github.requests.filter((r) => r.path === '/graphql');
    expect(viewer).toHaveLength(1);
  });

  it('reads a marker only on the first line, even in its own account’s comment', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    const marker = '<!-- steward:auto-merge -->';
    github.addComment(OWNER, REPO, pr.number, `quoted text\n${marker}\nmore`, {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    expect(await client.findMarkedComment(pr.number, marker)).toBeNull();
    expect(
      (await client.upsertComment(pr.number, marker, `text that mentions ${marker}`)).action,
    ).toBe('created');
    expect(github.comments(OWNER, REPO, pr.number).at(-1)!.body).toBe(
      `${marker}\ntext that mentions ${marker}`,
    );
  });

  asApp(
    'takes its account from the face when given, without asking GitHub',
    async ({ github: { fake: github, client: app } }) => {
      const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
      const marker = '<!-- steward:test -->';
      // Written by github-actions[bot], the fake's token: not the App's own comment.
      github.addComment(OWNER, REPO, pr.number, `${marker}\nx`, {
        login: 'github-actions[bot]',
        type: 'Bot',
      });
      github.addComment(OWNER, REPO, pr.number, `${marker}\ny`, {
        login: 'steward-app[bot]',
        type: 'Bot',
      });
      expect((await app.findMarkedComment(pr.number, marker))?.body).toBe(`${marker}\ny`);
      expect(github.requests.filter((r) => r.path === '/graphql')).toHaveLength(0);
    },
  );

  it('says what went wrong when GitHub will not say who the token is', async () => {
    // A fake of its own: the refused request is the point, not a mistake of the test.
    const other = await startGitHubFake({ token: 'right' });
    try {
      other.addRepo({ owner: OWNER, repo: REPO });
      const pr = other.addPullRequest({ owner: OWNER, repo: REPO });
      const octokit = createActionsOctokit({ token: 'wrong', baseUrl: other.url, warn: () => {} });
      const stranger = createGitHubClient(octokit, { owner: OWNER, repo: REPO });
      await expect(stranger.findMarkedComment(pr.number, '<!-- m -->')).rejects.toThrow(
        /Could not learn which GitHub account this token acts as \(GraphQL viewer\)/,
      );
    } finally {
      await other.close();
    }
  });

  it('finds the open pull requests a commit heads', async ({
    github: { fake: github, client },
  }) => {
    const open = github.addPullRequest({ owner: OWNER, repo: REPO });
    github.addPullRequest({ owner: OWNER, repo: REPO, state: 'CLOSED', headSha: open.headSha });
    expect(await client.findOpenPullRequestsForSha(open.headSha)).toEqual([open.number]);
  });

  it('reports a merge against a moved head as head-moved, once, without retrying', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO, mergeable: 'MERGEABLE' });
    const evaluated = pr.headSha;
    github.pushCommit(OWNER, REPO, pr.number);
    const outcome = await client.mergePullRequest({
      number: pr.number,
      sha: evaluated,
      method: 'squash',
    });
    expect(outcome.kind).toBe('head-moved');
    expect(github.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(github.merges).toEqual([]);
  });

  it('names the permission a 403 asks for', async ({ github: { fake: github, client } }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    github.denyPermission({ method: 'POST', pathPattern: /\/labels$/, permission: 'issues=write' });
    await expect(client.addLabels(pr.number, ['x'])).rejects.toThrow(
      /lacks the "issues=write" permission/,
    );
  });
});
