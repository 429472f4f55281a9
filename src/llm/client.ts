import { Anthropic } from '@anthropic-ai/sdk';
import type {
  ContentBlock,
  ContentBlockParam,
  Message,
  MessageParam,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { acceptsForcedToolChoice } from './models.ts';
import { costUsd, maxCostUsd, priceFor } from './prices.ts';
import type { TokenUsage } from './prices.ts';
import { backoffMs, classifyError, DEFAULT_RETRY_POLICY, realClock } from './retry.ts';
import type { Clock, RetryPolicy } from './retry.ts';
import { noUsage } from './model-call.ts';
import type { Attempt, CallUsage, ModelClient, ModelCall, ModelCallResult } from './model-call.ts';

export type { ModelClient, ModelCall, ModelCallResult } from './model-call.ts';

export interface AnthropicModelClientOptions {
  /** From the face (ANTHROPIC_API_KEY); the core never reads the environment. */
  apiKey: string;
  /** ANTHROPIC_BASE_URL, passed in by the face; the Anthropic API when absent. */
  baseURL?: string;
  model: string;
  /** Per request; a timeout is retried like a 5xx. */
  timeoutMs: number;
  /** Retries after the first request for 429, 529, 5xx, timeouts and connection errors. */
  maxRetries: number;
  fetch?: typeof globalThis.fetch;
  /** Backoff shape beyond maxRetries; defaults to DEFAULT_RETRY_POLICY. */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
  /** Injected so tests neither sleep nor depend on Math.random. */
  clock?: Clock;
}

/**
 * What every face passes when it has no reason to differ: five minutes a request (a long review
 * with adaptive thinking takes minutes; the SDK's own default is ten) and DEFAULT_RETRY_POLICY's
 * retries, so a lasting outage ends the model review in about a minute, not a CI job's hour.
 */
export const MODEL_CLIENT_DEFAULTS = {
  timeoutMs: 300_000,
  maxRetries: DEFAULT_RETRY_POLICY.maxRetries,
} as const;

export function createAnthropicModelClient(options: AnthropicModelClientOptions): ModelClient {
  const sdk = new Anthropic({
    apiKey: options.apiKey,
    // An explicit baseURL: the SDK would otherwise read ANTHROPIC_BASE_URL from process.env itself.
    baseURL: options.baseURL ?? 'https://api.anthropic.com',
    timeout: options.timeoutMs,
    // Our loop retries (src/llm/retry.ts); two layers of retries would multiply the attempts.
    maxRetries: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...options.retry,
    maxRetries: options.maxRetries,
  };
  const clock = options.clock ?? realClock;
  const model = options.model;

  const send = async (
    call: ModelCall<unknown>,
    messages: MessageParam[],
    attempts: Attempt[],
  ): Promise<{ message: Message } | { failure: string }> => {
    for (let retry = 0; ; retry++) {
      try {
        const answer: unknown = await sdk.messages.create({
          model,
          max_tokens: call.maxOutputTokens,
          system: call.system,
          messages,
          tools: [toolParam(call)],
          tool_choice: toolChoice(model, call.tool.name),
        });
        const problem = notAMessage(answer);
        if (problem !== null) {
          const message = `a 200 answer that is not a Messages response: ${problem}`;
          attempts.push({
            request: attempts.length + 1,
            outcome: 'malformed',
            status: 200,
            message,
          });
          return { failure: `the Anthropic API sent ${message}` };
        }
        attempts.push({ request: attempts.length + 1, outcome: 'ok', status: 200 });
        return { message: answer as Message };
      } catch (error: unknown) {
        const failure = classifyError(error, clock);
        const attempt = {
          request: attempts.length + 1,
          outcome: failure.outcome,
          message: failure.message,
          ...(failure.status === undefined ? {} : { status: failure.status }),
        };
        const what = describe(failure.outcome, failure.status, failure.message);
        if (!failure.retryable) {
          attempts.push(attempt);
          const how =
            failure.outcome === 'malformed'
              ? 'the Anthropic API answer could not be read'
              : 'the Anthropic API refused the request';
          return { failure: `${how}: ${what}` };
        }
        if (retry >= policy.maxRetries) {
          attempts.push(attempt);
          return { failure: `${what}; gave up after ${attempts.length} attempts` };
        }
        if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
          attempts.push(attempt);
          const seconds = Math.round(failure.retryAfterMs / 1000);
          return { failure: `${what}; the API asked to wait ${seconds}s, longer than allowed` };
        }
        const delayMs = backoffMs(retry, policy, clock, failure.retryAfterMs);
        attempts.push({ ...attempt, delayMs });
        await clock.sleep(delayMs);
      }
    }
  };

  return {
    model,
    async call<T>(call: ModelCall<T>): Promise<ModelCallResult<T>> {
      const attempts: Attempt[] = [];
      const usage = noUsage(model);
      const messages: MessageParam[] = [{ role: 'user', content: call.user }];
      const label = call.label ? `${call.label}: ` : '';
      let lastError = '';
      // One answer, and at most one more after quoting its validation error back (issue 4).
      for (let answer = 1; answer <= 2; answer++) {
        const sent = await send(call, messages, attempts);
        if ('failure' in sent) {
          return { kind: 'unavailable', reason: `${label}${sent.failure}`, usage, attempts };
        }
        addUsage(usage, sent.message, model);
        const outcome = readToolInput(sent.message, call);
        if (outcome.ok) return { kind: 'ok', value: outcome.value, usage, attempts };
        lastError = outcome.error;
        const fix = correction(sent.message, call.tool.name, outcome.error);
        if (answer === 1 && !retryAffordable(model, call, usage, sent.message, fix)) {
          const reason = `${label}the model's ${call.tool.name} output was invalid and a retry would exceed the cost cap: ${lastError}`;
          return { kind: 'invalid', reason, usage, attempts };
        }
        messages.push(
          { role: 'assistant', content: sent.message.content.flatMap(toParam) },
          { role: 'user', content: fix },
        );
      }
      const reason = `${label}the model's ${call.tool.name} output was invalid twice: ${lastError}`;
      return { kind: 'invalid', reason, usage, attempts };
    },
    async countTokens(call: ModelCall<unknown>): Promise<number> {
      const counted = await sdk.messages.countTokens({
        model,
        system: call.system,
        messages: [{ role: 'user', content: call.user }],
        tools: [toolParam(call)],
        tool_choice: toolChoice(model, call.tool.name),
      });
      return counted.input_tokens;
    },
  };
}

/**
 * Why `answer` is not a Messages API message Steward can read, or null when it is. A proxy, a
 * captive portal or a broken upstream can answer 200 with an HTML page, plain text or JSON of
 * another shape; the SDK returns whatever it parsed, so the shape is checked before anything
 * reads it.
 */
export function notAMessage(answer: unknown): string | null {
  if (typeof answer === 'string') {
    const start = answer.trimStart().slice(0, 60).replace(/\s+/g, ' ');
    return /^<(!doctype|html)/i.test(start)
      ? `an HTML page (${JSON.stringify(start)})`
      : `text, not JSON (${JSON.stringify(start)})`;
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer))
    return `JSON ${answer === null ? 'null' : Array.isArray(answer) ? 'array' : typeof answer}`;
  const message = answer as Record<string, unknown>;
  if (!Array.isArray(message['content']))
    return `\`content\` is ${message['content'] === null ? 'null' : typeof message['content']}, not a list of blocks`;
  for (const [index, block] of (message['content'] as unknown[]).entries()) {
    const b = block as Record<string, unknown> | null;
    if (typeof b !== 'object' || b === null || typeof b['type'] !== 'string')
      return `content[${index}] has no type`;
    if (b['type'] === 'text' && typeof b['text'] !== 'string')
      return `content[${index}] is a text block without text`;
    if (b['type'] === 'tool_use' && (typeof b['name'] !== 'string' || typeof b['id'] !== 'string'))
      return `content[${index}] is a tool_use block without a name or id`;
  }
  const usage = message['usage'] as Record<string, unknown> | null | undefined;
  if (
    typeof usage !== 'object' ||
    usage === null ||
    typeof usage['input_tokens'] !== 'number' ||
    typeof usage['output_tokens'] !== 'number'
  )
    return '`usage` lacks input_tokens or output_tokens';
  return null;
}

/**
 * The retry resends the first exchange plus the correction. Its input is bounded by the first
 * request's input, the first answer and the correction at one token a character (no tokenizer
 * makes text longer than that), and its output by max_tokens.
 */
function retryAffordable(
  model: string,
  call: ModelCall<unknown>,
  usage: CallUsage,
  first: Message,
  fix: ContentBlockParam[],
): boolean {
  const price = priceFor(model);
  if (call.costCeilingUsd === undefined || !price || usage.costUsd === null) return true;
  const input =
    first.usage.input_tokens +
    (first.usage.cache_creation_input_tokens ?? 0) +
    (first.usage.cache_read_input_tokens ?? 0) +
    first.usage.output_tokens +
    JSON.stringify(fix).length;
  return usage.costUsd + maxCostUsd(price, input, call.maxOutputTokens) <= call.costCeilingUsd;
}

function toolParam(call: ModelCall<unknown>) {
  return {
    name: call.tool.name,
    description: call.tool.description,
    input_schema: call.tool.inputSchema,
  };
}

function toolChoice(model: string, name: string): ToolChoice {
  return acceptsForcedToolChoice(model) ? { type: 'tool', name } : { type: 'auto' };
}

type ToolInput<T> = { ok: true; value: T } | { ok: false; error: string };

function readToolInput<T>(message: Message, call: ModelCall<T>): ToolInput<T> {
  const use = message.content.find((b) => b.type === 'tool_use' && b.name === call.tool.name);
  if (!use || use.type !== 'tool_use') {
    const why = message.stop_reason === 'refusal' ? 'the model refused' : 'no tool call';
    return { ok: false, error: `${why}: the answer must be one ${call.tool.name} call` };
  }
  const checked = call.tool.validate(use.input);
  if (checked.ok) return checked;
  const truncated = message.stop_reason === 'max_tokens' ? ' (the answer hit max_tokens)' : '';
  return { ok: false, error: `${checked.error}${truncated}` };
}

/** The follow-up user turn: a tool_result with is_error quoting the error, as the API expects. */
function correction(message: Message, toolName: string, error: string): ContentBlockParam[] {
  const text = `Your ${toolName} input was rejected: ${error}\nCall ${toolName} again with input that matches its schema.`;
  const use = message.content.find((b) => b.type === 'tool_use');
  if (use?.type === 'tool_use') {
    return [{ type: 'tool_result', tool_use_id: use.id, is_error: true, content: text }];
  }
  return [{ type: 'text', text }];
}

/** Response blocks as request blocks; thinking blocks go back unmodified, as the API requires. */
function toParam(block: ContentBlock): ContentBlockParam[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: block.text }];
    case 'thinking':
      return [{ type: 'thinking', thinking: block.thinking, signature: block.signature }];
    case 'redacted_thinking':
      return [{ type: 'redacted_thinking', data: block.data }];
    case 'tool_use':
      return [{ type: 'tool_use', id: block.id, name: block.name, input: block.input }];
    default:
      return [];
  }
}

function addUsage(usage: CallUsage, message: Message, model: string): void {
  const tokens: TokenUsage = {
    inputTokens: message.usage.input_tokens,
    outputTokens: message.usage.output_tokens,
    cacheCreationInputTokens: message.usage.cache_creation_input_tokens ?? 0,
    cacheReadInputTokens: message.usage.cache_read_input_tokens ?? 0,
  };
  usage.requests += 1;
  usage.inputTokens += tokens.inputTokens;
  usage.outputTokens += tokens.outputTokens;
  usage.cacheCreationInputTokens += tokens.cacheCreationInputTokens;
  usage.cacheReadInputTokens += tokens.cacheReadInputTokens;
  const price = priceFor(model);
  if (price && usage.costUsd !== null) usage.costUsd += costUsd(price, tokens);
}

function describe(
  outcome: Attempt['outcome'],
  status: number | undefined,
  message: string,
): string {
  const names: Record<Attempt['outcome'], string> = {
    ok: 'ok',
    rate_limited: 'rate limited',
    overloaded: 'overloaded',
    server_error: 'server error',
    timeout: 'timed out',
    connection: 'connection failed',
    rejected: 'rejected',
    malformed: 'malformed answer',
  };
  const code = status === undefined ? '' : ` (${status})`;
  return `${names[outcome]}${code}: ${message}`;
}
