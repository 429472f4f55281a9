import { createHash } from 'node:crypto';
import type { ChaosRow } from '../src/chaos/summary.ts';
import type { GitHubClient } from '../src/github/client.ts';
import { parseAlertmanagerPayload } from '../src/incidents/alertmanager.ts';
import type { AlertmanagerPayload } from '../src/incidents/alertmanager.ts';
import { incidentKey } from '../src/incidents/incident-state.ts';
import { parseIncidentKey } from '../src/incidents/render.ts';
import { INCIDENT_LABEL, syncIncident } from '../src/incidents/sync.ts';
import type { IncidentSyncOptions, IncidentSyncResult } from '../src/incidents/sync.ts';

/**
 * INTEGRATOR: a stand-in for i18-chaos's src/chaos/sync.ts (`syncChaosIncidents`, over
 * `chaosIncidentPayloads` in src/chaos/incident.ts), with the same signature, because neither was
 * on main yet. Once they land, delete this file and import `syncChaosIncidents` from
 * '../src/chaos/sync.ts' in app/incident-routes.ts.
 *
 * Each experiment with a verdict goes through the incident core as a notification: `firing` for a
 * failure, `resolved` for a pass, which resolves its incident only when there is one (a passing
 * experiment is no incident).
 */

export interface ChaosIncidentSynced {
  groupKey: string;
  experiment: string;
  target: string;
  status: 'firing' | 'resolved';
  result: IncidentSyncResult;
}

export interface ChaosSyncOptions extends IncidentSyncOptions {
  /** Where the results come from, the notifications' externalURL. */
  externalURL: string;
  /** The incident core; src/incidents/sync.ts's when absent. */
  sync?: typeof syncIncident;
}

export async function syncChaosIncidents(
  client: GitHubClient,
  rows: readonly ChaosRow[],
  options: ChaosSyncOptions,
  done: ChaosIncidentSynced[] = [],
): Promise<ChaosIncidentSynced[]> {
  const { externalURL, sync = syncIncident, ...rest } = options;
  const notifications = chaosIncidentPayloads(rows, { receivedAt: rest.receivedAt, externalURL });
  const known = new Set<string>();
  if (notifications.some((n) => n.status === 'resolved'))
    for (const issue of await client.listOurIssues(INCIDENT_LABEL)) {
      const key = issue.ours ? parseIncidentKey(issue.body) : null;
      if (key !== null) known.add(key);
    }
  for (const notification of notifications) {
    if (notification.status === 'resolved' && !known.has(incidentKey(notification.groupKey)))
      continue;
    const result = await sync(client, notification, rest);
    done.push({
      groupKey: notification.groupKey,
      experiment: notification.groupLabels['experiment'] ?? '',
      target: notification.groupLabels['target'] ?? '',
      status: notification.status,
      result,
    });
  }
  return done;
}

/** One payload per experiment and target with a verdict, keyed `steward-chaos:<tool>:<experiment>:<target>`. */
function chaosIncidentPayloads(
  rows: readonly ChaosRow[],
  options: { receivedAt: string; externalURL: string },
): AlertmanagerPayload[] {
  const byKey = new Map<string, { row: ChaosRow; failed: boolean }>();
  for (const row of rows) {
    if (row.verdict === 'unknown') continue;
    const key = `steward-chaos:${row.tool}:${row.experiment}:${row.target ?? ''}`;
    const seen = byKey.get(key);
    if (!seen || (row.verdict === 'fail' && !seen.failed))
      byKey.set(key, { row, failed: row.verdict === 'fail' });
  }
  const payloads: AlertmanagerPayload[] = [];
  for (const [groupKey, { row, failed }] of byKey) {
    const target = row.target ?? '';
    const status = failed ? 'firing' : 'resolved';
    const labels = {
      alertname: 'ChaosExperimentFailed',
      experiment: row.experiment,
      target,
      severity: 'warning',
    };
    const parsed = parseAlertmanagerPayload({
      version: '4',
      groupKey,
      status,
      receiver: 'steward-chaos',
      groupLabels: { experiment: row.experiment, target },
      commonLabels: labels,
      commonAnnotations: {},
      externalURL: options.externalURL,
      alerts: [
        {
          status,
          labels,
          annotations: {
            summary: `Chaos experiment ${row.experiment} ${failed ? 'failed' : 'passed'}`,
            ...(row.failure ? { description: row.failure.slice(0, 4000) } : {}),
          },
          startsAt: options.receivedAt,
          endsAt: failed ? '0001-01-01T00:00:00Z' : options.receivedAt,
          generatorURL: '',
          fingerprint: createHash('sha256').update(groupKey).digest('hex').slice(0, 16),
        },
      ],
    });
    // A row whose names are longer than an alert may carry is left out rather than failing the rest.
    if (parsed.ok) payloads.push(parsed.payload);
  }
  return payloads;
}
