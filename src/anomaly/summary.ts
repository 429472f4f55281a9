import { neutraliseMarkers, tableCell } from '../commands/markdown.ts';
import { oneLine } from '../markdown/one-line.ts';
import { codeSpan, inlineMarkdown } from '../markdown/untrusted.ts';
import { formatSloValue } from '../chaos/slo.ts';
import { currentAnomaly, type AnomalyAnalysis } from './analyse.ts';
import { describeDeparture, isoSecond } from './incident.ts';
import type { AnomalyIncidentSynced } from './incident-sync.ts';

/**
 * The anomaly watch's job summary, read in ten seconds: one table row per series (its points,
 * anomalies, state and forecast), the incidents and capacity changes it made, the charts of the
 * series anomalous now, and the rest folded. Texts from Prometheus (its error messages) and the
 * config (queries) are hostile: they go through src/markdown/untrusted.ts.
 */

/** What the watch made of one series: read and analysed, or not read, and why. */
export type WatchedOutcome =
  | {
      kind: 'read';
      name: string;
      query: string;
      /** A counter: described by its rate, which is what was judged. */
      counter: boolean;
      analysis: AnomalyAnalysis;
      /** How recent an anomaly must be to be going on (src/anomaly/incident.ts recentMsFor). */
      recentMs: number;
      /** The series drawn (src/anomaly/chart.ts), shown when it is anomalous. */
      chart: string;
    }
  | { kind: 'unreadable'; name: string; query: string; reason: string };

/** A capacity pull request's fate, as src/anomaly/capacity-sync.ts reports it. */
export interface CapacityLine {
  series: string;
  file: string;
  path: string;
  action: string;
  reason: string;
  url?: string;
}

export type IncidentsLine =
  | { kind: 'off' }
  | { kind: 'synced'; results: readonly AnomalyIncidentSynced[] }
  | { kind: 'failed'; message: string; results: readonly AnomalyIncidentSynced[] };

export interface WatchSummaryInput {
  /** The end of the range read (epoch ms) and its length. */
  end: number;
  rangeMs: number;
  horizonMs: number;
  series: readonly WatchedOutcome[];
  incidents: IncidentsLine;
  /** Null when no capacity rule applies. */
  capacity: readonly CapacityLine[] | null;
}

/** The most characters of a reason in a table cell. */
const CELL_TEXT = 160;
/** Windows listed per series in the folded details (the newest). */
const SHOWN_WINDOWS = 10;

/** Hostile text as table-cell markdown. */
function cell(text: string, max = CELL_TEXT): string {
  return tableCell(text, max);
}

function name(text: string, options: { table?: boolean } = {}): string {
  return codeSpan(text, options);
}

/** "7 days", "36 hours", "45 minutes". */
export function describeSpan(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours >= 48 && Number.isInteger(hours / 24)) return `${hours / 24} days`;
  if (hours >= 1) return `${formatSloValue(Number(hours.toPrecision(3)))} hours`;
  return `${Math.round(ms / 60_000)} minutes`;
}

/**
 * When the series' last point came, if longer ago than an anomaly stays current (recentMs) before
 * the end of the range read: its state is then the one it had when its data stopped.
 */
export function silentSince(
  outcome: Extract<WatchedOutcome, { kind: 'read' }>,
  end: number,
): number | null {
  const last = outcome.analysis.points.at(-1);
  return last !== undefined && end - last.t > outcome.recentMs ? last.t : null;
}

function stateOf(outcome: Extract<WatchedOutcome, { kind: 'read' }>, end: number): string {
  const current = currentAnomaly(outcome.analysis, outcome.recentMs);
  const state = current === null ? '🟢 normal' : `🔴 anomalous since ${isoSecond(current.start)}`;
  const silent = silentSince(outcome, end);
  return silent === null ? state : `${state} (⚠️ no data since ${isoSecond(silent)})`;
}

/** The forecast in words: when the series reaches its limit, or that it does not in the horizon. */
export function describeForecast(analysis: AnomalyAnalysis, horizonMs: number): string {
  if (analysis.limit === null) return '—';
  const limit = formatSloValue(analysis.limit);
  if (analysis.forecast === null)
    return `no forecast: ${analysis.forecastError ?? 'the series is too short'}`;
  const { crossingAt, interval, withinHorizon } = analysis.forecast;
  if (!withinHorizon || crossingAt === null)
    return `does not reach ${limit} within the horizon (${describeSpan(horizonMs)})`;
  const between =
    interval === null
      ? ''
      : ` (between ${isoSecond(interval.earliest)} and ${interval.latest === null ? 'never' : isoSecond(interval.latest)})`;
  return `reaches ${limit} at ${isoSecond(crossingAt)}${between}`;
}

function row(outcome: WatchedOutcome, horizonMs: number, end: number): string {
  if (outcome.kind === 'unreadable')
    return `| ${name(outcome.name, { table: true })} | — | — | ⚠️ unreadable: ${cell(outcome.reason)} | — |`;
  const { analysis } = outcome;
  return `| ${name(outcome.name, { table: true })} | ${analysis.points.length} | ${analysis.anomalies.length} | ${stateOf(outcome, end)} | ${cell(describeForecast(analysis, horizonMs), 240)} |`;
}

function incidentLines(incidents: IncidentsLine): string[] {
  if (incidents.kind === 'off')
    return ['Incidents are off (`anomaly.incident: false`): no incident issue was touched.'];
  const lines = incidents.results.map(({ series, status, result }) => {
    const issue = result.issue === null ? 'no issue' : `#${result.issue.number}`;
    return `- ${name(series)}: ${status}, ${issue} (${result.action})`;
  });
  if (incidents.kind === 'failed')
    lines.push(`- ⚠️ the incident issues could not be written: ${cell(incidents.message, 400)}`);
  return lines.length === 0 ? [] : ['**Incidents**', '', ...lines];
}

function capacityLines(capacity: readonly CapacityLine[] | null): string[] {
  if (capacity === null || capacity.length === 0) return [];
  return [
    '**Capacity**',
    '',
    ...capacity.map(
      (c) =>
        `- ${name(c.series)} → ${name(`${c.file} ${c.path}`)}: ${c.action}${c.url === undefined ? '' : ` (${c.url})`}, ${cell(c.reason, 300)}`,
    ),
  ];
}

function chartSection(outcome: Extract<WatchedOutcome, { kind: 'read' }>): string[] {
  const current = currentAnomaly(outcome.analysis, outcome.recentMs);
  if (current === null) return [];
  const departure = describeDeparture(outcome.analysis.points, current, outcome.counter);
  return [
    `### ${name(outcome.name)}: anomalous since ${isoSecond(current.start)}`,
    '',
    departure === null ? 'No history before the window to compare with.' : `${departure}.`,
    '',
    outcome.chart,
    '',
  ];
}

function detailsOf(outcome: WatchedOutcome, horizonMs: number): string[] {
  const lines = [
    `- ${name(outcome.name)}: query ${name(neutraliseMarkers(oneLine(outcome.query, 300)))}`,
  ];
  if (outcome.kind === 'unreadable') {
    lines.push(`  - not read: ${inlineMarkdown(neutraliseMarkers(oneLine(outcome.reason, 600)))}`);
    return lines;
  }
  const { analysis } = outcome;
  lines.push(`  - ${analysis.detector} detector, ${analysis.points.length} points`);
  for (const w of analysis.anomalies.slice(-SHOWN_WINDOWS))
    lines.push(
      `  - anomalous ${isoSecond(w.start)} to ${isoSecond(w.end)} (peak score ${w.peakScore.toFixed(2)})`,
    );
  if (analysis.anomalies.length > SHOWN_WINDOWS)
    lines.push(`  - … and ${analysis.anomalies.length - SHOWN_WINDOWS} earlier windows`);
  if (analysis.forecast !== null)
    lines.push(
      `  - forecast (${analysis.forecast.method}): ${inlineMarkdown(oneLine(analysis.forecast.reason, 400))}`,
    );
  else if (analysis.limit !== null) lines.push(`  - ${describeForecast(analysis, horizonMs)}`);
  return lines;
}

export function watchSummary(input: WatchSummaryInput): string {
  const { series, horizonMs } = input;
  const unreadable = series.filter((s) => s.kind === 'unreadable').length;
  const read = series.filter(
    (s): s is Extract<WatchedOutcome, { kind: 'read' }> => s.kind === 'read',
  );
  const anomalous = read.filter((s) => currentAnomaly(s.analysis, s.recentMs) !== null).length;
  const headline = [
    `${series.length} series over the ${describeSpan(input.rangeMs)} to ${isoSecond(input.end)}`,
    `${anomalous} anomalous now`,
    ...(unreadable > 0 ? [`**${unreadable} could not be read**`] : []),
  ].join(' · ');
  const after = [incidentLines(input.incidents), capacityLines(input.capacity)]
    .filter((lines) => lines.length > 0)
    .flatMap((lines) => [...lines, '']);
  return [
    '## Steward anomaly watch',
    '',
    headline,
    '',
    '| Series | Points | Anomalies | State | Forecast |',
    '| --- | ---: | ---: | --- | --- |',
    ...series.map((s) => row(s, horizonMs, input.end)),
    '',
    ...after,
    ...read.flatMap(chartSection),
    '<details><summary>Details</summary>',
    '',
    ...series.flatMap((s) => detailsOf(s, horizonMs)),
    '',
    '</details>',
    '',
  ].join('\n');
}
