// CONTRACT STUB (owner r-apply)
import type { RefactorProposal, RefactorTarget } from './types.ts';

export function applyProposal(
  _fileText: string,
  _target: RefactorTarget,
  _proposal: RefactorProposal,
): { ok: true; text: string; helperNames: string[] } | { ok: false; reason: string } {
  throw new Error('not integrated');
}
