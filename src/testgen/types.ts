/**
 * The shapes test generation passes between its stages: targets found from the diff, the context
 * the model (or the offline generator) sees, the candidates they propose, and what the filter chain
 * decided about each. Plain data, so each stage is a function of the one before.
 */

/** The test frameworks Steward writes tests for, detected from the project. */
export type TestFramework = 'vitest' | 'jest' | 'node:test';

/** A mutant that survived on a target's lines, as the mutation report gives it. */
export interface TargetMutant {
  /** Stryker's mutant id in the report the target was ranked from. */
  id: string;
  mutator: string;
  /** 1-based line of the mutant's start. */
  line: number;
  original: string;
  replacement: string;
  /** Survived or NoCoverage. */
  status: 'Survived' | 'NoCoverage';
}

/** A function or method whose lines the change touched. */
export interface TestTarget {
  /** Repository-relative path of the source file. */
  path: string;
  /** `parseOptions`, or `Parser.parse` for a method; `default` for an anonymous default export. */
  name: string;
  /** 1-based, inclusive: the declaration's lines in the head revision. */
  startLine: number;
  endLine: number;
  /** Whether a test can import it (exported from its module, or a method of an exported class). */
  exported: boolean;
  /** The changed lines inside the target. */
  changedLines: number[];
  /** Changed lines no test covered (from the mutation report's NoCoverage mutants or coverage). */
  uncoveredLines: number[];
  survivingMutants: TargetMutant[];
}

/** A source file's text as the stages see it (the head revision's, or a candidate file's). */
export interface SourceText {
  path: string;
  text: string;
}

/** What a candidate is written against: small and exact, never whole files beyond the target's. */
export interface TargetContext {
  target: TestTarget;
  framework: TestFramework;
  /** The target's own source text. */
  source: string;
  /** Signatures and type declarations the target uses (not their bodies), as source text. */
  declarations: string[];
  /** The existing test file for the module (or a nearby one, for style), or null when none. */
  existingTest: SourceText | null;
  /** Where new tests for this target go: the existing test file's path, or a new file's. */
  testPath: string;
  /** The module specifier the test file imports the target's module by (`../src/args.ts`). */
  importPath: string;
}

/** One proposed test, from the model's `propose_tests` tool or the offline generator. */
export interface TestCandidate {
  /** The test's title, as it will appear in `it(...)`. */
  name: string;
  /** The test's body: one `it`/`test` call (or `test.prop` for a property), as source text. */
  code: string;
  /** Import declarations the code needs, as source text (`import { x } from '../src/a.ts';`). */
  imports: string[];
  /** `TestTarget.name` of the function it tests. */
  target: string;
  kind: 'example' | 'property';
  origin: 'model' | 'offline';
}

/** The stages of the filter chain, in order. A candidate leaves at the first it fails. */
export const CHAIN_STAGES = ['type-check', 'pass', 'stable', 'adds-value'] as const;
export type ChainStage = (typeof CHAIN_STAGES)[number];

/** What the chain decided about one candidate. */
export type CandidateVerdict =
  | {
      kind: 'kept';
      /** Ids of surviving mutants the test kills. */
      kills: string[];
      /** Changed lines no test covered before, that it covers. */
      covers: number[];
    }
  | { kind: 'dropped'; stage: ChainStage; reason: string }
  /** It fails the pull request's code deterministically on an assertion: reported, never committed. */
  | { kind: 'possible-bug'; assertion: string };

/** The funnel, every stage counted: candidates → type-checks → passes → stable → adds value → kept. */
export interface Funnel {
  candidates: number;
  typeChecks: number;
  passes: number;
  stable: number;
  addsValue: number;
  kept: number;
  possibleBugs: number;
}
