import { describe, expect, it } from 'vitest';
import { anomalyWindows, scoreSeries } from '../../src/anomaly/detect.ts';
import { evaluateAll, evaluateDetector, evaluateWith } from '../../src/anomaly/evaluate.ts';
import { labelledSuite } from '../../src/anomaly/synthetic.ts';
import { DETECTOR_NAMES } from '../../src/anomaly/types.ts';

describe('evaluateDetector (the real detectors)', () => {
  const suite = labelledSuite(5).filter((_, i) => i % 8 === 1 || i % 8 === 6);

  it('scores each series with its own options through scoreSeries and anomalyWindows', () => {
    for (const name of DETECTOR_NAMES) {
      const direct = evaluateWith(name, suite, (s) =>
        anomalyWindows(scoreSeries(name, s.points, s.options)),
      );
      expect(evaluateDetector(name, suite)).toEqual(direct);
    }
  });

  it('passes the overrides: detector options and the window merge gap', () => {
    const name = 'zscore';
    const options = { detector: { threshold: 0.999 }, mergeGapMs: 3_600_000, tolerancePoints: 2 };
    const direct = evaluateWith(
      name,
      suite,
      (s) =>
        anomalyWindows(scoreSeries(name, s.points, { ...s.options, threshold: 0.999 }), {
          mergeGapMs: 3_600_000,
        }),
      { tolerancePoints: 2 },
    );
    expect(evaluateDetector(name, suite, options)).toEqual(direct);
  });

  it('evaluates every named detector, in order, with figures in range', () => {
    const all = evaluateAll(suite);
    expect(all.map((e) => e.detector)).toEqual([...DETECTOR_NAMES]);
    for (const e of all) {
      for (const x of [e.precision, e.recall, e.f1]) expect(x >= 0 && x <= 1).toBe(true);
      expect(e.events).toBe(suite.reduce((n, s) => n + s.events.length, 0));
      expect(e.falsePositivesPerWeek).toBeGreaterThanOrEqual(0);
    }
  });
});
