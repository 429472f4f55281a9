import { createHash } from 'node:crypto';
import type { AlertmanagerPayload } from '../incidents/alertmanager.ts';
import type { ChaosVerdict } from './fields.ts';
import type { ChaosRow } from './summary.ts';

/**
 * Chaos results as Alertmanager notifications, so the incident core (`syncIncident`) keeps one
 * incident issue per experiment and target: a failed run fires its group, a passing run resolves
 * it, and a run without a verdict says nothing. The payload is what parseAlertmanagerPayload
 * accepts (a test holds the two together); its texts stay as the objects wrote them (hostile):
 * the incident renderer makes them inert, as it does for any alert.
 */

/** The `receiver` of every chaos payload, and the prefix of its groupKey. */
export const CHAOS_RECEIVER = 'steward-chaos';

/** The `alertname` label of every chaos alert. */
export const CHAOS_ALERTNAME = 'ChaosExperimentFailed';

/** The most characters of the experiment's and the target's names in labels and the groupKey. */
const MAX_NAME = 256;
/** The most characters of the failure in the description (Alertmanager's limit is 4,096). */
const MAX_DESCRIPTION = 4000;

export interface ChaosIncidentOptions {
  /** When the results were received (ISO 8601): the alert's start, and its end once it passes. */
  receivedAt: string;
  /** Where the results come from (the workflow run's page), as Alertmanager's externalURL. */
  externalURL: string;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The group of an experiment on a target: `steward-chaos:<tool>:<experiment>:<target>`. */
export function chaosGroupKey(row: Pick<ChaosRow, 'tool' | 'experiment' | 'target'>): string {
  return `${CHAOS_RECEIVER}:${row.tool}:${clip(row.experiment, MAX_NAME)}:${clip(row.target ?? '', MAX_NAME)}`;
}

/** The alert's fingerprint: the first 16 hex digits of the SHA-256 of its groupKey. */
export function chaosFingerprint(groupKey: string): string {
  return createHash('sha256').update(groupKey, 'utf8').digest('hex').slice(0, 16);
}

function payloadOf(
  row: ChaosRow,
  verdict: Exclude<ChaosVerdict, 'unknown'>,
  options: ChaosIncidentOptions,
): AlertmanagerPayload {
  const groupKey = chaosGroupKey(row);
  const experiment = clip(row.experiment, MAX_NAME);
  const target = clip(row.target ?? '', MAX_NAME);
  const status = verdict === 'fail' ? 'firing' : 'resolved';
  const groupLabels = { alertname: CHAOS_ALERTNAME, experiment, target };
  const labels = { ...groupLabels, severity: 'warning' };
  const on = row.target === null ? '' : ` on ${target}`;
  const annotations: Record<string, string> = {
    summary: `Chaos experiment ${experiment}${on} ${verdict === 'fail' ? 'failed' : 'passed'} (${row.tool})`,
  };
  if (row.failure !== null) annotations['description'] = clip(row.failure, MAX_DESCRIPTION);
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status,
    receiver: CHAOS_RECEIVER,
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: options.externalURL,
    alerts: [
      {
        status,
        labels,
        annotations,
        // Each run starts anew: a failure after a pass fires again, never looks like a late retry.
        startsAt: options.receivedAt,
        endsAt: status === 'resolved' ? options.receivedAt : null,
        generatorURL: options.externalURL,
        fingerprint: chaosFingerprint(groupKey),
      },
    ],
  };
}

/**
 * One payload per experiment and target with a verdict: `firing` for a failure, `resolved` for a
 * pass. Rows without a verdict give none. Rows of the same experiment and target (two files of
 * one run) give one payload, firing when any of them failed, so the group does not flap.
 */
export function chaosIncidentPayloads(
  rows: readonly ChaosRow[],
  options: ChaosIncidentOptions,
): AlertmanagerPayload[] {
  const byKey = new Map<string, { row: ChaosRow; verdict: 'pass' | 'fail' }>();
  for (const row of rows) {
    if (row.verdict === 'unknown') continue;
    const key = chaosGroupKey(row);
    const seen = byKey.get(key);
    if (seen === undefined || (seen.verdict === 'pass' && row.verdict === 'fail'))
      byKey.set(key, { row, verdict: row.verdict });
  }
  return [...byKey.values()].map(({ row, verdict }) => payloadOf(row, verdict, options));
}
