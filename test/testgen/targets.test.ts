import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseGitDiff } from '../../src/diff/git-diff.ts';
import { commentableLines, parsePatch } from '../../src/diff/review-file.ts';
import type { ReviewFile } from '../../src/diff/review-file.ts';
import { moduleFunctions } from '../../src/testgen/functions.ts';
import { compareTargets, targetsOf } from '../../src/testgen/targets.ts';
import type { TargetOptions } from '../../src/testgen/targets.ts';
import type { TestTarget } from '../../src/testgen/types.ts';
import {
  MATH_PR_DIFF,
  MATH_SOURCE,
  mathReport,
  mutant,
  realMathReport,
} from '../mutation/report-fixtures.ts';

/** A file the diff adds whole: every line of `text` is a changed line. */
function added(path: string, text: string): ReviewFile {
  const rows = text.split('\n');
  if (rows.at(-1) === '') rows.pop();
  const patch = [`@@ -0,0 +1,${rows.length} @@`, ...rows.map((row) => `+${row}`)].join('\n');
  return changed(path, patch, 'added');
}

function changed(
  path: string,
  patch: string,
  status: ReviewFile['status'] = 'modified',
): ReviewFile {
  const hunks = parsePatch(patch, path);
  return {
    path,
    previousPath: null,
    status,
    binary: false,
    patch,
    patchOmitted: false,
    commentable: commentableLines(hunks),
    hunks,
  };
}

/** A patch that changes exactly `lines` (1-based) of `text`, each in its own hunk. */
function changing(path: string, text: string, lines: number[]): ReviewFile {
  const rows = text.split('\n');
  const patch = lines
    .map((line) => [`@@ -${line},1 +${line},1 @@`, `-old`, `+${rows[line - 1]}`].join('\n'))
    .join('\n');
  return changed(path, patch);
}

const OPTIONS: TargetOptions = { maxTargets: 5, include: [], exclude: [] };

function textsOf(entries: Record<string, string>): (path: string) => string | null {
  const map = new Map(Object.entries(entries));
  return (path) => map.get(path) ?? null;
}

const SHAPES = [
  "import { helper } from './helper.ts';", //  1
  '', //                                         2
  'export function parseArgs(argv: string[]): string[] {', // 3
  '  return argv.filter((a) => a.length > 0);', // 4
  '}', //                                        5
  '', //                                         6
  'const double = (n: number): number => n * 2;', // 7
  '', //                                         8
  'export const triple = function (n: number) {', // 9
  '  return n * 3;', //                          10
  '};', //                                       11
  '', //                                         12
  'export class Parser {', //                    13
  '  private cache = new Map<string, number>();', // 14
  '  parse(text: string): number {', //          15
  '    return Number(text);', //                 16
  '  }', //                                      17
  '  #secret(): number {', //                    18
  '    return 1;', //                            19
  '  }', //                                      20
  '  handle = (x: number) => x + 1;', //         21
  '  get size(): number {', //                   22
  '    return this.cache.size;', //              23
  '  }', //                                      24
  '}', //                                        25
  '', //                                         26
  'function overloaded(a: string): string;', //  27
  'function overloaded(a: number): number;', //  28
  'function overloaded(a: unknown): unknown {', // 29
  '  return a;', //                              30
  '}', //                                        31
  '', //                                         32
  'export { double, overloaded as over };', //   33
  '', //                                         34
  'export default (value: string) => value.trim();', // 35
  '',
].join('\n');

describe('the functions of a module', () => {
  it('finds declarations, arrows, methods, accessors and default exports with their lines', () => {
    const parsed = moduleFunctions('src/shapes.ts', SHAPES);
    expect(parsed.kind).toBe('parsed');
    if (parsed.kind !== 'parsed') return;
    expect(parsed.functions).toEqual([
      { name: 'parseArgs', form: 'declaration', startLine: 3, endLine: 5, exported: true },
      { name: 'double', form: 'variable', startLine: 7, endLine: 7, exported: true },
      { name: 'triple', form: 'variable', startLine: 9, endLine: 11, exported: true },
      { name: 'Parser.parse', form: 'method', startLine: 15, endLine: 17, exported: true },
      { name: 'Parser.#secret', form: 'method', startLine: 18, endLine: 20, exported: false },
      { name: 'Parser.handle', form: 'property', startLine: 21, endLine: 21, exported: true },
      { name: 'Parser.size', form: 'getter', startLine: 22, endLine: 24, exported: true },
      { name: 'overloaded', form: 'declaration', startLine: 29, endLine: 31, exported: true },
      { name: 'default', form: 'default-export', startLine: 35, endLine: 35, exported: true },
    ]);
  });

  it('knows what a test cannot import: unexported functions, private members', () => {
    const text = [
      'function inner(a: number) {',
      '  return a + 1;',
      '}',
      'class Hidden {',
      '  run() {',
      '    return inner(1);',
      '  }',
      '}',
      'export class Shown {',
      '  private hidden() {',
      '    return 2;',
      '  }',
      '  protected guarded() {',
      '    return 3;',
      '  }',
      '  static make() {',
      '    return new Shown();',
      '  }',
      '}',
      'export default class {',
      '  go() {',
      '    return 4;',
      '  }',
      '}',
    ].join('\n');
    const parsed = moduleFunctions('src/a.ts', text);
    if (parsed.kind !== 'parsed') throw new Error(parsed.message);
    expect(parsed.functions.map((f) => [f.name, f.exported])).toEqual([
      ['inner', false],
      ['Hidden.run', false],
      ['Shown.hidden', false],
      ['Shown.guarded', false],
      ['Shown.make', true],
      ['default.go', true],
    ]);
  });

  it('handles `__proto__` and `constructor` as names without touching prototypes', () => {
    const text = [
      'export function __proto__(x: number) {',
      '  return x;',
      '}',
      'export const hasOwnProperty = () => 1;',
      'export class toString {',
      '  constructor(private a: number) {}',
      '  __proto__() {',
      '    return this.a;',
      '  }',
      '}',
    ].join('\n');
    const parsed = moduleFunctions('src/proto.ts', text);
    if (parsed.kind !== 'parsed') throw new Error(parsed.message);
    expect(parsed.functions.map((f) => f.name)).toEqual([
      '__proto__',
      'hasOwnProperty',
      'toString.constructor',
      'toString.__proto__',
    ]);
    const { targets } = targetsOf(
      [added('src/proto.ts', text)],
      textsOf({ 'src/proto.ts': text }),
      OPTIONS,
    );
    expect(targets.map((t) => t.name).sort()).toEqual([
      '__proto__',
      'hasOwnProperty',
      'toString.__proto__',
      'toString.constructor',
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('finds methods of object literals and CommonJS exports', () => {
    const text = [
      'export const api = {',
      '  parse(text) {',
      '    return text;',
      '  },',
      '  format: (value) => String(value),',
      '  limit: 3,',
      '};',
      'const local = { run: function () { return 1; } };',
      'exports.encode = function (s) { return s; };',
      'module.exports.decode = (s) => s;',
      'function shared() { return 2; }',
      'module.exports.shared = shared;',
      'module.exports = { helper() { return 3; } };',
    ].join('\n');
    const parsed = moduleFunctions('lib/api.js', text);
    if (parsed.kind !== 'parsed') throw new Error(parsed.message);
    expect(parsed.functions.map((f) => [f.name, f.startLine, f.exported, f.form])).toEqual([
      ['api.parse', 2, true, 'object-member'],
      ['api.format', 5, true, 'object-member'],
      ['local.run', 8, false, 'object-member'],
      ['encode', 9, true, 'commonjs-export'],
      ['decode', 10, true, 'commonjs-export'],
      ['shared', 11, true, 'declaration'],
      ['helper', 13, true, 'object-member'],
    ]);
  });

  it('reports the first syntax error of a file that does not parse', () => {
    const parsed = moduleFunctions('src/broken.ts', 'export function f( {\n  return 1;\n');
    expect(parsed).toMatchObject({ kind: 'syntax-error', line: 2, message: "':' expected." });
  });
});

describe('targets of a change', () => {
  it('are the functions whose lines changed, with the changed lines inside each', () => {
    const file = changing('src/shapes.ts', SHAPES, [4, 16, 35]);
    const { targets, skipped } = targetsOf([file], textsOf({ 'src/shapes.ts': SHAPES }), OPTIONS);
    expect(skipped).toEqual([]);
    expect(targets.map((t) => [t.name, t.changedLines])).toEqual([
      ['parseArgs', [4]],
      ['Parser.parse', [16]],
      ['default', [35]],
    ]);
    expect(targets.every((t) => t.survivingMutants.length === 0)).toBe(true);
  });

  it('rank by surviving mutants from the real Stryker report, and count NoCoverage as uncovered', () => {
    const files = parseGitDiff(MATH_PR_DIFF);
    const { targets, skipped } = targetsOf(files, textsOf({ 'src/math.ts': MATH_SOURCE }), {
      ...OPTIONS,
      report: realMathReport,
    });
    expect(skipped).toEqual([{ path: 'src/math.test.ts', reason: 'a test file' }]);
    // clamp: mutants 2, 4, 6 survived and 9 (NoCoverage, line 4, unchanged); isAdult: 10 and 12.
    expect(targets.map((t) => t.name)).toEqual(['clamp', 'isAdult']);
    const [clamp, isAdult] = targets as [TestTarget, TestTarget];
    expect(clamp).toMatchObject({ startLine: 1, endLine: 6, exported: true, changedLines: [3] });
    expect(clamp.survivingMutants.map((m) => [m.id, m.status, m.line])).toEqual([
      ['2', 'Survived', 2],
      ['4', 'Survived', 3],
      ['6', 'Survived', 3],
      ['9', 'NoCoverage', 4],
    ]);
    // Line 4 has no test but is not a changed line: it is not an uncovered *changed* line.
    expect(clamp.uncoveredLines).toEqual([]);
    expect(isAdult.survivingMutants.map((m) => m.id)).toEqual(['10', '12']);
    expect(isAdult.survivingMutants[0]).toEqual({
      id: '10',
      mutator: 'ConditionalExpression',
      line: 9,
      original: 'age >= 18',
      replacement: 'true',
      status: 'Survived',
    });
  });

  it('rank uncovered changed lines second and changed lines third', () => {
    const report = mathReport([
      mutant('a', 'EqualityOperator', 9, [10, 19], 'age > 18', 'NoCoverage'),
    ]);
    const file = changing('src/math.ts', MATH_SOURCE, [2, 3, 9]);
    const { targets } = targetsOf([file], textsOf({ 'src/math.ts': MATH_SOURCE }), {
      ...OPTIONS,
      report,
    });
    expect(targets.map((t) => [t.name, t.uncoveredLines, t.changedLines])).toEqual([
      ['isAdult', [9], [9]],
      ['clamp', [], [2, 3]],
    ]);
    const plain = targetsOf([file], textsOf({ 'src/math.ts': MATH_SOURCE }), OPTIONS).targets;
    expect(plain.map((t) => t.name)).toEqual(['clamp', 'isAdult']);
  });

  it('stay quick and inside the target on a report whose mutant ends a billion lines down', () => {
    const report = mathReport([
      mutant('far', 'BlockStatement', 9, [10, 19], '{}', 'NoCoverage', {
        location: { start: { line: 9, column: 10 }, end: { line: 1e9, column: 1 } },
      }),
    ]);
    const { targets } = targetsOf(
      parseGitDiff(MATH_PR_DIFF),
      textsOf({ 'src/math.ts': MATH_SOURCE }),
      {
        ...OPTIONS,
        report,
      },
    );
    expect(targets.map((t) => [t.name, t.uncoveredLines])).toEqual([
      ['isAdult', [9]],
      ['clamp', []],
    ]);
  });

  it('ignore a report of another revision of the file: its lines would be wrong', () => {
    const report = mathReport();
    report.files['src/math.ts']!.source = MATH_SOURCE.replace('>= 18', '>= 21');
    const { targets } = targetsOf(
      parseGitDiff(MATH_PR_DIFF),
      textsOf({ 'src/math.ts': MATH_SOURCE }),
      {
        ...OPTIONS,
        report,
      },
    );
    expect(targets.flatMap((t) => t.survivingMutants)).toEqual([]);
  });

  it('cap at max-targets and keep the rest, ranked, as capped', () => {
    const text = Array.from({ length: 8 }, (_, i) => `export const f${i} = () => ${i};`).join('\n');
    const { targets, capped } = targetsOf(
      [added('src/many.ts', text)],
      textsOf({ 'src/many.ts': text }),
      {
        ...OPTIONS,
        maxTargets: 3,
      },
    );
    expect(targets.map((t) => t.name)).toEqual(['f0', 'f1', 'f2']);
    expect(capped.map((t) => t.name)).toEqual(['f3', 'f4', 'f5', 'f6', 'f7']);
  });

  it('never target tests, declarations, generated, vendored, minified or excluded files', () => {
    const code = 'export function f(a: number) {\n  return a;\n}\n';
    const minified = `export function m(){return ${'1+'.repeat(1200)}1}\n`;
    const paths = [
      'src/a.test.ts',
      'src/__tests__/b.ts',
      'test/c.ts',
      'src/fixtures/d.ts',
      'types/e.d.ts',
      'src/generated/f.ts',
      'src/g.generated.ts',
      'vendor/h.ts',
      'dist/i.js',
      'src/j.min.js',
      'src/k.ts',
      'src/skip/l.ts',
      'src/m.py',
      'src/../n.ts',
    ];
    const texts = Object.fromEntries(paths.map((p) => [p, p === 'src/k.ts' ? minified : code]));
    const { targets, skipped } = targetsOf(
      paths.map((p) => added(p, texts[p]!)),
      textsOf(texts),
      { ...OPTIONS, exclude: ['src/skip/**'] },
    );
    expect(targets).toEqual([]);
    expect(Object.fromEntries(skipped.map((s) => [s.path, s.reason]))).toEqual({
      'dist/i.js': 'build output or vendored code',
      'src/../n.ts': 'not a path inside the repository',
      'src/__tests__/b.ts': 'a test file',
      'src/a.test.ts': 'a test file',
      'src/fixtures/d.ts': 'a test file',
      'src/g.generated.ts': 'generated code',
      'src/generated/f.ts': 'generated code',
      'src/j.min.js': 'minified file name',
      'src/k.ts': expect.stringMatching(
        /^minified: \d+% of it is on lines of over 1,000 characters$/,
      ),
      'src/m.py': 'not a JavaScript or TypeScript source file',
      'src/skip/l.ts': 'excluded by test-gen.exclude',
      'test/c.ts': 'a test file',
      'types/e.d.ts': 'type declarations, no code',
      'vendor/h.ts': 'build output or vendored code',
    });
  });

  it('only take included files when include is set', () => {
    const code = 'export const f = () => 1;\n';
    const { targets, skipped } = targetsOf(
      [added('src/a.ts', code), added('lib/b.ts', code)],
      textsOf({ 'src/a.ts': code, 'lib/b.ts': code }),
      { ...OPTIONS, include: ['src/**'] },
    );
    expect(targets.map((t) => t.path)).toEqual(['src/a.ts']);
    expect(skipped).toEqual([{ path: 'lib/b.ts', reason: 'not matched by test-gen.include' }]);
  });

  it('skip a file with a syntax error at head, with the line and the parser message', () => {
    const good = 'export const ok = () => 1;\n';
    const broken = 'export function f(a: number {\n  return a;\n}\n';
    const { targets, skipped } = targetsOf(
      [added('src/broken.ts', broken), added('src/good.ts', good)],
      textsOf({ 'src/broken.ts': broken, 'src/good.ts': good }),
      OPTIONS,
    );
    expect(targets.map((t) => t.name)).toEqual(['ok']);
    expect(skipped).toEqual([
      {
        path: 'src/broken.ts',
        reason: "does not parse: line 1: ',' expected.",
      },
    ]);
  });

  it('say why a file gave none: unreadable, binary, changes outside functions, patch omitted', () => {
    const top = 'export const limit = 3;\nexport const f = () => limit;\n';
    const omitted = { ...added('src/huge.ts', top), hunks: [], patch: null, patchOmitted: true };
    const binary = 'export const a = 1;\0\0\0';
    const { targets, skipped } = targetsOf(
      [
        changing('src/top.ts', top, [1]),
        added('src/gone.ts', top),
        omitted,
        added('src/bin.ts', binary),
      ],
      textsOf({ 'src/top.ts': top, 'src/huge.ts': top, 'src/bin.ts': binary }),
      OPTIONS,
    );
    expect(targets).toEqual([]);
    expect(skipped).toEqual([
      { path: 'src/bin.ts', reason: 'binary' },
      { path: 'src/gone.ts', reason: 'its text at the head revision could not be read' },
      { path: 'src/huge.ts', reason: 'the diff is too large for GitHub to show its lines' },
      { path: 'src/top.ts', reason: 'its changed lines are outside any function' },
    ]);
  });

  it('find the changed function in a 50,000-line file', () => {
    const rows = Array.from(
      { length: 50_000 },
      (_, i) => `export const f${i} = (a: number) => a + ${i};`,
    );
    const text = rows.join('\n');
    const file = changing('src/big.ts', text, [42_000]);
    const { targets, skipped } = targetsOf([file], textsOf({ 'src/big.ts': text }), OPTIONS);
    expect(skipped).toEqual([]);
    expect(targets).toMatchObject([{ name: 'f41999', startLine: 42_000, endLine: 42_000 }]);
  });

  it('count a file listed twice once', () => {
    const code = 'export const f = () => 1;\n';
    const { targets } = targetsOf(
      [added('src/a.ts', code), added('src/a.ts', code)],
      textsOf({ 'src/a.ts': code }),
      OPTIONS,
    );
    expect(targets).toHaveLength(1);
  });
});

/** Module texts of a few functions of random lengths, with random changed lines. */
const moduleArbitrary = fc
  .array(fc.record({ body: fc.nat(6), gap: fc.nat(2), exported: fc.boolean() }), {
    minLength: 1,
    maxLength: 8,
  })
  .map((fns) =>
    fns
      .map(
        (fn, i) =>
          `${'\n'.repeat(fn.gap)}${fn.exported ? 'export ' : ''}function f${i}(a: number) {\n${'  a++;\n'.repeat(fn.body)}  return a;\n}`,
      )
      .join('\n'),
  )
  .chain((text) => {
    const count = text.split('\n').length;
    return fc.record({
      text: fc.constant(text),
      lines: fc.uniqueArray(fc.integer({ min: 1, max: count }), { minLength: 1, maxLength: count }),
    });
  });

describe('targets, for any module and change', () => {
  test.prop([moduleArbitrary, fc.integer({ min: 1, max: 10 })])(
    'lie inside the file, hold only changed lines of their own, and respect the cap',
    ({ text, lines }, maxTargets) => {
      const count = text.split('\n').length;
      const file = changing(
        'src/m.ts',
        text,
        [...lines].sort((a, b) => a - b),
      );
      const { targets, capped } = targetsOf([file], textsOf({ 'src/m.ts': text }), {
        ...OPTIONS,
        maxTargets,
      });
      expect(targets.length).toBeLessThanOrEqual(maxTargets);
      for (const target of [...targets, ...capped]) {
        expect(target.startLine).toBeGreaterThanOrEqual(1);
        expect(target.endLine).toBeLessThanOrEqual(count);
        expect(target.startLine).toBeLessThanOrEqual(target.endLine);
        expect(target.changedLines.length).toBeGreaterThan(0);
        for (const line of target.changedLines) {
          expect(lines).toContain(line);
          expect(line).toBeGreaterThanOrEqual(target.startLine);
          expect(line).toBeLessThanOrEqual(target.endLine);
        }
      }
    },
  );

  test.prop([moduleArbitrary])(
    'rank the same whatever order the files come in',
    ({ text, lines }) => {
      const files = [
        changing(
          'src/a.ts',
          text,
          [...lines].sort((a, b) => a - b),
        ),
        changing(
          'src/b.ts',
          text,
          [...lines].sort((a, b) => a - b),
        ),
      ];
      const read = textsOf({ 'src/a.ts': text, 'src/b.ts': text });
      const forward = targetsOf(files, read, { ...OPTIONS, maxTargets: 100 }).targets;
      const backward = targetsOf([...files].reverse(), read, {
        ...OPTIONS,
        maxTargets: 100,
      }).targets;
      expect(backward).toEqual(forward);
      for (let i = 1; i < forward.length; i++)
        expect(compareTargets(forward[i - 1]!, forward[i]!)).toBeLessThan(0);
    },
  );
});
