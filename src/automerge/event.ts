import { eventSubject } from '../github/event-subject.ts';

/**
 * Which pull requests an event concerns. Events that carry pull requests name them; events that
 * only carry a commit (status, or checks from a fork) are resolved through the head SHA.
 */
export type EventTarget =
  | { kind: 'pull-requests'; numbers: number[] }
  | { kind: 'sha'; sha: string }
  | { kind: 'ignore'; reason: string };

export const SUPPORTED_EVENTS = [
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'check_suite',
  'check_run',
  'workflow_run',
  'status',
  'workflow_dispatch',
] as const;

/** Auto-merge's policy over what the payload names (src/github/event-subject.ts reads it). */
export function resolveEventTarget(
  eventName: string,
  payload: unknown,
  dispatchNumber?: number,
): EventTarget {
  if (!(SUPPORTED_EVENTS as readonly string[]).includes(eventName))
    return {
      kind: 'ignore',
      reason: `Steward auto-merge does not act on ${eventName} events; run it on ${SUPPORTED_EVENTS.join(', ')}`,
    };
  // workflow_dispatch: the number comes from the action's pull-request input.
  if (eventName === 'workflow_dispatch')
    return dispatchNumber
      ? { kind: 'pull-requests', numbers: [dispatchNumber] }
      : { kind: 'ignore', reason: 'workflow_dispatch needs the pull-request input' };
  const subject = eventSubject(eventName, payload);
  switch (subject.kind) {
    case 'pull-request':
      return { kind: 'pull-requests', numbers: [subject.pullRequest.number] };
    case 'pull-requests':
      return subject;
    case 'commit':
      return { kind: 'sha', sha: subject.sha };
    case 'none':
      return { kind: 'ignore', reason: subject.reason };
    default:
      return { kind: 'ignore', reason: `the ${eventName} event names no pull request` };
  }
}
