import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FilePlacement } from '../../src/testgen/chain.ts';
import type { TestCandidate, TestTarget } from '../../src/testgen/types.ts';
import { MATH_TEST_TS, createFixture, type Fixture } from '../stryker/fixture.ts';

/**
 * The fixture project for the chain's edge: the mutation fixture (src/math.ts, whose
 * `age >= 18` on line 7 survives its tests) plus a module with a real bug and a tsconfig for the
 * tests. Candidates are inserted by appending (the real insertion is by AST, elsewhere).
 */
export const DISCOUNT_TS = `/** The price after \`percent\` percent off. */
export function percentOff(price: number, percent: number): number {
  return price - (price * percent) / 10;
}
`;

export const TEST_TSCONFIG = JSON.stringify({
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  },
  include: ['**/*.ts'],
});

export function createChainFixture(): Fixture {
  return createFixture({
    files: { 'src/discount.ts': DISCOUNT_TS, 'test/tsconfig.json': TEST_TSCONFIG },
  });
}

export const TEST_PATH = 'test/math.test.ts';

/**
 * The existing test file with the candidates' imports on top and their code at the end (the
 * file already imports `add` and `isAdult`; the real insertion merges imports).
 */
export const appendPlacement: FilePlacement = {
  path: TEST_PATH,
  build(candidates: readonly TestCandidate[]): string {
    const imports = [...new Set(candidates.flatMap((c) => c.imports))];
    return [...imports, MATH_TEST_TS, ...candidates.map((c) => c.code)].join('\n');
  },
};

export function candidate(
  name: string,
  code: string,
  options: { imports?: string[]; target?: string; kind?: 'example' | 'property' } = {},
): TestCandidate {
  return {
    name,
    code,
    imports: options.imports ?? [],
    target: options.target ?? 'isAdult',
    kind: options.kind ?? 'example',
    origin: 'model',
  };
}

/** Every file of the checkout but node_modules, with its bytes: what "left as it was" compares. */
export function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (dir === root && name === 'node_modules') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(path.slice(root.length + 1), readFileSync(path).toString('base64'));
    }
  };
  walk(root);
  return files;
}

/** isAdult, lines 5-8 of the fixture's src/math.ts: `age >= 18` → `age > 18` survives its tests. */
export const IS_ADULT: TestTarget = {
  path: 'src/math.ts',
  name: 'isAdult',
  startLine: 5,
  endLine: 8,
  exported: true,
  changedLines: [7],
  uncoveredLines: [],
  survivingMutants: [
    {
      id: '7',
      mutator: 'EqualityOperator',
      line: 7,
      original: 'age >= 18',
      replacement: 'age > 18',
      status: 'Survived',
    },
  ],
};

export const PERCENT_OFF: TestTarget = {
  path: 'src/discount.ts',
  name: 'percentOff',
  startLine: 2,
  endLine: 4,
  exported: true,
  changedLines: [3],
  uncoveredLines: [3],
  survivingMutants: [],
};

/** double, lines 10-12: no test calls it, so its `n * 2` → `n / 2` mutant has no coverage. */
export const DOUBLE: TestTarget = {
  path: 'src/math.ts',
  name: 'double',
  startLine: 10,
  endLine: 12,
  exported: true,
  changedLines: [11],
  uncoveredLines: [11],
  survivingMutants: [
    {
      id: '11',
      mutator: 'ArithmeticOperator',
      line: 11,
      original: 'n * 2',
      replacement: 'n / 2',
      status: 'NoCoverage',
    },
  ],
};

const IMPORT_DISCOUNT = "import { percentOff } from '../src/discount.ts';";

/** fast-check draws a child's age (< 18) with seeds 2, 3 and 4 and an adult's with 5: the property passes, then fails on the third rerun. */
export const FLAKY_SEEDS: readonly number[] = [2, 3, 4, 5, 6, 7];

/** A candidate of each kind the issue names, in the fixture's test file. */
export const ONE_OF_EACH: readonly TestCandidate[] = [
  candidate('adds strings', `test('adds strings', () => {\n  expect(add('1', 2)).toBe(3);\n});`, {
    target: 'add',
  }),
  candidate(
    'parses the answer',
    `test('parses the answer', () => {\n  expect(JSON.parse('not json')).toEqual({});\n});`,
  ),
  candidate(
    'is a child below 41',
    `test('is a child below 41', () => {\n  fc.assert(\n    fc.property(fc.integer({ min: 0, max: 40 }), (age) => {\n      expect(isAdult(age)).toBe(false);\n    }),\n    { numRuns: 1 },\n  );\n});`,
    { imports: ["import fc from 'fast-check';"], kind: 'property' },
  ),
  candidate('adds without looking', `test('adds without looking', () => {\n  add(1, 2);\n});`),
  candidate(
    'is adult at 18',
    `test('is adult at 18', () => {\n  expect(isAdult(18)).toBe(true);\n});`,
  ),
  candidate('doubles', `test('doubles', () => {\n  expect(double(4)).toBe(8);\n});`, {
    imports: ["import { double } from '../src/math.ts';"],
    target: 'double',
  }),
  candidate(
    'takes 10% off',
    `test('takes 10% off', () => {\n  expect(percentOff(200, 10)).toBe(180);\n});`,
    { imports: [IMPORT_DISCOUNT], target: 'percentOff' },
  ),
];

/** The fixture's test file for jest: the same tests, jest's globals imported as typed TS projects do. */
export const JEST_MATH_TEST_TS = MATH_TEST_TS.replace(
  "import { expect, test } from 'vitest';",
  "import { expect, test } from '@jest/globals';",
);

/** Babel as TypeScript jest projects commonly set it up for babel-jest (jest's default transform). */
export const JEST_BABEL_CONFIG = `module.exports = {
  presets: ['@babel/preset-typescript'],
  plugins: ['@babel/plugin-transform-modules-commonjs'],
};
`;

/** The config's own setup file (a run that adds Steward's must keep it) and paths it ignores. */
export const JEST_CONFIG = `module.exports = {
  setupFiles: ['<rootDir>/test/setup.cjs'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/'],
};
`;

/**
 * The chain fixture as a TypeScript jest project (babel-jest with the TypeScript preset). Its
 * node_modules has no Stryker (the worktree's is 10.1.1, and @stryker-mutator/jest-runner has no
 * release past 10.0.0, whose peer is core 10.0.0): runs install Steward's pinned jest set into a
 * tool directory, as for a jest repository without Stryker.
 */
export function createJestChainFixture(options: { worktreeStryker?: boolean } = {}): Fixture {
  return createFixture({
    // worktreeStryker: the worktree's node_modules whole, its Stryker 10.1.1 without a jest runner.
    withoutStryker: options.worktreeStryker !== true,
    files: {
      'package.json': JSON.stringify({
        name: 'jest-fixture',
        private: true,
        devDependencies: { jest: '*', 'fast-check': '*' },
      }),
      'babel.config.cjs': JEST_BABEL_CONFIG,
      'jest.config.cjs': JEST_CONFIG,
      'test/setup.cjs': 'globalThis.fixtureSetup = true;\n',
      'test/math.test.ts': JEST_MATH_TEST_TS,
      'src/discount.ts': DISCOUNT_TS,
      'test/tsconfig.json': TEST_TSCONFIG,
    },
  });
}

/** The existing jest test file with the candidates appended (see appendPlacement). */
export const appendJestPlacement: FilePlacement = {
  path: TEST_PATH,
  build(candidates: readonly TestCandidate[]): string {
    const imports = [...new Set(candidates.flatMap((c) => c.imports))];
    return [...imports, JEST_MATH_TEST_TS, ...candidates.map((c) => c.code)].join('\n');
  },
};
