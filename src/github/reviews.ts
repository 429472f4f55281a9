import { z } from 'zod';
import { restUser } from './accounts.ts';
import {
  REACTIONS,
  REPOSITORY_REVIEW_COMMENTS_LIMIT,
  type GitHubClient,
  type ReactionFacts,
  type Reaction,
  type ReviewCommentDraft,
  type ReviewCommentFacts,
  type ReviewThreadFacts,
} from './client.ts';
import { isOwnAuthor } from './comments.ts';
import {
  describeGraphqlErrors,
  explainGitHubError,
  GitHubAnswerError,
  graphqlFailure,
  isGraphqlForbidden,
  isRequestError,
  MissingPermissionError,
} from './errors.ts';
import {
  RESOLVE_REVIEW_THREAD_MUTATION,
  REVIEW_THREADS_QUERY,
  UNRESOLVE_REVIEW_THREAD_MUTATION,
} from './queries.ts';
import type { OwnAccount, Transport } from './transport.ts';
import { NO_BLIND_RETRY, writeOnce } from './write-once.ts';

/**
 * The only event Steward posts reviews with. It is a constant, not a parameter, so that nothing a
 * pull request says (or a model is talked into) can turn a review into an approval.
 */
export const REVIEW_EVENT = 'COMMENT';

type ReviewMethods = Pick<
  GitHubClient,
  | 'listReviewComments'
  | 'createReview'
  | 'listRepositoryReviewComments'
  | 'listReviewCommentReactions'
  | 'updateReviewComment'
  | 'listReviewThreads'
  | 'setReviewThreadResolved'
>;

/** REST `reaction-rollup`: what Steward reads of it. */
const reactionRollup = z.object({ '+1': z.number(), '-1': z.number() });

/**
 * REST `pull-request-review-comment`; `line` is absent or null on an outdated comment, and
 * `reactions` is optional in GitHub's description.
 */
const reviewComment = z.object({
  id: z.number(),
  pull_request_review_id: z.number().nullable(),
  body: z.string(),
  path: z.string(),
  line: z.number().nullish(),
  user: restUser.nullable(),
  reactions: reactionRollup.optional(),
});

/** REST `reaction`; a content GitHub adds later is read and passed over. */
const reaction = z.object({ content: z.string(), user: restUser.nullable() });

/** GraphQL `PullRequestReviewThreadConnection`, as REVIEW_THREADS_QUERY asks it. */
const reviewThreadsAnswer = z.object({
  repository: z.object({
    pullRequest: z.object({
      reviewThreads: z.object({
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
        nodes: z.array(
          z
            .object({
              id: z.string(),
              isResolved: z.boolean(),
              comments: z.object({
                // BigInt, which GitHub encodes as a string.
                nodes: z.array(
                  z
                    .object({ fullDatabaseId: z.union([z.string(), z.number()]).nullable() })
                    .nullable(),
                ),
              }),
            })
            .nullable(),
        ),
      }),
    }),
  }),
});

const threadPayload = z.object({ thread: z.object({ id: z.string(), isResolved: z.boolean() }) });

/** Pages of 100 threads read at most: 5,000 threads, far beyond any pull request's. */
const MAX_THREAD_PAGES = 50;

/** REST `pull-request-review`. */
const review = z.object({
  id: z.number(),
  commit_id: z.string().nullable(),
  body: z.string(),
  user: restUser.nullable(),
});

const created = z.object({ id: z.number() });

export function createReviewMethods(t: Transport): ReviewMethods {
  const listComments = (number: number) =>
    t.paginate(
      `the review comments of pull request #${number}`,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
      { pull_number: number },
      100_000,
      reviewComment,
    );

  /**
   * After a 5xx the review may exist all the same: this account's, found by its first inline
   * comment (each carries its finding's hidden marker), or by its commit and body.
   */
  async function findPosted(
    number: number,
    commitId: string,
    body: string,
    first: ReviewCommentDraft | undefined,
  ): Promise<number | null> {
    const account = await t.ownAccount();
    if (first) {
      const posted = await listComments(number);
      const found = posted.find((c) => c.body === first.body && isOwnAuthor(c.user, account));
      return found?.pull_request_review_id ?? null;
    }
    const reviews = await t.paginate(
      `the reviews of pull request #${number}`,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      { pull_number: number },
      10_000,
      review,
    );
    const found = reviews.find(
      (r) => r.commit_id === commitId && r.body === body && isOwnAuthor(r.user, account),
    );
    return found?.id ?? null;
  }

  return {
    async listReviewComments(number) {
      const account = await t.ownAccount();
      const items = await listComments(number);
      return items.map((item) => toReviewCommentFacts(item, account));
    },

    async listRepositoryReviewComments() {
      const account = await t.ownAccount();
      const items = await t.paginate(
        'the newest review comments of the repository',
        'GET /repos/{owner}/{repo}/pulls/comments',
        { sort: 'created', direction: 'desc' },
        REPOSITORY_REVIEW_COMMENTS_LIMIT,
        reviewComment,
      );
      return items
        .slice(0, REPOSITORY_REVIEW_COMMENTS_LIMIT)
        .map((item) => toReviewCommentFacts(item, account));
    },

    async listReviewCommentReactions(commentId) {
      try {
        const items = await t.paginate(
          `the reactions to review comment ${commentId}`,
          'GET /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions',
          { comment_id: commentId },
          10_000,
          reaction,
        );
        return items.flatMap((r): ReactionFacts[] =>
          isReaction(r.content)
            ? [{ content: r.content, login: r.user?.login ?? null, userType: r.user?.type ?? null }]
            : [],
        );
      } catch (error: unknown) {
        // A comment deleted since it was listed has no reactions left to count.
        if (isRequestError(error) && error.status === 404) return [];
        throw error;
      }
    },

    async updateReviewComment(commentId, body) {
      const account = await t.ownAccount();
      const current = await t.request(
        `review comment ${commentId}`,
        'GET /repos/{owner}/{repo}/pulls/comments/{comment_id}',
        { comment_id: commentId },
        reviewComment,
      );
      if (!isOwnAuthor(current.user, account)) {
        throw new Error(
          `Steward did not write review comment ${commentId} (it is ${current.user?.login ?? 'a deleted account'}'s), so it does not edit it`,
        );
      }
      if (current.body === body) return 'unchanged';
      // The same body sent twice is the same comment: a retry after a 5xx does no harm.
      await t.write('edit review comments', 'pull_requests=write', () =>
        t.octokit.request('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', {
          ...t.base,
          comment_id: commentId,
          body,
        }),
      );
      return 'updated';
    },

    async listReviewThreads(number) {
      const what = `the review threads of pull request #${number}`;
      const threads: ReviewThreadFacts[] = [];
      let after: string | null = null;
      for (let page = 0; page < MAX_THREAD_PAGES; page++) {
        const variables: Record<string, unknown> = { ...t.base, number, after };
        const answer = await t.read(what, () =>
          t.graphql(what, REVIEW_THREADS_QUERY, variables, reviewThreadsAnswer),
        );
        const connection = answer.repository.pullRequest.reviewThreads;
        for (const node of connection.nodes) {
          if (node === null) continue;
          const first = node.comments.nodes[0]?.fullDatabaseId ?? null;
          const id = first === null ? NaN : Number(first);
          threads.push({
            id: node.id,
            isResolved: node.isResolved,
            firstCommentId: Number.isSafeInteger(id) ? id : null,
          });
        }
        if (!connection.pageInfo.hasNextPage || connection.pageInfo.endCursor === null) break;
        after = connection.pageInfo.endCursor;
      }
      return threads;
    },

    async setReviewThreadResolved(threadId, resolved) {
      const what = `${resolved ? 'resolving' : 'unresolving'} review thread ${threadId}`;
      const document = resolved ? RESOLVE_REVIEW_THREAD_MUTATION : UNRESOLVE_REVIEW_THREAD_MUTATION;
      const field = resolved ? 'resolveReviewThread' : 'unresolveReviewThread';
      try {
        await t.graphql(what, document, { threadId }, z.object({ [field]: threadPayload }));
      } catch (error: unknown) {
        if (isGraphqlForbidden(error))
          throw new MissingPermissionError('resolve review threads', 'pull_requests=write');
        const graphql = graphqlFailure(error);
        if (graphql) throw new GitHubAnswerError(what, describeGraphqlErrors(graphql.errors), true);
        throw explainGitHubError(error, 'resolve review threads', 'pull_requests=write');
      }
    },

    async createReview({ number, commitId, body, comments }) {
      try {
        const post = async () => {
          const answer = await t.request(
            `the review posted on pull request #${number}`,
            'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
            {
              pull_number: number,
              commit_id: commitId,
              body,
              event: REVIEW_EVENT,
              comments: comments.map((c) => ({
                path: c.path,
                line: c.line,
                side: c.side,
                ...(c.startLine === undefined
                  ? {}
                  : { start_line: c.startLine, start_side: c.side }),
                body: c.body,
              })),
              request: NO_BLIND_RETRY,
            },
            created,
          );
          return answer.id;
        };
        const id = await writeOnce(post, () => findPosted(number, commitId, body, comments[0]));
        return { kind: 'created', id };
      } catch (error: unknown) {
        if (isRequestError(error) && error.status === 422) {
          return { kind: 'rejected', message: unprocessableMessage(error) };
        }
        throw explainGitHubError(error, 'review pull requests', 'pull_requests=write');
      }
    },
  };
}

function toReviewCommentFacts(
  c: z.output<typeof reviewComment>,
  account: OwnAccount,
): ReviewCommentFacts {
  return {
    id: c.id,
    body: c.body,
    path: c.path,
    line: c.line ?? null,
    userType: c.user?.type ?? null,
    authorLogin: c.user?.login ?? null,
    ours: isOwnAuthor(c.user, account),
    thumbsUp: c.reactions?.['+1'] ?? 0,
    thumbsDown: c.reactions?.['-1'] ?? 0,
  };
}

function isReaction(content: string): content is Reaction {
  return (REACTIONS as readonly string[]).includes(content);
}

/** GitHub's message with its `errors` entries, which say what was wrong ("… part of the diff"). */
function unprocessableMessage(error: { message: string; response?: { data?: unknown } }): string {
  const data = error.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const errors = Array.isArray(data?.errors)
    ? data.errors.map((e: unknown) =>
        typeof e === 'string'
          ? e
          : String((e as { message?: unknown } | null)?.message ?? JSON.stringify(e)),
      )
    : [];
  const message = typeof data?.message === 'string' ? data.message : error.message;
  return errors.length > 0 ? `${message}: ${errors.join('; ')}` : message;
}
