import type { TestFramework } from '../types.ts';

/**
 * Renders one property as test source for the project's framework: `fc.assert(fc.property(...))`
 * inside one `it`, with `fc` from `@fast-check/vitest` under vitest and from fast-check otherwise.
 * A plain `it` is what every test file of the framework already binds, so the test goes into any
 * of them (fast-check's `test.prop` would clash with the `test` a file imports from vitest).
 * Every property carries a pinned seed, so a failure replays.
 */

/** Runs per property. */
export const NUM_RUNS = 100;

/** Names the generated code itself binds or imports; a target with one of them is skipped. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'fc',
  'expect',
  'assert',
  'it',
  'test',
  'describe',
]);

/** How a property's body asserts, per framework. */
export interface Assertions {
  deepEqual(actual: string, expected: string): string;
  isTrue(condition: string): string;
}

const EXPECT: Assertions = {
  deepEqual: (actual, expected) => `expect(${actual}).toEqual(${expected});`,
  isTrue: (condition) => `expect(${condition}).toBe(true);`,
};

const NODE_ASSERT: Assertions = {
  deepEqual: (actual, expected) => `assert.deepStrictEqual(${actual}, ${expected});`,
  isTrue: (condition) => `assert.ok(${condition});`,
};

export const assertionsFor = (framework: TestFramework): Assertions =>
  framework === 'node:test' ? NODE_ASSERT : EXPECT;

/** A property ready to render. */
export interface PropertySource {
  title: string;
  arbitraries: string[];
  parameters: string[];
  /** Statements of the property's body. */
  body: string[];
  async: boolean;
  seed: number;
}

/** A module specifier as a single-quoted string literal. */
export const quote = (text: string): string =>
  `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r')}'`;

/** The import declarations the framework's property tests need (the target's come apart). */
export function frameworkImports(framework: TestFramework): string[] {
  if (framework === 'vitest')
    return ["import { fc } from '@fast-check/vitest';", "import { expect, it } from 'vitest';"];
  if (framework === 'jest') return ["import * as fc from 'fast-check';"];
  return [
    "import * as fc from 'fast-check';",
    "import { it } from 'node:test';",
    "import assert from 'node:assert/strict';",
  ];
}

const indent = (lines: string[], by: string): string[] => lines.map((l) => (l ? `${by}${l}` : l));

/** The test's source: one `it(...)` call asserting the property. */
export function renderProperty(property: PropertySource): string {
  const title = JSON.stringify(property.title);
  const params = property.parameters.join(', ');
  const run = `{ seed: ${property.seed}, numRuns: ${NUM_RUNS} }`;
  const asyncWord = property.async ? 'async ' : '';
  const prop = property.async ? 'fc.asyncProperty' : 'fc.property';
  return [
    `it(${title}, ${asyncWord}() => {`,
    `  ${property.async ? 'await ' : ''}fc.assert(`,
    `    ${prop}(${[...property.arbitraries, `${asyncWord}(${params}) => {`].join(', ')}`,
    ...indent(property.body, '      '),
    '    }),',
    `    ${run},`,
    '  );',
    '});',
  ].join('\n');
}

/** A 32-bit seed from text (FNV-1a), so a property's seed is the same on every run. */
export function seedFor(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
