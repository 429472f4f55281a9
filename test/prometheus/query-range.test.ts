import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChaosObjects } from '../../src/chaos/read.ts';
import type { ChaosConfig } from '../../src/chaos/settings.ts';
import { judgeChaos, judgedChaosReport, stepFor } from '../../src/prometheus/judge.ts';
import { PrometheusError, queryRange, queryRangeUrl } from '../../src/prometheus/query-range.ts';
import { freePort } from '../support/free-port.ts';
import { startPrometheus } from '../support/prometheus.ts';
import type { OpenMetricsSeries, PrometheusServer } from '../support/prometheus.ts';

const MIN = 60_000;
/** History from three hours ago to one hour ago: backfilled blocks lie before the head's window. */
const BASE = Math.floor((Date.now() - 3 * 60 * MIN) / MIN) * MIN;
const WINDOW = { start: BASE + 30 * MIN, end: BASE + 40 * MIN };

function gauge(
  labels: Record<string, string>,
  value: (minute: number) => number,
): OpenMetricsSeries {
  const samples = [];
  for (let t = BASE; t <= BASE + 120 * MIN; t += 15_000)
    samples.push({ timeMs: t, value: value((t - BASE) / MIN) });
  return { name: 'http_latency_seconds', labels, samples };
}

const HISTORY = [
  // Breaks the SLO from minute 33 to 35 of the history: inside the experiment's window.
  gauge({ service: 'checkout' }, (m) => (m >= 33 && m < 35 ? 0.9 : 0.1)),
  // Breaks it only long before the window (minute 10 to 12): holds during the experiment.
  gauge({ service: 'cart' }, (m) => (m >= 10 && m < 12 ? 0.9 : 0.2)),
];

const iso = (ms: number) => new Date(ms).toISOString();

function podChaos(name: string, start: number, end: number | null): string {
  const events = [`{ type: Succeeded, operation: Apply, timestamp: '${iso(start)}' }`];
  if (end !== null)
    events.push(`{ type: Succeeded, operation: Recover, timestamp: '${iso(end)}' }`);
  return [
    'apiVersion: chaos-mesh.org/v1alpha1',
    'kind: PodChaos',
    `metadata: { name: ${name}, namespace: shop }`,
    'spec: { action: pod-kill, mode: one, selector: { namespaces: [shop] } }',
    'status:',
    '  conditions:',
    `    - { type: AllRecovered, status: '${end === null ? 'False' : 'True'}' }`,
    `    - { type: AllInjected, status: '${end === null ? 'True' : 'False'}' }`,
    '  experiment:',
    `    desiredPhase: ${end === null ? 'Run' : 'Stop'}`,
    '    containerRecords:',
    `      - { id: shop/${name}-0, phase: Injected, injectedCount: 1, recoveredCount: ${end === null ? 0 : 1}, events: [${events.join(', ')}] }`,
  ].join('\n');
}

function config(slo: ChaosConfig['slo'], url: string | null): ChaosConfig {
  return { workflow: 'chaos.yml', incident: true, prometheusUrl: url, slo, stepSeconds: null };
}

describe('queryRange and judgeChaos against a real Prometheus', () => {
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    prometheus = await startPrometheus(HISTORY);
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('reads the backfilled matrix over the window', async () => {
    const series = await queryRange(
      prometheus.url,
      { query: 'http_latency_seconds', ...WINDOW, stepSeconds: 60 },
      { timeoutMs: 60_000 },
    );
    expect(series.map((s) => s.labels['service']).sort()).toEqual(['cart', 'checkout']);
    const checkout = series.find((s) => s.labels['service'] === 'checkout')!;
    expect(checkout.labels['__name__']).toBe('http_latency_seconds');
    expect(checkout.samples).toHaveLength(11);
    expect(checkout.samples[0]).toEqual({ timeMs: WINDOW.start, value: 0.1 });
    expect(checkout.samples.filter((s) => s.value === 0.9).map((s) => s.timeMs)).toEqual([
      BASE + 33 * MIN,
      BASE + 34 * MIN,
    ]);
  });

  it('fails the experiment whose window holds a breach, passes the one that held', async () => {
    const read = readChaosObjects(
      [
        podChaos('checkout-kill', WINDOW.start, WINDOW.end),
        podChaos('cart-kill', WINDOW.start, WINDOW.end),
      ].join('\n---\n'),
      'chaos.yaml',
    );
    const slo = (service: string) => ({
      name: `${service}-latency`,
      query: `max(http_latency_seconds{service="${service}"})`,
      max: 0.5,
      min: null,
    });
    const checkout = await judgeChaos(read, config([slo('checkout')], prometheus.url));
    expect(checkout.get('PodChaos/shop/checkout-kill')!.verdict).toBe('fail');
    expect(checkout.get('PodChaos/shop/checkout-kill')!.reasons[0]).toMatch(
      new RegExp(
        `^SLO "checkout-latency" \\(at most 0\\.5\\): broken, \\{\\} was 0\\.9 at ${iso(BASE + 33 * MIN).replace(/\./g, '\\.')}`,
      ),
    );
    const cart = await judgeChaos(read, config([slo('cart')], prometheus.url));
    expect(cart.get('PodChaos/shop/cart-kill')!.verdict).toBe('pass');
    expect(cart.get('PodChaos/shop/cart-kill')!.reasons[0]).toMatch(/held, every value was 0\.2/);
  });

  it('writes the verdicts into the summary', async () => {
    const report = await judgedChaosReport(
      [{ source: 'chaos.yaml', text: podChaos('checkout-kill', WINDOW.start, WINDOW.end) }],
      config(
        [
          {
            name: 'p99',
            query: 'http_latency_seconds{service="checkout"}',
            max: 0.5,
            min: null,
          },
        ],
        prometheus.url,
      ),
    );
    expect(report.verdict).toBe('fail');
    expect(report.failed).toBe(1);
    expect(report.rows[0]!.failure).toMatch(/^SLO "p99" \(at most 0\.5\): broken/);
    expect(report.markdown).toContain('❌ recovered (SLO)');
  });

  it('gives no verdict for a query with no series, and the query error for a bad query', async () => {
    const read = readChaosObjects(podChaos('x', WINDOW.start, WINDOW.end), 'chaos.yaml');
    const none = await judgeChaos(
      read,
      config([{ name: 'none', query: 'no_such_metric', max: 1, min: null }], prometheus.url),
    );
    expect(none.get('PodChaos/shop/x')!.verdict).toBe('unknown');
    expect(none.get('PodChaos/shop/x')!.reasons[0]).toMatch(/returned no series/);
    const bad = await judgeChaos(
      read,
      config(
        [{ name: 'bad', query: 'rate(http_latency_seconds[', max: 1, min: null }],
        prometheus.url,
      ),
    );
    const judgement = bad.get('PodChaos/shop/x')!;
    expect(judgement.verdict).toBe('unknown');
    expect(judgement.reasons[0]).toMatch(
      new RegExp(
        `^SLO "bad" \\(at most 1\\): no verdict, the query failed: Prometheus at ${prometheus.url} refused the query \\(HTTP 400 Bad Request, bad_data\\): .*parse error`,
      ),
    );
    await expect(
      queryRange(
        prometheus.url,
        { query: 'sum(', ...WINDOW, stepSeconds: 60 },
        { timeoutMs: 60_000 },
      ),
    ).rejects.toMatchObject({ kind: 'refused' });
  });

  it('names NaN from a real Prometheus rather than passing it', async () => {
    await expect(
      queryRange(
        prometheus.url,
        { query: 'http_latency_seconds{service="cart"} / 0 * 0', ...WINDOW, stepSeconds: 300 },
        { timeoutMs: 60_000 },
      ),
    ).rejects.toThrow(/answered NaN for \{service="cart"\} at /);
  });

  it('judges nothing without a URL or SLOs, and a window with no Apply not at all', async () => {
    const read = readChaosObjects(podChaos('x', WINDOW.start, WINDOW.end), 'chaos.yaml');
    const slo = [{ name: 'a', query: 'up', max: 1, min: null }];
    expect((await judgeChaos(read, config(slo, null))).size).toBe(0);
    expect((await judgeChaos(read, config([], prometheus.url))).size).toBe(0);
    expect(
      (await judgeChaos(read, config(slo, prometheus.url), { prometheusUrl: null })).size,
    ).toBe(0);
    const running = readChaosObjects(podChaos('y', WINDOW.start, null), 'chaos.yaml');
    const ongoing = await judgeChaos(
      running,
      config(
        [{ name: 'cart', query: 'http_latency_seconds{service="cart"}', max: 0.5, min: null }],
        prometheus.url,
      ),
      { now: WINDOW.end },
    );
    expect(ongoing.get('PodChaos/shop/y')!.verdict).toBe('unknown');
    expect(ongoing.get('PodChaos/shop/y')!.reasons[0]).toMatch(/has not recovered yet/);
  });
});

describe('queryRange against a server answering garbage', () => {
  let server: Server;
  let url: string;
  let answer: (request: IncomingMessage, body: string, response: ServerResponse) => void;
  const seen: {
    method?: string;
    path?: string;
    body: string;
    headers: IncomingMessage['headers'];
  }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen.push({ method: request.method, path: request.url, body, headers: request.headers });
        answer(request, body, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/prom`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const json =
    (status: number, value: unknown) =>
    (_: IncomingMessage, __: string, response: ServerResponse) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(typeof value === 'string' ? value : JSON.stringify(value));
    };
  const matrix = (result: unknown) => ({
    status: 'success',
    data: { resultType: 'matrix', result },
  });
  const ask = () =>
    queryRange(
      url,
      { query: 'up', start: 1_000_500, end: 2_000_000, stepSeconds: 15 },
      { timeoutMs: 60_000 },
    );
  const failure = async () => {
    try {
      await ask();
    } catch (error) {
      expect(error).toBeInstanceOf(PrometheusError);
      return error as PrometheusError;
    }
    throw new Error('expected queryRange to fail');
  };

  it('posts the query as a form under the base path, with the headers given', async () => {
    answer = json(
      200,
      matrix([
        {
          metric: { job: 'a' },
          values: [
            [1001, '1e3'],
            [1016.5, '-0.5'],
          ],
        },
      ]),
    );
    const series = await queryRange(
      url,
      { query: 'up{job="a"}', start: 1_000_500, end: 2_000_000, stepSeconds: 15 },
      { timeoutMs: 60_000, headers: { authorization: 'Bearer s3cret' } },
    );
    expect(series).toEqual([
      {
        labels: { job: 'a' },
        samples: [
          { timeMs: 1_001_000, value: 1000 },
          { timeMs: 1_016_500, value: -0.5 },
        ],
      },
    ]);
    const request = seen.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/prom/api/v1/query_range');
    expect(request.headers['authorization']).toBe('Bearer s3cret');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      query: 'up{job="a"}',
      start: '1000.500',
      end: '2000.000',
      step: '15',
    });
    expect(queryRangeUrl('http://h:1/a/')).toBe('http://h:1/a/api/v1/query_range');
  });

  it("passes Prometheus's own error text on", async () => {
    answer = json(422, {
      status: 'error',
      errorType: 'execution',
      error: 'many-to-many matching not allowed',
    });
    const error = await failure();
    expect(error.kind).toBe('refused');
    expect(error.message).toBe(
      `Prometheus at ${url} refused the query (HTTP 422 Unprocessable Entity, execution): many-to-many matching not allowed`,
    );
  });

  it('says what an HTTP error without a Prometheus body was', async () => {
    answer = (_, __, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body>Bad gateway</body></html>');
    };
    const error = await failure();
    expect(error.kind).toBe('http');
    expect(error.message).toBe(
      `Prometheus at ${url} answered HTTP 502 Bad Gateway: <html><body>Bad gateway</body></html>`,
    );
  });

  it('does not follow a redirect, and says where it pointed', async () => {
    answer = (_, __, response) => {
      response.writeHead(302, { location: 'http://elsewhere.example/login' });
      response.end();
    };
    const error = await failure();
    expect(error.kind).toBe('http');
    expect(error.message).toMatch(
      /answered HTTP 302 Found to http:\/\/elsewhere\.example\/login; give the URL Prometheus itself answers at/,
    );
  });

  it('refuses a body that is not a JSON object, or not a success', async () => {
    for (const body of ['<html>login</html>', '', '[1,2]', 'null', '"success"']) {
      answer = json(200, body === '' ? '' : body);
      const error = await failure();
      expect(error.kind, body).toBe('shape');
      expect(error.message).toMatch(/answered something that is not a JSON object/);
    }
    answer = json(200, { status: 'ok', data: { resultType: 'matrix', result: [] } });
    expect((await failure()).message).toMatch(/status is "ok", not "success"/);
  });

  it('refuses a result that is not a matrix', async () => {
    for (const resultType of ['vector', 'scalar', 'string']) {
      answer = json(200, { status: 'success', data: { resultType, result: [] } });
      const error = await failure();
      expect(error.kind).toBe('shape');
      expect(error.message).toBe(
        `Prometheus at ${url} answered a "${resultType}" resultType, not a matrix; a range query always answers a matrix, so check that the URL is Prometheus's`,
      );
    }
    answer = json(200, { status: 'success' });
    expect((await failure()).message).toMatch(/data is not an object/);
    answer = json(200, { status: 'success', data: { resultType: 'matrix', result: {} } });
    expect((await failure()).message).toMatch(/data\.result is not a list/);
  });

  it('refuses samples that are not [seconds, "value"], naming where', async () => {
    const cases: [unknown, RegExp][] = [
      [
        [{ metric: {}, values: [['1', '1']] }],
        /data\.result\[0\]\.values\[0\]\[0\] is not a time in seconds/,
      ],
      [[{ metric: {}, values: [[1, 1]] }], /values\[0\]\[1\] is not a string/],
      [[{ metric: {}, values: [[1, '0x10']] }], /values\[0\]\[1\] is "0x10", not a number/],
      [[{ metric: {}, values: [[1, '']] }], /values\[0\]\[1\] is "", not a number/],
      [[{ metric: {}, values: [[1, ' 1']] }], /values\[0\]\[1\] is " 1", not a number/],
      [[{ metric: {}, values: [[1]] }], /values\[0\] is not a \[seconds, "value"\] pair/],
      [[{ metric: {}, values: [[1, '1', 2]] }], /values\[0\] is not a \[seconds, "value"\] pair/],
      [[{ metric: {}, values: {} }], /data\.result\[0\]\.values is not a list/],
      [[{ metric: { a: 1 }, values: [] }], /data\.result\[0\]\.metric\.a is not a string/],
      [[{ metric: [], values: [] }], /data\.result\[0\]\.metric is not an object/],
      [['series'], /data\.result\[0\] is not an object/],
    ];
    for (const [result, message] of cases) {
      answer = json(200, matrix(result));
      const error = await failure();
      expect(error.kind, JSON.stringify(result)).toBe('shape');
      expect(error.message).toMatch(message);
    }
  });

  it('names NaN and infinite values, and native histograms, with their series', async () => {
    for (const value of ['NaN', '+Inf', '-Inf']) {
      answer = json(
        200,
        matrix([
          {
            metric: { __name__: 'lat', pod: 'a' },
            values: [
              [1, '1'],
              [60, value],
            ],
          },
        ]),
      );
      const error = await failure();
      expect(error.kind).toBe('value');
      expect(error.message).toMatch(
        new RegExp(
          `answered ${value.replace('+', '\\+')} for lat\\{pod="a"\\} at 1970-01-01T00:01:00\\.000Z; Steward judges only numbers`,
        ),
      );
    }
    answer = json(
      200,
      matrix([{ metric: { job: 'a' }, histograms: [[1, { count: '1', sum: '1' }]] }]),
    );
    const error = await failure();
    expect(error.kind).toBe('value');
    expect(error.message).toMatch(/native histogram samples for \{job="a"\}/);
  });

  it('reads no more than the byte limit', async () => {
    answer = json(200, matrix([{ metric: { pad: 'x'.repeat(5000) }, values: [] }]));
    await expect(
      queryRange(
        url,
        { query: 'up', start: 0, end: 1000, stepSeconds: 1 },
        { timeoutMs: 60_000, maxBytes: 1000 },
      ),
    ).rejects.toMatchObject({ kind: 'too-large' });
    answer = (_, __, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"status":"success","data":{"resultType":"matrix","result":[');
      response.end(`${'{"metric":{},"values":[]},'.repeat(100)}{"metric":{},"values":[]}]}}`);
    };
    await expect(
      queryRange(
        url,
        { query: 'up', start: 0, end: 1000, stepSeconds: 1 },
        { timeoutMs: 60_000, maxBytes: 1000 },
      ),
    ).rejects.toThrow(/more than the 1000 bytes Steward reads/);
  });

  it('gives up on a server that never answers, saying so', async () => {
    answer = () => {
      // never answers
    };
    await expect(
      queryRange(url, { query: 'up', start: 0, end: 1000, stepSeconds: 1 }, { timeoutMs: 300 }),
    ).rejects.toMatchObject({
      kind: 'timeout',
      message: `Prometheus at ${url} did not answer within 300 ms; the query may be too heavy for the window, or Prometheus is overloaded`,
    });
  });

  it('says when nothing listens at the URL', async () => {
    const port = await freePort();
    const closed = `http://127.0.0.1:${port}`;
    const error = await queryRange(
      closed,
      { query: 'up', start: 0, end: 1000, stepSeconds: 1 },
      { timeoutMs: 60_000 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unreachable' });
    expect((error as Error).message).toMatch(
      new RegExp(`^cannot reach Prometheus at ${closed}: .*ECONNREFUSED`),
    );
  });

  it("leaves an experiment without a verdict when Prometheus's answer is garbage", async () => {
    answer = json(200, 'garbage');
    const read = readChaosObjects(
      [
        'apiVersion: chaos-mesh.org/v1alpha1',
        'kind: PodChaos',
        'metadata: { name: x }',
        'status: { experiment: { desiredPhase: Stop, containerRecords: [{ id: a, injectedCount: 1, recoveredCount: 1, events: [{ type: Succeeded, operation: Apply, timestamp: "2025-01-01T00:00:00Z" }, { type: Succeeded, operation: Recover, timestamp: "2025-01-01T00:05:00Z" }] }] } }',
      ].join('\n'),
      'x.yaml',
    );
    const judgements = await judgeChaos(
      read,
      config([{ name: 'a', query: 'up', max: 1, min: null }], url),
    );
    const judgement = judgements.get('PodChaos//x')!;
    expect(judgement.verdict).toBe('unknown');
    expect(judgement.reasons[0]).toMatch(/the query failed: .*not a JSON object/);
  });
});

describe('stepFor', () => {
  it('takes the configured step, else about 500 points and at least a second', () => {
    expect(stepFor({ start: 0, end: 3_600_000 }, 30)).toBe(30);
    expect(stepFor({ start: 0, end: 3_600_000 }, null)).toBe(8);
    expect(stepFor({ start: 0, end: 60_000 }, null)).toBe(1);
    expect(stepFor({ start: 0, end: 0 }, null)).toBe(1);
  });
});
