import type { GitHubClient } from '../github/client.ts';
import { incidentKey } from '../incidents/incident-state.ts';
import { newestIncidents, syncIncident } from '../incidents/sync.ts';
import type {
  IncidentSyncOptions,
  IncidentSyncResult,
  RecordedIncident,
} from '../incidents/sync.ts';
import { currentAnomaly, type AnomalyAnalysis } from './analyse.ts';
import {
  anomalyFingerprint,
  anomalyGroupKey,
  anomalyIncidentPayload,
  recentMsFor,
} from './incident.ts';
import type { AnomalySeries } from './settings.ts';

/**
 * The watched series recorded as incident issues (the anomaly-watch action), in the shape of
 * src/chaos/sync.ts: each series goes through the incident core as a notification. A series
 * anomalous now fires its incident; a series back to normal resolves one only when Steward's own
 * account opened it and it still fires (an issue someone else opened with a copied marker is
 * never one of them, and an incident already resolved is left alone, so reruns write nothing).
 */

export interface WatchedSeries {
  series: Pick<AnomalySeries, 'name' | 'query' | 'stepSeconds' | 'counter'>;
  analysis: AnomalyAnalysis;
  /** Markdown Steward drew from the numbers (the chart), shown in the body. */
  details: string | null;
}

export interface AnomalyIncidentSynced {
  series: string;
  status: 'firing' | 'resolved';
  result: IncidentSyncResult;
}

export interface AnomalySyncOptions extends Omit<IncidentSyncOptions, 'details'> {
  /** Where the verdicts come from (the run's page), the notifications' externalURL. */
  externalURL: string;
  /** The incident core; src/incidents/sync.ts's when absent. */
  sync?: typeof syncIncident;
}

/**
 * Syncs each series' notification in turn and returns what each did. Each one done is pushed
 * onto `done` as it completes, so a caller that catches a failure still knows what was written.
 */
export async function syncAnomalyIncidents(
  client: GitHubClient,
  watched: readonly WatchedSeries[],
  options: AnomalySyncOptions,
  done: AnomalyIncidentSynced[] = [],
): Promise<AnomalyIncidentSynced[]> {
  const { externalURL, sync = syncIncident, ...rest } = options;
  const anomalous = watched.map(
    ({ series, analysis }) => currentAnomaly(analysis, recentMsFor(series.stepSeconds)) !== null,
  );
  const ours = anomalous.includes(false)
    ? await newestIncidents(client)
    : new Map<string, RecordedIncident>();
  for (const [index, { series, analysis, details }] of watched.entries()) {
    const key = incidentKey(anomalyGroupKey(series.name));
    const state = ours.get(key)?.state ?? null;
    // Back to normal: only an incident of ours that still fires has anything to resolve.
    if (!anomalous[index] && (!ours.has(key) || state?.status === 'resolved')) continue;
    const recorded = state?.alerts.find((a) => a.fingerprint === anomalyFingerprint(series.name));
    const payload = anomalyIncidentPayload({
      series,
      analysis,
      recentMs: recentMsFor(series.stepSeconds),
      receivedAt: rest.receivedAt,
      externalURL,
      recordedStart: recorded?.startsAt ?? null,
    });
    const result = await sync(client, payload, { ...rest, details });
    done.push({ series: series.name, status: payload.status, result });
  }
  return done;
}
