import type { TargetContext } from '../../src/testgen/types.ts';

/** A target as the context stage gives it: a small vitest project's `parseCount`, one mutant alive. */
export function targetContext(overrides: Partial<TargetContext> = {}): TargetContext {
  return {
    target: {
      path: 'src/args.ts',
      name: 'parseCount',
      startLine: 3,
      endLine: 8,
      exported: true,
      changedLines: [5],
      uncoveredLines: [],
      survivingMutants: [
        {
          id: '12',
          mutator: 'ConditionalExpression',
          line: 5,
          original: 'n < 0',
          replacement: 'false',
          status: 'Survived',
        },
      ],
    },
    framework: 'vitest',
    source: [
      'export function parseCount(text: string): number {',
      '  const n = Number.parseInt(text, 10);',
      "  if (n < 0) throw new RangeError('count must not be negative');",
      '  return n;',
      '}',
    ].join('\n'),
    declarations: [],
    existingTest: {
      path: 'test/args.test.ts',
      text: [
        "import { describe, expect, it } from 'vitest';",
        "import { parseCount } from '../src/args.ts';",
        '',
        "describe('parseCount', () => {",
        "  it('reads a number', () => {",
        "    expect(parseCount('3')).toBe(3);",
        '  });',
        '});',
      ].join('\n'),
    },
    testPath: 'test/args.test.ts',
    importPath: '../src/args.ts',
    ...overrides,
  };
}

export const exampleTest = {
  name: 'rejects a negative count',
  code: "it('rejects a negative count', () => {\n  expect(() => parseCount('-1')).toThrow(RangeError);\n});",
  imports: ["import { parseCount } from '../src/args.ts';", "import { expect, it } from 'vitest';"],
  target: 'parseCount',
  kind: 'example',
};

export const propertyTest = {
  name: 'reads back every non-negative integer',
  code: "test.prop([fc.nat()], { seed: 42 })('reads back every non-negative integer', (n) => {\n  expect(parseCount(String(n))).toBe(n);\n});",
  imports: [
    "import { fc, test } from '@fast-check/vitest';",
    "import { expect } from 'vitest';",
    "import { parseCount } from '../src/args.ts';",
  ],
  target: 'parseCount',
  kind: 'property',
};
