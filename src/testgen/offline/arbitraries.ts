import type { Node, ts, Type } from 'ts-morph';
import {
  describeType,
  done,
  fail,
  isCallable,
  isClassInstance,
  keySource,
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
 * fast-check arbitraries written as source text from TypeScript types: the offline generator's
 * inputs. The source refers to `fc` (fast-check's namespace) and nothing else, so it runs in any
 * test file that imports fast-check; literal values are spelled out, never imported.
 */

/**
 * Numbers a user would accept as "any number": integers and finite doubles. NaN, the infinities
 * and -0 are left out, since a round-trip through text (JSON, a query string) legitimately loses
 * them, and a property that fails on them would report a bug nobody has.
 */
const NUMBER =
  'fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)))';

interface Walk {
  /** Where property types are read from (the function the arbitrary is for). */
  at: Node;
  /** The types being derived above this one: meeting one again means the type is recursive. */
  stack: ts.Type[];
}

/**
 * The fast-check arbitrary for a type, as source (`fc.record({ ["a"]: fc.string() })`), or why
 * there is none: recursive types, type parameters, functions, class instances, `any`/`unknown`.
 * `at` is the node the type was read at (property types are resolved there).
 */
export function deriveArbitrary(type: Type, at: Node): Derived {
  return derive(type, { at, stack: [] });
}

/** The arbitrary's source for a type, or null when it has none (`deriveArbitrary` says why). */
export function arbitraryFor(type: Type, at: Node): string | null {
  const derived = deriveArbitrary(type, at);
  return derived.ok ? derived.source : null;
}

/**
 * The arbitrary for the type without `undefined`: for an optional parameter or property, where
 * leaving the value out is the way to say "none".
 */
export function deriveDefinedArbitrary(type: Type, at: Node): Derived {
  return defined(type, { at, stack: [] });
}

function defined(type: Type, walk: Walk): Derived {
  if (!type.isUnion()) return derive(type, walk);
  const members = type.getUnionTypes().filter((t) => !t.isUndefined());
  if (members.length === 0) return fail('only undefined: no value to pass');
  if (members.length === 1 && members[0]) return derive(members[0], walk);
  return membersArbitrary(type, members, { at: walk.at, stack: [...walk.stack, typeId(type)] });
}

function derive(type: Type, walk: Walk): Derived {
  if (walk.stack.length > MAX_DEPTH) return fail(`nested deeper than ${MAX_DEPTH} levels`);
  if (walk.stack.includes(typeId(type))) return fail(`recursive type ${describeType(type)}`);
  const primitive = primitiveArbitrary(type);
  if (primitive) return primitive;
  const inner: Walk = { at: walk.at, stack: [...walk.stack, typeId(type)] };
  if (type.isUnion()) return unionArbitrary(type, inner);
  if (type.isIntersection()) {
    if (type.getIntersectionTypes().some((t) => !t.isObject() || isCallable(t)))
      return fail(`intersection with a primitive or a function (${describeType(type)})`);
    return objectArbitrary(type, inner);
  }
  if (type.isArray() || type.isReadonlyArray()) {
    const element = type.getArrayElementType() ?? type.getTypeArguments()[0];
    if (!element) return fail(`array of unknown elements (${describeType(type)})`);
    const arb = derive(element, inner);
    return arb.ok ? done(`fc.array(${arb.source})`) : arb;
  }
  if (type.isTuple()) return tupleArbitrary(type, inner);
  if (isCallable(type)) return fail(`a function (${describeType(type)})`);
  const library = libraryTypeName(type);
  if (library === 'Date') return done('fc.date({ noInvalidDate: true })');
  if (library) return fail(`${library} from the standard library has no generated arbitrary`);
  if (isClassInstance(type))
    return fail(`a class instance (${describeType(type)}) needs its constructor`);
  if (type.isObject()) return objectArbitrary(type, inner);
  return fail(`unsupported type ${describeType(type)}`);
}

/** Keywords and literals: a fixed arbitrary, a reason, or null for a structured type. */
function primitiveArbitrary(type: Type): Derived | null {
  if (type.isAny()) return fail('any: there is nothing to generate from');
  if (type.isUnknown()) return fail('unknown: there is nothing to generate from');
  if (type.isNever()) return fail('never: no value has this type');
  if (type.isVoid()) return fail('void: no value to pass');
  if (type.isTypeParameter()) return fail(`a type parameter (${describeType(type)}): generic`);
  if (type.isEnumLiteral() || type.isEnum())
    return fail(`an enum (${describeType(type)}): the test would have to import it`);
  if (type.isTemplateLiteral()) return fail(`a template literal type (${describeType(type)})`);
  if (type.isBoolean()) return done('fc.boolean()');
  if (type.isString()) return done('fc.string()');
  if (type.isNumber()) return done(NUMBER);
  if (type.isBigInt()) return done('fc.bigInt()');
  const literal = literalSource(type);
  if (literal !== null) return done(`fc.constant(${literal})`);
  if (type.isLiteral()) return fail(`an unsupported literal (${describeType(type)})`);
  return null;
}

function unionArbitrary(type: Type, walk: Walk): Derived {
  return membersArbitrary(type, type.getUnionTypes(), walk);
}

/** One of the members: literals from `fc.constantFrom`, the others from their own arbitraries. */
function membersArbitrary(type: Type, members: Type[], walk: Walk): Derived {
  if (members.length > MAX_MEMBERS) return fail(`a union of more than ${MAX_MEMBERS} members`);
  if (members.some((m) => m.isEnumLiteral()))
    return fail(`an enum (${describeType(type)}): the test would have to import it`);
  const literals: string[] = [];
  const others: Type[] = [];
  const booleans = members.filter((m) => m.isBooleanLiteral()).length === 2;
  for (const member of members) {
    const literal = booleans && member.isBooleanLiteral() ? null : literalSource(member);
    if (literal !== null) literals.push(literal);
    else if (!(booleans && member.isBooleanLiteral())) others.push(member);
  }
  const parts: string[] = [];
  if (booleans) parts.push('fc.boolean()');
  for (const member of others) {
    const arb = derive(member, walk);
    if (!arb.ok) return arb;
    parts.push(arb.source);
  }
  const nil = literals.length === 1 && (literals[0] === 'null' || literals[0] === 'undefined');
  if (nil && parts.length === 1) return done(`fc.option(${parts[0]}, { nil: ${literals[0]} })`);
  // Each literal `as const`: inside fc.array, fc.record or fc.dictionary, constantFrom's own
  // const inference widens `"a", 1` to `string | number`, which the target does not accept.
  const pinned = literals.map((l) => (l === 'null' || l === 'undefined' ? l : `${l} as const`));
  if (literals.length > 0)
    parts.unshift(
      literals.length === 1
        ? `fc.constant(${literals[0]})`
        : `fc.constantFrom(${pinned.join(', ')})`,
    );
  return done(parts.length === 1 ? (parts[0] ?? '') : `fc.oneof(${parts.join(', ')})`);
}

function tupleArbitrary(type: Type, walk: Walk): Derived {
  if (!tupleIsFixed(type))
    return fail(`a tuple with optional or rest elements (${describeType(type)})`);
  const elements = type.getTupleElements();
  if (elements.length > MAX_MEMBERS) return fail(`a tuple of more than ${MAX_MEMBERS} elements`);
  const parts: string[] = [];
  for (const element of elements) {
    const arb = derive(element, walk);
    if (!arb.ok) return arb;
    parts.push(arb.source);
  }
  return done(`fc.tuple(${parts.join(', ')})`);
}

function objectArbitrary(type: Type, walk: Walk): Derived {
  if (type.getNumberIndexType()) return fail(`a number index signature (${describeType(type)})`);
  const index = type.getStringIndexType();
  const listed = propertiesOf(type, walk.at);
  if (!listed.ok) return fail(`${describeType(type)} has ${listed.reason}`);
  const { properties } = listed;
  if (index) {
    if (properties.length > 0)
      return fail(`both named properties and an index signature (${describeType(type)})`);
    const value = derive(index, walk);
    return value.ok
      ? done(`fc.dictionary(fc.string(), ${value.source}, { noNullPrototype: true })`)
      : value;
  }
  if (properties.length === 0)
    return fail(
      `an object type with no properties (${describeType(type)}) accepts almost anything`,
    );
  const fields: string[] = [];
  const required: string[] = [];
  for (const property of properties) {
    // An optional property is left out rather than set to undefined (`requiredKeys`), which
    // `exactOptionalPropertyTypes` also accepts.
    const arb = property.optional ? defined(property.type, walk) : derive(property.type, walk);
    if (!arb.ok) return fail(`property ${JSON.stringify(property.name)}: ${arb.reason}`);
    fields.push(`${keySource(property.name)}: ${arb.source}`);
    if (!property.optional) required.push(JSON.stringify(property.name));
  }
  const constraints =
    required.length === properties.length
      ? '{ noNullPrototype: true }'
      : `{ requiredKeys: [${required.join(', ')}], noNullPrototype: true }`;
  return done(`fc.record({ ${fields.join(', ')} }, ${constraints})`);
}
