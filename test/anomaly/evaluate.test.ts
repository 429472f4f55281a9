import { describe, expect, it } from 'vitest';
import {
  evaluateWith,
  matchEvents,
  medianStep,
  summarise,
  toleratedEnd,
} from '../../src/anomaly/evaluate.ts';
import { labelledSuite } from '../../src/anomaly/synthetic.ts';
import type { AnomalyWindow, LabelledSeries, Point } from '../../src/anomaly/types.ts';

const S = 300_000; // 5-minute step
const WEEK = 7 * 86_400_000;

/** One week at 5 minutes (2,017 points) with an event A over steps 100–110 and a spike B at step 1000. */
function series(
  name = 'hand',
  events = [
    { start: 100 * S, end: 110 * S, kind: 'level-shift' },
    { start: 1000 * S, end: 1000 * S, kind: 'spike' },
  ],
): LabelledSeries {
  const points: Point[] = Array.from({ length: 2017 }, (_, i) => ({ t: i * S, v: 0 }));
  return { name, points, events, options: {} };
}
const w = (from: number, to: number): AnomalyWindow => ({
  start: from * S,
  end: to * S,
  peakScore: 1,
});

describe('matchEvents', () => {
  it('tolerance: the longer of 10% of the event and 6 steps, after the end only', () => {
    const [a, b] = series().events;
    expect(toleratedEnd(a!, S)).toBe(116 * S);
    expect(toleratedEnd(b!, S)).toBe(1006 * S);
    expect(toleratedEnd({ start: 0, end: 1000 * S, kind: 'x' }, S)).toBe(1100 * S);
    expect(toleratedEnd(a!, S, { tolerancePoints: 0, toleranceFraction: 0.5 })).toBe(115 * S);
    expect(medianStep(series().points)).toBe(S);
  });

  it('a detection inside the tolerance detects the event, with its delay', () => {
    const o = matchEvents(series(), [w(116, 118)]);
    expect(o).toMatchObject({
      truePositives: 1,
      falsePositives: 0,
      falseNegatives: 1,
      delaysMs: [16 * S],
    });
    expect(o.detected).toEqual([true, false]);
    expect(o.durationMs).toBe(WEEK);
  });

  it('a detection just outside the tolerance is a false positive and the event a false negative', () => {
    const o = matchEvents(series(), [w(117, 118), w(1007, 1007)]);
    expect(o).toMatchObject({
      truePositives: 0,
      falsePositives: 2,
      falseNegatives: 2,
      delaysMs: [],
    });
  });

  it('a detection before the event never counts unless it runs into it (then delay 0)', () => {
    expect(matchEvents(series(), [w(90, 99)])).toMatchObject({
      truePositives: 0,
      falsePositives: 1,
    });
    expect(matchEvents(series(), [w(90, 100)])).toMatchObject({
      truePositives: 1,
      falsePositives: 0,
      delaysMs: [0],
    });
  });

  it('two detections for one event: one true positive, the first gives the delay, no false positive', () => {
    const o = matchEvents(series(), [w(105, 108), w(102, 103)]);
    expect(o).toMatchObject({
      truePositives: 1,
      falsePositives: 0,
      falseNegatives: 1,
      delaysMs: [2 * S],
    });
  });

  it('one detection spanning two events detects both', () => {
    const o = matchEvents(series(), [w(105, 1001)]);
    expect(o).toMatchObject({
      truePositives: 2,
      falsePositives: 0,
      falseNegatives: 0,
      delaysMs: [5 * S, 0],
    });
  });

  it('false positives within the tolerance (6 steps) of each other count once, farther ones each', () => {
    expect(matchEvents(series(), [w(500, 501), w(502, 503), w(600, 600)]).falsePositives).toBe(2);
    expect(matchEvents(series(), [w(500, 501), w(507, 507)]).falsePositives).toBe(1);
    expect(matchEvents(series(), [w(500, 501), w(508, 508)]).falsePositives).toBe(2);
    const apart = [w(500, 501), w(503, 503)];
    expect(matchEvents(series(), apart, { falsePositiveMergeMs: 0 }).falsePositives).toBe(2);
    expect(
      matchEvents(series(), [w(500, 501), w(510, 511)], { falsePositiveMergeMs: 3_600_000 })
        .falsePositives,
    ).toBe(1);
  });

  it('no detections, no events, an empty series', () => {
    expect(matchEvents(series(), [])).toMatchObject({
      truePositives: 0,
      falsePositives: 0,
      falseNegatives: 2,
    });
    expect(matchEvents(series('clean', []), [w(3, 4)])).toMatchObject({
      falsePositives: 1,
      falseNegatives: 0,
    });
    expect(matchEvents({ name: 'empty', points: [], events: [] }, [])).toMatchObject({
      durationMs: 0,
      falsePositives: 0,
    });
  });
});

describe('hostile input', () => {
  it('refuses windows and events that are not finite spans, and negative or NaN tolerances', () => {
    for (const bad of [
      w(10, 9),
      { start: Number.NaN, end: 5, peakScore: 1 },
      { start: 0, end: Infinity, peakScore: 1 },
    ]) {
      expect(() => matchEvents(series(), [bad])).toThrow(RangeError);
    }
    expect(() => matchEvents(series('e', [{ start: 5, end: 4, kind: 'spike' }]), [])).toThrow(
      RangeError,
    );
    expect(() => matchEvents(series(), [], { tolerancePoints: -1 })).toThrow(RangeError);
    expect(() => matchEvents(series(), [], { toleranceFraction: Number.NaN })).toThrow(RangeError);
    // A NaN merge gap would swallow every false positive.
    for (const falsePositiveMergeMs of [Number.NaN, -1, Infinity]) {
      expect(() => matchEvents(series('clean', []), [w(3, 4)], { falsePositiveMergeMs })).toThrow(
        RangeError,
      );
    }
  });

  it('does not rely on order: unsorted windows and events give the sorted answer', () => {
    const s = series();
    const sorted = matchEvents(s, [w(102, 103), w(105, 108), w(500, 500)]);
    const shuffled = matchEvents({ ...s, events: [...s.events].reverse() }, [
      w(500, 500),
      w(105, 108),
      w(102, 103),
    ]);
    expect(shuffled).toEqual(sorted);
  });

  it('a long detection that starts in an event is not also a false positive after it', () => {
    expect(matchEvents(series(), [w(100, 900)])).toMatchObject({
      truePositives: 1,
      falsePositives: 0,
    });
  });
});

describe('summarise', () => {
  it('micro-averages over the suite: exact precision, recall, F1, median delay, FP per week, per kind', () => {
    const e = summarise('hand', [
      matchEvents(series('one'), [w(116, 118), w(500, 501)]), // A at 16 steps, B missed, 1 FP
      matchEvents(series('two'), [w(105, 1001)]), // A at 5 steps, B at 0
      matchEvents(series('clean', []), [w(10, 11), w(300, 300)]), // 2 FP
    ]);
    expect(e).toMatchObject({
      series: 3,
      events: 4,
      truePositives: 3,
      falsePositives: 3,
      falseNegatives: 1,
    });
    expect(e.precision).toBe(0.5);
    expect(e.recall).toBe(0.75);
    expect(e.f1).toBeCloseTo(0.6, 12);
    expect(e.medianDelayMs).toBe(5 * S);
    expect(e.falsePositivesPerWeek).toBe(1);
    expect(e.perKind).toEqual({
      'level-shift': { events: 2, detected: 2, recall: 1 },
      spike: { events: 2, detected: 1, recall: 0.5 },
    });
  });

  it('even counts take the middle of the median; nothing detected gives zeros and a null delay', () => {
    const e = summarise('x', [matchEvents(series(), [w(100, 101), w(1003, 1004)])]);
    expect(e.medianDelayMs).toBe(1.5 * S);
    expect(summarise('x', [matchEvents(series(), [])])).toMatchObject({
      precision: 0,
      recall: 0,
      f1: 0,
      medianDelayMs: null,
      falsePositivesPerWeek: 0,
    });
    expect(summarise('x', [])).toMatchObject({
      events: 0,
      f1: 0,
      medianDelayMs: null,
      perKind: {},
    });
  });
});

describe('evaluateWith', () => {
  it('runs a detection function over the suite (a stand-in: points above a threshold)', () => {
    const s = series();
    for (const p of s.points) if ((p.t >= 102 * S && p.t <= 110 * S) || p.t === 700 * S) p.v = 10;
    const stand = (x: LabelledSeries): AnomalyWindow[] =>
      x.points.filter((p) => p.v > 5).map((p) => ({ start: p.t, end: p.t, peakScore: 1 }));
    const e = evaluateWith('stand-in', [s], stand);
    expect(e).toMatchObject({
      detector: 'stand-in',
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 1,
    });
    expect(e.medianDelayMs).toBe(2 * S);
  });
});

describe('the suite against oracles', () => {
  const suite = labelledSuite(3);

  it('an oracle firing on every labelled window scores 1, 1, 1 with no delay', () => {
    const e = evaluateWith('oracle', suite, (s) => s.events.map((x) => ({ ...x, peakScore: 1 })));
    expect(e).toMatchObject({
      precision: 1,
      recall: 1,
      f1: 1,
      medianDelayMs: 0,
      falsePositives: 0,
    });
    for (const k of Object.values(e.perKind)) expect(k.recall).toBe(1);
  });

  it('an alarm stuck on for the whole series finds everything once, no false positives', () => {
    const e = evaluateWith('always', suite, (s) => [
      { start: s.points[0]!.t, end: s.points[s.points.length - 1]!.t, peakScore: 1 },
    ]);
    expect(e.recall).toBe(1);
    expect(e.falsePositives).toBe(suite.filter((s) => s.events.length === 0).length);
  });

  it('a silent detector misses everything', () => {
    const e = evaluateWith('silent', suite, () => []);
    expect(e).toMatchObject({
      truePositives: 0,
      falsePositives: 0,
      recall: 0,
      f1: 0,
      medianDelayMs: null,
    });
    expect(e.falseNegatives).toBe(suite.reduce((n, s) => n + s.events.length, 0));
  });
});
