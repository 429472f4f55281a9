import { SmellKind } from './types.ts';
import type { FileAnalysis, FunctionMetrics, Smell } from './types.ts';
import type { DuplicateBlock } from './duplication.ts';
import type { HealthThresholds } from './thresholds.ts';
import { counted } from './words.ts';

/**
 * A smell with the number behind it, so the health score can weigh how far past the bound it is
 * and a health delta can tell a smell that got worse from one that stayed. `bound` is the
 * threshold or limit it was measured against (see HealthThresholds).
 */
export interface MeasuredSmell extends Smell {
  measured: number;
  bound: number;
  /**
   * The index in the file's `functions` of the function it is in, which a health delta pairs
   * across revisions (names repeat: several `parse` methods, anonymous callbacks); null for
   * file-level smells and duplicated blocks outside any function.
   */
  owner: number | null;
}

/** The order smells of one line are listed in: the order of SmellKind. */
const KIND_ORDER: readonly SmellKind[] = Object.values(SmellKind);

function smell(
  kind: SmellKind,
  fn: { metrics: FunctionMetrics; index: number } | null,
  line: number,
  measured: number,
  bound: number,
  detail: string,
): MeasuredSmell {
  return {
    kind,
    function: fn?.metrics.name ?? null,
    line,
    detail,
    measured,
    bound,
    owner: fn?.index ?? null,
  };
}

/** One function-level smell: what it measures, against which bound, and how it reads. */
interface FunctionCheck {
  kind: SmellKind;
  /** undefined when the function has nothing to measure (no compound condition). */
  measure(fn: FunctionMetrics): number | undefined;
  bound(t: HealthThresholds, fn: FunctionMetrics): number;
  /** A threshold is reached at its value; a limit only when the value is above it. */
  bounding: 'threshold' | 'limit';
  /** The line it points at: the function's start unless said otherwise. */
  line?(fn: FunctionMetrics): number;
  describe(measured: number, fn: FunctionMetrics): string;
}

const FUNCTION_CHECKS: readonly FunctionCheck[] = [
  {
    kind: SmellKind.complexMethod,
    measure: (fn) => fn.cyclomatic,
    bound: (t) => t.complexMethod,
    bounding: 'threshold',
    describe: (n) => `cyclomatic complexity ${n}`,
  },
  {
    kind: SmellKind.largeMethod,
    measure: (fn) => fn.length,
    bound: (t) => t.largeMethod,
    bounding: 'limit',
    describe: (n) => `${n} lines`,
  },
  {
    kind: SmellKind.deepNesting,
    measure: (fn) => fn.nesting,
    bound: (t) => t.deepNesting,
    bounding: 'threshold',
    describe: (n) => `nesting depth ${n}`,
  },
  {
    kind: SmellKind.bumpyRoad,
    measure: (fn) => fn.bumps,
    bound: (t) => t.bumpyRoad,
    bounding: 'threshold',
    describe: (n) => `${n} separate blocks of nested conditionals`,
  },
  {
    kind: SmellKind.complexConditional,
    measure: (fn) => fn.complexConditional?.operators,
    bound: (t) => t.complexConditional,
    bounding: 'threshold',
    line: (fn) => fn.complexConditional?.line ?? fn.line,
    describe: (n) => `${n} logical operators in one condition`,
  },
  {
    kind: SmellKind.manyArguments,
    measure: (fn) => fn.params,
    bound: (t, fn) => (fn.kind === 'constructor' ? t.constructorArguments : t.manyArguments),
    bounding: 'limit',
    describe: (n, fn) => `${fn.kind === 'constructor' ? 'constructor with ' : ''}${n} parameters`,
  },
];

function functionSmells(fn: FunctionMetrics, index: number, t: HealthThresholds): MeasuredSmell[] {
  return FUNCTION_CHECKS.flatMap((check) => {
    const measured = check.measure(fn);
    const bound = check.bound(t, fn);
    if (measured === undefined) return [];
    if (check.bounding === 'threshold' ? measured < bound : measured <= bound) return [];
    const detail = `${check.describe(measured, fn)} (${check.bounding} ${bound})`;
    const line = check.line?.(fn) ?? fn.line;
    return [smell(check.kind, { metrics: fn, index }, line, measured, bound, detail)];
  });
}

function fileSmells(analysis: FileAnalysis, t: HealthThresholds): MeasuredSmell[] {
  const found: MeasuredSmell[] = [];
  if (analysis.loc > t.largeFile) {
    found.push(
      smell(
        SmellKind.largeFile,
        null,
        1,
        analysis.loc,
        t.largeFile,
        `${analysis.loc} lines of code (limit ${t.largeFile})`,
      ),
    );
  }
  const count = analysis.functions.length;
  if (count > 0) {
    const mean = analysis.functions.reduce((sum, fn) => sum + fn.cyclomatic, 0) / count;
    if (mean >= t.overallComplexity) {
      found.push(
        smell(
          SmellKind.overallComplexity,
          null,
          1,
          mean,
          t.overallComplexity,
          `mean cyclomatic complexity ${formatMean(mean)} over ${counted(count, 'function')} (threshold ${t.overallComplexity})`,
        ),
      );
    }
  }
  return found;
}

/** One decimal, never rounded up to reach a threshold the mean has not reached. */
function formatMean(mean: number): string {
  return (Math.floor(mean * 10) / 10).toFixed(1);
}

/** The innermost function whose lines contain `line`, or null at the top level of the file. */
export function functionAt(analysis: FileAnalysis, line: number): FunctionMetrics | null {
  return innermostAt(analysis, line)?.metrics ?? null;
}

function innermostAt(
  analysis: FileAnalysis,
  line: number,
): { metrics: FunctionMetrics; index: number } | null {
  let best: { metrics: FunctionMetrics; index: number } | null = null;
  for (const [index, fn] of analysis.functions.entries()) {
    if (fn.line > line || fn.endLine < line) continue;
    const span = fn.endLine - fn.line;
    if (!best || span < best.metrics.endLine - best.metrics.line) best = { metrics: fn, index };
  }
  return best;
}

const MAX_COPIES_NAMED = 2;

function duplicationSmell(
  analysis: FileAnalysis,
  block: DuplicateBlock,
  t: HealthThresholds,
): MeasuredSmell {
  const named = block.copies
    .slice(0, MAX_COPIES_NAMED)
    .map((copy) =>
      copy.path === analysis.path ? `line ${copy.line}` : `${copy.path}:${copy.line}`,
    );
  const more = block.copies.length - named.length;
  const others = more > 0 ? ` and ${counted(more, 'more place')}` : '';
  const where = named.length === 0 ? '' : `, also at ${named.join(', ')}${others}`;
  return smell(
    SmellKind.codeDuplication,
    innermostAt(analysis, block.line),
    block.line,
    block.lines,
    t.codeDuplication,
    `${block.lines} duplicated lines${where} (threshold ${t.codeDuplication})`,
  );
}

/**
 * The smells of one file: function-level smells of each function, file-level smells (Large File
 * and Overall Complexity at line 1, function null) and one Code Duplication smell per duplicated
 * block of at least `thresholds.codeDuplication` lines (see findDuplicates). Ordered by line, then
 * by kind as SmellKind lists them.
 */
export function findSmells(
  analysis: FileAnalysis,
  thresholds: HealthThresholds,
  duplicates: readonly DuplicateBlock[] = [],
): MeasuredSmell[] {
  const found = [
    ...fileSmells(analysis, thresholds),
    ...analysis.functions.flatMap((fn, index) => functionSmells(fn, index, thresholds)),
    ...duplicates
      .filter((block) => block.lines >= thresholds.codeDuplication)
      .map((block) => duplicationSmell(analysis, block, thresholds)),
  ];
  return found.sort(
    (a, b) => a.line - b.line || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind),
  );
}
