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
}

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
      metrics.rateLimitRemaining.set({ resource }, remaining);
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
