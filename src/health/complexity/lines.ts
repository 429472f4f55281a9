import { ts } from 'ts-morph';
import { DUPLICATION_WINDOW, windowFingerprints } from './fingerprint.ts';

const SK = ts.SyntaxKind;

/** One scanner for the whole process, pointed at each file in turn. */
const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard);

// Per-line hashes start from FNV-1a's offset basis (lane a) and another odd seed (lane b).
const SEED_A = 0x811c9dc5 | 0;
const SEED_B = 0x2545f491 | 0;
const FNV_PRIME = 0x01000193;
const LANE_B_PRIME = 0x5bd1e995;

/** What a literal becomes in the normalised line: its kind, not its value. */
const PLACEHOLDER_STRING = 0xe001;
const PLACEHOLDER_NUMBER = 0xe002;
const PLACEHOLDER_TEMPLATE = 0xe003;
const PLACEHOLDER_OPAQUE = 0xe004;
const TOKEN_SEPARATOR = 0x20;

export interface LineScan {
  /** Lines holding at least one token of code (a trailing comment does not change that). */
  loc: number;
  fingerprints: { hash: string; line: number }[];
}

/**
 * Classifies lines and fingerprints them in one scan of the file's tokens. Comments are trivia
 * to the scanner, so a line counts as code exactly when a token of code touches it. The scanner
 * alone cannot tell a regular expression from a division or JSX text from code; the parsed tree
 * can, so `opaque` (from the walker) lists those ranges and the scan steps over them. Template
 * literals are followed by brace depth, as the parser does.
 *
 * Each code line is normalised to its tokens with literals replaced by their kind (comments and
 * whitespace dropped) and hashed; each window of `DUPLICATION_WINDOW` consecutive code lines gets
 * a fingerprint.
 */
export function scanLines(sourceFile: ts.SourceFile, opaque: readonly number[]): LineScan {
  const table = new LineTable(sourceFile);
  const templates = new TemplateTracker();
  scanner.setText(sourceFile.text);
  try {
    let next = 0;
    for (let kind = scanner.scan(); kind !== SK.EndOfFileToken; kind = scanner.scan()) {
      const start = scanner.getTokenStart();
      while (next < opaque.length && opaque[next + 1]! <= start) next += 2;
      if (next < opaque.length && opaque[next]! <= start) {
        const end = opaque[next + 1]!;
        table.token(start, end, PLACEHOLDER_OPAQUE);
        scanner.resetTokenState(end);
        next += 2;
      } else if (!isTrivia(kind)) {
        const code = templates.follow(kind);
        table.token(start, scanner.getTokenEnd(), placeholderOf(code));
      }
    }
  } finally {
    // Do not keep the last file's text alive between calls.
    scanner.setText('');
  }
  return table.finish();
}

/** Tells a `}` that closes a template substitution (`${…}`) from a block's, as the parser does. */
class TemplateTracker {
  private braceDepth = 0;
  /** Brace depth at each open `${`, innermost last. */
  private readonly substitutions: number[] = [];

  /** The token's kind, rescanned as the template's next part when it is such a `}`. */
  follow(kind: ts.SyntaxKind): ts.SyntaxKind {
    if (kind === SK.OpenBraceToken) {
      this.braceDepth++;
    } else if (kind === SK.TemplateHead) {
      this.substitutions.push(this.braceDepth);
    } else if (kind === SK.CloseBraceToken) {
      if (this.substitutions.at(-1) !== this.braceDepth) {
        this.braceDepth--;
        return kind;
      }
      const part = scanner.reScanTemplateToken(false);
      if (part === SK.TemplateTail) this.substitutions.pop();
      return part;
    }
    return kind;
  }
}

/** Which lines hold code, and each code line's normalised hash in two 32-bit lanes. */
class LineTable {
  private readonly text: string;
  private readonly lineStarts: readonly number[];
  private readonly isCode: Uint8Array;
  private readonly hashA: Int32Array;
  private readonly hashB: Int32Array;
  /** The line holding the last position seeked, and where the next one starts. */
  private line = 0;
  private nextLineStart: number;
  /** The line whose hash `a` and `b` hold until another line gets a token. */
  private hashLine = -1;
  private a = 0;
  private b = 0;

  constructor(sourceFile: ts.SourceFile) {
    this.text = sourceFile.text;
    this.lineStarts = sourceFile.getLineStarts();
    const lines = this.lineStarts.length;
    this.isCode = new Uint8Array(lines);
    this.hashA = new Int32Array(lines);
    this.hashB = new Int32Array(lines);
    this.nextLineStart = lines > 1 ? this.lineStarts[1]! : Infinity;
  }

  /** A token of code; `placeholder` 0 hashes its text, any other value stands for its text. */
  token(start: number, end: number, placeholder: number): void {
    this.seek(start);
    if (end > this.nextLineStart) {
      this.multiline(start, end, placeholder === 0 ? PLACEHOLDER_TEMPLATE : placeholder);
      return;
    }
    this.open(this.line);
    if (placeholder !== 0) {
      this.mix(placeholder);
    } else {
      const text = this.text;
      let a = this.a;
      let b = this.b;
      for (let i = start; i < end; i++) {
        const c = text.charCodeAt(i);
        a = Math.imul(a ^ c, FNV_PRIME);
        b = Math.imul(b ^ c, LANE_B_PRIME);
      }
      this.a = a;
      this.b = b;
    }
    this.mix(TOKEN_SEPARATOR);
  }

  finish(): LineScan {
    this.open(-1);
    const codeLines: number[] = [];
    for (let i = 0; i < this.isCode.length; i++) if (this.isCode[i] === 1) codeLines.push(i);
    return {
      loc: codeLines.length,
      fingerprints:
        codeLines.length < DUPLICATION_WINDOW
          ? []
          : windowFingerprints(codeLines, this.hashA, this.hashB),
    };
  }

  /** Moves `line` forward to the line holding `position` (positions only grow). */
  private seek(position: number): void {
    while (position >= this.nextLineStart) {
      this.line++;
      const following = this.line + 1;
      this.nextLineStart =
        following < this.lineStarts.length ? this.lineStarts[following]! : Infinity;
    }
  }

  /** Makes `index` a code line whose hash `a`/`b` hold, storing the previous line's; -1 only stores. */
  private open(index: number): void {
    if (index >= 0) this.isCode[index] = 1;
    if (this.hashLine === index) return;
    if (this.hashLine >= 0) {
      this.hashA[this.hashLine] = this.a;
      this.hashB[this.hashLine] = this.b;
    }
    this.hashLine = index;
    this.a = SEED_A;
    this.b = SEED_B;
  }

  private mix(code: number): void {
    this.a = Math.imul(this.a ^ code, FNV_PRIME);
    this.b = Math.imul(this.b ^ code, LANE_B_PRIME);
  }

  /**
   * A token over several lines (template literal, JSX text): only the lines with something on
   * them are code, and its placeholder goes to the first of them.
   */
  private multiline(start: number, end: number, placeholder: number): void {
    let first = true;
    for (let i = start; i < end; i++) {
      this.seek(i);
      if (!isBlank(this.text.charCodeAt(i))) {
        if (first) {
          first = false;
          this.open(this.line);
          this.mix(placeholder);
          this.mix(TOKEN_SEPARATOR);
        } else {
          this.isCode[this.line] = 1;
        }
        i = Math.min(end, this.nextLineStart) - 1;
      }
    }
  }
}

function isBlank(c: number): boolean {
  return c <= 0x20 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029;
}

function isTrivia(kind: ts.SyntaxKind): boolean {
  return (
    kind === SK.WhitespaceTrivia ||
    kind === SK.NewLineTrivia ||
    kind === SK.SingleLineCommentTrivia ||
    kind === SK.MultiLineCommentTrivia ||
    kind === SK.ShebangTrivia ||
    kind === SK.ConflictMarkerTrivia
  );
}

function placeholderOf(kind: ts.SyntaxKind): number {
  switch (kind) {
    case SK.StringLiteral:
      return PLACEHOLDER_STRING;
    case SK.NumericLiteral:
    case SK.BigIntLiteral:
      return PLACEHOLDER_NUMBER;
    case SK.NoSubstitutionTemplateLiteral:
    case SK.TemplateHead:
    case SK.TemplateMiddle:
    case SK.TemplateTail:
      return PLACEHOLDER_TEMPLATE;
    default:
      return 0;
  }
}
