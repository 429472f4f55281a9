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

/**
 * One `<tag attr="…">` block of untrusted data: attribute values escaped, the body neutralised, so
 * the block ends only at its own closing tag. `tag` is ours (`untrusted-target`), never the data's.
 */
export function untrustedBlock(
  tag: string,
  attributes: Readonly<Record<string, string>>,
  body: string,
): string {
  const attrs = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${attribute(value)}"`)
    .join('');
  return `<${tag}${attrs}>\n${neutralise(body)}\n</${tag}>`;
}

/** At most `max` characters, saying how many were left out. */
export function capChars(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n[… ${text.length - max} more characters not shown]`;
}

/** Each line with its 1-based number in front, so the model can name lines. */
export function numberedLines(text: string, firstLine: number): string {
  return text
    .split('\n')
    .map((line, i) => `${String(firstLine + i).padStart(6, ' ')}  ${line}`)
    .join('\n');
}

/** Test runners colour their output; the escapes cost tokens and say nothing to the model. */
export function withoutAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- the escape character is what is removed
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}
