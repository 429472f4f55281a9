import type { TokenUsage } from './prices.ts';

/**
 * The narrow contract between the review core and the model edge. The core builds the prompt and
 * the tool; the edge sends it, retries, validates with the tool's own validator and accounts for
 * usage. Nothing here knows about diffs, so the edge stays a transport.
 */

/** The one tool the model may call, with the validator for what it sends back. */
export interface ReviewTool<T> {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the tool input (an object schema). */
  readonly inputSchema: { readonly type: 'object'; readonly [key: string]: unknown };
  /** Returns the typed value, or an error text precise enough to quote back to the model. */
  validate(input: unknown): { ok: true; value: T } | { ok: false; error: string };
}

export interface ReviewCall<T> {
  /** Trusted instructions: role, focus, rules. */
  readonly system: string;
  /** The user turn: delimited, untrusted diff data. */
  readonly user: string;
  readonly tool: ReviewTool<T>;
  readonly maxOutputTokens: number;
  /** Names the call in reasons and logs, e.g. "call 2 of 3". */
  readonly label?: string;
  /**
   * What this call may still spend, in USD. The packer budgets one answer per call; the validation
   * retry is only sent when its worst case fits what is left, so max-cost-usd stays a hard cap.
   */
  readonly costCeilingUsd?: number;
}

export interface CallUsage extends TokenUsage {
  /** Answers received (and billed) for this call; failed requests are in `attempts`. */
  requests: number;
  /** null when the model has no price in src/llm/prices.ts. */
  costUsd: number | null;
}

export interface Attempt {
  /** 1-based request number within the call. */
  readonly request: number;
  /** 'ok' for a 200; otherwise what went wrong. */
  readonly outcome:
    | 'ok'
    | 'rate_limited'
    | 'overloaded'
    | 'server_error'
    | 'timeout'
    | 'connection'
    | 'rejected'
    /** An answer that could not be read: not JSON, cut short, or not a Messages response. */
    | 'malformed';
  readonly status?: number;
  /** The wait before the next request, when one followed. */
  readonly delayMs?: number;
  readonly message?: string;
}

export type ReviewCallResult<T> =
  | { kind: 'ok'; value: T; usage: CallUsage; attempts: Attempt[] }
  /** The model answered twice without valid tool input: drop this chunk and say why. */
  | { kind: 'invalid'; reason: string; usage: CallUsage; attempts: Attempt[] }
  /** The API could not be used (retries exhausted, or a request it refuses): review offline. */
  | { kind: 'unavailable'; reason: string; usage: CallUsage; attempts: Attempt[] };

export interface ModelClient {
  readonly model: string;
  review<T>(call: ReviewCall<T>): Promise<ReviewCallResult<T>>;
  /** The API's own count of the call's input tokens, to check the packer's estimate. */
  countTokens(call: ReviewCall<unknown>): Promise<number>;
}
