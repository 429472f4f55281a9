import type {
  MutantResult,
  MutantStatus,
  MutationTestResult,
} from 'mutation-testing-report-schema';
import { readFileSync } from 'node:fs';
import { parseMutationReportText } from '../../src/mutation/report.ts';

/**
 * Reports in the shape Stryker's json reporter writes (schema version 2): a source file, its
 * mutants with 1-based locations, the tests that covered and killed them.
 */

export const MATH_SOURCE = [
  'export function clamp(value: number, low: number, high: number): number {',
  '  if (value < low) return low;',
  '  if (value > high) return high;',
  "  console.log('clamped', value);",
  '  return value;',
  '}',
  '',
  'export function isAdult(age: number): boolean {',
  '  return age >= 18;',
  '}',
  '',
].join('\n');

export function mutant(
  id: string,
  mutatorName: string,
  line: number,
  columns: [number, number],
  replacement: string,
  status: MutantStatus,
  extra: Partial<MutantResult> = {},
): MutantResult {
  return {
    id,
    mutatorName,
    replacement,
    location: { start: { line, column: columns[0] }, end: { line, column: columns[1] } },
    status,
    static: false,
    coveredBy: status === 'NoCoverage' ? [] : ['0'],
    killedBy: status === 'Killed' ? ['0'] : [],
    testsCompleted: 1,
    ...extra,
  };
}

export const MATH_MUTANTS: MutantResult[] = [
  mutant('0', 'ConditionalExpression', 2, [7, 18], 'true', 'Killed'),
  mutant('1', 'EqualityOperator', 2, [7, 18], 'value <= low', 'Survived'),
  mutant('2', 'ConditionalExpression', 3, [7, 19], 'false', 'Killed'),
  mutant('3', 'EqualityOperator', 3, [7, 19], 'value >= high', 'Survived'),
  mutant('4', 'StringLiteral', 4, [15, 24], '""', 'Survived'),
  mutant('5', 'EqualityOperator', 9, [10, 19], 'age > 18', 'Survived'),
  mutant('6', 'BooleanLiteral', 9, [10, 19], 'false', 'Timeout'),
  mutant('7', 'ConditionalExpression', 9, [10, 19], 'true', 'NoCoverage'),
  mutant('8', 'ArithmeticOperator', 5, [10, 15], 'value', 'CompileError'),
];

export function mathReport(mutants: MutantResult[] = MATH_MUTANTS): MutationTestResult {
  return {
    schemaVersion: '2',
    thresholds: { high: 80, low: 60 },
    projectRoot: '/home/runner/work/fixture',
    files: {
      'src/math.ts': {
        language: 'typescript',
        source: MATH_SOURCE,
        mutants: structuredClone(mutants),
      },
    },
    testFiles: {
      'src/math.test.ts': {
        tests: [
          { id: '0', name: 'clamps below', location: { start: { line: 4, column: 1 } } },
          { id: '1', name: 'clamps above', location: { start: { line: 7, column: 1 } } },
        ],
      },
    },
    performance: { setup: 1200, initialRun: 800, mutation: 3000 },
    framework: { name: 'StrykerJS', version: '10.1.1' },
  };
}

export function statusesOf(report: MutationTestResult): string[] {
  return Object.entries(report.files).flatMap(([path, f]) =>
    f.mutants.map((m) => `${path}:${m.location.start.line} ${m.mutatorName} ${m.status}`),
  );
}

/**
 * A real report: written by `stryker run` (Stryker 10.1.1, vitest runner, perTest coverage) on the
 * fixture of MATH_SOURCE with `mutate: ["src/math.ts:2-9"]` and the test file it names.
 */
export const REAL_MATH_REPORT_TEXT = readFileSync(
  new URL('fixtures/stryker-10-math.json', import.meta.url),
  'utf8',
);
export const realMathReport = parseMutationReportText(REAL_MATH_REPORT_TEXT);

/** The pull request that changed lines 3 and 9 of src/math.ts, and its test file (never mutated). */
export const MATH_PR_DIFF = [
  'diff --git a/src/math.ts b/src/math.ts',
  'index 1111111..2222222 100644',
  '--- a/src/math.ts',
  '+++ b/src/math.ts',
  '@@ -2,2 +2,2 @@',
  '   if (value < low) return low;',
  '-  if (value > high) return low;',
  '+  if (value > high) return high;',
  '@@ -9 +9 @@',
  '-  return age > 17;',
  '+  return age >= 18;',
  'diff --git a/src/math.test.ts b/src/math.test.ts',
  'index 1111111..2222222 100644',
  '--- a/src/math.test.ts',
  '+++ b/src/math.test.ts',
  '@@ -1 +1 @@',
  "-import { expect, it } from 'vitest';",
  "+import { expect, it, test } from 'vitest';",
  '',
].join('\n');
