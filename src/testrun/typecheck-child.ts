import type { SourceText } from '../testgen/types.ts';
import type * as stewardTs from 'typescript';
import { createTypeChecker, hasOwnTypeScript, type TypeChecker } from './typecheck.ts';

/**
 * The type-check process: the repository's TypeScript is the repository's code (its lockfile
 * picks the package), so it loads here, with the allow-listed environment, never in Steward's
 * process where the model key is. It answers requests over IPC one by one and keeps the parsed
 * project files between them (only the candidate file changes).
 */
const checkers = new Map<string, TypeChecker>();

/**
 * Steward's TypeScript, for a repository without its own: a dynamic import, so the bundle carries
 * it (there is no node_modules beside a bundled action) and loads it only when needed.
 */
async function stewardsTypeScript(): Promise<typeof stewardTs> {
  const loaded = (await import('typescript')) as typeof stewardTs & { default?: typeof stewardTs };
  return loaded.default ?? loaded;
}

process.on('message', async (request: { id: number; root: string; file: SourceText }) => {
  let answer: unknown;
  try {
    let checker = checkers.get(request.root);
    if (checker === undefined) {
      checker = createTypeChecker(
        request.root,
        hasOwnTypeScript(request.root) ? undefined : await stewardsTypeScript(),
      );
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
