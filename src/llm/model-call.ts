import { maxCostUsd, priceFor } from './prices.ts';
import type { TokenUsage } from './prices.ts';
import { estimateTokens } from './tokens.ts';

/**
 * The narrow contract between a capability and the model edge: one call, one tool the model must
 * answer with (the review's report_findings, test generation's propose_tests). The capability
 * builds the prompt and the tool; the edge sends it, retries, validates with the tool's own
 * validator and accounts for usage. Nothing here knows about diffs or tests, so the edge stays a
 * transport.
 */

/** The one tool the model may call, with the validator for what it sends back. */
export interface ModelTool<T> {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the tool input (an object schema). */
  readonly inputSchema: { readonly type: 'object'; readonly [key: string]: unknown };
  /** Returns the typed value, or an error text precise enough to quote back to the model. */
  validate(input: unknown): { ok: true; value: T } | { ok: false; error: string };
}

export interface ModelCall<T> {
  /** Trusted instructions: role, focus, rules. */
  readonly system: string;
  /** The user turn: the untrusted data (a diff, a target's code) inside delimited blocks. */
  readonly user: string;
  readonly tool: ModelTool<T>;
  readonly maxOutputTokens: number;
  /** Names the call in reasons and logs, e.g. "call 2 of 3", "tests for parseCount". */
  readonly label?: string;
  /**
   * What this call may still spend, in USD. The caller budgets one answer per call (the review's
   * packer, test generation before each target); the validation retry is only sent when its worst
   * case fits what is left, so the cost cap stays a hard cap.
   */
  readonly costCeilingUsd?: number;
}

export interface CallUsage extends TokenUsage {
  /** Answers received (and billed) for this call; failed requests are in `attempts`. */
  requests: number;
  /** null when the model has no price in src/llm/prices.ts. */
  costUsd: number | null;
}

/** Nothing spent yet: zero tokens, and a cost of 0, or null when the model has no price. */
export function noUsage(model: string): CallUsage {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
    costUsd: priceFor(model) ? 0 : null,
  };
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

export type ModelCallResult<T> =
  | { kind: 'ok'; value: T; usage: CallUsage; attempts: Attempt[] }
  /** The model answered twice without valid tool input: drop this call's work and say why. */
  | { kind: 'invalid'; reason: string; usage: CallUsage; attempts: Attempt[] }
  /** The API could not be used (retries exhausted, or a request it refuses): go offline. */
  | { kind: 'unavailable'; reason: string; usage: CallUsage; attempts: Attempt[] };

export interface ModelClient {
  readonly model: string;
  /** Sends the call, with the retries and the one correction; never throws for what the API sends. */
  call<T>(call: ModelCall<T>): Promise<ModelCallResult<T>>;
  /** The API's own count of the call's input tokens, to check the packer's estimate. */
  countTokens(call: ModelCall<unknown>): Promise<number>;
}

/**
 * The most one answer to `call` can cost, before it is sent: every input token uncached (the
 * system prompt, the user turn and the tool, estimated) and all of max_tokens used. Null when the
 * model has no price in src/llm/prices.ts. A caller with a cost cap sends the call only when this
 * fits what is left.
 */
export function worstCaseCostUsd(
  model: string,
  call: Pick<ModelCall<unknown>, 'system' | 'user' | 'tool' | 'maxOutputTokens'>,
): { usd: number; inputTokens: number } | null {
  const price = priceFor(model);
  if (!price) return null;
  const inputTokens = estimateTokens(
    [call.system, call.user, call.tool.description, JSON.stringify(call.tool.inputSchema)].join(
      '\n',
    ),
  );
  return { usd: maxCostUsd(price, inputTokens, call.maxOutputTokens), inputTokens };
}

/**
 * `model.call(call)`, never throwing: the client reports every failure as a result, and should one
 * still throw (a client bug, an SDK surprise) the outcome is `unavailable` with the error.
 */
export async function callModelSafely<T>(
  model: ModelClient,
  call: ModelCall<T>,
): Promise<ModelCallResult<T>> {
  try {
    return await model.call(call);
  } catch (error: unknown) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      kind: 'unavailable',
      reason: `${call.label ? `${call.label}: ` : ''}the model client failed: ${why}`,
      usage: noUsage(model.model),
      attempts: [],
    };
  }
}
