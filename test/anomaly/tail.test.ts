import { describe, expect, it } from 'vitest';
import { scoreSeries } from '../../src/anomaly/detect.ts';
import {
  ExceedanceTail,
  MIN_EXCEEDANCES,
  MIN_HORIZON_POINTS,
  TAIL_HORIZON_MS,
} from '../../src/anomaly/detectors/tail.ts';
import type { ScoredPoint } from '../../src/anomaly/types.ts';
import { DAY_POINTS, gauss, series, STEP } from './detect-helpers.ts';

const indexes = (scored: readonly ScoredPoint[]): number[] =>
  scored.flatMap((p, i) => (p.anomaly ? [i] : []));

describe('ExceedanceTail', () => {
  it('does not judge until the level was crossed MIN_EXCEEDANCES times', () => {
    const tail = new ExceedanceTail(5, STEP);
    for (let i = 0; i < MIN_EXCEEDANCES - 1; i++) tail.observe(20);
    expect(tail.tail(20)).toBe(0);
    // The count decays a little per point: one more crossing than the minimum.
    tail.observe(20);
    tail.observe(20);
    expect(tail.tail(20)).toBeGreaterThan(1e-4);
  });

  it('makes the usual crossings ordinary and one far beyond them rare', () => {
    const tail = new ExceedanceTail(5, STEP);
    for (let i = 0; i < 200; i++) tail.observe(i % 20 === 0 ? 15 + (i % 7) : 1);
    expect(tail.tail(18)).toBeGreaterThan(1e-4);
    expect(tail.tail(18_000)).toBeLessThan(1e-9);
    // Within the level it never judges.
    expect(tail.tail(4)).toBe(0);
  });

  it('forgets crossings older than its horizon', () => {
    const tail = new ExceedanceTail(5, STEP);
    for (let i = 0; i < 20; i++) tail.observe(30);
    for (let i = 0; i < (5 * TAIL_HORIZON_MS) / STEP; i++) tail.observe(0);
    expect(tail.tail(30)).toBe(0);
  });

  it('counts over at least MIN_HORIZON_POINTS points, whatever the spacing', () => {
    // Daily points: two weeks are 14 of them, too few to tell a rate from.
    const tail = new ExceedanceTail(5, 86_400_000);
    for (let i = 0; i < 20; i++) tail.observe(30);
    expect(tail.tail(30)).toBeLessThan(20 / MIN_HORIZON_POINTS);
    expect(tail.tail(30)).toBeGreaterThan(0);
  });

  it('ignores NaN and infinite departures (hostile input leaves it finite)', () => {
    const tail = new ExceedanceTail(5, STEP);
    for (let i = 0; i < 10; i++) {
      tail.observe(Number.NaN);
      tail.observe(Infinity);
      tail.observe(Number.MAX_VALUE);
    }
    for (const x of [6, 1e300, Number.MAX_VALUE, Infinity, Number.NaN]) {
      const p = tail.tail(x);
      expect(p >= 0 && p <= 1).toBe(true);
    }
  });
});

describe('default detector on a heavy-tailed series', () => {
  // Gaussian noise with a burst of 20..60 sigmas about every 50 points (a bursty request count).
  const bursty = (extra: (i: number) => number) =>
    series(
      6000,
      (i, r) => {
        const burst = r() < 0.02 ? 20 + 40 * r() : 0;
        return 100 + gauss(r) + burst + extra(i);
      },
      31,
    );

  it('learns that its bursts are ordinary', () => {
    const points = bursty(() => 0);
    const late = indexes(scoreSeries('default', points)).filter((i) => i >= 3000);
    const bursts = points.filter((p, i) => i >= 3000 && p.v > 115).length;
    expect(bursts).toBeGreaterThan(30);
    expect(late.length).toBeLessThan(bursts / 5);
  });

  it('still flags a burst far beyond the usual ones', () => {
    const points = bursty((i) => (i === 5000 ? 5000 : 0));
    expect(indexes(scoreSeries('default', points))).toContain(5000);
  });

  it('learns a nightly job: a daily burst stops alerting after its first week', () => {
    const points = series(
      14 * DAY_POINTS,
      (i, r) => 10 + gauss(r) + (i % DAY_POINTS === 40 ? 50 + 5 * r() : 0),
      41,
    );
    const flagged = indexes(scoreSeries('default', points));
    expect(flagged.filter((i) => i >= 8 * DAY_POINTS)).toEqual([]);
    expect(flagged.length).toBeGreaterThan(0);
  });

  it('a Gaussian series keeps its Gaussian judgement: every one-off spike alerts', () => {
    const spikes = [1500, 2500, 3500, 4500];
    const points = series(5000, (i, r) => 100 + gauss(r) + (spikes.includes(i) ? 8 : 0), 37);
    const flagged = indexes(scoreSeries('default', points));
    for (const i of spikes) expect(flagged).toContain(i);
  });
});
