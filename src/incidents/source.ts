/**
 * Who sends an incident's notifications, for the words of its issue and report: Alertmanager, or
 * one of Steward's own faces that speak its payload (the chaos report, the anomaly watch), told
 * apart by the receiver their group keys start with. Only wording depends on it: a payload that
 * claims a Steward receiver changes what the issue calls its source, nothing else.
 */

export interface IncidentSource {
  /** Who notified, as the subject of a sentence: "Alertmanager", "Steward's anomaly watch". */
  name: string;
  /** The label of the notification's link (its externalURL). */
  link: string;
  /** The detection step of the report: "Alertmanager notified Steward". */
  detected: string;
}

const ALERTMANAGER: IncidentSource = {
  name: 'Alertmanager',
  link: 'Alertmanager',
  detected: 'Alertmanager notified Steward',
};

/** Steward's faces by the receiver their group keys start with (`<receiver>:…`). */
const STEWARD_SOURCES: Readonly<Record<string, IncidentSource>> = {
  'steward-chaos': {
    name: "Steward's chaos report",
    link: 'Workflow run',
    detected: "Steward's chaos report saw the failure",
  },
  'steward-anomaly': {
    name: "Steward's anomaly watch",
    link: 'Workflow run',
    detected: "Steward's anomaly watch saw it",
  },
};

export function incidentSource(groupKey: string): IncidentSource {
  const receiver = groupKey.slice(0, Math.max(0, groupKey.indexOf(':')));
  return Object.hasOwn(STEWARD_SOURCES, receiver) ? STEWARD_SOURCES[receiver]! : ALERTMANAGER;
}
