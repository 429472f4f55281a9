import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/anomaly/random.ts';
import { ANOMALY_KINDS, labelledSuite } from '../../src/anomaly/synthetic.ts';

describe('labelledSuite', () => {
  const suite = labelledSuite();

  it('is deterministic: the same seed gives the same series, another seed other series', () => {
    expect(labelledSuite(1)).toEqual(suite);
    const other = labelledSuite(2);
    expect(other.length).toBe(suite.length);
    expect(other[1]?.points).not.toEqual(suite[1]?.points);
  });

  it('refuses a seed that is not an integer', () => {
    for (const seed of [Number.NaN, 1.5, Infinity])
      expect(() => labelledSuite(seed)).toThrow(RangeError);
  });

  it('has 40–80 series with unique names, clean ones among them', () => {
    expect(suite.length).toBeGreaterThanOrEqual(40);
    expect(suite.length).toBeLessThanOrEqual(80);
    expect(new Set(suite.map((s) => s.name)).size).toBe(suite.length);
    expect(suite.filter((s) => s.events.length === 0).length).toBeGreaterThanOrEqual(8);
  });

  it('labels every kind, several times', () => {
    for (const seed of [1, 2, 3]) {
      const counts = new Map<string, number>();
      for (const s of labelledSuite(seed))
        for (const e of s.events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
      for (const kind of ANOMALY_KINDS)
        expect(counts.get(kind) ?? 0, `${kind} with seed ${seed}`).toBeGreaterThanOrEqual(3);
      expect(
        [...counts.keys()].every((k) => (ANOMALY_KINDS as readonly string[]).includes(k)),
      ).toBe(true);
    }
  });

  it('has strictly increasing finite timestamps and values, events inside their series on points', () => {
    for (const s of [...suite, ...labelledSuite(7)]) {
      expect(s.points.length).toBeGreaterThan(1000);
      const bad = s.points.findIndex(
        (p, i) => !Number.isFinite(p.v) || (i > 0 && p.t <= s.points[i - 1]!.t),
      );
      expect(bad, s.name).toBe(-1);
      const first = s.points[0]!.t;
      const last = s.points[s.points.length - 1]!.t;
      const times = new Set(s.points.map((p) => p.t));
      for (const e of s.events) {
        expect(e.start).toBeGreaterThanOrEqual(first);
        expect(e.end).toBeLessThanOrEqual(last);
        expect(e.end).toBeGreaterThanOrEqual(e.start);
        expect(times.has(e.start) && times.has(e.end), `${s.name} ${e.kind}`).toBe(true);
      }
    }
  });

  it('has realistic density: at most one anomaly per week, events at least 3 days apart', () => {
    for (const s of suite) {
      const weeks = (s.points[s.points.length - 1]!.t - s.points[0]!.t) / (7 * 86_400_000);
      expect(s.events.length, s.name).toBeLessThanOrEqual(Math.ceil(weeks));
      for (let i = 1; i < s.events.length; i += 1) {
        expect(s.events[i]!.start - s.events[i - 1]!.end).toBeGreaterThanOrEqual(3 * 86_400_000);
      }
    }
  });

  it('samples at 5 minutes, 1 minute and irregularly over 2–4 weeks, with gaps', () => {
    const steps = new Set<string>();
    let gaps = 0;
    for (const s of suite) {
      const span = s.points[s.points.length - 1]!.t - s.points[0]!.t;
      expect(span).toBeGreaterThan(13 * 86_400_000);
      expect(span).toBeLessThanOrEqual(28 * 86_400_000);
      const deltas = s.points.slice(1).map((p, i) => p.t - s.points[i]!.t);
      const min = Math.min(...deltas);
      const max = Math.max(...deltas);
      steps.add(
        min === max ? String(min) : min === 300_000 || min === 60_000 ? `${min}+gap` : 'irregular',
      );
      if (max >= 30 * 60_000) gaps += 1;
    }
    expect(steps).toEqual(new Set(['60000', '300000', '300000+gap', 'irregular']));
    expect(gaps).toBeGreaterThanOrEqual(5);
  });

  it('gives the options a user would: direction, a period on some, counters with resets', () => {
    expect(suite.every((s) => s.options.direction !== undefined)).toBe(true);
    expect(suite.some((s) => s.options.direction === 'up')).toBe(true);
    expect(suite.some((s) => s.options.direction === 'down')).toBe(true);
    expect(suite.some((s) => s.options.period === 288)).toBe(true);
    expect(suite.some((s) => s.options.period === undefined)).toBe(true);
    const counters = suite.filter((s) => s.options.counter === true);
    expect(counters.length).toBeGreaterThan(0);
    for (const s of counters) {
      const resets = s.points.filter((p, i) => i > 0 && p.v < s.points[i - 1]!.v).length;
      expect(resets, s.name).toBeGreaterThanOrEqual(1);
      expect(s.points.every((p) => Number.isInteger(p.v) && p.v >= 0)).toBe(true);
    }
  });

  it('injects what the label says: a stuck window is flat, a spike or dip stands out from the points either side', () => {
    for (const s of [...suite, ...labelledSuite(2), ...labelledSuite(3)]) {
      if (s.options.counter === true) continue;
      for (const e of s.events) {
        const inside = s.points.filter((p) => p.t >= e.start && p.t <= e.end).map((p) => p.v);
        if (e.kind === 'stuck') expect(new Set(inside).size, s.name).toBe(1);
        if (e.kind === 'spike' || e.kind === 'dip') {
          const i = s.points.findIndex((p) => p.t === e.start);
          const j = s.points.findIndex((p) => p.t === e.end);
          const around = [s.points[i - 1]!.v, s.points[j + 1]!.v];
          const stands =
            e.kind === 'spike'
              ? inside[0]! > Math.max(...around)
              : inside[0]! < Math.min(...around);
          expect(stands, `${s.name} ${e.kind}`).toBe(true);
        }
      }
    }
  });
});

describe('mulberry32', () => {
  it('is deterministic and uniform enough in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 10_000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });
});
