import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RefusalReason } from './metrics.ts';

/**
 * The HTTP edge the incident routes share: the bearer check (before any byte of the body is
 * read), bodies read under a cap, and answers that never carry a stack.
 */

/** An answer short of success: status, the reason said in the body, and the metric's reason. */
export class RouteError extends Error {
  readonly status: number;
  readonly refusal: RefusalReason | null;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    reason: string,
    refusal: RefusalReason | null,
    headers: Record<string, string> = {},
  ) {
    super(reason);
    this.name = 'RouteError';
    this.status = status;
    this.refusal = refusal;
    this.headers = headers;
  }
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether the request carries `Authorization: Bearer <token>`. Both sides are hashed first, so
 * the comparison takes the same time whatever the length or content of what was sent.
 */
export function hasBearer(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization;
  const given = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
  // A missing token still costs a comparison: no answer comes back faster for it.
  const match = timingSafeEqual(digest(given ?? ''), digest(token));
  return given !== undefined && match;
}

export function unauthorized(): RouteError {
  return new RouteError(
    401,
    'a bearer token is required (Authorization: Bearer …)',
    'unauthorized',
    {
      'www-authenticate': 'Bearer',
    },
  );
}

function tooLarge(maxBytes: number): RouteError {
  return new RouteError(413, `the body is larger than ${describeBytes(maxBytes)}`, 'too_large');
}

function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / 1024 / 1024} MiB`
    : `${bytes} bytes`;
}

/**
 * The body, at most `maxBytes`: a declared length over it is refused before reading, and a body
 * that grows past it stops being read at the chunk that crosses it.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let held = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    held += chunk.length;
    if (held > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const JSON_CONTENT_TYPE = /^\s*application\/json\s*(?:;|$)/i;

export function requireJsonContentType(req: IncomingMessage): void {
  if (!JSON_CONTENT_TYPE.test(req.headers['content-type'] ?? ''))
    throw new RouteError(400, 'Content-Type must be application/json', 'not_json');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text; a body that is not UTF-8 is refused. */
export function bodyText(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch (error: unknown) {
    if (!(error instanceof TypeError)) throw error;
    throw new RouteError(400, 'the body is not UTF-8 text', 'not_json');
  }
}

export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(bodyText(body)) as unknown;
  } catch (error: unknown) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new RouteError(400, 'the body is not JSON', 'not_json');
  }
}

/**
 * Sends a JSON answer. A refusal sent before its body was read closes the connection, so the
 * unread bytes are not taken for the next request.
 */
export function answerJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(`${JSON.stringify(body)}\n`);
}

/** The request's path, without query or trailing slashes; null when it is not a URL path. */
export function pathOf(target: string): { path: string; query: URLSearchParams } | null {
  try {
    const url = new URL(target, 'http://localhost');
    return { path: url.pathname.replace(/\/+$/, '') || '/', query: url.searchParams };
  } catch (error: unknown) {
    if (!(error instanceof TypeError)) throw error;
    return null;
  }
}
