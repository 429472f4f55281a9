// CONTRACT STUB (owner r-apply)
import type { HealthThresholds } from '../health/thresholds.ts';
import type { ModelCall } from '../llm/model-call.ts';
import type { RefactorProposal, RefactorTarget } from './types.ts';

/** The settings the call needs: `Pick<RefactorConfig, 'minHealthGain'>` and the thresholds. */
export interface ProposeSettings {
  minHealthGain: number;
  thresholds?: Readonly<HealthThresholds>;
}

export function proposeCall(
  target: RefactorTarget,
  fileText: string,
  config: ProposeSettings,
  feedback?: string,
): ModelCall<RefactorProposal> {
  void [target, fileText, config, feedback];
  throw new Error('not integrated');
}
