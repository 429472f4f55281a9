import { describe, expect, test } from 'vitest';
import { parseDryRunError, parseFailingTests, rangeProblem } from '../../src/stryker/runner.ts';
import { detectTestRunner } from '../../src/stryker/setup.ts';

describe('parseFailingTests', () => {
  test('reads the test names Stryker logs after a failed initial run, not their failure messages', () => {
    const log = [
      '17:01:02 (123) INFO DryRunExecutor Starting initial test run (vitest test runner with "perTest" coverage analysis). This may take a while.',
      '17:01:04 (123) ERROR DryRunExecutor One or more tests failed in the initial test run:',
      '\ttest/math.test.ts > adds badly',
      '\t\tAssertionError: expected 4 to be 5 // Object.is equality',
      '\ttest/math.test.ts > subtracts',
      '\t\tTypeError: x is not a function',
      '17:01:04 (123) ERROR Stryker There were failed tests in the initial test run.',
      '\tnot a test name',
    ].join('\n');
    expect(parseFailingTests(log)).toEqual([
      'test/math.test.ts > adds badly',
      'test/math.test.ts > subtracts',
    ]);
  });

  test('finds nothing in a log without a failed initial run', () => {
    expect(parseFailingTests('17:01:02 (1) INFO Stryker done\n\tsomething')).toEqual([]);
  });
});

describe('parseDryRunError', () => {
  test('reads the error Stryker logs when the suite cannot run, up to the next record', () => {
    const log = [
      '17:01:04 (123) ERROR DryRunExecutor One or more tests resulted in an error:',
      '\tError: Failed to load url ../src/nowhere.ts (resolved id: ../src/nowhere.ts) in test/math.test.ts.',
      '17:01:04 (123) ERROR Stryker Something went wrong in the initial test run',
    ].join('\n');
    expect(parseDryRunError(log)).toBe(
      'Error: Failed to load url ../src/nowhere.ts (resolved id: ../src/nowhere.ts) in test/math.test.ts.',
    );
    expect(parseDryRunError('17:01:04 (1) INFO Stryker nothing')).toBeUndefined();
  });
});

describe('rangeProblem', () => {
  test('accepts a relative path with whole lines in order', () => {
    expect(rangeProblem({ path: 'src/a b/é.ts', startLine: 1, endLine: 1 })).toBeUndefined();
  });

  test.each([
    [{ path: '../x.ts', startLine: 1, endLine: 2 }, '../x.ts'],
    [{ path: 'src/../../x.ts', startLine: 1, endLine: 2 }, 'src/../../x.ts'],
    [{ path: '/abs.ts', startLine: 1, endLine: 2 }, '/abs.ts'],
    [{ path: '', startLine: 1, endLine: 2 }, '""'],
    [{ path: 'src/{a,b}.ts', startLine: 1, endLine: 2 }, 'src/{a,b}.ts'],
    [{ path: '!src/a.ts', startLine: 1, endLine: 2 }, '!src/a.ts'],
    [{ path: 'src/a.ts', startLine: 0, endLine: 2 }, 'src/a.ts:0-2'],
    [{ path: 'src/a.ts', startLine: 3, endLine: 2 }, 'src/a.ts:3-2'],
    [{ path: 'src/a.ts', startLine: 1.5, endLine: 2 }, 'src/a.ts:1.5-2'],
  ])('refuses %o, naming it', (range, named) => {
    expect(rangeProblem(range)).toContain(named);
  });
});

describe('detectTestRunner', () => {
  test('prefers vitest, then jest, then mocha, else the command runner', () => {
    expect(detectTestRunner({ devDependencies: { jest: '1', vitest: '1' } })).toBe('vitest');
    expect(detectTestRunner({ dependencies: { mocha: '1' }, devDependencies: { jest: '1' } })).toBe(
      'jest',
    );
    expect(detectTestRunner({ devDependencies: { mocha: '1' } })).toBe('mocha');
    expect(detectTestRunner({ devDependencies: 'nonsense' })).toBe('command');
    expect(detectTestRunner({})).toBe('command');
  });
});
