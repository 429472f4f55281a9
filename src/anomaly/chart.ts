/**
 * A series drawn as a Mermaid `xychart-beta` block, which GitHub renders in issues and pull
 * requests: the series as a line (downsampled so a spike survives), the anomalous windows as bars,
 * the limit as a flat line and the forecast as the line's continuation up to the crossing.
 *
 * The x axis is numeric, in hours (days when the span is over 2 days) from the last point, whose
 * UTC time the axis title names: a category axis of 60 time labels overlaps into an unreadable
 * band, while a numeric one gets a few round ticks. Mermaid's lines and bars have no gaps, so
 * every series has one value per slot; a slot with no point carries its neighbour's value.
 *
 * Pure. Nothing from the input reaches the block but finite numbers compactly written and a title
 * of [A-Za-z0-9 _.:-]: no quote, backtick, newline, bracket or angle bracket can close the fence
 * or the title's string, or inject markdown or HTML.
 */
import type { ForecastResult } from './forecast.ts';
import { median } from './median.ts';
import type { AnomalyWindow, Point } from './types.ts';

export interface ChartOptions {
  /** Plain characters only: anything outside [A-Za-z0-9 _.:-] is dropped. */
  title: string;
  /** Anomalous windows, marked as bars. */
  windows?: readonly AnomalyWindow[];
  /** A flat line at the limit. */
  limit?: number | null;
  /** With a crossing, the line continues from the last point to the limit at the crossing. */
  forecast?: ForecastResult | null;
  /** How far ahead the forecast may be drawn (ms); the observed span when not given. */
  horizonMs?: number;
  /** Slots on the x axis (2 to 200); 60 unless given. */
  maxPoints?: number;
}

export const DEFAULT_CHART_POINTS = 60;
/** GitHub renders small diagrams: more slots than this are not drawn. */
export const MAX_CHART_POINTS = 200;
const TITLE_LENGTH = 80;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const numberFormat = new Intl.NumberFormat('en-US', {
  useGrouping: false,
  maximumSignificantDigits: 6,
});

/** A finite number as Mermaid's grammar reads it: no exponent, no grouping, no "-0". */
export function chartNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`chart: ${value} is not a finite number`);
  const text = numberFormat.format(value);
  return text === '-0' ? '0' : text;
}

const exact = new Intl.NumberFormat('en-US', { useGrouping: false, maximumSignificantDigits: 17 });

/** An axis bound that reads back as the same double (17 digits do), without exponent. */
function axisNumber(value: number): string {
  const text = exact.format(value);
  return text === '-0' ? '0' : text;
}

/** The title with everything but [A-Za-z0-9 _.:-] dropped, spaces collapsed, at most 80 characters. */
export function chartTitle(title: string): string {
  const plain = String(title)
    .replace(/[^A-Za-z0-9 _.:-]+/g, ' ')
    .replace(/ +/g, ' ')
    .trim()
    .slice(0, TITLE_LENGTH)
    .trim();
  return plain === '' ? 'series' : plain;
}

/** `12-04 22:05 UTC`: only digits, `-`, `:` and spaces. */
function utc(t: number): string {
  const iso = new Date(t).toISOString();
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)} UTC`;
}

interface Slot {
  /** The slot's centre (epoch ms). */
  t: number;
  value: number;
  anomalous: boolean;
}

/** The point of `bucket` furthest from `centre`: a spike or a dip survives downsampling. */
function extreme(bucket: readonly Point[], centre: number): Point {
  let best = bucket[0]!;
  for (const p of bucket) if (Math.abs(p.v - centre) > Math.abs(best.v - centre)) best = p;
  return best;
}

function inWindows(from: number, to: number, windows: readonly AnomalyWindow[]): boolean {
  return windows.some((w) => w.start <= to && w.end >= from);
}

/**
 * Slots `widthMs` apart ending at the last point, back to the first, each holding its bucket's
 * extreme point; an empty bucket (a gap) carries the value before it.
 */
function observedSlots(
  points: readonly Point[],
  widthMs: number,
  windows: readonly AnomalyWindow[],
): Slot[] {
  const last = points[points.length - 1]!.t;
  const count = Math.floor((last - points[0]!.t) / widthMs) + 1;
  const centre = median(points.map((p) => p.v)) ?? 0;
  const buckets: Point[][] = Array.from({ length: count }, () => []);
  for (const p of points) {
    const back = Math.min(count - 1, Math.round((last - p.t) / widthMs));
    buckets[count - 1 - back]!.push(p);
  }
  const slots: Slot[] = [];
  let carried = points[0]!.v;
  for (const [i, bucket] of buckets.entries()) {
    const t = last - (count - 1 - i) * widthMs;
    const value = bucket.length > 0 ? extreme(bucket, centre).v : carried;
    carried = value;
    const anomalous =
      bucket.length > 0
        ? inWindows(bucket[0]!.t, bucket[bucket.length - 1]!.t, windows)
        : inWindows(t - widthMs / 2, t + widthMs / 2, windows);
    slots.push({ t, value, anomalous });
  }
  return slots;
}

/**
 * The slot width in axis units: the span over maxPoints slots, rounded up to 5 significant bits.
 * Mermaid places a numeric axis' values by stepping from min by (max − min)/(n − 1) while at
 * most max: with a step of few significant bits every sum is exact, so no value falls off the end.
 */
function slotWidth(spanUnits: number, maxPoints: number): number {
  const raw = Math.max(2 ** -20, spanUnits / Math.max(1, maxPoints - 2));
  const quantum = 2 ** (Math.floor(Math.log2(raw)) - 4);
  return Math.ceil(raw / quantum) * quantum;
}

/** Where the drawn forecast ends: the crossing, no further than the horizon. Null: none drawn. */
function forecastEnd(
  last: Point,
  span: number,
  forecast: ForecastResult | null | undefined,
  horizonMs: number | undefined,
): number | null {
  if (!forecast || forecast.crossingAt === null || !Number.isFinite(forecast.crossingAt))
    return null;
  if (forecast.crossingAt <= last.t) return null;
  const reach = horizonMs !== undefined && horizonMs > 0 ? horizonMs : Math.max(span, HOUR_MS);
  return Math.min(forecast.crossingAt, last.t + reach);
}

function clampPoints(maxPoints: number | undefined): number {
  if (maxPoints === undefined || !Number.isFinite(maxPoints)) return DEFAULT_CHART_POINTS;
  return Math.min(MAX_CHART_POINTS, Math.max(2, Math.floor(maxPoints)));
}

function fence(lines: readonly string[]): string {
  return ['```mermaid', 'xychart-beta', ...lines.map((l) => `  ${l}`), '```'].join('\n');
}

function list(values: readonly number[]): string {
  return `[${values.map(chartNumber).join(', ')}]`;
}

export function mermaidChart(points: readonly Point[], options: ChartOptions): string {
  const title = chartTitle(options.title);
  const finite = points
    .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v))
    .slice()
    .sort((a, b) => a.t - b.t);
  if (finite.length === 0) return fence([`title "${title}: no data"`, 'x-axis [none]', 'line [0]']);
  const limit =
    options.limit !== undefined && options.limit !== null && Number.isFinite(options.limit)
      ? options.limit
      : null;
  const windows = options.windows ?? [];
  const maxPoints = clampPoints(options.maxPoints);
  const first = finite[0]!;
  const last = finite[finite.length - 1]!;
  const span = last.t - first.t;
  const end = limit === null ? null : forecastEnd(last, span, options.forecast, options.horizonMs);

  // Slots of one width across the observed span and the forecast, at most maxPoints in all.
  const unitMs = (end ?? last.t) - first.t > 2 * DAY_MS ? DAY_MS : HOUR_MS;
  // Fewer points than slots need no more slots than points (and gaps no filling-in).
  const budget = end === null ? Math.min(maxPoints, finite.length + 1) : maxPoints;
  const width = slotWidth(((end ?? last.t) - first.t) / unitMs, budget);
  const widthMs = width * unitMs;
  const slots = observedSlots(finite, widthMs, windows);
  if (end !== null && limit !== null) {
    const crossingAt = options.forecast!.crossingAt!;
    const futureCount = Math.ceil((end - last.t) / widthMs);
    for (let i = 1; i <= futureCount; i++) {
      const t = last.t + i * widthMs;
      const value =
        t >= crossingAt
          ? limit
          : last.v + ((limit - last.v) * (t - last.t)) / (crossingAt - last.t);
      slots.push({ t, value, anomalous: false });
    }
  }
  // A numeric axis spreads each series evenly from its min to its max: it needs two values.
  if (slots.length === 1) slots.push({ ...slots[0]!, t: last.t + widthMs });

  const values = slots.map((s) => s.value);
  const lowest = Math.min(...values, ...(limit === null ? [] : [limit]));
  const highest = Math.max(...values, ...(limit === null ? [] : [limit]));
  const pad = highest > lowest ? (highest - lowest) * 0.05 : Math.abs(highest) * 0.05 || 1;
  const yMin = Number(chartNumber(lowest - pad));
  const yMax = Number(chartNumber(highest + pad));

  const unit = unitMs === DAY_MS ? 'days' : 'hours';
  const xMin = -(slots.findIndex((slot) => slot.t === last.t) * width);
  const xMax = xMin + (slots.length - 1) * width;
  const forecastNote = end === null ? '' : ', forecast after 0';

  const lines = [
    `title "${title}"`,
    `x-axis "${unit} from ${utc(last.t)}${forecastNote}" ${axisNumber(xMin)} --> ${axisNumber(xMax)}`,
    `y-axis ${chartNumber(yMin)} --> ${chartNumber(yMax)}`,
  ];
  if (slots.some((s) => s.anomalous))
    lines.push(`bar ${list(slots.map((s) => (s.anomalous ? s.value : yMin)))}`);
  lines.push(`line ${list(values)}`);
  if (limit !== null) lines.push(`line ${list(slots.map(() => limit))}`);
  return fence(lines);
}
