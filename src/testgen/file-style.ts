import { ts } from 'ts-morph';

/**
 * How a test file is written, read from the file itself, so what Steward inserts looks like the
 * code around it when the project has no prettier to format it.
 */
export interface FileStyle {
  /** One level of indentation: `'  '`, `'    '` or `'\t'`. */
  indent: string;
  quote: "'" | '"';
  semicolons: boolean;
  eol: '\n' | '\r\n';
}

export const DEFAULT_STYLE: FileStyle = { indent: '  ', quote: "'", semicolons: true, eol: '\n' };

function detectIndent(text: string): string {
  let tabs = 0;
  const spaces = new Map<number, number>();
  for (const line of text.split(/\r?\n/)) {
    const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (lead === '' || lead.length === line.length) continue;
    // ` * ` continues a block comment: its odd indent says nothing about the file's unit.
    if (line.slice(lead.length).startsWith('*')) continue;
    if (lead.startsWith('\t')) tabs++;
    else if (!lead.includes('\t')) spaces.set(lead.length, (spaces.get(lead.length) ?? 0) + 1);
  }
  const spaced = [...spaces.values()].reduce((a, b) => a + b, 0);
  if (tabs > spaced) return '\t';
  const smallest = [...spaces.keys()].filter((n) => n >= 2).sort((a, b) => a - b)[0];
  return smallest === undefined ? DEFAULT_STYLE.indent : ' '.repeat(Math.min(smallest, 8));
}

/** The file's style, by majority of what it already holds; the defaults for an empty file. */
export function detectStyle(file: ts.SourceFile): FileStyle {
  const text = file.text;
  let single = 0;
  let double = 0;
  let withSemicolon = 0;
  let without = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node)) {
      const first = text[node.getStart(file)];
      if (first === "'") single++;
      else if (first === '"') double++;
    }
    if (
      ts.isExpressionStatement(node) ||
      ts.isImportDeclaration(node) ||
      ts.isVariableStatement(node) ||
      ts.isReturnStatement(node)
    ) {
      if (text[node.getEnd() - 1] === ';') withSemicolon++;
      else without++;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return {
    indent: detectIndent(text),
    quote: double > single ? '"' : "'",
    semicolons: without <= withSemicolon,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/** A control character, or a line break JavaScript reads in a string literal (U+2028/2029). */
export function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
}

/** A string literal for `value` in the file's quote, readable (unicode kept) and exact. */
export function quoted(value: string, quote: FileStyle['quote']): string {
  let out = '';
  for (const char of value) {
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (isControl(char)) out += `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${quote}${out}${quote}`;
}
