// CONTRACT STUB (owner r-run)
import type { HealthThresholds } from '../health/thresholds.ts';
import type { ModelClient } from '../llm/model-call.ts';
import type { RefactorProofPort } from './proof-port.ts';
import type { RefactorConfig } from './settings.ts';
import type { RefactorTarget, SkippedTarget, TargetOutcome } from './types.ts';

export interface RefactorRunInput {
  config: RefactorConfig;
  targets: readonly RefactorTarget[];
  /** What selection passed over, passed through to the run's report. */
  skipped?: readonly SkippedTarget[];
  readText(path: string): Promise<string>;
  model: ModelClient;
  proofs: RefactorProofPort;
  wanted: number;
  formatText?: (path: string, text: string) => Promise<string>;
  onProgress?: (message: string) => void;
  /** The thresholds the health proof measures with; the defaults unless given. */
  thresholds?: HealthThresholds;
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
