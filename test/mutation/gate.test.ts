import { describe, expect, it } from 'vitest';
import { mutationGate } from '../../src/mutation/gate.ts';
import type { MutationCounts } from '../../src/mutation/report.ts';

const COUNTS: MutationCounts = {
  killed: 7,
  survived: 5,
  noCoverage: 1,
  timeout: 0,
  compileErrors: 0,
  runtimeErrors: 0,
  ignored: 0,
  pending: 0,
  total: 13,
  score: (7 / 13) * 100,
};

describe('the mutation gate', () => {
  it('passes by default', () => {
    expect(mutationGate(COUNTS, { failUnder: null, failOnSurvivors: false })).toEqual({
      fail: false,
    });
  });

  it('never shows a score just under the threshold as meeting it', () => {
    expect(
      mutationGate({ ...COUNTS, score: 79.96 }, { failUnder: 80, failOnSurvivors: false }),
    ).toEqual({
      fail: true,
      reasons: ['the changed-lines mutation score 79.9% is below fail-under 80%'],
    });
  });

  it('fails under the threshold, naming score and threshold, and passes at it', () => {
    expect(mutationGate(COUNTS, { failUnder: 60, failOnSurvivors: false })).toEqual({
      fail: true,
      reasons: ['the changed-lines mutation score 53.8% is below fail-under 60%'],
    });
    expect(
      mutationGate({ ...COUNTS, score: 60 }, { failUnder: 60, failOnSurvivors: false }),
    ).toEqual({
      fail: false,
    });
  });

  it('never fails the score gate with nothing scored', () => {
    expect(
      mutationGate({ ...COUNTS, score: null }, { failUnder: 100, failOnSurvivors: false }),
    ).toEqual({
      fail: false,
    });
  });

  it('fails on survivors, counting only those left after arid and suppressed ones', () => {
    expect(mutationGate(COUNTS, { failUnder: null, failOnSurvivors: true })).toEqual({
      fail: true,
      reasons: ['6 mutants on changed lines survived and fail-on-survivors is on'],
    });
    expect(mutationGate(COUNTS, { failUnder: null, failOnSurvivors: true }, 0)).toEqual({
      fail: false,
    });
  });
});
