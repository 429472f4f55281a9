import { describe, expect, it } from 'vitest';
import { analyseSource } from '../../../src/health/complexity/analyse.ts';
import { compareWithReference } from './compare.ts';

/**
 * One construct at a time: the numbers we expect by hand, checked against our analyser and
 * against the real rules (ESLint `complexity`, sonarjs `cognitive-complexity`), so a hand count
 * that disagrees with the tools fails too.
 */
interface Case {
  name: string;
  code: string;
  path?: string;
  /** Function name → [cyclomatic, cognitive]. */
  expected: Record<string, [number, number]>;
}

const cases: Case[] = [
  {
    name: 'if, else if, else: +1 each to cognitive, else adds no path',
    code: 'function f(a, b) { if (a) {} else if (b) {} else {} }',
    expected: { f: [3, 3] },
  },
  {
    name: 'a nested if pays for its nesting',
    code: 'function f(a, b) { if (a) { if (b) {} } }',
    expected: { f: [3, 3] },
  },
  {
    name: 'an else-if chain stays at one level; its bodies are nested',
    code: 'function f(a, b, c) { if (a) {} else if (b) { if (c) {} } }',
    expected: { f: [4, 4] },
  },
  {
    name: 'ternaries, nested in a branch',
    code: 'function f(a, b) { return a ? (b ? 1 : 2) : 3; }',
    expected: { f: [3, 3] },
  },
  {
    name: 'every loop kind',
    code: 'function f(o, xs) { for (let i = 0; i < 1; i++) {} for (const k in o) {} for (const x of xs) {} while (o) {} do {} while (o); }',
    expected: { f: [6, 5] },
  },
  {
    name: 'nested loops',
    code: 'function f(xs) { for (const x of xs) { while (x) { do {} while (x); } } }',
    expected: { f: [4, 6] },
  },
  {
    name: 'switch: non-default cases to cyclomatic, the switch once to cognitive',
    code: 'function f(x) { switch (x) { case 1: case 2: break; default: } }',
    expected: { f: [3, 1] },
  },
  {
    name: 'switch cases are nested',
    code: 'function f(x, y) { switch (x) { case 1: if (y) {} } }',
    expected: { f: [3, 3] },
  },
  {
    name: 'catch is a branch and nests its body; try and finally are not',
    code: 'function f(a) { try { a(); } catch (e) { if (e) {} } finally { if (a) {} } }',
    expected: { f: [4, 4] },
  },
  {
    name: '&& sequences: one per run to cognitive, one per operator to cyclomatic',
    code: 'function f(a, b, c) { return a && b && c; }',
    expected: { f: [3, 1] },
  },
  {
    name: '|| and ?? add no cognitive complexity in eslint-plugin-sonarjs 4',
    code: 'function f(a, b, c) { return (a || b || c) ?? a; }',
    expected: { f: [4, 0] },
  },
  {
    name: 'mixed operators: each && after another operator starts a run',
    code: 'function f(a, b, c, d) { return a && b || c && d; }',
    expected: { f: [4, 2] },
  },
  {
    name: 'parentheses do not break a sequence, a negation does',
    code: 'function f(a, b, c) { return [a && (b && c), a && !(b && c)]; }',
    expected: { f: [5, 3] },
  },
  {
    name: 'logical assignment operators',
    code: 'function f(a, b, c) { a ||= 1; b &&= 2; c ??= 3; }',
    expected: { f: [4, 0] },
  },
  {
    name: 'default values: parameters, destructuring declarations and assignments, for-of targets',
    code:
      'function f(a = 1, { b = 2, c: [d = 3] = [] } = {}) {\n' +
      '  const { e = 4 } = a;\n' +
      '  let x, y, w, q;\n' +
      '  [x = 5] = a;\n' +
      '  ({ y = 6, z: w = 7 } = a);\n' +
      '  for ([q = 8] of a) {}\n' +
      '}',
    expected: { f: [12, 1] },
  },
  {
    name: 'optional chaining: each ?. is a branch',
    code: 'function f(a) { a?.b?.c(); a?.(); return a?.[0].d; }',
    expected: { f: [5, 0] },
  },
  {
    name: 'labelled break and continue',
    code: 'function f(a) { outer: for (;;) { for (;;) { if (a) continue outer; break outer; } } }',
    expected: { f: [4, 8] },
  },
  {
    name: 'nested functions count for themselves, and restart sonarjs nesting',
    code: 'function f(a, b) { if (a) { return () => { if (b) {} }; } }',
    expected: { f: [2, 1], '<anonymous>': [2, 1] },
  },
  {
    name: 'a function as a ternary branch leaves sonarjs nesting raised (matched on purpose)',
    code: 'function f(a, b) { const g = a ? () => 1 : 2; if (b) {} }',
    expected: { f: [3, 3], '<anonymous>': [1, 0] },
  },
  {
    name: 'field initialisers and static blocks: own code paths to ESLint, the function’s to sonarjs',
    code: 'function f(a, b) { class A { x = a ? 1 : 2; static { if (a) {} } m() { return a && b; } } return A; }',
    expected: { f: [1, 2], 'A.m': [2, 1] },
  },
  {
    name: '`accessor` fields have no code path of their own in ESLint',
    code: 'function f(a: boolean) { class A { accessor x = a ? 1 : 2; } return A; }',
    path: 'input.ts',
    expected: { f: [2, 1] },
  },
  {
    name: 'computed member names and decorators belong to the enclosing function',
    code: 'function f(a: string, b: string, d: () => ClassDecorator) { class A { @d() [a || b]() { return a ?? b; } } return A; }',
    path: 'input.ts',
    expected: { f: [2, 0], [`A.[a || b]`]: [2, 0] },
  },
  {
    name: 'recursion adds nothing in eslint-plugin-sonarjs 4',
    code: 'function f(n) { return n && f(n - 1); }',
    expected: { f: [2, 1] },
  },
  {
    name: 'JSX short-circuits of one operator add no cognitive complexity',
    code: 'function C({ a, b, c }) { return <div title={a && b}>{a && b && <span />}{a && (b || c)}{a ? b : c}</div>; }',
    path: 'input.tsx',
    expected: { C: [7, 2] },
  },
  {
    name: 'TypeScript: types, overloads and abstract members hold no complexity',
    code:
      'type T<X> = X extends string ? 1 : 2;\n' +
      'declare function g(a?: number): void;\n' +
      'abstract class B { abstract m(a?: number): void; n(this: B, a = 1) { return a!?.toString(); } }\n' +
      'function f(a: number): number; function f(a: string): string; function f(a: unknown) { return a as never; }',
    path: 'input.ts',
    expected: { 'B.n': [3, 0], f: [1, 0] },
  },
  {
    name: 'getters, setters, constructors and object methods',
    code: 'class A { constructor(private a = 1) {} get v() { return this.a || 0; } set w(x) { if (x) this.a = x; } }\nconst o = { m(a) { return a ?? 1; }, get p() { return 1; } };',
    path: 'input.ts',
    expected: { 'A.constructor': [2, 0], 'A.v': [2, 0], 'A.w': [2, 1], m: [2, 0], p: [1, 0] },
  },
];

describe('each construct against ESLint and sonarjs', () => {
  it.each(cases)('$name', ({ code, path = 'input.jsx', expected }) => {
    const functions = analyseSource(path, code).functions;
    const actual: Record<string, [number, number]> = {};
    for (const f of functions) actual[f.name] = [f.cyclomatic, f.cognitive];
    for (const [name, numbers] of Object.entries(expected))
      expect(actual[name], name).toEqual(numbers);
    expect(compareWithReference(path, code).mismatches).toEqual([]);
  });
});
