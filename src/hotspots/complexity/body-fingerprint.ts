import type { FunctionMetrics } from '../types.ts';

/**
 * Body fingerprints: a 64-bit SimHash of a function's lines, so that a health delta can tell which
 * of several same-named functions in the old revision a function of the new one is.
 *
 * Each line is normalised (whitespace collapsed; blank and comment-only lines dropped) and hashed
 * to 64 bits in two FNV-1a lanes; bit k of the fingerprint is set when more of the function's lines
 * have bit k set than not. The same lines give the same fingerprint wherever the function moved;
 * changing a few lines of a long function flips a few bits; unrelated functions differ in about
 * half of them. Lines are hashed once per file, so nested functions cost only the
 * bit counting.
 */

const FNV_PRIME = 0x01000193;
const SEED_A = 0x811c9dc5 | 0;
const SEED_B = 0x2545f491 | 0;

/** Lines that carry no code a reader would compare: blank, or only a comment. */
const NOT_CODE = /^(?:$|\/\/|\/\*|\*)/;

interface LineHash {
  a: number;
  b: number;
}

function hashLine(line: string): LineHash | null {
  const text = line.trim().replace(/\s+/g, ' ');
  if (NOT_CODE.test(text)) return null;
  let a = SEED_A;
  let b = SEED_B;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, FNV_PRIME);
    b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
  }
  return { a, b };
}

/** The fingerprint of every function, from the file's text and the functions' line ranges. */
export function bodyFingerprints(text: string, functions: readonly FunctionMetrics[]): string[] {
  const lines = text.split(/\r\n|\r|\n/).map(hashLine);
  return functions.map((fn) => simHash(lines, fn.line - 1, fn.endLine));
}

function simHash(lines: readonly (LineHash | null)[], from: number, to: number): string {
  const votes = new Int32Array(64);
  for (let index = from; index < to && index < lines.length; index++) {
    const line = lines[index];
    if (!line) continue;
    for (let bit = 0; bit < 32; bit++) {
      votes[bit]! += (line.a >>> bit) & 1 ? 1 : -1;
      votes[bit + 32]! += (line.b >>> bit) & 1 ? 1 : -1;
    }
  }
  let high = 0;
  let low = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (votes[bit]! > 0) low |= 1 << bit;
    if (votes[bit + 32]! > 0) high |= 1 << bit;
  }
  return hex32(high) + hex32(low);
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
