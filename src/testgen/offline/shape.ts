import type { Node, ts, Type } from 'ts-morph';
import {
  describeType,
  done,
  fail,
  isCallable,
  libraryTypeName,
  literalSource,
  MAX_DEPTH,
  MAX_MEMBERS,
  propertiesOf,
  tupleIsFixed,
  typeId,
  type Derived,
} from './type-facts.ts';

/**
 * Runtime checks generated from a declared return type, as source: an arrow function
 * `(v: unknown): boolean => ...` that is true when a value has the declared shape (typeof checks,
 * array-ness, literal membership, required keys). It takes `unknown`, so it type-checks whatever
 * the function returns, and reads keys with `in` (a getter on a prototype counts as present).
 */

interface Walk {
  at: Node;
  stack: ts.Type[];
}

const predicate = (body: string): Derived => done(`(v: unknown): boolean => ${body}`);

/** The shape check for a type, or why it cannot be checked at runtime. */
export function deriveShapeCheck(type: Type, at: Node): Derived {
  if (type.isVoid() || type.isUndefined()) return fail('it returns nothing to check');
  return derive(type, { at, stack: [] });
}

function derive(type: Type, walk: Walk): Derived {
  if (walk.stack.length > MAX_DEPTH) return fail(`nested deeper than ${MAX_DEPTH} levels`);
  if (walk.stack.includes(typeId(type))) return fail(`recursive type ${describeType(type)}`);
  if (type.isAny()) return fail('any: nothing to check');
  if (type.isUnknown()) return fail('unknown: nothing to check');
  if (type.isNever()) return fail('never: it never returns');
  if (type.isTypeParameter()) return fail(`a type parameter (${describeType(type)}): generic`);
  if (type.isVoid()) return predicate('v === undefined');
  if (type.isBoolean()) return predicate("typeof v === 'boolean'");
  if (type.isString() || type.isTemplateLiteral()) return predicate("typeof v === 'string'");
  if (type.isNumber()) return predicate("typeof v === 'number'");
  if (type.isBigInt()) return predicate("typeof v === 'bigint'");
  const literal = literalSource(type);
  if (literal !== null) return predicate(`v === ${literal}`);
  if (type.isLiteral()) return fail(`an unsupported literal (${describeType(type)})`);
  const inner: Walk = { at: walk.at, stack: [...walk.stack, typeId(type)] };
  if (type.isUnion()) return unionCheck(type, inner);
  if (type.isArray() || type.isReadonlyArray()) {
    const element = type.getArrayElementType() ?? type.getTypeArguments()[0];
    if (!element) return predicate('Array.isArray(v)');
    const check = derive(element, inner);
    return check.ok ? predicate(`Array.isArray(v) && v.every(${check.source})`) : check;
  }
  if (type.isTuple()) return tupleCheck(type, inner);
  if (isCallable(type)) return predicate("typeof v === 'function'");
  const library = libraryTypeName(type);
  if (library === 'Date') return predicate('v instanceof Date');
  if (library) return fail(`${library} from the standard library is not checked`);
  if (type.isObject() || type.isIntersection()) return objectCheck(type, inner);
  return fail(`unsupported type ${describeType(type)}`);
}

function unionCheck(type: Type, walk: Walk): Derived {
  const members = type.getUnionTypes();
  if (members.length > MAX_MEMBERS) return fail(`a union of more than ${MAX_MEMBERS} members`);
  const literals: string[] = [];
  const checks: string[] = [];
  for (const member of members) {
    const literal = literalSource(member);
    if (literal !== null) {
      literals.push(literal);
      continue;
    }
    const check = derive(member, walk);
    if (!check.ok) return check;
    checks.push(`(${check.source})(v)`);
  }
  if (literals.length > 0) checks.unshift(...literals.map((l) => `v === ${l}`));
  return predicate(checks.join(' || '));
}

function tupleCheck(type: Type, walk: Walk): Derived {
  if (!tupleIsFixed(type))
    return fail(`a tuple with optional or rest elements (${describeType(type)})`);
  const elements = type.getTupleElements();
  if (elements.length > MAX_MEMBERS) return fail(`a tuple of more than ${MAX_MEMBERS} elements`);
  const checks = [`Array.isArray(v)`, `v.length === ${elements.length}`];
  for (const [index, element] of elements.entries()) {
    const check = derive(element, walk);
    if (!check.ok) return check;
    checks.push(`(${check.source})(v[${index}])`);
  }
  return predicate(checks.join(' && '));
}

function objectCheck(type: Type, walk: Walk): Derived {
  const checks = ["typeof v === 'object'", 'v !== null'];
  const listed = propertiesOf(type, walk.at);
  if (!listed.ok) return fail(`${describeType(type)} has ${listed.reason}`);
  for (const property of listed.properties) {
    const check = derive(property.type, walk);
    if (!check.ok) return fail(`property ${JSON.stringify(property.name)}: ${check.reason}`);
    const key = JSON.stringify(property.name);
    // A key every object inherits (`__proto__`, `constructor`, `toString`) counts only when it is
    // the value's own; any other key may come from a prototype (a getter on a class).
    const inherited = property.name in Object.prototype;
    const read = inherited
      ? `(Object.hasOwn(v, ${key}) ? (v as Record<string, unknown>)[${key}] : undefined)`
      : `(v as Record<string, unknown>)[${key}]`;
    const value = `(${check.source})(${read})`;
    const mayBeAbsent =
      property.optional ||
      property.type.isUndefined() ||
      property.type.getUnionTypes().some((t) => t.isUndefined());
    const present = inherited ? `Object.hasOwn(v, ${key})` : `${key} in v`;
    checks.push(mayBeAbsent ? value : `${present} && ${value}`);
  }
  const index = type.getStringIndexType();
  if (index && listed.properties.length === 0) {
    const check = derive(index, walk);
    if (!check.ok) return check;
    checks.push(`Object.values(v).every(${check.source})`);
  }
  return predicate(checks.join(' && '));
}
