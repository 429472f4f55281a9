import type { FileAnalysis } from './types.ts';
import { DUPLICATION_WINDOW } from './complexity/fingerprint.ts';

/**
 * Lines in one duplication fingerprint window, as the complexity analyser hashes them. Fingerprints
 * are expected in order, one per normalised line at which a full window starts, so the windows at
 * positions i and i + 1 of `duplicationFingerprints` overlap in all but one line.
 */

/** The same code found somewhere else: the file and the line its matching window starts on. */
export interface DuplicateCopy {
  path: string;
  line: number;
}

/** One stretch of a file whose code also appears elsewhere (in another file or in the same one). */
export interface DuplicateBlock {
  /** Start line of the block's first duplicated window. */
  line: number;
  /** Normalised lines the block spans; overlapping windows count each line once. */
  lines: number;
  /** The other places holding the same code, by path then line. */
  copies: DuplicateCopy[];
}

/**
 * How many other occurrences of one window are followed up. A window found in hundreds of files
 * (generated boilerplate) is still marked duplicated, but pairing every occurrence with every
 * other would be quadratic; the listed copies stop here.
 */
const MAX_PARTNERS = 20;

interface Occurrence {
  file: number;
  index: number;
}

/**
 * Occurrences are packed into one number (file × 2^24 + index) and a hash seen once is stored as
 * that number alone: nearly every window is unique, and a million small objects and arrays were
 * most of the cost of a warm hotspots run on a large repository.
 */
const INDEX_BITS = 2 ** 24;
/** The first 24 bits of a hex hash, without allocating a substring. */
function bucketOf(hash: string): number {
  let bucket = 0;
  for (let i = 0; i < 6; i++) {
    const code = hash.charCodeAt(i) | 32; // lower case
    bucket = bucket * 16 + (code <= 57 ? code - 48 : code - 87);
  }
  return bucket & 0xffffff;
}

const unpack = (packed: number): Occurrence => ({
  file: Math.floor(packed / INDEX_BITS),
  index: packed % INDEX_BITS,
});

/**
 * Duplicated blocks per file, from the fingerprints of every analysed file: a window whose hash
 * occurs in two places is duplicated in both; duplicated windows that overlap merge into one
 * block (windows that merely touch stay apart, so code followed at once by its copy is two
 * blocks, not one that copies itself); blocks shorter than `minLines` are dropped. Windows of one
 * file that overlap each other (a run of identical lines) are repetition, not a copy, and do not
 * count. Files without duplicated blocks have no entry. The answer does not depend on the order of
 * `analyses` (copies beyond MAX_PARTNERS are cut in path order).
 *
 * With `only`, the blocks of those paths alone are found (still against every file): what an
 * incremental run recomputes (see duplication-cache.ts); each is the same as in a full run.
 */
export function findDuplicates(
  unordered: readonly FileAnalysis[],
  minLines: number,
  window: number = DUPLICATION_WINDOW,
  only?: ReadonlySet<string>,
): Map<string, DuplicateBlock[]> {
  const analyses = [...unordered].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const occurrencesAt = only ? occurrencesOfHashes(analyses, only) : occurrencesByBucket(analyses);
  const hashAt = ({ file, index }: Occurrence) =>
    analyses[file]!.duplicationFingerprints![index]!.hash;

  const result = new Map<string, DuplicateBlock[]>();
  analyses.forEach((analysis, file) => {
    if (only && !only.has(analysis.path)) return;
    const fingerprints = analysis.duplicationFingerprints ?? [];
    const partnersAt = (index: number): Occurrence[] => {
      const seen = occurrencesAt(file, index);
      if (seen.length < 2) return [];
      const hash = fingerprints[index]!.hash;
      return (
        seen
          .map(unpack)
          // Itself, and windows of this file that overlap it, are not copies.
          .filter((other) => other.file !== file || Math.abs(other.index - index) >= window)
          .filter((other) => hashAt(other) === hash)
          .slice(0, MAX_PARTNERS)
      );
    };

    const blocks: DuplicateBlock[] = [];
    let run: { first: number; last: number; copies: Map<string, Occurrence> } | undefined;
    const close = () => {
      if (!run) return;
      const lines = run.last - run.first + window;
      if (lines >= minLines) {
        blocks.push({
          line: fingerprints[run.first]!.line,
          lines,
          copies: [...run.copies.values()]
            .map((copy) => ({
              path: analyses[copy.file]!.path,
              line: analyses[copy.file]!.duplicationFingerprints![copy.index]!.line,
            }))
            .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line)),
        });
      }
      run = undefined;
    };

    for (let index = 0; index < fingerprints.length; index++) {
      const partners = partnersAt(index);
      if (partners.length === 0) continue;
      if (run && index - run.last >= window) close();
      run ??= { first: index, last: index, copies: new Map() };
      run.last = index;
      for (const partner of partners) {
        // Windows of one copy line up on a diagonal: same offset from the start of the run.
        const diagonal = `${partner.file}:${partner.index - (index - run.first)}`;
        if (!run.copies.has(diagonal)) run.copies.set(diagonal, partner);
      }
    }
    close();
    if (blocks.length > 0) result.set(analysis.path, blocks);
  });
  return result;
}

/**
 * The packed occurrences (file × 2^24 + index, in file then index order) of windows that may share
 * the hash of the window at (file, index): callers confirm by the full hash.
 */
type OccurrenceLookup = (file: number, index: number) => readonly number[];

/**
 * Every window of every file, by the first 24 bits of its hash. Counting pass first: the bits pick
 * a bucket in a typed array, and a window alone in its bucket cannot have a copy. Only the few
 * windows that share a bucket go into the map; a bucket can mix hashes.
 */
function occurrencesByBucket(analyses: readonly FileAnalysis[]): OccurrenceLookup {
  const counts = new Uint16Array(2 ** 24);
  const buckets = analyses.map((analysis) => {
    const fingerprints = analysis.duplicationFingerprints ?? [];
    const ofFile = new Int32Array(fingerprints.length);
    for (let index = 0; index < fingerprints.length; index++) {
      const bucket = bucketOf(fingerprints[index]!.hash);
      ofFile[index] = bucket;
      if (counts[bucket]! < 0xffff) counts[bucket]!++;
    }
    return ofFile;
  });
  const occurrences = new Map<number, number[]>();
  buckets.forEach((ofFile, file) => {
    for (let index = 0; index < ofFile.length; index++) {
      const bucket = ofFile[index]!;
      if (counts[bucket]! < 2) continue;
      const packed = file * INDEX_BITS + index;
      const seen = occurrences.get(bucket);
      if (seen) seen.push(packed);
      else occurrences.set(bucket, [packed]);
    }
  });
  return (file, index) => occurrences.get(buckets[file]![index]!) ?? [];
}

/** Only the windows whose hash some window of the `only` files has, by full hash. */
function occurrencesOfHashes(
  analyses: readonly FileAnalysis[],
  only: ReadonlySet<string>,
): OccurrenceLookup {
  const occurrences = new Map<string, number[]>();
  for (const analysis of analyses) {
    if (!only.has(analysis.path)) continue;
    for (const { hash } of analysis.duplicationFingerprints ?? []) occurrences.set(hash, []);
  }
  analyses.forEach((analysis, file) => {
    (analysis.duplicationFingerprints ?? []).forEach(({ hash }, index) => {
      occurrences.get(hash)?.push(file * INDEX_BITS + index);
    });
  });
  return (file, index) =>
    occurrences.get(analyses[file]!.duplicationFingerprints![index]!.hash) ?? [];
}
