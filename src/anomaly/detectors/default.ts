/**
 * The default detector: online, bounded, O(1) per point.
 *
 * Competing forecasters run side by side over the same points: a robust damped-trend level
 * (Holt with Huber-clipped updates) without season, and the same with a seasonal profile by phase
 * in time for each candidate season (the given `period`, else a day and a week when the spacing
 * fits). A seasonal model becomes eligible after two of its periods, and the active forecaster is
 * the one whose running mean absolute error is clearly the smallest (the cheap online test that the
 * season is real). Level and trend decay by elapsed time, not by point count.
 *
 * A point's score is the largest of four calibrated components, each mapped to [0, 1] by the
 * Gaussian probability mass within its z:
 * - point: the residual against the active forecast over its robust scale (EW mean |residual|);
 * - shift: a two-sided CUSUM of the clipped z; when it crosses its limit the shift is real, it
 *   alerts and every forecaster re-baselines its level by the run's mean residual, so a level
 *   shift that becomes the new normal alerts at the change and then stops;
 * - variance: a short EW mean |residual| against the long one; past VARIANCE_RATIO it alerts and
 *   the scale re-baselines to the short one (a variance change becomes the new normal too);
 * - flatline: a run of identical values scored by its probability under the series' recent rate
 *   of change (a series that used to vary and stopped scores high; one that often repeats not).
 */
import type { DetectorOptions, Direction, OnlineDetector, PointScore } from '../types.ts';
import {
  candidateSeasons,
  directed,
  phaseBin,
  QUIET,
  scoreFromTail,
  scoreFromZ,
  type SeasonClock,
  SpacingGate,
  zForScore,
} from './common.ts';
import { ExceedanceTail } from './tail.ts';

export const DEFAULT_THRESHOLD = 0.999999;
/** Points before any judgement (the spacing is known after SPACING_SAMPLES + 1 of them). */
export const DEFAULT_WARMUP = 50;
/** Level smoothing per typical step: a slow and a fast forecaster (seasonal ones are slow). */
const ALPHA = 0.05;
const ALPHA_FAST = 0.5;
/**
 * Tail calibration, each side on its own: the tracked 99th percentile of z (and 1st, negated)
 * against the Gaussian's, so heavy-tailed or skewed residuals are judged by their own tail (never
 * more sensitive than Gaussian).
 */
const Q99 = 2.3263;
const QUANTILE_STEP = 0.05;
/** Trend smoothing per step, and how many steps a trend is extrapolated over a gap at most. */
const BETA = 0.002;
const TREND_HORIZON = 10;
/** Seasonal smoothing per visit of a phase bin (a running mean over the first visits). */
const GAMMA = 0.2;
/** Robust scale: EW mean |residual| (rate per point), residuals clipped at SCALE_CLIP sigmas. */
const SCALE_RATE = 0.01;
const SCALE_CLIP = 4;
/** Level and season updates use residuals clipped at HUBER sigmas. */
const HUBER = 3;
/**
 * CUSUM: allowance K and limit H in sigmas; z clipped at CUSUM_CLIP = 2K before it is summed, so
 * a point adds at most K and a shift must last at least H / K = 8 points to be called one. A burst
 * of a point or two is the point component's to judge: summed unclipped it would fire the CUSUM
 * and re-baseline the level to the burst (false alerts on real bursty series, NAB).
 */
const CUSUM_K = 1.5;
const CUSUM_H = 12;
const CUSUM_CLIP = 2 * CUSUM_K;
/** Short EW mean |residual| (rate) against the scale: alert and re-baseline past the ratio. */
const SHORT_RATE = 0.1;
const VARIANCE_RATIO = 4;
/** A forecaster replaces the active one when its error is below this fraction of the active's. */
const SWITCH = 0.8;
/** Rate at which the chance that a value differs from the previous one is tracked. */
const CHANGE_RATE = 0.01;
/** Floor of the chance of a repeat (a continuous series still repeats now and then). */
const MIN_REPEAT = 0.05;
/** The longest run of repeats seen so far fades by this factor per point. */
const LONGEST_FADE = 0.9995;
/** Mean |x| of a standard normal: sigma = mean |residual| / this. */
const MEAN_ABS_NORMAL = Math.sqrt(2 / Math.PI);

class Forecaster {
  readonly clock: SeasonClock | null;
  readonly season: Float64Array;
  readonly visits: Float64Array;
  /** Mean of the raw seasonal values: read less it, moved into the level (a centred season). */
  seasonMean = 0;
  readonly eligibleFrom: number;
  readonly logKeep: number;
  level = 0;
  /** Tracked 99th percentile of z, and of -z. */
  qUp = Q99;
  qDown = Q99;
  /** The series' own tail beyond the alert level, each side. */
  readonly tailUp: ExceedanceTail;
  readonly tailDown: ExceedanceTail;
  /** Chance of the last point's departure under its side's own tail (0: not judged by it). */
  tail = 0;
  trend = 0;
  /** EW mean |residual|. */
  scale = 0;
  /** Short EW mean of the directed |residual|. */
  short = 0;
  up = 0;
  down = 0;
  /** Sum and count of deseasonalized values while a CUSUM side is above zero. */
  upSum = 0;
  upCount = 0;
  downSum = 0;
  downCount = 0;
  seen = 0;
  /** Last point's signed z, CUSUM score (in units of H, directed) and variance ratio. */
  z = 0;
  shift = 0;
  ratio = 0;

  constructor(
    clock: SeasonClock | null,
    firstT: number,
    alpha: number,
    zAlert: number,
    stepMs: number,
  ) {
    this.clock = clock;
    this.tailUp = new ExceedanceTail(zAlert, stepMs);
    this.tailDown = new ExceedanceTail(zAlert, stepMs);
    this.logKeep = Math.log(1 - alpha);
    this.season = new Float64Array(clock ? clock.bins : 0);
    this.visits = new Float64Array(clock ? clock.bins : 0);
    this.eligibleFrom = clock ? firstT + 2 * clock.periodMs : firstT;
  }

  sigma(): number {
    return Math.max(this.scale / MEAN_ABS_NORMAL, 1e-9 * Math.max(1, Math.abs(this.level)));
  }

  /** Scores and learns one point `k` typical steps after the previous one. */
  step(t: number, v: number, k: number, warm: boolean, frozen: boolean, dir: Direction): void {
    const n = ++this.seen;
    if (n === 1) {
      this.level = v;
      return;
    }
    const clock = this.clock;
    const bin = clock ? phaseBin(clock, t) : 0;
    const visited = clock !== null && this.visits[bin]! > 0;
    const s = visited ? this.season[bin]! - this.seasonMean : 0;
    const base = this.level + this.trend * Math.min(k, TREND_HORIZON);
    const residual = v - base - s;
    const sigma = this.sigma();
    const raw = residual / sigma;
    const z = (raw * Q99) / (raw >= 0 ? this.qUp : this.qDown);
    this.z = z;
    this.tail = z >= 0 ? this.tailUp.tail(z) : this.tailDown.tail(-z);
    if (warm && !frozen) {
      this.tailUp.observe(z);
      this.tailDown.observe(-z);
      this.qUp = Math.max(Q99, this.qUp + QUANTILE_STEP * (raw > this.qUp ? 0.99 : -0.01));
      this.qDown = Math.max(Q99, this.qDown + QUANTILE_STEP * (-raw > this.qDown ? 0.99 : -0.01));
    }
    // Huber-clipped residual once warm (before that the scale means little).
    const clipped = warm ? Math.max(-HUBER * sigma, Math.min(HUBER * sigma, residual)) : residual;
    const previousLevel = this.level;
    this.level = base + (1 - Math.exp(this.logKeep * k)) * clipped;
    this.trend += BETA * ((this.level - previousLevel) / Math.max(k, 1) - this.trend);
    if (clock) {
      const visits = ++this.visits[bin]!;
      const target = base + s + clipped - this.level;
      const next = visits === 1 ? target : s + Math.max(GAMMA, 1 / visits) * (target - s);
      const raw = next + this.seasonMean;
      const moved = (raw - this.season[bin]!) / clock.bins;
      this.season[bin] = raw;
      this.seasonMean += moved;
      this.level += moved;
    }
    const absolute = Math.abs(residual);
    const scaleRate = Math.max(SCALE_RATE, 1 / (n - 1));
    const capped = warm ? Math.min(absolute, SCALE_CLIP * sigma) : absolute;
    // A flat-lined stretch says nothing about the noise: the scale does not collapse on it.
    if (!frozen) this.scale += scaleRate * (capped - this.scale);

    // Variance: the short mean of the directed residual against what the scale expects of it.
    const wanted = dir === 'both' ? absolute : directed(residual, dir);
    const expected = dir === 'both' ? this.scale : this.scale / 2;
    this.short += Math.max(SHORT_RATE, 1 / (n - 1)) * (Math.min(wanted, 6 * sigma) - this.short);
    this.ratio = warm && expected > 0 ? this.short / expected : 0;
    if (this.ratio >= VARIANCE_RATIO) {
      this.scale = dir === 'both' ? this.short : 2 * this.short;
    }

    // CUSUM of the clipped z, both ways; the run's residuals re-baseline the level when it fires.
    this.shift = 0;
    if (!warm) return;
    const zc = Math.max(-CUSUM_CLIP, Math.min(CUSUM_CLIP, z));
    this.up = Math.max(0, this.up + zc - CUSUM_K);
    this.down = Math.max(0, this.down - zc - CUSUM_K);
    if (this.up > 0) {
      this.upSum += v - s;
      this.upCount++;
    } else {
      this.upSum = 0;
      this.upCount = 0;
    }
    if (this.down > 0) {
      this.downSum += v - s;
      this.downCount++;
    } else {
      this.downSum = 0;
      this.downCount = 0;
    }
    const upShare = dir === 'down' ? 0 : this.up / CUSUM_H;
    const downShare = dir === 'up' ? 0 : this.down / CUSUM_H;
    this.shift = Math.min(1, Math.max(upShare, downShare));
    if (this.up >= CUSUM_H || this.down >= CUSUM_H) {
      // The new level: the mean deseasonalized value over the run; a shift is not a trend.
      this.level = this.up >= CUSUM_H ? this.upSum / this.upCount : this.downSum / this.downCount;
      this.trend = 0;
      this.up = 0;
      this.down = 0;
      this.upSum = this.upCount = this.downSum = this.downCount = 0;
      this.short = expected;
    }
  }
}

export function createDefaultDetector(options: DetectorOptions = {}): OnlineDetector {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const direction = options.direction ?? 'both';
  const zAlert = zForScore(threshold);
  const gate = new SpacingGate();
  let stepMs = 0;
  let models: Forecaster[] = [];
  let active = 0;
  let lastT = 0;
  let count = 0;
  // Flatline: the tracked chance of a change, the current run of repeats and its starting chance.
  let previousV = 0;
  let change = 1;
  let run = 0;
  let runChance = 0;
  let longest = 0;

  const update = (t: number, v: number): PointScore => {
    const k = count === 0 ? 1 : Math.min((t - lastT) / stepMs, 1e6);
    lastT = t;
    count++;
    const warm = count > DEFAULT_WARMUP;
    const frozen = run > 1 && v === previousV;
    for (let i = 0; i < models.length; i++) models[i]!.step(t, v, k, warm, frozen, direction);

    // The forecaster with the clearly smallest error leads.
    const current = models[active]!;
    for (let i = 0; i < models.length; i++) {
      const m = models[i]!;
      if (i !== active && t >= m.eligibleFrom && m.scale < SWITCH * current.scale) active = i;
    }

    // Flatline.
    let flat = 0;
    if (count > 1) {
      const changed = v !== previousV;
      longest *= LONGEST_FADE;
      if (changed) {
        if (run > longest) longest = run;
        run = 0;
      } else if (run++ === 0) runChance = change;
      const rate = Math.max(CHANGE_RATE, 1 / (count - 1));
      change += rate * ((changed ? 1 : 0) - change);
      // Only the part of the run beyond the longest one seen counts as evidence.
      const excess = run - longest;
      if (excess > 0 && run <= 1 / CHANGE_RATE) {
        flat = scoreFromTail(Math.pow(Math.max(MIN_REPEAT, 1 - runChance), excess));
      }
    }
    previousV = v;
    if (!warm) return QUIET;

    const m = models[active]!;
    const zPoint = directed(m.z, direction);
    const zShift = m.shift * zAlert;
    const zVariance = m.ratio > 1 ? (zAlert * (m.ratio - 1)) / (VARIANCE_RATIO - 1) : 0;
    // A departure the series makes often is judged by its own tail, not the Gaussian one.
    const point = Math.min(scoreFromZ(zPoint), scoreFromTail(m.tail));
    const score = Math.max(point, scoreFromZ(Math.max(zShift, zVariance)), flat);
    return { score, anomaly: score >= threshold };
  };

  return {
    push(t: number, v: number): PointScore {
      if (stepMs > 0) return update(t, v);
      const ready = gate.add(t, v);
      if (!ready) return QUIET;
      stepMs = ready.stepMs;
      const firstT = ready.ts[0]!;
      models = [
        new Forecaster(null, firstT, ALPHA, zAlert, stepMs),
        new Forecaster(null, firstT, ALPHA_FAST, zAlert, stepMs),
      ];
      for (const clock of candidateSeasons(stepMs, options.period)) {
        models.push(new Forecaster(clock, firstT, ALPHA, zAlert, stepMs));
      }
      let last: PointScore = QUIET;
      for (let i = 0; i < ready.ts.length; i++) last = update(ready.ts[i]!, ready.vs[i]!);
      return last;
    },
  };
}
