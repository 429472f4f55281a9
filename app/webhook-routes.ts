import { createHash } from 'node:crypto';
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { parseComment } from '../src/commands/parse.ts';
import { eventSubject } from '../src/github/event-subject.ts';
import type { CommentEvent } from './handlers/issue-comment.ts';
import { REVIEWED_ACTIONS } from './handlers/pull-request.ts';
import type { PullRequestEvent } from './handlers/pull-request.ts';

/** The events app.yml subscribes to; the manifest test holds the two lists together. */
export const SUBSCRIBED_EVENTS = ['issue_comment', 'pull_request'] as const;

/** The webhooks the app acts on, as Probot names them; every other one is acknowledged and ignored. */
export const PULL_REQUEST_ROUTES = REVIEWED_ACTIONS.map(
  (action) => `pull_request.${action}` as const,
);
/** Only a new comment carries a command: an edit could turn an old comment into one nobody saw. */
export const COMMENT_ROUTES = ['issue_comment.created'] as const;
/** Installation events come to every app without a subscription; they are logged. */
export const INSTALLATION_ROUTES = ['installation', 'installation_repositories'] as const;

export type RoutedEvent =
  | (typeof PULL_REQUEST_ROUTES)[number]
  | (typeof COMMENT_ROUTES)[number]
  | (typeof INSTALLATION_ROUTES)[number];

const ROUTED: ReadonlySet<string> = new Set<RoutedEvent>([
  ...PULL_REQUEST_ROUTES,
  ...COMMENT_ROUTES,
  ...INSTALLATION_ROUTES,
]);

/** Why a webhook of an event the app subscribes to is not routed (its action is not). */
const UNROUTED_ACTION: Readonly<Record<string, string>> = {
  pull_request: 'this pull request action changes nothing a review says',
  issue_comment: 'only new comments carry commands',
};

/** The route a webhook takes, by event name and payload action; null when it has none. */
function routeOf(name: string, payload: unknown): RoutedEvent | null {
  const action =
    isObject(payload) && typeof payload['action'] === 'string' ? payload['action'] : null;
  for (const route of [name, `${name}.${action}`]) if (isRoutedEvent(route)) return route;
  return null;
}

function isRoutedEvent(route: string): route is RoutedEvent {
  return ROUTED.has(route);
}

/**
 * A verified webhook as Probot's typed `receive` takes it, when the app routes it: the check is
 * the event name and action, as Probot's own dispatch reads them. Its payload is still hostile:
 * every route reads it through a checking reader, never by trusting these types.
 */
export function isRoutedWebhook(webhook: {
  id: string;
  name: string;
  payload: object;
}): webhook is EmitterWebhookEvent<RoutedEvent> {
  return routeOf(webhook.name, webhook.payload) !== null;
}

/** What a webhook asks of the app, decided from its payload alone (no request). */
export type Triage = Ignore | { kind: 'log' } | PullRequestWork | CommandWork;

export interface Ignore {
  kind: 'ignore';
  why: string;
}
export interface PullRequestWork {
  kind: 'pull_request';
  repository: PayloadRepository;
  facts: PullRequestEvent;
}
export interface CommandWork {
  kind: 'comment';
  repository: PayloadRepository;
  comment: CommentEvent;
}

/**
 * The same decision the routes make, for the intake, which must know before Probot whether a
 * webhook will start a handler (only those count against the bounds on running handlers).
 */
export function triage(name: string, payload: unknown): Triage {
  const route = routeOf(name, payload);
  if (route === null)
    return { kind: 'ignore', why: UNROUTED_ACTION[name] ?? 'the app does not handle this event' };
  if (route === 'installation' || route === 'installation_repositories') return { kind: 'log' };
  if (route === 'issue_comment.created') return commandOf(payload);
  return pullRequestOf(name, payload);
}

/** A pull request event the review acts on, or why this one is not. */
export function pullRequestOf(name: string, payload: unknown): PullRequestWork | Ignore {
  const subject = eventSubject(name, payload);
  if (subject.kind === 'none') return notAsSent(name, subject.reason);
  if (subject.kind !== 'pull-request' || subject.action === null)
    return notAsSent(name, 'it names no pull request action');
  if (subject.sender === null) return notAsSent(name, 'sender.login is missing');
  const repository = repositoryOf(payload);
  if (typeof repository === 'string') return notAsSent(name, repository);
  return {
    kind: 'pull_request',
    repository,
    facts: {
      action: subject.action,
      sender: subject.sender,
      ...subject.pullRequest,
    },
  };
}

/**
 * A comment that is a /steward command, or why this one is not (the route takes only new ones).
 * The cheap checks come first: most comments are not commands and cost no request at all.
 */
export function commandOf(payload: unknown): CommandWork | Ignore {
  const subject = eventSubject('issue_comment', payload);
  if (subject.kind === 'none') return notAsSent('issue_comment', subject.reason);
  if (subject.kind !== 'comment') return notAsSent('issue_comment', 'it names no comment');
  const { comment } = subject;
  if (comment.author.type === 'Bot')
    return { kind: 'ignore', why: 'comments by bots are never commands' };
  if (parseComment(comment.body).kind === 'none')
    return { kind: 'ignore', why: 'not a /steward command' };
  const repository = repositoryOf(payload);
  if (typeof repository === 'string') return notAsSent('issue_comment', repository);
  return {
    kind: 'comment',
    repository,
    comment: {
      action: subject.action ?? '',
      commentId: comment.id,
      body: comment.body,
      author: comment.author,
      issueNumber: subject.issueNumber,
      isPullRequest: subject.isPullRequest,
    },
  };
}

function notAsSent(name: string, reason: string): Ignore {
  // Signed by GitHub, yet without the fields its event has: nothing to act on.
  return {
    kind: 'ignore',
    why: `the payload is not a ${name} event as GitHub sends it: ${reason}`,
  };
}

/** The installation a webhook came through; 0 when it names none. */
export function installationOf(payload: unknown): number {
  const installation = isObject(payload) ? payload['installation'] : undefined;
  const id = isObject(installation) ? installation['id'] : undefined;
  return typeof id === 'number' ? id : 0;
}

/** The repository a webhook came from: where its handler reads and writes. */
export interface PayloadRepository {
  owner: string;
  repo: string;
  defaultBranch: string;
  /** Its web page (`html_url`), when it is that repository's on an https host; null otherwise. */
  webUrl: string | null;
}

/** The payload's repository, or which of its fields is not as GitHub sends it. */
function repositoryOf(payload: unknown): PayloadRepository | string {
  const repository = isObject(payload) ? payload['repository'] : undefined;
  if (!isObject(repository)) return 'repository is missing';
  const owner = isObject(repository['owner']) ? repository['owner']['login'] : undefined;
  const { name, default_branch: defaultBranch } = repository;
  if (typeof owner !== 'string' || owner === '') return 'repository.owner.login is missing';
  if (typeof name !== 'string' || name === '') return 'repository.name is missing';
  if (typeof defaultBranch !== 'string' || defaultBranch === '')
    return 'repository.default_branch is missing';
  return {
    owner,
    repo: name,
    defaultBranch,
    webUrl: webUrlOf(repository['html_url'], owner, name),
  };
}

/** `https://host/owner/repo` as the payload gives it, or null for any other shape (never a link elsewhere). */
function webUrlOf(value: unknown, owner: string, name: string): string | null {
  if (typeof value !== 'string') return null;
  const match = /^https:\/\/[^/\s?#@]+\/([\w.-]+)\/([\w.-]+)$/.exec(value);
  if (match === null) return null;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return same(match[1]!, owner) && same(match[2]!, name) ? value : null;
}

/**
 * What the work is, whatever delivery carries it: GitHub's "redeliver" and proxies send the same
 * event under new delivery ids, and the same work must not run twice.
 */
export function workKey(work: Triage): string | undefined {
  if (work.kind !== 'comment' && work.kind !== 'pull_request') return undefined;
  const repo = `${work.repository.owner}/${work.repository.repo}`;
  if (work.kind === 'comment') {
    const command = parseComment(work.comment.body);
    const text = command.kind === 'none' ? '' : command.text;
    // The command's first line can be long: a digest keeps the key (a Redis key too) short.
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
    return `command:${repo}#${work.comment.commentId}:${digest}`;
  }
  const { action, number, headSha } = work.facts;
  return `pull_request.${action}:${repo}#${number}@${headSha}`;
}

function isObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
