import { describe, expect } from 'vitest';
import { handleAutoMerge } from '../../src/automerge/handle.ts';
import { GitHubAnswerError, GitHubShapeError } from '../../src/github/errors.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';
import { gitHubTest } from '../support/github-world.ts';

/**
 * Every answer is checked against the shape GitHub documents (@octokit/openapi-types for REST,
 * @octokit/graphql-schema for GraphQL): a required field missing is an error naming the request,
 * the field and what was expected, never a silent ''; what GitHub may legally send (null where the
 * schema says nullable, fields Steward does not know) passes.
 */
const it = gitHubTest();

type Json = Record<string, unknown>;
/** The `data` of a GraphQL answer, to reshape in place. */
const graphqlData = (body: unknown) => (body as { data: Json }).data;
const pullRequestOf = (body: unknown) =>
  (graphqlData(body)['repository'] as { pullRequest?: Json } | undefined)?.pullRequest;

/** From now on the fake's GraphQL answers carry the pull request as `change` leaves it. */
function driftPullRequest(fake: GitHubFake, change: (pullRequest: Json) => void): void {
  fake.driftAnswers({
    method: 'POST',
    pathPattern: /^\/graphql$/,
    reshape: (body) => {
      const found = pullRequestOf(body);
      if (found) change(found);
      return body;
    },
  });
}

async function shapeError(promise: Promise<unknown>): Promise<GitHubShapeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitHubShapeError);
  return error as GitHubShapeError;
}

describe('answers that left GitHub’s shape', () => {
  it('names the route, the field and what was expected for a file without a filename', async ({
    github,
  }) => {
    const pr = github.fake.addPullRequest({
      owner: github.owner,
      repo: github.repo,
      files: [{ path: 'a.ts' }],
    });
    github.fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/pulls\/\d+\/files$/,
      reshape: (body) =>
        (body as Json[]).map((file) => {
          const drifted = { ...file };
          delete drifted['filename'];
          return drifted;
        }),
    });
    const error = await shapeError(github.client.listPullRequestFiles(pr.number));
    expect(error.endpoint).toBe('GET /repos/{owner}/{repo}/pulls/{pull_number}/files');
    expect(error.problems[0]).toEqual({
      field: '[0].filename',
      expected: 'expected string, received undefined',
    });
    expect(error.message).toMatch(
      /the files of pull request #1: GET \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\}\/files answered in a shape GitHub does not document, at \[0\]\.filename: expected string, received undefined/,
    );
    // Deciding code (auto-merge) refuses on it for this run, as on any unreadable answer.
    expect(error).toBeInstanceOf(GitHubAnswerError);
  });

  it('names the field of an issue list answer that left the shape', async ({ github }) => {
    github.fake.addIssue(github.owner, github.repo, {
      author: { login: github.fake.botLogin, type: 'Bot' },
      labels: ['incident'],
    });
    github.fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/issues$/,
      reshape: (body) => (body as Json[]).map((issue) => ({ ...issue, created_at: 7 })),
    });
    const error = await shapeError(github.client.listOurIssues('incident'));
    expect(error.endpoint).toBe('GET /repos/{owner}/{repo}/issues');
    expect(error.problems[0]?.field).toBe('[0].created_at');
  });

  it('passes an issue whose labels are bare names, as GitHub may send them', async ({ github }) => {
    const issue = github.fake.addIssue(github.owner, github.repo, { labels: ['a', 'b'] });
    github.fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/issues\/\d+$/,
      reshape: (body) => ({ ...(body as Json), labels: ['a', { name: 'b' }, { name: null }] }),
    });
    expect((await github.client.getIssue(issue.number))?.labels).toEqual(['a', 'b']);
  });

  it('counts a drifted item’s place across pages', async ({ github }) => {
    const files = Array.from({ length: 150 }, (_, i) => ({ path: `f${i}.ts` }));
    const pr = github.fake.addPullRequest({ owner: github.owner, repo: github.repo, files });
    github.fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/pulls\/\d+\/files$/,
      // Only the second page (50 files) drifts.
      reshape: (body) =>
        (body as Json[]).map((file, i) =>
          (body as Json[]).length < 100 && i === 10 ? { ...file, additions: '3' } : file,
        ),
    });
    const error = await shapeError(github.client.listPullRequestFiles(pr.number));
    expect(error.problems).toEqual([
      { field: '[110].additions', expected: 'expected number, received string' },
    ]);
  });

  it('names the GraphQL operation and field when the snapshot has no head SHA', async ({
    github,
  }) => {
    const pr = github.fake.addPullRequest({ owner: github.owner, repo: github.repo });
    driftPullRequest(github.fake, (found) => {
      delete found['headRefOid'];
    });
    const error = await shapeError(github.client.getPullRequestSnapshot(pr.number));
    expect(error.endpoint).toBe('GraphQL query StewardPullRequestSnapshot');
    expect(error.problems).toEqual([
      {
        field: 'repository.pullRequest.headRefOid',
        expected: 'expected string, received undefined',
      },
    ]);
  });

  it('ends an auto-merge decision on a drifted snapshot in a refusal naming the field, writing nothing', async ({
    github,
  }) => {
    const pr = github.fake.addPullRequest({ owner: github.owner, repo: github.repo });
    driftPullRequest(github.fake, (found) => {
      found['headRefOid'] = null;
    });
    const decisions = await handleAutoMerge({
      client: github.client,
      configFor: () => Promise.reject(new Error('no config is read for an unreadable snapshot')),
      registryFor: () => {
        throw new Error('no registry is asked for an unreadable snapshot');
      },
      target: { kind: 'pull-requests', numbers: [pr.number] },
      dryRun: false,
      now: () => new Date(),
    });
    expect(decisions).toEqual([
      expect.objectContaining({
        number: pr.number,
        outcome: 'refused',
        reason: expect.stringMatching(
          /GraphQL query StewardPullRequestSnapshot answered in a shape GitHub does not document, at repository\.pullRequest\.headRefOid: expected string, received null.*nothing was merged/,
        ),
      }),
    ]);
    expect(github.fake.merges).toEqual([]);
    expect(github.fake.comments(github.owner, github.repo, pr.number)).toEqual([]);
    expect(github.fake.labels(github.owner, github.repo, pr.number)).toEqual([]);
  });

  it('says a merge whose answer is unreadable took effect all the same', async ({ github }) => {
    const pr = github.fake.addPullRequest({
      owner: github.owner,
      repo: github.repo,
      mergeable: 'MERGEABLE',
    });
    github.fake.driftAnswers({
      method: 'PUT',
      pathPattern: /\/merge$/,
      reshape: () => ({ merged: true, message: 'Pull Request successfully merged' }),
    });
    const error = await shapeError(
      github.client.mergePullRequest({ number: pr.number, sha: pr.headSha, method: 'squash' }),
    );
    expect(error.duringWrite).toBe(true);
    expect(error.problems[0]?.field).toBe('sha');
    expect(github.fake.merges).toHaveLength(1);
  });

  it('does not take a comparison without a merge base for one', async ({ github }) => {
    const sha = (c: string) => c.repeat(40);
    github.fake.addPullRequest({
      owner: github.owner,
      repo: github.repo,
      commits: [{ sha: sha('a') }, { sha: sha('b') }],
    });
    github.fake.setComparison(github.owner, github.repo, sha('a'), sha('b'), {
      status: 'ahead',
      aheadBy: 1,
      behindBy: 0,
      mergeBaseSha: sha('a'),
      files: [],
    });
    github.fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/compare\//,
      reshape: (body) => ({ ...(body as Json), merge_base_commit: {} }),
    });
    const error = await shapeError(github.client.compareCommits(sha('a'), sha('b')));
    expect(error.endpoint).toBe('GET /repos/{owner}/{repo}/compare/{basehead}');
    expect(error.problems[0]?.field).toBe('merge_base_commit.sha');
  });

  it('says which field the viewer answer lacked when it learns its own account', async ({
    github,
  }) => {
    const pr = github.fake.addPullRequest({ owner: github.owner, repo: github.repo });
    github.fake.driftAnswers({
      method: 'POST',
      pathPattern: /^\/graphql$/,
      reshape: () => ({ data: { viewer: { databaseId: 1 } } }),
    });
    await expect(github.client.findMarkedComment(pr.number, '<!-- m -->')).rejects.toThrow(
      /Could not learn which GitHub account this token acts as \(GraphQL viewer\):.*viewer\.login: expected string, received undefined/,
    );
  });
});

describe('answers GitHub may legally give', () => {
  it('reads a snapshot with every nullable field null and fields it does not know', async ({
    github,
  }) => {
    const pr = github.fake.addPullRequest({ owner: github.owner, repo: github.repo });
    driftPullRequest(github.fake, (found) => {
      Object.assign(found, {
        author: null,
        labels: null,
        autoMergeRequest: null,
        repository: { defaultBranchRef: null },
        baseRef: { refUpdateRule: null, rules: null },
        aFieldGitHubAddsLater: { nested: [1, 2] },
      });
      const commits = found['commits'] as { nodes: { commit: Json }[] };
      Object.assign(commits.nodes[0]!.commit, { file: null, statusCheckRollup: null });
    });
    expect(await github.client.getPullRequestSnapshot(pr.number)).toMatchObject({
      number: pr.number,
      headSha: pr.headSha,
      author: null,
      labels: [],
      autoMerge: null,
      // An empty default branch is what the auto-merge handler refuses on, by name.
      defaultBranch: '',
      requiredChecks: [],
      checks: [],
      rootManifestAtHead: null,
    });
  });

  it('reads check runs without an App or a details URL, and a status without a target', async ({
    github,
  }) => {
    const pr = github.fake.addPullRequest({ owner: github.owner, repo: github.repo });
    github.fake.addCheckRun(github.owner, github.repo, pr.headSha, {
      name: 'test',
      status: 'completed',
      conclusion: 'success',
    });
    github.fake.addStatus(github.owner, github.repo, pr.headSha, {
      context: 'ci/legacy',
      state: 'success',
    });
    github.fake.driftAnswers({
      method: 'POST',
      pathPattern: /^\/graphql$/,
      reshape: (body) => {
        const rollup = (
          graphqlData(body)['repository'] as {
            object: { statusCheckRollup: { contexts: { nodes: Json[] } } };
          }
        ).object.statusCheckRollup;
        for (const node of rollup.contexts.nodes) {
          if (node['__typename'] === 'CheckRun')
            Object.assign(node, { detailsUrl: null, checkSuite: { app: null } });
          else Object.assign(node, { targetUrl: null, description: 'extra' });
        }
        return body;
      },
    });
    expect(await github.client.getCommitChecks(pr.headSha)).toEqual([
      expect.objectContaining({ name: 'test', state: 'success', url: null, app: null }),
      expect.objectContaining({ name: 'ci/legacy', state: 'success', url: null, app: null }),
    ]);
  });

  it('keeps its stated fallbacks for values GitHub adds later', async ({ github }) => {
    const pr = github.fake.addPullRequest({ owner: github.owner, repo: github.repo });
    github.fake.addCheckRun(github.owner, github.repo, pr.headSha, {
      name: 'test',
      status: 'completed',
      conclusion: 'success',
    });
    driftPullRequest(github.fake, (found) => {
      found['mergeable'] = 'A_STATE_FROM_THE_FUTURE';
      const commits = found['commits'] as {
        nodes: { commit: { statusCheckRollup: { contexts: { nodes: Json[] } } } }[];
      };
      commits.nodes[0]!.commit.statusCheckRollup.contexts.nodes[0]!['conclusion'] =
        'A_CONCLUSION_FROM_THE_FUTURE';
    });
    const snapshot = await github.client.getPullRequestSnapshot(pr.number);
    // Neither claims anything green: UNKNOWN waits, an unknown conclusion counts as an error.
    expect(snapshot.mergeable).toBe('UNKNOWN');
    expect(snapshot.checks.map((c) => [c.name, c.state])).toEqual([['test', 'error']]);
  });

  it('reads commits whose author maps to no account and that carry no verification', async ({
    github,
  }) => {
    const pr = github.fake.addPullRequest({ owner: github.owner, repo: github.repo });
    github.fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/pulls\/\d+\/commits$/,
      reshape: (body) =>
        (body as { commit: Json }[]).map((c) => {
          const commit = { ...c.commit };
          delete commit['verification'];
          return { ...c, author: {}, committer: null, commit, node_added_later: true };
        }),
    });
    const [commit] = await github.client.listPullRequestCommits(pr.number);
    expect(commit).toMatchObject({
      author: null,
      committer: null,
      verified: false,
      verificationReason: 'unknown',
    });
  });

  it('passes over a deleted account’s comments and review comments, outdated lines and all', async ({
    github,
  }) => {
    const pr = github.fake.addPullRequest({
      owner: github.owner,
      repo: github.repo,
      files: [{ path: 'x', patch: '@@ -1 +1,2 @@\n a\n+b' }],
    });
    const marker = '<!-- steward:test -->';
    github.fake.addComment(github.owner, github.repo, pr.number, `${marker}\nghost`);
    await github.client.createReview({
      number: pr.number,
      commitId: pr.headSha,
      body: 'r',
      comments: [{ path: 'x', line: 2, side: 'RIGHT', body: 'c' }],
    });
    github.fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/(issues|pulls)\/\d+\/comments$/,
      reshape: (body) => (body as Json[]).map((c) => ({ ...c, user: null, line: null })),
    });
    expect(await github.client.findMarkedComment(pr.number, marker)).toBeNull();
    expect(await github.client.listReviewComments(pr.number)).toEqual([
      expect.objectContaining({
        body: 'c',
        line: null,
        userType: null,
        authorLogin: null,
        ours: false,
      }),
    ]);
  });

  it('reads a collaborator answer without the permission booleans', async ({ github }) => {
    github.fake.setPermission(github.owner, github.repo, 'mona', 'write');
    github.fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/permission$/,
      reshape: (body) => {
        const answer = body as { user: Json };
        delete answer.user['permissions'];
        return answer;
      },
    });
    expect(await github.client.getCollaboratorPermission('mona')).toEqual({
      login: 'mona',
      flags: { admin: false, maintain: false, push: false, triage: false, pull: false },
      roleName: 'write',
    });
  });
});
