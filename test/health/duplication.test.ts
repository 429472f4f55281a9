import { describe, expect, it } from 'vitest';
import { findDuplicates } from '../../src/health/duplication.ts';
import { file, fingerprints, unique } from './make.ts';

/** Twelve shared windows = 12 + 10 − 1 = 21 duplicated lines. */
const shared = unique('shared', 12);

describe('findDuplicates across files', () => {
  it('merges overlapping duplicated windows into one block in each file', () => {
    const a = file([], {
      path: 'src/a.ts',
      duplicationFingerprints: fingerprints([...unique('a', 5), ...shared, ...unique('a-end', 3)]),
    });
    const b = file([], {
      path: 'src/b.ts',
      duplicationFingerprints: fingerprints([...unique('b', 30), ...shared], 100),
    });
    const duplicates = findDuplicates([a, b], 10);
    expect(duplicates.get('src/a.ts')).toEqual([
      { line: 6, lines: 21, copies: [{ path: 'src/b.ts', line: 130 }] },
    ]);
    expect(duplicates.get('src/b.ts')).toEqual([
      { line: 130, lines: 21, copies: [{ path: 'src/a.ts', line: 6 }] },
    ]);
  });

  it('counts one shared window as a block of ten lines', () => {
    const a = file([], { path: 'a.ts', duplicationFingerprints: fingerprints(['x', 'y', 'z']) });
    const b = file([], { path: 'b.ts', duplicationFingerprints: fingerprints(['q', 'y']) });
    expect(findDuplicates([a, b], 10).get('a.ts')).toEqual([
      { line: 2, lines: 10, copies: [{ path: 'b.ts', line: 2 }] },
    ]);
  });

  it('drops blocks shorter than the minimum', () => {
    const a = file([], { path: 'a.ts', duplicationFingerprints: fingerprints(shared) });
    const b = file([], { path: 'b.ts', duplicationFingerprints: fingerprints(shared) });
    expect(findDuplicates([a, b], 21).get('a.ts')).toHaveLength(1);
    expect(findDuplicates([a, b], 22).size).toBe(0);
  });

  it('merges overlapping windows and keeps apart windows that only touch', () => {
    // Windows 0 and 9 overlap (lines 0–9 and 9–18): one block of 19 lines. Window 19 starts
    // right after: a block of its own.
    const hashes = unique('a', 25);
    const copies = [hashes[0]!, hashes[9]!, hashes[19]!];
    const a = file([], { path: 'a.ts', duplicationFingerprints: fingerprints(hashes) });
    const b = file([], { path: 'b.ts', duplicationFingerprints: fingerprints(copies, 500) });
    expect(findDuplicates([a, b], 10).get('a.ts')).toEqual([
      {
        line: 1,
        lines: 19,
        copies: [
          { path: 'b.ts', line: 500 },
          { path: 'b.ts', line: 501 },
        ],
      },
      { line: 20, lines: 10, copies: [{ path: 'b.ts', line: 502 }] },
    ]);
  });

  it('lists every file holding a copy, sorted by path', () => {
    const files = ['c.ts', 'a.ts', 'b.ts'].map((path) =>
      file([], { path, duplicationFingerprints: fingerprints(shared, 7) }),
    );
    expect(findDuplicates(files, 10).get('c.ts')![0]!.copies).toEqual([
      { path: 'a.ts', line: 7 },
      { path: 'b.ts', line: 7 },
    ]);
  });

  it('finds nothing without shared windows or fingerprints', () => {
    const a = file([], { path: 'a.ts', duplicationFingerprints: fingerprints(unique('a', 20)) });
    const b = file([], { path: 'b.ts', duplicationFingerprints: fingerprints(unique('b', 20)) });
    const c = file([], { path: 'c.ts' });
    expect(findDuplicates([a, b, c], 10).size).toBe(0);
  });
});

describe('findDuplicates within a file', () => {
  it('finds a block repeated further down the same file, in both places', () => {
    const a = file([], {
      path: 'a.ts',
      duplicationFingerprints: fingerprints([...shared, ...unique('mid', 20), ...shared]),
    });
    expect(findDuplicates([a], 10).get('a.ts')).toEqual([
      { line: 1, lines: 21, copies: [{ path: 'a.ts', line: 33 }] },
      { line: 33, lines: 21, copies: [{ path: 'a.ts', line: 1 }] },
    ]);
  });

  it('does not call a run of identical lines a copy of itself', () => {
    // 15 identical lines give six identical, overlapping windows: repetition, not duplication.
    const a = file([], {
      path: 'a.ts',
      duplicationFingerprints: fingerprints(Array(6).fill('same')),
    });
    expect(findDuplicates([a], 10).size).toBe(0);
  });

  it('counts code followed at once by its copy as two blocks', () => {
    const a = file([], {
      path: 'a.ts',
      duplicationFingerprints: fingerprints(['same', ...unique('x', 9), 'same']),
    });
    expect(findDuplicates([a], 10).get('a.ts')).toEqual([
      { line: 1, lines: 10, copies: [{ path: 'a.ts', line: 11 }] },
      { line: 11, lines: 10, copies: [{ path: 'a.ts', line: 1 }] },
    ]);
  });
});
