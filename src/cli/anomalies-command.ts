import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { analyseSeries, analysisJson, type AnomalyAnalysis } from '../anomaly/analyse.ts';
import { SeriesInputError, parseSeriesCsv } from '../anomaly/csv.ts';
import type { Point } from '../anomaly/types.ts';
import { sanitize } from '../hotspots/report/format.ts';
import { loadRepoConfig } from './analysis-args.ts';
import { parseAnomaliesArgs, type AnomaliesRequest } from './anomalies-args.ts';
import {
  configPlan,
  flagPlan,
  SeriesConfigError,
  type AnomaliesPlan,
  type PointsSource,
} from './anomalies-plan.ts';
import { anomaliesText } from './anomalies-text.ts';
import { colors } from './color.ts';
import type { CommandCode, CommandIO } from './command.ts';

/** The largest CSV read: a million rows take about 30 MB. */
export const MAX_CSV_BYTES = 256 * 1024 * 1024;
/** How long Prometheus has for each range query (a long range is several). */
const PROMETHEUS_TIMEOUT_MS = 60_000;

const USAGE = `Usage: steward anomalies --csv FILE [options]
       steward anomalies --prometheus URL --query PROMQL [--range 7d] [--step 5m]
                         [--token-env NAME] [options]
       steward anomalies --series NAME [--repo DIR] [--prometheus URL] [options]

Find the anomalous stretches of one series (spikes, dips, level shifts, trend and variance
changes, flat-lined sensors) with an online detector, and with --limit forecast when the series
reaches that limit.

Series:
  --csv FILE            A CSV with the header timestamp,value and one row per point;
                        timestamps ISO 8601 with a zone (2026-03-01T12:00:00Z) or epoch seconds
  --prometheus URL      Prometheus's base URL, such as http://localhost:9090, with
  --query PROMQL        a query answering exactly one series
  --range D             How much history to read, up to now (default 7d)
  --step D              The resolution of the range query (default 5m)
  --token-env NAME      The environment variable holding Prometheus's bearer token
                        (default: PROMETHEUS_TOKEN, when set). Never a token on the command line.
  --series NAME         A series of the config's anomaly.series (.github/steward.yml),
                        analysed exactly as the anomaly-watch action does: its query, step,
                        direction, counter, limit and detector (else anomaly.detector), with
                        anomaly.range and anomaly.horizon. Prometheus is --prometheus, else
                        anomaly.prometheus. Each option below given overrides the config's value.
  --repo DIR            The repository whose config names the series (default: here)

Options:
  --detector NAME       default, zscore, mad or holt-winters (default: default)
  --direction D         up, down or both (default): which departures count
  --counter             The series is a counter: judged on its rate; resets are not anomalies
                        (with --series it can turn counter on, not off: edit the config)
  --limit N             Forecast when the series reaches N (toward N from the last value;
                        --direction up or down says which way)
  --horizon D           How far the forecast looks ahead (default 14d)
  --format F            text (default) or json
  -h, --help            Show this help

Durations are Prometheus's: 30s, 5m, 12h, 7d, 1h30m. --csv and --prometheus --query read no
config: the defaults above are the ones that apply, whatever anomaly: sets.

JSON (--format json): { detector, points: [{ timestamp, value, score, anomaly }],
anomalies: [{ start, end, peakScore }], forecast } with ISO 8601 timestamps; forecast is null
without --limit.

Exit status: 0 no anomaly (and no forecast reaching the limit within the horizon), 1 an anomaly
was found or the limit is reached within the horizon, 2 bad usage, a CSV that cannot be read,
a config that is invalid or names no such series, or Prometheus could not answer.
`;

/** `steward anomalies` */
export const anomaliesCommand: CommandCode = { usage: USAGE, run: anomalies };

/** A problem reading the series: printed as one line, exit 2. */
class SeriesReadError extends Error {}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return sanitize(rel !== '' && !isAbsolute(rel) && !rel.startsWith('..') ? rel : path);
}

function describe(error: unknown): string {
  if (error instanceof Error && 'code' in error) {
    if (error.code === 'ENOENT') return 'no such file';
    if (error.code === 'EACCES') return 'permission denied';
    if (error.code === 'EISDIR') return 'it is a directory';
  }
  return error instanceof Error ? error.message : String(error);
}

async function readCsv(file: string, io: CommandIO): Promise<{ name: string; points: Point[] }> {
  const path = resolve(io.cwd, file);
  const name = shown(path, io.cwd);
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new SeriesReadError(`cannot read ${name}: it is a directory`);
    if (info.size > MAX_CSV_BYTES)
      throw new SeriesReadError(
        `cannot read ${name}: it is larger than ${MAX_CSV_BYTES / 1024 / 1024} MiB; raise the step of what exported it`,
      );
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    if (error instanceof SeriesReadError) throw error;
    throw new SeriesReadError(`cannot read ${name}: ${describe(error)}`);
  }
  try {
    return { name, points: parseSeriesCsv(text, name) };
  } catch (error: unknown) {
    if (error instanceof SeriesInputError) throw new SeriesReadError(sanitize(error.message));
    throw error;
  }
}

async function readPrometheus(
  source: Extract<PointsSource, { kind: 'prometheus' }>,
  io: CommandIO,
): Promise<{ name: string; points: Point[] }> {
  // Loaded only here: a CSV run never needs the HTTP client.
  const [{ readSeries }, { PrometheusError }] = await Promise.all([
    import('../prometheus/series.ts'),
    import('../prometheus/query-range.ts'),
  ]);
  const { query, stepSeconds, rangeMs } = source.query;
  // On a multiple of the step, as Prometheus's own graphs are: reruns read the same instants.
  const stepMs = stepSeconds * 1000;
  const end = Math.floor(Date.now() / stepMs) * stepMs;
  io.progress?.(`Reading ${query} from ${source.url}…`);
  try {
    const points = await readSeries(
      source.url,
      { query, start: end - rangeMs, end, stepSeconds },
      {
        timeoutMs: PROMETHEUS_TIMEOUT_MS,
        onChunk: (done, total) => io.progress?.(`Reading ${query}: ${done} of ${total} ranges`),
        ...(source.token === null ? {} : { headers: { authorization: `Bearer ${source.token}` } }),
      },
    );
    const name = sanitize(query.replace(/\s+/g, ' ').trim());
    return { name: name.length > 120 ? `${name.slice(0, 119)}…` : name, points };
  } catch (error: unknown) {
    if (error instanceof PrometheusError) throw new SeriesReadError(sanitize(error.message));
    throw error;
  }
}

function readPoints(source: PointsSource, io: CommandIO) {
  return source.kind === 'csv' ? readCsv(source.file, io) : readPrometheus(source, io);
}

/** The plan of the request; null when the config cannot be loaded (its errors are printed). */
async function planOf(request: AnomaliesRequest, io: CommandIO): Promise<AnomaliesPlan | null> {
  if (request.source.kind !== 'series') return flagPlan(request);
  const { repoDir } = request.source;
  const isDirectory = await stat(repoDir).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isDirectory)
    throw new SeriesConfigError(
      `no such directory: ${shown(repoDir, io.cwd)}; --repo takes the checkout whose .github/steward.yml names the series`,
    );
  const config = await loadRepoConfig(repoDir, io);
  return config === null ? null : configPlan(request, config.anomaly);
}

async function anomalies(argv: readonly string[], io: CommandIO): Promise<number> {
  const request = parseAnomaliesArgs(argv, io.env ?? {}, io.cwd);
  let plan: AnomaliesPlan | null;
  let series: { name: string; points: Point[] };
  let analysis: AnomalyAnalysis;
  try {
    // A config that cannot be loaded exits 2 here: 1 means an anomaly was found.
    plan = await planOf(request, io);
    if (plan === null) return 2;
    series = await readPoints(plan.source, io);
    if (series.points.length === 0)
      throw new SeriesReadError(`${series.name}: the series has no points`);
    analysis = analyseSeries(series.points, plan.analysis);
  } catch (error: unknown) {
    if (
      !(error instanceof SeriesReadError) &&
      !(error instanceof SeriesConfigError) &&
      !(error instanceof RangeError)
    )
      throw error;
    io.stderr(`steward anomalies: ${sanitize(error.message.split('\n')[0]!)}\n`);
    return 2;
  }
  if (request.format === 'json') io.stdout(`${JSON.stringify(analysisJson(analysis), null, 2)}\n`);
  else
    io.stdout(
      anomaliesText(
        analysis,
        {
          source: series.name,
          counter: plan.analysis.detectorOptions?.counter ?? false,
          horizonMs: plan.analysis.horizonMs ?? 0,
          sparkline: io.terminal === true,
        },
        colors(io.color),
      ),
    );
  const forecastHits = analysis.forecast?.withinHorizon === true;
  return analysis.anomalies.length > 0 || forecastHits ? 1 : 0;
}
