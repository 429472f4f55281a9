import type { AppProcess } from './app-process.ts';

/** Requests to the app's incident routes, as the tests of several app processes send them. */

/** An Alertmanager v4 notification for one firing alert, as its webhook receiver posts it. */
export function notification(repo: string | null = 'acme/widgets', group = 'HighLatency') {
  const routing = repo === null ? {} : { steward_repo: repo };
  return {
    version: '4',
    groupKey: `{}:{alertname="${group}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'steward',
    groupLabels: { alertname: group },
    commonLabels: { alertname: group, severity: 'critical', ...routing },
    commonAnnotations: { summary: 'p99 latency above 1s' },
    externalURL: 'http://alertmanager.example:9093',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: group, severity: 'critical', instance: 'web-1', ...routing },
        annotations: { summary: 'p99 latency above 1s' },
        startsAt: '2026-12-04T18:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example:9090/graph',
        fingerprint: 'a1b2c3d4e5f60718',
      },
    ],
  };
}

/** A POST to the app; `headers` carry the bearer token the test means to send. */
export async function postIncident(
  app: AppProcess,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}
