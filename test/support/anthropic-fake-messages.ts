import { randomBytes } from 'node:crypto';
import type {
  ContentBlock,
  Message,
  MessageCreateParamsBase,
  RawMessageStreamEvent,
  Usage,
} from '@anthropic-ai/sdk/resources/messages/messages';

/**
 * Message bodies, stream events, request checks and token estimates for the Anthropic fake, shaped
 * by the SDK's own types so the fake cannot drift from what the client parses.
 */

export interface AnthropicUsageSeed {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export type AnthropicAnswer =
  | {
      toolUse: { name: string; input: unknown; id?: string };
      text?: string;
      usage?: AnthropicUsageSeed;
    }
  | {
      text: string;
      stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal';
      usage?: AnthropicUsageSeed;
    };

/**
 * A broken answer, as a misbehaving proxy or a failing edge serves it: any status, content type and
 * body bytes. `cutAfter` sends only that many bytes of the body, then drops the connection while
 * the Content-Length header promised the whole body (a truncated answer).
 */
export interface AnthropicRawAnswer {
  raw: { status?: number; contentType?: string; body: string; cutAfter?: number };
}

export interface AnthropicErrorAnswer {
  status: number;
  /** Replaces the whole error body; by default Anthropic's `{type:"error", error:{…}}`. */
  body?: unknown;
  headers?: Record<string, string>;
  message?: string;
}

/** The request fields the fake reads; the rest is kept as sent. */
export type MessagesRequestBody = Pick<MessageCreateParamsBase, 'model' | 'messages'> &
  Partial<Pick<MessageCreateParamsBase, 'system' | 'tools' | 'tool_choice' | 'max_tokens'>> & {
    stream?: boolean;
    [key: string]: unknown;
  };

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const ERROR_MESSAGES: Record<string, string> = {
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit',
  overloaded_error: 'Overloaded',
  api_error: 'Internal server error',
};

export function anthropicId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const chars = [...randomBytes(24)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${prefix}${chars}`;
}

export function errorBody(status: number, message?: string) {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return {
    type: 'error',
    error: { type, message: message ?? ERROR_MESSAGES[type] ?? `${type} (${status})` },
  };
}

/** Roughly four characters a token, over what the model would read. */
export function estimateTokens(body: Partial<MessagesRequestBody>): number {
  const text = JSON.stringify([body.system ?? null, body.messages ?? [], body.tools ?? []]);
  return Math.max(1, Math.ceil(text.length / 4));
}

/** What the real API rejects with 400 before any model work; undefined when the body is fine. */
export function invalidRequest(body: unknown, needsMaxTokens: boolean): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'Request body must be a JSON object';
  }
  const b = body as Record<string, unknown>;
  if (typeof b['model'] !== 'string' || b['model'] === '') return 'model: Field required';
  const max = b['max_tokens'];
  if (needsMaxTokens && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    return 'max_tokens: Field required';
  }
  const messages = b['messages'];
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: Field required';
  for (const [i, m] of messages.entries()) {
    const role = (m as { role?: unknown } | null)?.role;
    if (role !== 'user' && role !== 'assistant') {
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
  }
  const tools = Array.isArray(b['tools']) ? (b['tools'] as { name?: unknown }[]) : [];
  const names = tools.map((t) => t.name);
  if (new Set(names).size !== names.length) return 'tools: Tool names must be unique.';
  const choice = b['tool_choice'] as { type?: unknown; name?: unknown } | undefined;
  if (choice?.type === 'tool' && !names.includes(choice.name)) {
    return `tool_choice: Tool '${String(choice.name)}' not found in provided tools`;
  }
  return undefined;
}

export function buildMessage(body: MessagesRequestBody, answer: AnthropicAnswer): Message {
  const content: ContentBlock[] = [];
  if (answer.text !== undefined && answer.text !== '') {
    content.push({ type: 'text', text: answer.text, citations: null });
  }
  if ('toolUse' in answer) {
    content.push({
      type: 'tool_use',
      id: answer.toolUse.id ?? anthropicId('toolu_01'),
      name: answer.toolUse.name,
      input: answer.toolUse.input,
      caller: { type: 'direct' },
    });
  }
  const seed = answer.usage ?? {};
  const usage: Usage = {
    input_tokens: seed.input_tokens ?? estimateTokens(body),
    output_tokens: seed.output_tokens ?? Math.max(1, Math.ceil(JSON.stringify(content).length / 4)),
    cache_creation_input_tokens: seed.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: seed.cache_read_input_tokens ?? 0,
    cache_creation: {
      ephemeral_5m_input_tokens: seed.cache_creation_input_tokens ?? 0,
      ephemeral_1h_input_tokens: 0,
    },
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    speed: null,
  };
  return {
    id: anthropicId('msg_01'),
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: 'toolUse' in answer ? 'tool_use' : (answer.stopReason ?? 'end_turn'),
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage,
  };
}

/** The server-sent events the streaming API emits for a finished message. */
export function streamEvents(message: Message): RawMessageStreamEvent[] {
  const events: RawMessageStreamEvent[] = [
    {
      type: 'message_start',
      message: {
        ...message,
        content: [],
        stop_reason: null,
        usage: { ...message.usage, output_tokens: 1 },
      },
    },
  ];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({ type: 'content_block_start', index, content_block: { ...block, text: '' } });
      for (const text of chunks(block.text)) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
      }
    } else if (block.type === 'tool_use') {
      events.push({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
      for (const partial_json of chunks(JSON.stringify(block.input))) {
        events.push({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json },
        });
      }
    }
    events.push({ type: 'content_block_stop', index });
  });
  events.push(
    {
      type: 'message_delta',
      delta: {
        stop_reason: message.stop_reason,
        stop_sequence: null,
        stop_details: null,
        container: null,
      },
      usage: {
        input_tokens: message.usage.input_tokens,
        output_tokens: message.usage.output_tokens,
        cache_creation_input_tokens: message.usage.cache_creation_input_tokens,
        cache_read_input_tokens: message.usage.cache_read_input_tokens,
        output_tokens_details: null,
        server_tool_use: null,
      },
    },
    { type: 'message_stop' },
  );
  return events;
}

/** Splits text the way a stream does, so clients that assume one delta per block break here too. */
function chunks(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 16) out.push(text.slice(i, i + 16));
  return out.length > 0 ? out : [''];
}
