/**
 * Counters (Prometheus `_total` series): scored on their rate, per second. A drop means the
 * counter restarted from zero (Prometheus reads the increase as the new value itself), but what
 * happened between the last reading and the restart is lost, so the reading at a reset has no
 * rate worth judging: it is quiet and the detector is not fed (it sees a gap, as after a scrape
 * miss). A reset is never an anomaly.
 */
import type { OnlineDetector, Point, PointScore } from './types.ts';

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
      const reset = v < previousV;
      const rate = counterRate(previousV, v, t - previousT);
      previousT = t;
      previousV = v;
      return reset ? { score: 0, anomaly: false } : inner.push(t, rate);
    },
  };
}

/**
 * A counter's readings as the rate per second the detector judges, each at the later reading's
 * time; a reading at a reset (or the first) has none. What a face shows of a counter.
 */
export function counterRates<P extends Point>(points: readonly P[]): P[] {
  const out: P[] = [];
  for (let i = 1; i < points.length; i++) {
    const previous = points[i - 1]!;
    const p = points[i]!;
    if (p.v >= previous.v) out.push({ ...p, v: counterRate(previous.v, p.v, p.t - previous.t) });
  }
  return out;
}
