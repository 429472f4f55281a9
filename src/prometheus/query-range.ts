import type { SloSample, SloSeries } from '../chaos/slo.ts';
import { oneLine } from '../markdown/one-line.ts';

/**
 * Prometheus's range query over its HTTP API (`POST /api/v1/query_range`), the edge the chaos SLO
 * judge reads through. The answer is checked, not trusted: `status`, a `matrix` result, each
 * series' `metric` a map of strings and each sample `[seconds, "value"]`. Every way it can go
 * wrong is a `PrometheusError` whose message says what happened in words an operator acts on.
 */

export type PrometheusErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'http'
  | 'refused'
  | 'shape'
  | 'value'
  | 'too-large'
  | 'empty'
  | 'many';

export class PrometheusError extends Error {
  readonly kind: PrometheusErrorKind;
  constructor(kind: PrometheusErrorKind, message: string) {
    super(message);
    this.name = 'PrometheusError';
    this.kind = kind;
  }
}

export interface RangeQuery {
  /** The PromQL expression. */
  query: string;
  /** Milliseconds since the epoch. */
  start: number;
  end: number;
  /** The resolution in seconds (Prometheus evaluates at start, start + step, … up to end). */
  stepSeconds: number;
}

export interface QueryRangeOptions {
  /** The fetch to use (tests, proxies); the global one otherwise. */
  fetch?: typeof fetch;
  /** How long Prometheus has to answer, body included. */
  timeoutMs: number;
  /** Extra request headers, such as Authorization for a Prometheus behind a proxy. */
  headers?: Readonly<Record<string, string>>;
  /** The most bytes of answer read (10 MB unless given). */
  maxBytes?: number;
  /**
   * Leave out NaN and ±Inf samples, as gaps (a rate over no traffic divides by zero), rather than
   * refusing the answer: what a detector reading a series wants; an SLO judge never does.
   */
  skipNonFinite?: boolean;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** Prometheus's number format: decimals and exponents (NaN and ±Inf are named apart). */
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

const NON_FINITE = new Set(['NaN', '+Inf', '-Inf', 'Inf']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `http://prom:9090/sub` + `api/v1/query_range`, keeping the base's path. */
export function queryRangeUrl(baseUrl: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL('api/v1/query_range', base).toString();
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The answer's text, at most `maxBytes` of it. */
async function readBody(response: Response, maxBytes: number, where: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes)
    throw new PrometheusError(
      'too-large',
      `${where} answered ${declared} bytes, more than the ${maxBytes} Steward reads; narrow the query (fewer series) or raise the step`,
    );
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new PrometheusError(
        'too-large',
        `${where} answered more than the ${maxBytes} bytes Steward reads; narrow the query (fewer series) or raise the step`,
      );
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code)
      ? `${code} ${cause.message}`
      : cause.message;
  }
  return error.message;
}

/** A series as PromQL writes it: `name{label="value", …}`, its first six labels. */
export function seriesName(metric: Readonly<Record<string, string>>): string {
  const name = metric['__name__'] ?? '';
  const labels = Object.entries(metric)
    .filter(([key]) => key !== '__name__')
    .slice(0, 6)
    .map(([key, value]) => `${key}=${JSON.stringify(oneLine(value, 60))}`);
  return `${name}{${labels.join(', ')}}`;
}

/** The matrix of a success answer, every field checked. */
function readMatrix(
  body: Record<string, unknown>,
  where: string,
  skipNonFinite: boolean,
): SloSeries[] {
  const shape = (problem: string) =>
    new PrometheusError(
      'shape',
      `${where} answered a body that is not a range query's: ${problem}`,
    );
  const data = body['data'];
  if (!isRecord(data)) throw shape('data is not an object');
  const resultType = data['resultType'];
  if (resultType !== 'matrix')
    throw new PrometheusError(
      'shape',
      `${where} answered a ${typeof resultType === 'string' ? JSON.stringify(oneLine(resultType, 40)) : 'missing'} resultType, not a matrix; a range query always answers a matrix, so check that the URL is Prometheus's`,
    );
  const result = data['result'];
  if (!Array.isArray(result)) throw shape('data.result is not a list');
  return result.map((entry: unknown, index): SloSeries => {
    const at = `data.result[${index}]`;
    if (!isRecord(entry)) throw shape(`${at} is not an object`);
    const metric = entry['metric'] ?? {};
    if (!isRecord(metric)) throw shape(`${at}.metric is not an object`);
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(metric)) {
      if (typeof value !== 'string')
        throw shape(`${at}.metric.${oneLine(key, 60)} is not a string`);
      labels[key] = value;
    }
    const histograms = entry['histograms'];
    if (Array.isArray(histograms) && histograms.length > 0)
      throw new PrometheusError(
        'value',
        `${where} answered native histogram samples for ${seriesName(labels)}; Steward reads one number per step, such as histogram_quantile(0.99, …) of the histogram`,
      );
    const values = entry['values'] ?? [];
    if (!Array.isArray(values)) throw shape(`${at}.values is not a list`);
    const samples: SloSample[] = [];
    values.forEach((pair: unknown, i) => {
      const place = `${at}.values[${i}]`;
      if (!Array.isArray(pair) || pair.length !== 2)
        throw shape(`${place} is not a [seconds, "value"] pair`);
      const [time, text] = pair as [unknown, unknown];
      if (typeof time !== 'number' || !Number.isFinite(time))
        throw shape(`${place}[0] is not a time in seconds`);
      if (typeof text !== 'string') throw shape(`${place}[1] is not a string`);
      if (NON_FINITE.has(text) && skipNonFinite) return;
      if (NON_FINITE.has(text))
        throw new PrometheusError(
          'value',
          `${where} answered ${text} for ${seriesName(labels)} at ${new Date(time * 1000).toISOString()}; Steward judges only numbers (a division by zero or a quantile over no data gives ${text}), so guard the query, e.g. with "> 0" on the denominator`,
        );
      if (!NUMBER.test(text))
        throw shape(
          `${place}[1] is ${JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text)}, not a number`,
        );
      samples.push({ timeMs: Math.round(time * 1000), value: Number(text) });
    });
    return { labels, samples };
  });
}

/**
 * The matrix Prometheus answers for `query` over [start, end] every `stepSeconds`. Throws a
 * `PrometheusError`: `unreachable` (no connection), `timeout`, `http` (a status that is not 2xx and
 * no Prometheus error body), `refused` (Prometheus's own error: its `errorType` and `error`),
 * `shape` (not a range query's answer), `value` (NaN or ±Inf, native histograms), `too-large`.
 */
export async function queryRange(
  baseUrl: string,
  query: RangeQuery,
  options: QueryRangeOptions,
): Promise<SloSeries[]> {
  const url = queryRangeUrl(baseUrl);
  const where = `Prometheus at ${baseUrl}`;
  const doFetch = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let text: string;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        ...options.headers,
      },
      body: new URLSearchParams({
        query: query.query,
        start: seconds(query.start),
        end: seconds(query.end),
        step: String(query.stepSeconds),
      }).toString(),
      redirect: 'manual',
      signal,
    });
    text = await readBody(response, options.maxBytes ?? DEFAULT_MAX_BYTES, where);
  } catch (error) {
    if (error instanceof PrometheusError) throw error;
    if (signal.aborted)
      throw new PrometheusError(
        'timeout',
        `${where} did not answer within ${options.timeoutMs} ms; the query may be too heavy for the window, or Prometheus is overloaded`,
      );
    throw new PrometheusError(
      'unreachable',
      `cannot reach ${where}: ${oneLine(causeOf(error), 300)}`,
    );
  }
  const status = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location');
    throw new PrometheusError(
      'http',
      `${where} answered ${status}${location === null ? '' : ` to ${oneLine(location, 200)}`}; give the URL Prometheus itself answers at`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isRecord(body) && body['status'] === 'error') {
    const errorType = typeof body['errorType'] === 'string' ? body['errorType'] : 'error';
    const message = typeof body['error'] === 'string' ? body['error'] : 'no error text';
    throw new PrometheusError(
      'refused',
      `${where} refused the query (${status}, ${oneLine(errorType, 40)}): ${oneLine(message, 500)}`,
    );
  }
  if (!response.ok)
    throw new PrometheusError(
      'http',
      `${where} answered ${status}${text.trim() === '' ? '' : `: ${oneLine(text, 200)}`}`,
    );
  if (!isRecord(body))
    throw new PrometheusError(
      'shape',
      `${where} answered something that is not a JSON object${text.trim() === '' ? ' (an empty body)' : `: ${oneLine(text, 120)}`}; check that the URL is Prometheus's`,
    );
  if (body['status'] !== 'success')
    throw new PrometheusError(
      'shape',
      `${where} answered a body that is not a range query's: status is ${JSON.stringify(body['status'] ?? null)}, not "success"`,
    );
  return readMatrix(body, where, options.skipNonFinite === true);
}
