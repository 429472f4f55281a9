/**
 * The tail a series draws with its own large departures (peaks over a threshold, Hill's estimator).
 *
 * A Gaussian scale calls a departure of 5 sigmas a one-in-a-million event. Real operations series
 * (request bursts, tweet volumes, batch jobs on a mostly idle CPU) have far heavier tails: such
 * departures come every few hundred points. Once a series has crossed the `level` at least
 * MIN_EXCEEDANCES times in about the last HORIZON points, its departures beyond the level are
 * judged by the Pareto tail those crossings fit: P(x' >= x) = rate * (x / level)^(-1 / h), with h
 * the mean log-excess ln(x / level) of the crossings (Hill). A series that rarely crosses keeps
 * its Gaussian judgement: a one-off spike is not evidence of a heavy tail.
 * Bounded: a decaying count and a running mean, O(1) per point.
 */

/** Points over which crossings are counted (the count decays by 1 - 1/HORIZON per point). */
export const TAIL_HORIZON = 1000;
/** Crossings needed in the horizon before the series' own tail is trusted. */
export const MIN_EXCEEDANCES = 5;
/** Rate of the running mean log-excess once past its first crossings. */
const LOG_RATE = 0.05;
const KEEP = 1 - 1 / TAIL_HORIZON;

export class ExceedanceTail {
  private readonly level: number;
  /** Decaying count of crossings (about the last TAIL_HORIZON points). */
  private count = 0;
  private crossings = 0;
  /** Running mean of ln(x / level) over the crossings. */
  private logExcess = 0;

  constructor(level: number) {
    this.level = level;
  }

  /**
   * Chance of a departure of at least `x` under the series' own tail; 0 when that tail does not
   * apply (too few crossings, or `x` within the level), so the Gaussian judgement stands.
   */
  tail(x: number): number {
    if (this.count < MIN_EXCEEDANCES || !(x > this.level) || !(this.logExcess > 0)) return 0;
    return (this.count / TAIL_HORIZON) * Math.pow(x / this.level, -1 / this.logExcess);
  }

  /** Learns one point's departure (a non-negative z on this side). */
  observe(x: number): void {
    this.count *= KEEP;
    if (!(x > this.level)) return;
    this.count += 1;
    this.crossings += 1;
    const rate = Math.max(LOG_RATE, 1 / this.crossings);
    this.logExcess += rate * (Math.log(x / this.level) - this.logExcess);
  }
}
