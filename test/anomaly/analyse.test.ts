import { describe, expect, it } from 'vitest';
import {
  analyseSeries,
  analysisJson,
  currentAnomaly,
  departureOf,
} from '../../src/anomaly/analyse.ts';
import { mulberry32 } from '../../src/anomaly/random.ts';
import type { Point } from '../../src/anomaly/types.ts';

const STEP = 300_000;
const T0 = Date.UTC(2026, 10, 1);

/** Noisy flat series of `n` points with `shiftAt` onwards raised by `by`. */
function series(n: number, shiftAt: number, by: number): Point[] {
  const random = mulberry32(7);
  return Array.from({ length: n }, (_, i) => ({
    t: T0 + i * STEP,
    v: 100 + (random() - 0.5) * 4 + (i >= shiftAt ? by : 0),
  }));
}

describe('analyseSeries', () => {
  it('finds a level shift as one window, and says how far it went from normal', () => {
    const points = series(600, 500, 60);
    const a = analyseSeries(points, { detector: 'default' });
    expect(a.anomalies).toHaveLength(1);
    const [window] = a.anomalies;
    expect(window!.start).toBe(T0 + 500 * STEP);
    const departure = departureOf(points, window!);
    expect(departure!.normal).toBeGreaterThan(98);
    expect(departure!.normal).toBeLessThan(102);
    expect(departure!.delta).toBeGreaterThan(55);
  });

  it('calls a window current only while it reaches the last points', () => {
    const ongoing = analyseSeries(series(520, 518, 60), { detector: 'default' });
    expect(currentAnomaly(ongoing, 3 * STEP)).not.toBeNull();
    const over = analyseSeries(series(700, 505, 60), { detector: 'default' });
    expect(over.anomalies.length).toBeGreaterThan(0);
    expect(currentAnomaly(over, 3 * STEP)).toBeNull();
    expect(currentAnomaly(analyseSeries(series(300, 999, 0), { detector: 'default' }), STEP)).toBe(
      null,
    );
  });

  it('forecasts only with a limit, and says when there are too few points', () => {
    const growing = Array.from({ length: 200 }, (_, i) => ({ t: T0 + i * STEP, v: 10 + i * 0.5 }));
    expect(analyseSeries(growing, { detector: 'default' }).forecast).toBeNull();
    const a = analyseSeries(growing, {
      detector: 'default',
      limit: 200,
      horizonMs: 7 * 86_400_000,
    });
    expect(a.forecast!.withinHorizon).toBe(true);
    expect(a.forecast!.crossingAt).toBeGreaterThan(growing.at(-1)!.t);
    const short = analyseSeries(growing.slice(0, 3), { detector: 'default', limit: 200 });
    expect(short.forecast).toBeNull();
    expect(analysisJson(short).forecast).toMatchObject({
      limit: 200,
      reason: '3 points are too few to forecast; at least 5 are needed',
    });
  });

  it('prints the JSON shape issue 19 names, in ISO times', () => {
    const a = analyseSeries(series(600, 500, 60), { detector: 'zscore' });
    const json = analysisJson(a);
    expect(Object.keys(json)).toEqual(['detector', 'points', 'anomalies', 'forecast']);
    expect(json.detector).toBe('zscore');
    expect(json.points[0]).toEqual({
      timestamp: '2026-11-01T00:00:00.000Z',
      value: a.points[0]!.v,
      score: 0,
      anomaly: false,
    });
    expect(json.anomalies[0]).toMatchObject({ start: expect.stringMatching(/Z$/) });
    expect(json.forecast).toBeNull();
  });
});
