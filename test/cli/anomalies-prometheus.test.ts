import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { startPrometheus } from '../support/prometheus.ts';
import type { PrometheusServer } from '../support/prometheus.ts';
import { CHECKOUT, MIN, MINUTES, SHIFT_AT, queueDepths, steward } from './anomalies-fixtures.ts';

/**
 * `steward anomalies --prometheus URL --query PROMQL` against Debian's prometheus on loopback,
 * with history backfilled by promtool (test/support/prometheus.ts): a served series with an
 * injected level shift, and the ways a query goes wrong. The child runs asynchronously, so a stub
 * server in this process can answer it (the bearer token test).
 */

describe('steward anomalies --prometheus against a real Prometheus', () => {
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    prometheus = await startPrometheus(queueDepths());
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('finds the injected level shift and its window', async () => {
    const { code, stdout, stderr } = await steward([
      '--prometheus',
      prometheus.url,
      '--query',
      CHECKOUT,
      '--range',
      '8h',
      '--step',
      '1m',
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as {
      detector: string;
      points: { timestamp: string; value: number }[];
      anomalies: { start: string; end: string; peakScore: number }[];
    };
    expect(json.detector).toBe('default');
    // Every minute of the history (and one more: the range is closed at both ends before 3.0).
    expect(json.points.length).toBeGreaterThanOrEqual(MINUTES);
    expect(json.points.length).toBeLessThanOrEqual(MINUTES + 1);
    expect(json.points[0]!.value).toBeGreaterThan(18);
    expect(json.anomalies).toHaveLength(1);
    const start = Date.parse(json.anomalies[0]!.start);
    expect(start).toBeGreaterThanOrEqual(SHIFT_AT);
    expect(start).toBeLessThanOrEqual(SHIFT_AT + 3 * MIN);
    expect(Date.parse(json.anomalies[0]!.end)).toBeGreaterThanOrEqual(start);
  }, 60_000);

  it('says so in text, with the query as the series’ name', async () => {
    const { code, stdout } = await steward([
      '--prometheus',
      prometheus.url,
      '--query',
      CHECKOUT,
      '--range',
      '8h',
      '--step',
      '1m',
    ]);
    expect(code).toBe(1);
    expect(stdout.startsWith(`${CHECKOUT}: 36`)).toBe(true);
    expect(stdout).toContain('\n✗ 1 anomaly\n');
    expect(stdout).toMatch(/value (?:39|4\d)(?:\.\d+)?, normal ~(?:19|20)(?:\.\d+)? \(\+\d+%\)/);
  }, 60_000);

  it('exits 0 on the series without a shift', async () => {
    const { code, stdout, stderr } = await steward([
      '--prometheus',
      prometheus.url,
      '--query',
      'last_over_time(queue_depth{service="cart"}[1m])',
      '--range',
      '8h',
      '--step',
      '1m',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('✓ No anomaly');
  }, 60_000);

  it('names an empty result, a PromQL error and a query answering two series; exit 2', async () => {
    const base = ['--prometheus', prometheus.url, '--range', '8h', '--step', '1m'];
    const empty = await steward([...base, '--query', 'no_such_metric']);
    expect(empty.code).toBe(2);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(
      /^steward anomalies: the query "no_such_metric" answers no data from \S+Z to \S+Z; check the metric's name and labels in Prometheus \(NaN and Inf samples, as a rate over no traffic gives, count as no data\)\n$/,
    );

    const refused = await steward([...base, '--query', 'sum(queue_depth']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^steward anomalies: Prometheus at ${prometheus.url} refused the query \\(HTTP 400 Bad Request, bad_data\\): .*parse error.*\\n$`,
      ),
    );

    const many = await steward([...base, '--query', 'queue_depth']);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain(
      'steward anomalies: the query "queue_depth" answers more than one series',
    );
    expect(many.stderr).toContain('service="cart"');
    expect(many.stderr).toContain('service="checkout"');
    expect(many.stderr).toContain('aggregate it to one');
  }, 60_000);

  it('names a Prometheus nobody listens at', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await steward([
      '--prometheus',
      `http://127.0.0.1:${port}`,
      '--query',
      'up',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(
        `^steward anomalies: cannot reach Prometheus at http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`,
      ),
    );
  }, 60_000);
});

describe('steward anomalies --prometheus: the bearer token', () => {
  let server: Server;
  let url: string;
  const seen: (string | undefined)[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      const now = Math.floor(Date.now() / 1000);
      const values = Array.from({ length: 100 }, (_, i) => [now - (100 - i) * 60, String(i % 7)]);
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'matrix', result: [{ metric: { __name__: 'up' }, values }] },
        }),
      );
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends PROMETHEUS_TOKEN, or the variable --token-env names, and never prints it', async () => {
    seen.length = 0;
    const byDefault = await steward(['--prometheus', url, '--query', 'up', '--range', '2h'], {
      PROMETHEUS_TOKEN: 'default-token-123',
    });
    expect(byDefault).toMatchObject({ code: 0, stderr: '' });
    expect(seen).toEqual(['Bearer default-token-123']);

    seen.length = 0;
    const named = await steward(
      ['--prometheus', url, '--query', 'up', '--range', '2h', '--token-env', 'MY_PROM_TOKEN'],
      { PROMETHEUS_TOKEN: 'default-token-123', MY_PROM_TOKEN: 'named-token-456' },
    );
    expect(named).toMatchObject({ code: 0, stderr: '' });
    expect(seen).toEqual(['Bearer named-token-456']);
    for (const output of [byDefault, named])
      expect(`${output.stdout}${output.stderr}`).not.toMatch(/token-\d{3}/);

    seen.length = 0;
    const none = await steward(['--prometheus', url, '--query', 'up', '--range', '2h']);
    expect(none).toMatchObject({ code: 0, stderr: '' });
    expect(seen).toEqual([undefined]);
  }, 60_000);
});
