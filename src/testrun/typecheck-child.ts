import type { SourceText } from '../testgen/types.ts';
import { createTypeChecker, type TypeChecker } from './typecheck.ts';

/**
 * The type-check process: the repository's TypeScript is the repository's code (its lockfile
 * picks the package), so it loads here, with the allow-listed environment, never in Steward's
 * process where the model key is. It answers requests over IPC one by one and keeps the parsed
 * project files between them (only the candidate file changes).
 */
const checkers = new Map<string, TypeChecker>();

process.on('message', (request: { id: number; root: string; file: SourceText }) => {
  let answer: unknown;
  try {
    let checker = checkers.get(request.root);
    if (checker === undefined) {
      checker = createTypeChecker(request.root);
      checkers.set(request.root, checker);
    }
    const result = checker.check(request.file);
    answer = {
      id: request.id,
      ok: true,
      byTest: [...result.byTest],
      fileErrors: result.fileErrors,
    };
  } catch (error: unknown) {
    answer = {
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  process.send?.(answer);
});
