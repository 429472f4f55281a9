import type { FileHealthDelta } from '../health/delta.ts';
import type { ModelClient } from '../llm/model-call.ts';
import { anchorFindings } from './anchor.ts';
import type { AnchoredFinding, Finding } from './anchor.ts';
import type { FileChange, ReviewFile } from '../diff/review-file.ts';
import type { SkippedFile } from './filter.ts';
import { healthFindings } from './health-findings.ts';
import type { ReviewFinding } from './health-findings.ts';
import { toModelFiles } from './model/input.ts';
import { runModelReview } from './model/run.ts';
import type { FocusArea } from './model/types.ts';
import type { ReviewResult } from './result.ts';
import { NO_USAGE } from './result.ts';

/**
 * The review of one change, after the face has read its diff, contents and health delta: the
 * health findings, the model's findings when a client is given, both anchored to the diff
 * together so the one-per-line rule and max-comments pick the most severe across sources.
 */

/** The settings this stage reads; the `review` config section has them all. */
export interface ChangeReviewSettings {
  model: string;
  focus: readonly FocusArea[];
  instructions: string;
  maxCalls: number;
  maxCostUsd: number;
  perCallInputTokens: number;
  maxComments: number;
}

export interface ChangeReviewInput {
  /** The files that passed the filter. */
  reviewed: readonly ReviewFile[];
  skipped: readonly SkippedFile[];
  /** Every changed file, for the walkthrough (fileChanges of the unfiltered diff). */
  changes: readonly FileChange[];
  /** New-side texts of the reviewed files: suggestions are verified and context cut from them. */
  contents: ReadonlyMap<string, string>;
  health: readonly FileHealthDelta[];
  settings: ChangeReviewSettings;
  healthFloor: number;
  /** null: the offline review, for `offlineReason`. */
  model: ModelClient | null;
  offlineReason: string;
  /** New-side lines changed since the last review: the model reviews only hunks touching them. */
  onlyLines?: ReadonlyMap<string, ReadonlySet<number>>;
  /** The last reviewed commit, when onlyLines holds what came after it. */
  since?: string;
  onProgress?: (message: string) => void;
}

export type ChangeReview = Omit<ReviewResult, 'base' | 'head' | 'baseSha' | 'headSha'>;

export async function reviewChange(input: ChangeReviewInput): Promise<ChangeReview> {
  const reviewedPaths = new Set(input.reviewed.map((f) => f.path));
  const health = input.health.filter((f) => reviewedPaths.has(f.path));
  const fromHealth: Finding[] = healthFindings(health, { healthFloor: input.healthFloor });
  const result: ChangeReview = {
    nothingToReview: false,
    findings: [],
    offDiff: [],
    skipped: [...input.skipped],
    changes: [...input.changes],
    health: { files: health },
    usage: { ...NO_USAGE },
    mode: 'offline',
    model: input.model?.model ?? null,
    reason: input.offlineReason,
    walkthrough: [],
    notReviewed: [],
    since: input.since ?? null,
  };

  let fromModel: Finding[] = [];
  if (input.model) {
    const files = toModelFiles(input.reviewed, {
      contents: input.contents,
      health,
      ...(input.onlyLines ? { onlyLines: input.onlyLines } : {}),
    });
    const outcome = await runModelReview(
      files,
      input.model,
      {
        prompt: { focus: input.settings.focus, extraInstructions: input.settings.instructions },
        maxCalls: input.settings.maxCalls,
        maxCostUsd: input.settings.maxCostUsd,
        perCallInputTokens: input.settings.perCallInputTokens,
      },
      input.onProgress,
    );
    fromModel = outcome.findings;
    result.usage = outcome.usage;
    result.walkthrough = outcome.summaries;
    result.notReviewed = outcome.notReviewed;
    const answered = outcome.summaries.length > 0 || outcome.findings.length > 0;
    result.mode = answered || (files.length === 0 && !outcome.unavailable) ? 'model' : 'offline';
    result.reason = reasonFor(outcome.unavailable, outcome.dropped, outcome.notReviewed.length);
  }

  // Model findings first: at equal severity on one line, the reviewer's words beat the metric.
  const anchored = anchorFindings([...fromModel, ...fromHealth], input.reviewed, {
    contents: input.contents,
    maxComments: input.settings.maxComments,
  });
  result.findings = anchored.inline.map(withSource);
  result.offDiff = anchored.offDiff.map(withSource);
  return result;
}

function reasonFor(
  unavailable: string | null,
  dropped: readonly string[],
  notReviewed: number,
): string | null {
  if (unavailable) return `the model API was unavailable: ${unavailable}`;
  if (dropped.length) return dropped.join('; ');
  if (notReviewed) return `${notReviewed} file part(s) did not fit the review budget`;
  return null;
}

function withSource(finding: AnchoredFinding): ReviewFinding {
  const { source } = finding as AnchoredFinding & { source?: ReviewFinding['source'] };
  return { ...finding, source: source ?? 'health' };
}
