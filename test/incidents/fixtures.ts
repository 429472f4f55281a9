import { parseAlertmanagerPayload } from '../../src/incidents/alertmanager.ts';
import type { AlertmanagerPayload } from '../../src/incidents/alertmanager.ts';

/** A raw alert as Alertmanager posts it, shaped on the v4 sample. */
export function rawAlert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 'firing',
    labels: { alertname: 'ProbeFailure', instance: 'https://x', severity: 'critical' },
    annotations: { description: 'down for 5m' },
    startsAt: '2023-02-06T13:08:45.828Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prom:9090/graph?g0.expr=probe_success',
    fingerprint: '1a30ba71cca2921f',
    ...overrides,
  };
}

export function rawPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    receiver: 'github',
    status: 'firing',
    version: '4',
    groupKey: '{}/{severity="critical"}:{alertname="ProbeFailure"}',
    truncatedAlerts: 0,
    groupLabels: { alertname: 'ProbeFailure' },
    commonLabels: { alertname: 'ProbeFailure', job: 'http_checks', severity: 'critical' },
    commonAnnotations: { summary: 'BlackBox Probe Failure' },
    externalURL: 'http://am.example.org:9093',
    alerts: [rawAlert()],
    ...overrides,
  };
}

/** A checked payload; throws when the raw one does not pass. */
export function payload(overrides: Record<string, unknown> = {}): AlertmanagerPayload {
  const result = parseAlertmanagerPayload(rawPayload(overrides));
  if (!result.ok) throw new Error(result.error);
  return result.payload;
}
