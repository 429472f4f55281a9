/**
 * The tail a series draws with its own large departures (peaks over a threshold).
 *
 * A Gaussian scale calls a departure of 5 sigmas a one-in-a-million event. Real operations series
 * (request bursts, tweet volumes, batch jobs on a mostly idle CPU) have far heavier tails: such
 * departures come every few hundred points. Once a series has crossed the `level` at least
 * MIN_EXCEEDANCES times in about the last two weeks (TAIL_HORIZON_MS), a departure x beyond the level is
 * judged by the tail those crossings draw: P(x' >= x) = rate * P(L >= ln(x / level)), the
 * log-excess L of a crossing taken as Gaussian with the crossings' mean and spread (at least
 * MIN_LOG_SPREAD). So bursts like the usual ones are ordinary, and one far beyond them is not.
 * A series that rarely crosses keeps its Gaussian judgement: a one-off spike is not evidence of
 * a heavy tail. Bounded: a decaying count and two running means, O(1) per point.
 */
import { scoreFromZ, WEEK_MS } from './common.ts';

/**
 * Time over which crossings are counted (the count decays by 1 - 1/horizon per typical step, at
 * least MIN_HORIZON_POINTS of them): two weeks, so a job that runs daily (a nightly backup's
 * burst) reaches MIN_EXCEEDANCES decayed crossings about a week after it started, and a weekly
 * job never does.
 */
export const TAIL_HORIZON_MS = 2 * WEEK_MS;
export const MIN_HORIZON_POINTS = 100;
/** Crossings needed in the horizon before the series' own tail is trusted. */
export const MIN_EXCEEDANCES = 5;
/** Least spread of the log-excess (10%: crossings all alike still leave some room). */
const MIN_LOG_SPREAD = 0.1;
/** Rate of the running means of the log-excess once past its first crossings. */
const LOG_RATE = 0.05;

export class ExceedanceTail {
  private readonly level: number;
  private readonly horizon: number;
  private readonly keep: number;
  /** Decaying count of crossings (about the last `horizon` points). */
  private count = 0;
  private crossings = 0;
  /** Running means of ln(x / level) and of its square over the crossings. */
  private logExcess = 0;
  private logSquare = 0;

  /** Crossings of `level` (a z), counted over TAIL_HORIZON_MS at a typical spacing of `stepMs`. */
  constructor(level: number, stepMs: number) {
    this.level = level;
    this.horizon = Math.max(MIN_HORIZON_POINTS, Math.round(TAIL_HORIZON_MS / stepMs));
    this.keep = 1 - 1 / this.horizon;
  }

  /**
   * Chance of a departure of at least `x` under the series' own tail; 0 when that tail does not
   * apply (too few crossings, or `x` within the level), so the Gaussian judgement stands.
   */
  tail(x: number): number {
    if (this.count < MIN_EXCEEDANCES || !(x > this.level)) return 0;
    const sd = Math.max(
      MIN_LOG_SPREAD,
      Math.sqrt(Math.max(0, this.logSquare - this.logExcess * this.logExcess)),
    );
    const z = (Math.log(x / this.level) - this.logExcess) / sd;
    const upper = z >= 0 ? (1 - scoreFromZ(z)) / 2 : 1 - (1 - scoreFromZ(-z)) / 2;
    return (this.count / this.horizon) * upper;
  }

  /** Learns one point's departure (a non-negative z on this side). */
  observe(x: number): void {
    this.count *= this.keep;
    // A departure too large to be a number says nothing about the shape of the tail.
    if (!(x > this.level) || x === Infinity) return;
    this.count += 1;
    this.crossings += 1;
    const rate = Math.max(LOG_RATE, 1 / this.crossings);
    const l = Math.log(x / this.level);
    this.logExcess += rate * (l - this.logExcess);
    this.logSquare += rate * (l * l - this.logSquare);
  }
}
