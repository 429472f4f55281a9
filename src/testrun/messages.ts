/** What the test runs' messages and name patterns share, for vitest and jest alike. */

/** Lines of a failure message kept (the first ones say what failed; the rest is context). */
export const MESSAGE_LINES = 20;

/** ANSI colour and style sequences (runners and bundlers colour their output whatever NO_COLOR says). */
// eslint-disable-next-line no-control-regex -- the escape character is what is removed
const ANSI = /\u001b\[[0-9;]*m/g;

/** The text without colour and style sequences. */
export function withoutColours(text: string): string {
  return text.replace(ANSI, '');
}

/** The first lines of a message, without colours and without stack frames. */
export function firstLines(text: string): string {
  return withoutColours(text)
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .slice(0, MESSAGE_LINES)
    .join('\n')
    .trim();
}

/** `text` matched literally inside a regular expression (a test title in a name pattern). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
