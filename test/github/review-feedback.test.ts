import { describe, expect } from 'vitest';
import { REPOSITORY_REVIEW_COMMENTS_LIMIT } from '../../src/github/client.ts';
import { GitHubShapeError, MissingPermissionError } from '../../src/github/errors.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';
import { gitHubTest } from '../support/github-world.ts';

const OWNER = 'acme';
const REPO = 'widgets';
const PATCH = '@@ -1,2 +1,3 @@\n a\n-b\n+B\n+c';
const MONA = { login: 'mona', type: 'User' } as const;
const EVE = { login: 'eve', type: 'User' } as const;

type Json = Record<string, unknown>;

/** The client over the fake, and a pull request changing one file `x` by PATCH. */
const it = gitHubTest().extend<{ pr: ReturnType<GitHubFake['addPullRequest']> }>({
  pr: async ({ github }, use) => {
    await use(
      github.fake.addPullRequest({
        owner: OWNER,
        repo: REPO,
        files: [{ path: 'x', patch: PATCH }],
      }),
    );
  },
});

const writes = (fake: GitHubFake) =>
  fake.requests.filter(
    (r) =>
      r.method !== 'GET' && !(r.path === '/graphql' && !/^\s*mutation\b/.test(r.graphql!.document)),
  );

describe('GitHub client: review comment feedback', () => {
  it('reads the 👍 / 👎 rollup of each review comment, and who reacted', async ({
    github: { fake, client },
    pr,
  }) => {
    await client.createReview({
      number: pr.number,
      commitId: pr.headSha,
      body: 'r',
      comments: [{ path: 'x', line: 2, side: 'RIGHT', body: 'mine' }],
    });
    const [comment] = fake.reviewComments(OWNER, REPO, pr.number);
    fake.addReviewCommentReaction(OWNER, REPO, comment!.id, '-1', MONA);
    fake.addReviewCommentReaction(OWNER, REPO, comment!.id, '-1', EVE);
    fake.addReviewCommentReaction(OWNER, REPO, comment!.id, '+1', EVE);
    fake.addReviewCommentReaction(OWNER, REPO, comment!.id, 'heart', MONA);

    const [listed] = await client.listReviewComments(pr.number);
    expect(listed).toMatchObject({ id: comment!.id, ours: true, thumbsUp: 1, thumbsDown: 2 });
    expect(await client.listReviewCommentReactions(comment!.id)).toEqual([
      { content: '-1', login: 'mona', userType: 'User' },
      { content: '-1', login: 'eve', userType: 'User' },
      { content: '+1', login: 'eve', userType: 'User' },
      { content: 'heart', login: 'mona', userType: 'User' },
    ]);
  });

  it('reads a comment without the optional rollup as no reactions, and a broken rollup as a shape error', async ({
    github: { fake, client },
    pr,
  }) => {
    fake.addReviewComment(OWNER, REPO, pr.number, { path: 'x', line: 2, body: 'hi' });
    fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/pulls\/\d+\/comments$/,
      reshape: (body) => (body as Json[]).map(({ reactions: _, ...c }) => c),
    });
    expect(await client.listReviewComments(pr.number)).toEqual([
      expect.objectContaining({ thumbsUp: 0, thumbsDown: 0, ours: false }),
    ]);
    fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/pulls\/comments$/,
      reshape: (body) => (body as Json[]).map((c) => ({ ...c, reactions: { '+1': 'many' } })),
    });
    const error = await client.listRepositoryReviewComments().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubShapeError);
    expect((error as GitHubShapeError).problems.map((p) => p.field)).toEqual([
      '[0].reactions.+1',
      '[0].reactions.-1',
    ]);
  });

  it('lists the repository’s newest review comments across pull requests, at most 10 pages of 100', async ({
    github: { fake, client },
    pr,
  }) => {
    const other = fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      files: [{ path: 'y', patch: PATCH }],
    });
    const total = REPOSITORY_REVIEW_COMMENTS_LIMIT + 50;
    for (let i = 0; i < total; i++) {
      const target = i % 2 === 0 ? pr : other;
      fake.addReviewComment(OWNER, REPO, target.number, {
        path: target === pr ? 'x' : 'y',
        line: 2,
        body: `c${i}`,
      });
    }
    const listed = await client.listRepositoryReviewComments();
    expect(listed).toHaveLength(REPOSITORY_REVIEW_COMMENTS_LIMIT);
    // Newest first: the 50 oldest are the ones left out.
    expect(listed[0]!.body).toBe(`c${total - 1}`);
    expect(listed.at(-1)!.body).toBe('c50');
    expect(new Set(listed.map((c) => c.path))).toEqual(new Set(['x', 'y']));
    const pages = fake.requests.filter((r) => r.path === `/repos/${OWNER}/${REPO}/pulls/comments`);
    expect(pages).toHaveLength(10);
    expect(pages[0]!.query).toMatchObject({ sort: 'created', direction: 'desc', per_page: '100' });
  });

  it('edits only its own review comments, and not at all when the text is the same', async ({
    github: { fake, client },
    pr,
  }) => {
    await client.createReview({
      number: pr.number,
      commitId: pr.headSha,
      body: 'r',
      comments: [{ path: 'x', line: 2, side: 'RIGHT', body: 'before' }],
    });
    const theirs = fake.addReviewComment(OWNER, REPO, pr.number, {
      path: 'x',
      line: 3,
      body: 'a person’s',
    });
    const [mine] = fake.reviewComments(OWNER, REPO, pr.number);
    expect(await client.updateReviewComment(mine!.id, 'after')).toBe('updated');
    expect(await client.updateReviewComment(mine!.id, 'after')).toBe('unchanged');
    await expect(client.updateReviewComment(theirs.id, 'hijacked')).rejects.toThrow(
      /did not write review comment .* octocat/,
    );
    expect(fake.reviewComments(OWNER, REPO, pr.number).map((c) => c.body)).toEqual([
      'after',
      'a person’s',
    ]);
    expect(writes(fake).filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('finds each comment’s thread across pages, and resolves and unresolves it', async ({
    github: { fake, client },
    pr,
  }) => {
    for (let i = 0; i < 130; i++)
      fake.addReviewComment(OWNER, REPO, pr.number, { path: 'x', line: 2, body: `c${i}` });
    const comments = fake.reviewComments(OWNER, REPO, pr.number);
    const threads = await client.listReviewThreads(pr.number);
    expect(threads).toHaveLength(130);
    expect(threads.map((t) => t.firstCommentId)).toEqual(comments.map((c) => c.id));
    expect(threads.every((t) => !t.isResolved)).toBe(true);
    expect(
      fake.requests.filter((r) => r.graphql?.operationName === 'StewardReviewThreads'),
    ).toHaveLength(2);

    const last = threads.at(-1)!;
    await client.setReviewThreadResolved(last.id, true);
    expect(fake.reviewComments(OWNER, REPO, pr.number).at(-1)!.resolved).toBe(true);
    expect((await client.listReviewThreads(pr.number)).at(-1)!.isResolved).toBe(true);
    await client.setReviewThreadResolved(last.id, false);
    expect(fake.reviewComments(OWNER, REPO, pr.number).at(-1)!.resolved).toBe(false);
  });

  it('passes over null threads and a thread without its comment, and stops on a mistyped one', async ({
    github: { fake, client },
    pr,
  }) => {
    fake.addReviewComment(OWNER, REPO, pr.number, { path: 'x', line: 2, body: 'a' });
    fake.addReviewComment(OWNER, REPO, pr.number, { path: 'x', line: 3, body: 'b' });
    type Threads = {
      data: { repository: { pullRequest: { reviewThreads: { nodes: (Json | null)[] } } } };
    };
    // The fake applies the first matching drift only: one reshaping, switched by `mistyped`.
    let mistyped = false;
    fake.driftAnswers({
      method: 'POST',
      pathPattern: /^\/graphql$/,
      reshape: (body) => {
        const nodes = (body as Threads).data.repository?.pullRequest?.reviewThreads?.nodes;
        if (!nodes) return body;
        nodes[0] = null;
        if (mistyped) nodes[1]!['isResolved'] = 'yes';
        else (nodes[1]!['comments'] as { nodes: unknown[] }).nodes = [];
        return body;
      },
    });
    expect(await client.listReviewThreads(pr.number)).toEqual([
      { id: expect.any(String), isResolved: false, firstCommentId: null },
    ]);
    mistyped = true;
    await expect(client.listReviewThreads(pr.number)).rejects.toBeInstanceOf(GitHubShapeError);
  });

  it('names the missing permission when the token may not edit comments or resolve threads', async ({
    github: { fake, client },
    pr,
  }) => {
    await client.createReview({
      number: pr.number,
      commitId: pr.headSha,
      body: 'r',
      comments: [{ path: 'x', line: 2, side: 'RIGHT', body: 'mine' }],
    });
    const [mine] = fake.reviewComments(OWNER, REPO, pr.number);
    const [thread] = await client.listReviewThreads(pr.number);
    fake.denyPermission({
      method: 'PATCH',
      pathPattern: /\/pulls\/comments\/\d+$/,
      permission: 'pull_requests=write',
    });
    fake.denyPermission({ mutation: 'resolveReviewThread', permission: 'pull_requests=write' });
    await expect(client.updateReviewComment(mine!.id, 'x')).rejects.toBeInstanceOf(
      MissingPermissionError,
    );
    await expect(client.setReviewThreadResolved(thread!.id, true)).rejects.toBeInstanceOf(
      MissingPermissionError,
    );
  });

  it('answers no reactions for a comment deleted since it was listed', async ({
    github: { client },
  }) => {
    // The fake answers 404 for an unknown comment, as GitHub does; it is no unexpected request.
    expect(await client.listReviewCommentReactions(999_999)).toEqual([]);
  });
});
