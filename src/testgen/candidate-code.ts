import { isBuiltin } from 'node:module';
import { ts } from 'ts-morph';
import type { TestFramework } from './types.ts';

/**
 * Checks of a model-written candidate's source, with the TypeScript parser (never regexes): each
 * import is one import declaration of a module a unit test may use, and the code is one test call.
 * They keep a candidate from reaching beyond the test it claims to be (another module of the
 * project, a process, the network) or from silencing its neighbours (`it.only`, `it.skip`). They are
 * not a sandbox: the test run is, since the code under test is the pull request's anyway.
 */

/** Modules each framework's tests import, beside fast-check and node: built-ins. */
const FRAMEWORK_MODULES: Record<TestFramework, readonly string[]> = {
  vitest: ['vitest', '@fast-check/vitest'],
  jest: ['@jest/globals', '@fast-check/jest'],
  'node:test': ['node:test'],
};

/** Built-ins that give a unit test a process, a socket, a worker or a way around the import rule. */
const DENIED_BUILTINS: ReadonlySet<string> = new Set([
  'child_process',
  'cluster',
  'dgram',
  'dns',
  'http',
  'http2',
  'https',
  'inspector',
  'module',
  'net',
  'repl',
  'tls',
  'vm',
  'worker_threads',
]);

/** The entry points a candidate's call may start from, and the members it may call on them. */
const TEST_FUNCTIONS: ReadonlySet<string> = new Set(['it', 'test']);
const CURRIED_MEMBERS: ReadonlySet<string> = new Set(['prop', 'each']);

export interface ImportRules {
  framework: TestFramework;
  /** The module specifier the test imports the target's module by (TargetContext.importPath). */
  importPath: string;
}

/** null when the import is allowed; otherwise why not, quoting the specifier. */
export function checkImport(text: string, rules: ImportRules): string | null {
  const source = parse(text);
  const syntax = syntaxError(source);
  if (syntax) return `import ${quote(text)} does not parse: ${syntax}`;
  const statements = source.statements;
  if (statements.length !== 1 || !ts.isImportDeclaration(statements[0]!)) {
    return `import ${quote(text)} must be exactly one import declaration`;
  }
  const specifier = statements[0].moduleSpecifier;
  if (!ts.isStringLiteral(specifier)) return `import ${quote(text)} has no module name`;
  return checkModule(specifier.text, rules);
}

/** null when `specifier` is a module a candidate may import; otherwise why not. */
export function checkModule(specifier: string, rules: ImportRules): string | null {
  if (specifier === rules.importPath) return null;
  if (specifier === 'fast-check' || FRAMEWORK_MODULES[rules.framework].includes(specifier))
    return null;
  if (isBuiltin(specifier)) {
    const name = specifier.replace(/^node:/, '').split('/')[0]!;
    if (DENIED_BUILTINS.has(name))
      return `${quote(specifier)} is not allowed in a unit test (no processes, sockets, workers or module loaders)`;
    return specifier.startsWith('node:')
      ? null
      : `${quote(specifier)}: import Node built-ins with the node: prefix`;
  }
  return (
    `${quote(specifier)} is not allowed: import the target's module as ${quote(rules.importPath)}, ` +
    `the test framework, fast-check or node: built-ins only`
  );
}

/**
 * null when `code` is one `it(…)`/`test(…)` call (or `test.prop(…)(…)`, `it.each(…)(…)`) titled
 * `name`, with no import of a module outside the rules; otherwise why not.
 */
export function checkTestCode(code: string, name: string, rules: ImportRules): string | null {
  if (/^\s*(```|~~~)/.test(code)) return 'code is wrapped in a markdown fence: send the code alone';
  const source = parse(code);
  const syntax = syntaxError(source);
  if (syntax) return `code does not parse: ${syntax}`;
  const statements = source.statements;
  if (statements.length !== 1) {
    return `code must be exactly one it(…) or test(…) call, not ${statements.length} statements`;
  }
  const statement = statements[0]!;
  const call =
    ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression)
      ? statement.expression
      : null;
  const shape = call ? testCallShape(call) : null;
  if (!call || !shape) {
    return 'code must be exactly one it(…), test(…) or test.prop(…)(…) call, without .only, .skip or other modifiers';
  }
  const title = call.arguments[0];
  if (title && (ts.isStringLiteral(title) || ts.isNoSubstitutionTemplateLiteral(title))) {
    if (title.text !== name)
      return `the title in the code, ${quote(title.text)}, is not the test's name ${quote(name)}`;
  }
  return moduleLoads(source, rules);
}

/** Whether `call` is `it(…)`, `test(…)`, or `it|test.prop|each(…)(…)`. */
function testCallShape(call: ts.CallExpression): true | null {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return TEST_FUNCTIONS.has(callee.text) ? true : null;
  if (
    ts.isCallExpression(callee) &&
    ts.isPropertyAccessExpression(callee.expression) &&
    ts.isIdentifier(callee.expression.expression) &&
    TEST_FUNCTIONS.has(callee.expression.expression.text) &&
    CURRIED_MEMBERS.has(callee.expression.name.text)
  ) {
    return true;
  }
  return null;
}

/** Dynamic `import(…)` and `require(…)` inside the code follow the import rules too. */
function moduleLoads(source: ts.SourceFile, rules: ImportRules): string | null {
  let problem: string | null = null;
  const visit = (node: ts.Node): void => {
    if (problem) return;
    if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) {
        const what = isImport ? 'import(…)' : 'require(…)';
        const argument = node.arguments[0];
        problem =
          argument && ts.isStringLiteralLike(argument)
            ? checkModule(argument.text, rules)
            : `code loads a computed module with ${what}`;
        if (problem) return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problem;
}

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile('candidate.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
}

/** The first syntax error, with its line, or null. */
function syntaxError(source: ts.SourceFile): string | null {
  // parseDiagnostics is internal but stable (src/review/suggestion.ts reads it the same way): the
  // syntax errors alone, without building a Program.
  const diagnostics =
    (source as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ??
    [];
  const first = diagnostics[0];
  if (!first) return null;
  const { line } = source.getLineAndCharacterOfPosition(first.start);
  return `line ${line + 1}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`;
}

/** A quoted excerpt, short and on one line, for a reason. */
export function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}
