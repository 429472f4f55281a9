import type { Logger } from 'pino';
import type { ApplicationFunction, Context, Probot } from 'probot';
import { createGitHubClient } from '../src/github/octokit-client.ts';
import type { Leases } from './leases.ts';
import { configReaderFor } from '../src/github/config-reader.ts';
import { loadConfig } from '../src/config/loader.ts';
import type { ConfigOutcome } from '../src/config/loader.ts';
import type { Delivery, DeliveryRunner, Outcome } from './deliveries.ts';
import { onIssueComment } from './handlers/issue-comment.ts';
import { describeInstallation } from './handlers/installation.ts';
import { onPullRequest } from './handlers/pull-request.ts';
import { eventLabel } from './metrics.ts';
import type { AppMetrics } from './metrics.ts';
import { operationalRoutes } from './routes.ts';
import type { EventScope } from './scope.ts';
import {
  COMMENT_ROUTES,
  INSTALLATION_ROUTES,
  PULL_REQUEST_ROUTES,
  commandOf,
  installationOf,
  pullRequestOf,
  triage,
  workKey,
} from './webhook-routes.ts';
import type {
  CommandWork,
  Ignore,
  PayloadRepository,
  PullRequestWork,
  RoutedEvent,
} from './webhook-routes.ts';

export interface StewardAppDeps {
  runner: DeliveryRunner;
  leases: Leases;
  metrics: AppMetrics;
  /** `<app-slug>[bot]`: the only author whose marked comments are Steward's. */
  account(): Promise<string>;
  draining(): boolean;
}

/**
 * The Probot application: wiring only. One typed route per kind of webhook the app acts on (the
 * server acknowledges every other one without handing it to Probot, see {@link ignoreUnrouted});
 * each reads its payload through the checking reader, returns early when the webhook does not
 * concern it, and otherwise starts one handler after the webhook is answered (DeliveryRunner),
 * against the narrow GitHub client.
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
    app.on([...PULL_REQUEST_ROUTES], (context) =>
      route(
        deps,
        context,
        () => pullRequestOf(context.name, context.payload),
        (scope, work) => onPullRequest(scope, work.facts),
      ),
    );
    app.on([...COMMENT_ROUTES], (context) =>
      route(
        deps,
        context,
        () => commandOf(context.payload),
        (scope, work) => onIssueComment(scope, work.comment),
      ),
    );
    app.on([...INSTALLATION_ROUTES], (context) =>
      guard(deps, context, () => {
        // Nothing to write: installing or removing the app needs no answer from it.
        const event = eventLabel(context.name, context.payload.action);
        context.log
          .child({ delivery: context.id, event })
          .info(describeInstallation(context.payload), 'installation changed');
        deps.metrics.webhooks.inc({ event, outcome: 'logged' });
      }),
    );
  };
}

/**
 * A webhook no route takes (another event, or an action of a subscribed event that changes
 * nothing for Steward): acknowledged, counted and logged as ignored, like a routed webhook that
 * turns out not to concern the app.
 */
export function ignoreUnrouted(
  deps: Pick<StewardAppDeps, 'metrics'> & { log: Logger },
  webhook: { id: string; name: string; payload: { readonly [key: string]: unknown } },
): void {
  const work = triage(webhook.name, webhook.payload);
  const event = eventLabel(webhook.name, webhook.payload['action']);
  const why = work.kind === 'ignore' ? work.why : 'the app does not handle this event';
  deps.log.child({ delivery: webhook.id, event }).debug(`ignored: ${why}`);
  deps.metrics.webhooks.inc({ event, outcome: 'ignored' });
}

/**
 * Reads what the webhook asks (`read`, from its payload alone), and starts the one handler for it,
 * or counts it as ignored when it does not concern the app.
 */
function route<E extends RoutedEvent, W extends PullRequestWork | CommandWork>(
  deps: StewardAppDeps,
  context: Context<E>,
  read: () => W | Ignore,
  handler: (scope: EventScope, work: W) => Promise<Outcome>,
): void {
  guard(deps, context, () => {
    const event = eventLabel(context.name, context.payload.action);
    const log = context.log.child({ delivery: context.id, event });
    const work = read();
    if (work.kind === 'ignore') {
      log.debug(`ignored: ${work.why}`);
      deps.metrics.webhooks.inc({ event, outcome: 'ignored' });
      return;
    }
    const key = workKey(work);
    const delivery: Delivery = {
      id: context.id,
      event,
      log,
      installation: installationOf(context.payload),
      ...(key ? { workKey: key } : {}),
    };
    const { repository } = work;
    deps.runner.start(delivery, async () =>
      handler(scopeOf(deps, context, delivery, repository), work),
    );
  });
}

/**
 * A route must never throw into Probot (that would answer GitHub 500 and make it redeliver): a
 * payload it cannot read is one log line, never the payload itself, and a failed count.
 */
function guard<E extends RoutedEvent>(deps: StewardAppDeps, context: Context<E>, run: () => void) {
  try {
    run();
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    context.log.error({ delivery: context.id, reason }, 'webhook payload not understood');
    deps.metrics.webhooks.inc({ event: eventLabel(context.name), outcome: 'failed' });
  }
}

function scopeOf<E extends RoutedEvent>(
  deps: StewardAppDeps,
  context: Context<E>,
  delivery: EventScope['delivery'],
  { owner, repo: name, defaultBranch, webUrl }: PayloadRepository,
): EventScope {
  const repo = { owner, repo: name };
  const client = createGitHubClient(context.octokit, repo, {
    // The App learns its bot's login from GET /app; REST comments carry that login.
    ownAccount: async () => ({ login: await deps.account(), databaseId: null }),
  });
  const reader = configReaderFor(client);
  const configs = new Map<string, Promise<ConfigOutcome>>();
  const config = (ref: string) => {
    let loaded = configs.get(ref);
    if (!loaded) configs.set(ref, (loaded = loadConfig({ reader, repo, ref })));
    return loaded;
  };
  return {
    delivery,
    repo,
    defaultBranch,
    webUrl,
    client,
    config,
    leases: deps.leases,
    metrics: deps.metrics,
  };
}
