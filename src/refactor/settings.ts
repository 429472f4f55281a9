// CONTRACT STUB (owner r-choose)
/** The `refactor:` settings (src/refactor/settings.ts of r-choose); only what r-e2e's bench needs. */
export interface RefactorConfig {
  model: string;
  maxOpen: number;
  minHealthGain: number;
  maxTargets: number;
  topFiles: number;
  maxCalls: number;
  maxCostUsd: number;
  include: string[];
  exclude: string[];
  testCommand: string | null;
  mutation: boolean;
}

export function defaultRefactorConfig(): RefactorConfig {
  throw new Error('not integrated');
}
