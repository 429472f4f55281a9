import { departureOf, type AnomalyAnalysis } from '../anomaly/analyse.ts';
import { median } from '../anomaly/median.ts';
import { counterRates } from '../anomaly/rate.ts';
import type { AnomalyWindow, Point, ScoredPoint } from '../anomaly/types.ts';
import { formatDuration } from '../incidents/postmortem.ts';
import type { Colors } from './color.ts';

/**
 * `steward anomalies` as text: what was read, each anomalous stretch with its peak score and how
 * far it went from normal, the forecast, and on a terminal a sparkline with the stretches marked.
 */

/** Stretches listed in text; JSON lists them all. */
const MAX_LISTED = 20;
export const SPARKLINE_WIDTH = 72;
const BARS = '▁▂▃▄▅▆▇█';

export interface TextContext {
  /** What the series is: the CSV's path or the PromQL query (already safe to print). */
  source: string;
  counter: boolean;
  horizonMs: number;
  /** Draw the sparkline (stdout is a terminal). */
  sparkline: boolean;
}

/** A number in at most 4 significant digits, without exponent noise for ordinary sizes. */
export function formatValue(value: number): string {
  const size = Math.abs(value);
  if (size !== 0 && (size >= 1e9 || size < 1e-3)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** `2026-03-01 12:05` (seconds only when not :00), UTC. */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  const seconds = iso.slice(17, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds === '00.000' ? '' : `:${seconds.replace(/\.000$/, '')}`}`;
}

function span(window: AnomalyWindow): string {
  if (window.end === window.start) return `${formatTime(window.start)} UTC`;
  const start = formatTime(window.start);
  const end = formatTime(window.end);
  const sameDay = start.slice(0, 10) === end.slice(0, 10);
  return `${start} – ${sameDay ? end.slice(11) : end} UTC (${formatDuration(window.end - window.start)})`;
}

/** How far the window went: its peak value against the median of the day before it. */
function departure(judged: readonly Point[], window: AnomalyWindow, counter: boolean): string {
  const found = departureOf(judged, window);
  if (found === null) return '';
  const what = counter ? 'rate' : 'value';
  const percent = Math.abs(found.delta / found.normal) * 100;
  const change =
    found.normal === 0 || !Number.isFinite(percent)
      ? ''
      : ` (${found.delta >= 0 ? '+' : '−'}${percent >= 10 ? Math.round(percent) : percent.toFixed(1)}%)`;
  return `  ${what} ${formatValue(found.peak.v)}, normal ~${formatValue(found.normal)}${change}`;
}

/** A forecast's time, to the minute (its interval is hours wide at best). */
function forecastTime(ms: number): string {
  return formatTime(Math.round(ms / 60_000) * 60_000);
}

function forecastLine(analysis: AnomalyAnalysis, context: TextContext, c: Colors): string | null {
  const forecast = analysis.forecast;
  if (analysis.limit === null) return null;
  const limit = formatValue(analysis.limit);
  if (forecast === null)
    return `Forecast: none for the limit ${limit} (${analysis.forecastError ?? 'no forecast was made'})`;
  const by = `${forecast.method === 'linear' ? 'linear fit' : "Holt's trend"}`;
  if (forecast.crossingAt === null || !forecast.withinHorizon)
    return c.green(
      `Forecast: does not reach ${limit} within ${formatDuration(context.horizonMs)} (${by}: ${forecast.reason})`,
    );
  const last = analysis.points[analysis.points.length - 1]!.t;
  const interval = forecast.interval;
  const between =
    interval === null
      ? ''
      : `; ${interval.latest === null ? `not before ${forecastTime(interval.earliest)}` : `between ${forecastTime(interval.earliest)} and ${forecastTime(interval.latest)}`}`;
  return c.red(
    `Forecast: reaches ${limit} around ${forecastTime(forecast.crossingAt)} UTC, in ${formatDuration(Math.max(0, forecast.crossingAt - last))} (${by}${between})`,
  );
}

/**
 * The series in one line of bars, `width` at most: each bar the point of its stretch furthest
 * from the series' median (so spikes and dips both show), anomalous bars in red; and a line of
 * `^` under them, which marks them without colour too.
 */
export function sparkline(
  points: readonly ScoredPoint[],
  c: Colors,
  width = SPARKLINE_WIDTH,
): string[] {
  if (points.length === 0) return [];
  const bars = Math.min(width, points.length);
  const centre = median(points.map((p) => p.v))!;
  const values: number[] = [];
  const anomalous: boolean[] = [];
  for (let b = 0; b < bars; b++) {
    const from = Math.floor((b * points.length) / bars);
    const to = Math.floor(((b + 1) * points.length) / bars);
    let chosen = points[from]!.v;
    let flagged = false;
    for (let i = from; i < to; i++) {
      const p = points[i]!;
      if (Math.abs(p.v - centre) > Math.abs(chosen - centre)) chosen = p.v;
      flagged ||= p.anomaly;
    }
    values.push(chosen);
    anomalous.push(flagged);
  }
  const low = Math.min(...values);
  const high = Math.max(...values);
  // Halves, so that a span such as -1e308 … 1e308 does not overflow to Infinity.
  const span = high / 2 - low / 2;
  const level = (v: number) =>
    span > 0 ? Math.min(7, Math.floor(((v / 2 - low / 2) / span) * 8)) : 3;
  const line = values
    .map((v, i) => (anomalous[i] ? c.red(BARS[level(v)]!) : BARS[level(v)]!))
    .join('');
  const marks = anomalous
    .map((a) => (a ? '^' : ' '))
    .join('')
    .trimEnd();
  return [
    `${line}  ${c.dim(`${formatValue(low)} … ${formatValue(high)}`)}`,
    ...(marks === '' ? [] : [marks]),
  ];
}

/** The whole text report. */
export function anomaliesText(analysis: AnomalyAnalysis, context: TextContext, c: Colors): string {
  const { points, anomalies } = analysis;
  const judged = context.counter ? counterRates(points) : points;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const lines = [
    `${context.source}: ${points.length} point${points.length === 1 ? '' : 's'} from ${formatTime(first.t)} to ${formatTime(last.t)} UTC, detector ${analysis.detector}${context.counter ? ' (on the counter’s rate)' : ''}`,
  ];
  if (anomalies.length === 0) lines.push(c.green('✓ No anomaly'));
  else {
    lines.push(c.red(`✗ ${anomalies.length} anomal${anomalies.length === 1 ? 'y' : 'ies'}`));
    for (const window of anomalies.slice(0, MAX_LISTED))
      lines.push(
        `  ${span(window)}  peak score ${window.peakScore.toFixed(2)}${departure(judged, window, context.counter)}`,
      );
    if (anomalies.length > MAX_LISTED)
      lines.push(
        c.dim(`  and ${anomalies.length - MAX_LISTED} more (--format json lists them all)`),
      );
  }
  const forecast = forecastLine(analysis, context, c);
  if (forecast !== null) lines.push(forecast);
  if (context.sparkline) lines.push('', ...sparkline(judged, c));
  return `${lines.join('\n')}\n`;
}
