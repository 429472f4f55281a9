import { neutraliseMarkers, tableCell } from '../commands/markdown.ts';
import { oneLine } from '../markdown/one-line.ts';
import { codeSpan, inlineMarkdown } from '../markdown/untrusted.ts';
import type { ChaosMeshExperiment } from './chaos-mesh.ts';
import type { ChaosVerdict } from './fields.ts';
import type { LitmusChaosEngine, LitmusChaosResult, LitmusEngineExperiment } from './litmus.ts';
import { probeFailed } from './litmus.ts';
import type { ChaosRead, ChaosReadError, SkippedObject } from './read.ts';
import { MAX_OBJECTS } from './read.ts';
import type { ChaosJudgement } from './slo.ts';
import { chaosJudgementKey } from './slo.ts';

/**
 * Chaos results as a reviewer reads them in ten seconds: one table row per experiment (failures
 * first), an overall verdict, and the details folded below. Every text that came from the
 * objects (names, descriptions, messages, even the file names) is hostile: it goes through
 * src/markdown/untrusted.ts, so it mentions no one, carries no HTML and forges no marker.
 */

/** The first line of a chaos summary Steward writes (the faces upsert by it). */
export const CHAOS_MARKER = '<!-- steward:chaos -->';

/** Rows in the table at most; the rest are counted. */
export const MAX_ROWS = 50;

/** The most characters of details; GitHub refuses a comment over 65,536. */
const DETAILS_BUDGET = 40_000;

/** The most characters of one text in a cell. */
const CELL_TEXT = 120;

export interface FailedProbe {
  name: string;
  reason: string | null;
}

export interface ChaosRow {
  tool: 'litmus' | 'chaos-mesh';
  experiment: string;
  target: string | null;
  verdict: ChaosVerdict;
  /** What the tool says, as written: Litmus's verdict (or phase), Chaos Mesh's derived phase. */
  status: string;
  probeSuccessPercentage: number | null;
  failedProbes: FailedProbe[];
  /** Why the experiment failed (Litmus's failure fields, Chaos Mesh's failed events). */
  failure: string | null;
  durationMs: number | null;
  history: { passed: number; failed: number; stopped: number } | null;
  /** The details lines (already rendered markdown). */
  details: string[];
  source: string;
  /** For Chaos Mesh: whether the verdict comes from an SLO judgement (absent or false: not judged). */
  judged?: boolean;
}

/** Options of the summary: SLO judgements of Chaos Mesh experiments, by `chaosJudgementKey`. */
export interface ChaosSummaryOptions {
  judgements?: ReadonlyMap<string, ChaosJudgement>;
}

export interface ChaosSummary {
  /** fail when any experiment failed; pass when every one passed; unknown otherwise. */
  verdict: ChaosVerdict;
  failed: number;
  passed: number;
  unknown: number;
  rows: ChaosRow[];
  markdown: string;
}

/** Hostile text as table-cell markdown. */
function cell(text: string, max = CELL_TEXT): string {
  return tableCell(text, max);
}

/** Hostile text as a line of markdown outside the table. */
function line(text: string, max = 500): string {
  return inlineMarkdown(neutraliseMarkers(oneLine(text, max)));
}

/** A hostile name in a code span. */
function name(text: string, table = false): string {
  return codeSpan(neutraliseMarkers(oneLine(text, 80)), { table, padded: true }) || '(empty)';
}

export function formatChaosDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60)
    return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function resultTarget(
  result: LitmusChaosResult,
  engine: LitmusChaosEngine | undefined,
): string | null {
  const targets = (result.history?.targets ?? [])
    .filter((t) => t.name !== null)
    .map((t) => (t.kind === null ? t.name! : `${t.kind}/${t.name!}`));
  if (targets.length > 0)
    return targets.length > 3
      ? `${targets.slice(0, 3).join(', ')} and ${targets.length - 3} more`
      : targets.join(', ');
  const app = engine?.app;
  if (app) {
    const parts = [app.kind, app.namespace, app.label].filter((p): p is string => p !== null);
    if (parts.length > 0) return parts.join(' ');
  }
  return result.meta.namespace;
}

function failureText(result: LitmusChaosResult): string | null {
  const failure = result.failure;
  if (failure === null) return null;
  return failure.errorCode === null ? failure.reason : `${failure.errorCode}: ${failure.reason}`;
}

function engineExperiment(
  result: LitmusChaosResult,
  engine: LitmusChaosEngine | undefined,
): LitmusEngineExperiment | undefined {
  return engine?.experiments.find((e) => e.name === result.experiment);
}

function litmusDetails(result: LitmusChaosResult): string[] {
  const out = [
    `- ChaosResult ${name(result.meta.name)}${result.meta.namespace === null ? '' : ` in ${name(result.meta.namespace)}`}, engine ${name(result.engine ?? '?')}, experiment ${name(result.experiment ?? '?')}`,
    `- Phase ${name(result.phase ?? '?')}, verdict ${name(result.litmusVerdict ?? '?')}`,
  ];
  if (result.failure !== null)
    out.push(
      `- Failure (${result.failure.generation}): ${result.failure.errorCode === null ? '' : `${name(result.failure.errorCode)} `}${line(result.failure.reason)}`,
    );
  for (const probe of result.probes.slice(0, 20)) {
    const mark = probeFailed(probe)
      ? '❌'
      : probe.verdict?.toLowerCase().startsWith('pass')
        ? '✅'
        : '❔';
    const what = [probe.type, probe.mode].filter((p): p is string => p !== null).join(', ');
    out.push(
      `- ${mark} probe ${name(probe.name)}${what === '' ? '' : ` (${line(what, 60)})`}: ${line(probe.verdict ?? 'no verdict', 40)}${probe.description === null ? '' : `, ${line(probe.description)}`}`,
    );
  }
  const more = result.probes.length - 20 + result.probesDropped;
  if (more > 0) out.push(`- and ${more} more probes`);
  return out;
}

function resultRow(result: LitmusChaosResult, engines: readonly LitmusChaosEngine[]): ChaosRow {
  const engine = engines.find(
    (e) => e.meta.name === result.engine && e.meta.namespace === result.meta.namespace,
  );
  const run = engineExperiment(result, engine);
  const started = engine?.meta.createdAt ?? null;
  const ended = run?.lastUpdateTime ?? null;
  const history = result.history;
  return {
    tool: 'litmus',
    experiment: result.experiment ?? result.meta.name,
    target: resultTarget(result, engine),
    verdict: result.verdict,
    status: result.litmusVerdict ?? result.phase ?? 'no verdict',
    probeSuccessPercentage: result.probeSuccessPercentage,
    failedProbes: result.probes
      .filter(probeFailed)
      .map((p) => ({ name: p.name, reason: p.description })),
    failure: failureText(result),
    durationMs: started !== null && ended !== null && ended >= started ? ended - started : null,
    history:
      history === null
        ? null
        : { passed: history.passedRuns, failed: history.failedRuns, stopped: history.stoppedRuns },
    details: litmusDetails(result),
    source: result.origin.source,
  };
}

/** An engine's experiment with no ChaosResult among the objects read. */
function engineRow(engine: LitmusChaosEngine, run: LitmusEngineExperiment): ChaosRow {
  const app = engine.app;
  const target = app && [app.kind, app.namespace, app.label].filter((p) => p !== null).join(' ');
  const started = engine.meta.createdAt;
  const ended = run.lastUpdateTime;
  return {
    tool: 'litmus',
    experiment: run.name,
    target: target === null || target === '' ? engine.meta.namespace : target,
    verdict: run.verdict,
    status: run.litmusVerdict ?? run.status ?? 'no verdict',
    probeSuccessPercentage: null,
    failedProbes: [],
    failure: null,
    durationMs: started !== null && ended !== null && ended >= started ? ended - started : null,
    history: null,
    details: [
      `- ChaosEngine ${name(engine.meta.name)} (${line(engine.engineStatus ?? 'no status', 40)}), experiment ${name(run.name)}: ${line(run.status ?? 'no status', 60)}; no ChaosResult was given for it`,
    ],
    source: engine.origin.source,
  };
}

function meshDetails(experiment: ChaosMeshExperiment): string[] {
  const out = [
    `- ${line(experiment.kind, 40)} ${name(experiment.meta.name)}${experiment.meta.namespace === null ? '' : ` in ${name(experiment.meta.namespace)}`}${experiment.action === null ? '' : `, action ${name(experiment.action)}`}${experiment.duration === null ? '' : `, duration ${name(experiment.duration)}`}; desired phase ${name(experiment.desiredPhase ?? '?')}`,
    `- Conditions: ${
      experiment.conditions
        .slice(0, 10)
        .map((c) => `${line(c.type, 40)} ${line(c.status ?? '?', 20)}`)
        .join(', ') || 'none'
    }`,
  ];
  for (const record of experiment.records.slice(0, 20)) {
    const events = record.events
      .slice(-5)
      .map(
        (e) =>
          `${line(e.operation ?? '?', 20)} ${line(e.type ?? '?', 20)}${e.timestamp === null ? '' : ` at ${new Date(e.timestamp).toISOString()}`}${e.message === null ? '' : ` (${line(e.message, 200)})`}`,
      )
      .join('; ');
    out.push(
      `- ${name(record.id)}: ${line(record.phase ?? '?', 30)}, injected ${record.injectedCount}, recovered ${record.recoveredCount}${events === '' ? '' : `; ${events}`}`,
    );
  }
  const more = experiment.records.length - 20 + experiment.recordsDropped;
  if (more > 0) out.push(`- and ${more} more records`);
  return out;
}

function meshRow(experiment: ChaosMeshExperiment, judgement?: ChaosJudgement): ChaosRow {
  const ids = experiment.records.map((r) => r.id);
  const row: ChaosRow = {
    tool: 'chaos-mesh',
    experiment: experiment.meta.name,
    target:
      experiment.selector ??
      (ids.length === 0
        ? experiment.meta.namespace
        : ids.length > 3
          ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`
          : ids.join(', ')),
    verdict: experiment.verdict,
    status: experiment.phase,
    probeSuccessPercentage: null,
    failedProbes: [],
    failure: experiment.failures[0] ?? null,
    durationMs:
      experiment.startedAt !== null && experiment.endedAt !== null
        ? experiment.endedAt - experiment.startedAt
        : null,
    history: null,
    details: meshDetails(experiment),
    source: experiment.origin.source,
  };
  if (judgement === undefined) return row;
  const broken = judgement.slos.find((s) => s.verdict === 'fail');
  return {
    ...row,
    verdict: judgement.verdict,
    judged: true,
    failure: broken?.reason ?? row.failure,
    details: [
      ...row.details,
      ...judgement.reasons.slice(0, 20).map((reason) => `- SLO judgement: ${line(reason, 400)}`),
    ],
  };
}

/** One row per experiment: Litmus results (with their engines' timing), engines' experiments with no result, Chaos Mesh experiments. */
export function chaosRows(
  read: Pick<ChaosRead, 'objects'>,
  options: ChaosSummaryOptions = {},
): ChaosRow[] {
  const engines = read.objects.filter(
    (o): o is LitmusChaosEngine => o.tool === 'litmus' && o.kind === 'ChaosEngine',
  );
  const results = read.objects.filter(
    (o): o is LitmusChaosResult => o.tool === 'litmus' && o.kind === 'ChaosResult',
  );
  const rows: ChaosRow[] = [];
  for (const object of read.objects) {
    if (object.tool === 'chaos-mesh')
      rows.push(meshRow(object, options.judgements?.get(chaosJudgementKey(object))));
    else if (object.kind === 'ChaosResult') rows.push(resultRow(object, engines));
    else
      for (const run of object.experiments)
        if (
          !results.some(
            (r) =>
              r.engine === object.meta.name &&
              r.meta.namespace === object.meta.namespace &&
              r.experiment === run.name,
          )
        )
          rows.push(engineRow(object, run));
  }
  return rows;
}

const ICON: Record<ChaosVerdict, string> = { pass: '✅', fail: '❌', unknown: '❔' };

function verdictCell(row: ChaosRow): string {
  if (row.tool === 'chaos-mesh')
    return row.judged === true
      ? `${ICON[row.verdict]} ${cell(row.status, 20)} (SLO${row.verdict === 'unknown' ? ': no verdict' : ''})`
      : `${ICON.unknown} ${cell(row.status, 20)} (no verdict)`;
  return `${ICON[row.verdict]} ${cell(row.status, 30)}`;
}

function failedCell(row: ChaosRow): string {
  const parts = row.failedProbes
    .slice(0, 3)
    .map((p) => `${name(p.name, true)}${p.reason === null ? '' : `: ${cell(p.reason, 100)}`}`);
  if (row.failedProbes.length > 3) parts.push(`and ${row.failedProbes.length - 3} more`);
  // Litmus 2.x repeats a failed probe's description as the failure step: shown once.
  const repeated = row.failedProbes.some(
    (p) => row.failure !== null && p.reason?.includes(row.failure),
  );
  if (row.failure !== null && !repeated) parts.push(cell(row.failure, 100));
  return parts.join('<br>') || '—';
}

/** The run counts from history, oldest verdicts unknown: passed of all, stopped apart. */
function trendCell(row: ChaosRow): string {
  const history = row.history;
  if (history === null) return '—';
  const runs = history.passed + history.failed;
  const rate = runs === 0 ? '' : ` (${Math.round((history.passed / runs) * 100)}%)`;
  const stopped = history.stopped > 0 ? `, ${history.stopped} stopped` : '';
  return `${history.passed}/${runs} passed${rate}${stopped}`;
}

function tableRow(row: ChaosRow): string {
  return `| ${[
    name(row.experiment, true),
    row.target === null ? '—' : cell(row.target, 80),
    verdictCell(row),
    row.probeSuccessPercentage === null ? '—' : `${row.probeSuccessPercentage}%`,
    failedCell(row),
    row.durationMs === null ? '—' : formatChaosDuration(row.durationMs),
    trendCell(row),
  ].join(' | ')} |`;
}

function overall(rows: readonly ChaosRow[], errors: number): ChaosVerdict {
  if (rows.some((r) => r.verdict === 'fail')) return 'fail';
  if (rows.length === 0 || errors > 0 || rows.some((r) => r.verdict === 'unknown'))
    return 'unknown';
  return 'pass';
}

function headline(summary: Omit<ChaosSummary, 'markdown' | 'rows'>, rows: number): string {
  const count = `${rows} experiment${rows === 1 ? '' : 's'}`;
  if (summary.verdict === 'fail')
    return `${ICON.fail} **Chaos: ${summary.failed} of ${count} failed**`;
  if (summary.verdict === 'pass') return `${ICON.pass} **Chaos: all ${count} passed**`;
  return `${ICON.unknown} **Chaos: no verdict** (${count}: ${summary.passed} passed, ${summary.unknown} without a verdict)`;
}

function origin(o: { source: string; document: number; item: number | null }): string {
  return `${name(o.source)}, document ${o.document}${o.item === null ? '' : `, item ${o.item}`}`;
}

function problems(skipped: readonly SkippedObject[], errors: readonly ChaosReadError[]): string[] {
  const out: string[] = [];
  for (const error of errors.slice(0, 20)) out.push(`- ⚠️ ${line(error.message, 300)}`);
  if (errors.length > 20) out.push(`- and ${errors.length - 20} more errors`);
  for (const skip of skipped.slice(0, 20))
    out.push(
      `- skipped ${name(skip.kind ?? '?')} ${name(skip.name ?? '?')} (${origin(skip.origin)}): ${line(skip.reason, 200)}`,
    );
  if (skipped.length > 20) out.push(`- and ${skipped.length - 20} more skipped`);
  return out;
}

/**
 * The summary of what was read: the overall verdict and `failed` count (the faces' outputs), and
 * the markdown (marker first, the table, the details folded).
 */
export function summariseChaos(read: ChaosRead, options: ChaosSummaryOptions = {}): ChaosSummary {
  const order: Record<ChaosVerdict, number> = { fail: 0, unknown: 1, pass: 2 };
  const rows = chaosRows(read, options).sort((a, b) => order[a.verdict] - order[b.verdict]);
  const counts = {
    verdict: overall(rows, read.errors.length),
    failed: rows.filter((r) => r.verdict === 'fail').length,
    passed: rows.filter((r) => r.verdict === 'pass').length,
    unknown: rows.filter((r) => r.verdict === 'unknown').length,
  };
  const lines = [CHAOS_MARKER, headline(counts, rows.length), ''];
  if (rows.length > 0) {
    lines.push(
      '| Experiment | Target | Verdict | Probe success | Failed probes | Duration | Trend |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows.slice(0, MAX_ROWS).map(tableRow),
    );
    if (rows.length > MAX_ROWS) lines.push('', `and ${rows.length - MAX_ROWS} more experiments.`);
    lines.push('');
  } else lines.push('No chaos experiment was found in the files given.', '');
  if (read.errors.length > 0)
    lines.push(
      `⚠️ ${read.errors.length} object${read.errors.length === 1 ? '' : 's'} could not be read (see the details).`,
      '',
    );
  if (read.dropped > 0)
    lines.push(
      `${read.dropped} objects past the first ${MAX_OBJECTS} of a file were not read.`,
      '',
    );
  const sections: string[] = [];
  let budget = DETAILS_BUDGET;
  for (const row of rows) {
    const section = [
      `**${name(row.experiment)}** in ${name(row.source)}`,
      '',
      ...row.details,
      '',
    ].join('\n');
    if (section.length > budget) {
      sections.push('The remaining details were left out to keep the summary short.');
      break;
    }
    budget -= section.length;
    sections.push(section);
  }
  const issues = problems(read.skipped, read.errors);
  if (issues.length > 0) sections.push(['**Not read**', '', ...issues, ''].join('\n'));
  if (sections.length > 0)
    lines.push('<details><summary>Details</summary>', '', ...sections, '</details>');
  return { ...counts, rows, markdown: `${lines.join('\n').trimEnd()}\n` };
}
