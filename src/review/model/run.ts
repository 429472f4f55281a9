import { priceFor } from '../../llm/prices.ts';
import type { ModelClient } from '../../llm/review-call.ts';
import type { Finding } from '../anchor.ts';
import { buildReviewCall } from './call.ts';
import type { ModelFinding } from './findings.ts';
import { packReview, PACK_DEFAULTS } from './pack.ts';
import type { NotFitted, PackOptions } from './pack.ts';
import type { NameOnly, PromptOptions } from './prompt.ts';
import type { ModelFile } from './types.ts';

/**
 * Runs the packed calls one after another. Sequential on purpose: each call's cost ceiling is what
 * the cap leaves after the calls before it, so max-cost-usd holds on what was actually billed.
 * An API that stays unavailable stops the run: what earlier calls found is kept, and the files of
 * the calls not made are named with the reason, so the summary never hides a partial review.
 */

export interface ModelReviewSettings {
  readonly prompt: PromptOptions;
  readonly maxCalls: number;
  readonly maxCostUsd: number;
  readonly perCallInputTokens: number;
  readonly maxOutputTokens?: number;
}

export interface ModelUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** null when the model has no known price. */
  costUsd: number | null;
}

export interface ModelReviewOutcome {
  findings: (Finding & { source: 'model' })[];
  /** The model's walkthrough of each call, in call order. */
  summaries: string[];
  usage: ModelUsage;
  /** Files or parts the model did not see, with why (budget, dropped call, API unavailable). */
  notReviewed: NotFitted[];
  /** Files reduced to their names (deleted, deletions only). */
  reducedToNames: NameOnly[];
  /** Set when the API could not be used: the reason, for "reviewed offline because …". */
  unavailable: string | null;
  /** Calls dropped for invalid output, with the reason. */
  dropped: string[];
}

export async function runModelReview(
  files: readonly ModelFile[],
  client: ModelClient,
  settings: ModelReviewSettings,
  onProgress?: (message: string) => void,
): Promise<ModelReviewOutcome> {
  const price = priceFor(client.model);
  const maxOutputTokens = settings.maxOutputTokens ?? PACK_DEFAULTS.maxOutputTokens;
  const packOptions: PackOptions = {
    perCallInputTokens: settings.perCallInputTokens,
    maxCalls: settings.maxCalls,
    maxOutputTokens,
    prompt: settings.prompt,
    ...(price ? { maxCostUsd: settings.maxCostUsd, price } : {}),
  };
  const packed = packReview(files, packOptions);
  const outcome: ModelReviewOutcome = {
    findings: [],
    summaries: [],
    usage: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: price ? 0 : null },
    notReviewed: [...packed.notFitted],
    reducedToNames: packed.reducedToNames,
    unavailable: null,
    dropped: [],
  };
  const total = packed.calls.length;
  for (const [index, chunk] of packed.calls.entries()) {
    if (outcome.unavailable) {
      for (const file of chunk.files)
        outcome.notReviewed.push({ path: file.path, reason: `not sent: ${outcome.unavailable}` });
      continue;
    }
    const spent = outcome.usage.costUsd ?? 0;
    onProgress?.(`model review: call ${index + 1} of ${total}`);
    const call = buildReviewCall(chunk, index, total, {
      prompt: settings.prompt,
      maxOutputTokens,
    });
    const result = await client.review(
      price ? { ...call, costCeilingUsd: settings.maxCostUsd - spent } : call,
    );
    outcome.usage.calls += result.usage.requests;
    outcome.usage.inputTokens +=
      result.usage.inputTokens +
      result.usage.cacheCreationInputTokens +
      result.usage.cacheReadInputTokens;
    outcome.usage.outputTokens += result.usage.outputTokens;
    if (outcome.usage.costUsd !== null && result.usage.costUsd !== null)
      outcome.usage.costUsd += result.usage.costUsd;
    if (result.kind === 'ok') {
      for (const finding of result.value.findings) outcome.findings.push(toFinding(finding));
      if (result.value.summary.trim()) outcome.summaries.push(result.value.summary.trim());
    } else if (result.kind === 'invalid') {
      outcome.dropped.push(result.reason);
      for (const file of chunk.files)
        outcome.notReviewed.push({ path: file.path, reason: `the model's answer was invalid` });
    } else {
      outcome.unavailable = result.reason;
      for (const file of chunk.files)
        outcome.notReviewed.push({ path: file.path, reason: `not reviewed: ${result.reason}` });
    }
  }
  return outcome;
}

/**
 * The model's finding as the anchoring stage takes it: plain data. Its path and lines are checked
 * against the diff there; nothing of the model's output is acted on in any other way.
 */
function toFinding(finding: ModelFinding): Finding & { source: 'model' } {
  return {
    path: finding.path,
    line: finding.line,
    ...(finding.endLine !== undefined ? { endLine: finding.endLine } : {}),
    severity: finding.severity,
    category: finding.category,
    title: finding.title,
    body: finding.body,
    ...(finding.suggestion !== undefined ? { suggestion: finding.suggestion } : {}),
    source: 'model',
  };
}
