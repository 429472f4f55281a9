/**
 * One series analysed the way every face shows it (`steward anomalies`, the anomaly-watch action):
 * the detector's scores, the anomalous windows, how far from normal each went, and, for a series
 * with a limit, when it reaches it. Pure: the faces read the points and print the result.
 */
import { anomalyWindows, createDetector } from './detect.ts';
import { medianStep } from './evaluate.ts';
import { forecastCrossing, MIN_FORECAST_POINTS, type ForecastResult } from './forecast.ts';
import { median } from './median.ts';
import type { AnomalyWindow, DetectorName, DetectorOptions, Point, ScoredPoint } from './types.ts';

export interface AnalyseOptions {
  detector: DetectorName;
  detectorOptions?: DetectorOptions;
  /** A limit the series must not reach: with it, a forecast is made. */
  limit?: number | null;
  /** How far ahead the forecast looks (ms); 14 days unless given. */
  horizonMs?: number;
  /** Which way the series moves toward the limit; from the direction, else the limit's side. */
  forecastDirection?: 'up' | 'down';
}

export interface AnomalyAnalysis {
  detector: DetectorName;
  points: ScoredPoint[];
  anomalies: AnomalyWindow[];
  /** Null without a limit, or when the series is too short to forecast (`forecastError` says). */
  forecast: ForecastResult | null;
  forecastError: string | null;
  limit: number | null;
}

/** How far a window went from what came before it. */
export interface Departure {
  /** The median of the values in the day before the window (or all before it, when less). */
  normal: number;
  /** The value in the window furthest from normal, and when. */
  peak: Point;
  /** peak − normal. */
  delta: number;
}

const DAY_MS = 86_400_000;
const DEFAULT_HORIZON_MS = 14 * DAY_MS;
/** Runs of anomalous points this many typical steps apart are one window. */
const MERGE_STEPS = 3;

/** Which way a series moves toward its limit. */
function towardLimit(points: readonly Point[], limit: number, options: AnalyseOptions) {
  if (options.forecastDirection !== undefined) return options.forecastDirection;
  const direction = options.detectorOptions?.direction;
  if (direction === 'up' || direction === 'down') return direction;
  const last = points[points.length - 1];
  return last !== undefined && last.v > limit ? 'down' : 'up';
}

export function analyseSeries(points: readonly Point[], options: AnalyseOptions): AnomalyAnalysis {
  const detector = createDetector(options.detector, options.detectorOptions);
  const scored: ScoredPoint[] = points.map((p) => ({ ...p, ...detector.push(p.t, p.v) }));
  const anomalies = anomalyWindows(scored, { mergeGapMs: MERGE_STEPS * medianStep(points) });
  const limit = options.limit ?? null;
  let forecast: ForecastResult | null = null;
  let forecastError: string | null = null;
  if (limit !== null) {
    if (points.length < MIN_FORECAST_POINTS)
      forecastError = `${points.length} points are too few to forecast; at least ${MIN_FORECAST_POINTS} are needed`;
    else
      forecast = forecastCrossing(points, {
        limit,
        horizonMs: options.horizonMs ?? DEFAULT_HORIZON_MS,
        direction: towardLimit(points, limit, options),
      });
  }
  return { detector: options.detector, points: scored, anomalies, forecast, forecastError, limit };
}

/**
 * The window still going on: one whose last anomalous point is within `recentMs` of the series'
 * last point. A watch fires while there is one and resolves once there is none.
 */
export function currentAnomaly(a: AnomalyAnalysis, recentMs: number): AnomalyWindow | null {
  const last = a.points[a.points.length - 1];
  const window = a.anomalies[a.anomalies.length - 1];
  if (last === undefined || window === undefined) return null;
  return last.t - window.end <= recentMs ? window : null;
}

/** How far `window` went from the values of the day before it; null when nothing came before. */
export function departureOf(points: readonly Point[], window: AnomalyWindow): Departure | null {
  const before = points.filter((p) => p.t < window.start && p.t >= window.start - DAY_MS);
  const normal = median(before.map((p) => p.v));
  if (normal === null) return null;
  let peak: Point | null = null;
  for (const p of points) {
    if (p.t < window.start || p.t > window.end) continue;
    if (peak === null || Math.abs(p.v - normal) > Math.abs(peak.v - normal)) peak = p;
  }
  if (peak === null) return null;
  return { normal, peak: { t: peak.t, v: peak.v }, delta: peak.v - normal };
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** The JSON the faces print: the shape issue 19 names, times in ISO 8601. */
export function analysisJson(a: AnomalyAnalysis) {
  return {
    detector: a.detector,
    points: a.points.map((p) => ({
      timestamp: iso(p.t),
      value: p.v,
      score: p.score,
      anomaly: p.anomaly,
    })),
    anomalies: a.anomalies.map((w) => ({
      start: iso(w.start),
      end: iso(w.end),
      peakScore: w.peakScore,
    })),
    forecast:
      a.limit === null
        ? null
        : {
            limit: a.limit,
            method: a.forecast?.method ?? null,
            crossingAt: a.forecast?.crossingAt == null ? null : iso(a.forecast.crossingAt),
            interval:
              a.forecast?.interval == null
                ? null
                : {
                    earliest: iso(a.forecast.interval.earliest),
                    latest:
                      a.forecast.interval.latest === null ? null : iso(a.forecast.interval.latest),
                  },
            withinHorizon: a.forecast?.withinHorizon ?? false,
            reason: a.forecast?.reason ?? a.forecastError,
          },
  };
}
