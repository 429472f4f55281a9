import type { SourceText, TargetMutant } from './types.ts';

/**
 * The port between test generation and the edge that runs the repository's tools on a candidate
 * test file (src/testrun): type-checking it in memory, running its test framework on it, and
 * running Stryker with it in place. The chain (chain.ts) decides; this only measures.
 *
 * Every method takes the whole test file's text as it would sit at `path` in the repository
 * (the existing tests with candidates inserted, or a new file); the edge puts it there only for
 * the run and leaves the checkout byte-identical afterwards.
 */

/** One type error, as the compiler reports it. */
export interface TypeDiagnostic {
  /** 1-based line in the test file. */
  line: number;
  /** `TS2322: Type 'string' is not assignable to type 'number'.` (no position: lines move as tests are inserted). */
  message: string;
}

export interface TypeCheckResult {
  /** Errors inside a test (`it('name', ...)`, `test.prop(...)('name', ...)`), by the test's title. */
  byTest: ReadonlyMap<string, readonly TypeDiagnostic[]>;
  /** Errors outside every test: imports, helpers, the describe blocks. */
  fileErrors: readonly TypeDiagnostic[];
}

export type TestOutcome =
  | { status: 'passed' }
  | {
      status: 'failed';
      /** `assertion`: an expectation did not hold (AssertionError); `exception`: anything else threw. */
      failure: 'assertion' | 'exception';
      /** The failure's message (first lines, no stack). */
      message: string;
    };

export interface RunOptions {
  /** Titles of the tests to run (`it(...)`'s first argument); the file's other tests do not run. */
  names: readonly string[];
  /** Run the tests in random order. */
  shuffle: boolean;
  /** Seed of the order and of fast-check's runs (a fresh one per run makes them differ). */
  seed: number;
}

export type RunResult =
  | {
      kind: 'ran';
      /** By title; a name absent here did not run (not found, skipped). */
      tests: ReadonlyMap<string, TestOutcome>;
    }
  /** The file could not run at all (it does not load, the run timed out, no supported framework). */
  | { kind: 'failed'; message: string };

/** A target's lines and the mutants on them that no test killed before. */
export interface MutantTarget {
  /** Repository-relative path of the source file. */
  path: string;
  startLine: number;
  endLine: number;
  mutants: readonly TargetMutant[];
}

/** What one test did to the mutants of the targets, by `TargetMutant.id`. */
export interface TestMutantEffect {
  /** Mutants (Survived or NoCoverage before) this test kills. */
  kills: readonly string[];
  /** NoCoverage mutants this test now covers (killed or not). */
  covers: readonly string[];
}

export type MutantsKilledResult =
  | { kind: 'measured'; byTest: ReadonlyMap<string, TestMutantEffect> }
  | { kind: 'failed'; message: string };

export interface TestRunPort {
  typeCheck(file: SourceText): Promise<TypeCheckResult>;
  run(file: SourceText, options: RunOptions): Promise<RunResult>;
  /** One mutation run over every target's lines with the file in place; effects for `names`. */
  mutantsKilled(
    file: SourceText,
    targets: readonly MutantTarget[],
    names: readonly string[],
  ): Promise<MutantsKilledResult>;
}
