import type { StewardConfig } from '../src/config/schema.ts';
import type { PullRequestSnapshot } from '../src/github/client.ts';
import type { PullRequestReviewOutcome } from '../src/review/pull-request-review.ts';
import type { EventScope } from './scope.ts';
import { repoName } from './scope.ts';

/** The pull request as the review needs it, from a webhook payload or a snapshot. */
export interface PullFacts {
  number: number;
  headSha: string;
  /** From another repository: its author's code must not meet the repository's secrets. */
  fork: boolean;
}

export type ReviewWork =
  /** Another event is reviewing (or has just dispatched) this head. */
  | { kind: 'busy'; headSha: string }
  | { kind: 'dispatched'; via: 'workflow' | 'repository'; target: string }
  | { kind: 'reviewed'; outcome: PullRequestReviewOutcome; fork: boolean };

/** One in-process review of a head at a time; long enough for the slowest offline review. */
const REVIEW_CLAIM_MS = 15 * 60_000;
/** A dispatched review is not dispatched again for the same head within this time. */
const DISPATCH_CLAIM_MS = 10 * 60_000;

const FORK_REASON =
  'the pull request comes from a fork, and the model review would run in a workflow with the repository’s secrets';
const offlineReason = (mode: string) =>
  `\`app.review\` is \`${mode}\` in .github/steward.yml (\`model\` hands the model review to the repository’s workflow)`;

/**
 * Reviews a pull request once per head: offline in the process, or, when the config asks for the
 * model review and the pull request is not from a fork, by dispatching the repository's workflow.
 * Two events racing on the same head (an `opened` and a `/steward review`) yield one review.
 */
export interface ReviewRequest {
  full: boolean;
  requestedBy: string;
  /** The pull request as already read, so the review does not read it again. */
  snapshot?: PullRequestSnapshot;
  /** The ref the config was read at; a dispatched workflow is told it, to read the same files. */
  configRef: string;
}

export async function reviewOnce(
  scope: EventScope,
  pull: PullFacts,
  config: StewardConfig,
  request: ReviewRequest,
): Promise<ReviewWork> {
  const head = `${repoName(scope.repo)}#${pull.number}@${pull.headSha}`;
  if (config.app.review === 'model' && !pull.fork) {
    const key = `dispatch:${head}:${request.full ? 'full' : 'since'}`;
    if (!(await scope.leases.claim(key, DISPATCH_CLAIM_MS)))
      return { kind: 'busy', headSha: pull.headSha };
    try {
      return await dispatchReview(scope, pull, config, request);
    } catch (error: unknown) {
      await scope.leases.release(key);
      throw error;
    }
  }

  const key = `review:${head}`;
  if (!(await scope.leases.claim(key, REVIEW_CLAIM_MS)))
    return { kind: 'busy', headSha: pull.headSha };
  try {
    const fork = pull.fork && config.app.review === 'model';
    // Loaded on the first review: the parsers behind it are most of the app's memory, and an app
    // that only dispatches or answers commands never needs them.
    const { reviewPullRequest } = await import('../src/review/pull-request-review.ts');
    const outcome = await reviewPullRequest(scope.client, {
      pullNumber: pull.number,
      ...(request.snapshot ? { snapshot: request.snapshot } : {}),
      config,
      full: request.full,
      model: null,
      offlineReason: fork ? FORK_REASON : offlineReason(config.app.review),
    });
    const { usage, model } = outcome.result;
    if (model !== null && usage.inputTokens + usage.outputTokens > 0) {
      scope.metrics.modelTokens.inc({ model, kind: 'input' }, usage.inputTokens);
      scope.metrics.modelTokens.inc({ model, kind: 'output' }, usage.outputTokens);
    }
    return { kind: 'reviewed', outcome, fork };
  } finally {
    await scope.leases.release(key);
  }
}

async function dispatchReview(
  scope: EventScope,
  pull: PullFacts,
  config: StewardConfig,
  request: ReviewRequest,
): Promise<ReviewWork> {
  const { app } = config;
  if (app.dispatch === 'workflow') {
    // The workflow file on the default branch runs: a pull request cannot change what it runs.
    await scope.client.dispatchWorkflow({
      workflow: app.workflow,
      ref: scope.defaultBranch,
      inputs: {
        'pull-request': String(pull.number),
        full: String(request.full),
        'config-ref': request.configRef,
      },
    });
    return { kind: 'dispatched', via: 'workflow', target: app.workflow };
  }
  await scope.client.dispatchRepositoryEvent({
    eventType: app.eventType,
    clientPayload: {
      pull_request: pull.number,
      head_sha: pull.headSha,
      full: request.full,
      requested_by: request.requestedBy,
      config_ref: request.configRef,
      delivery: scope.delivery.id,
    },
  });
  return { kind: 'dispatched', via: 'repository', target: app.eventType };
}
