import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  anthropicId,
  buildMessage,
  errorBody,
  estimateTokens,
  invalidRequest,
  streamEvents,
} from './anthropic-fake-messages.ts';
import type {
  AnthropicAnswer,
  AnthropicErrorAnswer,
  AnthropicRawAnswer,
  MessagesRequestBody,
} from './anthropic-fake-messages.ts';

export type {
  AnthropicAnswer,
  AnthropicErrorAnswer,
  AnthropicRawAnswer,
  AnthropicUsageSeed,
  MessagesRequestBody,
} from './anthropic-fake-messages.ts';

/** One queued answer, or a function that picks one from the request (for content-dependent replies). */
export type AnthropicFakeResponse =
  | AnthropicAnswer
  | AnthropicErrorAnswer
  | AnthropicRawAnswer
  | ((
      request: AnthropicRecordedRequest,
    ) => AnthropicAnswer | AnthropicErrorAnswer | AnthropicRawAnswer);

export interface AnthropicRecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** From `x-api-key`, or from `Authorization: Bearer` as SDK 1.x sends it. */
  apiKey: string | undefined;
  body: MessagesRequestBody;
  status: number;
}

export interface AnthropicUnexpected {
  method: string;
  path: string;
  reason: string;
}

export interface AnthropicFakeOptions {
  /** When set, requests must send exactly this x-api-key; otherwise any non-empty key passes. */
  apiKey?: string;
}

export interface AnthropicFake {
  /** ANTHROPIC_BASE_URL / `new Anthropic({ baseURL })`. */
  readonly url: string;
  /** Answers for POST /v1/messages, consumed in order (SDK retries consume one each). */
  enqueue(...responses: AnthropicFakeResponse[]): void;
  /** Answers still queued. */
  readonly pending: number;
  readonly requests: readonly AnthropicRecordedRequest[];
  readonly unexpected: readonly AnthropicUnexpected[];
  assertNoUnexpected(): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Server-sent events instead of a JSON body. */
  events?: { type: string }[];
  /** Bytes sent as they are, instead of a JSON body. */
  raw?: AnthropicRawAnswer['raw'];
  unexpected?: string;
}

export async function startAnthropicFake(
  options: AnthropicFakeOptions = {},
): Promise<AnthropicFake> {
  const queue: AnthropicFakeResponse[] = [];
  const requests: AnthropicRecordedRequest[] = [];
  const unexpected: AnthropicUnexpected[] = [];
  const organization = anthropicId('org_');

  const answer = (
    method: string,
    path: string,
    headers: Record<string, string>,
    body: unknown,
  ): Reply => {
    const apiKey = apiKeyOf(headers);
    if (!apiKey || (options.apiKey !== undefined && apiKey !== options.apiKey)) {
      const message = apiKey ? 'invalid x-api-key' : 'x-api-key header is required';
      return { status: 401, body: errorBody(401, message), unexpected: message };
    }
    if (!headers['anthropic-version']) {
      const message = 'anthropic-version: header is required';
      return { status: 400, body: errorBody(400, message), unexpected: message };
    }
    const isMessages = path === '/v1/messages';
    if (method !== 'POST' || (!isMessages && path !== '/v1/messages/count_tokens')) {
      const reason = `the Anthropic fake has no route for ${method} ${path}`;
      return { status: 404, body: errorBody(404, 'Not found'), unexpected: reason };
    }
    const invalid = invalidRequest(body, isMessages);
    if (invalid) return { status: 400, body: errorBody(400, invalid), unexpected: invalid };
    const request = body as MessagesRequestBody;
    if (!isMessages) return { status: 200, body: { input_tokens: estimateTokens(request) } };

    const next = queue.shift();
    if (next === undefined) {
      const reason = 'POST /v1/messages with no response enqueued (fake.enqueue)';
      return { status: 500, body: errorBody(500, reason), unexpected: reason };
    }
    const recorded = { method, path, headers, apiKey, body: request, status: 0 };
    const chosen = typeof next === 'function' ? next(recorded) : next;
    if ('raw' in chosen) return { status: chosen.raw.status ?? 200, raw: chosen.raw };
    if ('status' in chosen) {
      return {
        status: chosen.status,
        body: chosen.body ?? errorBody(chosen.status, chosen.message),
        headers: chosen.headers,
      };
    }
    const message = buildMessage(request, chosen);
    const mismatch = toolMismatch(request, chosen);
    return {
      status: 200,
      body: message,
      events: request.stream === true ? streamEvents(message) : undefined,
      unexpected: mismatch,
    };
  };

  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const raw = await readBody(req);
    let body: unknown = raw;
    let reply: Reply;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
    } catch (error: unknown) {
      if (!(error instanceof SyntaxError)) throw error;
    }
    if (body === raw && raw !== '') {
      const reason = `${method} ${path}: body is not JSON`;
      reply = { status: 400, body: errorBody(400, reason), unexpected: reason };
    } else {
      try {
        reply = answer(method, path, headers, body);
      } catch (error: unknown) {
        // A bug in the fake itself: surface it through the test, not as a plausible API answer.
        const reason = `the Anthropic fake crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
        reply = { status: 500, body: errorBody(500, 'Internal server error'), unexpected: reason };
      }
    }

    const common = {
      'request-id': anthropicId('req_011C'),
      'anthropic-organization-id': organization,
    };
    if (reply.raw) {
      const bytes = Buffer.from(reply.raw.body, 'utf8');
      res.writeHead(reply.status, {
        ...common,
        'content-type': reply.raw.contentType ?? 'application/json',
        'content-length': String(bytes.length),
      });
      if (reply.raw.cutAfter === undefined) res.end(bytes);
      else {
        res.write(bytes.subarray(0, reply.raw.cutAfter));
        res.flushHeaders();
        // Let the bytes go out before the connection drops, as a dying upstream would.
        setImmediate(() => res.destroy());
      }
    } else if (reply.events) {
      res.writeHead(200, {
        ...common,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
      });
      for (const event of reply.events) {
        res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        if (event.type === 'message_start') res.write('event: ping\ndata: {"type": "ping"}\n\n');
      }
      res.end();
    } else {
      const errorHeaders =
        reply.status >= 400
          ? { 'x-should-retry': String(reply.status === 429 || reply.status >= 500) }
          : {};
      res.writeHead(reply.status, {
        ...common,
        'content-type': 'application/json',
        ...errorHeaders,
        ...reply.headers,
      });
      res.end(JSON.stringify(reply.body ?? null));
    }

    const apiKey = apiKeyOf(headers);
    requests.push({
      method,
      path,
      headers,
      apiKey,
      body: body as MessagesRequestBody,
      status: reply.status,
    });
    if (reply.unexpected) unexpected.push({ method, path, reason: reply.unexpected });
  };

  const server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    enqueue: (...responses) => void queue.push(...responses),
    get pending() {
      return queue.length;
    },
    requests,
    unexpected,
    assertNoUnexpected: () => {
      if (unexpected.length === 0) return;
      const lines = unexpected.map((u) => `  - ${u.method} ${u.path}: ${u.reason}`).join('\n');
      throw new Error(
        `Anthropic fake received ${unexpected.length} request(s) it was not set up for:\n${lines}`,
      );
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A tool answer the request could not have produced on the real API points at a test mistake. */
function toolMismatch(request: MessagesRequestBody, answer: AnthropicAnswer): string | undefined {
  if (!('toolUse' in answer)) {
    const choice = request.tool_choice;
    return choice?.type === 'tool' || choice?.type === 'any'
      ? `request forced a tool call (tool_choice ${choice.type}) but a text answer was enqueued`
      : undefined;
  }
  const offered = (request.tools ?? []).map((t) => ('name' in t ? String(t.name) : t.type));
  const name = answer.toolUse.name;
  if (!offered.includes(name))
    return `enqueued tool_use "${name}" but the request offered [${offered.join(', ')}]`;
  const choice = request.tool_choice;
  if (choice?.type === 'tool' && choice.name !== name) {
    return `request forced tool "${choice.name}" but tool_use "${name}" was enqueued`;
  }
  if (choice?.type === 'none')
    return `request set tool_choice none but tool_use "${name}" was enqueued`;
  return undefined;
}

/** SDK 1.x sends the key as `Authorization: Bearer`; older clients and curl use `x-api-key`. */
function apiKeyOf(headers: Record<string, string>): string | undefined {
  return headers['x-api-key'] ?? /^Bearer\s+(\S+)$/i.exec(headers['authorization'] ?? '')?.[1];
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
