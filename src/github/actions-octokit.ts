import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

/** Secondary-rate-limit and primary-limit retries before giving up on a request. */
const MAX_RATE_LIMIT_RETRIES = 3;

export interface ActionsOctokitOptions {
  token: string;
  /** GITHUB_API_URL; GraphQL goes to `${baseUrl}/graphql` as on GitHub Enterprise. */
  baseUrl: string;
  warn: (message: string) => void;
}

/**
 * @actions/github's Octokit with the retry and throttling plugins it lacks: GitHub's secondary
 * rate limits hit bots that write comments and labels across many pull requests.
 */
export function createActionsOctokit(options: ActionsOctokitOptions) {
  const retryAfterLimit =
    (limit: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      options.warn(
        `GitHub ${limit} on ${request.method} ${request.url}; retrying in ${retryAfter}s`,
      );
      return retryCount < MAX_RATE_LIMIT_RETRIES;
    };
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      // 405 (not mergeable) and 409 (head moved) are answers, not outages: retrying them only waits.
      retry: { doNotRetry: [400, 401, 403, 404, 405, 409, 410, 422, 451] },
      throttle: {
        onRateLimit: retryAfterLimit('rate limit'),
        onSecondaryRateLimit: retryAfterLimit('secondary rate limit'),
      },
    },
    retry,
    throttling,
  );
}
