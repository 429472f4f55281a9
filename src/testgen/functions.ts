import { ts } from 'ts-morph';
import { parseSource } from '../health/complexity/parse.ts';
import {
  hasModifier,
  propertyNameText,
  skipValueWrappers,
  startAfterDecorators,
} from '../health/complexity/syntax.ts';

/**
 * The units of a module a test can call: function declarations, functions and arrows assigned to
 * a `const` (or `let`/`var`), class methods, accessors and constructors, methods of an object
 * assigned to a `const`, default exports and CommonJS exports (`exports.f = …`);
 * with their lines and whether the module exports them. Nested functions are part of the unit
 * they sit in (a test reaches them through it). Parsed with the TypeScript parser code health
 * uses, one file at a time, no program.
 */

const SK = ts.SyntaxKind;

/**
 * How a unit is written: a function declaration, a function or arrow assigned in a variable
 * statement, a class member (method, accessor, constructor, function-valued property), a method or
 * function-valued property of an object literal, a default export of a function value, a CommonJS
 * export (`exports.f = …`).
 */
export type ModuleFunctionForm =
  | 'declaration'
  | 'variable'
  | 'method'
  | 'getter'
  | 'setter'
  | 'constructor'
  | 'property'
  | 'object-member'
  | 'default-export'
  | 'commonjs-export';

export interface ModuleFunction {
  /** `parse`, `Parser.parse` for a method, `default` for an anonymous default export. */
  name: string;
  form: ModuleFunctionForm;
  /** 1-based, inclusive; from the first modifier or keyword (after decorators and comments). */
  startLine: number;
  endLine: number;
  exported: boolean;
}

export type ModuleFunctions =
  | { kind: 'parsed'; functions: ModuleFunction[] }
  | { kind: 'syntax-error'; line: number; message: string };

interface Found {
  name: string;
  form: ModuleFunctionForm;
  node: ts.Node;
  /** Exported by its own declaration (`export function`, a public member of an exported class). */
  exported: boolean;
  /** The local name an `export { local }` or `export default local` would export it by. */
  local: string | null;
}

/** The functions of a module, in source order; a file that does not parse has none. */
export function moduleFunctions(path: string, text: string): ModuleFunctions {
  const { sourceFile, syntaxErrors } = parseSource(path, text);
  const first = syntaxErrors[0];
  if (first !== undefined)
    return { kind: 'syntax-error', line: first.line, message: first.message };
  const found: Found[] = [];
  const exportedLocals = new Set<string>();
  for (const statement of sourceFile.statements)
    collect(statement, sourceFile, found, exportedLocals);
  const lineOf = (pos: number) => sourceFile.getLineAndCharacterOfPosition(pos).line + 1;
  const functions = found.map((f) => ({
    name: f.name,
    form: f.form,
    startLine: lineOf(startAfterDecorators(f.node, sourceFile)),
    endLine: lineOf(f.node.end),
    exported: f.exported || (f.local !== null && exportedLocals.has(f.local)),
  }));
  return { kind: 'parsed', functions };
}

function isExported(node: ts.Node): boolean {
  return hasModifier(node, SK.ExportKeyword);
}

function isFunctionValue(node: ts.Node): boolean {
  const value = skipValueWrappers(node);
  return value.kind === SK.ArrowFunction || value.kind === SK.FunctionExpression;
}

function collect(
  statement: ts.Statement,
  sourceFile: ts.SourceFile,
  found: Found[],
  exportedLocals: Set<string>,
): void {
  switch (statement.kind) {
    case SK.FunctionDeclaration: {
      const fn = statement as ts.FunctionDeclaration;
      // Overload signatures have no body: the implementation is the unit.
      if (fn.body === undefined) return;
      const local = fn.name?.text ?? null;
      found.push({
        name: local ?? 'default',
        form: 'declaration',
        node: fn,
        exported: isExported(fn),
        local,
      });
      return;
    }
    case SK.VariableStatement: {
      const variables = statement as ts.VariableStatement;
      for (const declaration of variables.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || declaration.initializer === undefined) continue;
        const local = declaration.name.text;
        const value = skipValueWrappers(declaration.initializer);
        if (ts.isObjectLiteralExpression(value)) {
          collectObjectMethods(value, local, isExported(variables), local, sourceFile, found);
          continue;
        }
        if (!isFunctionValue(value)) continue;
        // A one-declaration statement spans from `export const`; several share the statement.
        const node = variables.declarationList.declarations.length === 1 ? variables : declaration;
        found.push({ name: local, form: 'variable', node, exported: isExported(variables), local });
      }
      return;
    }
    case SK.ClassDeclaration: {
      const cls = statement as ts.ClassDeclaration;
      const local = cls.name?.text ?? null;
      collectMembers(cls, local ?? 'default', isExported(cls), local, sourceFile, found);
      return;
    }
    case SK.ExportAssignment: {
      const assignment = statement as ts.ExportAssignment;
      const value = skipValueWrappers(assignment.expression);
      if (ts.isIdentifier(value)) exportedLocals.add(value.text);
      else if (isFunctionValue(value))
        found.push({
          name: 'default',
          form: 'default-export',
          node: assignment,
          exported: true,
          local: null,
        });
      else if (value.kind === SK.ClassExpression)
        collectMembers(value as ts.ClassExpression, 'default', true, null, sourceFile, found);
      return;
    }
    case SK.ExpressionStatement: {
      // CommonJS: `exports.f = …`, `module.exports.f = …`, `module.exports = { f() {} }`.
      const expression = skipValueWrappers((statement as ts.ExpressionStatement).expression);
      if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== SK.EqualsToken)
        return;
      const target = commonJsExport(expression.left);
      const value = skipValueWrappers(expression.right);
      if (target === null) return;
      if (target === 'default' && ts.isObjectLiteralExpression(value))
        collectObjectMethods(value, null, true, null, sourceFile, found);
      else if (isFunctionValue(value))
        found.push({
          name: target,
          form: 'commonjs-export',
          node: statement,
          exported: true,
          local: null,
        });
      else if (ts.isIdentifier(value)) exportedLocals.add(value.text);
      return;
    }
    case SK.ExportDeclaration: {
      const declaration = statement as ts.ExportDeclaration;
      const clause = declaration.exportClause;
      if (declaration.moduleSpecifier !== undefined || declaration.isTypeOnly) return;
      if (clause !== undefined && ts.isNamedExports(clause))
        for (const element of clause.elements)
          if (!element.isTypeOnly) exportedLocals.add((element.propertyName ?? element.name).text);
      return;
    }
    default:
      return;
  }
}

/** `exports.f` and `module.exports.f` → `f`; `module.exports` → `default`; anything else null. */
function commonJsExport(left: ts.Expression): string | null {
  const isModuleExports = (node: ts.Node) =>
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'module' &&
    node.name.text === 'exports';
  if (isModuleExports(left)) return 'default';
  if (!ts.isPropertyAccessExpression(left) || !ts.isIdentifier(left.name)) return null;
  const owner = left.expression;
  if ((ts.isIdentifier(owner) && owner.text === 'exports') || isModuleExports(owner))
    return left.name.text;
  return null;
}

/**
 * The methods and function-valued properties of an object literal (`const api = { parse() {} }`)
 * as `api.parse`; the properties of `module.exports = { … }` by their own names.
 */
function collectObjectMethods(
  object: ts.ObjectLiteralExpression,
  owner: string | null,
  exported: boolean,
  local: string | null,
  sourceFile: ts.SourceFile,
  found: Found[],
): void {
  for (const property of object.properties) {
    const callable =
      ts.isMethodDeclaration(property) ||
      ts.isGetAccessorDeclaration(property) ||
      ts.isSetAccessorDeclaration(property) ||
      (ts.isPropertyAssignment(property) && isFunctionValue(property.initializer));
    if (!callable || property.name === undefined) continue;
    const name = propertyNameText(property.name, sourceFile);
    found.push({
      name: owner === null ? name : `${owner}.${name}`,
      form: 'object-member',
      node: property,
      exported,
      local,
    });
  }
}

/** Private members (`private`, `#name`) are not reachable from a test. */
function isPrivateMember(member: ts.ClassElement): boolean {
  return (
    hasModifier(member, SK.PrivateKeyword) ||
    hasModifier(member, SK.ProtectedKeyword) ||
    (member.name !== undefined && member.name.kind === SK.PrivateIdentifier)
  );
}

function collectMembers(
  cls: ts.ClassLikeDeclaration,
  className: string,
  exported: boolean,
  local: string | null,
  sourceFile: ts.SourceFile,
  found: Found[],
): void {
  for (const member of cls.members) {
    const form = memberForm(member);
    if (form === null) continue;
    const memberName =
      member.kind === SK.Constructor
        ? 'constructor'
        : member.name === undefined
          ? '<anonymous>'
          : propertyNameText(member.name, sourceFile);
    found.push({
      name: `${className}.${memberName}`,
      form,
      node: member,
      exported: exported && !isPrivateMember(member),
      local: isPrivateMember(member) ? null : local,
    });
  }
}

/** The form of a class member a test can call; null for one with no body or no function. */
function memberForm(member: ts.ClassElement): ModuleFunctionForm | null {
  const hasBody = () => (member as ts.FunctionLikeDeclaration).body !== undefined;
  switch (member.kind) {
    case SK.MethodDeclaration:
      return hasBody() ? 'method' : null;
    case SK.GetAccessor:
      return hasBody() ? 'getter' : null;
    case SK.SetAccessor:
      return hasBody() ? 'setter' : null;
    case SK.Constructor:
      return hasBody() ? 'constructor' : null;
    case SK.PropertyDeclaration: {
      const initializer = (member as ts.PropertyDeclaration).initializer;
      return initializer !== undefined && isFunctionValue(initializer) ? 'property' : null;
    }
    default:
      return null;
  }
}
