import { z } from 'zod';
import { restUser } from './accounts.ts';
import type { GitHubClient, ReviewCommentDraft, ReviewCommentFacts } from './client.ts';
import { isOwnAuthor } from './comments.ts';
import { explainGitHubError, isRequestError } from './errors.ts';
import type { OwnAccount, Transport } from './transport.ts';
import { NO_BLIND_RETRY, writeOnce } from './write-once.ts';

/**
 * The only event Steward posts reviews with. It is a constant, not a parameter, so that nothing a
 * pull request says (or a model is talked into) can turn a review into an approval.
 */
export const REVIEW_EVENT = 'COMMENT';

type ReviewMethods = Pick<GitHubClient, 'listReviewComments' | 'createReview'>;

/** REST `pull-request-review-comment`; `line` is absent or null on an outdated comment. */
const reviewComment = z.object({
  id: z.number(),
  pull_request_review_id: z.number().nullable(),
  body: z.string(),
  path: z.string(),
  line: z.number().nullish(),
  user: restUser.nullable(),
});

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
  };
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
