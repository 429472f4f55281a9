import type { FileHealthDelta } from '../health/delta.ts';
import type { FileChange } from '../diff/review-file.ts';
import type { SkippedFile } from './filter.ts';
import type { ReviewFinding } from './health-findings.ts';
import type { NotFitted } from './model/pack.ts';

/**
 * A finished review, whichever face ran it (`steward review`, the action, the app): what every
 * report format renders, and what `--format json` prints as it is.
 */
export interface ReviewResult {
  base: string;
  head: string;
  /** The revisions as resolved (SHAs). */
  baseSha: string;
  headSha: string;
  /**
   * What head is compared with, when known: the merge base of base and head (the base itself when
   * it is an ancestor of head). The report names it rather than the base branch's tip.
   */
  mergeBaseSha?: string;
  /** True when the diff is empty (or has no commit since the last review): nothing to review. */
  nothingToReview: boolean;
  /** Inline findings: each range lies inside one hunk of the diff. */
  findings: ReviewFinding[];
  /** Findings that could not go inline, each with its offDiffReason. */
  offDiff: ReviewFinding[];
  skipped: SkippedFile[];
  /** Every changed file, reviewed or skipped, for the walkthrough. */
  changes: FileChange[];
  health: { files: FileHealthDelta[] };
  usage: ReviewUsage;
  /** 'model' when at least one model call answered; 'offline' is the health review alone. */
  mode: 'model' | 'offline';
  /** The model asked for, or null when none was. */
  model: string | null;
  /** Why the model did not review (offline), or did not review everything; null when it did. */
  reason: string | null;
  /** The model's walkthrough, one paragraph per call. */
  walkthrough: string[];
  /** Changed files (or parts) the model did not see, and why: never a silent partial review. */
  notReviewed: NotFitted[];
  /** Set on an incremental review: the last reviewed commit the model's review starts from. */
  since: string | null;
}

export interface ReviewUsage {
  /** Requests sent to the model API (retries after invalid output included). */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** null when the model has no known price. */
  costUsd: number | null;
}

export const NO_USAGE: Readonly<ReviewUsage> = Object.freeze({
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
});

/** A review with nothing in it yet: the start of every face's result, and an empty diff's answer. */
export function emptyReview(
  at: Pick<ReviewResult, 'base' | 'head' | 'baseSha' | 'headSha' | 'model' | 'reason'>,
): ReviewResult {
  return {
    ...at,
    nothingToReview: true,
    findings: [],
    offDiff: [],
    skipped: [],
    changes: [],
    health: { files: [] },
    usage: { ...NO_USAGE },
    mode: 'offline',
    walkthrough: [],
    notReviewed: [],
    since: null,
  };
}
