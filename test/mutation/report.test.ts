import { fc, test } from '@fast-check/vitest';
import { calculateMutationTestMetrics } from 'mutation-testing-metrics';
import { describe, expect, it } from 'vitest';
import {
  analyseChangedLines,
  countMutants,
  mergeReports,
  MutationReportError,
  parseMutationReport,
  parseMutationReportText,
  restrictToRanges,
} from '../../src/mutation/report.ts';
import type { MutateRange } from '../../src/mutation/scope.ts';
import {
  MATH_MUTANTS,
  MATH_SOURCE,
  mathReport,
  mutant,
  REAL_MATH_REPORT_TEXT,
  statusesOf,
} from './report-fixtures.ts';

function errorOf(input: unknown): MutationReportError {
  try {
    parseMutationReport(input);
  } catch (error: unknown) {
    if (error instanceof MutationReportError) return error;
    throw error;
  }
  throw new Error('expected the report to be rejected');
}

describe('parsing a mutation report', () => {
  it('accepts a Stryker report', () => {
    const report = mathReport();
    expect(parseMutationReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });

  it('names the field that breaks the schema', () => {
    const badStatus = mathReport();
    (badStatus.files['src/math.ts']!.mutants[3] as { status: string }).status = 'Alive';
    const error = errorOf(badStatus);
    expect(error.field).toBe('files["src/math.ts"].mutants[3].status');
    expect(error.message).toMatch(/expected one of Killed, Survived, NoCoverage/);

    const noFiles: Record<string, unknown> = { ...mathReport() };
    delete noFiles.files;
    expect(errorOf(noFiles).message).toBe('mutation.json: missing the required field files');

    const badLine = mathReport();
    badLine.files['src/math.ts']!.mutants[0]!.location.start.line = 0;
    expect(errorOf(badLine).field).toBe('files["src/math.ts"].mutants[0].location.start.line');

    expect(errorOf({ ...mathReport(), schemaVersion: '9' }).field).toBe('schemaVersion');
    expect(errorOf([]).field).toBe('');
    expect(errorOf(null).message).toMatch(/^mutation\.json: /);
  });

  it('rejects a mutant outside its source', () => {
    const report = mathReport([mutant('0', 'BooleanLiteral', 400, [1, 2], 'false', 'Survived')]);
    const error = errorOf(report);
    expect(error.field).toBe('files["src/math.ts"].mutants[0].location');
    expect(error.message).toMatch(/lines 400-400 are not inside the file's \d+ lines of source/);
  });

  it('answers truncated JSON with what to check', () => {
    const text = JSON.stringify(mathReport()).slice(0, 200);
    expect(() => parseMutationReportText(text, 'reports/mutation/mutation.json')).toThrow(
      /^reports\/mutation\/mutation\.json: not JSON .*is the file complete\?$/,
    );
  });

  it('takes a file named __proto__ as a file, not a prototype', () => {
    const text = JSON.stringify(mathReport()).replace('"src/math.ts"', '"__proto__"');
    const report = parseMutationReportText(text);
    const restricted = restrictToRanges(report, [{ path: '__proto__', startLine: 1, endLine: 12 }]);
    expect(Object.keys(restricted.files)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(restricted.files)).toBe(Object.prototype);
    expect(countMutants(restricted).total).toBe(MATH_MUTANTS.length);
  });

  test.prop([fc.jsonValue()])('never throws anything but a MutationReportError', (value) => {
    try {
      parseMutationReport(value);
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(MutationReportError);
    }
  });
});

describe('scores on the changed lines', () => {
  const ranges: MutateRange[] = [
    { path: 'src/math.ts', startLine: 3, endLine: 5 },
    { path: 'src/math.ts', startLine: 9, endLine: 9 },
  ];

  it('counts only the mutants on changed lines, with mutation-testing-metrics', () => {
    const analysis = analyseChangedLines(mathReport(), ranges);
    expect(statusesOf(analysis.report)).toEqual([
      'src/math.ts:3 ConditionalExpression Killed',
      'src/math.ts:3 EqualityOperator Survived',
      'src/math.ts:4 StringLiteral Survived',
      'src/math.ts:9 EqualityOperator Survived',
      'src/math.ts:9 BooleanLiteral Timeout',
      'src/math.ts:9 ConditionalExpression NoCoverage',
      'src/math.ts:5 ArithmeticOperator CompileError',
    ]);
    expect(analysis.counts).toEqual({
      killed: 1,
      survived: 3,
      noCoverage: 1,
      timeout: 1,
      compileErrors: 1,
      runtimeErrors: 0,
      ignored: 0,
      pending: 0,
      total: 7,
      // (killed 1 + timeout 1) / (those + survived 3 + no coverage 1): compile errors count in neither.
      score: (2 / 6) * 100,
    });
    expect(analysis.durationMs).toBe(5000);
    expect(analysis.partial).toBe(false);
    expect(analysis.baseScore).toBeNull();
  });

  it('agrees with mutation-testing-metrics on the restricted report', () => {
    const analysis = analyseChangedLines(mathReport(), ranges);
    const metrics = calculateMutationTestMetrics(analysis.report).systemUnderTestMetrics.metrics;
    expect(analysis.counts.score).toBe(metrics.mutationScore);
  });

  it('gives the same files’ score at base beside it', () => {
    const base = mathReport(MATH_MUTANTS.map((m) => ({ ...m, status: 'Killed' as const })));
    base.files['src/other.ts'] = { language: 'typescript', source: 'x', mutants: [] };
    const analysis = analyseChangedLines(mathReport(), ranges, base);
    // Every valid mutant of src/math.ts killed at base (the compile error is made Killed too).
    expect(analysis.baseScore).toBe(100);
    expect(analyseChangedLines(mathReport(), ranges, mathReport([])).baseScore).toBeNull();
  });

  it('has no score without a valid mutant, and calls a report with pending mutants partial', () => {
    const none = analyseChangedLines(mathReport(), [
      { path: 'src/math.ts', startLine: 7, endLine: 7 },
    ]);
    expect(none.counts.score).toBeNull();
    expect(none.counts.total).toBe(0);
    const pending = mathReport([mutant('0', 'BooleanLiteral', 9, [10, 19], 'false', 'Pending')]);
    expect(analyseChangedLines(pending, ranges).partial).toBe(true);
  });

  it('leaves out a mutant that spans past the changed lines, as Stryker would not make it', () => {
    const block = mutant('9', 'BlockStatement', 1, [74, 1], '{}', 'Survived');
    block.location.end.line = 6;
    const analysis = analyseChangedLines(mathReport([block]), ranges);
    expect(analysis.counts.total).toBe(0);
  });

  it('matches report paths written with ./ or backslashes', () => {
    const report = mathReport();
    report.files = { '.\\src\\math.ts': report.files['src/math.ts']! };
    expect(analyseChangedLines(report, ranges).counts.total).toBe(7);
  });
});

describe('merging shards', () => {
  /** One run over both files, and the same mutants split over two shards, ids numbered per shard. */
  function oneRun() {
    const report = mathReport();
    report.files['src/extra.ts'] = {
      language: 'typescript',
      source: 'export const limit = 3;\n',
      mutants: [mutant('9', 'ArithmeticOperator', 1, [22, 23], '0', 'Survived')],
    };
    return report;
  }

  function shards() {
    const first = mathReport(MATH_MUTANTS.slice(0, 5));
    const second = mathReport(MATH_MUTANTS.slice(5).map((m, i) => ({ ...m, id: String(i) })));
    second.files['src/extra.ts'] = {
      language: 'typescript',
      source: 'export const limit = 3;\n',
      mutants: [mutant('4', 'ArithmeticOperator', 1, [22, 23], '0', 'Survived')],
    };
    second.performance = { setup: 1000, initialRun: 900, mutation: 2500 };
    return [first, second];
  }

  it('gives the metrics and mutants of one run', () => {
    const merged = mergeReports(shards());
    expect(parseMutationReport(JSON.parse(JSON.stringify(merged)))).toEqual(merged);
    const ranges: MutateRange[] = [
      { path: 'src/math.ts', startLine: 1, endLine: 12 },
      { path: 'src/extra.ts', startLine: 1, endLine: 1 },
    ];
    expect(analyseChangedLines(merged, ranges).counts).toEqual(
      analyseChangedLines(oneRun(), ranges).counts,
    );
    expect(statusesOf(merged).sort()).toEqual(statusesOf(oneRun()).sort());
    const ids = Object.values(merged.files).flatMap((f) => f.mutants.map((m) => m.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(merged.performance).toEqual({ setup: 1200, initialRun: 900, mutation: 3000 });
  });

  it('keeps the decisive status of a mutant two shards both report', () => {
    const pending = mathReport([
      mutant('0', 'EqualityOperator', 9, [10, 19], 'age > 18', 'Pending'),
    ]);
    const killed = mathReport([mutant('0', 'EqualityOperator', 9, [10, 19], 'age > 18', 'Killed')]);
    for (const order of [
      [pending, killed],
      [killed, pending],
    ]) {
      const merged = mergeReports(order);
      expect(statusesOf(merged)).toEqual(['src/math.ts:9 EqualityOperator Killed']);
    }
  });

  it('renames a clashing test id and the mutants that name it', () => {
    const first = mathReport([mutant('0', 'EqualityOperator', 9, [10, 19], 'age > 18', 'Killed')]);
    const second = mathReport([mutant('0', 'BooleanLiteral', 9, [10, 19], 'false', 'Killed')]);
    second.testFiles = { 'src/math.test.ts': { tests: [{ id: '0', name: 'knows adults' }] } };
    const merged = mergeReports([first, second]);
    const [a, b] = merged.files['src/math.ts']!.mutants;
    expect(a!.killedBy).toEqual(['0']);
    expect(b!.killedBy).toEqual(['0@shard2']);
    expect(b!.id).toBe('0@shard2');
    const tests = merged.testFiles!['src/math.test.ts']!.tests;
    expect(tests.find((t) => t.id === '0@shard2')?.name).toBe('knows adults');
  });

  it('refuses shards run on different sources', () => {
    const other = mathReport();
    other.files['src/math.ts']!.source = `${MATH_SOURCE}// changed\n`;
    expect(() => mergeReports([mathReport(), other])).toThrow(
      /shard 2 at files\["src\/math\.ts"\]\.source: differs from another shard’s/,
    );
    expect(() => mergeReports([])).toThrow(MutationReportError);
  });
});

describe('a real Stryker 10 report', () => {
  const text = REAL_MATH_REPORT_TEXT;

  it('parses and scores the changed lines', () => {
    const report = parseMutationReportText(text, 'reports/mutation.json');
    expect(report.files['src/math.ts']!.source).toBe(MATH_SOURCE);
    const analysis = analyseChangedLines(report, [
      { path: 'src/math.ts', startLine: 2, endLine: 9 },
    ]);
    expect(analysis.counts).toMatchObject({
      killed: 7,
      survived: 5,
      noCoverage: 1,
      timeout: 0,
      total: 13,
    });
    expect(analysis.counts.score).toBeCloseTo((7 / 13) * 100, 10);
    const line3 = analyseChangedLines(report, [{ path: 'src/math.ts', startLine: 3, endLine: 3 }]);
    expect(line3.counts).toMatchObject({ killed: 2, survived: 2, score: 50 });
  });

  it('merges two shards of it into the same report', () => {
    const report = parseMutationReportText(text);
    const mutants = report.files['src/math.ts']!.mutants;
    const half = (keep: (line: number) => boolean) => ({
      ...report,
      files: {
        'src/math.ts': {
          ...report.files['src/math.ts']!,
          mutants: mutants.filter((m) => keep(m.location.start.line)),
        },
      },
    });
    const merged = mergeReports([half((l) => l <= 3), half((l) => l > 3)]);
    expect(statusesOf(merged).sort()).toEqual(statusesOf(report).sort());
    expect(countMutants(merged)).toEqual(countMutants(report));
  });
});

it('adds up the mutants of one file written under two spellings', () => {
  const report = mathReport(MATH_MUTANTS.slice(0, 2));
  report.files['./src/math.ts'] = {
    ...report.files['src/math.ts']!,
    mutants: MATH_MUTANTS.slice(2, 4),
  };
  const restricted = restrictToRanges(report, [{ path: 'src/math.ts', startLine: 1, endLine: 12 }]);
  expect(Object.keys(restricted.files)).toEqual(['src/math.ts']);
  expect(restricted.files['src/math.ts']!.mutants).toHaveLength(4);
});

it('rejects two mutants with one id, naming the second, and checks a large report in one pass', () => {
  const twice = mathReport([
    mutant('7', 'EqualityOperator', 9, [10, 19], 'age > 18', 'Killed'),
    mutant('7', 'BooleanLiteral', 9, [10, 19], 'false', 'Killed'),
  ]);
  expect(errorOf(twice).field).toBe('files["src/math.ts"].mutants[1].id');
  // 20,000 mutants: the official schema's uniqueItems alone would compare 200 million pairs.
  const many = mathReport(
    Array.from({ length: 20_000 }, (_, i) =>
      mutant(String(i), 'EqualityOperator', 9, [10, 19], 'age > 18', 'Killed'),
    ),
  );
  expect(parseMutationReport(many).files['src/math.ts']!.mutants).toHaveLength(20_000);
});
