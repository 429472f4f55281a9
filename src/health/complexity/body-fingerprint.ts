import type { FunctionMetrics } from '../types.ts';

/**
 * Body fingerprints: a 64-bit SimHash of a function's lines, so that a health delta can tell which
 * of several same-named functions in the old revision a function of the new one is.
 *
 * Each line is normalised (blanks collapsed; blank and comment-only lines dropped) and hashed to
 * 64 bits in two FNV-1a-style lanes; bit k of the fingerprint is set when more than half of the
 * function's lines have bit k set. The same lines give the same fingerprint wherever the function moved;
 * changing a few lines of a long function flips a few bits; unrelated functions differ in about
 * half of them. Lines are hashed once per file and their bits summed up front, so a nested
 * function costs no second pass over its lines.
 */

const FNV_PRIME = 0x01000193;
const LANE_B_PRIME = 0x5bd1e995;
const SEED_A = 0x811c9dc5 | 0;
const SEED_B = 0x2545f491 | 0;

const SPACE = 0x20;
const TAB = 0x09;
const SLASH = 0x2f;
const STAR = 0x2a;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === 0x0b || code === 0x0c || code === 0xa0;
}

/** Hashes of one line, written by hashLine. */
let hashA = 0;
let hashB = 0;

/**
 * Hashes the line into hashA and hashB, with runs of blanks as one space and the ends trimmed;
 * false for a line that is blank or only a comment (starts with `//`, `/*` or `*`).
 */
function hashLine(text: string, start: number, end: number): boolean {
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (start === end) return false;
  const first = text.charCodeAt(start);
  const second = start + 1 < end ? text.charCodeAt(start + 1) : 0;
  if (first === STAR || (first === SLASH && (second === SLASH || second === STAR))) return false;
  let a = SEED_A;
  let b = SEED_B;
  let blank = false;
  for (let i = start; i < end; i++) {
    let code = text.charCodeAt(i);
    if (code === SPACE || code === TAB) {
      if (blank) continue;
      blank = true;
      code = SPACE;
    } else {
      blank = false;
    }
    a = Math.imul(a ^ code, FNV_PRIME);
    b = Math.imul(b ^ code, LANE_B_PRIME) ^ (b >>> 15);
  }
  hashA = a;
  hashB = b;
  return true;
}

/**
 * Per bit, how many code lines before each line have it set (prefix sums, a row of 64 counts per
 * line), and how many code lines there are before each line: a function's votes then come from
 * two rows, so nested functions cost no second pass over their lines.
 */
class LineBits {
  private readonly codeLines: Int32Array;
  private readonly setBits: Int32Array;

  constructor(text: string) {
    const starts: number[] = [];
    const ends: number[] = [];
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      const code = i < text.length ? text.charCodeAt(i) : -1;
      // The line breaks TypeScript counts lines by, so line numbers agree with the walker's.
      if (code !== -1 && code !== 0x0a && code !== 0x0d && code !== 0x2028 && code !== 0x2029)
        continue;
      starts.push(start);
      ends.push(i);
      if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      start = i + 1;
    }
    const count = starts.length;
    const codeLines = new Int32Array(count + 1);
    const setBits = new Int32Array((count + 1) * 64);
    for (let line = 0; line < count; line++) {
      const row = line * 64;
      const next = row + 64;
      if (!hashLine(text, starts[line]!, ends[line]!)) {
        codeLines[line + 1] = codeLines[line]!;
        setBits.copyWithin(next, row, next);
        continue;
      }
      codeLines[line + 1] = codeLines[line]! + 1;
      const [a, b] = [hashA, hashB];
      for (let bit = 0; bit < 32; bit++) {
        setBits[next + bit] = setBits[row + bit]! + ((a >>> bit) & 1);
        setBits[next + 32 + bit] = setBits[row + 32 + bit]! + ((b >>> bit) & 1);
      }
    }
    this.codeLines = codeLines;
    this.setBits = setBits;
  }

  /** The SimHash of lines `from` (0-based, inclusive) to `to` (exclusive). */
  simHash(from: number, to: number): string {
    const last = this.codeLines.length - 1;
    const start = Math.max(0, Math.min(from, last));
    const end = Math.max(start, Math.min(to, last));
    const lines = this.codeLines[end]! - this.codeLines[start]!;
    const [first, second] = [start * 64, end * 64];
    let low = 0;
    let high = 0;
    for (let bit = 0; bit < 32; bit++) {
      if (2 * (this.setBits[second + bit]! - this.setBits[first + bit]!) > lines) low |= 1 << bit;
      if (2 * (this.setBits[second + 32 + bit]! - this.setBits[first + 32 + bit]!) > lines)
        high |= 1 << bit;
    }
    return hex32(high) + hex32(low);
  }
}

/** The fingerprint of every function, from the file's text and the functions' line ranges. */
export function bodyFingerprints(text: string, functions: readonly FunctionMetrics[]): string[] {
  if (functions.length === 0) return [];
  const bits = new LineBits(text);
  return functions.map((fn) => bits.simHash(fn.line - 1, fn.endLine));
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
