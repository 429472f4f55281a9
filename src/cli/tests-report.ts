import { sanitize } from '../hotspots/report/format.ts';
import { codeBlock, codeSpan, inlineMarkdown } from '../markdown/untrusted.ts';
import type { SkippedFile } from '../mutation/scope.ts';
import type { GenerationResult } from '../testgen/generate.ts';
import { renderFunnelTable, renderKeptAndBugs, TESTGEN_LLM_FUNNEL } from '../testgen/markdown.ts';
import type { Funnel, TestTarget } from '../testgen/types.ts';
import type { Colors } from './color.ts';
import type { FileChange } from './tests-diff.ts';

/**
 * What `steward tests` prints: the run in the terminal's words (text), as the documented JSON, or as
 * markdown for a comment or a job summary. Everything shown comes from the repository or the model,
 * so the text report escapes control characters (they could rewrite the terminal).
 */

/** How the survivors the targets were ranked by were found. */
export type BaselineSummary =
  | { kind: 'report'; path: string }
  | { kind: 'measured'; partial: boolean }
  | { kind: 'failed'; message: string }
  /** No target, so nothing was measured. */
  | { kind: 'none' };

export interface TestsRun {
  /** `--base`'s ref (or the default one); null with `--file`. */
  base: string | null;
  /** `--file`'s argument; null for a diff. */
  file: string | null;
  /** 'model', 'offline', or both when test-gen.offline is always and a key is set. */
  mode: { model: string | null; offline: boolean };
  baseline: BaselineSummary;
  result: GenerationResult;
  /** Ranked targets past test-gen.max-targets. */
  capped: readonly TestTarget[];
  skipped: readonly SkippedFile[];
  changes: readonly FileChange[];
  /** True when `--write` wrote the files. */
  written: boolean;
  /** The command's own notices (no key, the baseline), then generation's. */
  notices: readonly string[];
}

/** The JSON shape's version: raised when a field changes meaning or goes away. */
export const TESTS_JSON_VERSION = 1;

function targetJson(t: TestTarget) {
  return { path: t.path, name: t.name, startLine: t.startLine, endLine: t.endLine };
}

/** `--format json`: documented in the command's usage text. */
export function testsJson(run: TestsRun, patch: string): Record<string, unknown> {
  const { result } = run;
  return {
    version: TESTS_JSON_VERSION,
    base: run.base,
    file: run.file,
    mode: run.mode,
    baseline: run.baseline,
    funnel: result.funnel,
    kept: result.report.kept,
    possibleBugs: result.report.possibleBugs,
    targets: result.targets.map((t) => ({
      ...targetJson(t.target),
      exported: t.target.exported,
      changedLines: t.target.changedLines,
      survivingMutants: t.target.survivingMutants,
      framework: t.framework,
      testPath: t.testPath,
      funnel: t.funnel,
      candidates: t.candidates,
      notes: t.notes,
    })),
    capped: run.capped.map(targetJson),
    skipped: run.skipped,
    files: run.changes.map((c) => ({
      path: c.path,
      status: c.before === null ? 'added' : 'modified',
      text: c.after,
    })),
    /** The unified diff of `files` against the working tree; null once written. */
    patch: run.written ? null : patch,
    written: run.written,
    usage: result.usage,
    notices: run.notices,
  };
}

const STAGES: readonly [string, keyof Funnel, number | null][] = [
  ['candidates', 'candidates', 1],
  ['type-check', 'typeChecks', TESTGEN_LLM_FUNNEL.typeChecks],
  ['pass', 'passes', null],
  ['pass every run', 'stable', TESTGEN_LLM_FUNNEL.stable],
  ['add value', 'addsValue', TESTGEN_LLM_FUNNEL.addsValue],
  ['kept', 'kept', null],
];

/** The funnel as a small table, TestGen-LLM's published shares beside this run's. */
export function funnelLines(funnel: Funnel): string[] {
  const share = (n: number) =>
    funnel.candidates === 0 ? '–' : `${Math.round((100 * n) / funnel.candidates)}%`;
  const rows = STAGES.map(([label, key, theirs]) => [
    label,
    String(funnel[key]),
    share(funnel[key]),
    theirs === null ? '–' : `${Math.round(theirs * 100)}%`,
  ]);
  const table = [['stage', 'tests', 'share', 'TestGen-LLM'], ...rows];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  '),
  );
}

/** Code on one short line: white space runs as one space, control characters escaped, cut at 80. */
function brief(code: string): string {
  const flat = sanitize(code.replace(/\s+/g, ' ').trim());
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function modeText(mode: TestsRun['mode']): string {
  if (mode.model !== null && mode.offline) return `${mode.model} and property tests from the types`;
  if (mode.model !== null) return mode.model;
  return 'offline: property tests from the types';
}

function baselineText(baseline: BaselineSummary): string | null {
  switch (baseline.kind) {
    case 'report':
      return `survivors from ${baseline.path}`;
    case 'measured':
      return baseline.partial
        ? 'survivors measured by Stryker (partial: it stopped early)'
        : 'survivors measured by Stryker';
    case 'failed':
      return 'no survivors (Stryker could not measure them)';
    case 'none':
      return null;
  }
}

/** `--format text`: the report, then the patch unless it was written. */
export function testsText(run: TestsRun, c: Colors, patch: string): string {
  const { result } = run;
  const lines: string[] = [];
  const scope = run.file === null ? `changes since ${run.base ?? '?'}` : `--file ${run.file}`;
  const survivors = baselineText(run.baseline);
  lines.push(
    c.bold(
      `test generation for ${sanitize(scope)}: ${plural(result.targets.length, 'target')}, ${modeText(run.mode)}`,
    ),
  );
  if (survivors !== null) lines.push(c.dim(survivors));
  if (result.usage !== null) {
    const u = result.usage;
    const cost = u.costUsd === null ? 'cost unknown' : `$${u.costUsd.toFixed(2)}`;
    lines.push(
      c.dim(
        `Claude: ${plural(u.requests, 'answer')}, ${u.inputTokens} input and ${u.outputTokens} output tokens, ${cost}`,
      ),
    );
  }
  if (result.targets.length === 0)
    lines.push(
      '',
      run.file === null
        ? 'Nothing to generate tests for: the change touches no function or method a test can reach.'
        : 'Nothing to generate tests for.',
    );
  else lines.push('', ...funnelLines(result.funnel));
  if (result.funnel.possibleBugs > 0)
    lines.push(`${plural(result.funnel.possibleBugs, 'candidate')} failed on an assertion`);

  if (result.report.kept.length > 0) lines.push('', c.bold('kept:'));
  for (const test of result.report.kept) {
    lines.push(
      `  ${c.green('+')} ${sanitize(test.name)}  ${c.dim(`${sanitize(test.testPath)}, for ${sanitize(test.target)} (${sanitize(test.sourcePath)})`)}`,
    );
    for (const m of test.kills)
      lines.push(
        `      kills line ${m.line} ${sanitize(m.mutator)}: ${brief(m.original)} → ${brief(m.replacement)}`,
      );
    if (test.covers.length > 0)
      lines.push(
        `      covers ${test.covers.length === 1 ? 'line' : 'lines'} ${test.covers.join(', ')}`,
      );
  }
  if (result.report.possibleBugs.length > 0)
    lines.push(
      '',
      c.bold('possible bugs (not written: the code or the test is wrong; look at it):'),
    );
  for (const bug of result.report.possibleBugs)
    lines.push(
      `  ${c.red('!')} ${sanitize(bug.name)}  ${c.dim(`for ${sanitize(bug.target)} (${sanitize(bug.sourcePath)})`)}`,
      `      ${sanitize(bug.assertion)}`,
    );

  const unkept = result.targets.filter((t) => t.funnel.kept === 0);
  if (unkept.length > 0) lines.push('', c.bold('no test kept for:'));
  for (const t of unkept) {
    const dropped = t.candidates.filter((cand) => cand.verdict.kind === 'dropped');
    const why = [
      ...t.notes,
      ...dropped
        .slice(0, 3)
        .map((cand) =>
          cand.verdict.kind === 'dropped'
            ? `${cand.name}: ${cand.verdict.stage}: ${cand.verdict.reason}`
            : '',
        ),
    ];
    lines.push(
      `  ${sanitize(t.target.name)} (${sanitize(t.target.path)}:${t.target.startLine})${t.candidates.length === 0 ? ': no candidate' : ''}`,
    );
    for (const reason of why) lines.push(`      ${sanitize(reason)}`);
  }
  if (run.capped.length > 0)
    lines.push(
      '',
      `not tried (past test-gen.max-targets): ${run.capped
        .slice(0, 10)
        .map((t) => `${sanitize(t.name)} (${sanitize(t.path)})`)
        .join(', ')}${run.capped.length > 10 ? `, and ${run.capped.length - 10} more` : ''}`,
    );
  for (const s of run.skipped)
    lines.push(c.dim(`not a target: ${sanitize(s.path)} (${sanitize(s.reason)})`));
  for (const notice of run.notices) lines.push(c.yellow(`note: ${sanitize(notice)}`));

  lines.push('');
  if (run.changes.length === 0) lines.push('No test file to write.');
  else if (run.written)
    lines.push(
      `Wrote ${plural(run.changes.length, 'test file')}: ${run.changes.map((ch) => sanitize(ch.path)).join(', ')}`,
    );
  else
    lines.push(
      `The tests as a patch (${plural(run.changes.length, 'file')}); --write writes them, or save it and git apply:`,
      '',
    );
  const report = `${lines.join('\n')}\n`;
  if (run.written || patch === '') return report;
  return `${report}${terminalSafe(patch, c)}`;
}

/**
 * A patch for the terminal: control characters but tabs shown as escapes, so generated code
 * cannot rewrite the screen. Only on a terminal (colours on); a pipe gets the exact bytes.
 */
export function terminalSafe(patch: string, c: Colors): string {
  if (c.bold('') === '') return patch;
  return patch
    .split('\n')
    .map((line) => line.replace(/[^\t\P{Cc}]/gu, (ch) => sanitize(ch)))
    .join('\n');
}

/**
 * `--format markdown`: the funnel, the kept tests and the possible bugs as the tests pull request
 * shows them (src/testgen/markdown.ts), under a heading of the CLI's own, and the patch.
 */
export function testsMarkdown(run: TestsRun, patch: string): string {
  const scope =
    run.file === null ? `the changes since ${codeSpan(run.base ?? '?')}` : codeSpan(run.file);
  const parts = [
    `### Tests for ${scope}`,
    '',
    `Steward kept ${plural(run.result.report.kept.length, 'test')} of ${plural(run.result.funnel.candidates, 'candidate')}: each type-checks, passes every run, and kills a mutant that survived or covers a changed line no test covered.`,
    '',
    renderFunnelTable(run.result.funnel),
    '',
    renderKeptAndBugs(run.result.report),
  ];
  if (run.notices.length > 0)
    parts.push('', '#### Notes', '', ...run.notices.map((n) => `- ${inlineMarkdown(n)}`));
  if (!run.written && patch !== '')
    parts.push('', '#### Patch', '', codeBlock(patch.trimEnd(), 'diff'));
  return `${parts.join('\n')}\n`;
}
