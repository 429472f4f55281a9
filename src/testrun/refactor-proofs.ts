// CONTRACT STUB (owner r-proofs)
import type { RefactorProofPort } from '../refactor/proof-port.ts';

export interface RefactorProofOptions {
  root: string;
  testCommand: string | null;
  framework?: 'vitest' | 'jest';
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
  mutation: boolean;
}

export function createRefactorProofPort(_options: RefactorProofOptions): RefactorProofPort {
  throw new Error('not integrated');
}
