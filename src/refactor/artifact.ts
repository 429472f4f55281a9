// CONTRACT STUB (owner r-deliver)
import type { HealthComparison, ProofStep, RefactorTarget } from './types.ts';

/** What the propose job leaves for the deliver job (actions/upload-artifact), version 1. */
export interface RefactorArtifact {
  version: 1;
  /** The default branch's commit the refactoring was made and proven on. */
  baseSha: string;
  path: string;
  function: string;
  fingerprint: string;
  /** The file's text at baseSha, and after the refactoring. */
  before: string;
  after: string;
  proposal: { rationale: string; techniques: string[] };
  proofs: ProofStep[];
  target: RefactorTarget;
}

/** The artifact checked as hostile: its health recomputed, never read from it. */
export type ArtifactCheck =
  | { ok: true; artifact: RefactorArtifact; health: HealthComparison }
  | { ok: false; problems: string[] };

export function checkArtifact(text: string): ArtifactCheck {
  void text;
  throw new Error('not integrated');
}
