// CONTRACT STUB (owner r-apply)
import type { RefactorTarget } from './types.ts';

export type RefactorCheck = { ok: true; helperNames: string[] } | { ok: false; reason: string };
export type TargetRef = Pick<RefactorTarget, 'path' | 'function' | 'line'>;

export function checkRefactoredText(
  before: string,
  after: string,
  target: TargetRef,
): RefactorCheck {
  void before;
  void after;
  void target;
  throw new Error('not integrated');
}
