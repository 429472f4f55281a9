import { ts } from 'ts-morph';
import { extensionOf } from './languages.ts';

export { extensionOf, isAnalysable } from './languages.ts';

/** Extensions the analyser reads (ANALYSABLE_EXTENSIONS), and how TypeScript's parser must treat each. */
const SCRIPT_KINDS: ReadonlyMap<string, ts.ScriptKind> = new Map([
  ['.ts', ts.ScriptKind.TS],
  ['.mts', ts.ScriptKind.TS],
  ['.cts', ts.ScriptKind.TS],
  ['.tsx', ts.ScriptKind.TSX],
  ['.js', ts.ScriptKind.JS],
  ['.mjs', ts.ScriptKind.JS],
  ['.cjs', ts.ScriptKind.JS],
  ['.jsx', ts.ScriptKind.JSX],
]);

const PARSE_OPTIONS: ts.CreateSourceFileOptions = {
  languageVersion: ts.ScriptTarget.Latest,
  // JSDoc carries no control flow; not building its trees is a large part of the parse time.
  jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
};

/**
 * The parser's script kind for a path. Throws for extensions outside the supported set: the
 * caller decides what to analyse (and records the others as skipped) before parsing.
 */
export function scriptKindFor(path: string): ts.ScriptKind {
  const kind = SCRIPT_KINDS.get(extensionOf(path));
  if (kind === undefined) {
    throw new Error(
      `${path}: cannot analyse "${extensionOf(path) || 'no extension'}" files; ` +
        `supported are ${[...SCRIPT_KINDS.keys()].join(' ')}`,
    );
  }
  return kind;
}

export interface ParsedSource {
  sourceFile: ts.SourceFile;
  syntaxErrors: { line: number; message: string }[];
}

/**
 * Parses one file on its own: no program, no type checker, no file system, no module resolution.
 * `ts.createSourceFile` keeps nothing between calls, so memory stays flat however many files a
 * process analyses; the tree is garbage once the caller drops it. Parent pointers are not set
 * (the walker carries its own context), which saves a pass over the tree.
 */
export function parseSource(path: string, text: string): ParsedSource {
  const sourceFile = ts.createSourceFile(path, text, PARSE_OPTIONS, false, scriptKindFor(path));
  // The parser's own diagnostics are internal API; the public route (a Program's syntactic
  // diagnostics) would build a whole program for one file.
  const diagnostics =
    (sourceFile as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] })
      .parseDiagnostics ?? [];
  const syntaxErrors = diagnostics.map((d) => ({
    line: sourceFile.getLineAndCharacterOfPosition(d.start).line + 1,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
  return { sourceFile, syntaxErrors };
}
