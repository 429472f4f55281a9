import type { GitHubClient } from '../github/client.ts';
import type { PullRequestSnapshot } from '../github/client.ts';
import type { ModelClient } from '../llm/model-call.ts';
import { skipsDraft } from './draft-rule.ts';
import { failOnGate, type FailOnGate } from './fail-on.ts';
import { reviewPullRequest, type PullRequestReviewOutcome } from './pull-request-review.ts';
import type { ReviewConfig, ReviewRunConfig } from './settings.ts';
import type { Severity } from './severity.ts';

/** One review of a pull request as a workflow runs it: what was asked, and the ports it needs. */
export interface PullRequestJob {
  pullNumber: number;
  /** Someone asked for this review by name (a dispatch, a `pull-request` input): drafts too. */
  requested: boolean;
  /** Review every change, not only the commits since the last reviewed one. */
  full: boolean;
  /** The face's own fail-on threshold; `review.fail-on` applies when absent. */
  failOn?: Severity | undefined;
  /**
   * The ref to read the config at instead of the pull request's base branch: only the ref the
   * app read when it dispatched this run. Never the head: a pull request cannot change how it is
   * reviewed.
   */
  configRef?: string | undefined;
  /** The config at a ref, through the one loader (the face reports where it came from). */
  readConfig(ref: string): Promise<ReviewRunConfig>;
  /** The model to review with under these settings, or null for the offline review. */
  modelFor(settings: Pick<ReviewConfig, 'model'>): Promise<ModelClient | null>;
  /** Why there is no model, said in the review's summary. */
  offlineReason(pull: PullRequestSnapshot): string;
  onProgress?: (message: string) => void;
}

export type PullRequestJobOutcome =
  | { kind: 'draft'; pull: PullRequestSnapshot }
  | {
      kind: 'reviewed';
      pull: PullRequestSnapshot;
      review: PullRequestReviewOutcome;
      /** The fail-on gate's verdict: null passes. Never set when nothing new was reviewed. */
      gate: FailOnGate | null;
    };

/**
 * The review use case of the action: reads the pull request and its base branch's config,
 * applies the draft rule, reviews (with the model when there is one) and posts through
 * {@link reviewPullRequest}, then applies the fail-on gate.
 */
export async function runPullRequestJob(
  client: GitHubClient,
  job: PullRequestJob,
): Promise<PullRequestJobOutcome> {
  const pull = await client.getPullRequestSnapshot(job.pullNumber);
  const config = await job.readConfig(job.configRef ?? pull.baseRefName);
  if (skipsDraft({ draft: pull.isDraft, requested: job.requested }, config.review))
    return { kind: 'draft', pull };
  const review = await reviewPullRequest(client, {
    pullNumber: job.pullNumber,
    snapshot: pull,
    config,
    full: job.full,
    model: await job.modelFor(config.review),
    offlineReason: job.offlineReason(pull),
    ...(job.onProgress ? { onProgress: job.onProgress } : {}),
  });
  const gate =
    review.range === 'unchanged' ? null : failOnGate(review.result, job.failOn, config.review);
  return { kind: 'reviewed', pull, review, gate };
}
