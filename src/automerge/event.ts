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

type Payload = Record<string, unknown>;

export function resolveEventTarget(
  eventName: string,
  payload: Payload,
  dispatchNumber?: number,
): EventTarget {
  const pick = (value: unknown): Payload =>
    typeof value === 'object' && value !== null ? (value as Payload) : {};
  const numbersOf = (list: unknown): number[] =>
    Array.isArray(list) ? list.map((pr) => Number(pick(pr).number)).filter(Number.isInteger) : [];
  const viaSha = (owner: Payload, fallbackSha: unknown): EventTarget => {
    const numbers = numbersOf(owner.pull_requests);
    if (numbers.length > 0) return { kind: 'pull-requests', numbers };
    return typeof fallbackSha === 'string' && fallbackSha
      ? { kind: 'sha', sha: fallbackSha }
      : { kind: 'ignore', reason: `the ${eventName} event names no pull request and no commit` };
  };

  switch (eventName) {
    case 'pull_request':
    case 'pull_request_target':
    case 'pull_request_review': {
      const number = Number(pick(payload.pull_request).number);
      return Number.isInteger(number) && number > 0
        ? { kind: 'pull-requests', numbers: [number] }
        : { kind: 'ignore', reason: `the ${eventName} event has no pull_request.number` };
    }
    case 'check_suite': {
      const suite = pick(payload.check_suite);
      return viaSha(suite, suite.head_sha);
    }
    case 'check_run': {
      const run = pick(payload.check_run);
      return viaSha(run, run.head_sha ?? pick(run.check_suite).head_sha);
    }
    case 'workflow_run': {
      const run = pick(payload.workflow_run);
      return viaSha(run, run.head_sha);
    }
    case 'status':
      return typeof payload.sha === 'string'
        ? { kind: 'sha', sha: payload.sha }
        : { kind: 'ignore', reason: 'the status event has no sha' };
    case 'workflow_dispatch':
      return dispatchNumber
        ? { kind: 'pull-requests', numbers: [dispatchNumber] }
        : { kind: 'ignore', reason: 'workflow_dispatch needs the pull-request input' };
    default:
      return {
        kind: 'ignore',
        reason: `Steward auto-merge does not act on ${eventName} events; run it on ${SUPPORTED_EVENTS.join(', ')}`,
      };
  }
}
