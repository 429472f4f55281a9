import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MutationRunner } from '../mutation/runner.ts';
import { createStrykerRunner } from '../stryker/runner.ts';
import type { TestRunPort } from '../testgen/test-runner.ts';
import type { TestFramework } from '../testgen/types.ts';
import { createJestRunner, type MutationSeeding } from './jest.ts';
import { measureMutants, titleSeparator } from './mutants.ts';
import { withFileInPlace } from './placement.ts';
import { createTypeCheckProcess } from './typecheck.ts';
import { FAST_CHECK_SEED_ENV, fastCheckPreload, runVitest } from './vitest.ts';

/**
 * The TestRunPort over a repository checkout: the candidate file is type-checked in memory, and
 * put in place (restored byte for byte after) only while vitest or jest, or Stryker, runs it.
 */

export interface TestRunPortOptions {
  /** The repository checkout, its dependencies installed. */
  root: string;
  framework: TestFramework;
  /** Variables the repository's tests need; nothing else of Steward's environment reaches them. */
  env?: Readonly<Record<string, string>>;
  /** One test run (all its processes killed after); 10 minutes by default. */
  runTimeoutMs?: number;
  /** One Stryker run; 30 minutes by default. */
  mutationTimeoutMs?: number;
  /** Stryker; `createStrykerRunner()` by default. */
  mutationRunner?: MutationRunner;
  concurrency?: number;
}

/** The fast-check seed under Stryker: fixed, so a property's title is the same in every mutant run. */
const MUTATION_SEED = 42;

function unsupported(framework: TestFramework): string {
  return `${framework} is not supported yet: Steward runs candidate tests with vitest or jest only (the test file, named tests, shuffled order); use one of them or wait for ${framework} support`;
}

export interface RepositoryTestRunPort extends TestRunPort {
  /** Stops the type-check process (it never keeps Steward alive, but holds memory while idle). */
  close(): void;
}

export function createTestRunPort(options: TestRunPortOptions): RepositoryTestRunPort {
  const { root, framework } = options;
  const env = options.env ?? {};
  const runTimeoutMs = options.runTimeoutMs ?? 10 * 60_000;
  const typeChecker = createTypeCheckProcess({ root, env, timeoutMs: runTimeoutMs });
  const jest = createJestRunner({ root, env, timeoutMs: runTimeoutMs });
  /**
   * What seeds fast-check in the tests under Stryker, with files written into `work`: for vitest
   * a preload in every process; under jest the tests run in VM contexts, out of a preload's reach,
   * so the jest runner gets a setup file.
   */
  const fastCheckUnderStryker = async (
    work: string,
    path: string,
  ): Promise<MutationSeeding | { problem: string }> => {
    if (framework === 'jest') return jest.mutationEnv(work, path, MUTATION_SEED);
    const preload = fastCheckPreload(root, work);
    return {
      env:
        preload === undefined
          ? {}
          : {
              NODE_OPTIONS: `--import=${pathToFileURL(preload).href}`,
              [FAST_CHECK_SEED_ENV]: String(MUTATION_SEED),
            },
    };
  };
  return {
    typeCheck: (file) => typeChecker.check(file),
    close: () => typeChecker.close(),
    async run(file, runOptions) {
      if (framework === 'vitest') {
        return withFileInPlace(root, file, () =>
          runVitest({ root, path: file.path, ...runOptions, timeoutMs: runTimeoutMs, env }),
        );
      }
      if (framework !== 'jest') return { kind: 'failed', message: unsupported(framework) };
      return withFileInPlace(root, file, () => jest.run(file.path, runOptions));
    },
    async mutantsKilled(file, targets, names) {
      if (framework === 'node:test') return { kind: 'failed', message: unsupported(framework) };
      const runner = options.mutationRunner ?? createStrykerRunner();
      const work = mkdtempSync(join(tmpdir(), 'steward-testrun-'));
      try {
        const seeding = await fastCheckUnderStryker(work, file.path);
        if ('problem' in seeding) return { kind: 'failed', message: seeding.problem };
        return await withFileInPlace(root, file, () =>
          measureMutants({
            root,
            runner,
            targets,
            names,
            env: { ...env, ...seeding.env },
            ...(seeding.jestSetupFiles === undefined
              ? {}
              : { jestSetupFiles: seeding.jestSetupFiles }),
            timeoutMs: options.mutationTimeoutMs ?? 30 * 60_000,
            concurrency: options.concurrency,
            separator: titleSeparator(framework),
          }),
        );
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  };
}
