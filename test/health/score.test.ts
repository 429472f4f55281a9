import { describe, expect, it } from 'vitest';
import {
  MAX_SEVERITY,
  SMELL_WEIGHTS,
  assessFile,
  healthOf,
  penaltyOf,
  severityOf,
} from '../../src/health/score.ts';
import type { MeasuredSmell } from '../../src/health/smells.ts';
import { DEFAULT_THRESHOLDS } from '../../src/health/thresholds.ts';
import { SmellKind } from '../../src/health/types.ts';
import type { Smell } from '../../src/health/types.ts';
import { file, fn } from './make.ts';

function measured(kind: Smell['kind'], value: number, bound: number): MeasuredSmell {
  return { kind, function: 'f', line: 1, detail: '', measured: value, bound, owner: null };
}

describe('healthOf', () => {
  it('is exactly 10 without smells', () => {
    expect(healthOf([])).toBe(10);
  });

  it('takes the weight of a smell at its threshold from the health above 1', () => {
    // 1 + 9 × (1 − 0.1) = 9.1
    expect(healthOf([measured(SmellKind.complexMethod, 9, 9)])).toBe(9.1);
    // Severity 5 ÷ 4 = 1.25: 1 + 9 × (1 − 0.04 × 1.25) = 9.55, cut (not rounded) to 9.5
    expect(healthOf([measured(SmellKind.manyArguments, 5, 4)])).toBe(9.5);
  });

  it('weighs a smell by how far past its bound it is, up to three times', () => {
    expect(healthOf([measured(SmellKind.complexMethod, 18, 9)])).toBe(8.2); // 1 + 9 × 0.8
    expect(healthOf([measured(SmellKind.complexMethod, 27, 9)])).toBe(7.3); // 1 + 9 × 0.7
    expect(healthOf([measured(SmellKind.complexMethod, 90, 9)])).toBe(7.3);
  });

  it('compounds penalties, so many smells approach 1 without reaching below it', () => {
    expect(
      healthOf([measured(SmellKind.complexMethod, 9, 9), measured(SmellKind.deepNesting, 4, 4)]),
    ).toBe(
      8.2, // 1 + 9 × 0.9 × 0.9 = 8.29
    );
    const many = Array.from({ length: 500 }, () => measured(SmellKind.largeFile, 5000, 1000));
    expect(healthOf(many)).toBe(1);
  });

  it('keeps any file with a smell below 10', () => {
    expect(healthOf([measured(SmellKind.manyArguments, 0, 4)])).toBeLessThan(10);
  });

  it('counts a smell without a measurement at severity 1', () => {
    const plain: Smell = { kind: SmellKind.deepNesting, function: 'f', line: 3, detail: 'deep' };
    expect(severityOf(plain)).toBe(1);
    expect(penaltyOf(plain)).toBe(SMELL_WEIGHTS[SmellKind.deepNesting]);
  });

  it('measures against 1 when the bound is 0', () => {
    expect(severityOf(measured(SmellKind.manyArguments, 2, 0))).toBe(2);
    expect(severityOf(measured(SmellKind.manyArguments, 9, 0))).toBe(MAX_SEVERITY);
  });

  it('keeps every penalty between 0 and 1', () => {
    for (const weight of Object.values(SMELL_WEIGHTS)) {
      expect(weight).toBeGreaterThan(0);
      expect(weight * MAX_SEVERITY).toBeLessThan(1);
    }
  });
});

describe('assessFile', () => {
  it('gives a clean file 10 and no smells', () => {
    expect(assessFile(file([fn()]), DEFAULT_THRESHOLDS)).toEqual({
      path: 'src/a.ts',
      health: 10,
      smells: [],
      functions: [fn()],
    });
  });

  it('scores a file from the smells it finds, duplication included', () => {
    const health = assessFile(
      file([fn({ cyclomatic: 12, line: 3 })], { loc: 40 }),
      DEFAULT_THRESHOLDS,
      [{ line: 5, lines: 20, copies: [{ path: 'b.ts', line: 1 }] }],
    );
    expect(health.smells.map((s) => s.kind)).toEqual([
      SmellKind.overallComplexity,
      SmellKind.complexMethod,
      SmellKind.codeDuplication,
    ]);
    expect(health.health).toBe(healthOf(health.smells));
    expect(health.health).toBeLessThan(8);
  });
});
