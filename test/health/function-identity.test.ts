import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FileHealthDelta } from '../../src/health/delta.ts';
import { defaultThresholds } from '../../src/health/thresholds.ts';
import { healthDeltaOfTexts } from '../../src/health/assess-texts.ts';
import { SmellKind } from '../../src/health/types.ts';

/**
 * Files with several functions of one name (object-literal `parse` methods, anonymous test
 * callbacks), analysed for real: each smell must be compared with its own function's smell.
 */

const config = { thresholds: defaultThresholds(), exclude: [] };

/** `if` statements on one identifier, each with its own constants: cyclomatic 1 + count. */
function branches(variable: string, count: number, tag: string, indent = '    '): string {
  return Array.from(
    { length: count },
    (_, i) => `${indent}if (${variable} === '${tag}-${i}') return ${i + tag.length};`,
  ).join('\n');
}

/** An object-literal parser `const <owner> = { parse(text) { … } }` of cyclomatic `cyclomatic`. */
function parser(owner: string, cyclomatic: number, tag = owner): string {
  return [
    `export const ${owner} = {`,
    `  parse(text: string): number {`,
    `    const trimmed = text.trim().toLowerCase();`,
    branches('trimmed', cyclomatic - 1, tag),
    `    return -1;`,
    `  },`,
    `};`,
    '',
  ].join('\n');
}

function deltaOf(before: string, after: string): FileHealthDelta {
  const { files } = healthDeltaOfTexts(
    [{ path: 'src/formats.ts', previousPath: null, before, after }],
    config,
  );
  return files[0]!;
}

const complexMethods = (smells: FileHealthDelta['introduced']) =>
  smells
    .filter((s) => s.kind === SmellKind.complexMethod)
    .map(({ line, detail, was }) => ({ line, detail, was }));

describe('function identity in a health delta', () => {
  it('shows a smell under the function’s own name, whatever encloses it', () => {
    const { files } = healthDeltaOfTexts(
      [
        {
          path: 'a.ts',
          previousPath: null,
          before: null,
          after: `function make() {\n  return { parse(t: string) {\n${branches('t', 9, 'x')}\n  } };\n}\n`,
        },
      ],
      config,
    );
    expect(files[0]!.introduced.find((s) => s.kind === SmellKind.complexMethod)?.function).toBe(
      'parse',
    );
  });

  it('compares a worsened parse with its own old self when several parse methods share the file', () => {
    // Three parsers named `parse`: json is smelly and unchanged, yaml worsens from 10 to 14, and a
    // new, smelly toml parser is added above them all.
    const before = [parser('json', 11), parser('yaml', 10), parser('csv', 3)].join('\n');
    const after = [
      parser('toml', 12),
      parser('json', 11),
      parser('yaml', 14),
      parser('csv', 3),
    ].join('\n');
    const delta = deltaOf(before, after);
    const yamlLine = after.split('\n').indexOf('export const yaml = {') + 2;
    expect(complexMethods(delta.introduced)).toEqual([
      { line: 2, detail: 'cyclomatic complexity 12 (threshold 9)', was: undefined },
      {
        line: yamlLine,
        detail: 'cyclomatic complexity 14 (threshold 9), was 10',
        was: 10,
      },
    ]);
    expect(complexMethods(delta.fixed)).toEqual([]);
  });

  it('says nothing about same-named functions that only moved or swapped places', () => {
    const before = [parser('json', 11), parser('yaml', 10), parser('csv', 12)].join('\n');
    const after = [
      '// Parsers, most used first.',
      '',
      parser('csv', 12),
      parser('json', 11),
      parser('yaml', 10),
    ].join('\n');
    const delta = deltaOf(before, after);
    expect(delta.introduced).toEqual([]);
    expect(delta.fixed).toEqual([]);
  });

  it('does not take a removed function for an unrelated same-named one added far away', () => {
    const filler = Array.from({ length: 60 }, (_, i) => `export const c${i} = ${i};`).join('\n');
    const before = `${parser('json', 12)}\n${filler}\n`;
    const after = `${filler}\n${[
      'export const ini = {',
      '  parse(source: string): string[] {',
      '    const out: string[] = [];',
      ...Array.from(
        { length: 13 },
        (_, i) => `    for (const line of source.split('${i}')) out.push(line.slice(${i}));`,
      ),
      '    return out;',
      '  },',
      '};',
    ].join('\n')}\n`;
    const delta = deltaOf(before, after);
    expect(complexMethods(delta.introduced)).toEqual([
      { line: 62, detail: 'cyclomatic complexity 14 (threshold 9)', was: undefined },
    ]);
    expect(complexMethods(delta.fixed)).toEqual([
      { line: 2, detail: 'cyclomatic complexity 12 (threshold 9)', was: undefined },
    ]);
  });

  it('tells anonymous test callbacks apart: a new one is new, a worsened one says what it was', () => {
    const test = (name: string, cyclomatic: number) =>
      [
        `  it('${name}', () => {`,
        `    const value = read('${name}');`,
        branches('value', cyclomatic - 1, name),
        `    expect(value).toBe(1);`,
        `  });`,
      ].join('\n');
    const suite = (tests: string[]) =>
      [
        `import { read } from '../hotspots/health/read.ts';`,
        `describe('read', () => {`,
        ...tests,
        `});`,
        '',
      ].join('\n');
    const before = suite([test('alpha', 10), test('beta', 9), test('gamma', 10)]);
    const after = suite([
      test('alpha', 10),
      test('inserted', 11),
      test('beta', 9),
      test('gamma', 13),
    ]);
    const delta = deltaOf(before, after);
    const lineOf = (name: string) => after.split('\n').indexOf(`  it('${name}', () => {`) + 1;
    expect(complexMethods(delta.introduced)).toEqual([
      {
        line: lineOf('inserted'),
        detail: 'cyclomatic complexity 11 (threshold 9)',
        was: undefined,
      },
      {
        line: lineOf('gamma'),
        detail: 'cyclomatic complexity 13 (threshold 9), was 10',
        was: 10,
      },
    ]);
    expect(complexMethods(delta.fixed)).toEqual([]);
    const inFunctions = delta.introduced.filter((s) => s.function !== null);
    expect(inFunctions.every((s) => s.function === '<anonymous>')).toBe(true);
  });

  it('keeps same-named functions of different enclosing functions apart', () => {
    const factory = (name: string, cyclomatic: number) =>
      [
        `export function ${name}() {`,
        `  return {`,
        `    parse(text: string): number {`,
        branches('text', cyclomatic - 1, name, '      '),
        `      return 0;`,
        `    },`,
        `  };`,
        `}`,
        '',
      ].join('\n');
    // The first factory's parser is gone; the second's got worse. Pairing by name alone would call
    // the second one's smell the first one's, made better.
    const before = [factory('makeJson', 14), factory('makeYaml', 10)].join('\n');
    const after = factory('makeYaml', 12);
    const delta = deltaOf(before, after);
    expect(complexMethods(delta.introduced)).toEqual([
      { line: 3, detail: 'cyclomatic complexity 12 (threshold 9), was 10', was: 10 },
    ]);
    expect(complexMethods(delta.fixed)).toEqual([
      { line: 3, detail: 'cyclomatic complexity 14 (threshold 9)', was: undefined },
    ]);
  });

  it('keeps a function itself when its enclosing function is renamed', () => {
    const outer = (name: string, cyclomatic: number) =>
      [
        `export function ${name}(input: string) {`,
        `  function push(token: string): number {`,
        branches('token', cyclomatic - 1, 'push', '    '),
        `    return 0;`,
        `  }`,
        `  return push(input);`,
        `}`,
        '',
      ].join('\n');
    expect(deltaOf(outer('parse4', 12), outer('parse5', 12))).toMatchObject({
      introduced: [],
      fixed: [],
    });
    const worse = deltaOf(outer('parse4', 12), outer('parse5', 15));
    expect(complexMethods(worse.introduced)).toEqual([
      { line: 2, detail: 'cyclomatic complexity 15 (threshold 9), was 12', was: 12 },
    ]);
  });

  it('on a real change of this repository: the describe callback that grew is the only news', () => {
    // test/e2e/auto-merge.test.ts before and after commit 3210432, which added three tests to its
    // first describe block (49 → 74 lines) and moved the next one (162 lines) down by 25 lines.
    // Paired by name in line order, the grown callback was taken for the long one, and the long
    // one, only moved, was reported as a new 162-line Large Method.
    const fixture = (side: string) =>
      readFileSync(new URL(`./fixtures/auto-merge-e2e.${side}.txt`, import.meta.url), 'utf8');
    const { files } = healthDeltaOfTexts(
      [
        {
          path: 'test/e2e/auto-merge.test.ts',
          previousPath: null,
          before: fixture('before'),
          after: fixture('after'),
        },
      ],
      config,
    );
    const delta = files[0]!;
    expect(delta.introduced.filter((s) => s.kind === SmellKind.largeMethod)).toEqual([
      {
        kind: SmellKind.largeMethod,
        function: '<anonymous>',
        line: 36,
        detail: '74 lines (limit 70)',
        measured: 74,
        bound: 70,
      },
    ]);
    expect(delta.fixed.filter((s) => s.kind === SmellKind.largeMethod)).toEqual([]);
  });

  it('pairs a file of 1,001 same-named callbacks that all changed, in line order past the alignment limit', () => {
    const callbacks = (cyclomatic: number) =>
      Array.from(
        { length: 1001 },
        (_, i) =>
          `on('e${i}', (x${i}: string) => {\n${branches(`x${i}`, cyclomatic - 1, `c${i}`, '  ')}\n  return ${cyclomatic};\n});`,
      ).join('\n');
    const delta = deltaOf(callbacks(10), callbacks(11));
    const worsened = delta.introduced.filter((s) => s.kind === SmellKind.complexMethod);
    expect(worsened).toHaveLength(1001);
    expect(worsened.every((s) => s.was === 10 && s.measured === 11)).toBe(true);
    expect(delta.fixed).toEqual([]);
  });
});
