import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The app's Prometheus metrics, in a registry of its own (never prom-client's global one, so two
 * apps in one process, as in tests, do not collide).
 */
export interface AppMetrics {
  readonly registry: Registry;
  /** Webhooks by event (`pull_request.opened`) and what became of them. */
  readonly webhooks: Counter<'event' | 'outcome'>;
  /** From acknowledgement to the end of the handler, by event. */
  readonly handlerSeconds: Histogram<'event' | 'outcome'>;
  readonly inFlight: Gauge;
  /** GitHub API requests by method, route template and status class. */
  readonly githubRequests: Counter<'method' | 'route' | 'status'>;
  /** The last `x-ratelimit-remaining` GitHub sent, by rate-limit resource. */
  readonly rateLimitRemaining: Gauge<'resource'>;
  /** Model tokens spent by reviews the app ran itself, by model and direction. */
  readonly modelTokens: Counter<'model' | 'kind'>;
  /** Webhooks answered 503 before any work, by why (see ShedReason). */
  readonly shed: Counter<'reason'>;
  /** Webhook bodies being read whose signature is not checked yet. */
  readonly unverifiedBodies: Gauge;
  /** Alertmanager notifications and chaos results, by route and what became of them. */
  readonly incidentNotifications: Counter<'route' | 'outcome'>;
  /** From the request to its answer, by route and outcome (the work is done before the answer). */
  readonly incidentSeconds: Histogram<'route' | 'outcome'>;
  /** Notifications and chaos results refused (4xx), by route and why (see RefusalReason). */
  readonly alertsRefused: Counter<'route' | 'reason'>;
}

/** The incident routes (app/incident-routes.ts). */
export type IncidentRoute = 'alertmanager' | 'chaos';
/**
 * recorded: written to GitHub; duplicate: nothing new to write; refused: a 4xx; failed: a 5xx
 * the sender retries; busy: 503 while another request held the incident or the app drains.
 */
export type IncidentOutcome = 'recorded' | 'duplicate' | 'refused' | 'failed' | 'busy';
/** Why an incident route refused a request (4xx). */
export type RefusalReason =
  | 'unauthorized'
  | 'too_large'
  | 'not_json'
  | 'invalid_payload'
  | 'no_repository'
  | 'invalid_repository'
  | 'mixed_repositories'
  | 'not_allowed'
  | 'not_installed';

/** Why a webhook was turned away with 503 and `Retry-After`. */
export type ShedReason =
  'unverified_bodies' | 'unverified_bytes' | 'handlers' | 'installation_handlers' | 'draining';

/**
 * Label values come from fixed sets, never from what a request says: an unauthenticated client
 * choosing `X-GitHub-Event` would otherwise add a series per request it sends.
 */
const EVENT_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  issue_comment: ['created', 'edited', 'deleted'],
  pull_request: [
    'assigned',
    'auto_merge_disabled',
    'auto_merge_enabled',
    'closed',
    'converted_to_draft',
    'demilestoned',
    'dequeued',
    'edited',
    'enqueued',
    'labeled',
    'locked',
    'milestoned',
    'opened',
    'ready_for_review',
    'reopened',
    'review_request_removed',
    'review_requested',
    'synchronize',
    'unassigned',
    'unlabeled',
    'unlocked',
  ],
  installation: ['created', 'deleted', 'new_permissions_accepted', 'suspend', 'unsuspend'],
  installation_repositories: ['added', 'removed'],
  ping: [],
};

/** `pull_request.opened`; `pull_request.other` for an action not in the set; `other` for the rest. */
export function eventLabel(name: unknown, action?: unknown): string {
  if (typeof name !== 'string' || !Object.hasOwn(EVENT_ACTIONS, name)) return 'other';
  if (action === undefined || action === null) return name;
  return typeof action === 'string' && EVENT_ACTIONS[name]!.includes(action)
    ? `${name}.${action}`
    : `${name}.other`;
}

const RATE_LIMIT_RESOURCES = new Set([
  'core',
  'graphql',
  'search',
  'code_search',
  'integration_manifest',
  'source_import',
  'code_scanning_upload',
  'actions_runner_registration',
  'scim',
  'dependency_snapshots',
]);

export function createAppMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'steward_app_' });
  const registers = [registry];
  return {
    registry,
    webhooks: new Counter({
      name: 'steward_app_webhooks_total',
      help: 'Webhooks received, by event and outcome (handled, ignored, duplicate, refused, config_invalid, busy, failed, rejected).',
      labelNames: ['event', 'outcome'],
      registers,
    }),
    handlerSeconds: new Histogram({
      name: 'steward_app_handler_duration_seconds',
      help: 'Time a webhook handler ran after the webhook was acknowledged.',
      labelNames: ['event', 'outcome'],
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    inFlight: new Gauge({
      name: 'steward_app_handlers_in_flight',
      help: 'Webhook handlers running now; shutdown waits for them.',
      registers,
    }),
    githubRequests: new Counter({
      name: 'steward_app_github_requests_total',
      help: 'GitHub API requests, by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    rateLimitRemaining: new Gauge({
      name: 'steward_app_github_rate_limit_remaining',
      help: 'The x-ratelimit-remaining GitHub sent last, by resource (core, graphql, …).',
      labelNames: ['resource'],
      registers,
    }),
    modelTokens: new Counter({
      name: 'steward_app_model_tokens_total',
      help: 'Model tokens spent by reviews the app ran, by model and kind (input, output).',
      labelNames: ['model', 'kind'],
      registers,
    }),
    shed: new Counter({
      name: 'steward_app_webhooks_shed_total',
      help: 'Webhooks answered 503 with Retry-After before any work, by reason (unverified_bodies, unverified_bytes, handlers, installation_handlers, draining).',
      labelNames: ['reason'],
      registers,
    }),
    unverifiedBodies: new Gauge({
      name: 'steward_app_unverified_bodies',
      help: 'Webhook bodies being read whose signature is not checked yet.',
      registers,
    }),
    incidentNotifications: new Counter({
      name: 'steward_app_incident_notifications_total',
      help: 'POST /alertmanager and POST /chaos requests, by route and outcome (recorded, duplicate, refused, failed, busy).',
      labelNames: ['route', 'outcome'],
      registers,
    }),
    incidentSeconds: new Histogram({
      name: 'steward_app_incident_handling_seconds',
      help: 'Time from an incident request to its answer, which comes after the issue is written.',
      labelNames: ['route', 'outcome'],
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    alertsRefused: new Counter({
      name: 'steward_app_alerts_refused_total',
      help: 'Incident requests refused with a 4xx, by route and reason (unauthorized, too_large, not_json, invalid_payload, no_repository, invalid_repository, mixed_repositories, not_allowed, not_installed).',
      labelNames: ['route', 'reason'],
      registers,
    }),
  };
}

interface RequestOptions {
  method?: string;
  url?: string;
}

interface ResponseLike {
  status: number;
  headers: Record<string, unknown>;
}

/** What of an Octokit instance the metrics hook needs. */
export interface HookableOctokit {
  hook: {
    after(name: 'request', hook: (response: ResponseLike, options: RequestOptions) => void): void;
    error(
      name: 'request',
      hook: (error: unknown, options: RequestOptions) => Promise<unknown> | unknown,
    ): void;
  };
}

/** Counts every request an Octokit makes and keeps the rate-limit headers it gets back. */
export function instrumentOctokit(octokit: HookableOctokit, metrics: AppMetrics): void {
  const record = (options: RequestOptions, status: number, headers: Record<string, unknown>) => {
    metrics.githubRequests.inc({
      method: options.method ?? 'GET',
      // The route template (`/repos/{owner}/{repo}/…`), not the URL: bounded label values.
      route: (options.url ?? '').replace(/^https?:\/\/[^/]+(\/api\/v3)?/, ''),
      status: String(status),
    });
    const remaining = Number(headers['x-ratelimit-remaining']);
    const resource = headers['x-ratelimit-resource'];
    if (Number.isFinite(remaining) && typeof resource === 'string')
      metrics.rateLimitRemaining.set(
        { resource: RATE_LIMIT_RESOURCES.has(resource) ? resource : 'other' },
        remaining,
      );
  };
  octokit.hook.after('request', (response, options) =>
    record(options, response.status, response.headers),
  );
  octokit.hook.error('request', (error, options) => {
    const failed = error as { status?: number; response?: { headers?: Record<string, unknown> } };
    record(options, failed.status ?? 0, failed.response?.headers ?? {});
    throw error;
  });
}
