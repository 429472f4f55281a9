import type { FunctionMetrics, Smell } from '../health/types.ts';

/**
 * The shapes refactoring passes between its stages: the targets chosen from the hotspots, what the
 * model proposes for one, the proofs it must pass and what became of it. Plain data, so each stage
 * is a function of the one before and the faces render the same result.
 */

/** A function in a top hotspot file that Steward may propose to refactor. */
export interface RefactorTarget {
  /** Repository-relative path of the source file. */
  path: string;
  /** The function's name as the health analysis gives it: `parseOptions`, `Parser.parse`. */
  function: string;
  /** 1-based, inclusive lines of the function at the analysed revision. */
  line: number;
  endLine: number;
  /**
   * sha256 (first 16 hex digits) of the path, the name and the function's text with whitespace
   * collapsed: what a closed, unmerged refactoring pull request remembers as "not wanted".
   */
  fingerprint: string;
  /** 1-based rank of the file among the hotspots. */
  hotspotRank: number;
  /** Commits that changed the file in the history window. */
  revisions: number;
  /** The file's code health 1–10 before any change. */
  fileHealth: number;
  /** The function-level smells that made it a target (Complex Method, Deep Nesting, …). */
  smells: Smell[];
  metrics: FunctionMetrics;
}

/** Why a function or a target was passed over, for the report. */
export interface SkippedTarget {
  path: string;
  /** Null when a whole file was passed over. */
  function: string | null;
  reason: string;
}

/** What the model answers through `propose_refactoring`, checked by the tool's validator. */
export interface RefactorProposal {
  path: string;
  function: string;
  /** The new text of that one function (its whole declaration, with its leading comment). */
  code: string;
  /** Private helpers placed beside it: each one complete, non-exported top-level declaration. */
  helpers: string[];
  rationale: string;
  techniques: string[];
}

/** The stages a proposal is proven by, in the order they run. */
export type ProofName = 'apply' | 'health' | 'api' | 'types' | 'tests' | 'mutation';

export interface ProofStep {
  name: ProofName;
  ok: boolean;
  /** One line a reviewer reads: what was checked and what was found. */
  detail: string;
  durationMs: number;
}

/** The measures of the target before and after, for the table in the pull request. */
export interface FunctionMeasures {
  fileHealth: number;
  cognitive: number;
  cyclomatic: number;
  nesting: number;
  length: number;
  /** Smells of the function and of the file (function-level ones named by kind and function). */
  smells: Smell[];
}

export interface HealthComparison {
  before: FunctionMeasures;
  /** The function's measures after: the refactored function itself, its helpers not included. */
  after: FunctionMeasures;
}

/** The outcome of one target. */
export type TargetOutcome =
  | {
      kind: 'proven';
      target: RefactorTarget;
      proposal: RefactorProposal;
      /** The file's text before (as read) and after the refactoring. */
      before: string;
      after: string;
      health: HealthComparison;
      proofs: ProofStep[];
      /** 1 when the first proposal held, 2 when the second did. */
      attempts: number;
    }
  | {
      kind: 'skipped';
      target: RefactorTarget;
      reason: string;
      /** The proofs of the last attempt, when one got that far. */
      proofs: ProofStep[];
      attempts: number;
    };
