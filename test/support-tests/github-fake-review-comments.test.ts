import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubFake } from '../support/github-fake/index.ts';
import type { GitHubFake, PullRequestHandle } from '../support/github-fake/index.ts';

/**
 * The fake's review comment routes and review threads, called through Octokit's typed REST methods
 * (so the routes and parameters are GitHub's) and GraphQL documents the real schema validates.
 */

const TOKEN = 'ghs_testtoken';
const repo = { owner: 'acme', repo: 'widgets' };
const MONA = { login: 'mona', type: 'User' } as const;

let fake: GitHubFake;
let octokit: ReturnType<typeof getOctokit>;
let pr: PullRequestHandle;

beforeEach(async () => {
  fake = await startGitHubFake({ token: TOKEN });
  fake.addRepo({ ...repo, defaultBranch: 'main' });
  pr = fake.addPullRequest({ ...repo, files: [{ path: 'x', patch: '@@ -1 +1,2 @@\n a\n+b' }] });
  octokit = getOctokit(TOKEN, { baseUrl: fake.url });
});

afterEach(async () => {
  fake.assertNoUnexpected();
  await fake.close();
});

describe('GitHub fake review comments', () => {
  it('serves reactions to review comments: the rollup, the listing by content, and the bot’s own', async () => {
    const seeded = fake.addReviewComment(repo.owner, repo.repo, pr.number, {
      path: 'x',
      line: 2,
      body: 'look',
    });
    fake.addReviewCommentReaction(repo.owner, repo.repo, seeded.id, '-1', MONA);
    const created = await octokit.rest.reactions.createForPullRequestReviewComment({
      ...repo,
      comment_id: seeded.id,
      content: '+1',
    });
    const again = await octokit.rest.reactions.createForPullRequestReviewComment({
      ...repo,
      comment_id: seeded.id,
      content: '+1',
    });
    expect([created.status, again.status]).toEqual([201, 200]);

    const { data: comment } = await octokit.rest.pulls.getReviewComment({
      ...repo,
      comment_id: seeded.id,
    });
    expect(comment.reactions).toMatchObject({ total_count: 2, '+1': 1, '-1': 1, heart: 0 });
    const { data: downs } = await octokit.rest.reactions.listForPullRequestReviewComment({
      ...repo,
      comment_id: seeded.id,
      content: '-1',
    });
    expect(downs.map((r) => [r.content, r.user?.login])).toEqual([['-1', 'mona']]);
    // Issue comment reactions are another list: the review comment's are not among them.
    expect(fake.reactions(repo.owner, repo.repo, seeded.id)).toEqual([]);
  });

  it('updates a review comment’s body and lists the repository’s comments by creation', async () => {
    const a = fake.addReviewComment(repo.owner, repo.repo, pr.number, {
      path: 'x',
      line: 2,
      body: 'a',
    });
    const b = fake.addReviewComment(repo.owner, repo.repo, pr.number, {
      path: 'x',
      line: 1,
      body: 'b',
    });
    const { data: updated } = await octokit.rest.pulls.updateReviewComment({
      ...repo,
      comment_id: a.id,
      body: 'a2',
    });
    expect(updated.body).toBe('a2');
    const ids = async (params: { sort?: 'created'; direction?: 'asc' | 'desc' }) =>
      (await octokit.rest.pulls.listReviewCommentsForRepo({ ...repo, ...params })).data.map(
        (c) => c.id,
      );
    expect(await ids({})).toEqual([a.id, b.id]);
    expect(await ids({ sort: 'created', direction: 'desc' })).toEqual([b.id, a.id]);
    expect(await ids({ sort: 'created', direction: 'asc' })).toEqual([a.id, b.id]);
  });

  it('opens a thread per review comment that resolveReviewThread and unresolveReviewThread turn', async () => {
    const seeded = fake.addReviewComment(repo.owner, repo.repo, pr.number, {
      path: 'x',
      line: 2,
      body: 'look',
    });
    const query = `query($owner: String!, $repo: String!, $number: Int!) {
      repository(owner: $owner, name: $repo) {
        pullRequest(number: $number) {
          reviewThreads(first: 10) {
            totalCount
            nodes {
              id isResolved isOutdated path line diffSide viewerCanResolve viewerCanUnresolve
              resolvedBy { login }
              comments(first: 1) { nodes { fullDatabaseId body author { login } } }
            }
          }
        }
      }
    }`;
    type Threads = {
      repository: {
        pullRequest: {
          reviewThreads: { nodes: { id: string; isResolved: boolean; [k: string]: unknown }[] };
        };
      };
    };
    const threads = async () =>
      (await octokit.graphql<Threads>(query, { ...repo, number: pr.number })).repository.pullRequest
        .reviewThreads.nodes;
    const [thread] = await threads();
    expect(thread).toMatchObject({
      isResolved: false,
      path: 'x',
      line: 2,
      diffSide: 'RIGHT',
      viewerCanResolve: true,
      resolvedBy: null,
      comments: {
        nodes: [{ fullDatabaseId: String(seeded.id), body: 'look', author: { login: 'octocat' } }],
      },
    });
    const resolved = await octokit.graphql<{
      resolveReviewThread: { thread: { isResolved: boolean } };
    }>(
      'mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { isResolved } } }',
      { id: thread!.id },
    );
    expect(resolved.resolveReviewThread.thread.isResolved).toBe(true);
    expect(fake.reviewComments(repo.owner, repo.repo, pr.number)[0]!.resolved).toBe(true);
    await octokit.graphql(
      'mutation($id: ID!) { unresolveReviewThread(input: { threadId: $id }) { thread { isResolved } } }',
      { id: thread!.id },
    );
    expect((await threads())[0]!.isResolved).toBe(false);
  });

  it('refuses to seed a review comment off the diff, as GitHub refuses to post one', () => {
    expect(() =>
      fake.addReviewComment(repo.owner, repo.repo, pr.number, { path: 'x', line: 9, body: 'no' }),
    ).toThrow(/not in the diff/);
  });
});
