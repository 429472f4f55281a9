import type { GitHubClient } from './client.ts';
import { isOwnAuthor } from './comments.ts';
import type { OwnAccount } from './comments.ts';
import { explainGitHubError, isRequestError } from './errors.ts';
import type { OctokitLike } from './octokit-client.ts';
import type { ReviewCommentFacts } from './client.ts';
import { NO_BLIND_RETRY, writeOnce } from './write-once.ts';

/**
 * The only event Steward posts reviews with. It is a constant, not a parameter, so that nothing a
 * pull request says (or a model is talked into) can turn a review into an approval.
 */
export const REVIEW_EVENT = 'COMMENT';

type ReviewMethods = Pick<GitHubClient, 'listReviewComments' | 'createReview'>;

interface ReviewLike {
  id: number;
  commit_id?: string | null;
  body?: string | null;
  user?: { login?: string; id?: number; type?: string } | null;
}

/** The review half of the GitHub client, kept apart so octokit-client.ts stays readable. */
export function createReviewMethods(
  octokit: OctokitLike,
  base: { owner: string; repo: string },
  paginate: (route: string, parameters: Record<string, unknown>, max: number) => Promise<unknown[]>,
  ownAccount: () => Promise<OwnAccount>,
): ReviewMethods {
  return {
    async listReviewComments(number) {
      const account = await ownAccount();
      const items = await paginate(
        'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
        { pull_number: number },
        100_000,
      );
      return items.map((item) => toReviewCommentFacts(item, account));
    },

    async createReview({ number, commitId, body, comments }) {
      try {
        const id = await writeOnce(
          async () => {
            const { data } = await octokit.request(
              'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
              {
                ...base,
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
            );
            return (data as { id: number }).id;
          },
          // After a 5xx the review may exist all the same: this account's, found by its first
          // inline comment (each carries its finding's hidden marker), or by its commit and body.
          async () => {
            const account = await ownAccount();
            const ours = (user: ReviewLike['user']) => isOwnAuthor(user, account);
            const first = comments[0];
            if (first) {
              const posted = (await paginate(
                'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
                { pull_number: number },
                100_000,
              )) as (ReviewLike & { pull_request_review_id?: number | null })[];
              const found = posted.find((c) => c.body === first.body && ours(c.user));
              return found?.pull_request_review_id ?? null;
            }
            const reviews = (await paginate(
              'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
              { pull_number: number },
              10_000,
            )) as ReviewLike[];
            const found = reviews.find(
              (r) => r.commit_id === commitId && r.body === body && ours(r.user),
            );
            return found?.id ?? null;
          },
        );
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

function toReviewCommentFacts(raw: unknown, account: OwnAccount): ReviewCommentFacts {
  const c = raw as {
    id: number;
    body?: string | null;
    path: string;
    line?: number | null;
    user?: { login?: string; id?: number; type?: string } | null;
  };
  return {
    id: c.id,
    body: c.body ?? '',
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
