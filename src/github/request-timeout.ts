/**
 * A fetch for Octokit's `request.fetch` that gives up on a request after `timeoutMs`: a connection
 * GitHub never answers would otherwise hold its handler, and the installation's write limiter
 * behind it, forever. The error names the request and the limit; Octokit reports it as a 500
 * (`RequestError`), so reads are retried and writes go through their own after-5xx check.
 */
export function fetchWithTimeout(timeoutMs: number, base: typeof fetch = fetch): typeof fetch {
  return async (input, init = {}) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await base(input, { ...init, signal });
    } catch (error: unknown) {
      if (!timeout.aborted) throw error;
      const method = init.method ?? 'GET';
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      throw new Error(
        `GitHub did not answer ${method} ${new URL(url).pathname} within ${timeoutMs / 1000} s`,
        { cause: error },
      );
    }
  };
}
