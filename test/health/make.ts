import type { FileAnalysis, FunctionMetrics } from '../../src/health/types.ts';

/** A function with no smell at the default thresholds; override what the test is about. */
export function fn(overrides: Partial<FunctionMetrics> = {}): FunctionMetrics {
  const line = overrides.line ?? 1;
  const length = overrides.length ?? 10;
  return {
    name: 'f',
    kind: 'function',
    line,
    endLine: line + length - 1,
    cyclomatic: 1,
    cognitive: 0,
    nesting: 0,
    length,
    params: 0,
    bumps: 0,
    complexConditional: null,
    ...overrides,
  };
}

export function file(
  functions: FunctionMetrics[] = [],
  overrides: Partial<FileAnalysis> = {},
): FileAnalysis {
  return { path: 'src/a.ts', loc: 100, functions, syntaxErrors: [], ...overrides };
}

/** Fingerprints of consecutive windows, one per hash, starting at `line` one line apart. */
export function fingerprints(hashes: string[], line = 1): { hash: string; line: number }[] {
  return hashes.map((hash, index) => ({ hash, line: line + index }));
}

/** `count` distinct hashes with a prefix, for windows that are not duplicated. */
export function unique(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index}`);
}
