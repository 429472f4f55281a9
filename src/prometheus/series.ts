import type { Point } from '../anomaly/types.ts';
import { oneLine } from '../markdown/one-line.ts';
import type { SloSeries } from '../chaos/slo.ts';
import { PrometheusError, queryRange, seriesName } from './query-range.ts';
import type { QueryRangeOptions, RangeQuery } from './query-range.ts';

/**
 * One series over a long range, for anomaly detection: Prometheus answers at most 11,000 points
 * per series to one range query, so a longer range is read in consecutive chunks and joined. The
 * query must answer exactly one series (a detector judges one series at a time): none or several
 * is a PrometheusError (`empty`, `many`) naming the query and what to do. NaN and ±Inf samples (a
 * rate over no traffic) are left out, as gaps the detectors take in their stride.
 */

/** Points per chunk: under Prometheus's 11,000 per series, with room for the inclusive end. */
export const MAX_POINTS_PER_QUERY = 10_000;

function labelKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function clipQuery(query: string): string {
  return JSON.stringify(oneLine(query, 120));
}

/** The chunks of [start, end] at `stepSeconds`, each at most MAX_POINTS_PER_QUERY evaluations. */
export function rangeChunks(query: RangeQuery): RangeQuery[] {
  const stepMs = query.stepSeconds * 1000;
  const span = stepMs * (MAX_POINTS_PER_QUERY - 1);
  const chunks: RangeQuery[] = [];
  for (let start = query.start; start <= query.end; start += span + stepMs)
    chunks.push({ ...query, start, end: Math.min(query.end, start + span) });
  return chunks;
}

/**
 * The one series `query` answers over [start, end], its points in time order (epoch ms). A chunk
 * is read only after the one before it, and `onChunk` hears of each (progress on a terminal).
 */
export async function readSeries(
  baseUrl: string,
  query: RangeQuery,
  options: QueryRangeOptions & { onChunk?: (done: number, total: number) => void },
): Promise<Point[]> {
  if (!(query.stepSeconds > 0) || !(query.end >= query.start))
    throw new RangeError('readSeries needs a step above 0 and an end at or after the start');
  const chunks = rangeChunks(query);
  const found = new Map<string, SloSeries['labels']>();
  const points: Point[] = [];
  for (const [index, chunk] of chunks.entries()) {
    const answer = await queryRange(baseUrl, chunk, { ...options, skipNonFinite: true });
    for (const series of answer) {
      found.set(labelKey(series.labels), series.labels);
      if (found.size > 1) break;
      for (const sample of series.samples) points.push({ t: sample.timeMs, v: sample.value });
    }
    if (found.size > 1) {
      const names = [...found.values()].map(seriesName).join(' and ');
      throw new PrometheusError(
        'many',
        `the query ${clipQuery(query.query)} answers more than one series (${names}); aggregate it to one, such as sum(…) or max(…), or filter it by its labels`,
      );
    }
    options.onChunk?.(index + 1, chunks.length);
  }
  if (points.length === 0)
    throw new PrometheusError(
      'empty',
      `the query ${clipQuery(query.query)} answers no data from ${new Date(query.start).toISOString()} to ${new Date(query.end).toISOString()}; check the metric's name and labels in Prometheus (NaN and Inf samples, as a rate over no traffic gives, count as no data)`,
    );
  points.sort((a, b) => a.t - b.t);
  return points.filter((p, i) => i === 0 || p.t !== points[i - 1]!.t);
}
