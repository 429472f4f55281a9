/**
 * The data code health passes between its parts: what a file's analysis measured, the smells it
 * has and its health. `steward health --format json` and the hotspots report print these (README.md);
 * keep field names stable.
 */

/** Metrics of one function-like node (declaration, method, arrow, function expression, accessor, constructor). */
export interface FunctionMetrics {
  /** Declared name, or what it is assigned to (`const f = () => …` → "f", `obj.m = function…` → "m", class member → "Class.member"); "<anonymous>" otherwise. */
  name: string;
  /**
   * The names of the enclosing functions, outermost first, then its own, joined by " > "
   * (`makeParser > Parser.parse`, `<anonymous> > <anonymous>` for a callback in a callback): what
   * tells apart functions of the same name when a health delta pairs the two revisions' functions.
   * Absent in analyses made before it existed.
   */
  qualifiedName?: string;
  /**
   * A 64-bit similarity hash (16 hex digits) of the function's normalised lines: equal when the
   * body is the same wherever it moved, a few bits apart when a few lines changed (see
   * bodyFingerprint). Absent in analyses made before it existed.
   */
  fingerprint?: string;
  kind:
    'function' | 'method' | 'arrow' | 'function-expression' | 'getter' | 'setter' | 'constructor';
  /** 1-based line of the function's start, and of its end. */
  line: number;
  endLine: number;
  /** As ESLint's `complexity` rule counts it (classic variant). */
  cyclomatic: number;
  /** As SonarSource's specification counts it (eslint-plugin-sonarjs `cognitive-complexity`). */
  cognitive: number;
  /** Deepest nesting of control structures (if, loops, switch, try/catch) inside the function body. */
  nesting: number;
  /** Lines from start to end, inclusive. */
  length: number;
  params: number;
  /** Separate chunks of nested conditional logic (depth ≥ 2): CodeScene's "Bumpy Road" bumps. */
  bumps: number;
  /** The largest number of `&&` / `||` / `??` operators in one branch condition, with its line. */
  complexConditional: { operators: number; line: number } | null;
}

export interface FileAnalysis {
  path: string;
  /** Non-blank, non-comment lines. */
  loc: number;
  functions: FunctionMetrics[];
  /** Syntax errors the parser reported; the file is still analysed as far as it parses. */
  syntaxErrors: { line: number; message: string }[];
  /** Hashes of normalised windows of lines, for duplication detection across and within files. */
  duplicationFingerprints?: { hash: string; line: number }[];
}

/** Why a file was not analysed: binary, too large, minified, generated, unsupported extension. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export const SmellKind = {
  complexMethod: 'Complex Method',
  largeMethod: 'Large Method',
  deepNesting: 'Deep Nesting',
  bumpyRoad: 'Bumpy Road',
  complexConditional: 'Complex Conditional',
  manyArguments: 'Many Arguments',
  largeFile: 'Large File',
  overallComplexity: 'Overall Complexity',
  codeDuplication: 'Code Duplication',
} as const;
export type SmellKind = (typeof SmellKind)[keyof typeof SmellKind];

export interface Smell {
  kind: SmellKind;
  /** The function it is in; null for file-level smells (Large File, Overall Complexity). */
  function: string | null;
  line: number;
  /** One line a developer understands: what was measured, against which threshold. */
  detail: string;
}

/** Code health 1.0–10.0 of one file and the smells that lowered it. */
export interface FileHealth {
  path: string;
  health: number;
  smells: Smell[];
  /** The analysed functions, which a health delta pairs across revisions; not part of any JSON. */
  functions?: readonly FunctionMetrics[];
}
