import { describe, expect, it } from 'vitest';
import { findSmells, functionAt } from '../../src/health/smells.ts';
import { DEFAULT_THRESHOLDS, defaultThresholds } from '../../src/health/thresholds.ts';
import { SmellKind } from '../../src/health/types.ts';
import type { FunctionMetrics } from '../../src/health/types.ts';
import { file, fn } from './make.ts';

const t = DEFAULT_THRESHOLDS;

function smellsOf(overrides: Partial<FunctionMetrics>) {
  return findSmells(file([fn({ name: 'handle', line: 20, ...overrides })]), t);
}

describe('default thresholds', () => {
  it('are CodeScene’s', () => {
    expect(defaultThresholds()).toEqual({
      complexMethod: 9,
      largeMethod: 70,
      deepNesting: 4,
      bumpyRoad: 2,
      complexConditional: 2,
      manyArguments: 4,
      constructorArguments: 5,
      largeFile: 1000,
      overallComplexity: 4,
      codeDuplication: 10,
    });
  });

  it('come as a fresh copy', () => {
    defaultThresholds().complexMethod = 1;
    expect(defaultThresholds().complexMethod).toBe(9);
  });
});

describe('findSmells: function-level smells at, above and below their bounds', () => {
  // [kind, metrics just below, at the bound, above it, the detail above]; "limits" smell only above.
  it.each([
    [
      SmellKind.complexMethod,
      { cyclomatic: 8 },
      { cyclomatic: 9 },
      { cyclomatic: 14 },
      'cyclomatic complexity 14 (threshold 9)',
    ],
    [
      SmellKind.deepNesting,
      { nesting: 3 },
      { nesting: 4 },
      { nesting: 6 },
      'nesting depth 6 (threshold 4)',
    ],
    [
      SmellKind.bumpyRoad,
      { bumps: 1 },
      { bumps: 2 },
      { bumps: 3 },
      '3 separate blocks of nested conditionals (threshold 2)',
    ],
  ] as const)('%s is reached at its threshold', (kind, below, at, above, detail) => {
    expect(smellsOf(below).filter((s) => s.kind === kind)).toEqual([]);
    expect(smellsOf(at).filter((s) => s.kind === kind)).toHaveLength(1);
    expect(smellsOf(above).filter((s) => s.kind === kind)).toEqual([
      {
        kind,
        function: 'handle',
        line: 20,
        detail,
        measured: Object.values(above)[0],
        bound: expect.any(Number),
        owner: 0,
      },
    ]);
  });

  it.each([
    [
      SmellKind.largeMethod,
      { length: 70 },
      { length: 71 },
      { length: 142 },
      '142 lines (limit 70)',
    ],
    [
      SmellKind.manyArguments,
      { params: 4 },
      { params: 5 },
      { params: 7 },
      '7 parameters (limit 4)',
    ],
  ] as const)('%s is past its limit only above it', (kind, at, justAbove, above, detail) => {
    expect(smellsOf(at).filter((s) => s.kind === kind)).toEqual([]);
    expect(smellsOf(justAbove).filter((s) => s.kind === kind)).toHaveLength(1);
    expect(smellsOf(above).find((s) => s.kind === kind)).toMatchObject({
      function: 'handle',
      line: 20,
      detail,
    });
  });

  it('gives constructors their own, higher argument limit', () => {
    const ctor = (params: number) =>
      smellsOf({ name: 'Store.constructor', kind: 'constructor', params });
    expect(ctor(5)).toEqual([]);
    expect(ctor(6)).toEqual([
      {
        kind: SmellKind.manyArguments,
        function: 'Store.constructor',
        line: 20,
        detail: 'constructor with 6 parameters (limit 5)',
        measured: 6,
        bound: 5,
        owner: 0,
      },
    ]);
  });

  it('puts a complex conditional on the line of the condition', () => {
    expect(smellsOf({ complexConditional: { operators: 1, line: 25 } })).toEqual([]);
    expect(smellsOf({ complexConditional: { operators: 2, line: 25 } })).toHaveLength(1);
    expect(smellsOf({ complexConditional: { operators: 4, line: 25 } })).toEqual([
      {
        kind: SmellKind.complexConditional,
        function: 'handle',
        line: 25,
        detail: '4 logical operators in one condition (threshold 2)',
        measured: 4,
        bound: 2,
        owner: 0,
      },
    ]);
  });

  it('follows configured thresholds', () => {
    const strict = { ...t, complexMethod: 5, largeMethod: 20, overallComplexity: 6 };
    const smells = findSmells(file([fn({ cyclomatic: 5, length: 21 })]), strict);
    expect(smells.map((s) => s.detail)).toEqual([
      'cyclomatic complexity 5 (threshold 5)',
      '21 lines (limit 20)',
    ]);
  });

  it('finds none in a small, simple function', () => {
    expect(smellsOf({})).toEqual([]);
  });
});

describe('findSmells: file-level smells', () => {
  it('flags a file of more than 1000 lines of code at line 1 with no function', () => {
    expect(findSmells(file([], { loc: 1000 }), t)).toEqual([]);
    expect(findSmells(file([], { loc: 1001 }), t)).toEqual([
      {
        kind: SmellKind.largeFile,
        function: null,
        line: 1,
        detail: '1001 lines of code (limit 1000)',
        measured: 1001,
        bound: 1000,
        owner: null,
      },
    ]);
  });

  it('flags a mean cyclomatic complexity of 4 or more, not 3.9', () => {
    const mean = (...values: number[]) =>
      findSmells(
        file(values.map((cyclomatic, i) => fn({ name: `f${i}`, line: 10 * i + 1, cyclomatic }))),
        t,
      ).filter((s) => s.kind === SmellKind.overallComplexity);
    expect(mean(3, 4, 4, 4, 4, 4, 4, 4, 4, 4)).toEqual([]); // 3.9
    expect(mean(4, 4)).toEqual([
      {
        kind: SmellKind.overallComplexity,
        function: null,
        line: 1,
        detail: 'mean cyclomatic complexity 4.0 over 2 functions (threshold 4)',
        measured: 4,
        bound: 4,
        owner: null,
      },
    ]);
    expect(mean(8)[0]!.detail).toBe('mean cyclomatic complexity 8.0 over 1 function (threshold 4)');
    expect(mean(5, 4, 4)[0]!.detail).toContain('4.3 over 3 functions');
  });

  it('never flags overall complexity in a file without functions', () => {
    expect(findSmells(file([], { loc: 10 }), { ...t, overallComplexity: 0 })).toEqual([]);
  });

  it('lists smells by line, then in SmellKind order', () => {
    const smells = findSmells(
      file(
        [
          fn({ name: 'late', line: 50, cyclomatic: 12, nesting: 5 }),
          fn({ name: 'early', line: 5, params: 9, cyclomatic: 10 }),
        ],
        { loc: 2000 },
      ),
      t,
    );
    expect(smells.map((s) => [s.line, s.kind])).toEqual([
      [1, SmellKind.largeFile],
      [1, SmellKind.overallComplexity],
      [5, SmellKind.complexMethod],
      [5, SmellKind.manyArguments],
      [50, SmellKind.complexMethod],
      [50, SmellKind.deepNesting],
    ]);
  });
});

describe('findSmells: code duplication', () => {
  const analysis = file([
    fn({ name: 'outer', line: 10, length: 50 }),
    fn({ name: 'outer.inner', line: 20, length: 10 }),
  ]);

  it('makes one smell per block of at least the threshold, in the function holding its start', () => {
    const smells = findSmells(analysis, t, [
      { line: 22, lines: 12, copies: [{ path: 'src/b.ts', line: 40 }] },
      { line: 12, lines: 9, copies: [{ path: 'src/b.ts', line: 80 }] },
      { line: 70, lines: 10, copies: [{ path: 'src/a.ts', line: 3 }] },
    ]);
    expect(smells).toEqual([
      {
        kind: SmellKind.codeDuplication,
        function: 'outer.inner',
        line: 22,
        detail: '12 duplicated lines, also at src/b.ts:40 (threshold 10)',
        measured: 12,
        bound: 10,
        owner: 1,
      },
      {
        kind: SmellKind.codeDuplication,
        function: null,
        line: 70,
        detail: '10 duplicated lines, also at line 3 (threshold 10)',
        measured: 10,
        bound: 10,
        owner: null,
      },
    ]);
  });

  it('names two copies and counts the rest', () => {
    const [smell] = findSmells(analysis, t, [
      {
        line: 12,
        lines: 15,
        copies: [
          { path: 'b.ts', line: 1 },
          { path: 'c.ts', line: 2 },
          { path: 'd.ts', line: 3 },
          { path: 'e.ts', line: 4 },
        ],
      },
    ]);
    expect(smell!.detail).toBe(
      '15 duplicated lines, also at b.ts:1, c.ts:2 and 2 more places (threshold 10)',
    );
    expect(smell!.function).toBe('outer');
  });
});

describe('functionAt', () => {
  it('finds the innermost function holding a line, or null', () => {
    const analysis = file([
      fn({ name: 'a', line: 1, length: 30 }),
      fn({ name: 'a.b', line: 5, length: 10 }),
    ]);
    expect(functionAt(analysis, 7)?.name).toBe('a.b');
    expect(functionAt(analysis, 14)?.name).toBe('a.b');
    expect(functionAt(analysis, 15)?.name).toBe('a');
    expect(functionAt(analysis, 31)).toBeNull();
  });
});
