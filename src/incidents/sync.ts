import type { GitHubClient, IssueFacts } from '../github/client.ts';
import type { AlertmanagerPayload } from './alertmanager.ts';
import type { IncidentState, NotificationAction } from './incident-state.ts';

/** CONTRACT STUB (issue 18): one notification recorded on GitHub as its incident issue. */

export interface IncidentSyncOptions {
  /** When the notification arrived (ISO 8601). */
  receivedAt: string;
  reopenWindowMs: number;
  /** Group label names whose values become issue labels `name:value` (config `incidents.labels`). */
  labelNames: readonly string[];
  /**
   * Writes the post-incident report when the group has resolved: the comment's body (its first
   * line a hidden marker), or null to post none. Called at most once per notification.
   */
  postmortem?: (incident: { state: IncidentState; issue: IssueFacts }) => Promise<string | null>;
}

export interface IncidentSyncResult {
  action: NotificationAction;
  /** The incident's issue; null only when the action is `none` and no issue was found. */
  issue: { number: number; url: string } | null;
  /** Comments posted by this call (transitions, link, report). */
  commentsPosted: number;
  reportPosted: boolean;
}

export function syncIncident(
  _client: GitHubClient,
  _payload: AlertmanagerPayload,
  _options: IncidentSyncOptions,
): Promise<IncidentSyncResult> {
  return Promise.reject(new Error('syncIncident: not built yet'));
}
