import { createHash } from 'node:crypto';
import type { FileResult, MutantResult, MutationTestResult } from 'mutation-testing-report-schema';
import { aridCallMatcher, calleeOfStatement } from './arid.ts';
import { normaliseReportPath } from './report.ts';

/**
 * The surviving mutants of the changed lines, picked for comments as Google's reviewers get them:
 * arid code left out, at most a few per line and per pull request, the most useful first, and
 * what a reviewer said "not useful" to (a 👎) never shown again. Nothing is hidden silently:
 * every mutant left out is counted by why.
 */

/** An undetected mutant: one no test failed on (Survived) or no test ran (NoCoverage). */
export interface Survivor {
  path: string;
  /** First and last line of the mutated code (1-based). */
  line: number;
  endLine: number;
  /** 1-based column where the mutated code starts. */
  column: number;
  id: string;
  mutatorName: string;
  status: 'Survived' | 'NoCoverage';
  /** The code the mutant replaces, as the report's source holds it. */
  original: string;
  /** What Stryker put there instead. */
  replacement: string;
  /** The whole source lines the mutant is on, for the diff in its comment. */
  lines: string[];
  /** Names of the tests that ran the mutant and still passed. */
  coveredBy: string[];
  /** Identity of this mutant across reruns (path, mutator, code; not the line number). */
  fingerprint: string;
  /** Identity of this kind of mutant on this kind of code, anywhere in the repository. */
  shapeKey: string;
}

/** What reviewers turned down (👎 on a survivor comment): those mutants are dropped from then on. */
export interface Suppressions {
  fingerprints: ReadonlySet<string>;
  shapeKeys: ReadonlySet<string>;
}

export interface SurvivorOptions {
  maxPerLine: number;
  maxComments: number;
  /** Extra arid call patterns (`mutation.ignore`). */
  ignore: readonly string[];
  suppressed?: Suppressions;
}

export interface SurvivorSelection {
  /** Every survivor on the changed lines but the arid and suppressed ones, by path and line. */
  survivors: Survivor[];
  /** Those to comment on, by path and line. */
  comment: Survivor[];
  /** Left out because their line already had its most useful ones. */
  cappedPerLine: number;
  /** Left out because the pull request already had its most useful ones. */
  cappedPerPr: number;
  /** On arid lines (logging, console, debug, the `ignore` patterns). */
  ignored: number;
  /** Turned down by a 👎 earlier. */
  suppressed: number;
}

/**
 * How useful a surviving mutant is to a reviewer, best first. A changed condition, operator or
 * boolean that no test notices is a missing assertion on logic; a removed block or emptied string
 * or array more often is code whose effect is out of a unit test's reach. Unknown mutators rank
 * between the two.
 */
const MUTATOR_RANK: ReadonlyMap<string, number> = new Map(
  Object.entries({
    EqualityOperator: 0,
    ConditionalExpression: 1,
    LogicalOperator: 2,
    ArithmeticOperator: 3,
    BooleanLiteral: 4,
    UnaryOperator: 5,
    UpdateOperator: 6,
    OptionalChaining: 7,
    MethodExpression: 8,
    AssignmentOperator: 9,
    Regex: 11,
    ArrowFunction: 12,
    BlockStatement: 13,
    ObjectLiteral: 14,
    ArrayDeclaration: 15,
    StringLiteral: 16,
  }),
);
const UNKNOWN_MUTATOR_RANK = 10;

/**
 * The order survivors are chosen in, on a line and in the pull request: a Survived mutant (its
 * code ran and no test failed: an assertion is missing) before a NoCoverage one (no test runs the
 * line at all, which one comment on the line says); then by mutator, as MUTATOR_RANK; then the
 * smaller change first (it points at one expression); then by place, then by id, so the choice
 * is the same on every run.
 */
export function compareUsefulness(a: Survivor, b: Survivor): number {
  const status = (s: Survivor) => (s.status === 'Survived' ? 0 : 1);
  const rank = (s: Survivor) => MUTATOR_RANK.get(s.mutatorName) ?? UNKNOWN_MUTATOR_RANK;
  return (
    status(a) - status(b) ||
    rank(a) - rank(b) ||
    a.original.length - b.original.length ||
    comparePlace(a, b) ||
    compareText(a.id, b.id)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePlace(a: Survivor, b: Survivor): number {
  return compareText(a.path, b.path) || a.line - b.line || a.column - b.column;
}

/** White space collapsed: reindenting or rewrapping code does not make a new mutant. */
export function normaliseCode(code: string): string {
  return code.replace(/\s+/g, ' ').trim();
}

/**
 * The shape of code: names, numbers and strings replaced by placeholders, so `a > b` and
 * `count > limit` are the same shape. A 👎 on a mutator over a shape suppresses it everywhere.
 */
export function codeShape(code: string): string {
  // Long code (a minified line) keeps a bounded prefix and its length, so the key stays small.
  const text = normaliseCode(code);
  const shape = text
    .slice(0, MAX_SHAPE_CHARS)
    .replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, 's')
    .replace(/\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?n?\b/gi, '0')
    .replace(/[A-Za-z_$][\w$]*/g, (word) => (KEYWORDS.has(word) ? word : 'x'));
  return text.length > MAX_SHAPE_CHARS ? `${shape}…${text.length}` : shape;
}

const MAX_SHAPE_CHARS = 500;

const KEYWORDS = new Set(
  'if else return true false null undefined typeof instanceof in of new void await async function const let var this throw'.split(
    ' ',
  ),
);

function hash(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 20);
}

/** The text of a 1-based, end-exclusive location in `source`. */
function textAt(lines: readonly string[], m: MutantResult): string {
  const { start, end } = m.location;
  if (start.line === end.line)
    return (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1);
  const first = (lines[start.line - 1] ?? '').slice(start.column - 1);
  const middle = lines.slice(start.line, end.line - 1);
  const last = (lines[end.line - 1] ?? '').slice(0, end.column - 1);
  return [first, ...middle, last].join('\n');
}

function survivorsOfFile(
  path: string,
  file: FileResult,
  testNames: ReadonlyMap<string, string>,
): Survivor[] {
  const lines = file.source.split(/\r?\n/);
  const out: Survivor[] = [];
  const occurrences = new Map<string, number>();
  const undetected = file.mutants
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .sort(
      (a, b) =>
        a.location.start.line - b.location.start.line ||
        a.location.start.column - b.location.start.column,
    );
  for (const m of undetected) {
    const original = textAt(lines, m);
    const replacement = m.replacement ?? m.description ?? '';
    const own = lines.slice(m.location.start.line - 1, m.location.end.line);
    // Identical code twice in a file (two `if (a > b)` lines) keeps two fingerprints, by order.
    const key = JSON.stringify([
      m.mutatorName,
      normaliseCode(original),
      normaliseCode(replacement),
      normaliseCode(own.join('\n')),
    ]);
    const nth = occurrences.get(key) ?? 0;
    occurrences.set(key, nth + 1);
    out.push({
      path,
      line: m.location.start.line,
      endLine: m.location.end.line,
      column: m.location.start.column,
      id: m.id,
      mutatorName: m.mutatorName,
      status: m.status as Survivor['status'],
      original,
      replacement,
      lines: own,
      coveredBy: [...new Set((m.coveredBy ?? []).map((id) => testNames.get(id) ?? id))],
      fingerprint: hash([path, key, nth]),
      shapeKey: hash([m.mutatorName, codeShape(original), codeShape(replacement)]),
    });
  }
  return out;
}

/** Every undetected mutant of a report (restrict it to the changed lines first), by path and line. */
export function survivorsOf(report: MutationTestResult): Survivor[] {
  const testNames = new Map<string, string>();
  for (const testFile of Object.values(report.testFiles ?? {}))
    for (const test of testFile.tests) testNames.set(test.id, test.name);
  return Object.entries(report.files)
    .flatMap(([key, file]) => survivorsOfFile(normaliseReportPath(key), file, testNames))
    .sort((a, b) => comparePlace(a, b) || compareText(a.id, b.id));
}

/** Whether the mutant sits in a statement that is only an arid call (`logger.info(…)`). */
function isArid(survivor: Survivor, arid: (callee: string) => boolean): boolean {
  const callee = calleeOfStatement(survivor.lines[0] ?? '');
  return callee !== null && arid(callee);
}

export function selectSurvivors(
  report: MutationTestResult,
  options: SurvivorOptions,
): SurvivorSelection {
  const arid = aridCallMatcher(options.ignore);
  const suppressed = options.suppressed ?? { fingerprints: new Set(), shapeKeys: new Set() };
  let ignored = 0;
  let suppressedCount = 0;
  const survivors: Survivor[] = [];
  for (const survivor of survivorsOf(report)) {
    if (isArid(survivor, arid)) ignored++;
    else if (
      suppressed.fingerprints.has(survivor.fingerprint) ||
      suppressed.shapeKeys.has(survivor.shapeKey)
    )
      suppressedCount++;
    else survivors.push(survivor);
  }
  const perLine = new Map<string, number>();
  const comment: Survivor[] = [];
  let cappedPerLine = 0;
  let cappedPerPr = 0;
  for (const survivor of [...survivors].sort(compareUsefulness)) {
    const line = `${survivor.path}\n${survivor.line}`;
    const onLine = perLine.get(line) ?? 0;
    if (onLine >= options.maxPerLine) cappedPerLine++;
    else if (comment.length >= options.maxComments) cappedPerPr++;
    else {
      perLine.set(line, onLine + 1);
      comment.push(survivor);
    }
  }
  comment.sort((a, b) => comparePlace(a, b) || compareText(a.id, b.id));
  return { survivors, comment, cappedPerLine, cappedPerPr, ignored, suppressed: suppressedCount };
}
