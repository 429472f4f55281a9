import { ts } from 'ts-morph';
import { parseSource } from '../health/complexity/parse.ts';
import { resolveSpecifier } from '../testgen/project.ts';

/**
 * Which tests reach a module: a test that loads it, directly or through the modules it loads (a
 * barrel's re-exports, an entry that imports the rest), runs its code. Selection passes over a
 * function no test reaches, and the proofs run the tests that reach the refactored file.
 */

const SK = ts.SyntaxKind;

/** Whether an import declaration brings in a value, so running the test runs the module. */
function importsValues(clause: ts.ImportClause | undefined): boolean {
  if (clause === undefined) return true; // `import './a'` runs it
  if (clause.isTypeOnly) return false;
  if (clause.name !== undefined) return true;
  const named = clause.namedBindings;
  if (named === undefined || ts.isNamespaceImport(named)) return true;
  // `import {} from './a'` and a list of only `type` names are erased by TypeScript.
  return named.elements.some((element) => !element.isTypeOnly);
}

/**
 * The relative module specifiers a file loads when it runs: import declarations (not type-only
 * ones, which TypeScript erases), re-exports, `import x = require()`, and `require('…')` and
 * `import('…')` calls with a literal. Read from the syntax tree, so an import written in a comment
 * or a string counts for nothing.
 */
export function runtimeImports(path: string, text: string): string[] {
  const { sourceFile } = parseSource(path, text);
  const found: string[] = [];
  const add = (specifier: ts.Node | undefined) => {
    if (specifier !== undefined && ts.isStringLiteralLike(specifier)) found.push(specifier.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      if (importsValues(node.importClause)) add(node.moduleSpecifier);
      return;
    }
    if (ts.isExportDeclaration(node)) {
      if (!node.isTypeOnly) add(node.moduleSpecifier);
      return;
    }
    if (ts.isImportEqualsDeclaration(node)) {
      const reference = node.moduleReference;
      if (!node.isTypeOnly && ts.isExternalModuleReference(reference)) add(reference.expression);
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const loads =
        callee.kind === SK.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
      if (loads && node.arguments.length > 0) add(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found.filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'));
}

export interface ReachInput {
  /** Repository-relative paths of the test files. */
  tests: readonly string[];
  /** A file's text; null when it cannot be read (its imports are then not followed). */
  read: (path: string) => string | null;
  /** Whether a path is a file of the project, to resolve specifiers against. */
  exists: (path: string) => boolean;
}

/**
 * Every module the tests load, directly or transitively through relative imports, each with the
 * tests that reach it (in the order of `tests`). Specifiers resolve as TypeScript and bundlers
 * resolve them (`../src/a.js` names `src/a.ts`, a folder its `index`); each file is parsed once.
 */
export function testsReaching(input: ReachInput): Map<string, string[]> {
  const importsOf = new Map<string, string[]>();
  const modulesLoadedBy = (path: string): string[] => {
    const known = importsOf.get(path);
    if (known !== undefined) return known;
    const text = input.read(path);
    const found: string[] = [];
    for (const specifier of text === null ? [] : runtimeImports(path, text)) {
      const module = resolveSpecifier(path, specifier, input.exists);
      if (module !== null && module !== path && !found.includes(module)) found.push(module);
    }
    importsOf.set(path, found);
    return found;
  };
  const byModule = new Map<string, string[]>();
  for (const test of input.tests) {
    const seen = new Set<string>([test]);
    const queue = [test];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const module of modulesLoadedBy(next)) {
        if (seen.has(module)) continue;
        seen.add(module);
        queue.push(module);
        byModule.set(module, [...(byModule.get(module) ?? []), test]);
      }
    }
  }
  return byModule;
}
