import { skipsDraft } from '../../src/review/draft-rule.ts';
import { clearConfigReport, reportConfigErrors } from '../config-report.ts';
import type { Outcome } from '../deliveries.ts';
import { reviewOnce } from '../review-work.ts';
import type { PullFacts } from '../review-work.ts';
import type { EventScope } from '../scope.ts';

/** The actions that change what a review would say; the rest (labels, assignees) do not. */
export const REVIEWED_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'] as const;

export interface PullRequestEvent extends PullFacts {
  action: string;
  draft: boolean;
  sender: string;
  /** The branch the pull request merges into: its config is read there, never from the head. */
  baseRef: string;
}

export async function onPullRequest(scope: EventScope, event: PullRequestEvent): Promise<Outcome> {
  const { log } = scope.delivery;
  if (!(REVIEWED_ACTIONS as readonly string[]).includes(event.action)) return 'ignored';
  const loaded = await scope.config(event.baseRef);
  if (!loaded.ok) {
    await reportConfigErrors(scope.client, event.number, loaded.errors, loaded.sources);
    return 'config_invalid';
  }
  const { config } = loaded;
  if (config.app.review === 'off') {
    log.info('app.review is off: no review on pull request events');
    return 'ignored';
  }
  await clearConfigReport(scope.client, event.number);
  if (skipsDraft({ draft: event.draft, requested: false }, config.review)) {
    log.info(`#${event.number} is a draft (review.drafts is false): not reviewed`);
    return 'ignored';
  }
  const work = await reviewOnce(scope, event, config, {
    full: false,
    requestedBy: event.sender,
    configRef: event.baseRef,
  });
  if (work.kind === 'busy') {
    log.info(`${event.headSha.slice(0, 7)} is already being reviewed: this event adds nothing`);
    return 'busy';
  }
  if (work.kind === 'dispatched')
    log.info(`model review dispatched via ${work.via} ${work.target}`);
  return 'handled';
}
