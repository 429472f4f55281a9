// CONTRACT STUB (owner r-deliver): the signatures of r-deliver's artifact.ts as the faces use them.
import type { HealthThresholds } from '../health/thresholds.ts';
import type { HealthComparison, ProofStep, RefactorTarget, TargetOutcome } from './types.ts';

/** A proven refactoring as the propose job writes it (JSON, version 1). */
export function renderArtifact(
  outcome: Extract<TargetOutcome, { kind: 'proven' }>,
  baseSha: string,
): string {
  // Copied from r-deliver's artifact.ts (pure) so the action's tests write a real artifact.
  const artifact = {
    version: 1,
    baseSha,
    path: outcome.target.path,
    function: outcome.target.function,
    fingerprint: outcome.target.fingerprint,
    before: outcome.before,
    after: outcome.after,
    proposal: {
      rationale: outcome.proposal.rationale,
      techniques: [...outcome.proposal.techniques],
    },
    proofs: outcome.proofs,
    target: outcome.target,
  };
  return `${JSON.stringify(artifact, null, 2)}\n`;
}

/** What the deliver job works from: everything in it checked or computed here. */
export interface DeliverableRefactoring {
  baseSha: string;
  path: string;
  function: string;
  before: string;
  after: string;
  target: RefactorTarget;
  health: HealthComparison;
  proposal: { rationale: string; techniques: string[] };
  proofs: ProofStep[];
}

export type ArtifactCheck =
  | { ok: true; artifact: DeliverableRefactoring; health: HealthComparison }
  | { ok: false; problems: string[] };

/** An artifact checkArtifact accepted: what deliverRefactor takes. */
export type CheckedRefactorArtifact = Extract<ArtifactCheck, { ok: true }>;

export interface ArtifactCheckOptions {
  /** The repository's `refactor.min-health-gain` (default 0.5). */
  minHealthGain?: number;
  /** The repository's health thresholds (default the built-in ones). */
  thresholds?: Readonly<HealthThresholds>;
}

export function checkArtifact(text: string, options: ArtifactCheckOptions = {}): ArtifactCheck {
  void text;
  void options;
  throw new Error('not integrated');
}
