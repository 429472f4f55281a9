import type { CheckFacts, CheckState, RequiredCheck } from '../github/client.ts';

export interface CheckPolicy {
  allowWithoutRequiredChecks: boolean;
  allowSkippedChecks: boolean;
  allowNeutralChecks: boolean;
}

export interface ChecksVerdict {
  status: 'pass' | 'pending' | 'fail';
  /** One line per check that is not plainly green, and one per requirement saying what satisfied it. */
  details: string[];
  /** Checks of the head that exist and are still running (native mode never arms while any runs). */
  running: string[];
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
 * Every required check of the base branch must have succeeded on the evaluated head, from the
 * source the requirement is bound to (a check run of that App: another App's check or a commit
 * status of the same name does not count), and nothing else may have failed: a red optional check
 * still means something is wrong with the update. The caller leaves out only the job making the
 * decision (always in progress).
 *
 * Requirements GitHub itself reports through `isRequired` count too; when the branch's rules could
 * not be read, they are all there is.
 */
export function evaluateChecks(
  checks: readonly CheckFacts[],
  requirements: readonly RequiredCheck[],
  policy: CheckPolicy,
): ChecksVerdict {
  const failed: string[] = [];
  const pending: string[] = [];
  const running: string[] = [];
  const satisfied: string[] = [];
  const passing = (state: CheckState) =>
    state === 'success' ||
    (state === 'skipped' && policy.allowSkippedChecks) ||
    (state === 'neutral' && policy.allowNeutralChecks);
  const requiredNames = new Set([
    ...requirements.map((r) => r.context),
    ...checks.filter((c) => c.required).map((c) => c.name),
  ]);

  for (const check of checks) {
    const label = `${check.name}${requiredNames.has(check.name) ? ' (required)' : ''}`;
    if (FAILING.has(check.state)) failed.push(`${label}: ${check.state.replace('_', ' ')}`);
    else if (check.state === 'pending') {
      pending.push(`${label}: still running`);
      running.push(check.name);
    } else if (!passing(check.state)) {
      const option = check.state === 'skipped' ? 'allow-skipped-checks' : 'allow-neutral-checks';
      failed.push(`${label}: ${check.state}, which counts as passing only with ${option}`);
    }
  }

  // GitHub's isRequired names a context required for this pull request: that check is the one.
  const all = [...requirements];
  for (const check of checks) {
    if (check.required && !all.some((r) => r.context === check.name))
      all.push({ context: check.name, appId: check.app?.id ?? null, source: 'ruleset' });
  }
  for (const requirement of all) {
    const binding =
      requirement.appId === null ? '' : `, only from the GitHub App ${requirement.appId}`;
    const label = `${requirement.context} (required by ${requirement.source}${binding})`;
    const named = checks.filter((c) => c.name === requirement.context);
    const accepted = named.filter(
      (c) =>
        requirement.appId === null || (c.kind === 'check-run' && c.app?.id === requirement.appId),
    );
    if (accepted.length === 0) {
      pending.push(
        named.length === 0
          ? `${label}: has not reported yet`
          : `${label}: has not reported yet; ${named.map(source).join(' and ')} reported a check of that name, which does not count`,
      );
    } else if (accepted.every((c) => passing(c.state))) {
      satisfied.push(`${label}: satisfied by ${accepted.map(source).join(' and ')}`);
    }
  }

  if (failed.length > 0) return { status: 'fail', details: [...failed, ...pending], running };
  if (all.length === 0 && !policy.allowWithoutRequiredChecks) {
    return {
      status: 'fail',
      details: [
        'the base branch requires no status checks, so nothing proves the update works; require a check in branch protection or a ruleset, or set allow-without-required-checks',
      ],
      running,
    };
  }
  if (pending.length > 0) return { status: 'pending', details: pending, running };
  const green = checks.filter((c) => passing(c.state)).length;
  return {
    status: 'pass',
    details: [`${green} checks passed, ${all.length} required`, ...satisfied],
    running,
  };
}

function source(check: CheckFacts): string {
  if (check.kind === 'status') return `the commit status "${check.name}"`;
  return check.app
    ? `the check run "${check.name}" of the GitHub App ${check.app.slug || check.app.id} (${check.app.id})`
    : `the check run "${check.name}"`;
}

/**
 * Leaves out the running job making this decision: a check run of this workflow run, still in
 * progress, named like the job (a matrix job's name is "job (values)"). A sibling job of the same
 * run, failed or still running, counts.
 */
export function withoutOwnJob(
  checks: readonly CheckFacts[],
  self: { runId: string; job: string },
): CheckFacts[] {
  return checks.filter(
    (c) =>
      !(
        c.kind === 'check-run' &&
        c.state === 'pending' &&
        c.url?.includes(`/actions/runs/${self.runId}/`) &&
        (c.name === self.job || c.name.startsWith(`${self.job} (`))
      ),
  );
}
