import { describe, expect, it } from 'vitest';
import { analyseSource } from '../../../src/health/complexity/analyse.ts';

function names(code: string, path = 'input.ts'): [string, string][] {
  return analyseSource(path, code).functions.map((f) => [f.name, f.kind]);
}

describe('function names and kinds', () => {
  it('takes declared names, and otherwise what the function is assigned to', () => {
    const code = `
function declared() {}
const arrow = () => {};
let expression = function () {};
const named = function inner() {};
obj.method = function () {};
obj['quoted'] = () => {};
module.exports = () => {};
const wrapped = (() => {}) as unknown;
function withDefault(callback = () => {}) {}
const { fallback = () => {} } = {};
[1].map((x) => x);
`;
    expect(names(code)).toEqual([
      ['declared', 'function'],
      ['arrow', 'arrow'],
      ['expression', 'function-expression'],
      ['inner', 'function-expression'],
      ['method', 'function-expression'],
      ['quoted', 'arrow'],
      ['exports', 'arrow'],
      ['wrapped', 'arrow'],
      ['withDefault', 'function'],
      ['callback', 'arrow'],
      ['fallback', 'arrow'],
      ['<anonymous>', 'arrow'],
    ]);
  });

  it('names class members Class.member, with every member kind', () => {
    const code = `
class K {
  constructor() {}
  method() {}
  static create() {}
  get value() { return 1; }
  set value(v) {}
  field = () => {};
  #secret() {}
  ['computed' + 1]() {}
  'quoted-name'() {}
}
const C = class { m() {} };
`;
    expect(names(code)).toEqual([
      ['K.constructor', 'constructor'],
      ['K.method', 'method'],
      ['K.create', 'method'],
      ['K.value', 'getter'],
      ['K.value', 'setter'],
      ['K.field', 'arrow'],
      ['K.#secret', 'method'],
      ["K.['computed' + 1]", 'method'],
      ['K.quoted-name', 'method'],
      ['C.m', 'method'],
    ]);
  });

  it('names object literal members by their key', () => {
    const code = "const o = { a: () => {}, b() {}, 'c-d': function () {}, get e() { return 1; } };";
    expect(names(code)).toEqual([
      ['a', 'arrow'],
      ['b', 'method'],
      ['c-d', 'function-expression'],
      ['e', 'getter'],
    ]);
  });

  it('calls default exports "default"', () => {
    expect(names('export default function () {}')).toEqual([['default', 'function']]);
    expect(names('export default () => {};')).toEqual([['default', 'arrow']]);
    expect(names('export default class { m() {} }')).toEqual([['default.m', 'method']]);
  });
});

describe('qualified names and body fingerprints', () => {
  it('qualifies a name with the enclosing functions, outermost first', () => {
    const code = `
function make() {
  const helper = () => 1;
  class Parser { parse() { return [1].map((x) => x); } }
  return { parse() {} };
}
describe('x', () => { it('y', () => {}); });
`;
    expect(analyseSource('input.ts', code).functions.map((f) => f.qualifiedName)).toEqual([
      'make',
      'make > helper',
      'make > Parser.parse',
      'make > Parser.parse > <anonymous>',
      'make > parse',
      '<anonymous>',
      '<anonymous> > <anonymous>',
    ]);
  });

  it('fingerprints a body the same wherever it moves, and differently when it changes', () => {
    const body = 'function f(a) {\n  if (a) return 1;\n  return a * 2;\n}\n';
    const [moved] = analyseSource('b.js', `// header\n\nconst x = 1;\n${body}`).functions;
    const [original] = analyseSource('a.js', body).functions;
    const [changed] = analyseSource('c.js', body.replace('a * 2', 'a * 3')).functions;
    expect(original!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(moved!.fingerprint).toBe(original!.fingerprint);
    expect(changed!.fingerprint).not.toBe(original!.fingerprint);
  });
});
