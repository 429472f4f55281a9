/**
 * Baseline: rolling median / MAD (robust z). Median and median absolute deviation of the
 * previous WINDOW points, kept sorted (insert and remove by binary search, O(window) per point);
 * robust z = (x - median) / (1.4826 * MAD), scored by the Gaussian probability mass within it.
 */
import type { DetectorOptions, OnlineDetector, PointScore } from '../types.ts';
import { directed, QUIET, scoreFromZ } from './common.ts';

export const MAD_WINDOW = 240;
export const MAD_WARMUP = 20;
export const MAD_THRESHOLD = 0.9999;

/** Index of the first element >= x in sorted[0, n). */
function lowerBound(sorted: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Median of sorted[0, n). */
function sortedMedian(sorted: Float64Array, n: number): number {
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median of |sorted[i] - m| over sorted[0, n), walking outward from the median: the deviations
 * left of it grow leftward and those right of it grow rightward, so a merge finds the k-th.
 */
function sortedMad(sorted: Float64Array, n: number, m: number): number {
  let right = lowerBound(sorted, n, m);
  let left = right - 1;
  const take = (): number => {
    const dl = left >= 0 ? m - sorted[left]! : Infinity;
    const dr = right < n ? sorted[right]! - m : Infinity;
    if (dl <= dr) {
      left--;
      return dl;
    }
    right++;
    return dr;
  };
  const k = n >> 1;
  let previous = 0;
  for (let i = 0; i < k; i++) previous = take();
  const kth = take();
  return n % 2 === 1 ? kth : (previous + kth) / 2;
}

export function createMadDetector(options: DetectorOptions = {}): OnlineDetector {
  const threshold = options.threshold ?? MAD_THRESHOLD;
  const direction = options.direction ?? 'both';
  const ring = new Float64Array(MAD_WINDOW);
  const sorted = new Float64Array(MAD_WINDOW);
  let count = 0;
  let head = 0;
  return {
    push(_t: number, v: number): PointScore {
      const n = Math.min(count, MAD_WINDOW);
      let result: PointScore = QUIET;
      if (count >= MAD_WARMUP) {
        const m = sortedMedian(sorted, n);
        let mad = sortedMad(sorted, n, m);
        if (mad === 0) {
          // Over half the window is one value: fall back to the mean absolute deviation.
          let total = 0;
          for (let i = 0; i < n; i++) total += Math.abs(sorted[i]! - m);
          mad = (total / n) * (1.2533 / 1.4826);
        }
        const floor = 1e-9 * Math.max(1, Math.abs(m));
        const sd = Math.max(1.4826 * mad, floor);
        const score = scoreFromZ(directed((v - m) / sd, direction));
        result = { score, anomaly: score >= threshold };
      }
      let size = n;
      if (count >= MAD_WINDOW) {
        const at = lowerBound(sorted, size, ring[head]!);
        sorted.copyWithin(at, at + 1, size);
        size--;
      }
      const at = lowerBound(sorted, size, v);
      sorted.copyWithin(at + 1, at, size);
      sorted[at] = v;
      ring[head] = v;
      head = head + 1 === MAD_WINDOW ? 0 : head + 1;
      count++;
      return result;
    },
  };
}
