import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/llm/models.ts';
import { costUsd, maxCostUsd, priceFor } from '../../src/llm/prices.ts';

const none = { cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };

describe('prices', () => {
  it('costs the default model, which the SDK does not flag as deprecated', () => {
    expect(priceFor(DEFAULT_MODEL)).toEqual({ inputPerMTok: 2, outputPerMTok: 10 });
    // The SDK warns for models in DEPRECATED_MODELS (resources/messages/messages.mjs).
    const require = createRequire(import.meta.url);
    const messages = readFileSync(
      require.resolve('@anthropic-ai/sdk/resources/messages/messages'),
      'utf8',
    );
    const deprecated = /const DEPRECATED_MODELS = \{([^}]*)\}/.exec(messages)?.[1];
    expect(deprecated).toBeDefined();
    expect(deprecated).not.toContain(`'${DEFAULT_MODEL}'`);
  });

  it('prices input, output and cache tokens per million', () => {
    const price = priceFor('claude-opus-5-5')!;
    expect(costUsd(price, { inputTokens: 1_000_000, outputTokens: 1_000_000, ...none })).toBe(24);
    expect(
      costUsd(price, {
        inputTokens: 0,
        outputTokens: 0,
        cacheCreationInputTokens: 1_000_000,
        cacheReadInputTokens: 1_000_000,
      }),
    ).toBeCloseTo(4 * 1.25 + 4 * 0.1, 10);
  });

  it('bills Haiku 5.5 prompts over 100K tokens at the higher tier', () => {
    const price = priceFor('claude-haiku-5-5')!;
    expect(costUsd(price, { inputTokens: 100_000, outputTokens: 0, ...none })).toBeCloseTo(
      0.01,
      10,
    );
    expect(costUsd(price, { inputTokens: 100_001, outputTokens: 0, ...none })).toBeCloseTo(
      0.0500005,
      10,
    );
    expect(maxCostUsd(price, 50_000, 10_000)).toBeCloseTo(0.005 + 0.005, 10);
  });

  it('knows no price for an unknown model rather than guessing', () => {
    expect(priceFor('claude-unknown-9')).toBeUndefined();
    expect(priceFor('toString')).toBeUndefined();
  });
});

describe('Fable cache reads', () => {
  it('use the model’s own cache-read rate', () => {
    const price = priceFor('claude-fable-5-2')!;
    const usage = {
      inputTokens: 0,
      outputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 1_000_000,
    };
    expect(costUsd(price, usage)).toBeCloseTo(0.2, 10);
  });
});
