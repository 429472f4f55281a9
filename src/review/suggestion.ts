import { ts } from 'ts-morph';

/**
 * A suggestion to post, or why not. `endLine` is the range to post it on: shorter than asked when
 * the range ended in blank lines the suggestion does not write back (see trimBlankTail).
 */
export type SuggestionCheck =
  { ok: true; verified: boolean; endLine: number } | { ok: false; reason: string };

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
  const { path, content, line } = options;
  const suggestion = normaliseSuggestion(options.suggestion);
  // A code fence inside is fine: the block's own fence is made longer than any inside (fenceFor).
  const kind = scriptKind(path);
  if (content === undefined) {
    return kind === undefined
      ? { ok: true, verified: false, endLine: options.endLine }
      : { ok: false, reason: 'the file content was not available to parse the suggestion' };
  }
  const rows = content.split('\n');
  const lastLine = content.endsWith('\n') ? rows.length - 1 : rows.length;
  if (options.endLine > lastLine)
    return {
      ok: false,
      reason: `lines ${line}-${options.endLine} go past the end of the file (${lastLine})`,
    };
  const crlf = rows.slice(line - 1, options.endLine).every((r) => r.endsWith('\r'));
  // An empty suggestion block on GitHub deletes the lines rather than blanking them.
  const proposed =
    suggestion === ''
      ? []
      : suggestion.split('\n').map((r) => (crlf && !r.endsWith('\r') ? r + '\r' : r));
  const endLine = trimBlankTail(rows, line, options.endLine, proposed);
  const replaced = rows.slice(line - 1, endLine);
  if (proposed.join('\n') === replaced.join('\n'))
    return { ok: false, reason: 'the suggestion is the same as the current code' };
  const repeated = repeatsNeighbours(rows, line, endLine, proposed);
  if (repeated !== null) return { ok: false, reason: repeated };
  if (kind === undefined) return { ok: true, verified: false, endLine };
  const candidate = [...rows.slice(0, line - 1), ...proposed, ...rows.slice(endLine)].join('\n');
  const key = `${path}\0${content}`;
  const baseline =
    options.baselines?.get(key) ?? errorCounts(parseDiagnostics(path, kind, content));
  options.baselines?.set(key, baseline);
  const added = newSyntaxError(path, kind, baseline, candidate);
  return added === null ? { ok: true, verified: true, endLine } : { ok: false, reason: added };
}

const blank = (row: string | undefined) => row !== undefined && row.trim() === '';

/**
 * The range without the blank lines it ends in, when the suggestion does not end in a blank line:
 * GitHub replaces the whole range, so committing it would delete blank lines the model only
 * happened to include (a range "through the end of the block" often takes the empty line after).
 */
function trimBlankTail(
  rows: readonly string[],
  line: number,
  endLine: number,
  proposed: readonly string[],
): number {
  if (blank(proposed.at(-1))) return endLine;
  let end = endLine;
  while (end > line && blank(rows[end - 1])) end--;
  return end;
}

/**
 * Why committing `proposed` in place of lines `line..endLine` would duplicate code, or null. A
 * model often quotes the lines around its range in the suggestion: a suggestion longer than its
 * range whose extra lines repeat the lines just above the range (at its start) or just below it
 * (at its end). GitHub keeps those lines, so they would appear twice. A suggestion no longer than
 * its range only rewrites it, and matches of blank lines alone do not count.
 */
function repeatsNeighbours(
  rows: readonly string[],
  line: number,
  endLine: number,
  proposed: readonly string[],
): string | null {
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length &&
    a.every((r, i) => r.trim() === b[i]!.trim()) &&
    a.some((r) => r.trim() !== '');
  const extra = proposed.length - (endLine - line + 1);
  for (let k = Math.min(extra, line - 1); k >= 1; k--) {
    if (same(proposed.slice(0, k), rows.slice(line - 1 - k, line - 1))) {
      const from = line - k;
      return `the suggestion repeats ${k === 1 ? `line ${from}` : `lines ${from}-${line - 1}`}, just above its range: committing it would duplicate ${k === 1 ? 'that line' : 'them'}`;
    }
  }
  for (let k = Math.min(extra, rows.length - endLine); k >= 1; k--) {
    if (same(proposed.slice(-k), rows.slice(endLine, endLine + k))) {
      const to = endLine + k;
      return `the suggestion repeats ${k === 1 ? `line ${to}` : `lines ${endLine + 1}-${to}`}, just below its range: committing it would duplicate ${k === 1 ? 'that line' : 'them'}`;
    }
  }
  return null;
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
