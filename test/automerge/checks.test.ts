import { describe, expect, it } from 'vitest';
import { evaluateChecks, type CheckPolicy } from '../../src/automerge/checks.ts';
import type { CheckFacts, CheckState, RequiredCheck } from '../../src/github/client.ts';

const strict: CheckPolicy = {
  allowWithoutRequiredChecks: false,
  allowSkippedChecks: false,
  allowNeutralChecks: false,
};
const ACTIONS = { id: 15368, slug: 'github-actions' };
const check = (
  name: string,
  state: CheckState,
  required = false,
  app: CheckFacts['app'] = ACTIONS,
): CheckFacts => ({ name, kind: 'check-run', state, required, url: null, app });
const status = (name: string, state: CheckState): CheckFacts => ({
  name,
  kind: 'status',
  state,
  required: false,
  url: null,
  app: null,
});
const req = (context: string, appId: number | null = null): RequiredCheck => ({
  context,
  appId,
  source: appId === null ? 'branch protection' : 'ruleset',
});

describe('evaluateChecks', () => {
  it('passes when every required check succeeded and nothing failed', () => {
    expect(
      evaluateChecks(
        [check('test', 'success', true), check('lint', 'success')],
        [req('test')],
        strict,
      ).status,
    ).toBe('pass');
  });

  it('waits for a required check that has not reported, and for running checks', () => {
    const missing = evaluateChecks([check('lint', 'success')], [req('test')], strict);
    expect(missing).toMatchObject({
      status: 'pending',
      details: ['test (required by branch protection): has not reported yet'],
    });
    expect(evaluateChecks([check('test', 'pending', true)], [req('test')], strict).status).toBe(
      'pending',
    );
  });

  it.each([
    'failure',
    'cancelled',
    'timed_out',
    'action_required',
    'stale',
    'startup_failure',
    'error',
  ] as const)('refuses a %s check, required or not', (state) => {
    expect(
      evaluateChecks(
        [check('test', 'success', true), check('optional', state)],
        [req('test')],
        strict,
      ).status,
    ).toBe('fail');
  });

  it('counts skipped and neutral as passing only by opt-in', () => {
    const checks = [check('test', 'skipped', true), check('lint', 'neutral')];
    expect(evaluateChecks(checks, [req('test')], strict).status).toBe('fail');
    expect(
      evaluateChecks(checks, [req('test')], {
        ...strict,
        allowSkippedChecks: true,
        allowNeutralChecks: true,
      }).status,
    ).toBe('pass');
  });

  it('refuses when the branch requires no check, unless opted in', () => {
    expect(evaluateChecks([check('lint', 'success')], [], strict)).toMatchObject({
      status: 'fail',
      details: [expect.stringContaining('allow-without-required-checks')],
    });
    expect(
      evaluateChecks([check('lint', 'success')], [], {
        ...strict,
        allowWithoutRequiredChecks: true,
      }).status,
    ).toBe('pass');
  });

  it('takes required-ness from GitHub’s isRequired as well as from the branch rules', () => {
    expect(evaluateChecks([check('ruleset-check', 'pending', true)], [], strict).status).toBe(
      'pending',
    );
  });

  it('counts a requirement bound to an App only by that App’s check run', () => {
    const bound = [req('test', 15368)];
    const impostors = [
      check('test', 'success', false, { id: 999, slug: 'lookalike' }),
      status('test', 'success'),
    ];
    const verdict = evaluateChecks(impostors, bound, strict);
    expect(verdict.status).toBe('pending');
    expect(verdict.details[0]).toMatch(
      /test \(required by ruleset, only from the GitHub App 15368\): has not reported yet; the check run "test" of the GitHub App lookalike \(999\) and the commit status "test" reported a check of that name, which does not count/,
    );
    const satisfied = evaluateChecks([...impostors, check('test', 'success', true)], bound, strict);
    expect(satisfied.status).toBe('pass');
    expect(satisfied.details).toContain(
      'test (required by ruleset, only from the GitHub App 15368): satisfied by the check run "test" of the GitHub App github-actions (15368)',
    );
  });

  it('names what satisfied an unbound requirement, a status included', () => {
    expect(evaluateChecks([status('ci', 'success')], [req('ci')], strict).details).toContain(
      'ci (required by branch protection): satisfied by the commit status "ci"',
    );
  });

  it('lists running checks, required or not, for native mode', () => {
    const verdict = evaluateChecks(
      [check('test', 'success', true), check('optional', 'pending')],
      [req('test')],
      strict,
    );
    expect(verdict).toMatchObject({ status: 'pending', running: ['optional'] });
  });
});
