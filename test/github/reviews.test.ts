import { describe, expect } from 'vitest';
import { MissingPermissionError } from '../../src/github/errors.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';
import { gitHubTest } from '../support/github-world.ts';

const OWNER = 'acme';
const REPO = 'widgets';
const PATCH = '@@ -1,2 +1,3 @@\n a\n-b\n+B\n+c';

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

describe('GitHub client: reviews', () => {
  it('posts a COMMENT review and lists its comments back across pages', async ({
    github: { fake: github, client },
    pr,
  }) => {
    const comments = Array.from({ length: 150 }, (_, i) => ({
      path: 'x',
      line: 2 + (i % 2),
      side: 'RIGHT' as const,
      body: `c${i}`,
    }));
    const outcome = await client.createReview({
      number: pr.number,
      commitId: pr.headSha,
      body: 'review',
      comments,
    });
    expect(outcome.kind).toBe('created');
    const listed = await client.listReviewComments(pr.number);
    expect(listed).toHaveLength(150);
    expect(listed[149]).toMatchObject({ body: 'c149', path: 'x', line: 3, userType: 'Bot' });
    expect(github.requests.filter((r) => r.path.endsWith('/comments'))).toHaveLength(2);
  });

  it('sends a multi-line range as start_line and line on one side', async ({
    github: { fake: github, client },
    pr,
  }) => {
    await client.createReview({
      number: pr.number,
      commitId: pr.headSha,
      body: 'review',
      comments: [{ path: 'x', line: 3, startLine: 1, side: 'RIGHT', body: 'range' }],
    });
    expect(github.reviewComments(OWNER, REPO, pr.number)[0]).toMatchObject({
      start_line: 1,
      line: 3,
      side: 'RIGHT',
    });
  });

  it('answers a 422 with GitHub message as data, and stores nothing', async ({
    github: { fake: github, client },
    pr,
  }) => {
    const outcome = await client.createReview({
      number: pr.number,
      commitId: pr.headSha,
      body: 'review',
      comments: [
        { path: 'x', line: 2, side: 'RIGHT', body: 'fine' },
        { path: 'x', line: 9, side: 'RIGHT', body: 'off the diff' },
      ],
    });
    expect(outcome).toEqual({
      kind: 'rejected',
      message: 'Unprocessable Entity: Pull request review thread line must be part of the diff',
    });
    expect(github.reviews(OWNER, REPO, pr.number)).toEqual([]);
  });

  it('treats a deleted line as commentable on the LEFT side only', async ({
    github: { client },
    pr,
  }) => {
    const post = (side: 'LEFT' | 'RIGHT', line: number) =>
      client.createReview({
        number: pr.number,
        commitId: pr.headSha,
        body: 'review',
        comments: [{ path: 'x', line, side, body: `${side} ${line}` }],
      });
    expect((await post('LEFT', 2)).kind).toBe('created');
    expect((await post('LEFT', 3)).kind).toBe('rejected');
  });

  it('names the missing permission when the token cannot write reviews', async ({
    github: { fake: github, client },
    pr,
  }) => {
    github.denyPermission({
      method: 'POST',
      pathPattern: /\/reviews$/,
      permission: 'pull_requests=write',
    });
    await expect(
      client.createReview({ number: pr.number, commitId: pr.headSha, body: 'r', comments: [] }),
    ).rejects.toBeInstanceOf(MissingPermissionError);
  });
});
