/**
 * Counters (Prometheus `_total` series): scored on their rate, per second, with resets read as
 * Prometheus reads them: a drop means the counter restarted from zero, so the increase is the new
 * value itself. A reset is then an ordinary point of the rate, not an anomaly.
 */
import type { OnlineDetector, PointScore } from './types.ts';

/** The rate per second between two counter readings `dtMs` apart (reset-aware). */
export function counterRate(previous: number, current: number, dtMs: number): number {
  const increase = current >= previous ? current - previous : current;
  return (increase * 1000) / dtMs;
}

/** Wraps `inner` so it sees the counter's rate; the first reading has no rate and is quiet. */
export function rateDetector(inner: OnlineDetector): OnlineDetector {
  let previousT = 0;
  let previousV = 0;
  let started = false;
  return {
    push(t: number, v: number): PointScore {
      if (!started) {
        started = true;
        previousT = t;
        previousV = v;
        return { score: 0, anomaly: false };
      }
      const rate = counterRate(previousV, v, t - previousT);
      previousT = t;
      previousV = v;
      return inner.push(t, rate);
    },
  };
}
