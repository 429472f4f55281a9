// CONTRACT STUB (owner r-proofs)
import type { RefactorProofPort } from '../refactor/proof-port.ts';
import type { TestFramework } from '../testgen/types.ts';

export function createRefactorProofPort(options: {
  root: string;
  testCommand: string | null;
  framework?: TestFramework;
  env: Readonly<Record<string, string>>;
  timeoutMs: number;
  mutation: boolean;
}): RefactorProofPort {
  void options;
  throw new Error('not integrated');
}
