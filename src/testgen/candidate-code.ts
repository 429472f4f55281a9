import { isBuiltin } from 'node:module';
import { ts } from 'ts-morph';
import type { TestFramework } from './types.ts';
import { parseProblem } from './imports.ts';

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

/** The most source a candidate's code may hold. */
export const MAX_CODE_LENGTH = 50_000;

/** A candidate's code, checked: one test call, and what it needs from the file. */
export interface CheckedCode {
  file: ts.SourceFile;
  statement: ts.ExpressionStatement;
  /** The call whose first argument is the test's title. */
  call: ts.CallExpression;
  /** `it` or `test`: the name the test is called by. */
  callee: 'it' | 'test';
  /** A fast-check property: `it.prop(...)(...)` or `test.prop(...)(...)`. */
  property: boolean;
  /** Identifiers the code reads without declaring them (framework names, the target, helpers). */
  freeNames: Set<string>;
}

const TEST_CALLEES = new Set(['it', 'test']);
/** Calls the test runner hoists above the file's imports: they would change every test in it. */
const HOISTED = new Set(['vi.mock', 'vi.unmock', 'vi.hoisted', 'jest.mock', 'jest.unmock']);
/** What code that runs when the file loads (outside a test's body) may not reach. */
const LOAD_TIME_FORBIDDEN = new Set(['require', 'process', 'globalThis', 'eval', 'Function']);

function isFunction(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

function isLiteralValue(node: ts.Expression): boolean {
  if (
    ts.isStringLiteral(node) ||
    ts.isNumericLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword
  )
    return true;
  if (ts.isPrefixUnaryExpression(node)) return ts.isNumericLiteral(node.operand);
  if (ts.isObjectLiteralExpression(node))
    return node.properties.every(
      (p) => ts.isPropertyAssignment(p) && isLiteralValue(p.initializer),
    );
  return false;
}

/** Why code that runs when the file loads is refused, or undefined. */
function loadTimeProblem(node: ts.Node, file: ts.SourceFile): string | undefined {
  let problem: string | undefined;
  const visit = (n: ts.Node): void => {
    if (problem !== undefined) return;
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword)
      problem = `an import() outside the test's body (${n.getText(file).slice(0, 60)})`;
    else if (ts.isAwaitExpression(n)) problem = 'an await outside the test’s body';
    else if (
      ts.isIdentifier(n) &&
      LOAD_TIME_FORBIDDEN.has(n.text) &&
      !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)
    )
      problem = `${n.text} used outside the test's body`;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return problem;
}

/** `a.b.c` for a property-access chain of identifiers, else undefined. */
export function dottedName(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
    const head = dottedName(node.expression);
    return head === undefined ? undefined : `${head}.${node.name.text}`;
  }
  return undefined;
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    ((ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isClassExpression(parent) ||
      ts.isBindingElement(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isGetAccessor(parent) ||
      ts.isSetAccessor(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isEnumMember(parent) ||
      ts.isTypeParameterDeclaration(parent) ||
      ts.isInterfaceDeclaration(parent) ||
      ts.isTypeAliasDeclaration(parent)) &&
      parent.name === node) ||
    (ts.isLabeledStatement(parent) && parent.label === node) ||
    (ts.isBindingElement(parent) && parent.propertyName === node) ||
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isQualifiedName(parent) && parent.right === node) ||
    ((ts.isBreakStatement(parent) || ts.isContinueStatement(parent)) && parent.label === node)
  );
}

/** Names the code reads and does not declare: an over-approximation of its free variables. */
function freeNames(root: ts.Node): Set<string> {
  const used = new Set<string>();
  const declared = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      if (isDeclarationName(n)) {
        const parent = n.parent;
        if (!ts.isPropertyAccessExpression(parent) && !ts.isQualifiedName(parent)) {
          if (!ts.isPropertyAssignment(parent) && !ts.isPropertyDeclaration(parent))
            declared.add(n.text);
        }
      } else used.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(root);
  for (const name of declared) used.delete(name);
  return used;
}

/**
 * Checks that a candidate's code is one test and nothing more: a single `it(...)`, `test(...)`,
 * `it.prop(...)(...)` or `test.prop(...)(...)` statement, whose only code running when the file
 * loads is its title, options and arbitraries. Anything else (a second statement, a `});` that
 * closes the describe and opens code at the top level, a module mock the runner hoists) is a
 * reason to refuse it.
 */
export function checkCandidateCode(
  code: string,
  framework: TestFramework,
  fileName: string,
): { ok: true; checked: CheckedCode } | { ok: false; reason: string } {
  if (code.length > MAX_CODE_LENGTH)
    return { ok: false, reason: `its code is longer than ${MAX_CODE_LENGTH} characters` };
  const silencer = /@ts-(?:ignore|nocheck|expect-error)/.exec(code);
  if (silencer !== null)
    return {
      ok: false,
      reason: `its code holds ${silencer[0]}, which would hide from the type-check what does not compile`,
    };
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  const syntax = parseProblem(file);
  if (syntax !== undefined) return { ok: false, reason: `its code does not parse: ${syntax}` };
  if (file.statements.length !== 1)
    return {
      ok: false,
      reason: `its code holds ${file.statements.length} statements; it must be exactly one it(...) or test(...) call (put import declarations in imports)`,
    };
  const statement = file.statements[0]!;
  if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression))
    return { ok: false, reason: 'its code is not an it(...) or test(...) call' };
  const call = statement.expression;
  const callee = dottedName(call.expression);
  let root: string;
  if (callee !== undefined && TEST_CALLEES.has(callee)) root = callee;
  else if (
    ts.isCallExpression(call.expression) &&
    ['it.prop', 'test.prop'].includes(dottedName(call.expression.expression) ?? '')
  ) {
    if (framework === 'node:test')
      return {
        ok: false,
        reason: 'it.prop/test.prop is fast-check’s vitest and jest API, not node:test’s',
      };
    root = dottedName(call.expression.expression)!.split('.')[0]!;
    const arbitraries = call.expression.arguments;
    if (arbitraries.length === 0) return { ok: false, reason: `${root}.prop() has no arbitraries` };
    for (const argument of arbitraries) {
      const problem = loadTimeProblem(argument, file);
      if (problem !== undefined) return { ok: false, reason: `its code has ${problem}` };
    }
  } else
    return {
      ok: false,
      reason: `its code calls ${call.expression.getText(file).slice(0, 40)}, not it, test, it.prop or test.prop`,
    };

  const args = call.arguments;
  const title = args[0];
  if (title === undefined) return { ok: false, reason: 'its test call has no title' };
  if (!ts.isStringLiteralLike(title))
    return { ok: false, reason: 'its title is not a string literal' };
  const rest = args.slice(1);
  // (title, fn), (title, fn, timeout) or (title, options, fn): only the function runs code.
  const shapeOk =
    rest.length >= 1 &&
    rest.length <= 2 &&
    rest.filter(isFunction).length === 1 &&
    rest.every((a) => isFunction(a) || isLiteralValue(a));
  if (!shapeOk)
    return {
      ok: false,
      reason: 'its test call must be (title, function) with at most a literal timeout or options',
    };

  let hoisted: string | undefined;
  let only: string | undefined;
  const scan = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const name = dottedName(n.expression);
      if (name !== undefined && HOISTED.has(name)) hoisted ??= name;
    }
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'only') {
      const head = dottedName(n.expression);
      if (head !== undefined && ['it', 'test', 'describe', 'suite'].includes(head))
        only ??= `${head}.only`;
    }
    ts.forEachChild(n, scan);
  };
  scan(statement);
  if (hoisted !== undefined)
    return {
      ok: false,
      reason: `its code calls ${hoisted}, which the runner hoists to the top of the file: it would change every test there`,
    };
  if (only !== undefined)
    return { ok: false, reason: `its code uses ${only}, which would skip the file's other tests` };

  return {
    ok: true,
    checked: {
      file,
      statement,
      call,
      callee: root as 'it' | 'test',
      property: ts.isCallExpression(call.expression),
      freeNames: freeNames(statement),
    },
  };
}

/**
 * null when `code` is one test call titled `name` (checkCandidateCode's shape: one `it`/`test`/
 * `it.prop`/`test.prop` statement, nothing else running when the file loads) whose `import(…)` and
 * `require(…)` follow the import rules; otherwise why not. The model's answers go through this.
 */
export function checkTestCode(code: string, name: string, rules: ImportRules): string | null {
  if (/^\s*(```|~~~)/.test(code)) return 'code is wrapped in a markdown fence: send the code alone';
  const checked = checkCandidateCode(code, rules.framework, 'candidate.ts');
  if (!checked.ok) return checked.reason;
  const title = checked.checked.call.arguments[0];
  if (title && ts.isStringLiteralLike(title) && title.text !== name)
    return `the title in the code, ${quote(title.text)}, is not the test's name ${quote(name)}`;
  return moduleLoads(checked.checked.file, rules);
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
