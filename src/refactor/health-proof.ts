// CONTRACT STUB (owner r-apply)
import type { HealthThresholds } from '../health/thresholds.ts';
import type { HealthComparison, RefactorTarget } from './types.ts';

export function compareHealth(
  path: string,
  before: string,
  after: string,
  target: RefactorTarget,
  thresholds: HealthThresholds,
  minHealthGain: number,
): { ok: boolean; detail: string; comparison: HealthComparison } {
  void [path, before, after, target, thresholds, minHealthGain];
  throw new Error('not integrated');
}
