// CONTRACT STUB (owner r-apply)
import type { HealthThresholds } from '../health/thresholds.ts';
import type { HealthComparison, RefactorTarget } from './types.ts';

export interface HealthProof {
  ok: boolean;
  detail: string;
  comparison: HealthComparison;
}

export function compareHealth(
  path: string,
  before: string,
  after: string,
  target: Pick<RefactorTarget, 'function' | 'line'>,
  thresholds: Readonly<HealthThresholds>,
  minHealthGain: number,
): HealthProof {
  void [path, before, after, target, thresholds, minHealthGain];
  throw new Error('not integrated');
}
