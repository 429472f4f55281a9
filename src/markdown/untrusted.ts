/**
 * The one renderer for text Steward did not write: what the model said (titles, bodies, the
 * walkthrough) and names that come from the pull request (paths, branch names). Whatever that text
 * holds, the markdown built here shows it as the text it is and does nothing else on GitHub:
 *
 * - no mention or team mention notifies anyone, and no issue reference cross-links another
 *   thread: a word joiner follows every `@` and `#` that GitHub would read as one, in every
 *   spelling that renders to one (`_@x_`, `.@x`, `&#64;x`, across stray backticks);
 * - no HTML, no HTML comment (so no hidden text and no forged Steward marker), no link, emphasis,
 *   heading, list, table, math or entity: the characters that make markup are backslash-escaped
 *   (those that do only at a line's start, there), which CommonMark renders as the characters;
 * - no suggestion block, and nothing GitHub draws instead of showing code (mermaid diagrams,
 *   maps, STL models, math): a fenced block the model wrote keeps its code but never such an info
 *   string, and fences are always longer than any backtick run inside;
 * - code spans (the model's and the paths Steward puts in them) cannot be broken out of: the
 *   delimiter is longer than any backtick run inside and a span never holds a line break.
 *
 * Only the model's code spans and fenced blocks survive as markup: they are inert on GitHub
 * (mentions and HTML inside code do nothing) and they keep findings readable.
 */

const WORD_JOINER = '\u2060';

/** C0 and C1 controls (but tab and newline), and the bidirectional overrides of "trojan source". */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Characters that make markup wherever they stand: emphasis, code, links and images, HTML and
 * autolinks, entities, tables, strikethrough, math, and the backslash itself. CommonMark renders a
 * backslash-escaped ASCII punctuation character as the character.
 */
const MARKUP = /[\\`*_[\]<>&|~$]/g;

/**
 * Where GFM starts an autolink literal (`www.`, `scheme://`, `mailto:`): escaping the dot or colon
 * keeps the text plain, so no escape inside it is swallowed into a link target.
 */
const AUTOLINK = /(?<=www)\.|:(?=\/\/)|(?<=mailto|xmpp):/gi;

/** What makes a block only at the start of a line: heading, list item, setext underline. */
const LINE_START = /^(?:[#+=-]|\d{1,9}[.)])/;

/** What GitHub turns into a notification or a cross-reference: `@name`, `@org/team`, `#12`. */
const PINGS = /@(?=[A-Za-z0-9])|#(?=[0-9])/g;

/** Line endings as `\n`, and the characters no reader can see dropped. */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(INVISIBLE, '');
}

function neutralise(text: string): string {
  return text.replace(PINGS, (ping) => `${ping}${WORD_JOINER}`);
}

/**
 * Untrusted text as plain text (SARIF `message.text`, the terminal report): no control characters
 * and no live mentions, nothing escaped.
 */
export function plainText(text: string): string {
  return neutralise(clean(text));
}

/** Text outside code: markup characters escaped, pings neutralised. */
function escapeText(text: string, atLineStart: boolean): string {
  const escaped = neutralise(
    text.replace(MARKUP, (c) => `\\${c}`).replace(AUTOLINK, (c) => `\\${c}`),
  );
  return atLineStart
    ? escaped.replace(LINE_START, (lead) => `${lead.slice(0, -1)}\\${lead.slice(-1)}`)
    : escaped;
}

function longestRun(text: string, char: '`' | '~'): number {
  let longest = 0;
  for (const m of text.matchAll(char === '`' ? /`+/g : /~+/g))
    longest = Math.max(longest, m[0].length);
  return longest;
}

/**
 * `text` as one code span that nothing inside can end early: line breaks become spaces (a break
 * would let the next line start a block of its own), the delimiter is one backtick longer than
 * any run inside, and a space pads content that starts or ends with a backtick or a space (the
 * parser strips exactly one on each side). In a table cell a pipe is escaped, as GFM requires.
 * `padded` also pads whenever the delimiter is longer than one backtick (`` a `b` c ``), the
 * style of the app's replies; it renders the same.
 */
export function codeSpan(text: string, options: CodeSpanOptions = {}): string {
  let content = clean(text).replace(/\n/g, ' ');
  // The table splits its row before reading code spans, pairing backslashes first: a pipe needs
  // an odd number of backslashes before it to stay in the cell.
  if (options.table) content = content.replace(/(\\*)\|/g, (_, bs: string) => `${bs}${bs}\\|`);
  if (content === '') return '';
  const longest = longestRun(content, '`');
  const fence = '`'.repeat(longest + 1);
  const edges = /^[` ]|[` ]$/.test(content) || (options.padded === true && longest > 0);
  const pad = edges && !/^ +$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

export interface CodeSpanOptions {
  /** In a GFM table cell: pipes escaped. */
  table?: boolean;
  /** A space inside the delimiters whenever they are longer than one backtick. */
  padded?: boolean;
}

type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'block'; info: string; text: string };

/**
 * The model's text cut into plain text and code, by CommonMark's rule for code spans: a backtick
 * run opens one that the next run of the same length closes; a run without a partner is a literal
 * backtick. A span of three or more backticks opening a line and holding line breaks is the
 * model's fenced block.
 */
function segments(text: string): Segment[] {
  const runs = [...text.matchAll(/`+/g)];
  const out: Segment[] = [];
  let from = 0;
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i]!;
    const length = open[0].length;
    let j = i + 1;
    while (j < runs.length && runs[j]![0].length !== length) j++;
    if (j === runs.length) continue;
    const close = runs[j]!;
    const start = open.index;
    const content = text.slice(start + length, close.index);
    if (start > from) out.push({ kind: 'text', text: text.slice(from, start) });
    const lineStart = /(^|\n)[ \t]*$/.test(text.slice(0, start));
    const newline = content.indexOf('\n');
    if (length >= 3 && lineStart && newline >= 0) {
      out.push({
        kind: 'block',
        info: content.slice(0, newline).trim(),
        text: content.slice(newline + 1).replace(/\n[ \t]*$/, ''),
      });
    } else {
      out.push({ kind: 'code', text: content });
    }
    from = close.index + length;
    i = j;
  }
  if (from < text.length) out.push({ kind: 'text', text: text.slice(from) });
  return out;
}

/**
 * Languages GitHub does not show as code but draws: a committable suggestion, diagrams (whose
 * nodes can carry links), maps, 3D models and formulas.
 */
const DRAWN = /^(?:suggestion.*|mermaid|geojson|topojson|stl|math)$/i;

/** A language name GitHub only highlights, never one it turns into something else. */
function safeLanguage(info: string): boolean {
  return /^[A-Za-z0-9][\w+#.-]{0,30}$/.test(info) && !DRAWN.test(info);
}

function fencedBlock(info: string, text: string): string {
  // An info string that is not a plain language name is shown as the block's first line, so the
  // reader sees everything the model wrote and GitHub sees no suggestion block.
  const body = info === '' || safeLanguage(info) ? text : `${info}\n${text}`;
  const lang = safeLanguage(info) ? info : '';
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${lang}\n${body}\n${fence}`;
}

/**
 * Untrusted code (a source line, a mutant) as a fenced block Steward writes, highlighted as
 * `language`: the fence is longer than any backtick run inside, invisible characters are dropped,
 * and `<!--` gets a zero-width space after its `<`, so the raw body a later lookup reads holds no
 * `<!-- steward:… -->` marker.
 */
export function codeBlock(text: string, language: string): string {
  if (!safeLanguage(language)) throw new Error(`not a language name: ${JSON.stringify(language)}`);
  return fencedBlock(language, clean(text).replace(/<!--/g, '<\u200B!--'));
}

/**
 * Untrusted text as one line of inline markdown: for titles, table cells and list items. Line
 * breaks become spaces; the model's code spans stay code. The text is trimmed, unless `keepEdges`
 * asks to keep its leading and trailing white space (as spaces), for a piece of a longer line.
 */
export function inlineMarkdown(
  text: string,
  options: { table?: boolean; keepEdges?: boolean } = {},
): string {
  if (options.keepEdges === true) {
    const [, lead = '', middle = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) ?? [];
    const space = (edge: string) => edge.replace(/\s/g, ' ');
    const rendered = middle === '' ? '' : inlineMarkdown(middle, { table: options.table });
    return `${space(lead)}${rendered}${space(trail)}`;
  }
  const flat = clean(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return segments(flat)
    .map((s, i) => (s.kind === 'text' ? escapeText(s.text, i === 0) : codeSpan(s.text, options)))
    .join('')
    .trim();
}

/**
 * Untrusted text as markdown blocks: paragraphs and line breaks kept, the model's code spans and
 * fenced blocks kept as code (fences rebuilt by Steward), everything else literal text.
 */
export function blockMarkdown(text: string): string {
  let out = '';
  for (const segment of segments(clean(text).trim())) {
    if (segment.kind === 'block') {
      out = `${out.replace(/[ \t]+$/, '')}${out === '' || out.endsWith('\n') ? '' : '\n'}`;
      out += `${fencedBlock(segment.info, segment.text)}\n`;
      continue;
    }
    if (segment.kind === 'code') {
      out += codeSpan(segment.text);
      continue;
    }
    const lines = segment.text.split('\n');
    lines.forEach((line, index) => {
      if (index > 0) out = `${out.replace(/[ \t]+$/, '')}\n`;
      // Leading spaces would start an indented code block (showing the escapes); trailing ones a
      // hard break.
      const atLineStart = out === '' || out.endsWith('\n');
      out += escapeText(atLineStart ? line.replace(/^[ \t]+/, '') : line, atLineStart);
    });
  }
  return out
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
