import { describe, expect, it } from 'vitest';
import { evaluateChecks, type CheckPolicy } from '../../src/automerge/checks.ts';
import type { CheckFacts, CheckState } from '../../src/github/types.ts';

const strict: CheckPolicy = {
  allowWithoutRequiredChecks: false,
  allowSkippedChecks: false,
  allowNeutralChecks: false,
};
const check = (name: string, state: CheckState, required = false): CheckFacts => ({
  name,
  kind: 'check-run',
  state,
  required,
  url: null,
});

describe('evaluateChecks', () => {
  it('passes when every required check succeeded and nothing failed', () => {
    expect(
      evaluateChecks([check('test', 'success', true), check('lint', 'success')], ['test'], strict)
        .status,
    ).toBe('pass');
  });

  it('waits for a required check that has not reported, and for running checks', () => {
    const missing = evaluateChecks([check('lint', 'success')], ['test'], strict);
    expect(missing).toMatchObject({
      status: 'pending',
      details: ['test (required): has not reported yet'],
    });
    expect(evaluateChecks([check('test', 'pending', true)], ['test'], strict).status).toBe(
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
      evaluateChecks([check('test', 'success', true), check('optional', state)], ['test'], strict)
        .status,
    ).toBe('fail');
  });

  it('counts skipped and neutral as passing only by opt-in', () => {
    const checks = [check('test', 'skipped', true), check('lint', 'neutral')];
    expect(evaluateChecks(checks, ['test'], strict).status).toBe('fail');
    expect(
      evaluateChecks(checks, ['test'], {
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
});
