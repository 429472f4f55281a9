import * as fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  deriveArbitrary,
  deriveShapeCheck,
  loadModule,
  type Derived,
} from '../../../src/testgen/offline/index.ts';
import { typeCheck } from './support.ts';

/** Each alias's derived arbitrary and shape check, read from a module of type declarations. */
async function deriveAll(
  text: string,
): Promise<Map<string, { arbitrary: Derived; shape: Derived }>> {
  const { sourceFile } = await loadModule({ path: 'src/types.ts', text }, async () => null);
  const out = new Map<string, { arbitrary: Derived; shape: Derived }>();
  for (const alias of sourceFile.getTypeAliases().filter((a) => a.isExported()))
    out.set(alias.getName(), {
      arbitrary: deriveArbitrary(alias.getType(), alias),
      shape: deriveShapeCheck(alias.getType(), alias),
    });
  for (const face of sourceFile.getInterfaces().filter((i) => i.isExported()))
    out.set(face.getName(), {
      arbitrary: deriveArbitrary(face.getType(), face),
      shape: deriveShapeCheck(face.getType(), face),
    });
  return out;
}

const source = (derived: Derived | undefined): string => {
  if (!derived?.ok) throw new Error(`expected a source, got ${JSON.stringify(derived)}`);
  return derived.source;
};

/** Evaluates a generated arbitrary (plain JavaScript over `fc`). */
const evaluateArbitrary = (text: string): fc.Arbitrary<unknown> =>
  new Function('fc', `return ${ts.transpile(`(${text})`, { target: ts.ScriptTarget.ES2022 })}`)(
    fc,
  ) as fc.Arbitrary<unknown>;

/** Evaluates a generated shape check (TypeScript: transpiled first). */
const evaluateCheck = (text: string): ((v: unknown) => boolean) =>
  new Function(`return ${ts.transpile(`(${text})`, { target: ts.ScriptTarget.ES2022 })}`)() as (
    v: unknown,
  ) => boolean;

const SUPPORTED = `
export type TNumber = number;
export type TString = string;
export type TBoolean = boolean;
export type TBigint = bigint;
export type TLiteral = 'only';
export type TLiterals = 'a' | 'b' | 1 | -2 | true | 10n;
export type TArray = number[];
export type TReadonly = readonly string[];
export type TTuple = [string, number, boolean];
export type TReadonlyTuple = readonly [Date, 'x'];
export interface TInterface {
  id: number;
  name?: string;
  tags: string[];
  nested: { deep?: boolean | null; when: Date | undefined };
}
export type TRecord = Record<string, number>;
export type TIndex = { [key: string]: { n: number } };
export type TDate = Date;
const COLORS = { red: '#f00', green: '#0f0' } as const;
export type TConstValues = (typeof COLORS)[keyof typeof COLORS];
export type TConstKeys = keyof typeof COLORS;
export type TConstObject = typeof COLORS;
export type TUnion = string | number[] | { kind: 'a' } | null;
export type TOptional = string | undefined;
export type TNullable = number | null;
export type THostile = {
  __proto__: string;
  constructor: number;
  'a-b': boolean;
  'quo"te\\'s': string;
  toString: string;
};
export type THostileOptional = { constructor?: number; __proto__?: string; valueOf?: boolean };
export type TIntersection = { a: number } & { b?: string };
interface Box<T> { value: T }
export type TGenericInstance = Box<number>;
export type TNull = null;
export type TUndefined = undefined;
`;

describe('deriveArbitrary', () => {
  it('writes fast-check source for each supported kind', async () => {
    const derived = await deriveAll(SUPPORTED);
    const arb = (name: string) => source(derived.get(name)?.arbitrary);
    expect(arb('TString')).toBe('fc.string()');
    expect(arb('TBoolean')).toBe('fc.boolean()');
    expect(arb('TBigint')).toBe('fc.bigInt()');
    expect(arb('TNumber')).toMatch(/^fc\.oneof\(fc\.integer\(\), fc\.double\(/);
    expect(arb('TLiteral')).toBe('fc.constant("only")');
    expect(arb('TLiterals')).toBe(
      'fc.constantFrom(true as const, "a" as const, "b" as const, 1 as const, -2 as const, 10n as const)',
    );
    expect(arb('TArray')).toMatch(/^fc\.array\(fc\.oneof\(/);
    expect(arb('TReadonly')).toBe('fc.array(fc.string())');
    expect(arb('TTuple')).toMatch(
      /^fc\.tuple\(fc\.string\(\), fc\.oneof\(.*\), fc\.boolean\(\)\)$/,
    );
    expect(arb('TReadonlyTuple')).toBe(
      'fc.tuple(fc.date({ noInvalidDate: true }), fc.constant("x"))',
    );
    expect(arb('TInterface')).toContain(
      '{ requiredKeys: ["id", "tags", "nested"], noNullPrototype: true }',
    );
    expect(arb('TInterface')).toContain('["name"]: fc.string()');
    expect(arb('TRecord')).toMatch(/^fc\.dictionary\(fc\.string\(\), fc\.oneof/);
    expect(arb('TIndex')).toContain('fc.dictionary(fc.string(), fc.record({ ["n"]:');
    expect(arb('TDate')).toBe('fc.date({ noInvalidDate: true })');
    expect(arb('TConstValues')).toBe('fc.constantFrom("#f00" as const, "#0f0" as const)');
    expect(arb('TConstKeys')).toBe('fc.constantFrom("red" as const, "green" as const)');
    expect(arb('TConstObject')).toBe(
      'fc.record({ ["red"]: fc.constant("#f00"), ["green"]: fc.constant("#0f0") }, { noNullPrototype: true })',
    );
    expect(arb('TOptional')).toBe('fc.option(fc.string(), { nil: undefined })');
    expect(arb('TNullable')).toMatch(/^fc\.option\(fc\.oneof\(.*\), \{ nil: null \}\)$/);
    expect(arb('TNull')).toBe('fc.constant(null)');
    expect(arb('TUndefined')).toBe('fc.constant(undefined)');
    expect(arb('THostile')).toContain('["__proto__"]: fc.string()');
    expect(arb('TGenericInstance')).toMatch(/^fc\.record\(\{ \["value"\]: fc\.oneof/);
  });

  it('writes source that type-checks as fc.Arbitrary of the very type, under exactOptionalPropertyTypes', async () => {
    const derived = await deriveAll(SUPPORTED);
    const lines = ["import * as fc from 'fast-check';", "import type * as T from './types.ts';"];
    for (const [name, { arbitrary }] of derived)
      lines.push(`export const ${name}: fc.Arbitrary<T.${name}> = ${source(arbitrary)};`);
    expect(typeCheck({ 'types.ts': SUPPORTED, 'arbitraries.ts': lines.join('\n') })).toEqual([]);
  });

  it('is checked by a type-checker that does reject a wrong arbitrary', () => {
    const errors = typeCheck({
      'types.ts': SUPPORTED,
      'wrong.ts': [
        "import * as fc from 'fast-check';",
        "import type * as T from './types.ts';",
        'export const a: fc.Arbitrary<T.TLiterals> = fc.string();',
      ].join('\n'),
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^wrong\.ts:3: Type 'Arbitrary<string>' is not assignable/);
  });

  it('produces values that pass the shape check of the same type; hostile keys stay own keys', async () => {
    const derived = await deriveAll(SUPPORTED);
    for (const [name, { arbitrary, shape }] of derived) {
      // A bare undefined is what a function that returns nothing returns: no shape to check.
      if (name === 'TUndefined') continue;
      const check = evaluateCheck(source(shape));
      for (const value of fc.sample(evaluateArbitrary(source(arbitrary)), { numRuns: 50, seed: 7 }))
        expect(check(value), `${name}: ${fc.stringify(value)}`).toBe(true);
    }
    const hostile = fc.sample(evaluateArbitrary(source(derived.get('THostile')?.arbitrary)), {
      numRuns: 20,
      seed: 3,
    }) as Record<string, unknown>[];
    for (const value of hostile) {
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.hasOwn(value, '__proto__')).toBe(true);
      expect(typeof value['__proto__']).toBe('string');
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('gives no arbitrary, with the reason, for types it cannot generate', async () => {
    const derived = await deriveAll(`
export type URecursive = { value: number; next: URecursive | null };
export type UFunction = (x: number) => number;
export type UAny = any;
export type UUnknown = unknown;
export class Point { x = 1 }
export type UClass = Point;
export type UMap = Map<string, number>;
export type UTemplate = \`id-\${string}\`;
export type UBrand = string & { readonly brand: 'id' };
export type UNumberIndex = { [n: number]: string };
export type UOptionalTuple = [string, number?];
export type URestTuple = [string, ...number[]];
export type UEmpty = {};
export type UNever = never;
export type USymbolKey = { [Symbol.iterator]: number };
export type UDeep = { a: { b: { c: { d: { e: { f: { g: { h: string } } } } } } } };
`);
    const reason = (name: string): string => {
      const d = derived.get(name)?.arbitrary;
      if (!d || d.ok) throw new Error(`${name}: expected no arbitrary, got ${JSON.stringify(d)}`);
      return d.reason;
    };
    expect(reason('URecursive')).toBe('property "next": recursive type URecursive');
    expect(reason('UFunction')).toBe('a function (UFunction)');
    expect(reason('UAny')).toBe('any: there is nothing to generate from');
    expect(reason('UUnknown')).toBe('unknown: there is nothing to generate from');
    expect(reason('UClass')).toBe('a class instance (Point) needs its constructor');
    expect(reason('UMap')).toBe('Map from the standard library has no generated arbitrary');
    expect(reason('UTemplate')).toBe('a template literal type (`id-${string}`)');
    expect(reason('UBrand')).toMatch(/^intersection with a primitive or a function/);
    expect(reason('UNumberIndex')).toMatch(/^a number index signature/);
    expect(reason('UOptionalTuple')).toMatch(/^a tuple with optional or rest elements/);
    expect(reason('URestTuple')).toMatch(/^a tuple with optional or rest elements/);
    expect(reason('UEmpty')).toMatch(/^an object type with no properties/);
    expect(reason('UNever')).toBe('never: no value has this type');
    expect(reason('USymbolKey')).toMatch(/symbol-keyed or private property/);
    expect(reason('UDeep')).toMatch(/nested deeper than 6 levels/);
  });
});

/** Type expressions of the supported kinds, with hostile keys, as TypeScript source. */
const typeExpression = fc.letrec<{ type: string }>((tie) => ({
  type: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'type' },
    fc.constantFrom('string', 'number', 'boolean', 'bigint', 'null', 'Date', '"a"', '-1', 'true'),
    tie('type').map((t) => `(${t})[]`),
    tie('type').map((t) => `readonly (${t})[]`),
    fc.tuple(tie('type'), tie('type')).map(([a, b]) => `[${a}, ${b}]`),
    fc.tuple(tie('type'), tie('type')).map(([a, b]) => `(${a}) | (${b})`),
    tie('type').map((t) => `Record<string, ${t}>`),
    fc
      .uniqueArray(
        fc.record({
          key: fc.constantFrom('a', '__proto__', 'constructor', 'b-c', 'toString', 'x y'),
          optional: fc.boolean(),
          type: tie('type'),
        }),
        { minLength: 1, maxLength: 3, selector: (f) => f.key },
      )
      .map(
        (fields) =>
          `{ ${fields.map((f) => `${JSON.stringify(f.key)}${f.optional ? '?' : ''}: ${f.type}`).join('; ')} }`,
      ),
  ),
})).type;

describe('deriveArbitrary on generated types (property)', () => {
  it('derives an arbitrary for every supported type, whose values pass the same type\u2019s shape check', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(typeExpression, { minLength: 1, maxLength: 8 }), async (types) => {
        const text = types.map((t, i) => `export type T${i} = ${t};`).join('\n');
        const derived = await deriveAll(text);
        for (const [name, { arbitrary, shape }] of derived) {
          const check = evaluateCheck(source(shape));
          const values = fc.sample(evaluateArbitrary(source(arbitrary)), { numRuns: 10, seed: 1 });
          for (const value of values) expect(check(value), `${name} = ${text}`).toBe(true);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('writes source that type-checks for a sample of generated types', async () => {
    const types = fc.sample(typeExpression, { numRuns: 30, seed: 42 });
    const text = types.map((t, i) => `export type T${i} = ${t};`).join('\n');
    const derived = await deriveAll(text);
    const lines = ["import * as fc from 'fast-check';", "import type * as T from './types.ts';"];
    for (const [name, { arbitrary }] of derived)
      lines.push(`export const ${name}: fc.Arbitrary<T.${name}> = ${source(arbitrary)};`);
    expect(typeCheck({ 'types.ts': text, 'arbitraries.ts': lines.join('\n') })).toEqual([]);
  });
});
