import { request } from 'node:http';

/**
 * A webhook POST as an attacker sends it: any headers, any body, declared length or chunked, and
 * possibly never finished. Resolves with the answer, or with the error when the app closed the
 * connection before the client could finish sending (which is how a refused flood ends).
 */
export interface RawPost {
  /** A list sends the header once per value (a duplicated header). */
  headers: Record<string, string | string[]>;
  /** The body, sent in 64 KiB writes. */
  body: Buffer;
  /** false: no Content-Length (chunked), so the app learns the size only by reading. */
  declareLength?: boolean;
  /** Leaves the request open after the body (a slow sender holding a slot). */
  hold?: boolean;
  /** The request target sent as written (`/a/./b`, `/b/`, `/b#x`), not normalised as a URL. */
  path?: string;
}

export interface RawAnswer {
  status: number | null;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  error: string | null;
  /** Ends a held request. */
  abort(): void;
}

const CHUNK = 64 * 1024;

export function rawPost(
  url: string,
  post: RawPost,
): { answered: Promise<RawAnswer>; abort(): void } {
  const req = request(url, {
    ...(post.path === undefined ? {} : { path: post.path }),
    method: 'POST',
    headers: {
      ...post.headers,
      ...(post.declareLength === false ? {} : { 'content-length': String(post.body.length) }),
    },
  });
  const abort = () => req.destroy();
  const answered = new Promise<RawAnswer>((resolve) => {
    let settled = false;
    const settle = (answer: Omit<RawAnswer, 'abort'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...answer, abort });
    };
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        settle({ status: res.statusCode ?? null, headers: res.headers, text, error: null }),
      );
      res.on('error', (error) =>
        settle({
          status: res.statusCode ?? null,
          headers: res.headers,
          text,
          error: error.message,
        }),
      );
    });
    req.on('error', (error) =>
      settle({ status: null, headers: {}, text: '', error: error.message }),
    );
  });
  void (async () => {
    for (let at = 0; at < post.body.length && !req.destroyed; at += CHUNK) {
      if (!req.write(post.body.subarray(at, at + CHUNK)))
        await new Promise<void>((resolve) => {
          const done = () => {
            req.off('drain', done);
            req.off('close', done);
            resolve();
          };
          req.on('drain', done);
          req.on('close', done);
        });
    }
    if (!post.hold && !req.destroyed) req.end();
  })();
  return { answered, abort };
}

/** A Prometheus sample's value from /metrics text; 0 when the series is absent. */
export function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
