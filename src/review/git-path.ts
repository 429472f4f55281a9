/**
 * Git's path quoting (core.quotePath, on by default): a path with a double quote, backslash,
 * control character or any byte above 0x7f is written as a C string in double quotes, each such
 * byte as a three-digit octal escape. `"a/\303\274.ts"` is `a/ü.ts`.
 */

export class GitPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitPathError';
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07,
  b: 0x08,
  t: 0x09,
  n: 0x0a,
  v: 0x0b,
  f: 0x0c,
  r: 0x0d,
  '"': 0x22,
  '\\': 0x5c,
};

/**
 * Reads one git path token starting at `from`: a quoted C string, or else the unquoted rest of
 * the text. Returns the decoded path and the index just after the token.
 */
export function readGitPath(text: string, from = 0): { path: string; end: number } {
  if (text[from] !== '"') return { path: text.slice(from), end: text.length };
  const bytes: number[] = [];
  let i = from + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') return { path: decodeUtf8(bytes, text), end: i + 1 };
    if (ch !== '\\') {
      // Whole code points: with core.quotePath=false git leaves UTF-8 unescaped inside quotes,
      // and an astral character is two UTF-16 units that must be encoded together.
      const char = String.fromCodePoint(text.codePointAt(i)!);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break;
    const octal = /^[0-3][0-7]{2}/.exec(text.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 4;
    } else if (next in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[next]!);
      i += 2;
    } else {
      throw new GitPathError(`unknown escape \\${next} in quoted path ${text.slice(from)}`);
    }
  }
  throw new GitPathError(`unterminated quoted path ${text.slice(from)}`);
}

/** Decodes a whole header value that is a single path, quoted or not. */
export function unquoteGitPath(text: string): string {
  const { path, end } = readGitPath(text);
  if (end !== text.length)
    throw new GitPathError(`text after the quoted path ${JSON.stringify(text)}`);
  return path;
}

function decodeUtf8(bytes: number[], source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch (error: unknown) {
    // Git writes the bytes it stores; a path in another encoding cannot be matched to GitHub's.
    throw new GitPathError(`quoted path ${source} is not valid UTF-8 (${String(error)})`);
  }
}
