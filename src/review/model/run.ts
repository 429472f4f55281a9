import { priceFor } from '../../llm/prices.ts';
import { callModelSafely } from '../../llm/model-call.ts';
import type { ModelClient, ModelCallResult } from '../../llm/model-call.ts';
import type { Finding } from '../anchor.ts';
import { buildReviewCall } from './call.ts';
import type { ModelFinding, ReportFindings } from './findings.ts';
import { packReview, PACK_DEFAULTS } from './pack.ts';
import type { NotFitted, PackOptions } from './pack.ts';
import type { NameOnly, PromptOptions } from './prompt.ts';
import type { ModelFile } from './types.ts';

/**
 * Runs the packed calls, a few at a time: a review of four calls takes about as long as its
 * slowest call, not the sum. max-cost-usd still holds on what is billed (see the ceilings below).
 * An API that stays unavailable stops the run: what other calls found is kept, and the files of
 * the calls not made are named with the reason, so the summary never hides a partial review.
 */

/** Calls in flight at once: well inside Anthropic's lowest tier (50 requests a minute). */
export const MODEL_CONCURRENCY = 3;

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
  const results: (ModelCallResult<ReportFindings> | null)[] = packed.calls.map(() => null);
  // Each call may spend the cap less what finished calls spent and what the others may still
  // spend at worst. The packer kept the summed worst cases within the cap, so every call can
  // always afford its first answer, and a validation retry only what is truly left.
  const worst = packed.calls.map((chunk) => chunk.worstCaseCostUsd ?? 0);
  let spent = 0;
  let unavailable: string | null = null;
  let next = 0;
  const worker = async () => {
    while (next < total && unavailable === null) {
      const index = next++;
      const chunk = packed.calls[index]!;
      const othersAtWorst = worst.reduce((sum, w, i) => (i === index ? sum : sum + w), 0);
      onProgress?.(`model review: call ${index + 1} of ${total}`);
      const call = buildReviewCall(chunk, index, total, {
        prompt: settings.prompt,
        maxOutputTokens,
      });
      const ceiling = settings.maxCostUsd - spent - othersAtWorst;
      const result = await callModelSafely(
        client,
        price ? { ...call, costCeilingUsd: ceiling } : call,
      );
      results[index] = result;
      worst[index] = 0;
      spent += result.usage.costUsd ?? 0;
      if (result.kind === 'unavailable') unavailable ??= result.reason;
    }
  };
  await Promise.all(Array.from({ length: Math.min(MODEL_CONCURRENCY, total) }, worker));

  // Folded in call order, so the report does not depend on which answer came first.
  for (const [index, chunk] of packed.calls.entries()) {
    const result = results[index];
    if (!result) {
      for (const file of chunk.files)
        outcome.notReviewed.push({ path: file.path, reason: `not sent: ${unavailable}` });
      continue;
    }
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
      outcome.unavailable ??= result.reason;
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
