import { describe, expect, it } from 'vitest';
import { reseeded } from '../../src/testgen/reseed.ts';
import type { TestCandidate } from '../../src/testgen/types.ts';

function property(code: string): TestCandidate {
  return { name: 'p', code, imports: [], target: 'f', kind: 'property', origin: 'model' };
}

describe('reseeded', () => {
  it('sets every pinned seed of a property to the run seed, and nothing else', () => {
    const code = [
      "it('p', () => {",
      '  fc.assert(fc.property(fc.integer(), (seed) => { expect(f(seed)).toBe(seed); }), { seed: -1626, numRuns: 100 });',
      "  fc.assert(fc.property(fc.nat(), (n) => { expect(n).toBe(n); }), { 'seed': 42 });",
      "  const label = 'seed: 7';",
      '});',
    ].join('\n');
    const out = reseeded(property(code), 123).code;
    expect(out).toContain('{ seed: 123, numRuns: 100 }');
    expect(out).toContain("{ 'seed': 123 }");
    expect(out).toContain("const label = 'seed: 7';");
    expect(out).toContain('(seed) => { expect(f(seed)).toBe(seed); }');
  });

  it('leaves a seed that is not a literal integer, and example tests, as they are', () => {
    const dynamic = property("it('p', () => { fc.assert(prop, { seed: Date.now() }); });");
    expect(reseeded(dynamic, 5)).toBe(dynamic);
    const example = {
      ...property("it('p', () => { run({ seed: 1 }); });"),
      kind: 'example' as const,
    };
    expect(reseeded(example, 5)).toBe(example);
  });
});
