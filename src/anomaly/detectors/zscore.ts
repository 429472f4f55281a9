/**
 * Baseline: rolling z-score. Mean and standard deviation of the previous WINDOW points; the
 * point's score is the Gaussian probability mass within its z (windowed Gaussian).
 */
import type { DetectorOptions, OnlineDetector, PointScore } from '../types.ts';
import { directed, QUIET, scoreFromZ } from './common.ts';

export const ZSCORE_WINDOW = 120;
export const ZSCORE_WARMUP = 20;
export const ZSCORE_THRESHOLD = 0.9999;

export function createZScoreDetector(options: DetectorOptions = {}): OnlineDetector {
  const threshold = options.threshold ?? ZSCORE_THRESHOLD;
  const direction = options.direction ?? 'both';
  const ring = new Float64Array(ZSCORE_WINDOW);
  let count = 0;
  let head = 0;
  // Sums over the window, shifted by the first value for numerical stability.
  let shift = 0;
  let sum = 0;
  let sumSq = 0;
  return {
    push(_t: number, v: number): PointScore {
      if (count === 0) shift = v;
      const x = v - shift;
      let result: PointScore = QUIET;
      if (count >= ZSCORE_WARMUP) {
        const n = Math.min(count, ZSCORE_WINDOW);
        const mean = sum / n;
        const variance = Math.max(0, sumSq / n - mean * mean);
        const floor = 1e-9 * Math.max(1, Math.abs(mean + shift));
        const sd = Math.max(Math.sqrt(variance), floor);
        const score = scoreFromZ(directed((x - mean) / sd, direction));
        result = { score, anomaly: score >= threshold };
      }
      if (count >= ZSCORE_WINDOW) {
        const old = ring[head]!;
        sum -= old;
        sumSq -= old * old;
      }
      ring[head] = x;
      head = head + 1 === ZSCORE_WINDOW ? 0 : head + 1;
      sum += x;
      sumSq += x * x;
      count++;
      // Re-sum now and then so rounding errors of the running sums cannot accumulate.
      if (count % (ZSCORE_WINDOW * 64) === 0) {
        sum = 0;
        sumSq = 0;
        for (const y of ring) {
          sum += y;
          sumSq += y * y;
        }
      }
      return result;
    },
  };
}
