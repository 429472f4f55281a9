/**
 * Which model Steward uses when config names none, and what the API accepts from each.
 *
 * The default is Claude Sonnet 5.5: current ("Latest" on platform.claude.com), not in the SDK's
 * DEPRECATED_MODELS (@anthropic-ai/sdk 1.12 flags only claude-sonnet-4-5), and Anthropic's
 * "best combination of speed and intelligence" at $2/$10 a million tokens. Haiku 5.5 is cheaper but
 * documented for classification, extraction and routing; review precision is what users complain
 * about, so the default buys the stronger model and the cost cap bounds the bill.
 */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

/**
 * Models whose API answers a forced `tool_choice` (`tool` or `any`) with a 400: "Forced tool use
 * returns an error" in Anthropic's what's-new pages for Sonnet 5.5, Opus 5.5 and Fable 5.1 (Fable
 * 5.2 and the Mythos twins keep Fable 5.1's tool-choice behaviour). For
 * them the client offers report_findings as the only tool with `tool_choice: auto`, and an answer
 * without the tool call is invalid output (one retry, then the chunk is dropped with the reason).
 */
const REJECTS_FORCED_TOOL_CHOICE: ReadonlySet<string> = new Set([
  'claude-sonnet-5-5',
  'claude-opus-5-5',
  'claude-fable-5-1',
  'claude-mythos-5-1',
  'claude-fable-5-2',
  'claude-mythos-5-2',
]);

export function acceptsForcedToolChoice(model: string): boolean {
  return !REJECTS_FORCED_TOOL_CHOICE.has(model);
}
