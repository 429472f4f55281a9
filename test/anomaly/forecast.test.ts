import { describe, expect, it } from 'vitest';
import { forecastCrossing, normalQuantile, studentTQuantile } from '../../src/anomaly/forecast.ts';
import type { Point } from '../../src/anomaly/types.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

function line(n: number, start: number, perHour: number, stepMs = 5 * 60_000): Point[] {
  return Array.from({ length: n }, (_, i) => ({
    t: T0 + i * stepMs,
    v: start + (perHour * i * stepMs) / HOUR,
  }));
}

/** mulberry32: the tests' own seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

describe('forecastCrossing', () => {
  it('finds the exact crossing of a noiseless line with either method', () => {
    // 50 → 100 at 1 per hour: the last point (t = 24 h - 5 min) is at about 74, the limit at t = 50 h.
    const points = line(288, 50, 1);
    const result = forecastCrossing(points, { limit: 100, horizonMs: 72 * HOUR });
    expect(result.withinHorizon).toBe(true);
    expect(result.crossingAt).not.toBeNull();
    expect(Math.abs(result.crossingAt! - (T0 + 50 * HOUR))).toBeLessThan(1000);
    expect(result.interval).not.toBeNull();
    expect(Math.abs(result.interval!.earliest - (T0 + 50 * HOUR))).toBeLessThan(60_000);
    expect(Math.abs(result.interval!.latest! - (T0 + 50 * HOUR))).toBeLessThan(60_000);
    expect(result.reason).toMatch(/within the/);
  });

  it('the noiseless line: linear and Holt both fit it exactly and both find the crossing', () => {
    // 10 → 200 at 2 per hour: the limit at t = 95 h.
    const points = line(100, 10, 2);
    for (const method of ['linear', 'holt'] as const) {
      const result = forecastCrossing(points, { limit: 200, horizonMs: 1000 * HOUR, method });
      expect(result.method).toBe(method);
      expect(result.fit.linear).toBeLessThan(1e-6);
      expect(result.fit.holt).toBeLessThan(1e-6);
      expect(Math.abs(result.crossingAt! - (T0 + 95 * HOUR))).toBeLessThan(1000);
      expect(result.interval!.earliest).toBeLessThanOrEqual(result.crossingAt! + 1000);
      expect(result.interval!.latest!).toBeGreaterThanOrEqual(result.crossingAt! - 1000);
    }
  });

  it('prefers Holt when the growth has just accelerated and the window is long', () => {
    // 1 per hour for a day, then 4 per hour for a day: a whole-series line lags behind.
    const slow = line(288, 0, 1);
    const last = slow.at(-1)!;
    const fast = Array.from({ length: 288 }, (_, i) => ({
      t: last.t + (i + 1) * 300_000,
      v: last.v + (4 * (i + 1) * 300_000) / HOUR,
    }));
    const result = forecastCrossing([...slow, ...fast], { limit: 200, horizonMs: 100 * HOUR });
    expect(result.method).toBe('holt');
    expect(result.fit.holt).toBeLessThan(result.fit.linear);
    // The last point is at about 120; 200 is 20 hours later at 4 per hour.
    expect(
      Math.abs(result.crossingAt! - (fast.at(-1)!.t + ((200 - fast.at(-1)!.v) / 4) * HOUR)),
    ).toBeLessThan(5 * 60_000);
  });

  it('covers the true crossing of a noisy line in most of 100 seeds', () => {
    let inside = 0;
    const widths: number[] = [];
    let linear = 0;
    const truth = T0 + 50 * HOUR;
    for (let seed = 1; seed <= 100; seed++) {
      const random = prng(seed);
      const points = line(288, 50, 1).map((p) => ({ t: p.t, v: p.v + gaussian(random) * 2 }));
      const result = forecastCrossing(points, { limit: 100, horizonMs: 200 * HOUR });
      const interval = result.interval;
      if (
        interval &&
        interval.earliest <= truth &&
        (interval.latest === null || truth <= interval.latest)
      )
        inside++;
      // Not covered by being boundless: a bounded interval around a crossing 26 h ahead.
      if (result.method === 'linear') linear++;
      widths.push((interval!.latest! - interval!.earliest) / HOUR);
    }
    expect(inside).toBeGreaterThanOrEqual(70);
    // A straight line is the linear model's own ground: it should win the choice nearly always.
    expect(linear).toBeGreaterThanOrEqual(90);
    expect(widths.filter((w) => w < 12).length).toBeGreaterThanOrEqual(90);
  });

  it('says not within the horizon when the trend reaches the limit later', () => {
    const points = line(288, 50, 1);
    const result = forecastCrossing(points, { limit: 100, horizonMs: 12 * HOUR });
    expect(result.withinHorizon).toBe(false);
    expect(result.crossingAt).toBeGreaterThan(points.at(-1)!.t + 12 * HOUR);
    expect(result.reason).toMatch(/not within the horizon/);
  });

  it('says already past the limit and gives the last time', () => {
    const points = line(50, 90, 1);
    const result = forecastCrossing(points, { limit: 80, horizonMs: 12 * HOUR });
    expect(result.crossingAt).toBe(points.at(-1)!.t);
    expect(result.withinHorizon).toBe(true);
    expect(result.reason).toMatch(/already/);
  });

  it('gives no crossing for a flat or falling series, with the reason', () => {
    const flat = line(50, 40, 0);
    const falling = line(50, 40, -1);
    for (const points of [flat, falling]) {
      const result = forecastCrossing(points, { limit: 100, horizonMs: 1000 * HOUR });
      expect(result.crossingAt).toBeNull();
      expect(result.interval).toBeNull();
      expect(result.withinHorizon).toBe(false);
      expect(result.reason).toMatch(/flat or moving away/);
    }
  });

  it('direction down: free disk falling toward 0', () => {
    // 100 GB free, losing 2 GB per hour: 0 at t = 50 h.
    const points = line(288, 100, -2);
    const result = forecastCrossing(points, { limit: 0, horizonMs: 72 * HOUR, direction: 'down' });
    expect(result.withinHorizon).toBe(true);
    expect(Math.abs(result.crossingAt! - (T0 + 50 * HOUR))).toBeLessThan(1000);
    const growing = forecastCrossing(line(288, 50, 2), {
      limit: 0,
      horizonMs: 72 * HOUR,
      direction: 'down',
    });
    expect(growing.crossingAt).toBeNull();
  });

  it('reads only the recent window for the linear fit', () => {
    // Flat for a day, then 2 per hour for 12 hours: the recent slope, not the whole series', counts.
    const flat = line(288, 0, 0);
    const rise = Array.from({ length: 144 }, (_, i) => ({
      t: T0 + (288 + i) * 300_000,
      v: (2 * (i + 1) * 300_000) / HOUR,
    }));
    const points = [...flat, ...rise];
    const result = forecastCrossing(points, {
      limit: 48,
      horizonMs: 100 * HOUR,
      recentWindowMs: 6 * HOUR,
    });
    expect(result.withinHorizon).toBe(true);
    // The last point (t = 431 steps) is at 24; 48 is 12 hours later.
    expect(Math.abs(result.crossingAt! - (points.at(-1)!.t + 12 * HOUR))).toBeLessThan(60_000);
  });

  describe('refuses bad input, naming the index', () => {
    const good = line(10, 0, 1);
    const options = { limit: 100, horizonMs: HOUR };
    it('not an array', () => {
      expect(() => forecastCrossing(null as unknown as [], options)).toThrow(
        /points must be an array, got null/,
      );
    });
    it('too few points', () => {
      expect(() => forecastCrossing(good.slice(0, 4), options)).toThrow(/at least 5 points, got 4/);
    });
    it('non-finite values and times', () => {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const points = good.map((p, i) => (i === 6 ? { t: p.t, v: bad } : p));
        expect(() => forecastCrossing(points, options)).toThrow(/point 6 has a non-finite value/);
        const times = good.map((p, i) => (i === 3 ? { t: bad, v: p.v } : p));
        expect(() => forecastCrossing(times, options)).toThrow(/point 3 has a non-finite time/);
      }
    });
    it('values that are not numbers, and holes', () => {
      const text = good.map((p, i) => (i === 2 ? { t: p.t, v: '7' as unknown as number } : p));
      expect(() => forecastCrossing(text, options)).toThrow(
        /point 2 has a non-finite value \(got the string "7"\)/,
      );
      const hole = good.map((p, i) => (i === 9 ? (null as unknown as typeof p) : p));
      expect(() => forecastCrossing(hole, options)).toThrow(/point 9 is not a point \(got null\)/);
      const noTime = good.map((p, i) => (i === 0 ? ({ v: p.v } as unknown as typeof p) : p));
      expect(() => forecastCrossing(noTime, options)).toThrow(
        /point 0 has a non-finite time \(got undefined\)/,
      );
    });
    it('duplicate and decreasing times', () => {
      const duplicate = good.map((p, i) => (i === 5 ? { t: good[4]!.t, v: p.v } : p));
      expect(() => forecastCrossing(duplicate, options)).toThrow(/point 5 .* is not after point 4/);
      const back = good.map((p, i) => (i === 8 ? { t: good[2]!.t, v: p.v } : p));
      expect(() => forecastCrossing(back, options)).toThrow(/point 8 .* is not after point 7/);
    });
    it('bad options', () => {
      expect(() => forecastCrossing(good, { limit: NaN, horizonMs: HOUR })).toThrow(/limit/);
      expect(() => forecastCrossing(good, { limit: 1, horizonMs: 0 })).toThrow(/horizonMs/);
      expect(() => forecastCrossing(good, { limit: 1, horizonMs: Infinity })).toThrow(/horizonMs/);
      expect(() => forecastCrossing(good, { ...options, recentWindowMs: -1 })).toThrow(
        /recentWindowMs/,
      );
      expect(() => forecastCrossing(good, { ...options, confidence: 1 })).toThrow(/confidence/);
      expect(() => forecastCrossing(good, { ...options, confidence: 0 })).toThrow(/confidence/);
      expect(() =>
        forecastCrossing(good, { ...options, direction: 'sideways' as unknown as 'up' }),
      ).toThrow(/direction/);
      expect(() =>
        forecastCrossing(good, { ...options, method: 'arima' as unknown as 'holt' }),
      ).toThrow(/method/);
    });
  });
});

describe('quantiles', () => {
  it('normal and Student t agree with tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.644854, 5);
    expect(studentTQuantile(0.95, 3)).toBeCloseTo(2.353, 1);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228, 2);
    expect(studentTQuantile(0.975, 100)).toBeCloseTo(1.984, 3);
  });
});
