import { incidentSource } from './source.ts';
import type {
  DeploymentFacts,
  IssueCommentFacts,
  IssueEventFacts,
  MergedPullRequest,
  PullRequestFile,
} from '../github/client.ts';
import { blockMarkdown, codeSpan, inlineMarkdown, plainText } from '../markdown/untrusted.ts';
import type { AlertRecord, IncidentState, Transition } from './incident-state.ts';
import { MAX_BODY_CHARS, renderLink } from './render.ts';

/**
 * The post-incident report: one comment on the incident's issue, written once the group resolved,
 * in the shape of the Google SRE book's postmortem (summary, impact, detection, timeline, what
 * changed before, action items), short enough to scan with the details folded.
 *
 * Pure: the facts come in (postmortem-facts.ts reads them from GitHub, hypothesis.ts asks the
 * model), markdown goes out. Everything in the facts but Steward's own numbers is hostile: alert
 * labels and annotations (whoever can post to Alertmanager), pull request titles, paths and
 * deployment fields (whoever can open a pull request or deploy), logins, and the model's text. All
 * of it goes through src/markdown/untrusted.ts, so none mentions anyone, links anywhere Steward did
 * not mean, or opens an HTML comment that could pass for one of Steward's markers.
 */

/** What the issue's history says about who looked at it and when. */
export interface IssueActivity {
  comments: readonly IssueCommentFacts[];
  events: readonly IssueEventFacts[];
}

/** The first sign that a person took the incident on. */
export interface Acknowledgement {
  at: string;
  /** The person's login; null for a deleted account. */
  by: string | null;
  how: 'comment' | 'assigned';
}

export interface IncidentDurations {
  /** When the impact started: the earliest `startsAt` of the group's alerts (null with no alert). */
  impactStart: string | null;
  /** When Steward was first notified. */
  detectedAt: string;
  acknowledgement: Acknowledgement | null;
  resolvedAt: string | null;
  /** impact start → first notification. */
  timeToDetectMs: number | null;
  /** first notification → first human comment or assignment; null when nobody acknowledged. */
  timeToAcknowledgeMs: number | null;
  /** impact start → resolved; null while it fires. */
  timeToResolveMs: number | null;
}

/** A changed file of a suspicious pull request, with its code health on either side. */
export interface SuspiciousFile {
  path: string;
  previousPath: string | null;
  status: PullRequestFile['status'];
  /** Code health 1–10 before (at the pull request's base) and after (at its merge commit). */
  healthBefore: number | null;
  healthAfter: number | null;
  /** after − before, one decimal; null when either side is unknown. */
  delta: number | null;
  /** Rank among the files these pull requests changed, by Steward's hotspot score. */
  hotspot: { rank: number; of: number } | null;
  /** Why the numbers are missing (not analysed, a text that could not be read). */
  note: string | null;
}

export interface SuspiciousPullRequest {
  pullRequest: MergedPullRequest;
  files: SuspiciousFile[];
  /** Changed files the report does not list (the file budget). */
  filesLeftOut: number;
  /** Why the files could not be read; null when they were. */
  filesProblem: string | null;
}

/** What changed in the lookback window before the impact started. */
export interface SuspiciousChanges {
  defaultBranch: string;
  lookbackMs: number;
  /** The window searched; ISO times. */
  since: string;
  until: string;
  /** Newest first. */
  pullRequests: SuspiciousPullRequest[];
  /** Merged pull requests in the window left out of the report (the bound). */
  pullRequestsLeftOut: number;
  /** Why the merged pull requests could not be read; null when they were. */
  pullRequestsProblem: string | null;
  /** Newest first. */
  deployments: DeploymentFacts[];
  deploymentsLeftOut: number;
  deploymentsProblem: string | null;
  /** Why hotspot ranks are missing (history could not be read); null otherwise. */
  ranksProblem: string | null;
  /** Other things the reader should know about how the facts were gathered. */
  notes: string[];
}

/** The model's hypothesis, with the ids it cites (already checked against the report's facts). */
export interface Hypothesis {
  text: string;
  cites: string[];
  /** The model that wrote it, named in the report. */
  model: string;
}

export interface PostmortemInput {
  state: IncidentState;
  /** The issue's comments and events; null when they could not be read (with `activityProblem`). */
  activity: IssueActivity | null;
  activityProblem?: string | null;
  changes: SuspiciousChanges | null;
  hypothesis?: Hypothesis | null;
}

/** The first line of the report: which incident (and which incident of the group) it is for. */
export function postmortemMarker(state: Pick<IncidentState, 'key' | 'sequence'>): string {
  if (!/^[0-9a-f]{64}$/.test(state.key))
    throw new Error(`not an incident key: ${JSON.stringify(state.key)}`);
  if (!Number.isInteger(state.sequence) || state.sequence < 1)
    throw new Error(`not an incident sequence: ${String(state.sequence)}`);
  return `<!-- steward:incident-report key=${state.key} seq=${state.sequence} -->`;
}

const REPORT_MARKER =
  /^<!-- steward:incident-report key=([0-9a-f]{64}) seq=([1-9][0-9]{0,8}) -->(?:\r?\n|$)/;

/** The incident a report's first line names, as Steward writes it; null otherwise. */
export function parsePostmortemMarker(body: string): { key: string; sequence: number } | null {
  const match = REPORT_MARKER.exec(body);
  return match ? { key: match[1]!, sequence: Number(match[2]) } : null;
}

// ---------------------------------------------------------------------------------------------
// Durations

function time(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

function between(from: string | null, to: string | null): number | null {
  const a = time(from);
  const b = time(to);
  return a === null || b === null ? null : Math.max(0, b - a);
}

/** The earliest `startsAt` of the alerts: when the impact began, as the monitoring saw it. */
export function impactStart(state: Pick<IncidentState, 'alerts'>): string | null {
  let earliest: { iso: string; ms: number } | null = null;
  for (const alert of state.alerts) {
    const ms = time(alert.startsAt);
    if (ms !== null && (earliest === null || ms < earliest.ms))
      earliest = { iso: alert.startsAt, ms };
  }
  return earliest?.iso ?? null;
}

function isPerson(who: { userType: string | null }): boolean {
  return who.userType !== 'Bot';
}

/**
 * The first time a person took the incident on, at or after Steward's first notification: a
 * comment by someone other than Steward's own account and not a bot, or an issue assignment made
 * by someone who is not a bot. Null when nobody did.
 */
export function firstAcknowledgement(
  activity: IssueActivity,
  notBefore: string | null = null,
): Acknowledgement | null {
  const floor = time(notBefore);
  const candidates: Acknowledgement[] = [];
  for (const comment of activity.comments) {
    if (comment.ours || !isPerson(comment)) continue;
    candidates.push({ at: comment.createdAt, by: comment.login, how: 'comment' });
  }
  for (const event of activity.events) {
    if (event.event !== 'assigned' || !isPerson(event)) continue;
    candidates.push({ at: event.createdAt, by: event.login, how: 'assigned' });
  }
  let first: { ack: Acknowledgement; ms: number } | null = null;
  for (const ack of candidates) {
    const ms = time(ack.at);
    if (ms === null || (floor !== null && ms < floor)) continue;
    if (first === null || ms < first.ms) first = { ack, ms };
  }
  return first?.ack ?? null;
}

/**
 * Time to detect (impact start → first notification), to acknowledge (first notification → first
 * person's comment or assignment) and to resolve (impact start → resolved), in milliseconds;
 * null where an end is missing. A clock that puts an end before its start counts as 0.
 */
export function incidentDurations(
  state: IncidentState,
  issueActivity: IssueActivity | null,
): IncidentDurations {
  const start = impactStart(state);
  const acknowledgement =
    issueActivity === null ? null : firstAcknowledgement(issueActivity, state.firstNotifiedAt);
  return {
    impactStart: start,
    detectedAt: state.firstNotifiedAt,
    acknowledgement,
    resolvedAt: state.resolvedAt,
    timeToDetectMs: between(start, state.firstNotifiedAt),
    timeToAcknowledgeMs: acknowledgement
      ? between(state.firstNotifiedAt, acknowledgement.at)
      : null,
    timeToResolveMs: between(start ?? state.firstNotifiedAt, state.resolvedAt),
  };
}

/** "45 s", "12 min", "2 h 5 min", "3 d 4 h": two units at most, rounded down. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

// ---------------------------------------------------------------------------------------------
// Rendering helpers

const TITLE_CHARS = 200;
const ANNOTATION_CHARS = 500;

function shortened(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Untrusted text as a code span with no live-looking mention and no `<!--` in the raw body. */
function inertCode(text: string): string {
  return codeSpan(plainText(shortened(text, TITLE_CHARS)).replace(/<!--/g, '<\u200B!--'), {
    padded: true,
  });
}

/** Untrusted text as one line of inert markdown, with no `<!--` in the raw body either. */
function inertInline(text: string, max = TITLE_CHARS): string {
  return inlineMarkdown(shortened(text, max)).replace(/<!--/g, '<\u200B!--');
}

/** A login as code, never as a mention. */
function who(login: string | null): string {
  return login === null ? 'a deleted account' : inertCode(login);
}

function distinct(values: Iterable<string | undefined>): string[] {
  const out = new Set<string>();
  for (const value of values) if (value !== undefined && value.trim() !== '') out.add(value);
  return [...out].sort();
}

const SERVICE_LABELS = ['service', 'job', 'app'] as const;

/** The alert names of the group. */
export function alertNames(state: IncidentState): string[] {
  return distinct([
    state.groupLabels['alertname'],
    ...state.alerts.map((alert) => alert.labels['alertname']),
  ]);
}

/** The services the alerts name in their `service`, `job` or `app` labels. */
export function servicesOf(state: IncidentState): string[] {
  return distinct(
    [state.groupLabels, ...state.alerts.map((alert) => alert.labels)].flatMap((labels) =>
      SERVICE_LABELS.map((name) => labels[name]),
    ),
  );
}

function list(values: readonly string[], max: number): string {
  const shown = values.slice(0, max).map(inertCode);
  return values.length > max
    ? `${shown.join(', ')} and ${values.length - max} more`
    : shown.join(', ');
}

function alertLabel(alert: AlertRecord | undefined, fingerprint: string): string {
  const name = alert?.labels['alertname'];
  return name === undefined
    ? inertCode(fingerprint)
    : `${inertCode(name)} (${inertCode(fingerprint)})`;
}

function describeTransition(t: Transition, state: IncidentState): string {
  const alerts = new Map(state.alerts.map((a) => [a.fingerprint, a]));
  const names = t.fingerprints.slice(0, 3).map((fp) => alertLabel(alerts.get(fp), fp));
  const more = t.fingerprints.length > 3 ? ` and ${t.fingerprints.length - 3} more` : '';
  const which = names.length === 0 ? '' : `: ${names.join(', ')}${more}`;
  switch (t.kind) {
    case 'firing':
      return `🔥 ${incidentSource(state.groupKey).name} notified: firing${which}`;
    case 'resolved':
      return `✅ ${incidentSource(state.groupKey).name} notified: resolved`;
    case 'firing-again':
      return `🔁 Firing again${which}`;
    case 'alert-joined':
      return `➕ Alert joined${which}`;
    case 'alert-left':
      return `➖ Alert left${which}`;
  }
}

interface TimelineLine {
  at: string;
  ms: number;
  text: string;
}

const SHOWN_TIMELINE = 40;
const SHOWN_PEOPLE_EVENTS = ['assigned', 'unassigned', 'closed', 'reopened', 'labeled'];

function timelineLines(
  state: IncidentState,
  durations: IncidentDurations,
  activity: IssueActivity | null,
): TimelineLine[] {
  const lines: TimelineLine[] = [];
  const add = (at: string | null, text: string) => {
    const ms = time(at);
    if (at !== null && ms !== null) lines.push({ at, ms, text });
  };
  add(durations.impactStart, '⚠️ Impact started (earliest alert)');
  for (const t of state.timeline) add(t.at, describeTransition(t, state));
  const ack = durations.acknowledgement;
  const isAck = (how: Acknowledgement['how'], at: string, login: string | null) =>
    ack !== null && ack.how === how && ack.at === at && ack.by === login;
  if (activity !== null) {
    for (const comment of activity.comments) {
      if (comment.ours || !isPerson(comment)) continue;
      const text = `comment by ${who(comment.login)}`;
      add(
        comment.createdAt,
        isAck('comment', comment.createdAt, comment.login)
          ? `🙋 Acknowledged: ${text}`
          : `💬 ${text[0]!.toUpperCase()}${text.slice(1)}`,
      );
    }
    for (const event of activity.events) {
      if (!isPerson(event) || !SHOWN_PEOPLE_EVENTS.includes(event.event)) continue;
      const text = `${inertCode(event.event)} by ${who(event.login)}`;
      add(
        event.createdAt,
        event.event === 'assigned' && isAck('assigned', event.createdAt, event.login)
          ? `🙋 Acknowledged: ${text}`
          : `👤 ${text}`,
      );
    }
  }
  return lines.sort((a, b) => a.ms - b.ms);
}

function dd(ms: number | null, missing: string): string {
  return ms === null ? missing : formatDuration(ms);
}

function shortSha(sha: string | null): string {
  return sha === null ? 'unknown' : inertCode(sha.slice(0, 12));
}

function healthCell(file: SuspiciousFile): string {
  const side = (h: number | null) => (h === null ? '–' : h.toFixed(1));
  if (file.healthBefore === null && file.healthAfter === null)
    return file.note === null ? '–' : inertInline(file.note, 120);
  const delta =
    file.delta === null ? '' : ` (${file.delta > 0 ? '+' : ''}${file.delta.toFixed(1)})`;
  return `${side(file.healthBefore)} → ${side(file.healthAfter)}${delta}`;
}

/** The worst health drop among a pull request's files, for its one-line summary. */
function worstFile(pr: SuspiciousPullRequest): SuspiciousFile | null {
  let worst: SuspiciousFile | null = null;
  for (const file of pr.files)
    if (file.delta !== null && file.delta < 0 && (worst === null || file.delta < worst.delta!))
      worst = file;
  return worst;
}

function hottest(pr: SuspiciousPullRequest): SuspiciousFile | null {
  let hot: SuspiciousFile | null = null;
  for (const file of pr.files)
    if (file.hotspot !== null && (hot === null || file.hotspot.rank < hot.hotspot!.rank))
      hot = file;
  return hot;
}

export function pullRequestId(pr: Pick<MergedPullRequest, 'number'>): string {
  return `pr#${pr.number}`;
}

export function deploymentId(deployment: Pick<DeploymentFacts, 'id'>): string {
  return `deploy#${deployment.id}`;
}

export function alertId(alert: Pick<AlertRecord, 'fingerprint'>): string {
  return `alert:${alert.fingerprint}`;
}

function pullRequestLines(pr: SuspiciousPullRequest, withFiles: boolean): string[] {
  const p = pr.pullRequest;
  const link = renderLink(`#${p.number}`, p.url);
  const title = inertInline(p.title);
  const parts = [
    `- ${codeSpan(pullRequestId(p))} ${link === '' ? `pull request ${p.number}` : link} ${title}`,
    `by ${who(p.author)}, merged ${inertCode(p.mergedAt)}`,
  ];
  const facts: string[] = [];
  const analysed = pr.files.filter((f) => f.delta !== null).length;
  facts.push(
    `${pr.files.length + pr.filesLeftOut} file${pr.files.length + pr.filesLeftOut === 1 ? '' : 's'}`,
  );
  const worst = worstFile(pr);
  if (worst !== null)
    facts.push(
      `health down ${Math.abs(worst.delta!).toFixed(1)} in ${inertCode(worst.path)} (${worst.healthBefore?.toFixed(1) ?? '–'} → ${worst.healthAfter?.toFixed(1) ?? '–'})`,
    );
  else if (analysed > 0) facts.push('no file lost health');
  const hot = hottest(pr);
  if (hot !== null)
    facts.push(
      `hottest ${inertCode(hot.path)}, hotspot ${hot.hotspot!.rank} of ${hot.hotspot!.of}`,
    );
  if (pr.filesProblem !== null) facts.push(`files not read: ${inertInline(pr.filesProblem, 300)}`);
  const lines = [`${parts.join(' ')} — ${facts.join('; ')}`];
  if (withFiles && pr.files.length > 0) {
    lines.push(
      '',
      '  <details><summary>Files</summary>',
      '',
      '  | File | Change | Code health | Hotspot |',
      '  | --- | --- | --- | --- |',
    );
    for (const file of pr.files) {
      const renamed =
        file.previousPath === null
          ? ''
          : ` (from ${codeSpan(plainText(file.previousPath), { table: true })})`;
      const hotspot = file.hotspot === null ? '–' : `${file.hotspot.rank} of ${file.hotspot.of}`;
      lines.push(
        `  | ${codeSpan(plainText(shortened(file.path, TITLE_CHARS)).replace(/<!--/g, '<\u200B!--'), { table: true })}${renamed} | ${file.status} | ${healthCell(file).replace(/\|/g, '\\|')} | ${hotspot} |`,
      );
    }
    if (pr.filesLeftOut > 0) lines.push('', `  …and ${pr.filesLeftOut} more files not analysed.`);
    lines.push('', '  </details>', '');
  }
  return lines;
}

function deploymentLine(d: DeploymentFacts): string {
  const description =
    d.description === null || d.description.trim() === '' ? '' : ` — ${inertInline(d.description)}`;
  return `- ${codeSpan(deploymentId(d))} to ${inertCode(d.environment)} at ${inertCode(d.createdAt)}: ref ${inertCode(d.ref)} (${shortSha(d.sha)}) by ${who(d.creator)}${description}`;
}

function changesSection(changes: SuspiciousChanges | null, withFiles: boolean): string[] {
  const lines = ['### Suspicious changes', ''];
  if (changes === null) {
    lines.push('_The changes before the incident could not be read._', '');
    return lines;
  }
  lines.push(
    `Merged into ${inertCode(changes.defaultBranch)} and deployed in the ${formatDuration(changes.lookbackMs)} before the impact started (${inertCode(changes.since)} → ${inertCode(changes.until)}), newest first. Code health is Steward's (1–10, before → after the pull request); the hotspot rank is among the files these pull requests changed.`,
    '',
    '**Pull requests**',
    '',
  );
  if (changes.pullRequestsProblem !== null)
    lines.push(
      `_Could not read the merged pull requests: ${inertInline(changes.pullRequestsProblem, 300)}._`,
    );
  else if (changes.pullRequests.length === 0) lines.push('_None merged in the window._');
  for (const pr of changes.pullRequests) lines.push(...pullRequestLines(pr, withFiles));
  if (changes.pullRequestsLeftOut > 0)
    lines.push(
      `- …and ${changes.pullRequestsLeftOut} more merged in the window, not analysed (the report shows the newest ${changes.pullRequests.length}).`,
    );
  lines.push('', '**Deployments**', '');
  if (changes.deploymentsProblem !== null)
    lines.push(
      `_Could not read the deployments: ${inertInline(changes.deploymentsProblem, 300)}._`,
    );
  else if (changes.deployments.length === 0) lines.push('_None in the window._');
  for (const d of changes.deployments) lines.push(deploymentLine(d));
  if (changes.deploymentsLeftOut > 0)
    lines.push(`- …and ${changes.deploymentsLeftOut} more deployments in the window.`);
  const notes = [
    ...(changes.ranksProblem === null ? [] : [`hotspot ranks unknown: ${changes.ranksProblem}`]),
    ...changes.notes,
  ];
  if (notes.length > 0) lines.push('', ...notes.map((note) => `> ${inertInline(note, 300)}`));
  lines.push('');
  return lines;
}

/** The ids a hypothesis may cite: a pull request, a deployment or an alert of the report. */
export const CITE_ID = /^(?:pr#[1-9][0-9]{0,9}|deploy#[0-9]{1,20}|alert:[0-9a-f]{1,64})$/;

function hypothesisSection(hypothesis: Hypothesis | null | undefined): string[] {
  const cites = (hypothesis?.cites ?? []).filter((id) => CITE_ID.test(id));
  if (!hypothesis || cites.length === 0 || hypothesis.text.trim() === '') return [];
  const text = blockMarkdown(shortened(hypothesis.text, 3000)).replace(/<!--/g, '<\u200B!--');
  return [
    '### Hypothesis (unverified)',
    '',
    `> [!NOTE]`,
    `> A hypothesis written by a model (${inertCode(hypothesis.model)}) from the facts above only: a place to start the review, not a finding.`,
    '',
    text,
    '',
    `Rests on: ${cites.map((id) => codeSpan(id)).join(', ')}.`,
    '',
  ];
}

const ACTION_ITEMS = [
  'Root cause: what made the alerts fire?',
  'Trigger: which change, deployment or event started it?',
  'Mitigation: what ended the impact, and could it have been faster?',
  'Detection: would an earlier or better alert have caught it sooner?',
  'Prevention: what change keeps it from happening again? (link the issue)',
];

function render(input: PostmortemInput, level: number): string {
  const { state } = input;
  const durations = incidentDurations(state, input.activity);
  const names = alertNames(state);
  const services = servicesOf(state);
  const title = names.length === 0 ? 'alert group' : list(names, 3);
  const firing = state.alerts.length;
  const lines: string[] = [
    postmortemMarker(state),
    `## 📝 Post-incident report: ${title}`,
    '',
    `_Written by Steward when the group resolved${state.sequence > 1 ? ` (incident ${state.sequence} of this group)` : ''}. Blameless: it says what happened and what changed before, not who is at fault. Edit the action items below._`,
    '',
    '### Summary',
    '',
    `- **Alerts**: ${names.length === 0 ? 'unnamed' : list(names, 10)}${state.severity === null ? '' : ` · severity ${inertCode(state.severity)}`}`,
    `- **Services**: ${services.length === 0 ? 'none named (labels `service`, `job`, `app`)' : list(services, 10)}`,
  ];
  const summary = state.commonAnnotations['summary'];
  if (summary !== undefined && summary.trim() !== '')
    lines.push(`- **What the alerts said**: ${inertInline(summary, ANNOTATION_CHARS)}`);
  lines.push(
    '',
    '### Impact',
    '',
    `- **Alerts**: ${firing} alert${firing === 1 ? '' : 's'}${state.truncatedAlerts > 0 ? `, and ${state.truncatedAlerts} more Alertmanager left out` : ''}`,
    `- **Services**: ${services.length === 0 ? 'unknown' : list(services, 10)}`,
    `- **Duration**: ${durations.impactStart === null ? 'unknown start' : inertCode(durations.impactStart)} → ${state.resolvedAt === null ? 'still firing' : inertCode(state.resolvedAt)}${durations.timeToResolveMs === null ? '' : ` (${formatDuration(durations.timeToResolveMs)})`}`,
    '',
    '### Detection and response',
    '',
    '| Step | When | Took |',
    '| --- | --- | --- |',
    `| Impact started (earliest alert) | ${durations.impactStart === null ? 'unknown' : inertCode(durations.impactStart)} | |`,
    `| **Detected**: ${incidentSource(state.groupKey).detected} | ${inertCode(durations.detectedAt)} | ${dd(durations.timeToDetectMs, 'unknown')} after impact |`,
    `| **Acknowledged**: ${ackWhat(input, durations)} | ${durations.acknowledgement === null ? '–' : inertCode(durations.acknowledgement.at)} | ${durations.acknowledgement === null ? (input.activity === null ? 'unknown' : 'not acknowledged') : `${dd(durations.timeToAcknowledgeMs, 'unknown')} after detection`} |`,
    `| **Resolved** | ${state.resolvedAt === null ? 'not yet' : inertCode(state.resolvedAt)} | ${durations.timeToResolveMs === null ? '–' : `${formatDuration(durations.timeToResolveMs)} after impact`} |`,
    '',
  );
  if (input.activity === null)
    lines.push(
      `_The issue's comments and events could not be read${input.activityProblem ? `: ${inertInline(input.activityProblem, 300)}` : ''}; acknowledgement is unknown._`,
      '',
    );
  const timeline = timelineLines(state, durations, input.activity);
  if (level < 3) {
    const shown = timeline.slice(-SHOWN_TIMELINE);
    lines.push(
      '### Timeline',
      '',
      `<details><summary>${timeline.length} entries, ${durations.impactStart === null ? '' : 'from the impact start '}to ${state.resolvedAt === null ? 'now' : 'resolution'}</summary>`,
      '',
    );
    const dropped = timeline.length - shown.length + state.timelineDropped;
    if (dropped > 0) lines.push(`- … ${dropped} earlier entries`);
    for (const line of shown) lines.push(`- ${inertCode(line.at)} ${line.text}`);
    lines.push('', '</details>', '');
  }
  lines.push(...changesSection(input.changes, level < 1));
  if (level < 2) lines.push(...hypothesisSection(input.hypothesis));
  lines.push('### Action items', '', ...ACTION_ITEMS.map((item) => `- [ ] ${item}`), '');
  return lines.join('\n');
}

function ackWhat(input: PostmortemInput, durations: IncidentDurations): string {
  const ack = durations.acknowledgement;
  if (ack === null) return input.activity === null ? 'unknown' : 'nobody commented or was assigned';
  return ack.how === 'comment' ? `first comment by ${who(ack.by)}` : `assigned by ${who(ack.by)}`;
}

/**
 * The report's markdown: its first line `postmortemMarker(state)`. Within GitHub's comment limit:
 * the per-file tables go first, then the hypothesis, then the timeline.
 */
export function renderPostmortem(input: PostmortemInput): string {
  let body = '';
  for (const level of [0, 1, 2, 3]) {
    body = render(input, level);
    if (body.length <= MAX_BODY_CHARS) return body;
  }
  return `${body.slice(0, MAX_BODY_CHARS - 40)}\n\n…(cut to fit GitHub's limit)`;
}
