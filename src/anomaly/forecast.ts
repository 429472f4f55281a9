/**
 * When does a series reach its limit (issue 19, Forecasts)? Two models fitted to the series' recent
 * past, the one that predicts a held-out stretch of it better wins:
 * - linear: least squares on the recent window; the interval is where the confidence band of the
 *   fitted line (the slope's standard error and the residual spread, Student's t quantile) meets
 *   the limit, the earliest from the upper band, the latest from the lower one (none when the
 *   slope is not significantly toward the limit);
 * - holt: Holt's linear trend (double exponential smoothing, time-aware for irregular spacing),
 *   its two smoothing constants chosen on a fixed grid by one-step-ahead squared error; the
 *   interval grows with the horizon like Holt's forecast variance,
 *   σ²(1 + α²((h−1) + βh(h−1) + β²h(h−1)(2h−1)/6)) for h steps ahead.
 * Pure and deterministic: no clock, no randomness.
 */
import type { Point } from './types.ts';

export type ForecastDirection = 'up' | 'down';
export type ForecastMethod = 'linear' | 'holt';

export interface ForecastOptions {
  /** The limit the series grows (or falls, direction 'down') toward. */
  limit: number;
  /** How far past the last point the answer matters (ms). */
  horizonMs: number;
  /** 'up' (default): the series grows toward the limit; 'down': it falls toward it (free disk). */
  direction?: ForecastDirection;
  /** The recent stretch the linear fit and the model choice read (ms; default: the whole series). */
  recentWindowMs?: number;
  /** Two-sided confidence of the interval, in (0, 1); default 0.9. */
  confidence?: number;
  /** Force one model (backtests, comparisons); default: the one with the lower `fit` error. */
  method?: ForecastMethod;
}

export interface ForecastInterval {
  earliest: number;
  /** null: the limit may never be reached (the band does not rule out a flat series). */
  latest: number | null;
}

export interface ForecastResult {
  method: ForecastMethod;
  /** Epoch ms of the central forecast's crossing; null when it never crosses. */
  crossingAt: number | null;
  interval: ForecastInterval | null;
  /** The central forecast reaches the limit within horizonMs of the last point. */
  withinHorizon: boolean;
  reason: string;
  /**
   * Each model's root mean squared error forecasting the recent window a quarter of it ahead
   * from rolling origins in it (the lower one is chosen).
   */
  fit: { linear: number; holt: number };
}

/** Fewest points a forecast is made from (3 to fit, at least 1 held out, 1 spare). */
export const MIN_FORECAST_POINTS = 5;
export const DEFAULT_FORECAST_CONFIDENCE = 0.9;
/** Holt's grid: level (alpha) and trend (beta) smoothing constants. */
export const HOLT_ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9] as const;
export const HOLT_BETAS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3] as const;
/** Crossings further than this past the last point are reported as none (about 3,000 years). */
const MAX_CROSSING_MS = 1e14;
const SCAN_STEPS = 4000;

export function forecastCrossing(
  points: readonly Point[],
  options: ForecastOptions,
): ForecastResult {
  validateOptions(options);
  validatePoints(points);
  const sign = (options.direction ?? 'up') === 'down' ? -1 : 1;
  const limit = sign * options.limit;
  const confidence = options.confidence ?? DEFAULT_FORECAST_CONFIDENCE;
  const series = points.map((p) => ({ t: p.t, v: sign * p.v }));
  const last = series[series.length - 1]!;
  const window = recentWindow(series, options.recentWindowMs);

  const holt = chooseHolt(series);
  const fit = rollingErrors(series, series.length - window.length, holt);
  const method: ForecastMethod = options.method ?? (fit.holt < fit.linear ? 'holt' : 'linear');
  const model =
    method === 'linear' ? linearModel(window, confidence) : holtModel(series, holt, confidence);

  if (last.v >= limit) {
    return {
      method,
      crossingAt: last.t,
      interval: { earliest: last.t, latest: last.t },
      withinHorizon: true,
      reason: `already ${sign > 0 ? 'at or above' : 'at or below'} the limit at the last point`,
      fit,
    };
  }
  if (!(model.slope > 0)) {
    return {
      method,
      crossingAt: null,
      interval: null,
      withinHorizon: false,
      reason: `the ${method} trend is flat or moving away from the limit (slope ${formatSlope(sign * model.slope)} per hour)`,
      fit,
    };
  }
  const gap = limit - model.level;
  const central = gap <= 0 ? 0 : gap / model.slope;
  const crossing = central <= MAX_CROSSING_MS ? last.t + central : null;
  const band = crossingBand(
    model,
    limit,
    Math.max(options.horizonMs, Math.min(central, MAX_CROSSING_MS)) * 4,
  );
  const interval: ForecastInterval | null =
    band.earliest === null
      ? null
      : {
          earliest: last.t + band.earliest,
          latest: band.latest === null ? null : last.t + band.latest,
        };
  const withinHorizon = crossing !== null && central <= options.horizonMs;
  const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;
  const reason =
    crossing === null
      ? `the ${method} trend is too slow to reach the limit in any useful time`
      : withinHorizon
        ? `the ${method} trend reaches the limit in ${hours(central)}, within the ${hours(options.horizonMs)} horizon`
        : `not within the horizon: the ${method} trend reaches the limit in ${hours(central)}, past the ${hours(options.horizonMs)} horizon`;
  return { method, crossingAt: crossing, interval, withinHorizon, reason, fit };
}

/** A fitted model seen from the last point: value `level + slope·x` x ms later, ± halfWidth(x). */
interface Model {
  level: number;
  slope: number;
  halfWidth: (x: number) => number;
}

function validateOptions(options: ForecastOptions): void {
  if (!Number.isFinite(options.limit))
    throw new Error(`forecast: limit must be a finite number, got ${options.limit}`);
  if (!Number.isFinite(options.horizonMs) || options.horizonMs <= 0)
    throw new Error(
      `forecast: horizonMs must be a positive finite number, got ${options.horizonMs}`,
    );
  if (options.direction !== undefined && options.direction !== 'up' && options.direction !== 'down')
    throw new Error(`forecast: direction must be 'up' or 'down', got ${String(options.direction)}`);
  if (options.method !== undefined && options.method !== 'linear' && options.method !== 'holt')
    throw new Error(`forecast: method must be 'linear' or 'holt', got ${String(options.method)}`);
  if (
    options.recentWindowMs !== undefined &&
    (!Number.isFinite(options.recentWindowMs) || options.recentWindowMs <= 0)
  )
    throw new Error(
      `forecast: recentWindowMs must be a positive finite number, got ${options.recentWindowMs}`,
    );
  if (
    options.confidence !== undefined &&
    (!Number.isFinite(options.confidence) || options.confidence <= 0 || options.confidence >= 1)
  )
    throw new Error(
      `forecast: confidence must be between 0 and 1 (exclusive), got ${options.confidence}`,
    );
}

function validatePoints(points: readonly Point[]): void {
  if (!Array.isArray(points))
    throw new Error(`forecast: points must be an array, got ${describe(points)}`);
  if (points.length < MIN_FORECAST_POINTS)
    throw new Error(`forecast: needs at least ${MIN_FORECAST_POINTS} points, got ${points.length}`);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (typeof p !== 'object' || p === null)
      throw new Error(`forecast: point ${i} is not a point (got ${describe(p)})`);
    if (typeof p.t !== 'number' || !Number.isFinite(p.t))
      throw new Error(`forecast: point ${i} has a non-finite time (got ${describe(p.t)})`);
    if (typeof p.v !== 'number' || !Number.isFinite(p.v))
      throw new Error(`forecast: point ${i} has a non-finite value (got ${describe(p.v)})`);
    if (i > 0 && p.t <= points[i - 1]!.t)
      throw new Error(
        `forecast: point ${i} (t=${p.t}) is not after point ${i - 1} (t=${points[i - 1]!.t}); times must strictly increase`,
      );
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : String(value);
}

function recentWindow(series: readonly Point[], recentWindowMs: number | undefined): Point[] {
  if (recentWindowMs === undefined) return series.slice();
  const from = series[series.length - 1]!.t - recentWindowMs;
  let start = series.findIndex((p) => p.t >= from);
  start = Math.min(start, series.length - MIN_FORECAST_POINTS);
  return series.slice(start);
}

interface LineFit {
  a: number; // value at x = 0 (x measured from `origin`)
  b: number; // slope per ms
  n: number;
  meanX: number;
  sxx: number;
  s: number; // residual standard deviation (n − 2 degrees of freedom)
  rho: number; // lag-1 autocorrelation of the residuals, clamped to [0, 0.99]
}

function fitLine(points: readonly Point[], origin: number): LineFit {
  const n = points.length;
  let mx = 0;
  let my = 0;
  for (const p of points) {
    mx += p.t - origin;
    my += p.v;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const dx = p.t - origin - mx;
    sxx += dx * dx;
    sxy += dx * (p.v - my);
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  const a = my - b * mx;
  let sse = 0;
  let lagged = 0;
  let previous: number | null = null;
  for (const p of points) {
    const r = p.v - (a + b * (p.t - origin));
    sse += r * r;
    if (previous !== null) lagged += r * previous;
    previous = r;
  }
  const s = n > 2 ? Math.sqrt(sse / (n - 2)) : 0;
  const rho = sse > 0 ? Math.min(0.99, Math.max(0, lagged / sse)) : 0;
  return { a, b, n, meanX: mx, sxx, s, rho };
}

function linearModel(window: readonly Point[], confidence: number): Model {
  const origin = window[window.length - 1]!.t;
  const line = fitLine(window, origin);
  // Residuals that follow each other (a daily cycle, a sawtooth) carry less information than
  // independent ones: the line's own uncertainty is inflated by (1 + ρ)/(1 − ρ), ρ their lag-1
  // autocorrelation (the AR(1) effective sample size n(1 − ρ)/(1 + ρ), which also sets the t
  // quantile's degrees of freedom, at least 3).
  const inflation = (1 + line.rho) / (1 - line.rho);
  const df = Math.max(3, Math.floor(line.n / inflation) - 2);
  const q = studentTQuantile((1 + confidence) / 2, df);
  return {
    level: line.a,
    slope: line.b,
    halfWidth: (x) =>
      q * line.s * Math.sqrt(1 + inflation * (1 / line.n + (x - line.meanX) ** 2 / line.sxx)),
  };
}

interface HoltState {
  level: number;
  trend: number; // per ms
  t: number;
  /** One-step-ahead errors, one per point after the first two. */
  errors: number[];
  /** Level and trend after each point (from the second on), when asked for. */
  states: ({ level: number; trend: number } | undefined)[];
}

interface ChosenHolt {
  alpha: number;
  beta: number;
  state: HoltState;
  states: HoltState['states'];
}

/** Time-aware Holt: the trend is per ms and forecasts `dt` ahead are `level + trend·dt`. */
function runHolt(
  series: readonly Point[],
  alpha: number,
  beta: number,
  keepStates = false,
): HoltState {
  const first = series[0]!;
  const second = series[1]!;
  let level = second.v;
  let trend = (second.v - first.v) / (second.t - first.t);
  let t = second.t;
  const errors: number[] = [];
  const states: HoltState['states'] = [];
  if (keepStates) states[1] = { level, trend };
  for (let i = 2; i < series.length; i++) {
    const p = series[i]!;
    const dt = p.t - t;
    const predicted = level + trend * dt;
    errors.push(p.v - predicted);
    const newLevel = alpha * p.v + (1 - alpha) * predicted;
    trend = beta * ((newLevel - level) / dt) + (1 - beta) * trend;
    level = newLevel;
    t = p.t;
    if (keepStates) states[i] = { level, trend };
  }
  return { level, trend, t, errors, states };
}

/** The grid's (alpha, beta) with the least one-step-ahead SSE; ties keep the earlier pair. */
function chooseHolt(series: readonly Point[]): ChosenHolt {
  let best: { alpha: number; beta: number; state: HoltState; sse: number } | null = null;
  for (const alpha of HOLT_ALPHAS) {
    for (const beta of HOLT_BETAS) {
      const state = runHolt(series, alpha, beta);
      const sse = state.errors.reduce((sum, e) => sum + e * e, 0);
      if (best === null || sse < best.sse) best = { alpha, beta, state, sse };
    }
  }
  const { alpha, beta, state } = best!;
  return { alpha, beta, state, states: runHolt(series, alpha, beta, true).states };
}

/**
 * How well each model predicts the recent window: from every origin in the window after its first
 * quarter (so the line has something to stand on), a forecast k points ahead, k a quarter of the
 * window; the root mean squared error of those forecasts. The line is fitted on the window's
 * points up to the origin, Holt's state is the
 * one the origin left. Extrapolation over a stretch, not one step, is what a forecast does.
 */
function rollingErrors(
  series: readonly Point[],
  start: number,
  holt: ChosenHolt,
): { linear: number; holt: number } {
  const w = series.length - start;
  const k = Math.max(1, Math.floor(w / 4));
  const t0 = series[start]!.t;
  const linearErrors: number[] = [];
  const holtErrors: number[] = [];
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let o = start; o + k < series.length; o++) {
    const p = series[o]!;
    const x = p.t - t0;
    n++;
    sx += x;
    sy += p.v;
    sxx += x * x;
    sxy += x * p.v;
    if (n < Math.max(3, k)) continue;
    const target = series[o + k]!;
    const dxx = sxx - (sx * sx) / n;
    const b = dxx > 0 ? (sxy - (sx * sy) / n) / dxx : 0;
    const a = (sy - b * sx) / n;
    linearErrors.push(target.v - (a + b * (target.t - t0)));
    const state = holt.states[o];
    if (state !== undefined)
      holtErrors.push(target.v - (state.level + state.trend * (target.t - p.t)));
  }
  return { linear: rmse(linearErrors), holt: rmse(holtErrors) };
}

function holtModel(series: readonly Point[], chosen: ChosenHolt, confidence: number): Model {
  const { alpha, beta, state } = chosen;
  const step = medianStep(series);
  const sigma = rmse(state.errors);
  const z = normalQuantile((1 + confidence) / 2);
  return {
    level: state.level,
    slope: state.trend,
    halfWidth: (x) => {
      const h = Math.max(1, x / step);
      const variance =
        sigma *
        sigma *
        (1 +
          alpha *
            alpha *
            (h - 1 + beta * h * (h - 1) + (beta * beta * h * (h - 1) * (2 * h - 1)) / 6));
      return z * Math.sqrt(variance);
    },
  };
}

/**
 * Where the band `level + slope·x ± halfWidth(x)` first reaches the limit for x in [0, maxX]: the
 * upper band gives the earliest crossing, the lower band the latest (null when it does not reach
 * the limit by maxX). A scan on a fixed grid, then bisection in the cell where it first crosses.
 */
function crossingBand(
  model: Model,
  limit: number,
  maxX: number,
): { earliest: number | null; latest: number | null } {
  const upper = (x: number) => model.level + model.slope * x + model.halfWidth(x) - limit;
  const lower = (x: number) => model.level + model.slope * x - model.halfWidth(x) - limit;
  return { earliest: firstRoot(upper, maxX), latest: firstRoot(lower, maxX) };
}

function firstRoot(f: (x: number) => number, maxX: number): number | null {
  if (f(0) >= 0) return 0;
  let previous = 0;
  for (let i = 1; i <= SCAN_STEPS; i++) {
    const x = (maxX * i) / SCAN_STEPS;
    if (f(x) >= 0) {
      let lo = previous;
      let hi = x;
      for (let k = 0; k < 60 && hi - lo > 1; k++) {
        const mid = (lo + hi) / 2;
        if (f(mid) >= 0) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    previous = x;
  }
  return null;
}

function medianStep(series: readonly Point[]): number {
  const steps: number[] = [];
  for (let i = 1; i < series.length; i++) steps.push(series[i]!.t - series[i - 1]!.t);
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)]!;
}

function rmse(errors: readonly number[]): number {
  if (errors.length === 0) return Number.POSITIVE_INFINITY;
  return Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length);
}

function formatSlope(perMs: number): string {
  return (perMs * 3_600_000).toPrecision(3);
}

/** Standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * Student's t quantile with `df` degrees of freedom: the Cornish–Fisher expansion around the normal
 * quantile (Abramowitz & Stegun 26.7.5), within about 1 % of the exact value from 3 degrees of
 * freedom at the 0.95 level, closer as df grows.
 */
export function studentTQuantile(p: number, df: number): number {
  const z = normalQuantile(p);
  const v = Math.max(1, df);
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  return (
    z +
    (z3 + z) / (4 * v) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v ** 3) +
    (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v ** 4)
  );
}
