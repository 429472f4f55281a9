import type { MutationTestResult } from 'mutation-testing-report-schema';

/**
 * The port between the mutation capability and the Stryker edge (src/stryker): the core says which
 * lines to mutate and reads back a report in the official schema; it never imports Stryker.
 */

/** Lines `startLine`..`endLine` (1-based, inclusive) of `path`, relative to the repository root. */
export interface MutateRange {
  path: string;
  startLine: number;
  endLine: number;
}

export interface MutationProgress {
  /** Mutants whose result is known so far (tested in this run). */
  tested: number;
  /** Mutants this run will test (after incremental reuse); undefined until Stryker has planned. */
  total: number | undefined;
}

export interface MutationRunRequest {
  /** The repository directory: Stryker runs there, with the repository's own Stryker and config. */
  root: string;
  ranges: readonly MutateRange[];
  /** Stryker's incremental file (relative to `root` or absolute): results of a previous run are reused for unchanged mutants. */
  incrementalFile?: string | undefined;
  /** Where Stryker writes its HTML report (relative to `root` or absolute); none when absent. */
  htmlReportFile?: string | undefined;
  /** Arid call patterns whose arguments are never mutated, beside the built-in logging ones: `console.*`, `logger.debug`, `track`. */
  ignoreCalls?: readonly string[] | undefined;
  /** After this, Stryker is interrupted and what it tested so far is reported as partial. */
  timeoutMs?: number | undefined;
  /** Aborting interrupts Stryker like the timeout does: what it tested so far is reported as partial. */
  signal?: AbortSignal | undefined;
  /**
   * Run every test in the dry run, not only those that import the mutated files: code no test
   * imports yet then has NoCoverage mutants instead of a run that finds no tests (Stryker's
   * `vitest.related` and `jest.enableFindRelatedTests` off). Test generation's baseline sets it:
   * new code no test reaches is what it writes tests for.
   */
  allTests?: boolean | undefined;
  /**
   * Setup files Stryker's jest runner runs instead of the config's `setupFiles` (`<rootDir>/…` is
   * the sandbox's): how the TestRunPort seeds fast-check inside jest's test contexts. Ignored for
   * other runners.
   */
  jestSetupFiles?: readonly string[] | undefined;
  /**
   * Variables the repository's tests need. Nothing else of Steward's environment reaches Stryker
   * and the tests (the pull request's code): no tokens, no keys.
   */
  env?: Readonly<Record<string, string>> | undefined;
  /** Worker processes; default from the machine's cores. */
  concurrency?: number | undefined;
  onProgress?: ((progress: MutationProgress) => void) | undefined;
}

export type MutationRunOutcome =
  | {
      kind: 'report';
      report: MutationTestResult;
      /** True when Stryker stopped before testing every mutant (timeout, crash): the report holds what was tested. */
      partial: boolean;
      reason?: string | undefined;
      /** Wall time of the Stryker process. */
      strykerMs: number;
      /** Mutants Stryker ran tests for in this run. */
      mutantsTested: number;
      /** Mutants decided without a test run: reused from the incremental file, ignored, or without coverage. */
      mutantsNotRun: number;
      /** Set when Steward installed (or reused) its own Stryker because the repository has none: the faces print it. */
      notice?: string | undefined;
    }
  | {
      /** The test suite fails before anything is mutated: no score can be computed. */
      kind: 'dry-run-failed';
      failingTests: string[];
      message: string;
      /** Set when Steward installed (or reused) its own Stryker because the repository has none: the faces print it. */
      notice?: string | undefined;
    }
  | {
      /** Stryker could not start: missing Stryker or test runner plugin, unreadable config. */
      kind: 'setup-failed';
      message: string;
      /** What to do about it, e.g. the package to add. */
      hint: string;
    }
  | {
      /** Stryker stopped without writing any result. */
      kind: 'crashed';
      message: string;
      /** The tail of Stryker's log. */
      log: string;
      /** Set when Steward installed (or reused) its own Stryker because the repository has none: the faces print it. */
      notice?: string | undefined;
    };

export interface MutationRunner {
  run(request: MutationRunRequest): Promise<MutationRunOutcome>;
}
