import { SmellKind } from './types.ts';
import type { FileAnalysis, FileHealth, Smell } from './types.ts';
import type { DuplicateBlock } from './duplication.ts';
import { findSmells } from './smells.ts';
import type { HealthThresholds } from './thresholds.ts';

/**
 * Code health 1.0–10.0 of a file from its smells.
 *
 *   health = 1 + 9 × ∏ (1 − penalty(smell))        then cut down to one decimal
 *   penalty = weight(kind) × min(severity, 3)
 *   severity = measured ÷ bound  (at least 1; a smell without a measurement counts as 1)
 *
 * Each smell takes a share of the health that is left above 1, so penalties compound instead of
 * adding up: health can approach 1 but never reach or pass it, and a file without smells is
 * exactly 10. Severity is how far past its threshold or limit the measurement is (cyclomatic
 * complexity 18 against 9 is severity 2), capped at 3 so one measurement, however extreme, takes
 * at most 30% of the health above 1. Every penalty is positive and grows with severity, so adding
 * a smell or making one worse never raises health; cutting (not rounding) to one decimal keeps
 * that and means any smell keeps a file below 10.
 *
 * File-level smells (Large File, Overall Complexity) count once for the file; function-level
 * smells count once per function, so two complex functions cost more than one. A penalty does not
 * shrink in a bigger file: a complex method is as hard to change in a large file as in a small one,
 * and otherwise adding healthy code would hide it.
 */

/** Share of the remaining health one smell takes at severity 1, by kind. */
export const SMELL_WEIGHTS: Readonly<Record<SmellKind, number>> = Object.freeze({
  [SmellKind.complexMethod]: 0.1,
  [SmellKind.largeMethod]: 0.06,
  [SmellKind.deepNesting]: 0.1,
  [SmellKind.bumpyRoad]: 0.08,
  [SmellKind.complexConditional]: 0.05,
  [SmellKind.manyArguments]: 0.04,
  [SmellKind.largeFile]: 0.1,
  [SmellKind.overallComplexity]: 0.1,
  [SmellKind.codeDuplication]: 0.06,
});

/** Beyond three times its bound, a smell weighs no more. */
export const MAX_SEVERITY = 3;

/** How far past its bound a smell is, from 1 (at the bound) to MAX_SEVERITY. */
export function severityOf(smell: Smell): number {
  const { measured, bound } = smell as Partial<{ measured: unknown; bound: unknown }>;
  if (typeof measured !== 'number' || typeof bound !== 'number') return 1;
  // A limit of 0 (no parameters allowed) measures against 1, so 3 parameters weigh 3.
  const ratio = measured / (bound > 0 ? bound : 1);
  return Number.isFinite(ratio) ? Math.min(MAX_SEVERITY, Math.max(1, ratio)) : MAX_SEVERITY;
}

/** The share of the remaining health above 1 that this smell takes, in (0, 1). */
export function penaltyOf(smell: Smell): number {
  return SMELL_WEIGHTS[smell.kind] * severityOf(smell);
}

/** Code health 1.0–10.0 with one decimal; see the formula above. */
export function healthOf(smells: readonly Smell[]): number {
  const kept = smells.reduce((left, smell) => left * (1 - penaltyOf(smell)), 1);
  // The epsilon undoes float error (7.3 computed as 7.2999…) before cutting to one decimal.
  return Math.max(1, Math.floor((1 + 9 * kept) * 10 + 1e-9) / 10);
}

/** The smells and health of one file, the shape the report and the health delta take. */
export function assessFile(
  analysis: FileAnalysis,
  thresholds: HealthThresholds,
  duplicates: readonly DuplicateBlock[] = [],
): FileHealth {
  const smells = findSmells(analysis, thresholds, duplicates);
  return { path: analysis.path, health: healthOf(smells), smells, functions: analysis.functions };
}
