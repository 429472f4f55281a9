import type * as stewardTs from 'typescript';
import { createProjectChecker, type ProjectChecker } from './project-check.ts';
import {
  createTypeChecker,
  hasOwnTypeScript,
  type ChildRequest,
  type TypeChecker,
} from './typecheck.ts';

/**
 * The type-check process: the repository's TypeScript is the repository's code (its lockfile
 * picks the package), so it loads here, with the allow-listed environment, never in Steward's
 * process where the model key is. It answers requests over IPC one by one and keeps the parsed
 * project files between them (only the candidate file changes): a candidate test file's check
 * (test generation), and a refactoring's project diagnostics and declaration emit (project-check.ts).
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

const projects = new Map<string, ProjectChecker>();

async function answer(request: ChildRequest & { root: string }): Promise<unknown> {
  const { root } = request;
  const stewards = hasOwnTypeScript(root) ? undefined : await stewardsTypeScript();
  if (request.kind === 'candidate') {
    let checker = checkers.get(root);
    if (checker === undefined) {
      checker = createTypeChecker(root, stewards);
      checkers.set(root, checker);
    }
    const result = checker.check(request.file);
    return { byTest: [...result.byTest], fileErrors: result.fileErrors };
  }
  let project = projects.get(root);
  if (project === undefined) {
    project = createProjectChecker(root, stewards);
    projects.set(root, project);
  }
  if (request.kind === 'project') return project.diagnostics(new Map(request.overlay));
  return project.compareApi(request.path, request.before, request.after);
}

process.on('message', async (request: ChildRequest & { id: number; root: string }) => {
  let reply: unknown;
  try {
    reply = { id: request.id, ok: true, value: await answer(request) };
  } catch (error: unknown) {
    reply = {
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  process.send?.(reply);
});
