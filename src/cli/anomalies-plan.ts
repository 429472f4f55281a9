import type { AnalyseOptions } from '../anomaly/analyse.ts';
import { seriesOptions, type SeriesDefaults, type SeriesQuery } from '../anomaly/series-options.ts';
import { ANOMALY_DEFAULTS, type AnomalyConfig, type AnomalySeries } from '../anomaly/settings.ts';
import { CONFIG_PATH } from '../config/path.ts';
import { suggest } from '../settings/suggest.ts';
import { checkPointCount, type AnomaliesRequest, type AnomalyFlags } from './anomalies-args.ts';

/**
 * What `steward anomalies` reads and how it analyses it: a config series through the one
 * function the anomaly-watch action uses (src/anomaly/series-options.ts), the explicit flags
 * overriding its values; a series given by flags alone through the same function, on the
 * section's defaults.
 */

export type PointsSource =
  | { kind: 'csv'; file: string }
  | { kind: 'prometheus'; url: string; token: string | null; query: SeriesQuery };

export interface AnomaliesPlan {
  source: PointsSource;
  analysis: AnalyseOptions;
}

/** A config series that cannot be read as asked: one line, exit 2. */
export class SeriesConfigError extends Error {}

const DEFAULTS: SeriesDefaults = {
  rangeMs: ANOMALY_DEFAULTS.rangeHours * 3_600_000,
  horizonMs: ANOMALY_DEFAULTS.horizonHours * 3_600_000,
  detector: ANOMALY_DEFAULTS.detector,
};

/** A series as the flags describe it when no config names it. */
function flagSeries(query: string): AnomalySeries {
  return {
    name: 'command-line',
    query,
    stepSeconds: ANOMALY_DEFAULTS.stepSeconds,
    direction: 'both',
    limit: null,
    counter: false,
    detector: null,
  };
}

/** The series and its defaults with each explicit flag in place of the value it overrides. */
function withFlags(series: AnomalySeries, defaults: SeriesDefaults, flags: AnomalyFlags) {
  return {
    series: {
      ...series,
      ...(flags.detector === undefined ? {} : { detector: flags.detector }),
      ...(flags.direction === undefined ? {} : { direction: flags.direction }),
      ...(flags.counter === undefined ? {} : { counter: flags.counter }),
      ...(flags.limit === undefined ? {} : { limit: flags.limit }),
      ...(flags.stepSeconds === undefined ? {} : { stepSeconds: flags.stepSeconds }),
    },
    defaults: {
      ...defaults,
      ...(flags.rangeMs === undefined ? {} : { rangeMs: flags.rangeMs }),
      ...(flags.horizonMs === undefined ? {} : { horizonMs: flags.horizonMs }),
    },
  };
}

/** The plan of a request naming its series by flags (--csv, or --prometheus with --query). */
export function flagPlan(request: AnomaliesRequest): AnomaliesPlan {
  const { source } = request;
  if (source.kind === 'series') throw new Error('a --series request needs the config: configPlan');
  const merged = withFlags(
    flagSeries(source.kind === 'prometheus' ? source.query : ''),
    DEFAULTS,
    request.flags,
  );
  const options = seriesOptions(merged.series, merged.defaults);
  return {
    source:
      source.kind === 'csv'
        ? source
        : { kind: 'prometheus', url: source.url, token: source.token, query: options.query },
    analysis: options.analysis,
  };
}

function findSeries(anomaly: AnomalyConfig, name: string): AnomalySeries {
  const names = anomaly.series.map((s) => s.name);
  if (names.length === 0)
    throw new SeriesConfigError(
      `${CONFIG_PATH} has no anomaly.series, so there is no series "${name}"; add it under anomaly: series: with name: ${name} and query: (its PromQL), or give --prometheus URL --query PROMQL`,
    );
  const series = anomaly.series.find((s) => s.name === name);
  if (series !== undefined) return series;
  const nearest = suggest(name, names);
  throw new SeriesConfigError(
    `no series is named "${name}" in ${CONFIG_PATH}'s anomaly.series; the series are ${names.join(', ')}${nearest === undefined ? '' : `. Did you mean "${nearest}"?`}`,
  );
}

/** The plan of `--series NAME`: the config's series read and analysed as the action does. */
export function configPlan(request: AnomaliesRequest, anomaly: AnomalyConfig): AnomaliesPlan {
  const { source } = request;
  if (source.kind !== 'series') throw new Error('configPlan takes a --series request');
  const series = findSeries(anomaly, source.name);
  const url = source.url ?? anomaly.prometheusUrl;
  if (url === null)
    throw new SeriesConfigError(
      `no Prometheus to read ${series.name} from: give --prometheus URL, or set anomaly.prometheus in ${CONFIG_PATH}`,
    );
  const merged = withFlags(series, anomaly, request.flags);
  const options = seriesOptions(merged.series, merged.defaults);
  checkPointCount(
    options.query.rangeMs,
    options.query.stepSeconds,
    `the range (anomaly.range or --range) at the step of ${series.name} (its step: or --step)`,
  );
  return {
    source: { kind: 'prometheus', url, token: source.token, query: options.query },
    analysis: options.analysis,
  };
}
