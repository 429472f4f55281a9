import type { AlertmanagerPayload } from '../incidents/alertmanager.ts';
import { incidentKey } from '../incidents/incident-state.ts';
import { formatSloValue } from '../chaos/slo.ts';
import { oneLine } from '../markdown/one-line.ts';
import { currentAnomaly, departureOf, type AnomalyAnalysis } from './analyse.ts';
import type { AnomalySeries } from './settings.ts';
import { counterRates } from './rate.ts';
import type { AnomalyWindow } from './types.ts';

/**
 * An anomaly watch's verdict on one series as an Alertmanager notification, so the incident core
 * (`syncIncident`) keeps one incident issue per series: firing while the series' last anomalous
 * window is still going on, resolved once it is not. The alert starts where the window starts, so
 * every rerun that rereads the same history sends the same notification and changes nothing.
 */

/** The `receiver` of every anomaly payload, and the prefix of its groupKey. */
export const ANOMALY_RECEIVER = 'steward-anomaly';

/** The `alertname` label of every anomaly alert. */
export const ANOMALY_ALERTNAME = 'SeriesAnomalous';

/** The most characters of the query quoted in the description. */
const MAX_QUERY = 500;

/**
 * How close to the series' last point its last anomalous point must be for the anomaly to count
 * as still going on: five steps, and never less than 30 minutes. Windows merge runs of anomalous
 * points up to three steps apart, so five steps leave room for a quiet point or two inside one
 * anomaly without resolving and firing again (two comments each time); the watch runs on a cron
 * Steward does not know, so the floor keeps a fine-stepped series from resolving on a short lull.
 */
export const RECENT_STEPS = 5;
export const RECENT_FLOOR_MS = 30 * 60_000;

export function recentMsFor(stepSeconds: number): number {
  return Math.max(RECENT_STEPS * stepSeconds * 1000, RECENT_FLOOR_MS);
}

/** The group of a series: `steward-anomaly:<name>`. */
export function anomalyGroupKey(series: string): string {
  return `${ANOMALY_RECEIVER}:${series}`;
}

/** The alert's fingerprint: the first 16 hex digits of its group's key (one alert per group). */
export function anomalyFingerprint(series: string): string {
  return incidentKey(anomalyGroupKey(series)).slice(0, 16);
}

/** A time as people read it in an issue: ISO 8601 to the second, UTC. */
export function isoSecond(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * "It reached 3.2 at …, 2.1 above its normal 1.1 (…), about 2.9 times it": how far a window
 * went, in words. A counter is described by its rate per second, which is what was judged.
 */
export function describeDeparture(
  points: AnomalyAnalysis['points'],
  window: AnomalyWindow,
  counter = false,
): string | null {
  const departure = departureOf(counter ? counterRates(points) : points, window);
  if (departure === null) return null;
  const { normal, peak, delta } = departure;
  const side = delta >= 0 ? 'above' : 'below';
  const ratio =
    normal !== 0 && Math.sign(normal) === Math.sign(peak.v) && Math.abs(peak.v / normal) >= 1.5
      ? `, about ${formatSloValue(Number((peak.v / normal).toPrecision(2)))} times it`
      : '';
  const unit = counter ? ' per second' : '';
  return `${counter ? 'Its rate reached' : 'It reached'} ${formatSloValue(peak.v)}${unit} at ${isoSecond(peak.t)}, ${formatSloValue(Math.abs(delta))} ${side} its normal ${formatSloValue(normal)} (the median of the day before)${ratio}`;
}

export interface AnomalyIncidentInput {
  series: Pick<AnomalySeries, 'name' | 'query' | 'counter'>;
  analysis: AnomalyAnalysis;
  /** See {@link recentMsFor}. */
  recentMs: number;
  /** When the watch ran (ISO 8601): a resolved alert's end. */
  receivedAt: string;
  /** The run's page, as Alertmanager's externalURL. */
  externalURL: string;
  /**
   * The start the incident recorded for this series' alert, when it has one: a resolution carries
   * it (the alert that ends is the one that started then), whatever window the history shows now.
   */
  recordedStart?: string | null;
}

/**
 * The notification for one series: `firing` from the start of its current window, or `resolved`
 * (the caller sends that only for an incident of its own still firing).
 */
export function anomalyIncidentPayload(input: AnomalyIncidentInput): AlertmanagerPayload {
  const { series, analysis, receivedAt, externalURL } = input;
  const current = currentAnomaly(analysis, input.recentMs);
  const groupKey = anomalyGroupKey(series.name);
  const groupLabels = { alertname: ANOMALY_ALERTNAME, series: series.name };
  const labels = { ...groupLabels, severity: 'warning' };
  const query = `Query: ${oneLine(series.query, MAX_QUERY)}`;
  const status = current === null ? 'resolved' : 'firing';
  const annotations: Record<string, string> =
    current === null
      ? {
          summary: `${series.name} is back to normal`,
          description: `No anomalous point in the last ${Math.round(input.recentMs / 60_000)} minutes of the series (${analysis.detector} detector). ${query}`,
        }
      : firingAnnotations(series, analysis, current, query);
  const startsAt =
    current === null ? (input.recordedStart ?? receivedAt) : new Date(current.start).toISOString();
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status,
    receiver: ANOMALY_RECEIVER,
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL,
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt,
        endsAt: status === 'resolved' ? receivedAt : null,
        generatorURL: externalURL,
        fingerprint: anomalyFingerprint(series.name),
      },
    ],
  };
}

function firingAnnotations(
  { name, counter }: Pick<AnomalySeries, 'name' | 'counter'>,
  analysis: AnomalyAnalysis,
  window: AnomalyWindow,
  query: string,
): Record<string, string> {
  const points = analysis.points.filter(
    (p) => p.anomaly && p.t >= window.start && p.t <= window.end,
  );
  const departure = describeDeparture(analysis.points, window, counter);
  return {
    summary: `${name} is anomalous since ${isoSecond(window.start)}`,
    description: [
      `The ${analysis.detector} detector flagged ${points.length} point${points.length === 1 ? '' : 's'} from ${isoSecond(window.start)} to ${isoSecond(window.end)} (peak score ${window.peakScore.toFixed(2)} of 1).`,
      departure === null ? 'No history before the window to compare with.' : `${departure}.`,
      query,
    ].join(' '),
  };
}
