import type { CheckFacts, CheckState } from '../github/types.ts';

export interface CheckPolicy {
  allowWithoutRequiredChecks: boolean;
  allowSkippedChecks: boolean;
  allowNeutralChecks: boolean;
}

export interface ChecksVerdict {
  status: 'pass' | 'pending' | 'fail';
  /** One line per check that is not plainly green, and a summary of the rest. */
  details: string[];
  required: string[];
}

const FAILING: ReadonlySet<CheckState> = new Set([
  'failure',
  'cancelled',
  'timed_out',
  'action_required',
  'stale',
  'startup_failure',
  'error',
]);

/**
 * Every required check of the base branch must have succeeded on the evaluated head, and nothing
 * else may have failed: a red optional check still means something is wrong with the update.
 * Checks of the run making the decision are excluded by the caller (they are always in progress).
 */
export function evaluateChecks(
  checks: readonly CheckFacts[],
  requiredNames: readonly string[],
  policy: CheckPolicy,
): ChecksVerdict {
  const required = [
    ...new Set([...requiredNames, ...checks.filter((c) => c.required).map((c) => c.name)]),
  ].sort();
  const failed: string[] = [];
  const pending: string[] = [];
  const passing = (state: CheckState) =>
    state === 'success' ||
    (state === 'skipped' && policy.allowSkippedChecks) ||
    (state === 'neutral' && policy.allowNeutralChecks);

  for (const check of checks) {
    const label = `${check.name}${required.includes(check.name) ? ' (required)' : ''}`;
    if (FAILING.has(check.state)) failed.push(`${label}: ${check.state.replace('_', ' ')}`);
    else if (check.state === 'pending') pending.push(`${label}: still running`);
    else if (!passing(check.state)) {
      const option = check.state === 'skipped' ? 'allow-skipped-checks' : 'allow-neutral-checks';
      failed.push(`${label}: ${check.state}, which counts as passing only with ${option}`);
    }
  }
  for (const name of required) {
    if (!checks.some((c) => c.name === name))
      pending.push(`${name} (required): has not reported yet`);
  }

  if (failed.length > 0) return { status: 'fail', details: [...failed, ...pending], required };
  if (required.length === 0 && !policy.allowWithoutRequiredChecks) {
    return {
      status: 'fail',
      details: [
        'the base branch requires no status checks, so nothing proves the update works; require a check in branch protection or a ruleset, or set allow-without-required-checks',
      ],
      required,
    };
  }
  if (pending.length > 0) return { status: 'pending', details: pending, required };
  const green = checks.filter((c) => passing(c.state)).length;
  return {
    status: 'pass',
    details: [`${green} checks passed, ${required.length} required`],
    required,
  };
}
