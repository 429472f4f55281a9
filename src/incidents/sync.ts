import type { GitHubClient, IssueCommentFacts, IssueFacts } from '../github/client.ts';
import type { AlertmanagerPayload } from './alertmanager.ts';
import { applyNotification, incidentKey } from './incident-state.ts';
import type { IncidentState, NotificationAction } from './incident-state.ts';
import { postmortemMarker } from './postmortem.ts';
import {
  incidentLabels,
  parseIncidentKey,
  parseTransitionMarker,
  readIncidentState,
  renderIncidentBody,
  renderIncidentTitle,
  renderTransitionComment,
  transitionId,
} from './render.ts';

/**
 * One notification recorded on GitHub as its incident issue. The issue is the record: it is found
 * by the key marker among the issues Steward's own account opened (never by title), its body holds
 * the state, and every write is idempotent, so a redelivered notification changes nothing.
 *
 * Comments are written before the body: a crash between the two leaves the old state, so the
 * retry Alertmanager sends redoes the whole step and finds the comments already there. A step the
 * body already records (the issue created, its comments not yet) is finished by the next
 * notification, which posts every timeline comment still missing.
 */

/** The label every incident issue carries, and the one they are found by. */
export const INCIDENT_LABEL = 'incident';

export interface IncidentSyncOptions {
  /** When the notification arrived (ISO 8601). */
  receivedAt: string;
  reopenWindowMs: number;
  /** Group label names whose values become issue labels `name:value` (config `incidents.group-labels`). */
  labelNames: readonly string[];
  /**
   * Writes the post-incident report when the group has resolved: the comment's body (its first
   * line the hidden marker `postmortemMarker(state)` of postmortem.ts), or null to post none. Called at most once per
   * notification; a failure is reported in the result, never lost with the notification.
   */
  postmortem?: (incident: { state: IncidentState; issue: IssueFacts }) => Promise<string | null>;
  /**
   * Markdown Steward rendered from numbers only (an anomaly's chart), shown in the body before the
   * timeline (renderIncidentBody's `details`); re-rendered on every notification, never stored.
   */
  details?: string | null;
}

export interface IncidentSyncResult {
  action: NotificationAction;
  /** The incident's issue; null only when the action is `none` and no issue was found. */
  issue: { number: number; url: string } | null;
  /** Comments posted by this call (transitions and the report). */
  commentsPosted: number;
  reportPosted: boolean;
  /** Why the report could not be written, when it could not; the incident is recorded all the same. */
  reportError: string | null;
}

interface FoundIncident {
  issue: IssueFacts;
  /** Null when a person broke the state line: the issue is kept, its state rebuilt. */
  state: IncidentState | null;
  /** The issue of the incident before, for a group that fired again after the window. */
  previous: IssueFacts | null;
}

/** The group's newest incident issue of ours, and the one before it. */
/**
 * Steward's incident issues, each with the key its first line carries: only our own account's,
 * so an issue anyone else opened with a copied marker is never one of them.
 */
export async function listIncidentIssues(
  client: GitHubClient,
): Promise<{ issue: IssueFacts; key: string }[]> {
  const found: { issue: IssueFacts; key: string }[] = [];
  for (const issue of await client.listOurIssues(INCIDENT_LABEL)) {
    const key = issue.ours ? parseIncidentKey(issue.body) : null;
    if (key !== null) found.push({ issue, key });
  }
  return found;
}

/** An incident issue of ours with its recorded state (null when a person broke the state line). */
export interface RecordedIncident {
  issue: IssueFacts;
  state: IncidentState | null;
}

/**
 * Issues of one group, newest incident first: the highest recorded sequence (a broken state line
 * counts as 0), then the highest issue number.
 */
function newestFirst(issues: readonly IssueFacts[]): RecordedIncident[] {
  return issues
    .map((issue) => ({ issue, state: readIncidentState(issue.body) }))
    .sort(
      (a, b) =>
        (b.state?.sequence ?? 0) - (a.state?.sequence ?? 0) || b.issue.number - a.issue.number,
    );
}

/** The newest incident issue of ours of each group, by key: the one a notification would update. */
export async function newestIncidents(
  client: GitHubClient,
): Promise<Map<string, RecordedIncident>> {
  const byKey = new Map<string, IssueFacts[]>();
  for (const { issue, key } of await listIncidentIssues(client))
    byKey.set(key, [...(byKey.get(key) ?? []), issue]);
  return new Map([...byKey].map(([key, issues]) => [key, newestFirst(issues)[0]!]));
}

async function findIncident(client: GitHubClient, key: string): Promise<FoundIncident | null> {
  const issues = (await listIncidentIssues(client))
    .filter((incident) => incident.key === key)
    .map(({ issue }) => issue);
  const [newest, before] = newestFirst(issues);
  if (newest === undefined) return null;
  return { issue: newest.issue, state: newest.state, previous: before?.issue ?? null };
}

/** A group label's value as an issue label `name:value`, within GitHub's 50 characters. */
function groupLabel(name: string, value: string): string | null {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (cleaned === '') return null;
  return `${name}:${cleaned}`.slice(0, 50);
}

export function issueLabels(state: IncidentState, labelNames: readonly string[]): string[] {
  const labels = incidentLabels(state);
  for (const name of labelNames) {
    const value = state.groupLabels[name];
    const label = value === undefined ? null : groupLabel(name, value);
    if (label !== null && !labels.includes(label)) labels.push(label);
  }
  return labels;
}

/** The body, with a link to the incident before on its second line (the first is the key marker). */
function issueBody(
  state: IncidentState,
  previous: { number: number } | null,
  details: string | null,
): string {
  const body = renderIncidentBody(state, { details });
  if (previous === null || state.previous === null) return body;
  const newline = body.indexOf('\n');
  if (newline < 0) return body;
  return `${body.slice(0, newline + 1)}Follows #${previous.number}.\n${body.slice(newline + 1)}`;
}

/** Our comments' first-line markers: transition ids and report markers already posted. */
function postedMarkers(comments: readonly IssueCommentFacts[]): {
  transitions: Set<string>;
  reports: Map<string, IssueCommentFacts>;
} {
  const transitions = new Set<string>();
  const reports = new Map<string, IssueCommentFacts>();
  for (const comment of comments) {
    if (!comment.ours) continue;
    const id = parseTransitionMarker(comment.body);
    if (id !== null) transitions.add(id);
    const firstLine = comment.body.split('\n', 1)[0]!.trimEnd();
    if (firstLine.startsWith('<!-- steward:incident-report ') && !reports.has(firstLine))
      reports.set(firstLine, comment);
  }
  return { transitions, reports };
}

export async function syncIncident(
  client: GitHubClient,
  payload: AlertmanagerPayload,
  options: IncidentSyncOptions,
): Promise<IncidentSyncResult> {
  const key = incidentKey(payload.groupKey);
  const found = await findIncident(client, key);
  const applied = applyNotification(found?.state ?? null, payload, options.receivedAt, {
    reopenWindowMs: options.reopenWindowMs,
  });
  const { state } = applied;
  const labels = issueLabels(state, options.labelNames);
  const title = renderIncidentTitle(state);
  const details = options.details ?? null;

  // The issue this notification is about: the one found, or a new one. A new one is the record of
  // the incident's state, so it is opened before anything else is written.
  let issue: IssueFacts;
  let previous = found?.previous ?? null;
  let action = applied.action;
  if (found === null || applied.action === 'new-linked') {
    if (applied.action === 'none') {
      return { action, issue: null, commentsPosted: 0, reportPosted: false, reportError: null };
    }
    if (found !== null) previous = found.issue;
    const created = await client.createIssue({
      title,
      body: issueBody(state, previous, details),
      labels,
    });
    issue = {
      number: created.number,
      url: created.url,
      title,
      body: issueBody(state, previous, details),
      state: 'open',
      labels,
      ours: true,
      createdAt: options.receivedAt,
      closedAt: null,
      assignees: [],
    };
  } else {
    issue = found.issue;
    // A person broke the state line: this notification rebuilds the state on the same issue.
    if (found.state === null && action === 'create') action = 'update';
  }

  const comments = await client.listIssueComments(issue.number);
  const posted = postedMarkers(comments);
  let commentsPosted = 0;
  for (const transition of state.timeline) {
    if (posted.transitions.has(transitionId(state, transition))) continue;
    await client.createIssueComment(issue.number, renderTransitionComment(state, transition));
    commentsPosted += 1;
  }

  let reportPosted = false;
  let reportError: string | null = null;
  const { postmortem } = options;
  const reportDue =
    state.status === 'resolved' &&
    (action !== 'none' || !posted.reports.has(postmortemMarker(state)));
  if (postmortem !== undefined && reportDue) {
    try {
      const report = await postmortem({ state, issue });
      if (report !== null) {
        const existing = posted.reports.get(postmortemMarker(state));
        if (!report.startsWith(postmortemMarker(state)))
          throw new Error('the report does not open with its marker');
        if (existing === undefined) {
          await client.createIssueComment(issue.number, report);
          commentsPosted += 1;
          reportPosted = true;
        } else if (existing.body !== report) {
          await client.upsertComment(issue.number, postmortemMarker(state), report);
          reportPosted = true;
        }
      }
    } catch (error: unknown) {
      reportError = error instanceof Error ? error.message : String(error);
    }
  }

  // Last, the record itself: body, title, open or closed, labels.
  const body = issueBody(state, state.previous === null ? null : previous, details);
  const wantedState = state.status === 'resolved' ? 'closed' : 'open';
  if (issue.body !== body || issue.title !== title || issue.state !== wantedState) {
    await client.updateIssue({
      number: issue.number,
      ...(issue.body === body ? {} : { body }),
      ...(issue.title === title ? {} : { title }),
      ...(issue.state === wantedState
        ? {}
        : { state: wantedState, stateReason: wantedState === 'closed' ? 'completed' : 'reopened' }),
    });
  }
  const missing = labels.filter((label) => !issue.labels.includes(label));
  if (missing.length > 0) await client.addLabels(issue.number, missing);
  for (const stale of issue.labels) {
    if (stale.startsWith('severity:') && !labels.includes(stale))
      await client.removeLabel(issue.number, stale);
  }

  return {
    action,
    issue: { number: issue.number, url: issue.url },
    commentsPosted,
    reportPosted,
    reportError,
  };
}
