import { ANOMALY_DEFAULTS } from '../anomaly/settings.ts';
import { DETECTOR_NAMES, type DetectorName, type Direction } from '../anomaly/types.ts';
import { sanitize } from '../hotspots/report/format.ts';
import {
  MAX_STEP_SECONDS,
  parsePromDuration,
  prometheusUrlSetting,
} from '../settings/prometheus.ts';
import { suggest } from '../settings/suggest.ts';
import { UsageError, parseCommandArgs, parseFormat } from './command.ts';

/** What `steward anomalies` was asked, checked: one source of points and how to judge them. */

export const ANOMALY_FORMATS = ['text', 'json'] as const;
const DIRECTIONS = ['up', 'down', 'both'] as const;
/** The bearer token's variable when --token-env names none (used only when set). */
export const DEFAULT_TOKEN_ENV = 'PROMETHEUS_TOKEN';
/** The most points a Prometheus read may ask for: --range / --step. */
export const MAX_PROMETHEUS_POINTS = 1_000_000;
const HOUR_MS = 3_600_000;

export type AnomalySource =
  | { kind: 'csv'; file: string }
  | {
      kind: 'prometheus';
      url: string;
      query: string;
      rangeMs: number;
      stepSeconds: number;
      /** The Authorization header's bearer token, from the environment; null: none. */
      token: string | null;
    };

export interface AnomaliesRequest {
  source: AnomalySource;
  detector: DetectorName;
  format: (typeof ANOMALY_FORMATS)[number];
  direction: Direction;
  counter: boolean;
  /** With a limit, a forecast of when the series reaches it, looking `horizonMs` ahead. */
  limit: number | null;
  horizonMs: number;
}

export const ANOMALIES_OPTIONS = {
  csv: { type: 'string' },
  prometheus: { type: 'string' },
  query: { type: 'string' },
  range: { type: 'string' },
  step: { type: 'string' },
  'token-env': { type: 'string' },
  detector: { type: 'string' },
  format: { type: 'string' },
  direction: { type: 'string' },
  counter: { type: 'boolean' },
  limit: { type: 'string' },
  horizon: { type: 'string' },
} as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function shownArg(text: string): string {
  const safe = sanitize(text);
  return safe.length > 80 ? `${safe.slice(0, 79)}…` : safe;
}

function detectorName(value: string | undefined): DetectorName {
  if (value === undefined) return ANOMALY_DEFAULTS.detector;
  if ((DETECTOR_NAMES as readonly string[]).includes(value)) return value as DetectorName;
  const nearest = suggest(value, DETECTOR_NAMES);
  throw new UsageError(
    `unknown detector "${shownArg(value)}"; the detectors are ${DETECTOR_NAMES.join(', ')}${nearest === undefined ? '' : `. Did you mean "${nearest}"?`}`,
  );
}

function direction(value: string | undefined): Direction {
  if (value === undefined) return 'both';
  if ((DIRECTIONS as readonly string[]).includes(value)) return value as Direction;
  throw new UsageError(`--direction must be one of up, down, both, got "${shownArg(value)}"`);
}

/** A Prometheus duration (`7d`, `1h30m`, `300`) in seconds, above 0. */
function durationSeconds(option: string, value: string): number {
  const seconds = parsePromDuration(value);
  if (seconds === null || !(seconds > 0))
    throw new UsageError(
      `${option} must be a duration such as 7d, 12h, 1h30m or 300 (seconds), got "${shownArg(value)}"`,
    );
  return seconds;
}

function limit(value: string | undefined): number | null {
  if (value === undefined) return null;
  const number = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(number))
    throw new UsageError(
      `--limit must be the finite number the series must not reach, such as 100 or 0.9, got "${shownArg(value)}"`,
    );
  return number;
}

function token(envName: string | undefined, env: Readonly<Record<string, string | undefined>>) {
  if (envName === undefined) return env[DEFAULT_TOKEN_ENV]?.trim() || null;
  if (!ENV_NAME.test(envName))
    throw new UsageError(
      `--token-env takes the name of an environment variable holding the token, such as PROMETHEUS_TOKEN, got "${shownArg(envName)}"`,
    );
  const value = env[envName]?.trim() ?? '';
  if (value === '')
    throw new UsageError(
      `--token-env names ${envName}, which is not set or empty; export ${envName} with Prometheus's bearer token`,
    );
  return value;
}

function prometheusSource(
  values: {
    prometheus: string;
    query?: string | undefined;
    range?: string | undefined;
    step?: string | undefined;
    'token-env'?: string | undefined;
  },
  env: Readonly<Record<string, string | undefined>>,
): AnomalySource {
  const parsed = URL.canParse(values.prometheus) ? new URL(values.prometheus) : null;
  if (parsed !== null && (parsed.username !== '' || parsed.password !== ''))
    throw new UsageError(
      `--prometheus must not carry a user name or password (the command line shows in ps and in shell history); put a bearer token in ${DEFAULT_TOKEN_ENV} instead`,
    );
  const url = prometheusUrlSetting('--prometheus').safeParse(values.prometheus);
  if (!url.success || url.data === null)
    throw new UsageError(
      `--prometheus: ${url.error?.issues[0]?.message ?? "expected Prometheus's base URL"}`,
    );
  const query = values.query?.trim() ?? '';
  if (query === '')
    throw new UsageError(
      "--prometheus needs --query PROMQL, the query of one series, such as 'sum(rate(http_requests_total[5m]))'",
    );
  const rangeSeconds =
    values.range === undefined
      ? ANOMALY_DEFAULTS.rangeHours * 3600
      : durationSeconds('--range', values.range);
  const stepSeconds =
    values.step === undefined
      ? ANOMALY_DEFAULTS.stepSeconds
      : durationSeconds('--step', values.step);
  if (stepSeconds > MAX_STEP_SECONDS)
    throw new UsageError(`--step must be at most 1d, got "${shownArg(values.step ?? '')}"`);
  if (stepSeconds < 0.001)
    throw new UsageError(`--step must be at least 1ms, got "${shownArg(values.step ?? '')}"`);
  const points = rangeSeconds / stepSeconds;
  if (points > MAX_PROMETHEUS_POINTS)
    throw new UsageError(
      `--range ${values.range ?? '7d'} at --step ${values.step ?? '5m'} is ${Math.floor(points).toLocaleString('en')} points, more than ${MAX_PROMETHEUS_POINTS.toLocaleString('en')}; raise --step or shorten --range`,
    );
  return {
    kind: 'prometheus',
    url: url.data,
    query,
    rangeMs: rangeSeconds * 1000,
    stepSeconds,
    token: token(values['token-env'], env),
  };
}

/** The request in `argv`, or a UsageError saying what to change. */
export function parseAnomaliesArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): AnomaliesRequest {
  const end = argv.indexOf('--');
  const token = (end === -1 ? argv : argv.slice(0, end)).find((arg) =>
    /^--(?:token|bearer|password)(?:=|$)/.test(arg),
  );
  if (token !== undefined)
    throw new UsageError(
      `a token on the command line shows in ps and in shell history; put it in ${DEFAULT_TOKEN_ENV} (or a variable named by --token-env) instead`,
    );
  const { values, positionals } = parseCommandArgs(argv, {
    options: ANOMALIES_OPTIONS,
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new UsageError(
      `unexpected argument "${shownArg(positionals[0]!)}"; name the series with --csv FILE or --prometheus URL --query PROMQL`,
    );
  if ((values.csv === undefined) === (values.prometheus === undefined))
    throw new UsageError(
      values.csv === undefined
        ? 'name the series: --csv FILE, or --prometheus URL --query PROMQL'
        : 'give --csv or --prometheus, not both',
    );
  let source: AnomalySource;
  if (values.prometheus !== undefined)
    source = prometheusSource({ ...values, prometheus: values.prometheus }, env);
  else {
    const stray = (['query', 'range', 'step', 'token-env'] as const).find(
      (name) => values[name] !== undefined,
    );
    if (stray !== undefined) throw new UsageError(`--${stray} goes with --prometheus, not --csv`);
    if (values.csv!.trim() === '') throw new UsageError('--csv needs the path of a CSV file');
    source = { kind: 'csv', file: values.csv! };
  }
  const forecastLimit = limit(values.limit);
  if (values.horizon !== undefined && forecastLimit === null)
    throw new UsageError('--horizon is how far a forecast looks ahead; it needs --limit N');
  return {
    source,
    detector: detectorName(values.detector),
    format: parseFormat(values.format, ANOMALY_FORMATS, 'text'),
    direction: direction(values.direction),
    counter: values.counter ?? false,
    limit: forecastLimit,
    horizonMs:
      values.horizon === undefined
        ? ANOMALY_DEFAULTS.horizonHours * HOUR_MS
        : durationSeconds('--horizon', values.horizon) * 1000,
  };
}
