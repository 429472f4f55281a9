// CONTRACT STUB (owner r-choose)
/** The `refactor:` section of `.github/steward.yml` (see /work/notes/R17.md, H1). */
export interface RefactorConfig {
  model: string;
  maxOpen: number;
  minHealthGain: number;
  /** Targets tried per run. */
  maxTargets: number;
  /** Hotspot files considered. */
  topFiles: number;
  maxCalls: number;
  maxCostUsd: number;
  include: string[];
  exclude: string[];
  testCommand: string | null;
  /** When true, the mutation score on the function's lines must not fall. */
  mutation: boolean;
}
