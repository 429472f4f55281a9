import { createHash } from 'node:crypto';
import type { ChaosRow } from '../src/chaos/summary.ts';
import { parseAlertmanagerPayload } from '../src/incidents/alertmanager.ts';
import type { AlertmanagerPayload } from '../src/incidents/alertmanager.ts';

/**
 * INTEGRATOR: a stand-in for i18-chaos's `chaosIncidentPayloads` (src/chaos/incident.ts), written
 * to R18's contract because that module was not on main yet. Once it lands, make this module
 * re-export it (`export { chaosIncidentPayloads } from '../src/chaos/incident.ts'`), or delete it
 * and change the one import in app/incident-routes.ts.
 *
 * One payload per row with a verdict: `firing` for a failed experiment, `resolved` for a passed
 * one, keyed `steward-chaos:<tool>:<experiment>:<target>`.
 */
export function chaosIncidentPayloads(
  rows: readonly ChaosRow[],
  options: { receivedAt: string; externalURL: string },
): AlertmanagerPayload[] {
  const payloads: AlertmanagerPayload[] = [];
  for (const row of rows) {
    if (row.verdict === 'unknown') continue;
    const target = row.target ?? '';
    const groupKey = `steward-chaos:${row.tool}:${row.experiment}:${target}`;
    const firing = row.verdict === 'fail';
    const labels = {
      alertname: 'ChaosExperimentFailed',
      experiment: row.experiment,
      target,
      severity: 'warning',
    };
    const raw = {
      version: '4',
      groupKey,
      status: firing ? 'firing' : 'resolved',
      receiver: 'steward-chaos',
      groupLabels: { experiment: row.experiment, target },
      commonLabels: labels,
      commonAnnotations: {},
      externalURL: options.externalURL,
      alerts: [
        {
          status: firing ? 'firing' : 'resolved',
          labels,
          annotations: {
            summary: `Chaos experiment ${row.experiment} ${firing ? 'failed' : 'passed'}`,
            ...(row.failure ? { description: row.failure } : {}),
          },
          startsAt: options.receivedAt,
          endsAt: firing ? '0001-01-01T00:00:00Z' : options.receivedAt,
          generatorURL: '',
          fingerprint: createHash('sha256').update(groupKey).digest('hex').slice(0, 16),
        },
      ],
    };
    const parsed = parseAlertmanagerPayload(raw);
    // A row's text longer than an alert may carry is left out rather than failing the rest.
    if (parsed.ok) payloads.push(parsed.payload);
  }
  return payloads;
}
