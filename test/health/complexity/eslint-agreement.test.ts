import { globSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithReference } from './compare.ts';

/**
 * Real-world files from installed packages (all in package-lock.json), TypeScript sources and
 * JavaScript of several styles (ESLint's own rules, bundles, CommonJS, ESM). From each glob's
 * sorted matches, `take` files spread evenly across the list.
 *
 * Every function must get exactly ESLint's `complexity` (classic) and sonarjs's
 * `cognitive-complexity` numbers. There are no known differences in the numbers; the one
 * difference in coverage is that ESLint also reports class field initialisers and static blocks
 * as implicit functions, which `FunctionMetrics` has no kind for (their code counts toward no
 * function's cyclomatic complexity, as in ESLint).
 */
const CORPUS: { glob: string; take: number }[] = [
  { glob: 'node_modules/zod/src/v4/core/*.ts', take: 10 },
  { glob: 'node_modules/zod/src/v3/*.ts', take: 2 },
  { glob: 'node_modules/rxjs/src/internal/**/*.ts', take: 10 },
  { glob: 'node_modules/@anthropic-ai/sdk/src/**/*.ts', take: 8 },
  { glob: 'node_modules/@grpc/grpc-js/src/*.ts', take: 8 },
  { glob: 'node_modules/ajv/lib/**/*.ts', take: 5 },
  { glob: 'node_modules/@stryker-mutator/core/src/**/*.ts', take: 4 },
  { glob: 'node_modules/@eslint/*/dist/cjs/types.cts', take: 1 },
  { glob: 'node_modules/eslint/lib/rules/*.js', take: 10 },
  { glob: 'node_modules/eslint/lib/linter/code-path-analysis/*.js', take: 2 },
  { glob: 'node_modules/yaml/dist/**/*.js', take: 8 },
  { glob: 'node_modules/semver/{classes,functions,ranges}/*.js', take: 3 },
  { glob: 'node_modules/picomatch/lib/*.js', take: 3 },
  { glob: 'node_modules/@octokit/*/dist-src/**/*.js', take: 4 },
  { glob: 'node_modules/espree/dist/espree.cjs', take: 1 },
  { glob: 'node_modules/magic-string/dist/index.mjs', take: 1 },
];

function corpus(): string[] {
  return CORPUS.flatMap(({ glob, take }) => {
    const matches = globSync(glob)
      .filter((path) => !/\.d\.[cm]?ts$/.test(path))
      .sort();
    if (matches.length === 0) throw new Error(`corpus glob ${glob} matched nothing: run npm ci`);
    const step = matches.length / Math.min(take, matches.length);
    return Array.from(
      { length: Math.min(take, matches.length) },
      (_, i) => matches[Math.floor(i * step)]!,
    );
  });
}

describe('agreement with ESLint and eslint-plugin-sonarjs on real files', () => {
  it('gives every function the cyclomatic and cognitive complexity the rules report', () => {
    const files = corpus();
    let functions = 0;
    let implicitFunctions = 0;
    const mismatches: string[] = [];
    for (const path of files) {
      const comparison = compareWithReference(path, readFileSync(path, 'utf8'));
      functions += comparison.functions;
      implicitFunctions += comparison.implicitFunctions;
      mismatches.push(...comparison.mismatches);
    }
    expect(mismatches).toEqual([]);
    // Guards against a corpus that silently shrank.
    expect(files.length).toBeGreaterThanOrEqual(80);
    expect(functions).toBeGreaterThan(1200);
    console.log(
      `complexity agreement: ${files.length} files, ${functions} functions equal to ESLint and ` +
        `sonarjs; ${implicitFunctions} field initialisers / static blocks not functions to us`,
    );
  });
});
