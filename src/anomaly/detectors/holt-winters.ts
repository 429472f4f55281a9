/**
 * Baseline: additive Holt-Winters (level, trend, season) with fixed smoothing constants. The
 * season is by phase in time: `period` points when given, else a day when the series' spacing
 * fits one (MIN_SEASON_BINS..MAX_SEASON_BINS bins, wider bins beyond). The score comes from the
 * one-step residual standardized by an exponentially weighted variance of past residuals.
 * Smoothing decays by elapsed time (steps of the typical spacing), so gaps weigh as they last.
 */
import type { DetectorOptions, OnlineDetector, PointScore } from '../types.ts';
import {
  candidateSeasons,
  directed,
  phaseBin,
  QUIET,
  scoreFromZ,
  type SeasonClock,
  SpacingGate,
} from './common.ts';

export const HW_ALPHA = 0.1;
export const HW_BETA = 0.001;
export const HW_GAMMA = 0.2;
/** Rate of the residual variance's exponential weighting. */
export const HW_VARIANCE_RATE = 0.02;
export const HW_WARMUP = 30;
export const HW_THRESHOLD = 0.9999;

export function createHoltWintersDetector(options: DetectorOptions = {}): OnlineDetector {
  const threshold = options.threshold ?? HW_THRESHOLD;
  const direction = options.direction ?? 'both';
  const gate = new SpacingGate();
  let stepMs = 0;
  let clock: SeasonClock | null = null;
  let season: Float64Array = new Float64Array(0);
  let visits: Float64Array = new Float64Array(0);
  // Seasonal values are stored raw and read less their mean, which moves into the level, so the
  // season stays centred and level and season cannot drift apart in opposite directions.
  let seasonMean = 0;
  let level = 0;
  let trend = 0;
  let variance = 0;
  let lastT = 0;
  let count = 0;

  const update = (t: number, v: number): PointScore => {
    if (count === 0) {
      level = v;
      lastT = t;
      count = 1;
      return QUIET;
    }
    const k = Math.min((t - lastT) / stepMs, 1e6);
    lastT = t;
    const bin = clock ? phaseBin(clock, t) : 0;
    const s = clock && visits[bin]! > 0 ? season[bin]! - seasonMean : 0;
    const predicted = level + trend * k + s;
    const residual = v - predicted;
    let result: PointScore = QUIET;
    if (count >= HW_WARMUP) {
      const sd = Math.max(Math.sqrt(variance), 1e-9 * Math.max(1, Math.abs(level)));
      const score = scoreFromZ(directed(residual / sd, direction));
      result = { score, anomaly: score >= threshold };
    }
    const a = 1 - Math.pow(1 - HW_ALPHA, k);
    const previousLevel = level;
    level = predicted - s + a * residual;
    trend = trend + HW_BETA * ((level - previousLevel) / k - trend);
    if (clock) {
      const n = ++visits[bin]!;
      const g = Math.max(HW_GAMMA, 1 / n);
      const raw = (n === 1 ? v - level : s + g * (v - level - s)) + seasonMean;
      const moved = (raw - season[bin]!) / clock.bins;
      season[bin] = raw;
      seasonMean += moved;
      level += moved;
    }
    const r = 1 - Math.pow(1 - HW_VARIANCE_RATE, k);
    variance = count === 1 ? residual * residual : variance + r * (residual * residual - variance);
    count++;
    return result;
  };

  return {
    push(t: number, v: number): PointScore {
      if (stepMs > 0) return update(t, v);
      const ready = gate.add(t, v);
      if (!ready) return QUIET;
      stepMs = ready.stepMs;
      clock = candidateSeasons(stepMs, options.period)[0] ?? null;
      if (clock) {
        season = new Float64Array(clock.bins);
        visits = new Float64Array(clock.bins);
      }
      for (let i = 0; i < ready.ts.length; i++) update(ready.ts[i]!, ready.vs[i]!);
      return QUIET;
    },
  };
}
