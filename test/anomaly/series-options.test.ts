import { describe, expect, it } from 'vitest';
import { seriesOptions } from '../../src/anomaly/series-options.ts';
import { anomalySettings, type AnomalySeries } from '../../src/anomaly/settings.ts';

/** The one translation of a config series into a read and an analysis, for every face. */

const HOUR_MS = 3_600_000;

const section = anomalySettings.parse({
  range: '2 days',
  horizon: '3 days',
  detector: 'mad',
  series: [
    { name: 'disk', query: 'disk_used_bytes', step: '1m', direction: 'up', limit: 500 },
    { name: 'requests', query: 'http_requests_total', counter: true, detector: 'zscore' },
  ],
});

describe('seriesOptions', () => {
  it("reads the series' query and step over anomaly.range, and analyses with its settings", () => {
    expect(seriesOptions(section.series[0]!, section)).toEqual({
      query: { query: 'disk_used_bytes', stepSeconds: 60, rangeMs: 48 * HOUR_MS },
      analysis: {
        detector: 'mad',
        detectorOptions: { direction: 'up', counter: false },
        limit: 500,
        horizonMs: 72 * HOUR_MS,
      },
    });
  });

  it("prefers the series' own detector, and keeps counter and the default step", () => {
    expect(seriesOptions(section.series[1]!, section)).toEqual({
      query: { query: 'http_requests_total', stepSeconds: 300, rangeMs: 48 * HOUR_MS },
      analysis: {
        detector: 'zscore',
        detectorOptions: { direction: 'both', counter: true },
        limit: null,
        horizonMs: 72 * HOUR_MS,
      },
    });
  });

  it('builds a fresh object each call: a face changing it changes no other', () => {
    const series: AnomalySeries = section.series[0]!;
    const first = seriesOptions(series, section);
    first.analysis.detectorOptions!.direction = 'down';
    expect(seriesOptions(series, section).analysis.detectorOptions).toEqual({
      direction: 'up',
      counter: false,
    });
    expect(series.direction).toBe('up');
  });
});
