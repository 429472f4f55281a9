import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAlertmanagerPayload } from '../../src/incidents/alertmanager.ts';
import type { AlertmanagerPayload } from '../../src/incidents/alertmanager.ts';
import { startAlertmanager, startWebhookRecorder } from '../support/alertmanager.ts';
import type {
  Alertmanager,
  PostableAlert,
  RecordedNotification,
  WebhookRecorder,
} from '../support/alertmanager.ts';

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) on loopback. First what it posts to a
 * webhook receiver, recorded as it arrives: this pins our payload parser to the real thing.
 */

const TOKEN = 'alertmanager-test-token';

function parsed(notification: RecordedNotification): AlertmanagerPayload {
  const result = parseAlertmanagerPayload(JSON.parse(notification.body) as unknown);
  if (!result.ok) throw new Error(`${result.error} in ${notification.body}`);
  return result.payload;
}

function statusOf(n: RecordedNotification): string | undefined {
  return (JSON.parse(n.body) as { status?: string }).status;
}

describe('what a real Alertmanager posts to its webhook receiver', () => {
  let recorder: WebhookRecorder;
  let alertmanager: Alertmanager;

  beforeAll(async () => {
    recorder = await startWebhookRecorder();
    alertmanager = await startAlertmanager({ url: recorder.url, token: TOKEN });
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await recorder?.close();
  });

  it('carries the bearer token and parses as payload version 4, firing then resolved', async () => {
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const alerts: PostableAlert[] = ['db-1', 'db-2'].map((instance) => ({
      labels: {
        alertname: 'DatabaseDown',
        severity: 'critical',
        instance,
        steward_repo: 'acme/widgets',
      },
      annotations: {
        summary: `${instance} is down`,
        runbook_url: 'https://runbooks.example/db-down',
        description: 'Hostile text stays text: @mona <!-- steward:incident key=x -->',
      },
      startsAt,
      generatorURL: `http://prometheus.example/graph?g0.expr=up%7Binstance%3D%22${instance}%22%7D`,
    }));
    await alertmanager.postAlerts(alerts);

    const firing = await recorder.waitFor((n) => statusOf(n) === 'firing', 'that fires');
    expect(firing.method).toBe('POST');
    expect(firing.path).toBe('/alertmanager');
    expect(firing.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(firing.headers['content-type']).toMatch(/^application\/json/);
    const payload = parsed(firing);
    expect(payload.version).toBe('4');
    expect(payload.receiver).toBe('steward');
    expect(payload.groupKey).toBe('{}:{alertname="DatabaseDown"}');
    expect(payload.groupLabels).toEqual({ alertname: 'DatabaseDown' });
    expect(payload.commonLabels).toEqual({
      alertname: 'DatabaseDown',
      severity: 'critical',
      steward_repo: 'acme/widgets',
    });
    expect(payload.externalURL).toBe(alertmanager.url);
    expect(payload.truncatedAlerts).toBe(0);
    expect(payload.alerts.map((a) => a.labels['instance']).sort()).toEqual(['db-1', 'db-2']);
    for (const alert of payload.alerts) {
      expect(alert.status).toBe('firing');
      expect(alert.startsAt).toBe(startsAt);
      // Alertmanager writes Go's zero time for "no end", which the parser reads as null.
      expect(alert.endsAt).toBeNull();
      expect(alert.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(alert.generatorURL).toContain('prometheus.example');
      expect(alert.annotations['runbook_url']).toBe('https://runbooks.example/db-down');
    }

    await alertmanager.resolve(alerts);
    const resolved = await recorder.waitFor((n) => statusOf(n) === 'resolved', 'that resolves');
    expect(resolved.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    const after = parsed(resolved);
    expect(after.groupKey).toBe(payload.groupKey);
    expect(after.alerts.map((a) => a.fingerprint).sort()).toEqual(
      payload.alerts.map((a) => a.fingerprint).sort(),
    );
    for (const alert of after.alerts) {
      expect(alert.status).toBe('resolved');
      expect(alert.endsAt).not.toBeNull();
      expect(Date.parse(alert.endsAt!)).toBeGreaterThan(Date.parse(startsAt));
    }
  });

  it('counts what max_alerts cut as truncatedAlerts, which the parser reads', async () => {
    await alertmanager.reconfigure({ url: recorder.url, token: TOKEN, maxAlerts: 2 });
    const alerts: PostableAlert[] = ['a', 'b', 'c', 'd', 'e'].map((instance) => ({
      labels: { alertname: 'ManyDown', instance },
    }));
    await alertmanager.postAlerts(alerts);
    const firing = await recorder.waitFor(
      (n) => n.body.includes('ManyDown') && statusOf(n) === 'firing',
      'for the large group',
    );
    const payload = parsed(firing);
    expect(payload.alerts).toHaveLength(2);
    expect(payload.truncatedAlerts).toBe(3);
  });
});
