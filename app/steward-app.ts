import type { ApplicationFunction, Context, Probot } from 'probot';
import { createGitHubClient } from '../src/github/octokit-client.ts';
import type { OctokitLike } from '../src/github/octokit-client.ts';
import type { Claims } from './claims.ts';
import { createGitHubConfigReader } from '../src/github/config-reader.ts';
import { loadConfig } from '../src/config/loader.ts';
import type { ConfigOutcome } from '../src/config/loader.ts';
import type { DeliveryRunner } from './deliveries.ts';
import { commentEventOf, onIssueComment } from './handlers/issue-comment.ts';
import { describeInstallation } from './handlers/installation.ts';
import { REVIEWED_ACTIONS, onPullRequest, pullRequestEventOf } from './handlers/pull-request.ts';
import type { AppMetrics } from './metrics.ts';
import { operationalRoutes } from './routes.ts';
import type { EventScope } from './scope.ts';
import { parseComment } from '../src/app/commands.ts';

export interface StewardAppDeps {
  runner: DeliveryRunner;
  claims: Claims;
  metrics: AppMetrics;
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
    app.onAny((context) => {
      receive(deps, context as unknown as Context);
    });
  };
}

function receive(deps: StewardAppDeps, context: Context): void {
  const payload = context.payload as unknown as Payload;
  const action = typeof payload['action'] === 'string' ? payload['action'] : null;
  const event = action ? `${context.name}.${action}` : context.name;
  const log = context.log.child({ delivery: context.id, event });
  const delivery = { id: context.id, event, log };
  const ignore = (why: string) => {
    log.debug(`ignored: ${why}`);
    deps.metrics.webhooks.inc({ event, outcome: 'ignored' });
  };

  if (!HANDLED.has(context.name)) return ignore('the app does not handle this event');
  if (context.name === 'installation' || context.name === 'installation_repositories') {
    // Nothing to write: installing or removing the app needs no answer from it.
    log.info(describeInstallation(context.name, payload), 'installation changed');
    deps.metrics.webhooks.inc({ event, outcome: 'logged' });
    return;
  }
  if (context.name === 'pull_request') {
    if (!(REVIEWED_ACTIONS as readonly (string | null)[]).includes(action))
      return ignore('this pull request action changes nothing a review says');
    const facts = pullRequestEventOf(payload as never);
    deps.runner.start(delivery, async () => onPullRequest(scopeOf(deps, context, delivery), facts));
    return;
  }
  const comment = commentEventOf(payload as never);
  // Cheap checks first: most comments are not commands and cost no request at all.
  if (comment.action !== 'created') return ignore('only new comments carry commands');
  if (comment.author.type === 'Bot') return ignore('comments by bots are never commands');
  if (parseComment(comment.body).kind === 'none') return ignore('not a /steward command');
  deps.runner.start(delivery, async () =>
    onIssueComment(scopeOf(deps, context, delivery), comment),
  );
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
    client: createGitHubClient(octokit, repo),
    config,
    claims: deps.claims,
    metrics: deps.metrics,
  };
}
