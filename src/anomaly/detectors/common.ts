/**
 * What every detector shares: the map from a standardized departure to a score in [0, 1], the
 * direction filter, and the spacing / seasonal phase of a series in time (not in point count, so
 * gaps and irregular timestamps keep the phase right). Pure and allocation-free per point.
 */
import type { Direction } from '../types.ts';
import { median } from '../median.ts';

/** Complementary error function (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7), x >= 0. */
function erfc(x: number): number {
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return poly * Math.exp(-x * x);
}

/**
 * Score of a departure of `z` standard deviations: the Gaussian probability mass within |z|
 * (1 - the two-sided tail). z = 3.89 gives 0.9999, z = 4.42 gives 0.99999.
 */
export function scoreFromZ(z: number): number {
  if (!(z > 0)) return 0;
  if (z > 9) return 1;
  return 1 - erfc(z / Math.SQRT2);
}

/** Score of an event whose probability under the normal behaviour is `tail` (0 < tail <= 1). */
export function scoreFromTail(tail: number): number {
  if (!(tail < 1)) return 0;
  return tail <= 0 ? 1 : 1 - tail;
}

/** The departure that matters in `direction`: a signed z becomes a non-negative one. */
export function directed(z: number, direction: Direction): number {
  if (direction === 'up') return z > 0 ? z : 0;
  if (direction === 'down') return z < 0 ? -z : 0;
  return z < 0 ? -z : z;
}

/** Number of spacings the typical step of a series is estimated from (their median). */
export const SPACING_SAMPLES = 8;

/** Largest season length kept, in bins (a week at 5 minutes). */
export const MAX_SEASON_BINS = 2016;
/** Fewest bins a season needs to be worth modelling. */
export const MIN_SEASON_BINS = 4;

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** A season in time: its length in ms and bins of equal width (at most MAX_SEASON_BINS). */
export interface SeasonClock {
  periodMs: number;
  bins: number;
  binMs: number;
}

/** The season clock for a period of `periodMs` at a typical `stepMs`, or null when too short. */
export function seasonClock(periodMs: number, stepMs: number): SeasonClock | null {
  if (!(periodMs > 0) || !(stepMs > 0)) return null;
  const points = Math.round(periodMs / stepMs);
  if (points < MIN_SEASON_BINS) return null;
  const bins = Math.min(points, MAX_SEASON_BINS);
  return { periodMs, bins, binMs: periodMs / bins };
}

/** The bin of `t` in its season (phase by wall time, so gaps do not shift it). */
export function phaseBin(clock: SeasonClock, t: number): number {
  const phase = t - Math.floor(t / clock.periodMs) * clock.periodMs;
  const bin = Math.floor(phase / clock.binMs);
  return bin >= clock.bins ? clock.bins - 1 : bin;
}

/**
 * Candidate seasons for a series with typical step `stepMs`: the given period (in points) when
 * known, otherwise a day and a week (those that fit: at least MIN_SEASON_BINS steps long, and
 * a period must hold at least two steps per bin... capped bins widen instead).
 */
export function candidateSeasons(stepMs: number, period: number | undefined): SeasonClock[] {
  if (period !== undefined) {
    const clock = period >= MIN_SEASON_BINS ? seasonClock(period * stepMs, stepMs) : null;
    return clock ? [clock] : [];
  }
  const out: SeasonClock[] = [];
  for (const periodMs of [DAY_MS, WEEK_MS]) {
    const clock = seasonClock(periodMs, stepMs);
    if (clock) out.push(clock);
  }
  return out;
}

/** A score that says nothing: warm-up, or a point that cannot be judged. */
export const QUIET = Object.freeze({ score: 0, anomaly: false });

/**
 * Collects the first points of a series until its typical spacing is known (the median of the
 * first SPACING_SAMPLES spacings); bounded, then released.
 */
export class SpacingGate {
  private readonly ts: number[] = [];
  private readonly vs: number[] = [];

  /** Adds a point; returns the buffered points once the spacing is known, else null. */
  add(t: number, v: number): { stepMs: number; ts: number[]; vs: number[] } | null {
    this.ts.push(t);
    this.vs.push(v);
    if (this.ts.length <= SPACING_SAMPLES) return null;
    const gaps: number[] = [];
    for (let i = 1; i < this.ts.length; i++) gaps.push(this.ts[i]! - this.ts[i - 1]!);
    // SPACING_SAMPLES spacings at least: never empty.
    return { stepMs: median(gaps)!, ts: this.ts, vs: this.vs };
  }
}

/** The z whose score is `score` (inverse of scoreFromZ, by bisection). */
export function zForScore(score: number): number {
  let lo = 0;
  let hi = 9;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (scoreFromZ(mid) < score) lo = mid;
    else hi = mid;
  }
  return hi;
}
