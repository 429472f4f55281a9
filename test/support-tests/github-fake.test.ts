import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubFake } from '../support/github-fake/index.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';

const TOKEN = 'ghs_testtoken';
const repo = { owner: 'acme', repo: 'widgets' };

let fake: GitHubFake;
let octokit: ReturnType<typeof getOctokit>;

beforeEach(async () => {
  fake = await startGitHubFake({ token: TOKEN });
  fake.addRepo({ ...repo, defaultBranch: 'main' });
  octokit = getOctokit(TOKEN, { baseUrl: fake.url });
});

afterEach(async () => {
  await fake.close();
});

/** Octokit's RequestError, without importing the transitive package that defines it. */
async function requestError(promise: Promise<unknown>) {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error) || !('status' in error) || !('response' in error)) {
    throw new Error(`expected an Octokit RequestError, got ${String(error)}`);
  }
  return error as Error & {
    status: number;
    response: { data: { message: string }; headers: Record<string, string> };
  };
}

describe('GitHub fake REST', () => {
  it('paginates 250 files with link headers that octokit.paginate follows', async () => {
    const files = Array.from({ length: 250 }, (_, i) => ({
      path: `src/file-${i}.ts`,
      additions: 1,
      deletions: 0,
      patch: i === 7 ? null : '@@ -0,0 +1 @@\n+x',
    }));
    const pr = fake.addPullRequest({ ...repo, files });

    const listed = await octokit.paginate(octokit.rest.pulls.listFiles, {
      ...repo,
      pull_number: pr.number,
      per_page: 100,
    });

    expect(listed).toHaveLength(250);
    expect(listed[249]?.filename).toBe('src/file-249.ts');
    expect(listed[7]).not.toHaveProperty('patch');
    expect(listed[0]).toMatchObject({ status: 'modified', changes: 1, patch: '@@ -0,0 +1 @@\n+x' });
    const pages = fake.requests.filter((r) => r.path.endsWith('/files'));
    expect(pages.map((r) => r.query['page'] ?? '1')).toEqual(['1', '2', '3']);
    fake.assertNoUnexpected();
  });

  it('writes the link header as GitHub does', async () => {
    const pr = fake.addPullRequest({
      ...repo,
      files: Array.from({ length: 5 }, (_, i) => ({ path: `f${i}` })),
    });
    const page = await octokit.rest.pulls.listFiles({
      ...repo,
      pull_number: pr.number,
      per_page: 2,
      page: 2,
    });
    const url = `${fake.url}/repos/acme/widgets/pulls/${pr.number}/files?per_page=2&page=`;
    expect(page.headers.link).toBe(
      `<${url}1>; rel="prev", <${url}3>; rel="next", <${url}3>; rel="last", <${url}1>; rel="first"`,
    );
  });

  it('lists commits with verification and nullable accounts', async () => {
    const pr = fake.addPullRequest({
      ...repo,
      commits: [
        {
          message: 'chore(deps): bump x',
          author: { login: 'renovate[bot]', type: 'Bot' },
          committer: null,
          verification: { verified: true, reason: 'valid' },
        },
      ],
    });
    const { data } = await octokit.rest.pulls.listCommits({ ...repo, pull_number: pr.number });
    expect(data[0]).toMatchObject({
      sha: pr.headSha,
      author: { login: 'renovate[bot]', type: 'Bot' },
      committer: null,
      commit: { message: 'chore(deps): bump x', verification: { verified: true, reason: 'valid' } },
    });
  });

  it('refuses a merge pinned to a head that moved, then merges the new head', async () => {
    const pr = fake.addPullRequest({ ...repo, title: 'Bump x' });
    const evaluated = pr.headSha;
    let pushed = '';
    fake.beforeRequest((req) => {
      if (req.method === 'PUT' && req.path.endsWith('/merge') && pushed === '') {
        pushed = pr.pushCommit({ message: 'sneaky' });
      }
    });

    const stale = await requestError(
      octokit.rest.pulls.merge({ ...repo, pull_number: pr.number, sha: evaluated }),
    );
    expect(stale.status).toBe(409);
    expect(stale.response.data.message).toBe(
      'Head branch was modified. Review and try the merge again.',
    );
    expect(fake.merges).toEqual([]);

    const merged = await octokit.rest.pulls.merge({
      ...repo,
      pull_number: pr.number,
      sha: pushed,
      merge_method: 'squash',
      commit_title: 'Bump x (#1)',
    });
    expect(merged.data).toMatchObject({
      merged: true,
      message: 'Pull Request successfully merged',
    });
    expect(fake.merges).toEqual([
      expect.objectContaining({
        number: pr.number,
        sha: pushed,
        headSha: pushed,
        merge_method: 'squash',
        commit_title: 'Bump x (#1)',
        mergeCommitSha: merged.data.sha,
      }),
    ]);
    expect(pr.state).toBe('MERGED');
    const again = await requestError(octokit.rest.pulls.merge({ ...repo, pull_number: pr.number }));
    expect(again.status).toBe(405);
    fake.assertNoUnexpected();
  });

  it('refuses to merge drafts and pull requests with unmet required checks', async () => {
    const draft = fake.addPullRequest({ ...repo, isDraft: true });
    const blocked = fake.addPullRequest({ ...repo });
    fake.setRequiredChecks('acme', 'widgets', 'main', { classic: ['build'] });
    fake.addCheckRun('acme', 'widgets', blocked.headSha, { name: 'build', status: 'in_progress' });

    const a = await requestError(octokit.rest.pulls.merge({ ...repo, pull_number: draft.number }));
    expect([a.status, a.response.data.message]).toEqual([405, 'Pull Request is not mergeable']);
    const b = await requestError(
      octokit.rest.pulls.merge({ ...repo, pull_number: blocked.number }),
    );
    expect([b.status, b.response.data.message]).toEqual([
      405,
      'Required status check "build" is expected.',
    ]);
    expect(blocked.mergeStateStatus).toBe('BLOCKED');
  });

  it('upserts comments and manages labels', async () => {
    const pr = fake.addPullRequest({ ...repo, labels: ['dependencies'] });
    fake.addComment('acme', 'widgets', pr.number, 'a human comment');
    const created = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: pr.number,
      body: '<!-- steward -->\nfirst',
    });
    expect(created.status).toBe(201);
    expect(created.data.user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' });
    await octokit.rest.issues.updateComment({
      ...repo,
      comment_id: Number(created.data.id),
      body: '<!-- steward -->\nsecond',
    });
    const listed = await octokit.paginate(octokit.rest.issues.listComments, {
      ...repo,
      issue_number: pr.number,
    });
    expect(listed.map((c) => c.body)).toEqual(['a human comment', '<!-- steward -->\nsecond']);
    expect(fake.comments('acme', 'widgets', pr.number)[1]?.body).toBe('<!-- steward -->\nsecond');

    const labels = await octokit.rest.issues.addLabels({
      ...repo,
      issue_number: pr.number,
      labels: ['automerge'],
    });
    expect(labels.data.map((l) => l.name)).toEqual(['dependencies', 'automerge']);
    await octokit.rest.issues.removeLabel({
      ...repo,
      issue_number: pr.number,
      name: 'dependencies',
    });
    expect(fake.labels('acme', 'widgets', pr.number)).toEqual(['automerge']);
    const missing = await requestError(
      octokit.rest.issues.removeLabel({ ...repo, issue_number: pr.number, name: 'nope' }),
    );
    expect([missing.status, missing.response.data.message]).toEqual([404, 'Label does not exist']);
    fake.assertNoUnexpected();
  });

  it('serves file contents by branch and commit, and 404 for a missing file', async () => {
    const pr = fake.addPullRequest({ ...repo });
    fake.setFileContents('acme', 'widgets', 'main', { '.github/steward.yml': 'automerge: {}\n' });
    fake.setFileContents('acme', 'widgets', pr.headSha, { 'package.json': '{"name":"w"}' });

    const config = await octokit.rest.repos.getContent({
      ...repo,
      path: '.github/steward.yml',
      ref: 'main',
    });
    const data = config.data as { content: string; encoding: string; type: string };
    expect(data.type).toBe('file');
    expect(Buffer.from(data.content, data.encoding as BufferEncoding).toString()).toBe(
      'automerge: {}\n',
    );
    const manifest = await octokit.rest.repos.getContent({
      ...repo,
      path: 'package.json',
      ref: pr.headSha,
    });
    expect(manifest.status).toBe(200);
    const missing = await requestError(
      octokit.rest.repos.getContent({ ...repo, path: 'package.json', ref: 'main' }),
    );
    expect(missing.status).toBe(404);
    fake.assertNoUnexpected();
  });

  it('lists pull requests containing a commit', async () => {
    const pr = fake.addPullRequest({ ...repo });
    const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: pr.headSha,
    });
    expect(data.map((p) => [p.number, p.state, p.head.sha])).toEqual([
      [pr.number, 'open', pr.headSha],
    ]);
  });

  it('reports branch rules, protection and collaborator permission', async () => {
    fake.setRequiredChecks('acme', 'widgets', 'main', { classic: ['build'], rulesets: ['lint'] });
    fake.setPermission('acme', 'widgets', 'alice', 'maintain');
    const rules = await octokit.rest.repos.getBranchRules({ ...repo, branch: 'main' });
    expect(rules.data[0]).toMatchObject({
      type: 'required_status_checks',
      parameters: { required_status_checks: [{ context: 'lint' }] },
    });
    const branch = await octokit.rest.repos.getBranch({ ...repo, branch: 'main' });
    expect(branch.data.protection.required_status_checks?.contexts).toEqual(['build']);
    const permission = await octokit.rest.repos.getCollaboratorPermissionLevel({
      ...repo,
      username: 'alice',
    });
    expect(permission.data).toMatchObject({ permission: 'write', role_name: 'maintain' });
    expect(permission.data.user?.permissions).toMatchObject({ maintain: true, admin: false });
  });

  it('records unexpected routes and unknown pull requests, answering 404 like GitHub', async () => {
    const route = await requestError(octokit.rest.repos.listForOrg({ org: 'acme' }));
    expect(route.status).toBe(404);
    expect(route.response.data).toMatchObject({ message: 'Not Found' });
    await requestError(octokit.rest.pulls.get({ ...repo, pull_number: 99 }));

    expect(fake.unexpected.map((u) => u.reason)).toEqual([
      'the GitHub fake has no route for GET /orgs/acme/repos',
      expect.stringContaining('no pull request or issue #99 in acme/widgets'),
    ]);
    expect(() => fake.assertNoUnexpected()).toThrow(/2 request\(s\).*\n.*GET \/orgs\/acme\/repos/);
  });

  it('answers 401 to a wrong token and 403 with the accepted permission to a denied route', async () => {
    const wrong = getOctokit('ghs_wrong', { baseUrl: fake.url });
    const bad = await requestError(wrong.rest.pulls.get({ ...repo, pull_number: 1 }));
    expect([bad.status, bad.response.data.message]).toEqual([401, 'Bad credentials']);

    const pr = fake.addPullRequest({ ...repo });
    fake.denyPermission({
      method: 'PUT',
      pathPattern: /\/pulls\/\d+\/merge$/,
      permission: 'pull_requests=write',
    });
    const denied = await requestError(
      octokit.rest.pulls.merge({ ...repo, pull_number: pr.number }),
    );
    expect(denied.status).toBe(403);
    expect(denied.response.data.message).toBe('Resource not accessible by integration');
    expect(denied.response.headers['x-accepted-github-permissions']).toBe('pull_requests=write');
    expect(fake.merges).toEqual([]);
  });

  it('sends realistic headers and serves GitHub Enterprise paths', async () => {
    const pr = fake.addPullRequest({ ...repo });
    const enterprise = getOctokit(TOKEN, { baseUrl: `${fake.url}/api/v3` });
    const res = await enterprise.rest.pulls.get({ ...repo, pull_number: pr.number });
    expect(res.data.url).toBe(`${fake.url}/api/v3/repos/acme/widgets/pulls/${pr.number}`);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-ratelimit-resource']).toBe('core');
    expect(res.headers['x-github-request-id']).toMatch(/^[0-9A-F:]+$/);
    expect(Number(res.headers['x-ratelimit-remaining'])).toBeLessThan(5000);
    expect(fake.requests.at(-1)?.path).toBe(`/repos/acme/widgets/pulls/${pr.number}`);
  });
});
