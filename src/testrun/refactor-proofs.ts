// CONTRACT STUB (owner r-proofs)
import type { RefactorProofPort } from '../refactor/proof-port.ts';
import type { TestFramework } from '../testgen/types.ts';

export interface RefactorProofPortOptions {
  /** The repository checkout, its dependencies installed. */
  root: string;
  /** refactor.test-command; null runs the detected runner on the tests that import the module. */
  testCommand: string | null;
  framework?: TestFramework;
  /** Variables the repository's tests need; nothing else of Steward's environment reaches them. */
  env: Readonly<Record<string, string>>;
  timeoutMs: number;
  /** refactor.mutation: the mutation score on the function's lines must not fall. */
  mutation: boolean;
}

export function createRefactorProofPort(options: RefactorProofPortOptions): RefactorProofPort {
  void options;
  throw new Error('not integrated');
}
