import { priceFor } from '../llm/prices.ts';
import { callModelSafely, noUsage, worstCaseCostUsd } from '../llm/model-call.ts';
import type { Attempt, CallUsage, ModelClient } from '../llm/model-call.ts';
import { buildProposeSystemPrompt, buildProposeUserMessage } from './prompt.ts';
import type { PreviousFailure } from './prompt.ts';
import { CANDIDATE_LIMITS, checkCandidates, proposeTestsTool } from './propose-tool.ts';
import type { RejectedCandidate } from './propose-tool.ts';
import type { TargetContext, TestCandidate } from './types.ts';

/**
 * Candidates from Claude for one target, through the review's model client (src/llm): the same
 * retries on 429, 529, 5xx and timeouts, the same one correction when the answer is not the tool,
 * the same usage and cost accounting. The cost cap holds before anything is sent: a call whose
 * worst case (every input token uncached, all of max_tokens used) would pass what is left is not
 * made. Nothing here throws on what the model or the API sends; every outcome says why.
 */

export const PROPOSE_DEFAULTS = {
  /** Room for a handful of tests of a few hundred lines each, and adaptive thinking. */
  maxOutputTokens: 16_000,
} as const;

export interface ProposeOptions {
  /** Tests to ask for; more in the answer are dropped. At most CANDIDATE_LIMITS.maxCandidates. */
  maxCandidates: number;
  /** The retry: the previous attempt's candidates that failed the chain, and why. */
  failures?: readonly PreviousFailure[];
  /** With the retry: names of the previous attempt's tests the chain kept. */
  kept?: readonly string[];
  /** What this call may still spend, in USD (the budget left for test generation). */
  maxCostUsd?: number;
  maxOutputTokens?: number;
}

interface Spent {
  /** Requests answered and billed, tokens and cost; costUsd null when the model has no price. */
  usage: CallUsage;
  /** Every request sent, with what came back (retries included). */
  attempts: Attempt[];
}

export type ProposeOutcome =
  | ({ kind: 'candidates'; candidates: TestCandidate[]; rejected: RejectedCandidate[] } & Spent)
  /** The model answered, but with no test that passed the checks, or not with the tool. */
  | ({ kind: 'no-candidates'; reason: string; rejected: RejectedCandidate[] } & Spent)
  /** The API could not be used (retries exhausted, a request it refuses): stop calling it. */
  | ({ kind: 'unavailable'; reason: string } & Spent)
  /** Not sent: its worst case would pass the cost cap. */
  | ({ kind: 'over-budget'; reason: string } & Spent);

export async function proposeTests(
  context: TargetContext,
  model: ModelClient,
  options: ProposeOptions,
): Promise<ProposeOutcome> {
  const price = priceFor(model.model);
  const none: Spent = { usage: noUsage(model.model), attempts: [] };
  const maxCandidates = Math.min(Math.floor(options.maxCandidates), CANDIDATE_LIMITS.maxCandidates);
  if (!(maxCandidates >= 1)) {
    return {
      kind: 'no-candidates',
      reason: `max-candidates is ${options.maxCandidates}: ask for at least 1 test`,
      rejected: [],
      ...none,
    };
  }
  const maxOutputTokens = options.maxOutputTokens ?? PROPOSE_DEFAULTS.maxOutputTokens;
  const tool = proposeTestsTool(context, maxCandidates);
  const system = buildProposeSystemPrompt(context.framework);
  const user = buildProposeUserMessage(context, {
    maxCandidates,
    ...(options.failures ? { failures: options.failures } : {}),
    ...(options.kept ? { kept: options.kept } : {}),
  });
  const label = `${options.failures?.length ? 'retry of ' : ''}tests for ${shortName(context.target.name)}`;

  const worst = worstCaseCostUsd(model.model, { system, user, tool, maxOutputTokens });
  if (worst !== null && options.maxCostUsd !== undefined && worst.usd > options.maxCostUsd) {
    return {
      kind: 'over-budget',
      reason:
        `${label}: not sent, its worst case ($${worst.usd.toFixed(4)} for about ${worst.inputTokens} input and ` +
        `${maxOutputTokens} output tokens) is over the $${Math.max(0, options.maxCostUsd).toFixed(4)} left of the cost cap`,
      ...none,
    };
  }

  const result = await callModelSafely(model, {
    system,
    user,
    tool,
    maxOutputTokens,
    label,
    ...(price && options.maxCostUsd !== undefined ? { costCeilingUsd: options.maxCostUsd } : {}),
  });
  const spent: Spent = { usage: result.usage, attempts: result.attempts };
  if (result.kind === 'unavailable')
    return { kind: 'unavailable', reason: result.reason, ...spent };
  if (result.kind === 'invalid') {
    return { kind: 'no-candidates', reason: result.reason, rejected: [], ...spent };
  }
  const { candidates, rejected } = checkCandidates(result.value.tests, context, maxCandidates);
  if (candidates.length > 0) return { kind: 'candidates', candidates, rejected, ...spent };
  const reason =
    rejected.length === 0
      ? `${label}: the model proposed no tests`
      : `${label}: all ${rejected.length} proposed tests were dropped (first: ${rejected[0]!.reason})`;
  return { kind: 'no-candidates', reason, rejected, ...spent };
}

function shortName(name: string): string {
  const flat = name.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}
