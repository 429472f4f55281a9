import type { MutationTestResult } from 'mutation-testing-report-schema';
import { describe, expect, it } from 'vitest';
import { candidateOf, effectsOf } from '../../src/testrun/mutants.ts';
import type { MutantTarget } from '../../src/testgen/test-runner.ts';

const at = (line: number) => ({ start: { line, column: 10 }, end: { line, column: 19 } });

/** A report as Stryker's vitest runner writes it: test ids `file#describe > title`, per-run mutant ids. */
const REPORT = {
  schemaVersion: '2',
  thresholds: { high: 80, low: 60 },
  files: {
    'src/math.ts': {
      language: 'typescript',
      source: '',
      mutants: [
        {
          id: '40',
          mutatorName: 'EqualityOperator',
          replacement: 'age > 18',
          location: at(7),
          status: 'Killed',
          killedBy: ['t2'],
          coveredBy: ['t1', 't2'],
        },
        {
          id: '41',
          mutatorName: 'EqualityOperator',
          replacement: 'age < 18',
          location: at(7),
          status: 'Killed',
          killedBy: ['t0'],
        },
        {
          id: '42',
          mutatorName: 'ArithmeticOperator',
          replacement: 'n / 2',
          location: at(11),
          status: 'Survived',
          coveredBy: ['t3'],
        },
      ],
    },
  },
  testFiles: {
    'test/math.test.ts': {
      tests: [
        { id: 't0', name: 'tells adults' },
        { id: 't1', name: 'isAdult > asserts nothing' },
        { id: 't2', name: 'isAdult > is adult at 18' },
        { id: 't3', name: 'doubles (with seed=42)' },
      ],
    },
  },
} as unknown as MutationTestResult;

const TARGETS: MutantTarget[] = [
  {
    path: 'src/math.ts',
    startLine: 5,
    endLine: 12,
    mutants: [
      {
        id: '7',
        mutator: 'EqualityOperator',
        line: 7,
        original: 'age >= 18',
        replacement: 'age > 18',
        status: 'Survived',
      },
      {
        id: '11',
        mutator: 'ArithmeticOperator',
        line: 11,
        original: 'n * 2',
        replacement: 'n / 2',
        status: 'NoCoverage',
      },
    ],
  },
];

describe('effectsOf', () => {
  it('credits kills by killedBy and newly covered lines by coveredBy, matching mutants by place, not by id', () => {
    const effects = effectsOf('/repo', REPORT, TARGETS, [
      'asserts nothing',
      'is adult at 18',
      'doubles',
    ]);
    expect(effects.get('is adult at 18')).toEqual({ kills: ['7'], covers: [] });
    // Covering a Survived mutant without killing it is nothing.
    expect(effects.get('asserts nothing')).toEqual({ kills: [], covers: [] });
    // A NoCoverage mutant now covered (it survives: the test does not check the result).
    expect(effects.get('doubles')).toEqual({ kills: [], covers: ['11'] });
  });

  it('gives a test to a candidate by its title after the describe chain or before the fast-check seed, never by a prefix', () => {
    const names = new Set(['is adult', 'doubles']);
    expect(candidateOf('isAdult > is adult', names)).toBe('is adult');
    expect(candidateOf('doubles (with seed=-3)', names)).toBe('doubles');
    expect(candidateOf('is adult at 18', names)).toBeUndefined();
    expect(candidateOf('this is adult', names)).toBeUndefined();
  });
});
