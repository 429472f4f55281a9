/**
 * Per-model prices in USD per million tokens, from Anthropic's model pages on platform.claude.com
 * (docs/en/models/<model>/overview and docs/en/about-claude/models/overview, read 2026-11-23).
 * Cache writes (5-minute) cost 1.25× input and cache reads 0.1× input (the Haiku 5.5 page spells
 * out $0.125 and $0.01 a million under 100K), except that Fable models read cache at 0.025× input
 * ($0.20 a million on Fable 5.2, per its launch notes), so they carry their own cache-read rate. Prices change: a model missing here has no cost, and the caller
 * must say so instead of guessing.
 */

export interface PriceTier {
  /** Applies while the prompt (input + cache tokens) is at most this many tokens. */
  readonly upToPromptTokens: number;
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
}

export interface ModelPrice {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  /** When cache reads are not CACHE_READ_MULTIPLIER × input. */
  readonly cacheReadPerMTok?: number;
  /** Cheaper tiers for short prompts (Haiku 5.5 bills prompts over 100K tokens at 5×). */
  readonly tiers?: readonly PriceTier[];
}

export const CACHE_WRITE_MULTIPLIER = 1.25;
export const CACHE_READ_MULTIPLIER = 0.1;

const PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-fable-5-2': { inputPerMTok: 8, outputPerMTok: 40, cacheReadPerMTok: 0.2 },
  'claude-fable-5-1': { inputPerMTok: 10, outputPerMTok: 50, cacheReadPerMTok: 0.25 },
  'claude-opus-5-5': { inputPerMTok: 4, outputPerMTok: 20 },
  'claude-sonnet-5-5': { inputPerMTok: 2, outputPerMTok: 10 },
  'claude-haiku-5-5': {
    inputPerMTok: 0.5,
    outputPerMTok: 2.5,
    tiers: [{ upToPromptTokens: 100_000, inputPerMTok: 0.1, outputPerMTok: 0.5 }],
  },
  // Legacy, still served: listed so a configured older model is still costed.
  'claude-fable-5': { inputPerMTok: 10, outputPerMTok: 50 },
  'claude-opus-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-sonnet-5': { inputPerMTok: 2, outputPerMTok: 10 },
  'claude-sonnet-4-6': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
  'claude-haiku-4-5-20251001': { inputPerMTok: 1, outputPerMTok: 5 },
};

export function priceFor(model: string): ModelPrice | undefined {
  return Object.hasOwn(PRICES, model) ? PRICES[model] : undefined;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

/** The USD cost of one request's usage. */
export function costUsd(price: ModelPrice, usage: TokenUsage): number {
  const prompt = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
  const rate = rateFor(price, prompt);
  const input =
    (usage.inputTokens + usage.cacheCreationInputTokens * CACHE_WRITE_MULTIPLIER) *
    rate.inputPerMTok;
  const cacheRead =
    usage.cacheReadInputTokens *
    (price.cacheReadPerMTok ?? rate.inputPerMTok * CACHE_READ_MULTIPLIER);
  return (input + cacheRead + usage.outputTokens * rate.outputPerMTok) / 1_000_000;
}

/** The worst-case cost of a request before it is sent: every input token uncached, all output used. */
export function maxCostUsd(
  price: ModelPrice,
  inputTokens: number,
  maxOutputTokens: number,
): number {
  return costUsd(price, {
    inputTokens,
    outputTokens: maxOutputTokens,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
  });
}

function rateFor(price: ModelPrice, promptTokens: number): Omit<PriceTier, 'upToPromptTokens'> {
  const tier = (price.tiers ?? []).find((t) => promptTokens <= t.upToPromptTokens);
  return tier ?? price;
}
