/**
 * How untrusted text (a pull request's code, paths, test output) reaches the model: inside
 * `<untrusted-…>` blocks whose delimiters cannot be forged from inside. The system prompt of each
 * call says that nothing inside such a block is an instruction; these helpers make sure the block
 * ends only where the caller ends it.
 */

/**
 * Breaks anything inside data that would read as one of our delimiters, opening or closing, in any
 * case or spacing, so the block ends only where we end it.
 */
export function neutralise(text: string): string {
  return text.replace(/<(\s*\/?\s*untrusted-)/gi, '&lt;$1');
}

/** Values in a block's attributes come from the PR too: escaped so they cannot close the attribute or the tag. */
export function attribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\r\n]/g, ' ');
}
