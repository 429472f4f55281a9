import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AnomalyInputError,
  anomalyWindows,
  createDetector,
  scoreSeries,
} from '../../src/anomaly/detect.ts';
import { DETECTOR_NAMES, type ScoredPoint } from '../../src/anomaly/types.ts';
import { daily, DAY_POINTS, gauss, series, STEP, T0 } from './detect-helpers.ts';

const indexes = (scored: readonly ScoredPoint[]): number[] =>
  scored.flatMap((p, i) => (p.anomaly ? [i] : []));

describe.each(DETECTOR_NAMES)('detector %s', (name) => {
  it('replaying point by point gives the batch scores', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 3_600_000 }),
            fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          ),
          {
            minLength: 0,
            maxLength: 200,
          },
        ),
        fc.boolean(),
        (steps, counter) => {
          let t = T0;
          const points = steps.map(([dt, v]) => ({ t: (t += dt), v }));
          const batch = scoreSeries(name, points, { counter });
          const live = createDetector(name, { counter });
          points.forEach((p, i) => {
            expect(live.push(p.t, p.v)).toEqual({
              score: batch[i]!.score,
              anomaly: batch[i]!.anomaly,
            });
          });
          for (const p of batch) expect(p.score >= 0 && p.score <= 1).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('flags an obvious spike and not plain noise', () => {
    const noise = series(3000, (_i, r) => 50 + gauss(r), 7);
    expect(indexes(scoreSeries(name, noise))).toEqual([]);
    const spiked = series(3000, (i, r) => 50 + gauss(r) + (i === 2000 ? 25 : 0), 7);
    expect(indexes(scoreSeries(name, spiked))).toEqual([2000]);
  });

  it('direction up ignores dips, down ignores spikes', () => {
    const dipped = series(3000, (i, r) => 50 + gauss(r) - (i === 2000 ? 25 : 0), 7);
    expect(indexes(scoreSeries(name, dipped, { direction: 'up' }))).not.toContain(2000);
    expect(indexes(scoreSeries(name, dipped, { direction: 'down' }))).toContain(2000);
    const spiked = series(3000, (i, r) => 50 + gauss(r) + (i === 2000 ? 25 : 0), 7);
    expect(indexes(scoreSeries(name, spiked, { direction: 'down' }))).not.toContain(2000);
    expect(indexes(scoreSeries('default', dipped, { direction: 'up' }))).toEqual([]);
  });

  it('rejects NaN, Infinity and non-increasing timestamps, naming the index and the value', () => {
    const ok = [
      { t: 1000, v: 1 },
      { t: 2000, v: 2 },
    ];
    const cases: [number, number, RegExp][] = [
      [3000, Number.NaN, /point 2: value NaN/],
      [3000, Infinity, /point 2: value Infinity/],
      [3000, -Infinity, /point 2: value -Infinity/],
      [2000, 3, /point 2: timestamp 2000 repeats/],
      [1500, 3, /point 2: timestamp 1500 goes back/],
      [Number.NaN, 3, /point 2: timestamp NaN/],
    ];
    for (const [t, v, message] of cases) {
      expect(() => scoreSeries(name, [...ok, { t, v }])).toThrow(message);
      const live = createDetector(name);
      for (const p of ok) live.push(p.t, p.v);
      let error: unknown;
      try {
        live.push(t, v);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AnomalyInputError);
      expect((error as AnomalyInputError).index).toBe(2);
      // The rejected point leaves the detector usable.
      expect(live.push(4000, 4).score).toBeGreaterThanOrEqual(0);
    }
  });

  it('irregular timestamps and gaps neither crash nor alert on ordinary values', () => {
    let t = T0;
    const noisy = series(4000, (_i, r) => 20 + gauss(r), 3).map((p, i) => {
      // Jittered spacing (0.5 to 1.5 steps) and a 6-hour gap every 500 points.
      t += i % 500 === 499 ? 6 * 3_600_000 : Math.round(STEP * (0.5 + ((i * 7919) % 1000) / 1000));
      return { t, v: p.v };
    });
    // The baselines' windowed estimates allow a rare fluke in noise; the default detector none.
    const flagged = indexes(scoreSeries(name, noisy));
    expect(flagged.length).toBeLessThanOrEqual(name === 'default' ? 0 : 2);
  });
});

describe('default detector', () => {
  it('alerts at a level shift and is quiet two periods later', () => {
    const points = series(
      10 * DAY_POINTS,
      (i, r) => daily(i) + gauss(r) + (i >= 5 * DAY_POINTS ? 30 : 0),
      11,
    );
    const flagged = indexes(scoreSeries('default', points));
    expect(flagged.some((i) => i >= 5 * DAY_POINTS && i < 5 * DAY_POINTS + 5)).toBe(true);
    expect(flagged.filter((i) => i >= 7 * DAY_POINTS)).toEqual([]);
  });

  it('learns a daily season: the season itself is not anomalous, a break in it is', () => {
    const points = series(8 * DAY_POINTS, (i, r) => daily(i) + 0.5 * gauss(r), 5);
    expect(indexes(scoreSeries('default', points))).toEqual([]);
    // At the trough of day 7 the value stays at the daily mean: a seasonality break.
    const broken = points.map((p, i) =>
      i >= 7 * DAY_POINTS + 200 && i < 7 * DAY_POINTS + 230
        ? { t: p.t, v: 100 + 0.5 * Math.sin(i) }
        : p,
    );
    const flagged = indexes(scoreSeries('default', broken, { period: DAY_POINTS }));
    expect(flagged.some((i) => i >= 7 * DAY_POINTS + 200 && i < 7 * DAY_POINTS + 230)).toBe(true);
    expect(flagged.filter((i) => i < 7 * DAY_POINTS + 200)).toEqual([]);
  });

  it('flags a flat-lined sensor after variation', () => {
    const points = series(3000, (i, r) => (i >= 2000 && i < 2100 ? 42 : 42 + gauss(r)), 9);
    const flagged = indexes(scoreSeries('default', points));
    expect(flagged.some((i) => i >= 2000 && i < 2010)).toBe(true);
    expect(flagged.filter((i) => i < 2000)).toEqual([]);
  });

  it('does not flag repeats in a series that often repeats', () => {
    const points = series(3000, (_i, r) => Math.round(2 + 0.6 * gauss(r)), 13);
    expect(indexes(scoreSeries('default', points))).toEqual([]);
  });

  it('a counter reset is not anomalous with counter: true', () => {
    let total = 0;
    const points = series(
      3000,
      (i, r) => {
        if (i === 2000) total = 0;
        total += 100 + 5 * gauss(r);
        return total;
      },
      17,
    );
    expect(indexes(scoreSeries('default', points, { counter: true }))).toEqual([]);
    for (const name of DETECTOR_NAMES) {
      const flagged = indexes(scoreSeries(name, points, { counter: true }));
      expect(flagged.filter((i) => i >= 1995 && i < 2010)).toEqual([]);
    }
    // Without counter: the raw counter's reset is a drop the default detector flags.
    expect(indexes(scoreSeries('default', points)).length).toBeGreaterThan(0);
  });

  it('follows a trend without alerting', () => {
    const points = series(5000, (i, r) => 100 + 0.02 * i + gauss(r), 19);
    expect(indexes(scoreSeries('default', points))).toEqual([]);
  });

  it('flags a variance change', () => {
    const points = series(3000, (i, r) => 100 + gauss(r) * (i >= 2000 ? 6 : 1), 23);
    const flagged = indexes(scoreSeries('default', points));
    expect(flagged.some((i) => i >= 2000 && i < 2030)).toBe(true);
    expect(flagged.filter((i) => i < 2000)).toEqual([]);
  });

  it('scores nothing anomalous during warm-up', () => {
    const points = series(40, (i) => (i === 30 ? 1e9 : 1), 1);
    expect(indexes(scoreSeries('default', points))).toEqual([]);
  });
});

describe('options', () => {
  it('rejects an unknown detector and bad options', () => {
    expect(() => createDetector('nope' as 'default')).toThrow(/unknown detector nope/);
    expect(() => createDetector('default', { threshold: 0 })).toThrow(/threshold/);
    expect(() => createDetector('default', { threshold: Number.NaN })).toThrow(/threshold/);
    expect(() => createDetector('default', { period: 1.5 })).toThrow(/period/);
    expect(() => createDetector('default', { direction: 'sideways' as 'up' })).toThrow(/direction/);
  });
});

describe('anomalyWindows', () => {
  const at = (i: number, anomaly: boolean, score = anomaly ? 0.99 : 0.1): ScoredPoint => ({
    t: i * 1000,
    v: 0,
    score,
    anomaly,
  });

  it('groups runs, keeps the peak and merges runs closer than mergeGapMs', () => {
    const scored = [
      at(0, false),
      at(1, true),
      at(2, true, 0.999),
      at(3, false),
      at(5, true),
      at(10, false),
      at(20, true),
    ];
    expect(anomalyWindows(scored)).toEqual([
      { start: 1000, end: 2000, peakScore: 0.999 },
      { start: 5000, end: 5000, peakScore: 0.99 },
      { start: 20000, end: 20000, peakScore: 0.99 },
    ]);
    expect(anomalyWindows(scored, { mergeGapMs: 3000 })).toEqual([
      { start: 1000, end: 5000, peakScore: 0.999 },
      { start: 20000, end: 20000, peakScore: 0.99 },
    ]);
    expect(anomalyWindows([])).toEqual([]);
    expect(() => anomalyWindows(scored, { mergeGapMs: -1 })).toThrow(/mergeGapMs/);
  });
});
