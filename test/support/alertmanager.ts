import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';

/**
 * A real Prometheus Alertmanager (Debian's `prometheus-alertmanager`) on loopback, for end-to-end
 * tests of the `POST /alertmanager` webhook receiver: alerts posted to its API are grouped, timed
 * and delivered by Alertmanager itself, as in production. Its timers (group_wait, group_interval,
 * retries) mean tests must poll for outcomes with generous timeouts, never assert on speed.
 */

/** STEWARD_ALERTMANAGER runs another binary, e.g. an upstream release. */
export const ALERTMANAGER_BINARY =
  process.env['STEWARD_ALERTMANAGER'] ?? '/usr/bin/prometheus-alertmanager';

/** An alert as Alertmanager's API v2 takes it (`POST /api/v2/alerts`, `postableAlert`). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** RFC 3339; Alertmanager sets it to now when absent. */
  startsAt?: string;
  /** RFC 3339; a time in the past resolves the alert. */
  endsAt?: string;
  generatorURL?: string;
}

export interface WebhookTarget {
  /** Where Alertmanager posts notifications. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`; none when absent. */
  token?: string;
}

export interface AlertmanagerOptions extends WebhookTarget {
  /** Route `group_by`; default `['alertname']`. */
  groupBy?: readonly string[];
  /** Route timers, as Alertmanager durations; defaults 1s, 1s, 1h. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** The webhook's `max_alerts` (0: all). */
  maxAlerts?: number;
}

export interface Alertmanager {
  /** Base URL of its API and UI, also its `externalURL`. */
  readonly url: string;
  /** `POST /api/v2/alerts`; throws unless Alertmanager accepts them. */
  postAlerts(alerts: readonly PostableAlert[]): Promise<void>;
  /** Posts the same alerts again ending a second ago (or as they start), which resolves them. */
  resolve(alerts: readonly PostableAlert[]): Promise<void>;
  /** Rewrites the config (webhook target, timers) and reloads it (`POST /-/reload`). */
  reconfigure(options: AlertmanagerOptions): Promise<void>;
  /** What it has written to stderr (its log), for failure messages. */
  log(): string;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * Alertmanager's configuration: one route to one webhook receiver named `steward`, resolved
 * notifications on. JSON is YAML, so no YAML writer is needed (and no value can break out).
 */
export function alertmanagerConfig(options: AlertmanagerOptions): string {
  const webhook: Record<string, unknown> = {
    url: options.url,
    send_resolved: true,
    max_alerts: options.maxAlerts ?? 0,
  };
  if (options.token !== undefined)
    webhook['http_config'] = { authorization: { type: 'Bearer', credentials: options.token } };
  return JSON.stringify(
    {
      route: {
        receiver: 'steward',
        group_by: options.groupBy ?? ['alertname'],
        group_wait: options.groupWait ?? '1s',
        group_interval: options.groupInterval ?? '1s',
        repeat_interval: options.repeatInterval ?? '1h',
      },
      receivers: [{ name: 'steward', webhook_configs: [webhook] }],
    },
    null,
    2,
  );
}

export async function startAlertmanager(options: AlertmanagerOptions): Promise<Alertmanager> {
  if (spawnSync(ALERTMANAGER_BINARY, ['--version']).error) {
    throw new Error(
      `${ALERTMANAGER_BINARY} is not installed: run scripts/setup-system.sh (Debian's prometheus-alertmanager), or point STEWARD_ALERTMANAGER at one`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'steward-alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, alertmanagerConfig(options));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      // Empty: no cluster, so no gossip port and no wait for peers before notifying.
      '--cluster.listen-address=',
      '--log.level=debug',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (exited) throw new Error(`Alertmanager exited before it was ready:\n${log}`);
      const ready = await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline)
        throw new Error(`Alertmanager was not ready within a minute:\n${log}`);
      await sleep(100);
    }
  } catch (error: unknown) {
    await stop();
    throw error;
  }

  const postAlerts = async (alerts: readonly PostableAlert[]) => {
    const response = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    if (!response.ok)
      throw new Error(
        `Alertmanager refused the alerts: ${response.status} ${await response.text()}`,
      );
  };

  return {
    url,
    postAlerts,
    resolve: (alerts) => {
      const now = Date.now();
      return postAlerts(
        alerts.map((alert) => {
          // A second ago, but never before the alert started (Alertmanager refuses that).
          const started = alert.startsAt === undefined ? 0 : Date.parse(alert.startsAt) + 1;
          const endsAt = Math.min(now, Math.max(now - 1000, started));
          return { ...alert, endsAt: new Date(endsAt).toISOString() };
        }),
      );
    },
    async reconfigure(next) {
      await writeFile(configFile, alertmanagerConfig(next));
      const response = await fetch(`${url}/-/reload`, { method: 'POST' });
      if (!response.ok)
        throw new Error(
          `Alertmanager refused the new config: ${response.status} ${await response.text()}`,
        );
    },
    log: () => log,
    stop,
  };
}

/** One request Alertmanager made to a webhook recorder. */
export interface RecordedNotification {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as Alertmanager sent it. */
  body: string;
  /** The status the recorder answered (the forward target's, when forwarding). */
  status: number;
}

export interface WebhookRecorder {
  /** Where to point Alertmanager (`/alertmanager` on the recorder). */
  readonly url: string;
  readonly notifications: readonly RecordedNotification[];
  /** Where to forward from now on (the app's URL with its path); null answers 200 itself. */
  forwardTo(url: string | null): void;
  /** Resolves with the first notification matching, polling until `timeoutMs`. */
  waitFor(
    match: (n: RecordedNotification) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<RecordedNotification>;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that records every request Alertmanager makes and answers 200, or
 * forwards it (method, body, content type and authorization unchanged) to a target and answers
 * what the target answered, so Alertmanager's retries see the real outcome. What it recorded can be
 * sent again by a test, as a redelivery byte for byte.
 */
export async function startWebhookRecorder(): Promise<WebhookRecorder> {
  const notifications: RecordedNotification[] = [];
  let target: string | null = null;
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const answer = (status: number, text: string) => {
        notifications.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body,
          status,
        });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
      };
      if (target === null) {
        answer(200, 'ok');
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization', 'user-agent']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      fetch(target, { method: req.method ?? 'POST', headers, body }).then(
        async (response) => answer(response.status, await response.text()),
        (error: unknown) => answer(502, String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/alertmanager`,
    notifications,
    forwardTo(url) {
      target = url;
    },
    async waitFor(match, what, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = notifications.find(match);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(
            `Alertmanager posted no notification ${what} within ${timeoutMs / 1000} s; it posted:\n${notifications.map((n) => n.body).join('\n')}`,
          );
        await sleep(100);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await sleep(100);
  }
}
