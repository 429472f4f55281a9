import { describe, expect } from 'vitest';
import { anthropicTest } from '../support/anthropic-world.ts';

/** The Anthropic fixture enforces itself: a call with no answer queued fails the test it ran in. */
const it = anthropicTest({ apiKey: 'sk-test' });

/** A Messages call the test did not queue an answer for; the 500 it gets is swallowed. */
async function strayCall(url: string): Promise<number> {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'sk-test',
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify({
      model: 'claude-sonnet-5-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('anthropicTest', () => {
  it('passes a test whose calls were all answered as queued', async ({ anthropic }) => {
    anthropic.enqueue({ text: 'hello' });
    expect(await strayCall(anthropic.url)).toBe(200);
  });

  it.fails('fails a test that made a call the fake was not set up for', async ({ anthropic }) => {
    expect(await strayCall(anthropic.url)).toBe(500);
  });
});
