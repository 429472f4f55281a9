import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusError } from '../../src/prometheus/query-range.ts';
import { MAX_POINTS_PER_QUERY, rangeChunks, readSeries } from '../../src/prometheus/series.ts';

/**
 * A loopback stand-in of Prometheus's query_range that answers every evaluation time of the
 * request (as Prometheus does: start, start + step, … ≤ end) and refuses more than 11,000 points
 * per series, as Prometheus does.
 */
interface Seen {
  start: number;
  end: number;
  step: number;
}

let server: Server;
let url = '';
const seen: Seen[] = [];
let series: Array<Record<string, string>> = [{ __name__: 'disk_used', instance: 'db' }];
let valueAt = (t: number): string => String(t % 1000);

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      const start = Number(form.get('start'));
      const end = Number(form.get('end'));
      const step = Number(form.get('step'));
      seen.push({ start, end, step });
      response.setHeader('content-type', 'application/json');
      if ((end - start) / step + 1 > 11_000) {
        response.statusCode = 400;
        response.end(
          JSON.stringify({
            status: 'error',
            errorType: 'bad_data',
            error: 'exceeded maximum resolution of 11,000 points per timeseries',
          }),
        );
        return;
      }
      const values: Array<[number, string]> = [];
      for (let t = start; t <= end + 1e-9; t += step) values.push([t, valueAt(t)]);
      response.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'matrix', result: series.map((metric) => ({ metric, values })) },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const START = Date.UTC(2026, 10, 1);

describe('readSeries', () => {
  it('reads a range longer than one query allows in chunks, every point once and in order', async () => {
    seen.length = 0;
    series = [{ __name__: 'disk_used', instance: 'db' }];
    const end = START + 30 * 86_400_000;
    const points = await readSeries(
      url,
      { query: 'disk_used', start: START, end, stepSeconds: 60 },
      { timeoutMs: 10_000 },
    );
    expect(points).toHaveLength(30 * 1440 + 1);
    expect(seen.length).toBe(Math.ceil((30 * 1440 + 1) / MAX_POINTS_PER_QUERY));
    expect(points[0]!.t).toBe(START);
    expect(points.at(-1)!.t).toBe(end);
    for (let i = 1; i < points.length; i++) expect(points[i]!.t - points[i - 1]!.t).toBe(60_000);
  });

  it('chunks cover the range without overlap or gap', () => {
    const chunks = rangeChunks({ query: 'x', start: 0, end: 25_000_000, stepSeconds: 1 });
    expect(chunks.map((c) => [c.start, c.end])).toEqual([
      [0, 9_999_000],
      [10_000_000, 19_999_000],
      [20_000_000, 25_000_000],
    ]);
  });

  it('refuses a query answering two series, naming both and what to do', async () => {
    series = [
      { __name__: 'disk_used', instance: 'db-1' },
      { __name__: 'disk_used', instance: 'db-2' },
    ];
    const error = await readSeries(
      url,
      { query: 'disk_used', start: START, end: START + 3_600_000, stepSeconds: 60 },
      { timeoutMs: 10_000 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect((error as PrometheusError).kind).toBe('many');
    expect((error as PrometheusError).message).toMatch(
      /^the query "disk_used" answers more than one series \(disk_used\{instance="db-1"\} and disk_used\{instance="db-2"\}\); aggregate it to one/,
    );
  });

  it('leaves NaN and infinite samples out as gaps (a rate over no traffic)', async () => {
    series = [{ __name__: 'error_ratio' }];
    valueAt = (t) => (t % 300 === 0 ? 'NaN' : t % 420 === 0 ? '+Inf' : '0.5');
    try {
      const points = await readSeries(
        url,
        { query: 'error_ratio', start: START, end: START + 3_600_000, stepSeconds: 60 },
        { timeoutMs: 10_000 },
      );
      expect(points.length).toBeGreaterThan(40);
      expect(points.length).toBeLessThan(61);
      expect(points.every((p) => p.v === 0.5)).toBe(true);
    } finally {
      valueAt = (t) => String(t % 1000);
    }
  });

  it('says when the query answers no data', async () => {
    series = [];
    const error = await readSeries(
      url,
      { query: 'nothing_here', start: START, end: START + 3_600_000, stepSeconds: 60 },
      { timeoutMs: 10_000 },
    ).catch((e: unknown) => e);
    expect((error as PrometheusError).kind).toBe('empty');
    expect((error as PrometheusError).message).toContain(
      'the query "nothing_here" answers no data from 2026-11-01T00:00:00.000Z',
    );
  });
});
