// CONTRACT STUB (owner r-proofs)
import type { RefactorProofPort } from '../refactor/proof-port.ts';

export interface RefactorProofPortOptions {
  root: string;
  testCommand: string | null;
  framework?: 'vitest' | 'jest' | undefined;
  env?: Readonly<Record<string, string>> | undefined;
  timeoutMs?: number | undefined;
  mutation: boolean;
}

export function createRefactorProofPort(_options: RefactorProofPortOptions): RefactorProofPort {
  throw new Error('not integrated');
}
