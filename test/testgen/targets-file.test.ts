import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseFileSpec, targetsForFileSpec } from '../../src/testgen/file-spec.ts';
import { MATH_SOURCE, realMathReport } from '../mutation/report-fixtures.ts';

const PARSER = [
  'export class Parser {',
  '  parse(text: string) {',
  '    return text.split(",");',
  '  }',
  '}',
  'export class Lexer {',
  '  parse(text: string) {',
  '    return [...text];',
  '  }',
  '  next() {',
  '    return 1;',
  '  }',
  '}',
  'export function tokens(text: string) {',
  '  return new Lexer().parse(text);',
  '}',
  '',
].join('\n');

const TEXTS = new Map([
  ['src/math.ts', MATH_SOURCE],
  ['src/parser.ts', PARSER],
  ['src/a.test.ts', "import { it } from 'vitest';\nit('x', () => {});\n"],
  ['src/broken.ts', 'export function f( {\n'],
  ['src/types.ts', 'export interface A {\n  a: number;\n}\n'],
]);
const read = (path: string) => TEXTS.get(path) ?? null;
const OPTIONS = { maxTargets: 5 };

describe('--file PATH[:FUNCTION]', () => {
  it('reads the path and the optional function, normalising the path', () => {
    expect(parseFileSpec('src/a.ts')).toEqual({ ok: true, spec: { path: 'src/a.ts', name: null } });
    expect(parseFileSpec('./src/x/../a.ts:parse')).toEqual({
      ok: true,
      spec: { path: 'src/a.ts', name: 'parse' },
    });
    expect(parseFileSpec('src\\a.ts:Parser.parse')).toEqual({
      ok: true,
      spec: { path: 'src/a.ts', name: 'Parser.parse' },
    });
    // A colon followed by no name is part of the path.
    expect(parseFileSpec('src/a:b/c.ts')).toEqual({
      ok: true,
      spec: { path: 'src/a:b/c.ts', name: null },
    });
  });

  it('refuses paths outside the repository', () => {
    for (const spec of ['../etc/passwd', 'src/../../x.ts:f', '/etc/passwd', 'C:/x.ts', '..']) {
      const result = parseFileSpec(spec);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain('is outside the repository');
    }
    expect(parseFileSpec('')).toEqual({
      ok: false,
      message: 'expected --file PATH or PATH:FUNCTION, got ""',
    });
  });

  it('takes every function of the file, ranked by its survivors, every line counting as changed', () => {
    const picked = targetsForFileSpec('src/math.ts', read, { ...OPTIONS, report: realMathReport });
    if (!picked.ok) throw new Error(picked.message);
    expect(picked.targets.map((t) => [t.name, t.survivingMutants.length, t.changedLines])).toEqual([
      ['clamp', 4, [1, 2, 3, 4, 5, 6]],
      ['isAdult', 2, [8, 9, 10]],
    ]);
    // Line 4's mutant has no test: with every line counted, it is an uncovered line.
    expect(picked.targets[0]!.uncoveredLines).toEqual([4]);
  });

  it('picks one function, by full name or by a method name that is unambiguous', () => {
    const exact = targetsForFileSpec('src/parser.ts:Lexer.parse', read, OPTIONS);
    expect(exact.ok && exact.targets.map((t) => [t.name, t.startLine])).toEqual([
      ['Lexer.parse', 7],
    ]);
    const short = targetsForFileSpec('src/parser.ts:next', read, OPTIONS);
    expect(short.ok && short.targets.map((t) => t.name)).toEqual(['Lexer.next']);
  });

  it('names what was not found and what exists', () => {
    expect(targetsForFileSpec('src/parser.ts:lex', read, OPTIONS)).toEqual({
      ok: false,
      message:
        'src/parser.ts has no function or method named "lex"; it has Parser.parse, Lexer.parse, Lexer.next, tokens',
    });
    expect(targetsForFileSpec('src/parser.ts:parse', read, OPTIONS)).toEqual({
      ok: false,
      message:
        'src/parser.ts has several methods named "parse": Parser.parse, Lexer.parse; name one with its class',
    });
    expect(targetsForFileSpec('src/nope.ts', read, OPTIONS)).toEqual({
      ok: false,
      message: 'src/nope.ts is not a file in the repository',
    });
    expect(targetsForFileSpec('src/a.test.ts', read, OPTIONS)).toEqual({
      ok: false,
      message: 'src/a.test.ts is not a target: a test file',
    });
    expect(targetsForFileSpec('src/types.ts', read, OPTIONS)).toEqual({
      ok: false,
      message: 'src/types.ts has no functions or methods',
    });
    const broken = targetsForFileSpec('src/broken.ts', read, OPTIONS);
    expect(broken.ok === false && broken.message).toMatch(
      /^src\/broken\.ts is not a target: does not parse: line \d+: /,
    );
  });

  it('does not take `__proto__` or `constructor` for a name the file has', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const picked = targetsForFileSpec(`src/parser.ts:${name}`, read, OPTIONS);
      expect(picked.ok).toBe(false);
    }
  });

  test.prop([fc.string()])('never throws, whatever is passed', (spec) => {
    const picked = targetsForFileSpec(spec, read, OPTIONS);
    if (picked.ok) for (const t of picked.targets) expect(TEXTS.has(t.path)).toBe(true);
    else expect(picked.message.length).toBeGreaterThan(0);
  });
});
