// CONTRACT STUB (owner r-run)
import type { ModelClient } from '../llm/model-call.ts';
import type { RefactorProofPort } from './proof-port.ts';
import type { RefactorConfig } from './settings.ts';
import type { RefactorTarget, SkippedTarget, TargetOutcome } from './types.ts';

export interface RefactorRunInput {
  config: RefactorConfig;
  targets: readonly RefactorTarget[];
  readText(path: string): Promise<string>;
  model: ModelClient;
  proofs: RefactorProofPort;
  wanted: number;
  formatText?: (path: string, text: string) => Promise<string>;
  onProgress?: (message: string) => void;
}

export interface RefactorRun {
  baseline: { ok: true } | { ok: false; reason: string };
  outcomes: TargetOutcome[];
  /** From selection, passed through. */
  skipped: SkippedTarget[];
  usage: { calls: number; costUsd: number | null };
}

export function runRefactor(input: RefactorRunInput): Promise<RefactorRun> {
  void input;
  throw new Error('not integrated');
}
