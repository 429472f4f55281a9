import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ProbotOctokit, createNodeMiddleware, createProbot } from 'probot';
import { memoryClaims, redisClaims } from './claims.ts';
import { DeliveryRunner } from './deliveries.ts';
import { createAppMetrics, instrumentOctokit } from './metrics.ts';
import type { AppMetrics, HookableOctokit } from './metrics.ts';
import type { AppSettings } from './settings.ts';
import { stewardApp } from './steward-app.ts';

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
function stewardOctokit(metrics: AppMetrics) {
  return ProbotOctokit.plugin((octokit) => {
    instrumentOctokit(octokit as unknown as HookableOctokit, metrics);
    return {};
  }).defaults((options: Record<string, unknown>) => {
    const auth = options['auth'] as { installationId?: number } | undefined;
    const throttle = (options['throttle'] ?? {}) as Record<string, unknown>;
    const key = auth?.installationId === undefined ? 'app' : `installation-${auth.installationId}`;
    return { ...options, throttle: { ...throttle, id: `steward-${key}` } };
  });
}

export async function startApp(settings: AppSettings, log: Logger): Promise<RunningApp> {
  const metrics = createAppMetrics();
  const claims = settings.redisUrl ? await redisClaims(settings.redisUrl) : memoryClaims();
  const runner = new DeliveryRunner(claims, metrics);
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
      Octokit: stewardOctokit(metrics) as unknown as typeof ProbotOctokit,
      ...(settings.redisUrl ? { redisConfig: settings.redisUrl } : {}),
    },
  });
  const middleware = await createNodeMiddleware(
    stewardApp({ runner, claims, metrics, draining: () => draining }),
    { probot, webhooksPath: settings.webhookPath },
  );

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === settings.webhookPath && req.method === 'POST') {
      if (draining) {
        // Another instance (or GitHub's redelivery) takes it; this one is on its way out.
        res.writeHead(503, { 'retry-after': '5', 'content-type': 'text/plain' });
        res.end('shutting down\n');
        return;
      }
      res.on('finish', () => {
        // Bad signatures, missing headers, wrong content type: answered by Probot before any handler.
        if (res.statusCode >= 400) {
          const event = req.headers['x-github-event'];
          metrics.webhooks.inc({
            event: typeof event === 'string' ? event : 'unknown',
            outcome: 'rejected',
          });
        }
      });
    }
    try {
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
      const finished = await runner.drain(settings.shutdownGraceMs);
      if (!finished)
        log.warn(
          { handlersRunning: runner.running },
          'shutdown grace period over: handlers cut short',
        );
      server.closeAllConnections();
      await closed;
      await claims.close();
      return finished;
    },
  };
}
