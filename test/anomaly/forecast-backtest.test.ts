import { describe, expect, it } from 'vitest';
import { BACKTEST_KINDS, backtestForecasts } from '../../src/anomaly/forecast-backtest.ts';
import { mulberry32 } from '../../src/anomaly/random.ts';

describe('backtestForecasts', () => {
  it('is deterministic: the same seed gives the same report', () => {
    expect(backtestForecasts(7, { replicates: 2 })).toEqual(
      backtestForecasts(7, { replicates: 2 }),
    );
    expect(backtestForecasts(8, { replicates: 2 }).cases).not.toEqual(
      backtestForecasts(7, { replicates: 2 }).cases,
    );
  });

  it('has every kind, a true crossing after the origin for the growing kinds and none for "never"', () => {
    const report = backtestForecasts(19, { replicates: 3 });
    expect(report.cases).toHaveLength(3 * BACKTEST_KINDS.length);
    for (const c of report.cases) {
      if (c.kind === 'never') {
        expect(c.trueCrossing).toBeNull();
        expect(c.inside).toBeNull();
      } else {
        expect(c.trueCrossing).not.toBeNull();
        expect(c.trueCrossing!).toBeGreaterThan(c.origin);
      }
    }
    expect(report.overall.cases).toBe(report.cases.length);
  });

  it('covers the truth of plain linear growth most of the time', () => {
    const report = backtestForecasts(19, { replicates: 10 });
    expect(report.perKind.linear.coverage).toBeGreaterThanOrEqual(0.7);
    expect(report.perKind.linear.medianAbsErrorHours!).toBeLessThan(6);
  });

  it('mulberry32 is uniform in [0, 1) and repeatable', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
