import { Node, ts, type Symbol as MorphSymbol, type Type } from 'ts-morph';

/**
 * What the offline generator asks of a TypeScript type, shared by the arbitraries (inputs) and the
 * shape checks (outputs): which standard-library type it is, a literal's source text, a tuple's
 * element kinds, an object's own properties. Both walks are bounded by the same limits.
 */

/** Deepest nesting either walk follows before giving up on a type. */
export const MAX_DEPTH = 6;
/** Most union members, properties or tuple elements either walk spells out. */
export const MAX_MEMBERS = 40;
/** Longest generated source either walk returns. */
export const MAX_SOURCE = 6000;

/** Outcome of deriving source text from a type: the source, or why there is none. */
export type Derived = { ok: true; source: string } | { ok: false; reason: string };

export const fail = (reason: string): Derived => ({ ok: false, reason });
export const done = (source: string): Derived =>
  source.length > MAX_SOURCE
    ? fail(`the generated source would be over ${MAX_SOURCE} characters`)
    : { ok: true, source };

/** A type's text for messages: one line, bounded. */
export function describeType(type: Type): string {
  const text = type
    .getText()
    .replace(/import\("[^"]*"\)\./g, '')
    .replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The standard library's name for the type (`Date`, `Map`, `Promise`) when it is one of its own. */
export function libraryTypeName(type: Type): string | null {
  const symbol = type.getSymbol();
  // Anonymous types (`__type`, `__object`) are shapes, even when a library alias made them.
  if (!symbol || symbol.getName().startsWith('__')) return null;
  const declarations = symbol.getDeclarations();
  if (declarations.length === 0) return null;
  const fromLib = declarations.every((d) => {
    const file = d.getSourceFile();
    return file.isDeclarationFile() && /(^|\/)lib\.[\w.]*d\.ts$/.test(file.getFilePath());
  });
  return fromLib ? symbol.getName() : null;
}

/** Whether instances of the type come from a class (they need a constructor to make). */
export function isClassInstance(type: Type): boolean {
  const symbol = type.getSymbol();
  return symbol?.getDeclarations().some((d) => Node.isClassDeclaration(d)) ?? false;
}

/** Source text of a literal type's value (`"a"`, `-1`, `true`, `10n`), or null for a non-literal. */
export function literalSource(type: Type): string | null {
  if (type.isBooleanLiteral()) return type.getText() === 'true' ? 'true' : 'false';
  if (type.isNull()) return 'null';
  if (type.isUndefined()) return 'undefined';
  if (!type.isLiteral()) return null;
  const value = type.getLiteralValue();
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (value && typeof value === 'object' && 'base10Value' in value) {
    const big = value as ts.PseudoBigInt;
    return `${big.negative ? '-' : ''}${big.base10Value}n`;
  }
  return null;
}

/** Whether every element of a tuple type is required (no `x?`, no `...rest`). */
export function tupleIsFixed(type: Type): boolean {
  const target = (type.compilerType as ts.TupleTypeReference).target as ts.TupleType | undefined;
  return (target?.elementFlags ?? []).every((flag) => flag === ts.ElementFlags.Required);
}

/** The type is a function (anything callable or constructible). */
export function isCallable(type: Type): boolean {
  return type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0;
}

/** A property of an object type, with its type seen from `at`. */
export interface PropertyFact {
  name: string;
  type: Type;
  optional: boolean;
}

/** The named properties of an object type, or why they cannot be listed. */
export function propertiesOf(
  type: Type,
  at: Node,
): { ok: true; properties: PropertyFact[] } | { ok: false; reason: string } {
  const symbols: MorphSymbol[] = type.getProperties();
  if (symbols.length > MAX_MEMBERS)
    return { ok: false, reason: `more than ${MAX_MEMBERS} properties` };
  const properties: PropertyFact[] = [];
  for (const symbol of symbols) {
    const name = symbol.getName();
    if (name.startsWith('__@') || name.startsWith('#') || name.startsWith('__#'))
      return { ok: false, reason: `a symbol-keyed or private property (${name})` };
    properties.push({
      name,
      type: symbol.getTypeAtLocation(at),
      optional: symbol.hasFlags(ts.SymbolFlags.Optional),
    });
  }
  return { ok: true, properties };
}

/** A property key as a computed key (`["__proto__"]`), so no name is ever special in a literal. */
export const keySource = (name: string): string => `[${JSON.stringify(name)}]`;

/** Type identity across ts-morph's wrappers, for recursion checks. */
export const typeId = (type: Type): ts.Type => type.compilerType;
