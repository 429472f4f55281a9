import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import type { DuplicateBlock } from '../../src/health/duplication.ts';
import { assessFile, healthOf } from '../../src/health/score.ts';
import type { MeasuredSmell } from '../../src/health/smells.ts';
import type { HealthThresholds } from '../../src/health/thresholds.ts';
import { SmellKind } from '../../src/health/types.ts';
import type { FileAnalysis, FunctionMetrics, Smell } from '../../src/health/types.ts';

const kind = fc.constantFrom(...Object.values(SmellKind));

/** Smells as findSmells makes them (with a measurement) and as anyone else might (without). */
const smell: fc.Arbitrary<Smell> = fc.oneof(
  fc.record({
    kind,
    function: fc.option(fc.string({ maxLength: 8 })),
    line: fc.nat(5000),
    detail: fc.string({ maxLength: 8 }),
    measured: fc.double({ min: 0, max: 1e6, noNaN: true }),
    bound: fc.double({ min: 0, max: 1e4, noNaN: true }),
  }),
  fc.record({
    kind,
    function: fc.option(fc.string({ maxLength: 8 })),
    line: fc.nat(5000),
    detail: fc.string({ maxLength: 8 }),
  }),
);
const smells = fc.array(smell, { maxLength: 30 });

function expectHealthShape(health: number): void {
  expect(health).toBeGreaterThanOrEqual(1);
  expect(health).toBeLessThanOrEqual(10);
  expect(Math.abs(health * 10 - Math.round(health * 10))).toBeLessThan(1e-9);
}

test.prop([smells])(
  'health is within 1–10 with one decimal, and 10 only without smells',
  (list) => {
    const health = healthOf(list);
    expectHealthShape(health);
    expect(health === 10).toBe(list.length === 0);
  },
);

test.prop([smells, fc.array(smell, { minLength: 1, maxLength: 10 }), fc.nat()])(
  'adding smells never raises health',
  (list, extra, at) => {
    const position = list.length === 0 ? 0 : at % (list.length + 1);
    const more = [...list.slice(0, position), ...extra, ...list.slice(position)];
    expect(healthOf(more)).toBeLessThanOrEqual(healthOf(list));
  },
);

test.prop([
  fc.array(smell, { minLength: 1, maxLength: 30 }),
  fc.nat(),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
])('a worse measurement of the same smell never raises health', (list, at, growth) => {
  const index = at % list.length;
  const old = list[index]!;
  const measured = 'measured' in old ? (old.measured as number) : 0;
  const bound = 'bound' in old ? (old.bound as number) : 1;
  const withMeasurement = (value: number): Smell[] => {
    const changed: MeasuredSmell = { owner: null, ...old, measured: value, bound };
    return list.map((smell, i) => (i === index ? changed : smell));
  };
  const [before, worse] = [withMeasurement(measured), withMeasurement(measured + growth)];
  expect(healthOf(worse)).toBeLessThanOrEqual(healthOf(before));
});

// End to end, from the metrics: a file whose code got worse in any measured way is never healthier.

const fnMetrics: fc.Arbitrary<FunctionMetrics> = fc
  .record({
    name: fc.constantFrom('a', 'b', 'C.m', '<anonymous>'),
    kind: fc.constantFrom('function', 'method', 'arrow', 'constructor', 'getter'),
    line: fc.integer({ min: 1, max: 2000 }),
    cyclomatic: fc.integer({ min: 1, max: 40 }),
    cognitive: fc.nat(60),
    nesting: fc.nat(8),
    length: fc.integer({ min: 1, max: 300 }),
    params: fc.nat(10),
    bumps: fc.nat(5),
    complexConditional: fc.option(
      fc.record({
        operators: fc.integer({ min: 1, max: 8 }),
        line: fc.integer({ min: 1, max: 2000 }),
      }),
    ),
  })
  .map((fn) => ({ ...fn, endLine: fn.line + fn.length - 1 }));

const analysis: fc.Arbitrary<FileAnalysis> = fc.record({
  path: fc.constant('src/a.ts'),
  loc: fc.nat(3000),
  functions: fc.array(fnMetrics, { maxLength: 12 }),
  syntaxErrors: fc.constant([]),
});

const blocks: fc.Arbitrary<DuplicateBlock[]> = fc.array(
  fc.record({
    line: fc.integer({ min: 1, max: 2000 }),
    lines: fc.integer({ min: 10, max: 200 }),
    copies: fc.constant([{ path: 'src/b.ts', line: 1 }]),
  }),
  { maxLength: 4 },
);

const thresholds: fc.Arbitrary<HealthThresholds> = fc.record({
  complexMethod: fc.integer({ min: 1, max: 20 }),
  largeMethod: fc.integer({ min: 1, max: 150 }),
  deepNesting: fc.integer({ min: 1, max: 8 }),
  bumpyRoad: fc.integer({ min: 1, max: 5 }),
  complexConditional: fc.integer({ min: 1, max: 5 }),
  manyArguments: fc.nat(8),
  constructorArguments: fc.nat(8),
  largeFile: fc.integer({ min: 1, max: 2000 }),
  overallComplexity: fc.double({ min: 1, max: 10, noNaN: true }),
  codeDuplication: fc.integer({ min: 1, max: 50 }),
});

const worsening = fc.record({
  what: fc.constantFrom(
    'cyclomatic',
    'length',
    'nesting',
    'bumps',
    'params',
    'conditional',
    'loc',
    'duplicated lines',
    'new duplicate',
  ),
  at: fc.nat(),
  by: fc.integer({ min: 1, max: 50 }),
});

type Worsening = { what: string; at: number; by: number };

function worsen(
  file: FileAnalysis,
  duplicates: DuplicateBlock[],
  { what, at, by }: Worsening,
): [FileAnalysis, DuplicateBlock[]] {
  if (what === 'loc') return [{ ...file, loc: file.loc + by }, duplicates];
  if (what === 'new duplicate') {
    return [file, [...duplicates, { line: 1 + (at % 2000), lines: 10 + by, copies: [] }]];
  }
  if (what === 'duplicated lines') {
    if (duplicates.length === 0) return [file, duplicates];
    const index = at % duplicates.length;
    const grown = duplicates.map((block, i) =>
      i === index ? { ...block, lines: block.lines + by } : block,
    );
    return [file, grown];
  }
  if (file.functions.length === 0) return [file, duplicates];
  const index = at % file.functions.length;
  const functions = file.functions.map((fn, i) => {
    if (i !== index) return fn;
    if (what === 'conditional') {
      const operators = (fn.complexConditional?.operators ?? 0) + by;
      return {
        ...fn,
        complexConditional: { operators, line: fn.complexConditional?.line ?? fn.line },
      };
    }
    if (what === 'length') return { ...fn, length: fn.length + by, endLine: fn.endLine + by };
    return { ...fn, [what]: (fn[what as 'cyclomatic'] as number) + by };
  });
  return [{ ...file, functions }, duplicates];
}

test.prop([analysis, blocks, thresholds])(
  'a file scores within 1–10, and 10 exactly when it has no smells',
  (file, duplicates, limits) => {
    const { health, smells: found } = assessFile(file, limits, duplicates);
    expectHealthShape(health);
    expect(health === 10).toBe(found.length === 0);
  },
);

test.prop([analysis, blocks, thresholds, worsening])(
  'making any metric of a file worse never raises its health',
  (file, duplicates, limits, change) => {
    const [worseFile, worseDuplicates] = worsen(file, duplicates, change);
    expect(assessFile(worseFile, limits, worseDuplicates).health).toBeLessThanOrEqual(
      assessFile(file, limits, duplicates).health,
    );
  },
);
