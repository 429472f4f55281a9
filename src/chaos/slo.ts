import type { ChaosMeshExperiment } from './chaos-mesh.ts';
import type { ChaosVerdict } from './fields.ts';
import type { ChaosSlo } from './settings.ts';

/**
 * Chaos Mesh gives no verdict, so Steward judges an experiment by the SLOs of the `chaos:`
 * config: every value each SLO's query took over the experiment's window must stay at or below
 * `max` and at or above `min`. Data in, verdict out: the queries are run by an edge
 * (src/prometheus). No data is never a pass: a failed query, an empty result or a window with no
 * sample leaves the SLO (and so the experiment) without a verdict, and says why.
 */

/** One sample: milliseconds since the epoch, and the value. */
export interface SloSample {
  timeMs: number;
  value: number;
}

/** One series of a range query's answer: its labels and its samples. */
export interface SloSeries {
  labels: Readonly<Record<string, string>>;
  samples: readonly SloSample[];
}

/** What one SLO's query gave over the window: its series, or why there are none. */
export type SloOutcome = { ok: true; series: readonly SloSeries[] } | { ok: false; error: string };

export interface SloResult {
  slo: ChaosSlo;
  outcome: SloOutcome;
}

/** The experiment's window in milliseconds; `ongoing` when it has not recovered yet (end is "now"). */
export interface ExperimentWindow {
  start: number;
  end: number;
  ongoing?: boolean;
}

/** One SLO's verdict and the sentence that explains it. */
export interface SloCheck {
  name: string;
  verdict: ChaosVerdict;
  reason: string;
}

export interface ChaosJudgement {
  /** fail when any SLO was broken; pass when every SLO held with data; unknown otherwise. */
  verdict: ChaosVerdict;
  /** One sentence per SLO (failures first), or why nothing could be judged. */
  reasons: string[];
  slos: SloCheck[];
}

/** The key of a Chaos Mesh experiment in a map of judgements: kind, namespace and name. */
export function chaosJudgementKey(experiment: Pick<ChaosMeshExperiment, 'kind' | 'meta'>): string {
  return `${experiment.kind}/${experiment.meta.namespace ?? ''}/${experiment.meta.name}`;
}

/** A judgement that could not be made, with the reason. */
export function unjudged(reason: string): ChaosJudgement {
  return { verdict: 'unknown', reasons: [reason], slos: [] };
}

/**
 * The window an experiment is judged over: from its first Apply to its last Recover, or to `now`
 * while it has not recovered (a breach so far is a failure; no breach is not yet a pass).
 */
export function experimentWindow(
  experiment: Pick<ChaosMeshExperiment, 'startedAt' | 'endedAt'>,
  now: number,
): ExperimentWindow | { reason: string } {
  if (experiment.startedAt === null)
    return { reason: 'the experiment records no Apply event, so it has no window to judge' };
  if (experiment.endedAt !== null) return { start: experiment.startedAt, end: experiment.endedAt };
  if (now < experiment.startedAt)
    return { reason: 'the experiment started after the time it is judged at' };
  return { start: experiment.startedAt, end: now, ongoing: true };
}

/** A number short enough to read: six significant digits. */
export function formatSloValue(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
}

const MAX_LABELS = 6;

/** A series as PromQL writes it: `name{a="1", b="2"}`, cut short. */
export function formatSeries(labels: Readonly<Record<string, string>>): string {
  const name = labels['__name__'] ?? '';
  const rest = Object.entries(labels).filter(([key]) => key !== '__name__');
  const shown = rest
    .slice(0, MAX_LABELS)
    .map(
      ([key, value]) =>
        `${key}=${JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value)}`,
    );
  if (rest.length > MAX_LABELS) shown.push(`and ${rest.length - MAX_LABELS} more`);
  return `${name}{${shown.join(', ')}}`;
}

function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

function bounds(slo: ChaosSlo): string {
  const parts: string[] = [];
  if (slo.min !== null) parts.push(`at least ${formatSloValue(slo.min)}`);
  if (slo.max !== null) parts.push(`at most ${formatSloValue(slo.max)}`);
  return parts.join(' and ');
}

interface Breach {
  sample: SloSample;
  series: SloSeries;
  /** How far past the bound: the worst breach is shown. */
  excess: number;
  bound: 'max' | 'min';
}

function checkSlo(window: ExperimentWindow, result: SloResult): SloCheck {
  const { slo, outcome } = result;
  const named = `SLO ${JSON.stringify(slo.name)}`;
  const check = (verdict: ChaosVerdict, reason: string): SloCheck => ({
    name: slo.name,
    verdict,
    reason: `${named} (${bounds(slo)}): ${reason}`,
  });
  if (!outcome.ok) return check('unknown', `no verdict, the query failed: ${outcome.error}`);
  if (outcome.series.length === 0)
    return check(
      'unknown',
      'no verdict, the query returned no series over the window (no data is not a pass)',
    );
  let samples = 0;
  let breaches = 0;
  let worst: Breach | null = null;
  let highest: number | null = null;
  let lowest: number | null = null;
  for (const series of outcome.series)
    for (const sample of series.samples) {
      if (!(sample.timeMs >= window.start && sample.timeMs <= window.end)) continue;
      if (!Number.isFinite(sample.value))
        return check(
          'unknown',
          `no verdict, ${formatSeries(series.labels)} was ${String(sample.value)} at ${isoTime(sample.timeMs)}`,
        );
      samples += 1;
      highest = highest === null ? sample.value : Math.max(highest, sample.value);
      lowest = lowest === null ? sample.value : Math.min(lowest, sample.value);
      const over = slo.max !== null && sample.value > slo.max ? sample.value - slo.max : 0;
      const under = slo.min !== null && sample.value < slo.min ? slo.min - sample.value : 0;
      if (over === 0 && under === 0) continue;
      breaches += 1;
      const excess = Math.max(over, under);
      if (worst === null || excess > worst.excess)
        worst = { sample, series, excess, bound: over > 0 ? 'max' : 'min' };
    }
  if (samples === 0)
    return check(
      'unknown',
      'no verdict, the query returned no sample inside the window (no data is not a pass)',
    );
  if (worst !== null) {
    const limit = worst.bound === 'max' ? slo.max! : slo.min!;
    return check(
      'fail',
      `broken, ${formatSeries(worst.series.labels)} was ${formatSloValue(worst.sample.value)} at ${isoTime(worst.sample.timeMs)} (${worst.bound} ${formatSloValue(limit)}); ${breaches} of ${samples} samples out of bounds`,
    );
  }
  const range =
    highest === lowest
      ? `every value was ${formatSloValue(highest!)}`
      : `values from ${formatSloValue(lowest!)} to ${formatSloValue(highest!)}`;
  if (window.ongoing)
    return check(
      'unknown',
      `no breach so far (${range} over ${samples} samples), but the experiment has not recovered yet`,
    );
  return check('pass', `held, ${range} over ${samples} samples`);
}

/**
 * The verdict on one Chaos Mesh experiment from its SLOs' query results over its window: fail
 * when a value of any SLO went past its bound inside the window; pass only when every SLO had
 * samples inside the window and all held; unknown otherwise (no SLO, a failed query, no series,
 * no sample, a value that is not a number, a window that is not one, an experiment still running).
 */
export function judgeChaosMesh(
  window: ExperimentWindow,
  results: readonly SloResult[],
): ChaosJudgement {
  if (!Number.isFinite(window.start) || !Number.isFinite(window.end) || window.end < window.start)
    return unjudged(
      `the experiment's window (${isoTime(window.start)} to ${isoTime(window.end)}) is not a window, so nothing was judged`,
    );
  if (results.length === 0) return unjudged('no SLO is configured, so nothing was judged');
  const slos = results.map((result) => checkSlo(window, result));
  const verdict: ChaosVerdict = slos.some((s) => s.verdict === 'fail')
    ? 'fail'
    : slos.every((s) => s.verdict === 'pass')
      ? 'pass'
      : 'unknown';
  const order: Record<ChaosVerdict, number> = { fail: 0, unknown: 1, pass: 2 };
  const reasons = [...slos]
    .sort((a, b) => order[a.verdict] - order[b.verdict])
    .map((s) => s.reason);
  return { verdict, reasons, slos };
}
