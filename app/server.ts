import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ProbotOctokit, createNodeMiddleware, createProbot } from 'probot';
import { memoryLeases, redisLeases } from './leases.ts';
import { DeliveryRunner } from './deliveries.ts';
import { appAccount } from './identity.ts';
import { createIncidentRoutes } from './incident-routes.ts';
import { createAppMetrics, instrumentOctokit } from './metrics.ts';
import type { AppMetrics } from './metrics.ts';
import type { AppSettings } from './settings.ts';
import { ignoreUnrouted, stewardApp } from './steward-app.ts';
import { installationOf, isRoutedWebhook, triage } from './webhook-routes.ts';
import { MAX_WEBHOOK_BYTES, createWebhookIntake, isWebhookPath } from './webhook-intake.ts';
import { fetchWithTimeout } from '../src/github/request-timeout.ts';

export interface RunningApp {
  readonly port: number;
  readonly metrics: AppMetrics;
  /**
   * Stops taking webhooks (503, and /healthz says draining), waits for running handlers up to the
   * grace period, then closes. Resolves true when every handler finished.
   */
  shutdown(): Promise<boolean>;
}

/**
 * Probot's Octokit with two additions: every request is counted for /metrics, and throttling is
 * keyed by installation. GitHub's limits are per installation token, and Probot's default key is
 * one for the whole process, which would space every installation's writes a second apart from
 * each other's. With REDIS_URL the keys live in Redis, shared by every instance.
 */
function stewardOctokit(metrics: AppMetrics, timeoutMs: number) {
  const timedFetch = fetchWithTimeout(timeoutMs);
  return ProbotOctokit.plugin((octokit) => {
    instrumentOctokit(octokit, metrics);
    return {};
  }).defaults((options: Record<string, unknown>) => {
    const installationId = fieldsOf(options['auth'])['installationId'];
    const throttle = fieldsOf(options['throttle']);
    const key = typeof installationId === 'number' ? `installation-${installationId}` : 'app';
    const request = fieldsOf(options['request']);
    return {
      ...options,
      throttle: { ...throttle, id: `steward-${key}` },
      // Every request has a deadline: a hung connection fails its handler with the reason.
      request: { ...request, fetch: timedFetch },
    };
  });
}

/** GitHub's web address for a REST base: https://github.com, or a GitHub Enterprise host's. */
function webUrlOf(baseUrl: string): string {
  return baseUrl === 'https://api.github.com'
    ? 'https://github.com'
    : baseUrl.replace(/\/api\/v3$/, '');
}

/** An options object Probot passes, as plain fields; none when it passes nothing. */
function fieldsOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? { ...value } : {};
}

export async function startApp(settings: AppSettings, log: Logger): Promise<RunningApp> {
  const metrics = createAppMetrics();
  const leases = settings.redisUrl ? await redisLeases(settings.redisUrl) : memoryLeases();
  const runner = new DeliveryRunner(leases, metrics, {
    maxRunning: settings.maxHandlers,
    maxPerInstallation: settings.maxHandlersPerInstallation,
  });
  let draining = false;

  const probot = createProbot({
    env: {},
    overrides: {
      appId: settings.appId,
      privateKey: settings.privateKey,
      secret: settings.webhookSecret,
      baseUrl: settings.baseUrl,
      webhookPath: settings.webhookPath,
      log,
      Octokit: stewardOctokit(metrics, settings.githubTimeoutMs),
      ...(settings.redisUrl ? { redisConfig: settings.redisUrl } : {}),
    },
  });
  const account = appAccount(probot, log);
  const middleware = await createNodeMiddleware(
    stewardApp({ runner, leases, metrics, account, draining: () => draining }),
    { probot, webhooksPath: settings.webhookPath },
  );

  // Alertmanager and chaos results: their own bearer tokens, answered only once recorded.
  const incidents = createIncidentRoutes({
    settings: settings.incidents,
    probot,
    leases,
    metrics,
    log,
    account,
    draining: () => draining,
    webUrl: webUrlOf(settings.baseUrl),
  });

  const intake = createWebhookIntake({
    secret: settings.webhookSecret,
    limits: {
      maxBodyBytes: MAX_WEBHOOK_BYTES,
      maxUnverifiedBodies: settings.maxUnverifiedBodies,
      maxUnverifiedBytes: settings.maxUnverifiedBytes,
    },
    metrics,
    log,
    draining: () => draining,
    // Only webhooks that start a handler count against the bounds; the rest cost nothing.
    admit: ({ name, payload }) => {
      const { kind } = triage(name, payload);
      return kind === 'pull_request' || kind === 'comment'
        ? runner.admission(installationOf(payload))
        : null;
    },
    // Probot gets only what a route takes; everything else is acknowledged here.
    receive: async (webhook) => {
      if (isRoutedWebhook(webhook)) await probot.receive(webhook);
      else ignoreUnrouted({ metrics, log }, webhook);
    },
  });

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  // A body trickled in byte by byte holds its slot for at most this long.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method === 'POST' && isWebhookPath(req.url ?? '/', settings.webhookPath))
        await intake(req, res);
      else if (await incidents.handle(req, res)) return;
      else
        await middleware(req, res, () => {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        });
    } catch (error: unknown) {
      log.error({ err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(500).end();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  log.info(
    {
      port,
      host: settings.host,
      webhookPath: settings.webhookPath,
      redis: settings.redisUrl !== null,
    },
    `Steward app listening on ${settings.host}:${port}`,
  );

  return {
    port,
    metrics,
    async shutdown() {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      log.info({ handlersRunning: runner.running }, 'shutting down: finishing running handlers');
      const [handlersDone, incidentsDone] = await Promise.all([
        runner.drain(settings.shutdownGraceMs),
        incidents.idle(settings.shutdownGraceMs),
      ]);
      const finished = handlersDone && incidentsDone;
      if (!finished)
        log.warn(
          { handlersRunning: runner.running },
          'shutdown grace period over: handlers cut short',
        );
      server.closeAllConnections();
      await closed;
      await leases.close();
      return finished;
    },
  };
}
