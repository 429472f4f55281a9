import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/**
 * A loopback stand-in for Prometheus's range query, for the faces' tests (the real Prometheus
 * judges in test/prometheus): every query answers one series holding `value` at every step of
 * the window asked. Closed when the test ends.
 */
export async function prometheusStub(value: number): Promise<{ url: string; queries: string[] }> {
  const queries: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      queries.push(form.get('query') ?? '');
      const start = Number(form.get('start'));
      const end = Number(form.get('end'));
      const step = Number(form.get('step'));
      const values: [number, string][] = [];
      for (let t = start; t <= end && values.length < 2000; t += step)
        values.push([t, String(value)]);
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'matrix', result: [{ metric: { job: 'checkout' }, values }] },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, queries };
}

/** A loopback port nothing listens on any more. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The chaos: section judging with one SLO, error rate at most 0.1. */
export function sloConfig(url: string): string {
  return `chaos:\n  prometheus: ${url}\n  slo:\n    - name: error rate\n      query: sum(rate(http_errors_total[1m]))\n      max: 0.1\n`;
}
