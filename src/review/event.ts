import { eventSubject } from '../github/event-subject.ts';

/** The pull request a run of the review action reviews, or why it reviews none. */
export type ReviewTarget =
  | {
      number: number;
      /** The pull_request action; null for a dispatch or the pull-request input. */
      action: string | null;
      /** Review every change, not only those since the last review. */
      full: boolean;
    }
  | { ignore: string };

/**
 * The review action's policy over what the payload names (src/github/event-subject.ts reads it).
 * On dispatch events the number comes from the input, the workflow_dispatch inputs or the
 * repository_dispatch client payload; a dispatch also says whether to review everything.
 */
export function reviewTargetOf(
  eventName: string,
  payload: unknown,
  fromInput: number | undefined,
): ReviewTarget {
  const subject = eventSubject(eventName, payload);
  const full = subject.kind === 'dispatch' && subject.full;
  if (fromInput !== undefined) return { number: fromInput, action: null, full };
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    if (subject.kind !== 'pull-request') return { ignore: 'the event names no pull request' };
    if (subject.action === 'closed') return { ignore: 'the pull request was closed' };
    return { number: subject.pullRequest.number, action: subject.action, full: false };
  }
  if (subject.kind === 'dispatch' && subject.number !== null)
    return { number: subject.number, action: null, full };
  return {
    ignore: `the ${eventName} event names no pull request; run on pull_request, or pass the pull-request input`,
  };
}
