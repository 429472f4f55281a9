import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This worktree's node_modules: the fixture links to it from a temp dir outside any git worktree. */
const NODE_MODULES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules');

/**
 * The module under mutation. Line numbers matter to the tests:
 * line 2 `a + b` is killed by the test, line 7 `age >= 18` survives (no test at 18),
 * line 6 is an arid console.log, lines 10-12 are outside the ranges the tests pass.
 */
export const MATH_TS = `export function add(a: number, b: number): number {
  return a + b;
}

export function isAdult(age: number): boolean {
  console.log('checking age', age > 100 ? 'old' : 'young');
  return age >= 18;
}

export function double(n: number): number {
  return n * 2;
}
`;

export const MATH_TEST_TS = `import { expect, test } from 'vitest';
import { add, isAdult } from '../src/math.ts';

test('adds', () => {
  expect(add(2, 3)).toBe(5);
});

test('tells adults', () => {
  expect(isAdult(30)).toBe(true);
  expect(isAdult(5)).toBe(false);
});
`;

export interface Fixture {
  root: string;
  cleanup(): void;
}

export function createFixture(
  options: {
    files?: Record<string, string>;
    linkNodeModules?: boolean;
    /**
     * A node_modules of its own holding a link to every package of the worktree's except
     * Stryker's (`@stryker-mutator/*`): vitest and everything else resolve, Stryker does not.
     */
    withoutStryker?: boolean;
  } = {},
): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'steward-mutation-fixture-'));
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: 'fixture',
      private: true,
      type: 'module',
      devDependencies: { vitest: '*', '@stryker-mutator/core': '*' },
    }),
    'src/math.ts': MATH_TS,
    'test/math.test.ts': MATH_TEST_TS,
    ...options.files,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  if (options.withoutStryker === true) {
    mkdirSync(join(root, 'node_modules'));
    for (const name of readdirSync(NODE_MODULES)) {
      if (name === '@stryker-mutator' || name.startsWith('.')) continue;
      symlinkSync(join(NODE_MODULES, name), join(root, 'node_modules', name), 'dir');
    }
  } else if (options.linkNodeModules ?? true) {
    symlinkSync(NODE_MODULES, join(root, 'node_modules'), 'dir');
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
