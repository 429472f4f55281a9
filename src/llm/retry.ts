import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import type { Attempt } from './model-call.ts';

/**
 * Our own retry loop instead of the SDK's maxRetries: it records every attempt (the summary says
 * why a review fell back), honours retry-after with a ceiling, and takes its clock from the caller
 * so tests do not sleep.
 */
export interface RetryPolicy {
  /** Retries after the first request; 0 sends once. */
  readonly maxRetries: number;
  /** First backoff; doubles per retry, with full jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A retry-after longer than this ends the call now rather than stalling a CI job. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

export interface Clock {
  sleep(ms: number): Promise<void>;
  /** In [0, 1): the jitter source. */
  random(): number;
  now(): number;
}

export const realClock: Clock = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
};

export interface ClassifiedError {
  readonly outcome: Exclude<Attempt['outcome'], 'ok'>;
  readonly retryable: boolean;
  readonly status?: number;
  readonly message: string;
  /** From retry-after-ms or retry-after, when the server sent one. */
  readonly retryAfterMs?: number;
}

export function classifyError(error: unknown, clock: Clock): ClassifiedError {
  // Timeout first: APIConnectionTimeoutError extends APIConnectionError.
  if (error instanceof APIConnectionTimeoutError) {
    return { outcome: 'timeout', retryable: true, message: 'request timed out' };
  }
  if (error instanceof APIConnectionError) {
    return {
      outcome: 'connection',
      retryable: true,
      message: `connection failed: ${error.message}`,
    };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const retryAfterMs = retryAfter(error.headers, clock);
    const message = apiMessage(error);
    const base = { status, message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    if (status === 429) return { outcome: 'rate_limited', retryable: true, ...base };
    if (status === 529) return { outcome: 'overloaded', retryable: true, ...base };
    if (status >= 500 || status === 408)
      return { outcome: 'server_error', retryable: true, ...base };
    return { outcome: 'rejected', retryable: false, ...base };
  }
  // Anything else came from reading the answer: a 200 body that is not JSON (SyntaxError), or one
  // cut off mid-way. It is reported as the reason the review went offline, never thrown.
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { outcome: 'malformed', retryable: false, message: what };
}

/** Full-jitter exponential backoff, or the server's retry-after when it gave one. */
export function backoffMs(
  retry: number,
  policy: RetryPolicy,
  clock: Clock,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(clock.random() * ceiling);
}

function retryAfter(headers: Headers | undefined, clock: Clock): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - clock.now());
}

function apiMessage(error: APIError): string {
  const body = error.error as { error?: { message?: unknown } } | undefined;
  const inner = body?.error?.message;
  return typeof inner === 'string' ? inner : error.message;
}
