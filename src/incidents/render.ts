import { incidentSource } from './source.ts';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { codeSpan, inlineMarkdown, plainText } from '../markdown/untrusted.ts';
import type { AlertRecord, IncidentState, Transition } from './incident-state.ts';

/**
 * The incident issue as Steward writes it, re-rendered from the recorded state on every
 * notification. Everything an alert carries (labels, annotations, URLs) is hostile: whoever can
 * post to Alertmanager writes it, so it goes through src/markdown/untrusted.ts (no mention, no
 * HTML, no forged marker) and URLs become links only when they are plain http(s).
 *
 * Two markers ride in the body, each counted only at its fixed place: the key marker is the first
 * line, the state marker the last. Text Steward did not write never starts or ends the body and
 * holds no `<!--`, so it cannot forge either.
 */

/** GitHub refuses an issue or comment body above this many characters. */
export const MAX_BODY_CHARS = 65_536;
/** Alerts and timeline entries shown in the body (the state keeps them all). */
const SHOWN_ALERTS = 50;
const SHOWN_TIMELINE = 30;
/** Characters of one annotation value shown. */
const SHOWN_ANNOTATION_CHARS = 1000;
/** The most characters of trusted details (a chart) shown; longer details are left out, saying so. */
export const MAX_DETAILS_CHARS = 20_000;
/** The longest state marker read back (far above any body GitHub accepts). */
const MAX_STATE_MARKER_CHARS = 200_000;

const KEY = /^[0-9a-f]{64}$/;
const KEY_MARKER = /^<!-- steward:incident key=([0-9a-f]{64}) -->(?:\r?\n|$)/;
const STATE_MARKER = /(?:^|\n)<!-- steward:incident-state ([A-Za-z0-9+/]*={0,2}) -->$/;

export function incidentKeyMarker(key: string): string {
  if (!KEY.test(key)) throw new Error(`not an incident key: ${JSON.stringify(key)}`);
  return `<!-- steward:incident key=${key} -->`;
}

/** The incident key a body's first line carries, as Steward writes it; null otherwise. */
export function parseIncidentKey(body: string): string | null {
  return KEY_MARKER.exec(body)?.[1] ?? null;
}

function stateMarker(state: IncidentState): string {
  const encoded = Buffer.from(JSON.stringify(state), 'utf8').toString('base64');
  return `<!-- steward:incident-state ${encoded} -->`;
}

const stringMap = z.record(z.string(), z.string());
const time = z.iso.datetime();
const transitionSchema = z.object({
  kind: z.enum(['firing', 'resolved', 'firing-again', 'alert-joined', 'alert-left']),
  at: time,
  fingerprints: z.array(z.string().regex(/^[0-9a-f]{1,64}$/)),
});
const stateSchema = z.object({
  version: z.literal(1),
  key: z.string().regex(KEY),
  groupKey: z.string(),
  sequence: z.number().int().min(1),
  status: z.enum(['firing', 'resolved']),
  severity: z.string().nullable(),
  groupLabels: stringMap,
  commonAnnotations: stringMap,
  externalURL: z.string(),
  alerts: z.array(
    z.object({
      fingerprint: z.string().regex(/^[0-9a-f]{1,64}$/),
      status: z.enum(['firing', 'resolved']),
      labels: stringMap,
      annotations: stringMap,
      startsAt: time,
      endsAt: time.nullable(),
      generatorURL: z.string(),
    }),
  ),
  truncatedAlerts: z.number().int().min(0),
  firstNotifiedAt: time,
  resolvedAt: time.nullable(),
  previous: z
    .object({
      sequence: z.number().int().min(1),
      firstNotifiedAt: time,
      resolvedAt: time.nullable(),
    })
    .nullable(),
  timeline: z.array(transitionSchema),
  timelineDropped: z.number().int().min(0),
});

/**
 * The state an incident issue's body carries, or null for anything else: no key marker on the
 * first line, no state marker on the last, bad base64 or JSON, a state of another shape, or one
 * whose key is not the marker's. Never throws.
 */
export function readIncidentState(body: string): IncidentState | null {
  if (typeof body !== 'string') return null;
  const key = parseIncidentKey(body);
  if (key === null) return null;
  const trimmed = body.trimEnd();
  const tail = trimmed.slice(-MAX_STATE_MARKER_CHARS - 64);
  const encoded = STATE_MARKER.exec(tail)?.[1];
  if (encoded === undefined || encoded.length > MAX_STATE_MARKER_CHARS) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch (error: unknown) {
    void error;
    return null;
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success || parsed.data.key !== key) return null;
  return parsed.data;
}

/** The labels the issue carries: `incident` and `severity:<x>` (GitHub's 50-character limit). */
export function incidentLabels(state: IncidentState): string[] {
  const severity = (state.severity ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return severity === '' ? ['incident'] : ['incident', `severity:${severity}`];
}

function labelPairs(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(', ');
}

/**
 * The issue title: plain text (GitHub does not render titles, but mentions are neutralised and
 * invisible characters dropped all the same), stable across notifications.
 */
export function renderIncidentTitle(state: IncidentState): string {
  const alertname = state.groupLabels['alertname'] ?? state.alerts[0]?.labels['alertname'];
  const others = Object.fromEntries(
    Object.entries(state.groupLabels).filter(([name]) => name !== 'alertname'),
  );
  const rest = labelPairs(others);
  const what = [alertname, rest === '' ? undefined : `(${rest})`].filter(Boolean).join(' ');
  const title = plainText(`Incident: ${what === '' ? 'alert group' : what}`)
    .replace(/\s+/g, ' ')
    .trim();
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}

/**
 * Untrusted text as a code span that holds no live-looking mention and no `<!--` either: code is
 * inert on GitHub, but the raw body a later lookup reads should not hold a marker's opening.
 */
function inertCode(text: string, options: { padded?: boolean } = {}): string {
  return codeSpan(plainText(text).replace(/<!--/g, '<\u200B!--'), options);
}

/** Untrusted text as one line of inert markdown, with no `<!--` in the raw body either. */
function inertInline(text: string): string {
  return inlineMarkdown(text).replace(/<!--/g, '<\u200B!--');
}

/** An http(s) URL as a link whose text Steward writes; anything else as inert code. */
export function renderLink(text: string, url: string): string {
  let href: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
    href = parsed.href;
  } catch (error: unknown) {
    void error;
    return url === '' ? '' : `${text}: ${inertCode(url)}`;
  }
  if (/[<>\s]/.test(href) || href.length > 2048) return `${text}: ${inertCode(url)}`;
  return `[${text}](<${href}>)`;
}

function alertLinks(alert: AlertRecord): string[] {
  const links: string[] = [];
  if (alert.generatorURL !== '') links.push(renderLink('source', alert.generatorURL));
  for (const name of ['runbook_url', 'runbook', 'dashboard_url', 'dashboard']) {
    const url = alert.annotations[name];
    if (url !== undefined) links.push(renderLink(name.replace(/_url$/, ''), url));
  }
  return links.filter((l) => l !== '');
}

function shortened(text: string): string {
  return text.length > SHOWN_ANNOTATION_CHARS ? `${text.slice(0, SHOWN_ANNOTATION_CHARS)}…` : text;
}

function alertName(alert: AlertRecord | undefined, fingerprint: string): string {
  const name = alert?.labels['alertname'];
  return name === undefined
    ? inertCode(fingerprint)
    : `${inertCode(name)} (${inertCode(fingerprint)})`;
}

function renderAlert(alert: AlertRecord): string[] {
  const icon = alert.status === 'firing' ? '🔥' : '✅';
  const lines = [
    `#### ${icon} ${alertName(alert, alert.fingerprint)}`,
    '',
    `- **Status**: ${alert.status}, since ${alert.startsAt}${alert.endsAt === null ? '' : `, ended ${alert.endsAt}`}`,
  ];
  const labels = Object.entries(alert.labels).map(([n, v]) =>
    inertCode(`${n}=${v}`, { padded: true }),
  );
  if (labels.length > 0) lines.push(`- **Labels**: ${labels.join(' ')}`);
  for (const [name, value] of Object.entries(alert.annotations)) {
    if (/^(runbook|dashboard)(_url)?$/.test(name)) continue;
    lines.push(`- ${inertCode(name)}: ${inertInline(shortened(value))}`);
  }
  const links = alertLinks(alert);
  if (links.length > 0) lines.push(`- **Links**: ${links.join(' · ')}`);
  lines.push('');
  return lines;
}

function describeTransition(t: Transition, state: IncidentState): string {
  const alerts = new Map(state.alerts.map((a) => [a.fingerprint, a]));
  const names = t.fingerprints.map((fp) => alertName(alerts.get(fp), fp));
  const list =
    names.length > 5
      ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`
      : names.join(', ');
  switch (t.kind) {
    case 'firing':
      return `🔥 Firing: ${t.fingerprints.length} alert${t.fingerprints.length === 1 ? '' : 's'}${list === '' ? '' : ` (${list})`}`;
    case 'resolved':
      return '✅ Resolved';
    case 'firing-again':
      return `🔁 Firing again${list === '' ? '' : `: ${list}`}`;
    case 'alert-joined':
      return `➕ Alert joined: ${list}`;
    case 'alert-left':
      return `➖ Alert left: ${list}`;
  }
}

export interface IncidentBodyOptions {
  /**
   * Markdown Steward rendered itself from numbers only (an anomaly's chart), shown before the
   * timeline. Trusted, unlike everything an alert carries; still bounded (MAX_DETAILS_CHARS), kept
   * off the body's first and last lines, and never holding a marker's opening.
   */
  details?: string | null;
}

/** The details as placed in the body: trimmed, `<!--` broken, a note instead when too long. */
function detailsBlock(details: string | null | undefined): string | null {
  const text = (details ?? '').trim();
  if (text === '') return null;
  if (text.length > MAX_DETAILS_CHARS)
    return `_The details (${text.length} characters) are longer than the ${MAX_DETAILS_CHARS} an incident shows, so they are left out._`;
  return text.replace(/<!--/g, '<\u200B!--');
}

const DETAILS_LEFT_OUT =
  "_The details are left out to keep this issue within GitHub's size limit._";

function renderBody(
  state: IncidentState,
  shownAlerts: number,
  storedState: IncidentState,
  details: string | null,
): string {
  const status = state.status === 'firing' ? '🔥 Firing' : '✅ Resolved';
  const severity = state.severity === null ? '' : ` · severity ${inertCode(state.severity)}`;
  const group = Object.entries(state.groupLabels).map(([n, v]) =>
    inertCode(`${n}=${v}`, { padded: true }),
  );
  const firing = state.alerts.filter((a) => a.status === 'firing');
  const ordered = [...firing, ...state.alerts.filter((a) => a.status === 'resolved')];
  const lines = [
    incidentKeyMarker(state.key),
    `## ${status}${severity}`,
    '',
    `- **Group**: ${group.length === 0 ? 'all alerts' : group.join(' ')}`,
    `- **Alerts**: ${firing.length} firing of ${state.alerts.length}${state.truncatedAlerts > 0 ? `, ${state.truncatedAlerts} more left out by Alertmanager` : ''}`,
    `- **First notified**: ${state.firstNotifiedAt}${state.resolvedAt === null ? '' : ` · **resolved**: ${state.resolvedAt}`}`,
  ];
  const summary = state.commonAnnotations['summary'];
  if (summary !== undefined) lines.push(`- **Summary**: ${inertInline(shortened(summary))}`);
  const alertmanager = renderLink(incidentSource(state.groupKey).link, state.externalURL);
  if (alertmanager !== '') lines.push(`- **Links**: ${alertmanager}`);
  if (state.previous !== null)
    lines.push(
      `- **Follows** incident ${state.previous.sequence} of this group (first notified ${state.previous.firstNotifiedAt})`,
    );
  lines.push('', '### Alerts', '');
  for (const alert of ordered.slice(0, shownAlerts)) lines.push(...renderAlert(alert));
  if (ordered.length > shownAlerts)
    lines.push(`…and ${ordered.length - shownAlerts} more alerts.`, '');
  if (details !== null) lines.push('### Details', '', details, '');
  lines.push('### Timeline', '');
  const timeline = state.timeline.slice(-SHOWN_TIMELINE);
  if (state.timeline.length > timeline.length || state.timelineDropped > 0)
    lines.push(
      `- … ${state.timeline.length - timeline.length + state.timelineDropped} earlier entries`,
    );
  for (const t of timeline) lines.push(`- ${t.at}: ${describeTransition(t, state)}`);
  lines.push('', stateMarker(storedState));
  return lines.join('\n');
}

/**
 * The state with less in it, for a body that would not fit: annotations first, then the labels of
 * resolved alerts, then every label value cut short. Transitions depend on fingerprints, statuses
 * and times only, which all of these keep.
 */
function compactions(state: IncidentState): IncidentState[] {
  const noAnnotations = {
    ...state,
    commonAnnotations: {},
    alerts: state.alerts.map((a) => ({ ...a, annotations: {} })),
  };
  const noResolvedLabels = {
    ...noAnnotations,
    alerts: noAnnotations.alerts.map((a) =>
      a.status === 'resolved' ? { ...a, labels: {}, generatorURL: '' } : a,
    ),
  };
  const short = {
    ...noResolvedLabels,
    groupLabels: {},
    alerts: noResolvedLabels.alerts.map((a) => ({ ...a, labels: {}, generatorURL: '' })),
  };
  return [state, noAnnotations, noResolvedLabels, short];
}

/**
 * The issue body: the key marker, status, severity, the alerts, the details (when given), the
 * timeline, and the state as hidden base64 JSON on the last line. Within GitHub's body limit:
 * fewer alerts are shown, then the details give way to a note, then less of the state is kept,
 * as needed.
 */
export function renderIncidentBody(
  state: IncidentState,
  options: IncidentBodyOptions = {},
): string {
  const given = detailsBlock(options.details);
  const details = given === null ? [null] : [given, DETAILS_LEFT_OUT];
  let body = '';
  for (const stored of compactions(state)) {
    for (const shownDetails of details) {
      for (const shown of [SHOWN_ALERTS, 10, 0]) {
        body = renderBody(stored === state ? state : stored, shown, stored, shownDetails);
        if (body.length <= MAX_BODY_CHARS) return body;
      }
    }
  }
  return body;
}

/** A transition's identity within its incident, for finding a comment already posted. */
export function transitionId(state: IncidentState, transition: Transition): string {
  return createHash('sha256')
    .update(JSON.stringify([state.key, state.sequence, transition]))
    .digest('hex')
    .slice(0, 20);
}

const EVENT_MARKER = /^<!-- steward:incident-event ([0-9a-f]{20}) -->(?:\r?\n|$)/;

/** The transition id a comment's first line carries, as Steward writes it; null otherwise. */
export function parseTransitionMarker(body: string): string | null {
  return EVENT_MARKER.exec(body)?.[1] ?? null;
}

/** The one comment a transition adds to the issue, marked with its id on the first line. */
export function renderTransitionComment(state: IncidentState, transition: Transition): string {
  const lines = [
    `<!-- steward:incident-event ${transitionId(state, transition)} -->`,
    `${describeTransition(transition, state)} at ${transition.at}.`,
  ];
  if (transition.kind === 'resolved') {
    // From the notification that last set the group firing (the first one, or a reopening).
    const fired = state.timeline
      .filter((t) => (t.kind === 'firing' || t.kind === 'firing-again') && t.at <= transition.at)
      .at(-1);
    const minutes = Math.round(
      (Date.parse(transition.at) - Date.parse(fired?.at ?? state.firstNotifiedAt)) / 60_000,
    );
    if (Number.isFinite(minutes) && minutes >= 0)
      lines.push(
        '',
        `The group fired for ${minutes} minute${minutes === 1 ? '' : 's'} after Steward was first notified.`,
      );
  }
  if (transition.kind === 'firing-again')
    lines.push('', 'The group fired again within the reopen window, so this issue is open again.');
  return lines.join('\n');
}
