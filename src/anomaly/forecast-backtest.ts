/**
 * Backtest of forecastCrossing (issue 19): synthetic growth series whose true crossing time is
 * known from the noiseless generator. Each case draws its parameters from a seeded PRNG, makes a
 * week of 5-minute points (noise added), forecasts from the last one, and compares the forecast
 * with the first time the noiseless generator reaches the limit after it. Pure and deterministic.
 */
import { forecastCrossing, type ForecastMethod } from './forecast.ts';
import type { Point } from './types.ts';
import { mulberry32 } from './random.ts';
import { median } from './median.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const BACKTEST_KINDS = [
  'linear',
  'accelerating',
  'saturating',
  'seasonal',
  'never',
  'disk-cleanups',
] as const;
export type BacktestKind = (typeof BACKTEST_KINDS)[number];

export interface BacktestSettings {
  /** Cases per kind (default 20). */
  replicates?: number;
  /** History before the forecast origin (default 7 days) and its spacing (default 5 minutes). */
  historyMs?: number;
  stepMs?: number;
  horizonMs?: number;
  recentWindowMs?: number;
  confidence?: number;
  /** Force one model; default: forecastCrossing's own choice. */
  method?: ForecastMethod;
}

export const DEFAULT_BACKTEST_SETTINGS = {
  replicates: 20,
  historyMs: 7 * DAY,
  stepMs: 5 * MINUTE,
  horizonMs: 14 * DAY,
  recentWindowMs: 3 * DAY,
  confidence: 0.9,
} as const;

export interface BacktestCase {
  kind: BacktestKind;
  replicate: number;
  /** Epoch ms the forecast is made at (the last point). */
  origin: number;
  /** First time the noiseless generator reaches the limit after the origin; null: not in 10 horizons. */
  trueCrossing: number | null;
  predicted: number | null;
  method: ForecastMethod;
  earliest: number | null;
  latest: number | null;
  /** The true crossing lies in [earliest, latest] (latest null: unbounded); null when there is none. */
  inside: boolean | null;
  predictedWithinHorizon: boolean;
  trueWithinHorizon: boolean;
  /** |predicted − true| in hours, when both exist. */
  absErrorHours: number | null;
}

export interface BacktestSummary {
  cases: number;
  /** Cases with a true crossing whose interval contains it, over the cases with a true crossing. */
  coverage: number;
  withTruth: number;
  medianAbsErrorHours: number | null;
  /** Predicted "within the horizon" agrees with the truth. */
  horizonAgreement: number;
  /** How often each method was used. */
  methods: Record<ForecastMethod, number>;
}

export interface BacktestReport {
  settings: Required<Omit<BacktestSettings, 'method'>> & { method: ForecastMethod | 'auto' };
  cases: BacktestCase[];
  perKind: Record<BacktestKind, BacktestSummary>;
  overall: BacktestSummary;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function between(random: () => number, low: number, high: number): number {
  return low + (high - low) * random();
}

/** A synthetic case: the noiseless value at x ms after the series' start, a limit, the noise. */
interface Generator {
  value: (x: number) => number;
  limit: number;
  noise: number;
}

/**
 * Each generator is scaled so that, for the crossing kinds, its limit is reached between about 1
 * and 12 days after the origin (`reach`), some within and some past shorter horizons.
 */
function generator(kind: BacktestKind, random: () => number, historyMs: number): Generator {
  const reach = between(random, 1, 12) * DAY;
  const end = historyMs;
  switch (kind) {
    case 'linear': {
      const g = between(random, 0.5, 2) / HOUR; // % per ms
      const start = between(random, 10, 30);
      return {
        value: (x) => start + g * x,
        limit: start + g * (end + reach),
        noise: between(random, 0.2, 2),
      };
    }
    case 'accelerating': {
      // Growth g until 1.5 days before the origin, then 2–4 × g.
      const g = between(random, 0.2, 0.8) / HOUR;
      const factor = between(random, 2, 4);
      const bend = end - 1.5 * DAY;
      const start = between(random, 10, 30);
      const value = (x: number) =>
        start + g * Math.min(x, bend) + factor * g * Math.max(0, x - bend);
      return { value, limit: value(end + reach), noise: between(random, 0.2, 1.5) };
    }
    case 'saturating': {
      // Logistic toward a ceiling above the limit: growth slows as it nears it.
      const ceiling = 100;
      const mid = end + between(random, 0, 4) * DAY;
      const k = between(random, 0.6, 1.2) / DAY;
      const value = (x: number) => ceiling / (1 + Math.exp(-k * (x - mid)));
      const limit = Math.min(95, value(end + reach));
      return { value, limit, noise: between(random, 0.2, 1) };
    }
    case 'seasonal': {
      const g = between(random, 0.3, 1.5) / HOUR;
      const amplitude = between(random, 2, 10);
      const phase = between(random, 0, 2 * Math.PI);
      const start = between(random, 10, 30);
      const value = (x: number) =>
        start + g * x + amplitude * Math.sin((2 * Math.PI * x) / DAY + phase);
      return { value, limit: start + g * (end + reach), noise: between(random, 0.2, 1.5) };
    }
    case 'never': {
      // Has levelled off well below the limit: the answer is "not within the horizon".
      // Levelled off: the logistic's midpoint is 5 to 8 days before the origin.
      const ceiling = between(random, 50, 70);
      const k = between(random, 0.8, 1.5) / DAY;
      const mid = end - between(random, 5, 8) * DAY;
      return {
        value: (x) => ceiling / (1 + Math.exp(-k * (x - mid))),
        limit: 90,
        noise: between(random, 0.2, 1),
      };
    }
    case 'disk-cleanups': {
      // Disk usage grows g per hour; a daily job frees a share of the day's growth at 03:00.
      const g = between(random, 0.3, 1) / HOUR;
      const freed = between(random, 0.3, 0.7) * g * DAY;
      const start = between(random, 10, 20);
      const value = (x: number) => start + g * x - freed * Math.floor((x + 21 * HOUR) / DAY);
      const net = g - freed / DAY;
      return { value, limit: value(end) + net * reach, noise: between(random, 0.05, 0.5) };
    }
  }
}

/** First x in (from, to] where value(x) ≥ limit, to the minute; null when none. */
function trueCrossingOf(
  value: (x: number) => number,
  limit: number,
  from: number,
  to: number,
): number | null {
  for (let x = from + MINUTE; x <= to; x += MINUTE) if (value(x) >= limit) return x;
  return null;
}

function summarize(cases: readonly BacktestCase[]): BacktestSummary {
  const withTruth = cases.filter((c) => c.inside !== null);
  const errors = cases.flatMap((c) => (c.absErrorHours === null ? [] : [c.absErrorHours]));
  return {
    cases: cases.length,
    withTruth: withTruth.length,
    coverage:
      withTruth.length === 0 ? 1 : withTruth.filter((c) => c.inside).length / withTruth.length,
    medianAbsErrorHours: median(errors),
    horizonAgreement:
      cases.length === 0
        ? 1
        : cases.filter((c) => c.predictedWithinHorizon === c.trueWithinHorizon).length /
          cases.length,
    methods: {
      linear: cases.filter((c) => c.method === 'linear').length,
      holt: cases.filter((c) => c.method === 'holt').length,
    },
  };
}

export function backtestForecasts(seed = 19, settings: BacktestSettings = {}): BacktestReport {
  const s = { ...DEFAULT_BACKTEST_SETTINGS, ...settings };
  const random = mulberry32(seed);
  const start = Date.UTC(2026, 0, 5);
  const cases: BacktestCase[] = [];
  for (const kind of BACKTEST_KINDS) {
    for (let replicate = 0; replicate < s.replicates; replicate++) {
      const gen = generator(kind, random, s.historyMs);
      const points: Point[] = [];
      for (let x = 0; x <= s.historyMs; x += s.stepMs)
        points.push({ t: start + x, v: gen.value(x) + gen.noise * gaussian(random) });
      const result = forecastCrossing(points, {
        limit: gen.limit,
        horizonMs: s.horizonMs,
        recentWindowMs: s.recentWindowMs,
        confidence: s.confidence,
        ...(settings.method === undefined ? {} : { method: settings.method }),
      });
      const last = points[points.length - 1]!.t;
      const x = trueCrossingOf(gen.value, gen.limit, s.historyMs, s.historyMs + 10 * s.horizonMs);
      const trueCrossing = x === null ? null : start + x;
      const interval = result.interval;
      const inside =
        trueCrossing === null
          ? null
          : interval !== null &&
            interval.earliest <= trueCrossing &&
            (interval.latest === null || trueCrossing <= interval.latest);
      cases.push({
        kind,
        replicate,
        origin: last,
        trueCrossing,
        predicted: result.crossingAt,
        method: result.method,
        earliest: interval?.earliest ?? null,
        latest: interval?.latest ?? null,
        inside,
        predictedWithinHorizon: result.withinHorizon,
        trueWithinHorizon: trueCrossing !== null && trueCrossing - last <= s.horizonMs,
        absErrorHours:
          trueCrossing === null || result.crossingAt === null
            ? null
            : Math.abs(result.crossingAt - trueCrossing) / HOUR,
      });
    }
  }
  const perKind = Object.fromEntries(
    BACKTEST_KINDS.map((kind) => [kind, summarize(cases.filter((c) => c.kind === kind))]),
  ) as Record<BacktestKind, BacktestSummary>;
  return {
    settings: {
      replicates: s.replicates,
      historyMs: s.historyMs,
      stepMs: s.stepMs,
      horizonMs: s.horizonMs,
      recentWindowMs: s.recentWindowMs,
      confidence: s.confidence,
      method: settings.method ?? 'auto',
    },
    cases,
    perKind,
    overall: summarize(cases),
  };
}
