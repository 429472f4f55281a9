import { resolve } from 'node:path';
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
      /** The Authorization header's bearer token, from the environment; null: none. */
      token: string | null;
    }
  | {
      /** A series of the config's anomaly.series, read as the anomaly-watch action reads it. */
      kind: 'series';
      name: string;
      /** The repository whose config names it (`--repo`, else the working directory). */
      repoDir: string;
      /** --prometheus; null: the config's anomaly.prometheus. */
      url: string | null;
      token: string | null;
    };

/** The flags given (absent when not): with --series they override the config's values. */
export interface AnomalyFlags {
  detector?: DetectorName;
  direction?: Direction;
  counter?: true;
  limit?: number;
  horizonMs?: number;
  rangeMs?: number;
  stepSeconds?: number;
}

export interface AnomaliesRequest {
  source: AnomalySource;
  format: (typeof ANOMALY_FORMATS)[number];
  flags: AnomalyFlags;
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
  series: { type: 'string' },
  repo: { type: 'string' },
} as const;

type Env = Readonly<Record<string, string | undefined>>;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function shownArg(text: string): string {
  const safe = sanitize(text);
  return safe.length > 80 ? `${safe.slice(0, 79)}…` : safe;
}

function detectorName(value: string): DetectorName {
  if ((DETECTOR_NAMES as readonly string[]).includes(value)) return value as DetectorName;
  const nearest = suggest(value, DETECTOR_NAMES);
  throw new UsageError(
    `unknown detector "${shownArg(value)}"; the detectors are ${DETECTOR_NAMES.join(', ')}${nearest === undefined ? '' : `. Did you mean "${nearest}"?`}`,
  );
}

function direction(value: string): Direction {
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

function limit(value: string): number {
  const number = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(number))
    throw new UsageError(
      `--limit must be the finite number the series must not reach, such as 100 or 0.9, got "${shownArg(value)}"`,
    );
  return number;
}

function step(value: string): number {
  const seconds = durationSeconds('--step', value);
  if (seconds > MAX_STEP_SECONDS)
    throw new UsageError(`--step must be at most 1d, got "${shownArg(value)}"`);
  if (seconds < 0.001)
    throw new UsageError(`--step must be at least 1ms, got "${shownArg(value)}"`);
  return seconds;
}

function token(envName: string | undefined, env: Env): string | null {
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

type ParsedValues = {
  [K in keyof typeof ANOMALIES_OPTIONS]?: (typeof ANOMALIES_OPTIONS)[K]['type'] extends 'boolean'
    ? boolean
    : string;
};

/** The flags given, checked; none filled in (a default is the config's or ANOMALY_DEFAULTS'). */
function givenFlags(values: ParsedValues): AnomalyFlags {
  const flags: AnomalyFlags = {};
  if (values.detector !== undefined) flags.detector = detectorName(values.detector);
  if (values.direction !== undefined) flags.direction = direction(values.direction);
  if (values.counter === true) flags.counter = true;
  if (values.limit !== undefined) flags.limit = limit(values.limit);
  if (values.horizon !== undefined)
    flags.horizonMs = durationSeconds('--horizon', values.horizon) * 1000;
  if (values.range !== undefined) flags.rangeMs = durationSeconds('--range', values.range) * 1000;
  if (values.step !== undefined) flags.stepSeconds = step(values.step);
  return flags;
}

/** The URL of --prometheus, checked: no credentials on the command line. */
function prometheusUrl(value: string): string {
  const parsed = URL.canParse(value) ? new URL(value) : null;
  if (parsed !== null && (parsed.username !== '' || parsed.password !== ''))
    throw new UsageError(
      `--prometheus must not carry a user name or password (the command line shows in ps and in shell history); put a bearer token in ${DEFAULT_TOKEN_ENV} instead`,
    );
  const url = prometheusUrlSetting('--prometheus').safeParse(value);
  if (!url.success || url.data === null)
    throw new UsageError(
      `--prometheus: ${url.error?.issues[0]?.message ?? "expected Prometheus's base URL"}`,
    );
  return url.data;
}

/**
 * More points than one read may ask for: an error naming where the range and step came from.
 * `from` is `--range 8h at --step 1m` or the config's keys.
 */
export function checkPointCount(rangeMs: number, stepSeconds: number, from: string): void {
  const points = rangeMs / 1000 / stepSeconds;
  if (points > MAX_PROMETHEUS_POINTS)
    throw new UsageError(
      `${from} is ${Math.floor(points).toLocaleString('en')} points, more than ${MAX_PROMETHEUS_POINTS.toLocaleString('en')}; raise --step or shorten --range`,
    );
}

function prometheusSource(values: ParsedValues, env: Env): AnomalySource {
  const url = prometheusUrl(values.prometheus!);
  const query = values.query?.trim() ?? '';
  if (query === '')
    throw new UsageError(
      "--prometheus needs --query PROMQL, the query of one series, such as 'sum(rate(http_requests_total[5m]))'",
    );
  const rangeMs =
    values.range === undefined
      ? ANOMALY_DEFAULTS.rangeHours * HOUR_MS
      : durationSeconds('--range', values.range) * 1000;
  const stepSeconds = values.step === undefined ? ANOMALY_DEFAULTS.stepSeconds : step(values.step);
  checkPointCount(
    rangeMs,
    stepSeconds,
    `--range ${values.range ?? '7d'} at --step ${values.step ?? '5m'}`,
  );
  return { kind: 'prometheus', url, query, token: token(values['token-env'], env) };
}

function seriesSource(values: ParsedValues, env: Env, cwd: string): AnomalySource {
  const name = values.series!.trim();
  if (name === '')
    throw new UsageError("--series needs the name of a series in the config's anomaly.series");
  if (values.query !== undefined)
    throw new UsageError(
      '--series reads the query of the config; give --series NAME or --prometheus URL --query PROMQL, not both',
    );
  if (values.repo?.trim() === '') throw new UsageError('--repo needs the path of a repository');
  return {
    kind: 'series',
    name,
    repoDir: resolve(cwd, values.repo ?? '.'),
    url: values.prometheus === undefined ? null : prometheusUrl(values.prometheus),
    token: token(values['token-env'], env),
  };
}

function csvSource(values: ParsedValues): AnomalySource {
  const stray = (['query', 'range', 'step', 'token-env', 'repo'] as const).find(
    (name) => values[name] !== undefined,
  );
  if (stray !== undefined) throw new UsageError(`--${stray} goes with --prometheus, not --csv`);
  if (values.csv!.trim() === '') throw new UsageError('--csv needs the path of a CSV file');
  return { kind: 'csv', file: values.csv! };
}

function sourceOf(values: ParsedValues, env: Env, cwd: string): AnomalySource {
  const given = [values.csv, values.prometheus ?? values.series].filter((v) => v !== undefined);
  if (given.length === 0)
    throw new UsageError(
      'name the series: --csv FILE, --prometheus URL --query PROMQL, or --series NAME from the config',
    );
  if (values.csv !== undefined && given.length > 1)
    throw new UsageError(
      `give --csv or --${values.series === undefined ? 'prometheus' : 'series'}, not both`,
    );
  if (values.series !== undefined) return seriesSource(values, env, cwd);
  if (values.repo !== undefined)
    throw new UsageError(
      '--repo names the repository whose config names the series; it goes with --series NAME',
    );
  return values.prometheus !== undefined ? prometheusSource(values, env) : csvSource(values);
}

/** The request in `argv`, or a UsageError saying what to change. */
export function parseAnomaliesArgs(
  argv: readonly string[],
  env: Env,
  cwd: string,
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
      `unexpected argument "${shownArg(positionals[0]!)}"; name the series with --csv FILE, --prometheus URL --query PROMQL or --series NAME`,
    );
  const source = sourceOf(values, env, cwd);
  const flags = givenFlags(values);
  // With --series the config's limit may be the one the horizon looks toward.
  if (flags.horizonMs !== undefined && flags.limit === undefined && source.kind !== 'series')
    throw new UsageError('--horizon is how far a forecast looks ahead; it needs --limit N');
  return { source, format: parseFormat(values.format, ANOMALY_FORMATS, 'text'), flags };
}
