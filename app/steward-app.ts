import { createHash } from 'node:crypto';
import type { ApplicationFunction, Context, Probot } from 'probot';
import { createGitHubClient } from '../src/github/octokit-client.ts';
import type { OctokitLike } from '../src/github/octokit-client.ts';
import type { Leases } from './leases.ts';
import { createGitHubConfigReader } from '../src/github/config-reader.ts';
import { loadConfig } from '../src/config/loader.ts';
import type { ConfigOutcome } from '../src/config/loader.ts';
import type { DeliveryRunner } from './deliveries.ts';
import { commentEventOf, onIssueComment } from './handlers/issue-comment.ts';
import type { CommentEvent } from './handlers/issue-comment.ts';
import { describeInstallation } from './handlers/installation.ts';
import { REVIEWED_ACTIONS, onPullRequest, pullRequestEventOf } from './handlers/pull-request.ts';
import type { PullRequestEvent } from './handlers/pull-request.ts';
import { eventLabel } from './metrics.ts';
import type { AppMetrics } from './metrics.ts';
import { operationalRoutes } from './routes.ts';
import type { EventScope } from './scope.ts';
import { parseComment } from '../src/commands/parse.ts';

export interface StewardAppDeps {
  runner: DeliveryRunner;
  leases: Leases;
  metrics: AppMetrics;
  /** `<app-slug>[bot]`: the only author whose marked comments are Steward's. */
  account(): Promise<string>;
  draining(): boolean;
}

/** The events app.yml subscribes to; the manifest test holds the two lists together. */
export const SUBSCRIBED_EVENTS = ['issue_comment', 'pull_request'] as const;
/** Installation events come to every app without a subscription. */
const HANDLED = new Set<string>([
  ...SUBSCRIBED_EVENTS,
  'installation',
  'installation_repositories',
]);

type Payload = Record<string, unknown>;

/**
 * The Probot application: wiring only. Each webhook is answered at once and its handler runs
 * after (DeliveryRunner), against the narrow GitHub client.
 */
export function stewardApp(deps: StewardAppDeps): ApplicationFunction {
  return (app: Probot, { addHandler }) => {
    addHandler(
      operationalRoutes({
        metrics: deps.metrics,
        draining: deps.draining,
        running: () => deps.runner.running,
      }),
    );
    app.onAny((event) => {
      const context = event as unknown as Context;
      try {
        receive(deps, context);
      } catch (error: unknown) {
        // A payload without the fields its event has: one line, never the payload itself.
        const reason = error instanceof Error ? error.message : String(error);
        context.log.error({ delivery: context.id, reason }, 'webhook payload not understood');
        deps.metrics.webhooks.inc({ event: eventLabel(context.name), outcome: 'failed' });
      }
    });
  };
}

/** What a webhook asks of the app, decided from its payload alone (no request). */
export type Triage =
  | { kind: 'ignore'; why: string }
  | { kind: 'log' }
  | { kind: 'pull_request'; facts: PullRequestEvent }
  | { kind: 'comment'; comment: CommentEvent };

export function triage(name: string, payload: Payload): Triage {
  try {
    return triageOf(name, payload);
  } catch (error: unknown) {
    // Signed by GitHub, yet without the fields its event has: nothing to act on.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: 'ignore',
      why: `the payload is not a ${name} event as GitHub sends it: ${reason}`,
    };
  }
}

function triageOf(name: string, payload: Payload): Triage {
  const action = typeof payload['action'] === 'string' ? payload['action'] : null;
  if (!HANDLED.has(name)) return { kind: 'ignore', why: 'the app does not handle this event' };
  // Nothing to write: installing or removing the app needs no answer from it.
  if (name === 'installation' || name === 'installation_repositories') return { kind: 'log' };
  if (name === 'pull_request') {
    if (!(REVIEWED_ACTIONS as readonly (string | null)[]).includes(action))
      return { kind: 'ignore', why: 'this pull request action changes nothing a review says' };
    return { kind: 'pull_request', facts: pullRequestEventOf(payload as never) };
  }
  const comment = commentEventOf(payload as never);
  // Cheap checks first: most comments are not commands and cost no request at all.
  if (comment.action !== 'created')
    return { kind: 'ignore', why: 'only new comments carry commands' };
  if (comment.author.type === 'Bot')
    return { kind: 'ignore', why: 'comments by bots are never commands' };
  const parsed = parseComment(comment.body);
  if (parsed.kind === 'none') return { kind: 'ignore', why: 'not a /steward command' };
  return { kind: 'comment', comment };
}

/** The installation a webhook came through; 0 when it names none. */
export function installationOf(payload: Payload): number {
  const id = (payload['installation'] as { id?: unknown } | undefined)?.id;
  return typeof id === 'number' ? id : 0;
}

/**
 * What the work is, whatever delivery carries it: GitHub's "redeliver" and proxies send the same
 * event under new delivery ids, and the same work must not run twice.
 */
function workKey(payload: Payload, work: Triage): string | undefined {
  const repository = payload['repository'] as { full_name?: unknown } | undefined;
  const repo = typeof repository?.full_name === 'string' ? repository.full_name : '?';
  if (work.kind === 'comment') {
    const command = parseComment(work.comment.body);
    const text = command.kind === 'none' ? '' : command.text;
    // The command's first line can be long: a digest keeps the key (a Redis key too) short.
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
    return `command:${repo}#${work.comment.commentId}:${digest}`;
  }
  if (work.kind === 'pull_request') {
    const { action, number, headSha } = work.facts;
    return `pull_request.${action}:${repo}#${number}@${headSha}`;
  }
  return undefined;
}

function receive(deps: StewardAppDeps, context: Context): void {
  const payload = context.payload as unknown as Payload;
  const event = eventLabel(context.name, payload['action']);
  const log = context.log.child({ delivery: context.id, event });
  const installation = installationOf(payload);
  const work = triage(context.name, payload);
  const key = workKey(payload, work);
  const delivery = { id: context.id, event, log, installation, ...(key ? { workKey: key } : {}) };

  switch (work.kind) {
    case 'ignore':
      log.debug(`ignored: ${work.why}`);
      deps.metrics.webhooks.inc({ event, outcome: 'ignored' });
      return;
    case 'log':
      log.info(describeInstallation(context.name, payload), 'installation changed');
      deps.metrics.webhooks.inc({ event, outcome: 'logged' });
      return;
    case 'pull_request':
      deps.runner.start(delivery, async () =>
        onPullRequest(scopeOf(deps, context, delivery), work.facts),
      );
      return;
    case 'comment':
      deps.runner.start(delivery, async () =>
        onIssueComment(scopeOf(deps, context, delivery), work.comment),
      );
      return;
  }
}

function scopeOf(
  deps: StewardAppDeps,
  context: Context,
  delivery: EventScope['delivery'],
): EventScope {
  const repository = (context.payload as unknown as Payload)['repository'] as {
    name: string;
    owner: { login: string };
    default_branch: string;
  };
  const repo = { owner: repository.owner.login, repo: repository.name };
  const octokit = context.octokit as unknown as OctokitLike;
  const reader = createGitHubConfigReader(octokit);
  const configs = new Map<string, Promise<ConfigOutcome>>();
  const config = (ref: string) => {
    let loaded = configs.get(ref);
    if (!loaded) configs.set(ref, (loaded = loadConfig({ reader, repo, ref })));
    return loaded;
  };
  return {
    delivery,
    repo,
    defaultBranch: repository.default_branch,
    client: createGitHubClient(octokit, repo, {
      // The App learns its bot's login from GET /app; REST comments carry that login.
      ownAccount: async () => ({ login: await deps.account(), databaseId: null }),
    }),
    config,
    leases: deps.leases,
    metrics: deps.metrics,
  };
}
