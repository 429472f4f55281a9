import { describe, expect, it } from 'vitest';
import { analyseSource, isAnalysable } from '../../../src/health/complexity/analyse.ts';
import { DUPLICATION_WINDOW } from '../../../src/health/complexity/fingerprint.ts';

describe('lines of code', () => {
  it('counts lines with code, not blank or comment-only ones; a trailing comment keeps a line', () => {
    const code = [
      '#!/usr/bin/env node', //  not code
      '// a comment', //          not code
      '', //                      not code
      '/* a block', //            not code
      '   comment */', //         not code
      'const a = 1; // trailing', // code
      'const re = /\\/*not a comment/g;', // code: a regular expression, not a comment
      'const s = `first', //       code
      '   ', //                    blank inside a template literal: not code
      'third ${a /* inline */}`;', // code
      "const t = '// a string';", // code
      '/** doc */ const u = 2;', //  code
      '   /* comment */   ', //     not code
    ].join('\n');
    expect(analyseSource('input.js', code).loc).toBe(6);
  });

  it('treats JSX text as code, and finds comments after it', () => {
    const code = [
      'const e = (',
      '  <p title="C:\\">',
      '    // not a comment, text',
      "    isn't a string either",
      '  </p>',
      ');',
      '// a comment',
    ].join('\n');
    expect(analyseSource('input.tsx', code).loc).toBe(6);
  });

  it('follows template literals through nested braces', () => {
    const code = [
      'const s = `${{ a: 1 }.a} ${`inner ${ {}.toString() }`}',
      '// inside the template, not a comment`;',
      '// a comment',
    ].join('\n');
    expect(analyseSource('input.ts', code).loc).toBe(2);
  });
});

describe('syntax errors', () => {
  it('reports them with their line and analyses the rest', () => {
    const code = [
      'function ok(a) {',
      '  if (a) {}',
      '}',
      'function broken() {',
      '  const = 1;',
      '}',
    ].join('\n');
    const analysis = analyseSource('broken.ts', code);
    expect(analysis.syntaxErrors.length).toBeGreaterThan(0);
    expect(analysis.syntaxErrors[0]).toEqual({
      line: 5,
      message: 'Variable declaration expected.',
    });
    expect(analysis.functions.find((f) => f.name === 'ok')).toMatchObject({ cyclomatic: 2 });
    expect(analysis.loc).toBe(6);
  });

  it('has none for valid code', () => {
    expect(analyseSource('ok.mts', 'export const a = 1;').syntaxErrors).toEqual([]);
  });
});

describe('file kinds', () => {
  it('parses each supported extension as its language', () => {
    const ts = 'function f(a: number): number { return a ?? 1; }';
    for (const path of ['a.ts', 'a.mts', 'a.cts', 'a.tsx']) {
      expect(analyseSource(path, ts).syntaxErrors, path).toEqual([]);
    }
    const jsx = 'function C(p) { return <div>{p.a && <b />}</div>; }';
    for (const path of ['a.js', 'a.jsx', 'a.mjs', 'a.cjs', 'a.tsx']) {
      expect(analyseSource(path, jsx).syntaxErrors, path).toEqual([]);
    }
    // `<T>x` is a type assertion in .ts and an unclosed element in .tsx.
    expect(analyseSource('a.ts', 'const x = <any>y;').syntaxErrors).toEqual([]);
    expect(analyseSource('a.tsx', 'const x = <any>y;').syntaxErrors).not.toEqual([]);
  });

  it('refuses other extensions with a message naming the supported ones', () => {
    expect(isAnalysable('src/a.TS')).toBe(true);
    expect(isAnalysable('README.md')).toBe(false);
    expect(isAnalysable('.ts')).toBe(false);
    expect(() => analyseSource('script.py', 'x = 1')).toThrow(
      /script\.py: cannot analyse "\.py".*\.ts/,
    );
  });
});

describe('duplication fingerprints', () => {
  const block = (literal: string, name = 'total') =>
    [
      `function sum(items) {`,
      `  let ${name} = 0;`,
      `  for (const item of items) {`,
      `    if (item.kind === ${literal}) {`,
      `      ${name} += item.value * 2;`,
      `    } else {`,
      `      ${name} -= 1;`,
      `    }`,
      `  }`,
      `  return ${name};`,
      `}`,
    ].join('\n');

  it('match across files after dropping comments and whitespace and replacing literals', () => {
    const a = analyseSource('a.js', block("'x'"));
    const b = analyseSource(
      'b.js',
      '// header\n\n' +
        block('"y"').replace('let total', '  let   total').replace('{\n', '{ // note\n'),
    );
    const hashes = new Set(a.duplicationFingerprints!.map((f) => f.hash));
    const shared = b.duplicationFingerprints!.filter((f) => hashes.has(f.hash));
    expect(a.duplicationFingerprints).toHaveLength(11 - DUPLICATION_WINDOW + 1);
    expect(shared.map((f) => f.line)).toEqual([3, 4]);
    expect(a.duplicationFingerprints![0]!.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('differ when identifiers differ, and are stable between runs', () => {
    const a = analyseSource('a.js', block("'x'")).duplicationFingerprints!;
    const c = analyseSource('c.js', block("'x'", 'sum')).duplicationFingerprints!;
    expect(c.some((f) => a.some((g) => g.hash === f.hash))).toBe(false);
    expect(analyseSource('a.js', block("'x'")).duplicationFingerprints).toEqual(a);
  });

  it('are empty for files shorter than a window', () => {
    expect(analyseSource('a.js', 'const a = 1;\n').duplicationFingerprints).toEqual([]);
  });
});
