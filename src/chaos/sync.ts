import type { GitHubClient } from '../github/client.ts';
import { incidentKey } from '../incidents/incident-state.ts';
import { listIncidentIssues, syncIncident } from '../incidents/sync.ts';
import type { IncidentSyncOptions, IncidentSyncResult } from '../incidents/sync.ts';
import { chaosIncidentPayloads } from './incident.ts';
import type { ChaosRow } from './summary.ts';

/**
 * Chaos results recorded as incident issues, for every face that has them (the chaos-report
 * action on the default branch, the app's `POST /chaos`): each experiment with a verdict goes
 * through the incident core as a notification. A pass resolves its incident only when there is
 * one: the incident core would open an issue for a group it first hears of as resolved, and a
 * passing experiment is no incident.
 */

export interface ChaosIncidentSynced {
  groupKey: string;
  experiment: string;
  target: string;
  status: 'firing' | 'resolved';
  result: IncidentSyncResult;
}

export interface ChaosSyncOptions extends IncidentSyncOptions {
  /** Where the results come from (the run's page), the notifications' externalURL. */
  externalURL: string;
  /** The incident core; src/incidents/sync.ts's when absent. */
  sync?: typeof syncIncident;
  /** The keys of the incident issues there are; {@link incidentKeysOf} when absent. */
  incidentKeys?: (client: GitHubClient) => Promise<ReadonlySet<string>>;
}

/** The keys of the incident issues Steward's account opened, open or closed. */
export async function incidentKeysOf(client: GitHubClient): Promise<Set<string>> {
  return new Set((await listIncidentIssues(client)).map(({ key }) => key));
}

/**
 * Syncs each experiment's notification in turn and returns what each did. Each one done is pushed
 * onto `done` as it completes, so a caller that catches a failure still knows what was written.
 */
export async function syncChaosIncidents(
  client: GitHubClient,
  rows: readonly ChaosRow[],
  options: ChaosSyncOptions,
  done: ChaosIncidentSynced[] = [],
): Promise<ChaosIncidentSynced[]> {
  const { externalURL, sync = syncIncident, incidentKeys = incidentKeysOf, ...rest } = options;
  const notifications = chaosIncidentPayloads(rows, { receivedAt: rest.receivedAt, externalURL });
  const known = notifications.some((n) => n.status === 'resolved')
    ? await incidentKeys(client)
    : new Set<string>();
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
