/**
 * How one configured series is read and analysed: the same for every face (the anomaly-watch
 * action, `steward anomalies --series`, and the CLI's explicit flags), so each gives the same
 * analysis of the same series. Pure.
 */
import type { AnalyseOptions } from './analyse.ts';
import type { AnomalyConfig, AnomalySeries } from './settings.ts';

/** What to ask Prometheus: the query over the last `rangeMs`, every `stepSeconds`. */
export interface SeriesQuery {
  query: string;
  stepSeconds: number;
  rangeMs: number;
}

export interface SeriesOptions {
  query: SeriesQuery;
  analysis: AnalyseOptions;
}

/** The section-wide settings a series falls back on. */
export type SeriesDefaults = Pick<AnomalyConfig, 'rangeMs' | 'horizonMs' | 'detector'>;

/** The query and the analyseSeries options of `series`, its own detector else the section's. */
export function seriesOptions(series: AnomalySeries, defaults: SeriesDefaults): SeriesOptions {
  return {
    query: { query: series.query, stepSeconds: series.stepSeconds, rangeMs: defaults.rangeMs },
    analysis: {
      detector: series.detector ?? defaults.detector,
      detectorOptions: { direction: series.direction, counter: series.counter },
      limit: series.limit,
      horizonMs: defaults.horizonMs,
    },
  };
}
