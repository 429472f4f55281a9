// CONTRACT STUB (owner r-apply)
import type { HealthThresholds } from '../health/thresholds.ts';
import type { HealthComparison, RefactorTarget } from './types.ts';

export function compareHealth(
  _path: string,
  _before: string,
  _after: string,
  _target: RefactorTarget,
  _thresholds: HealthThresholds,
  _minHealthGain: number,
): { ok: boolean; detail: string; comparison: HealthComparison } {
  throw new Error('not integrated');
}
