import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COMMIT_CHECKS_QUERY,
  PULL_REQUEST_SNAPSHOT_QUERY,
  REQUIRED_CHECKS_QUERY,
  fileTextsQuery,
} from '../../src/github/queries.ts';
import { startGitHubFake } from '../support/github-fake/index.ts';
import type { GitHubFake, PullRequestHandle } from '../support/github-fake/index.ts';

const TOKEN = 'ghs_testtoken';
const repo = { owner: 'acme', repo: 'widgets' };

let fake: GitHubFake;
let octokit: ReturnType<typeof getOctokit>;
let pr: PullRequestHandle;

beforeEach(async () => {
  fake = await startGitHubFake({ token: TOKEN });
  fake.addRepo({ ...repo, defaultBranch: 'main' });
  fake.setRequiredChecks('acme', 'widgets', 'main', { classic: ['build'], rulesets: ['lint'] });
  pr = fake.addPullRequest({
    ...repo,
    title: 'chore(deps): update x to v2',
    author: { login: 'renovate[bot]', type: 'Bot' },
    labels: ['dependencies'],
  });
  fake.setFileContents('acme', 'widgets', pr.headSha, { 'package.json': '{"name":"widgets"}' });
  fake.addCheckRun('acme', 'widgets', pr.headSha, {
    name: 'build',
    status: 'completed',
    conclusion: 'success',
  });
  fake.addCheckRun('acme', 'widgets', pr.headSha, { name: 'lint', status: 'in_progress' });
  fake.addStatus('acme', 'widgets', pr.headSha, { context: 'coverage', state: 'failure' });
  octokit = getOctokit(TOKEN, { baseUrl: fake.url });
});

afterEach(async () => {
  await fake.close();
});

/** Octokit's GraphqlResponseError, without importing the transitive package that defines it. */
async function graphqlError(promise: Promise<unknown>) {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error) || error.name !== 'GraphqlResponseError') {
    throw new Error(`expected a GraphqlResponseError, got ${String(error)}`);
  }
  return error as Error & { errors: { type?: string; message: string }[]; data: unknown };
}

/** Local copy so these tests do not follow renames of the production document's variables. */
const ENABLE_AUTO_MERGE = `
mutation Arm($id: ID!, $oid: GitObjectID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $id, expectedHeadOid: $oid, mergeMethod: $mergeMethod }) {
    pullRequest { autoMergeRequest { mergeMethod } }
  }
}`;

/**
 * Posts a document as-is, so assertions see GitHub's raw answer (data and errors side by side) that
 * octokit.graphql would turn into a thrown error.
 */
async function postGraphql(query: string, variables: Record<string, unknown>) {
  const res = await octokit.request('POST /graphql', { query, variables });
  return res.data as { data?: unknown; errors?: { type?: string; message: string }[] };
}

describe('GitHub fake GraphQL', () => {
  it('answers the snapshot query with required checks and isRequired', async () => {
    const data = await octokit.graphql<{ repository: { pullRequest: Record<string, unknown> } }>(
      PULL_REQUEST_SNAPSHOT_QUERY,
      { ...repo, number: pr.number },
    );
    const snapshot = data.repository.pullRequest;
    expect(snapshot).toMatchObject({
      id: pr.nodeId,
      number: pr.number,
      state: 'OPEN',
      headRefOid: pr.headSha,
      mergeable: 'MERGEABLE',
      mergeStateStatus: 'BLOCKED',
      // GraphQL names App bots by slug, without REST's [bot] suffix.
      author: { __typename: 'Bot', login: 'renovate' },
      labels: { nodes: [{ name: 'dependencies' }] },
      autoMergeRequest: null,
      baseRef: {
        refUpdateRule: { requiredStatusCheckContexts: ['build'] },
        rules: {
          nodes: [
            {
              type: 'REQUIRED_STATUS_CHECKS',
              parameters: { requiredStatusChecks: [{ context: 'lint' }] },
            },
          ],
        },
      },
    });
    expect(snapshot['commits']).toMatchObject({
      totalCount: 1,
      nodes: [
        {
          commit: {
            oid: pr.headSha,
            file: { object: { text: '{"name":"widgets"}' } },
            statusCheckRollup: {
              contexts: {
                pageInfo: { hasNextPage: false },
                nodes: [
                  {
                    __typename: 'CheckRun',
                    name: 'build',
                    status: 'COMPLETED',
                    conclusion: 'SUCCESS',
                    isRequired: true,
                  },
                  {
                    __typename: 'CheckRun',
                    name: 'lint',
                    status: 'IN_PROGRESS',
                    conclusion: null,
                    isRequired: true,
                  },
                  {
                    __typename: 'StatusContext',
                    context: 'coverage',
                    state: 'FAILURE',
                    isRequired: false,
                  },
                ],
              },
            },
          },
        },
      ],
    });
    expect(fake.requests.at(-1)?.graphql?.operationName).toBe('StewardPullRequestSnapshot');
    fake.assertNoUnexpected();
  });

  it('answers required checks, file texts and commit checks', async () => {
    const required = await octokit.graphql<{ repository: { ref: unknown } }>(
      REQUIRED_CHECKS_QUERY,
      {
        ...repo,
        qualifiedName: 'refs/heads/main',
      },
    );
    expect(required.repository.ref).toMatchObject({
      refUpdateRule: { requiredStatusCheckContexts: ['build'] },
    });

    const texts = await octokit.graphql<{ repository: Record<string, unknown> }>(
      fileTextsQuery(2),
      {
        ...repo,
        e0: `${pr.headSha}:package.json`,
        e1: `${pr.headSha}:missing.json`,
      },
    );
    expect(texts.repository).toEqual({
      f0: { text: '{"name":"widgets"}', isBinary: false, isTruncated: false },
      f1: null,
    });

    const base = await octokit.graphql<{ repository: { object: unknown } }>(COMMIT_CHECKS_QUERY, {
      ...repo,
      sha: 'main',
    });
    // GitHub answers null, not an empty rollup, for a commit without checks.
    expect(base.repository.object).toEqual({ statusCheckRollup: null });
    fake.assertNoUnexpected();
  });

  it('shows files seeded on a branch at that branch tip commit', async () => {
    fake.setFileContents('acme', 'widgets', 'main', { '.github/steward.yml': 'auto-merge: {}\n' });
    const data = await octokit.graphql<{ repository: { ref: unknown } }>(
      `query Config($owner: String!, $repo: String!) {
        repository(owner: $owner, name: $repo) {
          ref(qualifiedName: "refs/heads/main") {
            target { ... on Commit { file(path: ".github/steward.yml") { object { ... on Blob { text } } } } }
          }
        }
      }`,
      repo,
    );
    expect(data.repository.ref).toEqual({
      target: { file: { object: { text: 'auto-merge: {}\n' } } },
    });
  });

  it('arms auto-merge only at the expected head and not on a clean pull request', async () => {
    const moved = await postGraphql(ENABLE_AUTO_MERGE, {
      id: pr.nodeId,
      oid: 'a'.repeat(40),
      mergeMethod: 'SQUASH',
    });
    expect(moved.errors?.[0]).toMatchObject({
      type: 'UNPROCESSABLE',
      message: 'Head branch was modified. Review and try the merge again.',
    });
    expect(fake.autoMergeArms).toEqual([]);

    const armed = await postGraphql(ENABLE_AUTO_MERGE, {
      id: pr.nodeId,
      oid: pr.headSha,
      mergeMethod: 'SQUASH',
    });
    expect(armed).toEqual({
      data: {
        enablePullRequestAutoMerge: {
          pullRequest: { autoMergeRequest: { mergeMethod: 'SQUASH' } },
        },
      },
    });
    expect(fake.autoMergeArms).toMatchObject([{ number: pr.number, expectedHeadOid: pr.headSha }]);
    expect(pr.autoMerge).toEqual({ mergeMethod: 'SQUASH' });

    const clean = fake.addPullRequest({ ...repo, baseRefName: 'release' });
    const refused = await postGraphql(ENABLE_AUTO_MERGE, {
      id: clean.nodeId,
      oid: clean.headSha,
      mergeMethod: 'MERGE',
    });
    expect(refused.errors?.[0]?.message).toBe('Pull request Pull request is in clean status');
    fake.assertNoUnexpected();
  });

  it('answers a denied mutation with FORBIDDEN', async () => {
    fake.denyPermission({
      mutation: 'enablePullRequestAutoMerge',
      permission: 'pull_requests=write',
    });
    const denied = await postGraphql(ENABLE_AUTO_MERGE, {
      id: pr.nodeId,
      oid: pr.headSha,
      mergeMethod: 'MERGE',
    });
    expect(denied).toMatchObject({
      data: { enablePullRequestAutoMerge: null },
      errors: [
        {
          type: 'FORBIDDEN',
          path: ['enablePullRequestAutoMerge'],
          message: 'Resource not accessible by integration',
        },
      ],
    });
    expect(fake.autoMergeArms).toEqual([]);
    fake.assertNoUnexpected();
  });

  it('fails validation for a field that does not exist, and records it', async () => {
    const error = await graphqlError(
      octokit.graphql(
        'query Broken($n: Int!) { repository(owner: "acme", name: "widgets") { pullRequest(number: $n) { nope } } }',
        { n: pr.number },
      ),
    );
    expect(error.errors[0]?.message).toBe("Field 'nope' doesn't exist on type 'PullRequest'");
    expect(fake.unexpected).toMatchObject([
      {
        path: '/graphql',
        graphql: { operationName: 'Broken' },
        reason: expect.stringContaining('nope'),
      },
    ]);
  });

  it('refuses to answer null for a real field it does not implement', async () => {
    const error = await graphqlError(
      octokit.graphql(
        'query { repository(owner: "acme", name: "widgets") { pullRequest(number: 1) { reviewDecision } } }',
      ),
    );
    expect(error.errors[0]?.message).toBe(
      'GitHub fake does not implement PullRequest.reviewDecision',
    );
    expect(fake.unexpected[0]?.reason).toContain('PullRequest.reviewDecision');
  });

  it('reports unknown repositories and pull requests as GitHub does', async () => {
    const error = await graphqlError(
      octokit.graphql(PULL_REQUEST_SNAPSHOT_QUERY, { owner: 'acme', repo: 'widgets', number: 404 }),
    );
    expect(error.errors[0]).toMatchObject({
      type: 'NOT_FOUND',
      path: ['repository', 'pullRequest'],
      message: 'Could not resolve to a PullRequest with the number of 404.',
    });
    expect(fake.unexpected).toHaveLength(1);
  });

  it('enforces pagination limits on connections', async () => {
    const error = await graphqlError(
      octokit.graphql(
        'query { repository(owner: "acme", name: "widgets") { pullRequest(number: 1) { labels(first: 101) { nodes { name } } } } }',
      ),
    );
    expect(error.errors[0]).toMatchObject({ type: 'EXCESSIVE_PAGINATION' });
    expect(error.data).toBeUndefined();
  });
});
