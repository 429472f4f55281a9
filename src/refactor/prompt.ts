// CONTRACT STUB (owner r-apply)
import type { ModelCall } from '../llm/model-call.ts';
import type { RefactorConfig } from './settings.ts';
import type { RefactorProposal, RefactorTarget } from './types.ts';

export function proposeCall(
  target: RefactorTarget,
  fileText: string,
  config: RefactorConfig,
  feedback?: string,
): ModelCall<RefactorProposal> {
  void [target, fileText, config, feedback];
  throw new Error('not integrated');
}
