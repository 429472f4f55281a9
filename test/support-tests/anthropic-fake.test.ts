import { Anthropic, InternalServerError, RateLimitError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicFake } from '../support/anthropic-fake.ts';
import type { AnthropicFake } from '../support/anthropic-fake.ts';

let fake: AnthropicFake;
let client: Anthropic;

const reviewTool = {
  name: 'report_findings',
  description: 'Report review findings',
  input_schema: {
    type: 'object' as const,
    properties: { findings: { type: 'array', items: { type: 'string' } } },
    required: ['findings'],
  },
};

beforeEach(async () => {
  fake = await startAnthropicFake();
  client = new Anthropic({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
});

afterEach(async () => {
  await fake.close();
});

describe('Anthropic fake', () => {
  it('answers a forced tool call that the SDK parses', async () => {
    fake.enqueue({
      toolUse: { name: 'report_findings', input: { findings: ['unused import'] } },
      usage: { input_tokens: 1200, output_tokens: 80 },
    });

    const message = await client.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 1024,
      system: 'You review diffs.',
      messages: [{ role: 'user', content: 'Review this diff' }],
      tools: [reviewTool],
      tool_choice: { type: 'tool', name: 'report_findings' },
    });

    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      stop_reason: 'tool_use',
      usage: { input_tokens: 1200, output_tokens: 80, cache_read_input_tokens: 0 },
    });
    expect(message.id).toMatch(/^msg_01/);
    const block = message.content[0];
    expect(block?.type).toBe('tool_use');
    expect(block?.type === 'tool_use' && block.input).toEqual({ findings: ['unused import'] });

    const request = fake.requests[0];
    expect(request?.apiKey).toBe('test');
    expect(request?.body).toMatchObject({
      system: 'You review diffs.',
      max_tokens: 1024,
      tool_choice: { type: 'tool', name: 'report_findings' },
    });
    expect(request?.body.tools?.[0]).toMatchObject({ name: 'report_findings' });
    fake.assertNoUnexpected();
  });

  it('surfaces a 429 as RateLimitError with retry-after and request id', async () => {
    fake.enqueue({ status: 429, headers: { 'retry-after': '7' } });
    const error: unknown = await client.messages
      .create({
        model: 'claude-sonnet-5-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimited = error as RateLimitError;
    expect(rateLimited.status).toBe(429);
    expect(rateLimited.type).toBe('rate_limit_error');
    expect(rateLimited.headers?.get('retry-after')).toBe('7');
    expect(rateLimited.requestID).toMatch(/^req_/);
    fake.assertNoUnexpected();
  });

  it('lets SDK retries consume queued answers: overloaded, then text', async () => {
    const retrying = new Anthropic({ apiKey: 'test', baseURL: fake.url, maxRetries: 1 });
    fake.enqueue({ status: 529, headers: { 'retry-after-ms': '10' } }, { text: 'All good.' });
    const message = await retrying.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'All good.', citations: null }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(fake.requests.map((r) => r.status)).toEqual([529, 200]);
    expect(fake.pending).toBe(0);

    fake.enqueue({ status: 500 });
    const error: unknown = await client.messages
      .create({
        model: 'claude-haiku-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
  });

  it('streams a tool call the SDK reassembles', async () => {
    fake.enqueue({ toolUse: { name: 'report_findings', input: { findings: ['a'.repeat(40)] } } });
    const stream = client.messages.stream({
      model: 'claude-sonnet-5-5',
      max_tokens: 64000,
      messages: [{ role: 'user', content: 'Review' }],
      tools: [reviewTool],
    });
    const message = await stream.finalMessage();
    expect(message.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'report_findings',
      input: { findings: ['a'.repeat(40)] },
    });
    expect(message.stop_reason).toBe('tool_use');
  });

  it('counts tokens without consuming the queue', async () => {
    const counted = await client.messages.countTokens({
      model: 'claude-sonnet-5-5',
      messages: [{ role: 'user', content: 'x'.repeat(400) }],
    });
    expect(counted.input_tokens).toBeGreaterThanOrEqual(100);
    expect(fake.pending).toBe(0);
    fake.assertNoUnexpected();
  });

  it('records a request with nothing queued and a tool the request did not offer', async () => {
    const empty: unknown = await client.messages
      .create({
        model: 'claude-sonnet-5-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(InternalServerError);

    fake.enqueue({ toolUse: { name: 'other_tool', input: {} } });
    await client.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
      tools: [reviewTool],
    });
    expect(fake.unexpected.map((u) => u.reason)).toEqual([
      'POST /v1/messages with no response enqueued (fake.enqueue)',
      'enqueued tool_use "other_tool" but the request offered [report_findings]',
    ]);
    expect(() => fake.assertNoUnexpected()).toThrow(/2 request\(s\)/);
  });
});
