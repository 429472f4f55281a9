/**
 * The one "minified" rule, shared by the review's file filter and the hotspots' skip rules: no
 * one maintains minified code by hand, so neither reviews nor scores it.
 */

/** A line longer than this is not one people write. */
export const MINIFIED_LINE_LENGTH = 1_000;

/** `.min.js`, `.min.mjs`, `.min.cjs`, `.min.css` and source maps. */
const MINIFIED_NAME = /\.min\.(?:[cm]?js|css)$|\.map$/;

/** Whether a path is named like minified output. */
export function hasMinifiedName(path: string): boolean {
  return MINIFIED_NAME.test(path);
}

/**
 * Why these lines look minified, or null when they do not: most of the code (half of its
 * characters or more) sits on lines over MINIFIED_LINE_LENGTH characters. A long comment line
 * (a JSDoc paragraph, a licence banner) never counts, and one long line of code in a file of
 * ordinary lines is not enough: only a file that is mostly such lines is minified.
 */
export function minifiedReason(lines: readonly string[]): string | null {
  let total = 0;
  let inLongCode = 0;
  for (const line of lines) {
    total += line.length + 1;
    if (line.length > MINIFIED_LINE_LENGTH && !isCommentLine(line)) inLongCode += line.length + 1;
  }
  if (total === 0 || inLongCode * 2 < total) return null;
  const share = Math.round((inLongCode / total) * 100);
  return `minified: ${share}% of it is on lines of over ${MINIFIED_LINE_LENGTH.toLocaleString('en-US')} characters`;
}

/** A line that holds only a comment: `// …`, a JSDoc line `* …`, or a whole `/* … *\/`. */
function isCommentLine(line: string): boolean {
  const text = line.trim();
  if (text.startsWith('//') || text.startsWith('*')) return true;
  return text.startsWith('/*') && text.indexOf('*/') === text.length - 2;
}
