/**
 * Code lines per duplication window: CodeScene reports duplication from 10 duplicated lines.
 * Windows are matched exactly after normalisation (tokens only, literals replaced by their kind),
 * not at CodeScene's 75% similarity, which would need pairwise comparison.
 */
export const DUPLICATION_WINDOW = 10;

const SEED_A = 0;
const SEED_B = 0x9747b28c | 0;

/**
 * A 64-bit fingerprint (16 hex digits) for each window of consecutive code lines, from the
 * lines' two 32-bit hash lanes, each folded with MurmurHash3's word mixing: stable across runs
 * and processes, so fingerprints from different files and cache entries can be compared.
 *
 * @param codeLines 0-based indexes of code lines, in order
 * @param hashA per-line hash (lane a), indexed by line
 * @param hashB per-line hash (lane b), indexed by line
 */
export function windowFingerprints(
  codeLines: readonly number[],
  hashA: Int32Array,
  hashB: Int32Array,
): { hash: string; line: number }[] {
  const result: { hash: string; line: number }[] = [];
  for (let first = 0; first + DUPLICATION_WINDOW <= codeLines.length; first++) {
    let a = SEED_A;
    let b = SEED_B;
    for (let k = first; k < first + DUPLICATION_WINDOW; k++) {
      const index = codeLines[k]!;
      a = murmurStep(a, hashA[index]!);
      b = murmurStep(b, hashB[index]!);
    }
    result.push({
      hash: hex32(murmurFinish(a, DUPLICATION_WINDOW)) + hex32(murmurFinish(b, DUPLICATION_WINDOW)),
      line: codeLines[first]! + 1,
    });
  }
  return result;
}

function murmurStep(hash: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  hash ^= k;
  hash = (hash << 13) | (hash >>> 19);
  return (Math.imul(hash, 5) + 0xe6546b64) | 0;
}

function murmurFinish(hash: number, words: number): number {
  hash ^= words * 4;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash;
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
