import { test } from 'vitest';
import {
  startAnthropicFake,
  type AnthropicFake,
  type AnthropicFakeOptions,
} from './anthropic-fake.ts';

/**
 * A vitest `test` whose `anthropic` fixture starts the Anthropic Messages fake and, in its
 * teardown, fails the test if the fake received a request it was not set up for (one with no
 * answer queued, or one the real API would refuse), then closes it: the check no test can forget.
 *
 *   const it = anthropicTest({ apiKey: 'sk-test' });
 *   it('reviews', async ({ anthropic }) => { anthropic.enqueue(…); … anthropic.url … });
 */
export function anthropicTest(options: AnthropicFakeOptions = {}) {
  return test.extend<{ anthropic: AnthropicFake }>({ anthropic: anthropicFixture(options) });
}

/**
 * The `anthropic` fixture alone, to extend another test with (`gitHubTest(…).extend({ anthropic:
 * anthropicFixture({ apiKey }) })`): the same start, check and close.
 */
export function anthropicFixture(options: AnthropicFakeOptions = {}) {
  // eslint-disable-next-line no-empty-pattern -- vitest reads the fixture's dependencies from this pattern
  return async ({}, use: (fake: AnthropicFake) => Promise<void>) => {
    const fake = await startAnthropicFake(options);
    try {
      await use(fake);
      fake.assertNoUnexpected();
    } finally {
      await fake.close();
    }
  };
}
