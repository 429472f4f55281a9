/**
 * Alertmanager notifications through the Steward app while GitHub is slow.
 * Rerun: `npm run bench:incidents` (`-- --quick` for a small run; loopback only: the app process
 * and the GitHub fake on 127.0.0.1).
 *
 * The app runs as in production (`node app/main.ts`) against the GitHub fake, which adds 50 ms to
 * every request. Alertmanager's webhook notifications (payload version 4) for 1,000 alert groups
 * over 100 repositories are posted to `POST /alertmanager` with a bounded number in flight, as
 * Alertmanager's notification pipelines send them: every group fires, a share of them is delivered
 * again (Alertmanager's repeat_interval, an HA pair's second copy, a retry), then every group
 * resolves (which writes the post-incident report). For each phase it reports the acknowledgement
 * time (request sent → response; the app answers only once the issue is written), GitHub requests
 * and writes per notification (the fake's request log over the phase), and the app's resident
 * memory (its own /metrics, sampled through the run).
 *
 * Probot's throttling (@octokit/plugin-throttling) spaces an installation's writes a second apart,
 * and its requests that notify people (a new issue, a comment) three seconds apart, as GitHub asks;
 * the app keys that throttling by installation. So the spread over installations decides the
 * figures: with one installation, 1,000 groups firing at once queue two notifying writes each,
 * 3 s apart. By default each repository belongs to its own installation: the fake answers every
 * repository's installation lookup with its one installation, so a small proxy in front of it gives
 * each repository its own, as 100 organisations' installations would be.
 *
 * Environment: ALERT_GROUPS (1,000; bash reserves GROUPS), REPOSITORIES (100), INSTALLATIONS (as many
 * as repositories; the repositories are spread over them), CONCURRENCY (16 in flight),
 * REPEATED_SHARE (0.3), GITHUB_LATENCY_MS (50).
 */
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGitHubFake } from '../test/support/github-fake/index.ts';
import type { GitHubFake, RecordedRequest } from '../test/support/github-fake/index.ts';
import { startAppProcess } from '../test/app/support/app-process.ts';
import { appMetric, percentile } from './app-traffic.ts';

const QUICK = process.argv.includes('--quick');
const GITHUB_LATENCY_MS = Number(process.env['GITHUB_LATENCY_MS'] ?? 50);
const REPOSITORIES = Number(process.env['REPOSITORIES'] ?? (QUICK ? 10 : 100));
const GROUPS = Number(process.env['ALERT_GROUPS'] ?? (QUICK ? 50 : 1000));
const INSTALLATIONS = Number(process.env['INSTALLATIONS'] ?? REPOSITORIES);
/** Notifications in flight at once (Alertmanager sends each group's on its own). */
const CONCURRENCY = Number(process.env['CONCURRENCY'] ?? 16);
/** Share of groups whose firing notification is delivered a second time. */
const REPEATED_SHARE = Number(process.env['REPEATED_SHARE'] ?? 0.3);
const TOKEN = 'bench-alertmanager-token-0123456789';
const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

interface Group {
  repo: { owner: string; repo: string };
  alertname: string;
  groupKey: string;
  alerts: { fingerprint: string; labels: Record<string, string>; startsAt: string }[];
}

const repos = Array.from({ length: REPOSITORIES }, (_, i) => ({
  owner: `org${i % INSTALLATIONS}`,
  repo: `service-${i}`,
  installationId: (i % INSTALLATIONS) + 1,
}));
const installationOf = new Map(repos.map((r) => [`${r.owner}/${r.repo}`, r.installationId]));

const startedAt = new Date(Date.now() - 10 * 60_000).toISOString();
const groups: Group[] = Array.from({ length: GROUPS }, (_, g) => {
  const { owner, repo } = repos[g % REPOSITORIES]!;
  const alertname = `Bench${g}HighLatency`;
  const steward_repo = `${owner}/${repo}`;
  const size = 1 + (g % 3);
  return {
    repo: { owner, repo },
    alertname,
    groupKey: `{}:{alertname="${alertname}", steward_repo="${steward_repo}"}`,
    alerts: Array.from({ length: size }, (_, a) => {
      const labels = {
        alertname,
        steward_repo,
        severity: g % 5 === 0 ? 'critical' : 'warning',
        instance: `pod-${a}`,
        service: `svc-${g % 7}`,
      };
      return {
        fingerprint: createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16),
        labels,
        startsAt: startedAt,
      };
    }),
  };
});

/** The body Alertmanager (v0.25, webhook payload version 4) posts for a group. */
function notification(group: Group, status: 'firing' | 'resolved', endsAt: string | null): string {
  const common = { ...group.alerts[0]!.labels };
  delete (common as Record<string, string>)['instance'];
  return JSON.stringify({
    receiver: 'steward',
    status,
    alerts: group.alerts.map((a) => ({
      status,
      labels: a.labels,
      annotations: { summary: `${group.alertname} on ${a.labels['instance']}` },
      startsAt: a.startsAt,
      endsAt: endsAt ?? '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example/graph?g0.expr=latency',
      fingerprint: a.fingerprint,
    })),
    groupLabels: { alertname: group.alertname, steward_repo: common['steward_repo'] },
    commonLabels: common,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    version: '4',
    groupKey: group.groupKey,
    truncatedAlerts: 0,
  });
}

/**
 * In front of the fake: every request passes unchanged, except that a repository's installation
 * lookup answers that repository's own installation (the fake mints tokens for all of them).
 */
async function startInstallationProxy(
  github: GitHubFake,
): Promise<{ host: string; close(): Promise<void> }> {
  const target = new URL(github.url);
  const INSTALLATION = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/installation$/;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const match = INSTALLATION.exec((req.url ?? '').split('?')[0]!);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        if (!match || answer.statusCode !== 200) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<
            string,
            unknown
          >;
          const id = installationOf.get(`${match[1]}/${match[2]}`) ?? body['id'];
          body['id'] = id;
          body['access_tokens_url'] = String(body['access_tokens_url']).replace(
            /\/installations\/\d+\//,
            `/installations/${String(id)}/`,
          );
          const text = JSON.stringify(body);
          const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) };
          delete headers['transfer-encoding'];
          res.writeHead(200, headers).end(text);
        });
      },
    );
    upstream.on('error', (error) => res.writeHead(502).end(String(error)));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ids = Array.from({ length: INSTALLATIONS }, (_, i) => i + 1);
const github = await startGitHubFake({
  botLogin: 'steward-app[bot]',
  installationId: ids[0]!,
  moreInstallationIds: ids.slice(1),
});
for (const { owner, repo } of repos) github.addRepo({ owner, repo });
github.setLatency(GITHUB_LATENCY_MS);
const proxy = await startInstallationProxy(github);
const app = await startAppProcess({
  GHE_HOST: proxy.host,
  STEWARD_ALERTMANAGER_TOKEN: TOKEN,
});

let peakRss = 0;
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const rss = await appMetric(app.url, 'steward_app_process_resident_memory_bytes').catch(
      () => Number.NaN,
    );
    if (rss > peakRss) peakRss = rss;
    await sleep(500);
  }
})();

interface Phase {
  name: string;
  sent: number;
  /** Answers by status. */
  statuses: Map<number, number>;
  latencies: number[];
  requests: number;
  writes: number;
  byKind: Map<string, number>;
  seconds: number;
}

/** What a recorded request was, for the table: a write's route, reads together. */
function kindOf(r: RecordedRequest): string {
  const route = r.path
    .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{r}')
    .replace(/\/\d+(?=\/|$)/g, '/{n}')
    .replace(/\/contents\/.*$/, '/contents/…');
  return `${r.method} ${route}`;
}

async function runPhase(name: string, bodies: string[]): Promise<Phase> {
  const from = github.requests.length;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const sentAt = performance.now();
      let status: number;
      try {
        const response = await fetch(`${app.url}/alertmanager`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${TOKEN}`,
            'user-agent': 'Alertmanager/0.25.0',
          },
          body,
        });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        status = 0;
      }
      latencies.push(performance.now() - sentAt);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  const recorded = github.requests.slice(from);
  const byKind = new Map<string, number>();
  for (const r of recorded) byKind.set(kindOf(r), (byKind.get(kindOf(r)) ?? 0) + 1);
  latencies.sort((a, b) => a - b);
  const phase: Phase = {
    name,
    sent: bodies.length,
    statuses,
    latencies,
    requests: recorded.length,
    writes: recorded.filter((r) => WRITES.has(r.method) && r.path.startsWith('/repos/')).length,
    byKind,
    seconds,
  };
  process.stderr.write(
    `${name}: ${bodies.length} in ${seconds.toFixed(1)} s, p99 ${percentile(latencies, 99).toFixed(0)} ms, ${[...statuses].map(([s, n]) => `${n}×${s}`).join(' ')}\n`,
  );
  return phase;
}

const repeated = groups.filter((_, g) => (g * 0.6180339887) % 1 < REPEATED_SHARE);
const resolvedAt = new Date().toISOString();
const phases: Phase[] = [];
try {
  phases.push(
    await runPhase(
      'firing (create)',
      groups.map((g) => notification(g, 'firing', null)),
    ),
  );
  phases.push(
    await runPhase(
      'firing again (duplicate)',
      repeated.map((g) => notification(g, 'firing', null)),
    ),
  );
  phases.push(
    await runPhase(
      'resolved (close + report)',
      groups.map((g) => notification(g, 'resolved', resolvedAt)),
    ),
  );
} finally {
  sampling = false;
  await sampler;
}
const endRss = await appMetric(app.url, 'steward_app_process_resident_memory_bytes');
await app.stop();
await proxy.close();
await github.close();

const ms = (n: number) => n.toFixed(0);
const rows = phases.map((p) => {
  const ok = p.statuses.get(200) ?? 0;
  const other = [...p.statuses]
    .filter(([s]) => s !== 200)
    .map(([s, n]) => `${n}×${s === 0 ? 'error' : s}`)
    .join(' ');
  return `| ${p.name} | ${p.sent} | ${ok}${other ? ` (${other})` : ''} | ${ms(percentile(p.latencies, 50))} | ${ms(percentile(p.latencies, 95))} | ${ms(percentile(p.latencies, 99))} | ${ms(p.latencies.at(-1) ?? Number.NaN)} | ${(p.requests / p.sent).toFixed(2)} | ${(p.writes / p.sent).toFixed(2)} | ${(p.sent / p.seconds).toFixed(1)} |`;
});
const kinds = phases.map(
  (p) =>
    `- ${p.name}: ${[...p.byKind]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${(n / p.sent).toFixed(2)}`)
      .join(', ')}`,
);
console.log(
  [
    `Alertmanager notifications through the Steward app: ${GROUPS} groups over ${REPOSITORIES} repositories (${INSTALLATIONS} installations), ${CONCURRENCY} in flight, GitHub fake adding ${GITHUB_LATENCY_MS} ms per request${QUICK ? ' (--quick)' : ''}`,
    '',
    '| phase | notifications | answered 200 | ack p50 ms | ack p95 ms | ack p99 ms | ack max ms | GitHub requests / notification | writes / notification | notifications/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'GitHub requests per notification, by route:',
    ...kinds,
    '',
    `App RSS: peak ${(peakRss / 2 ** 20).toFixed(0)} MiB, at the end ${(endRss / 2 ** 20).toFixed(0)} MiB.`,
  ].join('\n'),
);
