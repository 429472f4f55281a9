import { neutraliseMarkers } from '../commands/markdown.ts';
import { codeBlock, codeSpan, inlineMarkdown } from '../markdown/untrusted.ts';
import type { ChangedLinesAnalysis } from './report.ts';
import type { MutateRange } from './scope.ts';
import type { Survivor, SurvivorSelection } from './survivors.ts';

/**
 * The mutation report as GitHub shows it: one summary comment (upserted by its first-line marker)
 * and one inline comment per chosen survivor (found again by the fingerprint in its first line).
 * Every piece of text from the report or the code goes through src/markdown/untrusted.ts.
 */

/** The first line of the summary comment; only Steward writes a body that starts with it. */
export const SUMMARY_MARKER = '<!-- steward:mutation -->';

const MUTANT_MARKER = /^<!-- steward:mutant:([0-9a-f]{8,64}) shape:([0-9a-f]{8,64}) -->(?:\r?\n|$)/;

/** The hidden first line of a survivor's inline comment. */
export function mutantMarker(survivor: Pick<Survivor, 'fingerprint' | 'shapeKey'>): string {
  for (const key of [survivor.fingerprint, survivor.shapeKey])
    if (!/^[0-9a-f]{8,64}$/.test(key))
      throw new Error(`not a mutant fingerprint: ${JSON.stringify(key)}`);
  return `<!-- steward:mutant:${survivor.fingerprint} shape:${survivor.shapeKey} -->`;
}

/** The fingerprint and shape key of a survivor comment Steward wrote (its first line); null otherwise. */
export function parseMutantMarker(body: string): { fingerprint: string; shapeKey: string } | null {
  const match = MUTANT_MARKER.exec(body);
  return match === null ? null : { fingerprint: match[1]!, shapeKey: match[2]! };
}

/** Whether a comment is Steward's mutation summary (its first line is the marker). */
export function isSummaryComment(body: string): boolean {
  return body === SUMMARY_MARKER || body.startsWith(`${SUMMARY_MARKER}\n`);
}

/** Code from the report in a code span: inert, with no marker in the raw body. */
function code(text: string, table = false): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const short = flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
  return codeSpan(neutraliseMarkers(short), { table, padded: true }) || '(empty)';
}

function at(path: string, line: number, table = false): string {
  return code(`${path}:${line}`, table);
}

/**
 * A mutation score as every face shows it: one decimal, rounded down, so a score just under a
 * `fail-under` threshold never reads as meeting it (79.96 shows 79.9%, not 80.0%).
 */
export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : `${(Math.floor(score * 10) / 10).toFixed(1)}%`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A duration as formatDuration writes it at the end of the summary's score line. */
const TRAILING_DURATION = / · (?:\d+\.\d s|\d+ min \d+ s|\d+ h \d+ min)$/gm;

/**
 * Whether two summaries say the same apart from how long Stryker took: a rerun of the same head
 * (whose duration always differs) leaves the posted summary alone instead of editing it.
 */
export function sameSummaryApartFromDuration(a: string, b: string): boolean {
  return a.replace(TRAILING_DURATION, '') === b.replace(TRAILING_DURATION, '');
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The mutated lines: the original with the mutant's code put in place of what it replaced. */
export function mutatedLines(survivor: Survivor): string[] {
  const first = survivor.lines[0] ?? '';
  const last = survivor.lines.at(-1) ?? '';
  const before = first.slice(0, survivor.column - 1);
  const originalTail = survivor.original.split('\n').at(-1) ?? '';
  const afterStart =
    survivor.lines.length === 1
      ? survivor.column - 1 + survivor.original.length
      : originalTail.length;
  return `${before}${survivor.replacement}${last.slice(afterStart)}`.split('\n');
}

/** The mutant as a small diff: the lines it changes, before and after. */
export function mutantDiff(survivor: Survivor): string {
  const rows = [
    ...survivor.lines.map((line) => `-${line}`),
    ...mutatedLines(survivor).map((line) => `+${line}`),
  ];
  return codeBlock(rows.join('\n'), 'diff');
}

/** One sentence on the test that would catch the mutant. */
export function catchingTest(survivor: Survivor): string {
  const original = code(survivor.original);
  if (survivor.status === 'NoCoverage')
    return 'No test runs this code: a test that calls it and checks the result would catch it.';
  switch (survivor.mutatorName) {
    case 'EqualityOperator':
      return `A test on the boundary of ${original}, where both sides are equal, would catch it.`;
    case 'ConditionalExpression':
      return `A test where ${original} is ${survivor.replacement === 'true' ? 'false' : 'true'}, checking what follows, would catch it.`;
    case 'LogicalOperator':
      return `A test where only one side of ${original} holds would catch it.`;
    case 'ArithmeticOperator':
    case 'UnaryOperator':
    case 'UpdateOperator':
    case 'AssignmentOperator':
      return `A test that checks the exact value of ${original} would catch it.`;
    case 'StringLiteral':
      return `A test that checks the text ${original} where it ends up would catch it.`;
    case 'BlockStatement':
      return 'A test that checks an effect of this block would catch it.';
    case 'OptionalChaining':
      return `A test where the value before ${code('?.')} is null or undefined would catch it.`;
    default:
      return `A test that checks the result of ${original} would catch it.`;
  }
}

/** The inline review comment on a survivor's line. */
export function survivorComment(survivor: Survivor): string {
  const what =
    survivor.status === 'NoCoverage'
      ? `no test covers ${code(survivor.original)}, so it can become ${code(survivor.replacement)} unnoticed`
      : `no test fails when ${code(survivor.original)} becomes ${code(survivor.replacement)}`;
  const tests = survivor.coveredBy.slice(0, 3).map((name) => code(name));
  const more = survivor.coveredBy.length > 3 ? ` and ${survivor.coveredBy.length - 3} more` : '';
  return [
    mutantMarker(survivor),
    `**Surviving mutant** (${inlineMarkdown(survivor.mutatorName)}): ${what}.`,
    '',
    mutantDiff(survivor),
    '',
    catchingTest(survivor),
    ...(tests.length > 0 ? ['', `Tests that ran it and passed: ${tests.join(', ')}${more}.`] : []),
    '',
    '<sub>👍 useful · 👎 not useful: Steward stops reporting this mutator on this kind of code.</sub>',
  ].join('\n');
}

/** The second line of a survivor comment Steward marked resolved (its first stays the mutant marker). */
export const RESOLVED_MARKER = '<!-- steward:mutant-resolved -->';

const RESOLVED_HEAD = [
  RESOLVED_MARKER,
  '✅ **No longer survives**: a test now catches this mutant, or the code it changed is gone.',
  '',
  '<details><summary>The surviving mutant it was</summary>',
  '',
];
const RESOLVED_TAIL = ['', '</details>'];

/** Whether a survivor comment (first line: its mutant marker) is in its resolved form. */
export function isResolvedSurvivorComment(body: string): boolean {
  return parseMutantMarker(body) !== null && body.split(/\r?\n/)[1] === RESOLVED_MARKER;
}

/**
 * A survivor comment turned resolved: the mutant marker stays first, so a rerun still knows it,
 * and the survivor it reported is folded under a line saying it no longer survives. Resolving a
 * resolved comment changes nothing.
 */
export function resolvedSurvivorComment(body: string): string {
  if (isResolvedSurvivorComment(body)) return body;
  const [marker = '', ...rest] = body.split(/\r?\n/);
  return [marker, ...RESOLVED_HEAD, ...rest, ...RESOLVED_TAIL].join('\n');
}

/** The survivor comment a resolved one folds, as it read before: for a mutant surviving again. */
export function reopenedSurvivorComment(body: string): string {
  if (!isResolvedSurvivorComment(body)) return body;
  const [marker = '', ...rest] = body.split(/\r?\n/);
  const head = rest.slice(0, RESOLVED_HEAD.length);
  const folded = rest.slice(RESOLVED_HEAD.length, rest.length - RESOLVED_TAIL.length);
  const tail = rest.slice(rest.length - RESOLVED_TAIL.length);
  const intact =
    head.join('\n') === RESOLVED_HEAD.join('\n') && tail.join('\n') === RESOLVED_TAIL.join('\n');
  return intact ? [marker, ...folded].join('\n') : [marker, ...rest.slice(1)].join('\n');
}

export interface SummaryInput {
  analysis: ChangedLinesAnalysis;
  selection: SurvivorSelection;
  ranges: readonly MutateRange[];
  /** The run's duration when the runner measured it; the report's own performance otherwise. */
  durationMs?: number | null;
  /** Where the HTML report is (the run's artifacts); null for none. Steward builds it, https only. */
  reportUrl?: string | null;
}

/** Rows of the survivor table at most; the rest are counted. */
export const MAX_TABLE_ROWS = 50;

function lineCount(ranges: readonly MutateRange[]): number {
  return ranges.reduce((sum, r) => sum + r.endLine - r.startLine + 1, 0);
}

/** A survivor's last cell: not covered at all, and whether it has an inline comment. */
function noteOf(survivor: Survivor, commented: ReadonlySet<string>): string {
  const notes = [
    survivor.status === 'NoCoverage' ? 'no coverage' : '',
    commented.has(survivor.fingerprint) ? '💬' : '',
  ];
  return notes.filter((note) => note !== '').join(' ');
}

export function summaryComment(input: SummaryInput): string {
  const { analysis, selection, ranges } = input;
  const c = analysis.counts;
  const files = new Set(ranges.map((r) => r.path)).size;
  const base = analysis.baseScore === null ? '' : ` (base: ${formatScore(analysis.baseScore)})`;
  const ms = input.durationMs ?? analysis.durationMs;
  const duration = ms === null ? '' : ` · ${formatDuration(ms)}`;
  const lines = [
    SUMMARY_MARKER,
    '## Mutation report',
    '',
    `**Changed-lines mutation score: ${formatScore(c.score)}**${base} · ${plural(c.total, 'mutant')} on ${plural(lineCount(ranges), 'changed line')} in ${plural(files, 'file')}${duration}`,
    '',
  ];
  if (analysis.partial)
    lines.push(
      '> [!WARNING]',
      `> Partial result: ${plural(c.pending, 'mutant')} did not run (Stryker stopped early); the score counts the others.`,
      '',
    );
  lines.push(
    '| Killed | Survived | No coverage | Timeout | Compile errors | Runtime errors |',
    '| --: | --: | --: | --: | --: | --: |',
    `| ${c.killed} | ${c.survived} | ${c.noCoverage} | ${c.timeout} | ${c.compileErrors} | ${c.runtimeErrors} |`,
    '',
  );
  const survivors = selection.survivors;
  if (survivors.length > 0) {
    const commented = new Set(selection.comment.map((s) => s.fingerprint));
    lines.push(
      `### Surviving mutants (${survivors.length})`,
      '',
      '| Where | Mutator | Original → mutant | Note |',
      '| --- | --- | --- | --- |',
      ...survivors
        .slice(0, MAX_TABLE_ROWS)
        .map(
          (s) =>
            `| ${at(s.path, s.line, true)} | ${inlineMarkdown(s.mutatorName, { table: true })} | ${code(s.original, true)} → ${code(s.replacement, true)} | ${noteOf(s, commented)} |`,
        ),
    );
    if (survivors.length > MAX_TABLE_ROWS)
      lines.push('', `…and ${survivors.length - MAX_TABLE_ROWS} more in the HTML report.`);
    lines.push('');
  } else if (c.total > 0) {
    lines.push('Every mutant on the changed lines was detected.', '');
  } else {
    lines.push(
      'Stryker made no mutant on the changed lines (types, imports and declarations have none).',
      '',
    );
  }
  const notes = [
    selection.cappedPerLine > 0
      ? `${plural(selection.cappedPerLine, 'survivor')} over the per-line cap`
      : '',
    selection.cappedPerPr > 0
      ? `${plural(selection.cappedPerPr, 'survivor')} over the per-PR cap`
      : '',
    selection.ignored > 0
      ? `${plural(selection.ignored, 'mutant')} in arid code (logging, debug) ignored`
      : '',
    selection.suppressed > 0 ? `${plural(selection.suppressed, 'mutant')} suppressed by 👎` : '',
  ].filter((note) => note !== '');
  if (notes.length > 0) lines.push(`Not commented inline: ${notes.join(' · ')}.`, '');
  const url = input.reportUrl ?? null;
  if (url !== null && /^https:\/\/[^\s()<>]+$/.test(url)) lines.push(`[HTML report](${url})`, '');
  return lines.join('\n').trimEnd();
}

/** The summary when the diff leaves nothing to mutate: green, and why. */
export function nothingToMutateComment(
  message: string,
  skipped: readonly { path: string; reason: string }[],
): string {
  const lines = [SUMMARY_MARKER, '## Mutation report', '', inlineMarkdown(message)];
  if (skipped.length > 0) {
    lines.push('', '<details><summary>Changed files not mutated</summary>', '');
    for (const s of skipped.slice(0, MAX_TABLE_ROWS))
      lines.push(`- ${code(s.path)}: ${inlineMarkdown(s.reason)}`);
    if (skipped.length > MAX_TABLE_ROWS)
      lines.push(`- …and ${skipped.length - MAX_TABLE_ROWS} more`);
    lines.push('', '</details>');
  }
  return lines.join('\n');
}

/** Why Stryker could not start (the dry run failed), as the runner reports it. */
export interface NotStarted {
  /** Stryker's own words, such as "There were failed tests in the initial test run." */
  reason: string;
  /** Names of the tests that failed in the dry run; [] when unknown. */
  failingTests: readonly string[];
}

/** The summary when mutation could not start: no score, and what to fix. */
export function notStartedComment(failure: NotStarted): string {
  const lines = [
    SUMMARY_MARKER,
    '## Mutation report',
    '',
    '> [!CAUTION]',
    `> Mutation testing could not start: ${inlineMarkdown(failure.reason)}`,
    '',
    'Stryker first runs the test suite unchanged, and every test must pass for a mutant to mean anything; no score is given.',
  ];
  if (failure.failingTests.length > 0) {
    lines.push('', 'Failing tests:', '');
    for (const name of failure.failingTests.slice(0, MAX_TABLE_ROWS)) lines.push(`- ${code(name)}`);
    if (failure.failingTests.length > MAX_TABLE_ROWS)
      lines.push(`- …and ${failure.failingTests.length - MAX_TABLE_ROWS} more`);
  }
  return lines.join('\n');
}

/** The summary when Stryker could not be set up or stopped without a result: no score, what went wrong and what to do. */
export function runFailedComment(title: string, message: string, hint: string | null): string {
  const lines = [
    SUMMARY_MARKER,
    '## Mutation report',
    '',
    '> [!CAUTION]',
    `> ${inlineMarkdown(title)}: ${inlineMarkdown(message.replace(/\s+/g, ' '))}`,
  ];
  if (hint !== null && hint !== '') lines.push('', inlineMarkdown(hint.replace(/\s+/g, ' ')));
  lines.push('', 'No score is given.');
  return lines.join('\n');
}
