import type { SourceText } from '../testgen/types.ts';
import { createTypeChecker } from './typecheck.ts';

/**
 * The type-check process: the repository's TypeScript is the repository's code (its lockfile
 * picks the package), so it loads here, with the allow-listed environment, never in Steward's
 * process where the model key is. One request over IPC, one answer, then exit.
 */
process.once('message', (request: { root: string; file: SourceText }) => {
  let answer: unknown;
  try {
    const result = createTypeChecker(request.root).check(request.file);
    answer = { ok: true, byTest: [...result.byTest], fileErrors: result.fileErrors };
  } catch (error: unknown) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  process.send?.(answer, () => process.disconnect());
});
