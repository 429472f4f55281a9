/**
 * Where each code-health smell starts. The defaults are CodeScene's as quoted in public configs
 * (research/hotspots.md §1.3). Two kinds of bound are mixed on purpose, because CodeScene states
 * them that way: a *threshold* is reached at the value itself (cyclomatic complexity 9 is already
 * a Complex Method), a *limit* is the most allowed (a 70-line function is fine, 71 is a Large
 * Method). Each field says which it is; the smell's explanation uses the same word.
 */
export interface HealthThresholds {
  /** Complex Method: cyclomatic complexity of a function reaches this threshold. */
  complexMethod: number;
  /** Large Method: a function has more lines than this limit. */
  largeMethod: number;
  /** Deep Nesting: the deepest nesting of control structures reaches this threshold. */
  deepNesting: number;
  /** Bumpy Road: separate chunks of nested conditionals in one function reach this threshold. */
  bumpyRoad: number;
  /** Complex Conditional: `&&` / `||` / `??` operators in one condition reach this threshold. */
  complexConditional: number;
  /** Many Arguments: a function (not a constructor) has more parameters than this limit. */
  manyArguments: number;
  /** Many Arguments: a constructor has more parameters than this limit (constructor injection). */
  constructorArguments: number;
  /** Large File: the file has more lines of code than this limit. */
  largeFile: number;
  /** Overall Complexity: the mean cyclomatic complexity of the file's functions reaches this. */
  overallComplexity: number;
  /** Code Duplication: a block duplicated elsewhere spans at least this many (normalised) lines. */
  codeDuplication: number;
}

export const DEFAULT_THRESHOLDS: Readonly<HealthThresholds> = Object.freeze({
  complexMethod: 9,
  largeMethod: 70,
  deepNesting: 4,
  bumpyRoad: 2,
  complexConditional: 2,
  manyArguments: 4,
  constructorArguments: 5,
  largeFile: 1000,
  overallComplexity: 4,
  codeDuplication: 10,
});

/** A fresh, mutable copy of the defaults. */
export function defaultThresholds(): HealthThresholds {
  return { ...DEFAULT_THRESHOLDS };
}
