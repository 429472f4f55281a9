import { ts } from 'ts-morph';
import type { FunctionMetrics } from '../types.ts';

const SK = ts.SyntaxKind;

/** `(x)` → `x`. ESTree has no parenthesis nodes, and the rules compared with are written over ESTree. */
export function skipParens(node: ts.Node): ts.Node {
  while (node.kind === SK.ParenthesizedExpression)
    node = (node as ts.ParenthesizedExpression).expression;
  return node;
}

/** Unwraps what does not change which value an initializer is: parentheses, `as`, `satisfies`, `!`, `<T>x`. */
export function skipValueWrappers(node: ts.Node): ts.Node {
  for (;;) {
    switch (node.kind) {
      case SK.ParenthesizedExpression:
      case SK.AsExpression:
      case SK.SatisfiesExpression:
      case SK.NonNullExpression:
      case SK.TypeAssertionExpression:
        node = (node as ts.ParenthesizedExpression).expression;
        break;
      default:
        return node;
    }
  }
}

/** Type annotations, type aliases and interfaces hold no runtime code; the walker skips them. */
export function isTypeOnly(node: ts.Node): boolean {
  const kind = node.kind;
  return (
    (kind >= SK.FirstTypeNode && kind <= SK.LastTypeNode) ||
    kind === SK.InterfaceDeclaration ||
    kind === SK.TypeAliasDeclaration ||
    kind === SK.TypeParameter
  );
}

/** `&&` `||` `??`: ESTree's LogicalExpression. */
export function isLogicalOperator(kind: ts.SyntaxKind): boolean {
  return (
    kind === SK.AmpersandAmpersandToken ||
    kind === SK.BarBarToken ||
    kind === SK.QuestionQuestionToken
  );
}

/** `&&=` `||=` `??=`. */
export function isLogicalAssignment(kind: ts.SyntaxKind): boolean {
  return (
    kind === SK.AmpersandAmpersandEqualsToken ||
    kind === SK.BarBarEqualsToken ||
    kind === SK.QuestionQuestionEqualsToken
  );
}

export function isLogical(node: ts.Node): node is ts.BinaryExpression {
  return (
    node.kind === SK.BinaryExpression &&
    isLogicalOperator((node as ts.BinaryExpression).operatorToken.kind)
  );
}

export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration
  | ts.ConstructorDeclaration;

const KINDS: ReadonlyMap<ts.SyntaxKind, FunctionMetrics['kind']> = new Map([
  [SK.FunctionDeclaration, 'function'],
  [SK.FunctionExpression, 'function-expression'],
  [SK.ArrowFunction, 'arrow'],
  [SK.MethodDeclaration, 'method'],
  [SK.GetAccessor, 'getter'],
  [SK.SetAccessor, 'setter'],
  [SK.Constructor, 'constructor'],
]);

/** The metrics' kind of a function-like node, or undefined for any other node. */
export function functionKind(node: ts.Node): FunctionMetrics['kind'] | undefined {
  return KINDS.get(node.kind);
}

/**
 * Nodes that are functions to ESLint (FunctionDeclaration, FunctionExpression,
 * ArrowFunctionExpression, which is what sonarjs's `:function` selector matches): those with a
 * body. A method's ESTree function is its FunctionExpression value.
 */
export function isEstreeFunction(node: ts.Node): boolean {
  return (
    (node.kind === SK.FunctionExpression ||
      node.kind === SK.ArrowFunction ||
      node.kind === SK.FunctionDeclaration) &&
    (node as ts.FunctionDeclaration).body !== undefined
  );
}

/** A property or member name as a reader sees it: `a`, `#a`, `'a-b'` → `a-b`, `[Symbol.iterator]`. */
export function propertyNameText(name: ts.PropertyName, sourceFile: ts.SourceFile): string {
  switch (name.kind) {
    case SK.Identifier:
    case SK.PrivateIdentifier:
    case SK.StringLiteral:
    case SK.NumericLiteral:
    case SK.NoSubstitutionTemplateLiteral:
    case SK.BigIntLiteral:
      return name.text;
    case SK.ComputedPropertyName:
      return `[${sourceFile.text.slice(name.expression.getStart(sourceFile), name.expression.end)}]`;
    default:
      return '<anonymous>';
  }
}

/** What an assignment's left side names: `f`, `obj.m` → `m`, `obj['m']` → `m`. */
export function assignedName(target: ts.Node): string | undefined {
  const node = skipValueWrappers(target);
  switch (node.kind) {
    case SK.Identifier:
      return (node as ts.Identifier).text;
    case SK.PropertyAccessExpression:
      return (node as ts.PropertyAccessExpression).name.text;
    case SK.ElementAccessExpression: {
      const argument = (node as ts.ElementAccessExpression).argumentExpression;
      return ts.isStringLiteralLike(argument) || ts.isNumericLiteral(argument)
        ? argument.text
        : undefined;
    }
    default:
      return undefined;
  }
}

/** Whether the node carries the given modifier keyword. */
export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (modifiers === undefined) return false;
  for (const modifier of modifiers) if (modifier.kind === kind) return true;
  return false;
}

/**
 * Where a declaration starts for a reader: after its decorators (which may span lines above it),
 * at its first modifier, keyword or name.
 */
export function startAfterDecorators(node: ts.Node, sourceFile: ts.SourceFile): number {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (modifiers === undefined) return node.getStart(sourceFile);
  let lastDecoratorEnd = -1;
  for (const modifier of modifiers)
    if (modifier.kind === SK.Decorator) lastDecoratorEnd = modifier.end;
  return lastDecoratorEnd < 0
    ? node.getStart(sourceFile)
    : skipTrivia(sourceFile.text, lastDecoratorEnd);
}

/** The first position at or after `pos` that is not whitespace or a comment. */
export function skipTrivia(text: string, pos: number): number {
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 0x2f /* / */ && text.charCodeAt(pos + 1) === 0x2f) {
      const eol = text.indexOf('\n', pos);
      pos = eol < 0 ? text.length : eol;
    } else if (c === 0x2f && text.charCodeAt(pos + 1) === 0x2a /* * */) {
      const close = text.indexOf('*/', pos + 2);
      pos = close < 0 ? text.length : close + 2;
    } else if (ts.isWhiteSpaceLike(c)) {
      pos++;
    } else {
      return pos;
    }
  }
  return pos;
}
