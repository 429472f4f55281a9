import { describe, expect, it } from 'vitest';
import { analyseSource } from '../../../src/health/complexity/analyse.ts';
import type { FunctionMetrics } from '../../../src/health/types.ts';

function fn(code: string, name: string, path = 'input.ts'): FunctionMetrics {
  const found = analyseSource(path, code).functions.find((f) => f.name === name);
  if (!found) throw new Error(`no function ${name} in:\n${code}`);
  return found;
}

describe('nesting', () => {
  const code = `function f(a: any, b: any, c: any, d: any) {
  if (a) {
    for (const x of b) {
      if (c) {}
    }
  } else if (b) {
    while (d) {}
  }
  try {
    a();
  } catch (e) {
    switch (e) {
      case 1:
        if (a) {}
    }
  }
  const g = () => { if (a) { if (b) { if (c) { if (d) {} } } } };
  return a ? (b ? (c ? 1 : 2) : 3) : 4;
}`;

  it('is the deepest chain of if, loop, switch and catch; else-if stays at its if’s level', () => {
    expect(fn(code, 'f').nesting).toBe(3);
  });

  it('restarts in a nested function, and ternaries do not nest', () => {
    expect(fn(code, 'g').nesting).toBe(4);
  });

  it('is 0 without control structures, and try alone does not nest', () => {
    expect(fn('function f() { try { a(); } finally { b(); } }', 'f').nesting).toBe(0);
  });
});

describe('bumps (Bumpy Road)', () => {
  it('counts the top-level statements of the body that reach nesting 2', () => {
    const code = `function f(a: any, b: any) {
  if (a) { if (b) {} }
  const x = 1;
  for (const y of a) { while (y) {} }
  if (b) {}
  try { g(); } catch { if (a) {} }
  return x;
}`;
    expect(fn(code, 'f').bumps).toBe(3);
  });

  it('is 0 for flat code and for expression bodies', () => {
    expect(fn('function f(a) { if (a) {} if (!a) {} }', 'f').bumps).toBe(0);
    expect(fn('const f = (a) => a ? 1 : 2;', 'f').bumps).toBe(0);
  });
});

describe('complex conditionals', () => {
  it('reports the branch condition with the most && || ?? operators, and its line', () => {
    const code = `function f(a: any, b: any, c: any) {
  if (a && b) {}
  while (a?.x ?? b) {}
  for (let i = 0; i < a && (b || c) && !c; i++) {}
  return a || b ? 1 : 2;
}`;
    expect(fn(code, 'f').complexConditional).toEqual({ operators: 3, line: 4 });
  });

  it('counts do-while and ternary conditions, not conditions of nested functions', () => {
    expect(fn('function f(a, b) { do {} while (a && b); }', 'f').complexConditional).toEqual({
      operators: 1,
      line: 1,
    });
    const nested = 'function f(xs, y, z) {\n  if (xs.some((x) => x && y && z)) {}\n}';
    expect(fn(nested, 'f').complexConditional).toBeNull();
    expect(fn('const t = (a, b) => a && b ? 1 : 2;', 't').complexConditional).toEqual({
      operators: 1,
      line: 1,
    });
  });

  it('is null when no condition has a logical operator; operators outside conditions do not count', () => {
    expect(
      fn('function f(a, b) { const c = a && b; if (c) {} }', 'f').complexConditional,
    ).toBeNull();
  });
});

describe('lines and parameters', () => {
  it('starts a decorated member after its decorators and counts length inclusively', () => {
    const code = `class A {
  @dec
  @dec2({
    a: 1,
  })
  method(a: number) {
    return a;
  }
}`;
    expect(fn(code, 'A.method')).toMatchObject({ line: 6, endLine: 8, length: 3 });
  });

  it('counts parameters without TypeScript’s `this`', () => {
    expect(fn('function f(this: Window, a, b = 1, ...rest) {}', 'f').params).toBe(3);
    expect(fn('const f = x => x;', 'f').params).toBe(1);
    expect(
      fn('class K { constructor(private a: number, public b = 2) {} }', 'K.constructor').params,
    ).toBe(2);
  });

  it('lists functions in source order, nested ones after their parent', () => {
    const code = 'function a() { const b = () => { function c() {} }; }\nfunction d() {}';
    expect(analyseSource('input.js', code).functions.map((f) => f.name)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });
});
