import { afterEach, describe, expect, it } from 'vitest';
import { runChain } from '../../src/testgen/chain.ts';
import type { TestTarget } from '../../src/testgen/types.ts';
import { createTestRunPort } from '../../src/testrun/port.ts';
import type { Fixture } from '../stryker/fixture.ts';
import { appendPlacement, candidate, createChainFixture, snapshot } from './fixture.ts';

/**
 * The whole chain for real: in-memory type-check, vitest on the fixture's test file, Stryker on
 * the target's lines (one run), with a candidate of each kind the issue names.
 */

const LONG = 600_000;
let fixture: Fixture | undefined;
afterEach(() => fixture?.cleanup());

/** isAdult, lines 5-8 of the fixture's src/math.ts: `age >= 18` → `age > 18` survives its tests. */
const IS_ADULT: TestTarget = {
  path: 'src/math.ts',
  name: 'isAdult',
  startLine: 5,
  endLine: 8,
  exported: true,
  changedLines: [7],
  uncoveredLines: [],
  survivingMutants: [
    {
      id: '7',
      mutator: 'EqualityOperator',
      line: 7,
      original: 'age >= 18',
      replacement: 'age > 18',
      status: 'Survived',
    },
  ],
};

const PERCENT_OFF: TestTarget = {
  path: 'src/discount.ts',
  name: 'percentOff',
  startLine: 2,
  endLine: 4,
  exported: true,
  changedLines: [3],
  uncoveredLines: [3],
  survivingMutants: [],
};

/** double, lines 10-12: no test calls it, so its `n * 2` → `n / 2` mutant has no coverage. */
const DOUBLE: TestTarget = {
  path: 'src/math.ts',
  name: 'double',
  startLine: 10,
  endLine: 12,
  exported: true,
  changedLines: [11],
  uncoveredLines: [11],
  survivingMutants: [
    {
      id: '11',
      mutator: 'ArithmeticOperator',
      line: 11,
      original: 'n * 2',
      replacement: 'n / 2',
      status: 'NoCoverage',
    },
  ],
};

const IMPORT_ADD = "import { add } from '../src/math.ts';";
const IMPORT_DISCOUNT = "import { percentOff } from '../src/discount.ts';";

describe('the filter chain on a real project', () => {
  it(
    'keeps only the tests that kill a survivor or cover an uncovered line, reports the bug apart and counts every stage',
    async () => {
      fixture = createChainFixture();
      const before = snapshot(fixture.root);
      const candidates = [
        candidate(
          'adds strings',
          `test('adds strings', () => {\n  expect(add('1', 2)).toBe(3);\n});`,
          { imports: [IMPORT_ADD], target: 'add' },
        ),
        candidate(
          'parses the answer',
          `test('parses the answer', () => {\n  expect(JSON.parse('not json')).toEqual({});\n});`,
        ),
        candidate(
          'is a child below 41',
          `test('is a child below 41', () => {\n  fc.assert(\n    fc.property(fc.integer({ min: 0, max: 40 }), (age) => {\n      expect(isAdult(age)).toBe(false);\n    }),\n    { numRuns: 1 },\n  );\n});`,
          { imports: ["import fc from 'fast-check';"], kind: 'property' },
        ),
        candidate(
          'adds without looking',
          `test('adds without looking', () => {\n  add(1, 2);\n});`,
        ),
        candidate(
          'is adult at 18',
          `test('is adult at 18', () => {\n  expect(isAdult(18)).toBe(true);\n});`,
        ),
        candidate('doubles', `test('doubles', () => {\n  expect(double(4)).toBe(8);\n});`, {
          imports: ["import { double } from '../src/math.ts';"],
          target: 'double',
        }),
        candidate(
          'takes 10% off',
          `test('takes 10% off', () => {\n  expect(percentOff(200, 10)).toBe(180);\n});`,
          { imports: [IMPORT_DISCOUNT], target: 'percentOff' },
        ),
      ];
      const port = createTestRunPort({ root: fixture.root, framework: 'vitest', concurrency: 1 });
      // fast-check draws a child's age (< 18) with seeds 2, 3 and 4 and an adult's with 5.
      const seeds = [2, 3, 4, 5, 6, 7];
      const { verdicts, funnel } = await runChain(candidates, appendPlacement, port, {
        targets: [IS_ADULT, DOUBLE, PERCENT_OFF],
        nextSeed: () => seeds.shift() ?? 99,
      });

      expect(verdicts.get('adds strings')).toMatchObject({ kind: 'dropped', stage: 'type-check' });
      expect(verdicts.get('adds strings')).toHaveProperty(
        'reason',
        expect.stringContaining("TS2345: Argument of type 'string' is not assignable"),
      );
      expect(verdicts.get('parses the answer')).toMatchObject({ kind: 'dropped', stage: 'pass' });
      expect(verdicts.get('parses the answer')).toHaveProperty(
        'reason',
        expect.stringContaining('SyntaxError'),
      );
      expect(verdicts.get('is a child below 41')).toMatchObject({
        kind: 'dropped',
        stage: 'stable',
      });
      expect(verdicts.get('is a child below 41')).toHaveProperty(
        'reason',
        expect.stringContaining('flaky: passed once, then failed on run 3 of 5: AssertionError'),
      );
      expect(verdicts.get('adds without looking')).toMatchObject({
        kind: 'dropped',
        stage: 'adds-value',
      });
      expect(verdicts.get('is adult at 18')).toEqual({ kind: 'kept', kills: ['7'], covers: [] });
      expect(verdicts.get('doubles')).toEqual({ kind: 'kept', kills: ['11'], covers: [11] });
      expect(verdicts.get('takes 10% off')).toEqual({
        kind: 'possible-bug',
        assertion: 'AssertionError: expected +0 to be 180 // Object.is equality',
      });
      expect(funnel).toEqual({
        candidates: 7,
        typeChecks: 6,
        passes: 4,
        stable: 3,
        addsValue: 2,
        kept: 2,
        possibleBugs: 1,
      });
      expect(snapshot(fixture.root)).toEqual(before);
    },
    LONG,
  );
});
