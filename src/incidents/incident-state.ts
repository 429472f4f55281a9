import { createHash } from 'node:crypto';
import type { AlertmanagerAlert, AlertmanagerPayload } from './alertmanager.ts';

/**
 * The recorded state of one incident (one Alertmanager group), and how a notification moves it.
 * Alertmanager retries, HA pairs deliver twice, and a retry can arrive after a later notification:
 * so `applyNotification` is a function of the recorded state and the payload alone (the time of
 * receipt only stamps what changed), and a notification already applied changes nothing.
 */

export type IncidentStatus = 'firing' | 'resolved';

export type TransitionKind = 'firing' | 'resolved' | 'firing-again' | 'alert-joined' | 'alert-left';

export interface Transition {
  kind: TransitionKind;
  /** When Steward received the notification that made it. */
  at: string;
  /** The alerts it concerns: those joining or leaving, or those firing for `firing`. */
  fingerprints: string[];
}

export type TimelineEntry = Transition;

export interface AlertRecord {
  fingerprint: string;
  status: IncidentStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
  generatorURL: string;
}

export interface IncidentState {
  version: 1;
  /** `incidentKey(groupKey)`. */
  key: string;
  groupKey: string;
  /**
   * 1 for the group's first incident; a group that fires again after the reopen window opens a new
   * incident with the next number, linking the one before.
   */
  sequence: number;
  status: IncidentStatus;
  /** The `severity` label the group's alerts share, else the highest any alert has. */
  severity: string | null;
  groupLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  /** By fingerprint, sorted. */
  alerts: AlertRecord[];
  /** Alerts Alertmanager left out of the last notification (its `max_alerts`). */
  truncatedAlerts: number;
  /** When the first notification of this incident arrived. */
  firstNotifiedAt: string;
  /** When the group last resolved; null while it fires. */
  resolvedAt: string | null;
  /** The incident before, for a group that fired again after the window. */
  previous: { sequence: number; firstNotifiedAt: string; resolvedAt: string | null } | null;
  timeline: TimelineEntry[];
  /** Timeline entries dropped to keep the state small (the oldest after the first). */
  timelineDropped: number;
}

export type NotificationAction = 'create' | 'update' | 'reopen' | 'new-linked' | 'none';

export interface ApplyResult {
  state: IncidentState;
  transitions: Transition[];
  /**
   * What the issue needs: `create` a first issue; `update` its body (and a comment per transition);
   * `reopen` the closed one; `new-linked` a new issue linking the old; `none` nothing at all.
   */
  action: NotificationAction;
}

export interface ApplyOptions {
  /** How long after resolving a group that fires again reopens its issue (default 24 h). */
  reopenWindowMs?: number;
}

export const DEFAULT_REOPEN_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Timeline entries kept in the state. */
export const MAX_TIMELINE = 100;
/** Alerts kept in the state: beyond, the resolved ones that ended first are forgotten. */
export const MAX_TRACKED_ALERTS = 200;

/** The identity of an alert group: the SHA-256 of its `groupKey`, in hex. */
export function incidentKey(groupKey: string): string {
  return createHash('sha256').update(groupKey, 'utf8').digest('hex');
}

const SEVERITY_ORDER = [
  'critical',
  'error',
  'high',
  'major',
  'warning',
  'medium',
  'minor',
  'low',
  'info',
  'none',
];

function severityRank(severity: string): number {
  const index = SEVERITY_ORDER.indexOf(severity.toLowerCase());
  return index === -1 ? SEVERITY_ORDER.length : index;
}

function severityOf(payload: AlertmanagerPayload, alerts: readonly AlertRecord[]): string | null {
  const common = payload.commonLabels['severity'] ?? payload.groupLabels['severity'];
  if (common !== undefined && common !== '') return common;
  const all = alerts.map((a) => a.labels['severity']).filter((s): s is string => !!s);
  if (all.length === 0) return null;
  return all.reduce((best, s) => (severityRank(s) < severityRank(best) ? s : best));
}

function record(alert: AlertmanagerAlert): AlertRecord {
  return {
    fingerprint: alert.fingerprint,
    status: alert.status,
    labels: sortedMap(alert.labels),
    annotations: sortedMap(alert.annotations),
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    generatorURL: alert.generatorURL,
  };
}

function sortedMap(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(map).sort()) out[key] = map[key]!;
  return out;
}

function byFingerprint(a: { fingerprint: string }, b: { fingerprint: string }): number {
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}

function firingOf(alerts: readonly AlertRecord[]): string[] {
  return alerts.filter((a) => a.status === 'firing').map((a) => a.fingerprint);
}

/** Keeps the first entry and the newest ones. */
function boundTimeline(state: IncidentState): IncidentState {
  const excess = state.timeline.length - MAX_TIMELINE;
  if (excess <= 0) return state;
  return {
    ...state,
    timeline: [state.timeline[0]!, ...state.timeline.slice(excess + 1)],
    timelineDropped: state.timelineDropped + excess,
  };
}

/**
 * At most MAX_TRACKED_ALERTS alerts, forgetting first what the last payload did not carry, then
 * what resolved (the earliest ended first), then by fingerprint: the same inputs keep the same ones.
 */
function boundAlerts(alerts: AlertRecord[], inPayload: ReadonlySet<string>): AlertRecord[] {
  if (alerts.length <= MAX_TRACKED_ALERTS) return alerts;
  const rank = (a: AlertRecord) =>
    (inPayload.has(a.fingerprint) ? 0 : 2) + (a.status === 'firing' ? 0 : 1);
  const keep = new Set(
    [...alerts]
      .sort(
        (a, b) =>
          rank(a) - rank(b) ||
          (b.endsAt ?? b.startsAt).localeCompare(a.endsAt ?? a.startsAt) ||
          byFingerprint(a, b),
      )
      .slice(0, MAX_TRACKED_ALERTS)
      .map((a) => a.fingerprint),
  );
  return alerts.filter((a) => keep.has(a.fingerprint));
}

/**
 * The payload cut to the alerts the state can track, the rest counted as truncated (as
 * Alertmanager's own `max_alerts` does): alerts already tracked first, then firing ones, then by
 * fingerprint, so a redelivery keeps the same ones and none of them joins twice.
 */
function trackable(payload: AlertmanagerPayload, state: IncidentState | null): AlertmanagerPayload {
  if (payload.alerts.length <= MAX_TRACKED_ALERTS) return payload;
  const tracked = new Set(state?.alerts.map((a) => a.fingerprint) ?? []);
  const rank = (a: AlertmanagerAlert) =>
    (tracked.has(a.fingerprint) ? 0 : 2) + (a.status === 'firing' ? 0 : 1);
  const alerts = [...payload.alerts]
    .sort((a, b) => rank(a) - rank(b) || byFingerprint(a, b))
    .slice(0, MAX_TRACKED_ALERTS);
  return {
    ...payload,
    alerts,
    truncatedAlerts: payload.truncatedAlerts + payload.alerts.length - alerts.length,
  };
}

function freshState(
  payload: AlertmanagerPayload,
  receivedAt: string,
  sequence: number,
  previous: IncidentState['previous'],
): ApplyResult {
  const alerts = payload.alerts.map(record).sort(byFingerprint);
  const resolved = payload.status === 'resolved';
  const transition: Transition = {
    kind: resolved ? 'resolved' : 'firing',
    at: receivedAt,
    fingerprints: resolved ? [] : firingOf(alerts),
  };
  const state: IncidentState = {
    version: 1,
    key: incidentKey(payload.groupKey),
    groupKey: payload.groupKey,
    sequence,
    status: payload.status,
    severity: severityOf(payload, alerts),
    groupLabels: sortedMap(payload.groupLabels),
    commonAnnotations: sortedMap(payload.commonAnnotations),
    externalURL: payload.externalURL,
    alerts,
    truncatedAlerts: payload.truncatedAlerts,
    firstNotifiedAt: receivedAt,
    resolvedAt: resolved ? receivedAt : null,
    previous,
    timeline: [transition],
    timelineDropped: 0,
  };
  return { state, transitions: [transition], action: previous === null ? 'create' : 'new-linked' };
}

/**
 * A retry of an older notification arriving late: an alert older than the one recorded under its
 * fingerprint (Alertmanager never moves a live alert's start back), or a firing alert whose
 * recorded twin already resolved with the same start (an alert that fires again starts anew).
 */
function isStale(incoming: AlertmanagerAlert, recorded: AlertRecord | undefined): boolean {
  if (recorded === undefined) return false;
  return (
    incoming.startsAt < recorded.startsAt ||
    (incoming.status === 'firing' &&
      recorded.status === 'resolved' &&
      recorded.startsAt === incoming.startsAt)
  );
}

/**
 * The alerts after a notification, and which joined or left. An alert missing from the payload
 * left the group (Alertmanager stops sending a resolved alert, or never sends it without
 * `send_resolved`), unless Alertmanager truncated the list. `stale` when every alert of the
 * payload is a late retry: the notification is older than the state and changes nothing.
 */
function mergeAlerts(
  recorded: readonly AlertRecord[],
  payload: AlertmanagerPayload,
): { alerts: AlertRecord[]; joined: string[]; left: string[]; stale: boolean } {
  let staleAlerts = 0;
  const byFp = new Map(recorded.map((a) => [a.fingerprint, a]));
  const joined: string[] = [];
  const left: string[] = [];
  const seen = new Set<string>();
  for (const incoming of payload.alerts) {
    seen.add(incoming.fingerprint);
    const before = byFp.get(incoming.fingerprint);
    if (isStale(incoming, before)) {
      staleAlerts++;
      continue;
    }
    const after = record(incoming);
    if (before?.status === 'resolved' && after.endsAt === null && incoming.status === 'resolved')
      after.endsAt = before.endsAt;
    if (after.status === 'firing' && before?.status !== 'firing') joined.push(after.fingerprint);
    if (after.status === 'resolved' && before?.status === 'firing') left.push(after.fingerprint);
    byFp.set(after.fingerprint, after);
  }
  const stale = staleAlerts > 0 && staleAlerts === payload.alerts.length;
  // A resolved group has every alert resolved, those Alertmanager left out included.
  if (!stale && (payload.truncatedAlerts === 0 || payload.status === 'resolved')) {
    for (const [fp, alert] of byFp) {
      if (seen.has(fp) || alert.status !== 'firing') continue;
      byFp.set(fp, { ...alert, status: 'resolved' });
      left.push(fp);
    }
  }
  return {
    stale,
    alerts: boundAlerts([...byFp.values()].sort(byFingerprint), seen),
    joined: joined.sort(),
    left: left.sort(),
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Moves an incident's recorded state by one notification received at `receivedAt` (an ISO time).
 * The same notification applied twice yields no transition and `none` the second time.
 */
export function applyNotification(
  state: IncidentState | null,
  received: AlertmanagerPayload,
  receivedAt: string,
  options: ApplyOptions = {},
): ApplyResult {
  const window = options.reopenWindowMs ?? DEFAULT_REOPEN_WINDOW_MS;
  const payload = trackable(received, state);
  if (state === null) return freshState(payload, receivedAt, 1, null);

  const merged = mergeAlerts(state.alerts, payload);
  if (merged.stale) return { state, transitions: [], action: 'none' };
  const firingNow = firingOf(merged.alerts);
  // The group fires when Alertmanager says so and an alert we did not already see resolve fires.
  const fires = payload.status === 'firing' && firingNow.length > 0;

  if (state.status === 'resolved' && fires) {
    if (merged.joined.length === 0) return { state, transitions: [], action: 'none' };
    const resolvedAt = Date.parse(state.resolvedAt ?? state.firstNotifiedAt);
    if (Date.parse(receivedAt) - resolvedAt > window) {
      return freshState(payload, receivedAt, state.sequence + 1, {
        sequence: state.sequence,
        firstNotifiedAt: state.firstNotifiedAt,
        resolvedAt: state.resolvedAt,
      });
    }
  }

  const transitions: Transition[] = [];
  let status = state.status;
  let resolvedAt = state.resolvedAt;
  let action: NotificationAction = 'update';
  if (state.status === 'resolved' && fires) {
    transitions.push({ kind: 'firing-again', at: receivedAt, fingerprints: firingNow });
    status = 'firing';
    resolvedAt = null;
    action = 'reopen';
  } else if (state.status === 'firing' && !fires) {
    transitions.push({ kind: 'resolved', at: receivedAt, fingerprints: [] });
    status = 'resolved';
    resolvedAt = receivedAt;
  } else if (state.status === 'firing') {
    for (const fp of merged.joined)
      transitions.push({ kind: 'alert-joined', at: receivedAt, fingerprints: [fp] });
    for (const fp of merged.left)
      transitions.push({ kind: 'alert-left', at: receivedAt, fingerprints: [fp] });
  }

  const next: IncidentState = boundTimeline({
    ...state,
    status,
    resolvedAt,
    severity: severityOf(payload, merged.alerts) ?? state.severity,
    groupLabels: sortedMap(payload.groupLabels),
    commonAnnotations: sortedMap(payload.commonAnnotations),
    externalURL: payload.externalURL,
    alerts: merged.alerts,
    truncatedAlerts: payload.truncatedAlerts,
    timeline: [...state.timeline, ...transitions],
  });
  if (transitions.length === 0 && sameJson(next, state))
    return { state, transitions: [], action: 'none' };
  return { state: next, transitions, action };
}
