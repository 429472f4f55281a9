// CONTRACT STUB (owner r-apply)
import type { RefactorProposal, RefactorTarget } from './types.ts';

export function applyProposal(
  fileText: string,
  target: RefactorTarget,
  proposal: RefactorProposal,
): { ok: true; text: string; helperNames: string[] } | { ok: false; reason: string } {
  void [fileText, target, proposal];
  throw new Error('not integrated');
}
