import { createHash } from 'node:crypto';

/**
 * What a closed, unmerged refactoring pull request remembers as "not wanted": a fingerprint of the
 * function it refactored, taken from the function's code before the change. The same function
 * re-indented, re-wrapped or moved to other lines keeps its fingerprint; any change to a token of
 * its code, its name or its file's path gives a new one (the function is worth another look).
 */

/** Hex digits kept of the sha256: 64 bits, collisions out of reach for one repository's functions. */
export const FUNCTION_FINGERPRINT_LENGTH = 16;

/** The function's text with every run of whitespace (line breaks included) read as one space. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * sha256 (the first 16 hex digits) of the path, the name and the function's text with whitespace
 * collapsed. The three parts are encoded so that no choice of them can pass for another.
 */
export function functionFingerprint(path: string, name: string, functionText: string): string {
  const key = JSON.stringify([path, name, collapseWhitespace(functionText)]);
  return createHash('sha256')
    .update(key, 'utf8')
    .digest('hex')
    .slice(0, FUNCTION_FINGERPRINT_LENGTH);
}

/**
 * Lines `line..endLine` (1-based, inclusive) of a text, numbered as the health analysis (the
 * TypeScript parser) numbers them: CR LF, CR, LF, U+2028 and U+2029 each end a line.
 */
export function linesOf(text: string, line: number, endLine: number): string {
  return text
    .split(/\r\n|[\r\n\u2028\u2029]/)
    .slice(Math.max(0, line - 1), Math.max(0, endLine))
    .join('\n');
}

/**
 * The fingerprint of the function at `line..endLine` of a file's text: what chooseTargets gives
 * a target, so anything holding the file's text (the deliver job's `before`) recomputes it alike.
 */
export function fingerprintAt(
  path: string,
  name: string,
  fileText: string,
  line: number,
  endLine: number,
): string {
  return functionFingerprint(path, name, linesOf(fileText, line, endLine));
}
