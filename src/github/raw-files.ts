import type { RepositoryFile, RepositoryFileRead } from './client.ts';
import { explainGitHubError, isRequestError } from './errors.ts';
import type { OctokitLike } from './transport.ts';

/**
 * A file's raw text from any repository the token can read, through the contents API. 404 is
 * "missing" (GitHub says the same for a missing file, a missing repository and one the token cannot
 * see); other failures are thrown. The body is read only up to `maxBytes`: a 5 MB file costs 64 KB.
 */
export async function readRepositoryFile(
  octokit: Pick<OctokitLike, 'request'>,
  file: RepositoryFile,
  maxBytes: number,
): Promise<RepositoryFileRead> {
  const limited = sizeLimitedFetch(maxBytes, configuredFetch(octokit));
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: file.owner,
      repo: file.repo,
      path: file.path,
      ...(file.ref === undefined ? {} : { ref: file.ref }),
      mediaType: { format: 'raw' },
      request: { fetch: limited.fetch },
    });
    if (limited.oversized !== undefined) return { kind: 'too-large', bytes: limited.oversized };
    // A directory at the path answers with a JSON listing: not a file.
    if (typeof data !== 'string') return { kind: 'missing' };
    return { kind: 'text', text: data };
  } catch (error: unknown) {
    if (isRequestError(error) && error.status === 404) return { kind: 'missing' };
    throw explainGitHubError(
      error,
      `read ${file.owner}/${file.repo}:${file.path}`,
      'contents=read',
    );
  }
}

/**
 * The fetch the Octokit was built with (its request deadline, the runner's proxy), so the size
 * limit wraps it rather than replacing it; the global fetch when it was built with none.
 */
function configuredFetch(octokit: Pick<OctokitLike, 'request'>): typeof fetch {
  const request = octokit.request as {
    endpoint?: { DEFAULTS?: { request?: { fetch?: typeof fetch } } };
  };
  return request.endpoint?.DEFAULTS?.request?.fetch ?? fetch;
}

/**
 * A fetch that reads a successful body only up to `limit` bytes. Past it, the body is dropped
 * (the answer is an empty text) and `oversized` says how big it was: Content-Length when GitHub
 * sent it uncompressed, else null for "more than the limit".
 */
function sizeLimitedFetch(limit: number, base: typeof fetch) {
  const state: { oversized?: number | null; fetch: typeof fetch } = {
    async fetch(input, init) {
      const response = await base(input, init);
      if (!response.ok || response.body === null) return response;
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      headers.delete('content-encoding');
      const declared = Number(response.headers.get('content-length'));
      const compressed = response.headers.has('content-encoding');
      if (!compressed && declared > limit) {
        await response.body.cancel();
        state.oversized = declared;
        return new Response('', { status: response.status, headers });
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > limit) {
          await reader.cancel();
          state.oversized = null;
          return new Response('', { status: response.status, headers });
        }
        chunks.push(value);
      }
      return new Response(Buffer.concat(chunks), { status: response.status, headers });
    },
  };
  return state;
}
