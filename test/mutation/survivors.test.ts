import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { aridCallMatcher, calleeOfStatement } from '../../src/mutation/arid.ts';
import { analyseChangedLines } from '../../src/mutation/report.ts';
import {
  codeShape,
  compareUsefulness,
  selectSurvivors,
  survivorsOf,
} from '../../src/mutation/survivors.ts';
import type { SurvivorOptions } from '../../src/mutation/survivors.ts';
import { MATH_SOURCE, mathReport, mutant, realMathReport } from './report-fixtures.ts';

const OPTIONS: SurvivorOptions = { maxPerLine: 1, maxComments: 10, ignore: [] };

const real = realMathReport;

function shortly(s: {
  path: string;
  line: number;
  mutatorName: string;
  original: string;
  replacement: string;
}) {
  return `${s.path}:${s.line} ${s.mutatorName} ${s.original} → ${s.replacement}`;
}

describe('survivors', () => {
  it('reads the code each survivor replaces from the source', () => {
    expect(survivorsOf(real).map(shortly)).toEqual([
      'src/math.ts:2 EqualityOperator value < low → value <= low',
      'src/math.ts:3 ConditionalExpression value > high → true',
      'src/math.ts:3 EqualityOperator value > high → value >= high',
      'src/math.ts:4 StringLiteral \'clamped\' → ""',
      'src/math.ts:9 ConditionalExpression age >= 18 → true',
      'src/math.ts:9 EqualityOperator age >= 18 → age > 18',
    ]);
    const [first] = survivorsOf(real);
    expect(first).toMatchObject({
      status: 'Survived',
      coveredBy: ['clamps below', 'clamps above'],
    });
    expect(first!.lines).toEqual(['  if (value < low) return low;']);
  });

  it('keeps the most useful per line, leaves arid lines out and counts both', () => {
    const selection = selectSurvivors(real, OPTIONS);
    expect(selection.comment.map(shortly)).toEqual([
      'src/math.ts:2 EqualityOperator value < low → value <= low',
      // An operator no test pins beats a whole condition made true.
      'src/math.ts:3 EqualityOperator value > high → value >= high',
      'src/math.ts:9 EqualityOperator age >= 18 → age > 18',
    ]);
    // console.log('clamped', value) is arid: its StringLiteral mutant is not reported.
    expect(selection).toMatchObject({
      cappedPerLine: 2,
      cappedPerPr: 0,
      ignored: 1,
      suppressed: 0,
    });
    expect(selection.survivors).toHaveLength(5);
  });

  it('caps per pull request after per line, most useful first, and counts it', () => {
    const selection = selectSurvivors(real, { ...OPTIONS, maxPerLine: 2, maxComments: 2 });
    expect(selection.comment.map((s) => `${s.line} ${s.mutatorName}`)).toEqual([
      // The smaller change first: `age >= 18` beats `value > high`.
      '2 EqualityOperator',
      '9 EqualityOperator',
    ]);
    expect(selection).toMatchObject({ cappedPerLine: 0, cappedPerPr: 3 });
    expect(selectSurvivors(real, { ...OPTIONS, maxComments: 0 }).comment).toEqual([]);
  });

  it('puts a Survived mutant before a NoCoverage one on the same line', () => {
    const report = mathReport([
      mutant('1', 'EqualityOperator', 9, [10, 19], 'age > 18', 'NoCoverage'),
      mutant('2', 'StringLiteral', 9, [10, 19], '""', 'Survived'),
    ]);
    expect(selectSurvivors(report, OPTIONS).comment.map((s) => s.id)).toEqual(['2']);
  });

  it('drops the arid calls the config names', () => {
    const source =
      'export function f(a: number) {\n  metrics.increment(a > 1);\n  return a > 1;\n}\n';
    const report = mathReport([
      mutant('1', 'EqualityOperator', 2, [21, 26], 'a >= 1', 'Survived'),
      mutant('2', 'EqualityOperator', 3, [10, 15], 'a >= 1', 'Survived'),
    ]);
    report.files['src/math.ts']!.source = source;
    expect(selectSurvivors(report, OPTIONS).ignored).toBe(0);
    const selection = selectSurvivors(report, { ...OPTIONS, ignore: ['metrics.*'] });
    expect(selection.comment.map((s) => s.line)).toEqual([3]);
    expect(selection.ignored).toBe(1);
  });

  it('drops what a 👎 suppressed, by fingerprint or by shape anywhere, and counts it', () => {
    const [first, second] = selectSurvivors(real, OPTIONS).comment;
    const byPrint = selectSurvivors(real, {
      ...OPTIONS,
      suppressed: { fingerprints: new Set([first!.fingerprint]), shapeKeys: new Set() },
    });
    expect(byPrint.comment.map((s) => s.fingerprint)).not.toContain(first!.fingerprint);
    expect(byPrint.suppressed).toBe(1);
    // `x > x` → `x >= x` (line 3) is neither `x < x` → `x <= x` (line 2) nor `x >= 0` → `x > 0` (line 9).
    const byShape = selectSurvivors(real, {
      ...OPTIONS,
      suppressed: { fingerprints: new Set(), shapeKeys: new Set([second!.shapeKey]) },
    });
    expect(byShape.suppressed).toBe(1);
    // Line 3 keeps a comment: its next most useful survivor takes the turned-down one's place.
    expect(byShape.comment.map((s) => `${s.line} ${s.mutatorName}`)).toEqual([
      '2 EqualityOperator',
      '3 ConditionalExpression',
      '9 EqualityOperator',
    ]);
  });
});

describe('fingerprints', () => {
  it('stay the same when lines are added above, and change with the code', () => {
    const shifted = mathReport([
      mutant('0', 'EqualityOperator', 12, [10, 19], 'age > 18', 'Survived'),
    ]);
    shifted.files['src/math.ts']!.source = `// one\n// two\n// three\n${MATH_SOURCE}`;
    const here = mathReport([mutant('7', 'EqualityOperator', 9, [10, 19], 'age > 18', 'Survived')]);
    const [a] = survivorsOf(shifted);
    const [b] = survivorsOf(here);
    expect(a!.fingerprint).toBe(b!.fingerprint);
    expect(a!.shapeKey).toBe(b!.shapeKey);
    const edited = mathReport([
      mutant('7', 'EqualityOperator', 9, [10, 19], 'age > 21', 'Survived'),
    ]);
    edited.files['src/math.ts']!.source = MATH_SOURCE.replace('age >= 18', 'age >= 21');
    expect(survivorsOf(edited)[0]!.fingerprint).not.toBe(b!.fingerprint);
    expect(survivorsOf(edited)[0]!.shapeKey).toBe(b!.shapeKey);
  });

  it('differ for the same mutant on two identical lines', () => {
    const report = mathReport([
      mutant('1', 'EqualityOperator', 2, [7, 18], 'value <= low', 'Survived'),
      mutant('2', 'EqualityOperator', 3, [7, 18], 'value <= low', 'Survived'),
    ]);
    report.files['src/math.ts']!.source = MATH_SOURCE.replace(
      'value > high) return high',
      'value < low) return low',
    );
    const [a, b] = survivorsOf(report);
    expect(a!.fingerprint).not.toBe(b!.fingerprint);
    expect(a!.shapeKey).toBe(b!.shapeKey);
  });

  it('read code shapes with names, numbers and strings abstracted', () => {
    expect(codeShape('count  > limit')).toBe(codeShape('a > b'));
    expect(codeShape('x === "a"')).toBe(codeShape("y === 'bc'"));
    expect(codeShape('n + 1')).not.toBe(codeShape('n - 1'));
    expect(codeShape('return a')).not.toBe(codeShape('throw a'));
  });

  test.prop([fc.integer({ min: 0, max: 50 })])('are stable under any line shift', (shift) => {
    const report = mathReport([
      mutant('0', 'EqualityOperator', 9 + shift, [10, 19], 'age > 18', 'Survived'),
    ]);
    report.files['src/math.ts']!.source = `${'\n'.repeat(shift)}${MATH_SOURCE}`;
    const base = survivorsOf(
      mathReport([mutant('0', 'EqualityOperator', 9, [10, 19], 'age > 18', 'Survived')]),
    );
    expect(survivorsOf(report)[0]!.fingerprint).toBe(base[0]!.fingerprint);
  });
});

describe('arid calls', () => {
  it('match logging, console and the configured calls', () => {
    const arid = aridCallMatcher(['metrics.increment']);
    for (const callee of [
      'console.log',
      'logger.info',
      'this.logger.warn',
      'debug',
      'metrics.increment',
    ])
      expect(arid(callee), callee).toBe(true);
    for (const callee of ['metrics.gauge', 'save', 'loggerFactory.create', 'consoles.log'])
      expect(arid(callee), callee).toBe(false);
  });

  it('find the callee of a call statement only', () => {
    expect(calleeOfStatement("  await logger.info('x', a > 1);")).toBe('logger.info');
    expect(calleeOfStatement('  this.log?.debug(x)')).toBe('this.log.debug');
    expect(calleeOfStatement('  return logger.info(x);')).toBeNull();
    expect(calleeOfStatement('  const a = b > 1;')).toBeNull();
  });
});

it('survivors come from the changed lines only when the report is restricted first', () => {
  const restricted = analyseChangedLines(real, [
    { path: 'src/math.ts', startLine: 9, endLine: 9 },
  ]).report;
  expect(selectSurvivors(restricted, OPTIONS).comment.map((s) => s.line)).toEqual([9]);
});

describe('hostile reports', () => {
  it('ranks a mutator named like an Object property as an unknown one', () => {
    const report = mathReport([
      {
        ...mutant('1', 'EqualityOperator', 9, [10, 19], 'age > 18', 'Survived'),
        mutatorName: 'constructor',
      },
      {
        ...mutant('2', 'EqualityOperator', 9, [10, 19], 'age < 18', 'Survived'),
        mutatorName: '__proto__',
      },
      mutant('3', 'StringLiteral', 9, [10, 19], '""', 'Survived'),
      mutant('4', 'EqualityOperator', 9, [10, 19], 'age > 18', 'Survived'),
    ]);
    const selection = selectSurvivors(report, { ...OPTIONS, maxPerLine: 4 });
    expect(selection.comment).toHaveLength(4);
    const ordered = [...selection.survivors].sort(compareUsefulness).map((s) => s.mutatorName);
    expect(ordered).toEqual(['EqualityOperator', 'constructor', '__proto__', 'StringLiteral']);
  });

  it('keeps the shape key of a minified line small', () => {
    const long = 'a+'.repeat(100_000);
    expect(codeShape(long).length).toBeLessThan(600);
    expect(codeShape(long)).not.toBe(codeShape('a+'.repeat(100_001)));
    expect(calleeOfStatement(`${'a.'.repeat(50_000)}b(x)`)).toBeNull();
  });
});
