import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { eventLabel } from './metrics.ts';
import type { AppMetrics, ShedReason } from './metrics.ts';

/** GitHub caps webhook payloads at 25 MB; nothing larger is a delivery from GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export interface IntakeLimits {
  /** The largest body read before its signature is checked (GitHub's own cap by default). */
  maxBodyBytes: number;
  /** Bodies read at once whose signature is not checked yet. */
  maxUnverifiedBodies: number;
  /** Bytes held at once by bodies whose signature is not checked yet. */
  maxUnverifiedBytes: number;
}

/** A webhook whose signature matched: GitHub sent it. */
export interface VerifiedWebhook {
  id: string;
  name: string;
  payload: Record<string, unknown>;
}

export interface IntakeDeps {
  secret: string;
  limits: IntakeLimits;
  metrics: AppMetrics;
  log: Logger;
  draining(): boolean;
  /** Whether the app takes on this (verified) webhook now; a reason to shed it otherwise. */
  admit(webhook: VerifiedWebhook): ShedReason | null;
  /** Hands the verified webhook to Probot; resolves once its handlers have started. */
  receive(webhook: VerifiedWebhook): Promise<void>;
}

const JSON_CONTENT_TYPE = /^\s*application\/json\s*(?:;|$)/i;
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
/** What a header may put in a log line: GitHub's delivery ids and event names fit. */
const LOGGABLE = /^[\w.-]{1,64}$/;
const RETRY_AFTER_SECONDS = '5';

class Rejection {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string) {
    this.status = status;
    this.reason = reason;
  }
}

class Shed {
  readonly reason: ShedReason;
  constructor(reason: ShedReason) {
    this.reason = reason;
  }
}

/**
 * The webhook endpoint, in front of Probot. Probot's own middleware reads the whole body into
 * memory and only then checks the signature, so anyone could make the app hold gigabytes; here the
 * body streams into the HMAC, stops at GitHub's 25 MB cap, and the bodies read at once before their
 * signature is known are bounded in number and bytes (beyond them: 503 with Retry-After). Only a
 * verified webhook is parsed and handed to Probot. A rejection logs one short line — delivery id,
 * event, reason — never the payload, and counts under an event label from a fixed set.
 */
export function createWebhookIntake(deps: IntakeDeps) {
  const { limits, metrics } = deps;
  let unverifiedBodies = 0;
  let unverifiedBytes = 0;

  return async function intake(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const delivery = header(req, 'x-github-delivery');
    const event = header(req, 'x-github-event');
    const line = {
      delivery: delivery !== undefined && LOGGABLE.test(delivery) ? delivery : '(invalid)',
      event: event !== undefined && LOGGABLE.test(event) ? event : '(invalid)',
    };
    const label = eventLabel(event);

    // A body left unread closes the connection; one read to the end (shed after verification)
    // leaves it open for the sender's next delivery.
    const shed = (reason: ShedReason, unread = true) => {
      metrics.shed.inc({ reason });
      deps.log.warn({ ...line, reason }, 'webhook shed: 503, retry later');
      answer(res, 503, `busy (${reason}), retry later`, {
        'retry-after': RETRY_AFTER_SECONDS,
        ...(unread ? { connection: 'close' } : {}),
      });
    };
    const reject = ({ status, reason }: Rejection) => {
      metrics.webhooks.inc({ event: label, outcome: 'rejected' });
      deps.log.warn({ ...line, status, reason }, 'webhook rejected');
      answer(res, status, reason, { connection: 'close' });
    };

    if (deps.draining()) return shed('draining');
    const problem = checkHeaders(req);
    if (problem) return reject(problem);
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > limits.maxBodyBytes) return reject(tooLarge(limits));
    if (unverifiedBodies >= limits.maxUnverifiedBodies) return shed('unverified_bodies');
    if (unverifiedBytes + (declared || 0) > limits.maxUnverifiedBytes)
      return shed('unverified_bytes');

    unverifiedBodies += 1;
    metrics.unverifiedBodies.set(unverifiedBodies);
    let held = 0;
    let body: Buffer;
    try {
      body = await readSigned(req, header(req, 'x-hub-signature-256')!, deps.secret, (more) => {
        if (held + more > limits.maxBodyBytes) throw tooLarge(limits);
        if (unverifiedBytes + more > limits.maxUnverifiedBytes) throw new Shed('unverified_bytes');
        held += more;
        unverifiedBytes += more;
      });
    } catch (error: unknown) {
      if (error instanceof Shed) return shed(error.reason);
      if (error instanceof Rejection) return reject(error);
      // The client went away mid-body: nobody to answer.
      deps.log.warn({ ...line, reason: 'the body ended early' }, 'webhook rejected');
      metrics.webhooks.inc({ event: label, outcome: 'rejected' });
      return;
    } finally {
      unverifiedBodies -= 1;
      unverifiedBytes -= held;
      metrics.unverifiedBodies.set(unverifiedBodies);
    }

    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch (error: unknown) {
      if (!(error instanceof SyntaxError)) throw error;
      return reject(new Rejection(400, 'the body is not JSON'));
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      return reject(new Rejection(400, 'the body is not a JSON object'));
    const webhook = { id: delivery!, name: event!, payload: payload as Record<string, unknown> };
    const busy = deps.admit(webhook);
    if (busy) return shed(busy, false);
    await deps.receive(webhook);
    answer(res, 200, 'ok');
  };
}

/**
 * Whether a request target names the webhook path, in any spelling a URL parser reads as it: a
 * trailing slash, dot segments, a query or a fragment. Probot's own webhook middleware (which reads
 * whole bodies and logs the payload of a refused one) sits behind the intake and matches the path
 * after normalising it the same way, so every such spelling must come here, never reach Probot.
 */
export function isWebhookPath(target: string, webhookPath: string): boolean {
  const trimmed = (path: string) => path.replace(/\/+$/, '') || '/';
  let pathname: string;
  try {
    pathname = new URL(target, 'http://localhost').pathname;
  } catch (error: unknown) {
    if (!(error instanceof TypeError)) throw error;
    return false;
  }
  return trimmed(pathname) === trimmed(webhookPath);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function checkHeaders(req: IncomingMessage): Rejection | undefined {
  if (!JSON_CONTENT_TYPE.test(header(req, 'content-type') ?? ''))
    return new Rejection(415, 'Content-Type must be application/json');
  const missing = ['x-github-event', 'x-github-delivery', 'x-hub-signature-256'].filter(
    (name) => header(req, name) === undefined,
  );
  if (missing.length > 0)
    return new Rejection(400, `required headers missing: ${missing.join(', ')}`);
  if (!SIGNATURE.test(header(req, 'x-hub-signature-256')!))
    return new Rejection(400, 'X-Hub-Signature-256 is not sha256=<64 hex digits>');
  if (!LOGGABLE.test(header(req, 'x-github-event')!))
    return new Rejection(400, 'X-GitHub-Event is not an event name');
  return undefined;
}

function tooLarge(limits: IntakeLimits): Rejection {
  const mb = (limits.maxBodyBytes / 1024 / 1024).toFixed(0);
  return new Rejection(413, `the body is larger than ${mb} MB, GitHub's webhook payload cap`);
}

/**
 * Reads the body into the HMAC as it arrives, `reserve` vetting every chunk before it is kept,
 * and returns it only when its signature matches.
 */
async function readSigned(
  req: IncomingMessage,
  signature: string,
  secret: string,
  reserve: (bytes: number) => void,
): Promise<Buffer> {
  const hmac = createHmac('sha256', secret);
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    reserve(chunk.length);
    hmac.update(chunk);
    chunks.push(chunk);
  }
  const expected = hmac.digest();
  const given = Buffer.from(SIGNATURE.exec(signature)![1]!, 'hex');
  if (!timingSafeEqual(expected, given))
    throw new Rejection(400, 'signature does not match event payload and secret');
  return Buffer.concat(chunks);
}

function answer(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const body = status === 200 ? 'ok\n' : `${JSON.stringify({ error: text })}\n`;
  res.writeHead(status, {
    'content-type': status === 200 ? 'text/plain' : 'application/json',
    ...headers,
  });
  res.end(body);
}
