import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { computeCoupling, type CouplingOptions } from '../../../src/hotspots/history/coupling.ts';
import type { Coupling } from '../../../src/hotspots/types.ts';

function times(n: number, changeset: string[]): string[][] {
  return Array.from({ length: n }, () => changeset);
}

describe('computeCoupling', () => {
  it('uses code-maat’s degree: shared ÷ average revisions of the pair', () => {
    const changesets = [...times(6, ['a', 'b']), ...times(4, ['a']), ...times(2, ['b'])];
    // a: 10, b: 8, shared 6 → 6 / 9.
    expect(computeCoupling({ changesets })).toEqual([{ a: 'a', b: 'b', shared: 6, degree: 6 / 9 }]);
  });

  it('applies minShared, minRevisions (to the pair’s average, as code-maat) and minDegree', () => {
    const base = { minRevisions: 1, minShared: 1, minDegree: 0 };
    const changesets = [...times(3, ['a', 'b']), ...times(7, ['a'])];
    // a: 10, b: 3, shared 3, average 6.5, degree 3 / 6.5 ≈ 0.46.
    expect(computeCoupling({ changesets }, { ...base, minShared: 3 })).toHaveLength(1);
    expect(computeCoupling({ changesets }, { ...base, minShared: 4 })).toHaveLength(0);
    expect(computeCoupling({ changesets }, { ...base, minRevisions: 6.5 })).toHaveLength(1);
    expect(computeCoupling({ changesets }, { ...base, minRevisions: 7 })).toHaveLength(0);
    expect(computeCoupling({ changesets }, { ...base, minDegree: 3 / 6.5 })).toHaveLength(1);
    expect(computeCoupling({ changesets }, { ...base, minDegree: 0.47 })).toHaveLength(0);
  });

  it('keeps a pair exactly at the default degree of 0.3', () => {
    const changesets = [...times(6, ['a', 'b']), ...times(14, ['a']), ...times(14, ['b'])];
    // a: 20, b: 20, shared 6 → 0.3.
    expect(computeCoupling({ changesets })).toEqual([{ a: 'a', b: 'b', shared: 6, degree: 0.3 }]);
  });

  it('sorts by degree, then shared revisions, then paths; a sorts before b', () => {
    const changesets = [
      ...times(5, ['z', 'y']),
      ...times(8, ['p', 'q']),
      ...times(5, ['m', 'n']),
      ...times(5, ['k', 'm2']),
      ...times(1, ['m']),
    ];
    expect(computeCoupling({ changesets }).map((c) => [c.a, c.b, c.shared])).toEqual([
      ['p', 'q', 8],
      ['k', 'm2', 5],
      ['y', 'z', 5],
      ['m', 'n', 5],
    ]);
  });

  it('finds nothing in no history', () => {
    expect(computeCoupling({ changesets: [] })).toEqual([]);
  });

  /** The definition, written out plainly, to compare the optimised version against. */
  function naive(changesets: string[][], options: CouplingOptions): Coupling[] {
    const files = [...new Set(changesets.flat())].sort();
    const revs = (f: string) => changesets.filter((c) => c.includes(f)).length;
    const result: Coupling[] = [];
    for (const a of files) {
      for (const b of files) {
        if (a >= b) continue;
        const shared = changesets.filter((c) => c.includes(a) && c.includes(b)).length;
        const average = (revs(a) + revs(b)) / 2;
        if (shared === 0 || shared < options.minShared || average < options.minRevisions) continue;
        if (shared / average < options.minDegree) continue;
        result.push({ a, b, shared, degree: shared / average });
      }
    }
    return result.sort(
      (p, q) =>
        q.degree - p.degree ||
        q.shared - p.shared ||
        (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0),
    );
  }

  const changesets = fc.array(
    fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1, maxLength: 4 }),
    { maxLength: 40 },
  );
  const options = fc.record({
    minRevisions: fc.integer({ min: 0, max: 6 }),
    minShared: fc.integer({ min: 0, max: 6 }),
    minDegree: fc.constantFrom(0, 0.2, 0.3, 0.5, 1),
  });
  test.prop([changesets, options])('agrees with the definition', (history, opts) => {
    expect(computeCoupling({ changesets: history }, opts)).toEqual(naive(history, opts));
  });
});
