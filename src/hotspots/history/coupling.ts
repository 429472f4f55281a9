import type { Coupling } from '../types.ts';

/**
 * Change coupling as code-maat computes it (`analysis/logical_coupling.clj`): two files are coupled
 * when they change in the same commits. Over the changesets kept by mining (commits above the
 * changeset limit already left out):
 *
 *   revisions(f) = changesets containing f
 *   shared(a, b) = changesets containing both
 *   degree       = shared ÷ ((revisions(a) + revisions(b)) / 2)
 *
 * A pair is reported when the average of its two revision counts is at least `minRevisions`
 * (code-maat's `--min-revs` also applies to the average), `shared ≥ minShared` and
 * `degree ≥ minDegree`.
 */
export interface CouplingOptions {
  /** Minimum average revisions of the pair. Default 5 (code-maat `--min-revs`). */
  minRevisions: number;
  /** Minimum shared revisions. Default 5 (code-maat `--min-shared-revs`). */
  minShared: number;
  /** Minimum degree, 0–1. Default 0.3 (code-maat `--min-coupling 30`). */
  minDegree: number;
}

export const DEFAULT_COUPLING_OPTIONS: Readonly<CouplingOptions> = {
  minRevisions: 5,
  minShared: 5,
  minDegree: 0.3,
};

/**
 * Pairs of files that change together, strongest first: by degree, then shared revisions, then by
 * path. In each pair `a` sorts before `b`.
 */
export function computeCoupling(
  history: { readonly changesets: readonly (readonly string[])[] },
  options: Partial<CouplingOptions> = {},
): Coupling[] {
  const { minRevisions, minShared, minDegree } = { ...DEFAULT_COUPLING_OPTIONS, ...options };

  const ids = new Map<string, number>();
  const paths: string[] = [];
  const revisions: number[] = [];
  for (const changeset of history.changesets) {
    for (const path of changeset) {
      let id = ids.get(path);
      if (id === undefined) {
        id = paths.length;
        ids.set(path, id);
        paths.push(path);
        revisions.push(0);
      }
      revisions[id]!++;
    }
  }

  // A file with fewer revisions than minShared cannot share minShared of them: leaving such files
  // out before counting pairs removes most of the quadratic work.
  const count = paths.length;
  const shared = new Map<number, number>();
  const members: number[] = [];
  for (const changeset of history.changesets) {
    members.length = 0;
    for (const path of changeset) {
      const id = ids.get(path)!;
      if (revisions[id]! >= minShared) members.push(id);
    }
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const x = members[i]!;
        const y = members[j]!;
        if (x === y) continue;
        const key = x < y ? x * count + y : y * count + x;
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }

  const couplings: Coupling[] = [];
  for (const [key, together] of shared) {
    if (together < minShared) continue;
    const x = Math.floor(key / count);
    const y = key % count;
    const average = (revisions[x]! + revisions[y]!) / 2;
    const degree = together / average;
    if (average < minRevisions || degree < minDegree) continue;
    const [a, b] = paths[x]! < paths[y]! ? [paths[x]!, paths[y]!] : [paths[y]!, paths[x]!];
    couplings.push({ a, b, shared: together, degree });
  }
  return couplings.sort(
    (p, q) => q.degree - p.degree || q.shared - p.shared || compare(p.a, q.a) || compare(p.b, q.b),
  );
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
