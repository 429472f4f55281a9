import { ts } from 'ts-morph';

export type SuggestionCheck = { ok: true; verified: boolean } | { ok: false; reason: string };

const SCRIPT_KINDS: Readonly<Record<string, ts.ScriptKind>> = {
  ts: ts.ScriptKind.TS,
  mts: ts.ScriptKind.TS,
  cts: ts.ScriptKind.TS,
  tsx: ts.ScriptKind.TSX,
  js: ts.ScriptKind.JS,
  mjs: ts.ScriptKind.JS,
  cjs: ts.ScriptKind.JS,
  jsx: ts.ScriptKind.JSX,
};

function scriptKind(path: string): ts.ScriptKind | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : SCRIPT_KINDS[path.slice(dot + 1).toLowerCase()];
}

/** A suggestion block replaces whole lines; a trailing newline would add an empty line. */
export function normaliseSuggestion(suggestion: string): string {
  return suggestion.replace(/\r?\n$/, '');
}

/**
 * Checks that `suggestion`, put in place of lines `line..endLine` of the new file, leaves a file
 * that parses no worse than before. Only syntax errors the suggestion adds fail it: a file that
 * already had errors (or a parser gap) must not block every suggestion on it. Files in languages
 * without a parser here pass unverified.
 */
export function checkSuggestion(options: {
  path: string;
  content: string | undefined;
  line: number;
  endLine: number;
  suggestion: string;
  /** Syntax-error counts of unchanged files, shared across checks so each file parses once. */
  baselines?: Map<string, Map<number, number>>;
}): SuggestionCheck {
  const { path, content, line, endLine } = options;
  const suggestion = normaliseSuggestion(options.suggestion);
  // A fence inside would end the ```suggestion block early and post a broken comment.
  if (/^\s*(```|~~~)/m.test(suggestion))
    return { ok: false, reason: 'the suggestion contains a code fence' };
  const kind = scriptKind(path);
  if (content === undefined) {
    return kind === undefined
      ? { ok: true, verified: false }
      : { ok: false, reason: 'the file content was not available to parse the suggestion' };
  }
  const rows = content.split('\n');
  const lastLine = content.endsWith('\n') ? rows.length - 1 : rows.length;
  if (endLine > lastLine)
    return {
      ok: false,
      reason: `lines ${line}-${endLine} go past the end of the file (${lastLine})`,
    };
  const replaced = rows.slice(line - 1, endLine);
  const crlf = replaced.every((r) => r.endsWith('\r'));
  // An empty suggestion block on GitHub deletes the lines rather than blanking them.
  const proposed =
    suggestion === ''
      ? []
      : suggestion.split('\n').map((r) => (crlf && !r.endsWith('\r') ? r + '\r' : r));
  if (proposed.join('\n') === replaced.join('\n'))
    return { ok: false, reason: 'the suggestion is the same as the current code' };
  if (kind === undefined) return { ok: true, verified: false };
  const candidate = [...rows.slice(0, line - 1), ...proposed, ...rows.slice(endLine)].join('\n');
  const key = `${path}\0${content}`;
  const baseline =
    options.baselines?.get(key) ?? errorCounts(parseDiagnostics(path, kind, content));
  options.baselines?.set(key, baseline);
  const added = newSyntaxError(path, kind, baseline, candidate);
  return added === null ? { ok: true, verified: true } : { ok: false, reason: added };
}

function errorCounts(diagnostics: readonly ts.Diagnostic[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const d of diagnostics) counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  return counts;
}

/** The first syntax error `after` has beyond the `before` counts, per diagnostic code. */
function newSyntaxError(
  path: string,
  kind: ts.ScriptKind,
  before: ReadonlyMap<number, number>,
  after: string,
): string | null {
  const counts = new Map(before);
  for (const d of parseDiagnostics(path, kind, after)) {
    const left = counts.get(d.code) ?? 0;
    if (left > 0) {
      counts.set(d.code, left - 1);
      continue;
    }
    const { line } = ts.getLineAndCharacterOfPosition(d.file, d.start);
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    return `the file would not parse with the suggestion: line ${line + 1}: ${message} (TS${d.code})`;
  }
  return null;
}

function parseDiagnostics(
  path: string,
  kind: ts.ScriptKind,
  text: string,
): ts.DiagnosticWithLocation[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, kind);
  // parseDiagnostics is internal but stable for a decade; it holds exactly the syntax errors,
  // without the cost of a Program for getSyntacticDiagnostics.
  return (
    (source as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? []
  );
}
