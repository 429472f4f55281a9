import { getOctokit } from '@actions/github';
import { defaults } from '@actions/github/lib/utils';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { fetchWithTimeout } from './request-timeout.ts';

/** Secondary-rate-limit and primary-limit retries before giving up on a request. */
const MAX_RATE_LIMIT_RETRIES = 3;
/** How long one request may take: a connection GitHub never answers must not hold the job. */
const REQUEST_TIMEOUT_MS = 60_000;

export interface ActionsOctokitOptions {
  token: string;
  /** GITHUB_API_URL; GraphQL goes to `${baseUrl}/graphql` as on GitHub Enterprise. */
  baseUrl: string;
  warn: (message: string) => void;
  /** Per request; 60 s unless given. */
  timeoutMs?: number;
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
      // @actions/github's own request options (its proxy-aware fetch and agent), with a deadline.
      request: {
        ...defaults.request,
        fetch: fetchWithTimeout(
          options.timeoutMs ?? REQUEST_TIMEOUT_MS,
          (defaults.request?.fetch as typeof fetch | undefined) ?? fetch,
        ),
      },
      // 405 (not mergeable) and 409 (head moved) are answers, not outages: retrying them only waits.
      // Writes that must not happen twice (comments, reviews, dispatches) opt out per request and
      // look for themselves after a 5xx (write-once.ts).
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
