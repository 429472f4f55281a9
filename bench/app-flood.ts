/**
 * What a flood of unauthenticated webhook bodies does to the Steward app.
 * Rerun: `npm run bench:app-flood` (loopback only: the app process and the GitHub fake).
 *
 * The app runs as in production (`node app/main.ts`). ROUNDS times, eight 30 MB bodies with a bad
 * signature arrive at once — half with a Content-Length, half chunked so the app only learns the
 * size by reading — while a probe asks /healthz every 20 ms and a sampler reads the app's resident
 * memory from its /metrics every 50 ms. It reports the memory before, at its peak and after, the
 * /healthz latency during the flood (p50/p99/max), how the bodies were answered, and how many bytes
 * the app logged for them. (The issue's figures for the same flood before the fix: 116 MiB →
 * 1.27 GiB, /healthz stalled 5 s, 755 MB of log.)
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGitHubFake } from '../test/support/github-fake/index.ts';
import { startAppProcess } from '../test/app/support/app-process.ts';
import { rawPost } from '../test/app/support/raw-http.ts';
import { appMetric, percentile } from './app-traffic.ts';

const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const BODIES = 8;
const MiB = 2 ** 20;
const BODY = Buffer.from(`{"x":"${'z'.repeat(30 * MiB)}"}`);

const github = await startGitHubFake({ botLogin: 'steward-app[bot]' });
const app = await startAppProcess({ GHE_HOST: github.host });
const rss = async () =>
  (await appMetric(app.url, 'steward_app_process_resident_memory_bytes')) / MiB;

async function healthMs(): Promise<number> {
  const start = performance.now();
  await (await fetch(`${app.url}/healthz`)).text();
  return performance.now() - start;
}

const idle: number[] = [];
for (let i = 0; i < 50; i++) idle.push(await healthMs());
idle.sort((a, b) => a - b);
const before = await rss();
const logsBefore = app.logs.length;

let flooding = true;
const health: number[] = [];
let peak = before;
const probe = (async () => {
  while (flooding) {
    health.push(await healthMs());
    await sleep(20);
  }
})();
const sampler = (async () => {
  while (flooding) {
    peak = Math.max(peak, await rss());
    await sleep(50);
  }
})();

const statuses = new Map<string, number>();
for (let round = 0; round < ROUNDS; round++) {
  const answers = await Promise.all(
    Array.from(
      { length: BODIES },
      (_, i) =>
        rawPost(`${app.url}/api/github/webhooks`, {
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'issue_comment',
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
          },
          body: BODY,
          declareLength: i % 2 === 0,
        }).answered,
    ),
  );
  for (const a of answers) {
    const key = a.status === null ? 'closed while sending' : String(a.status);
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
}
flooding = false;
await Promise.all([probe, sampler]);
await sleep(500);
const after = await rss();
const flooded = app.logs.slice(logsBefore);
const logBytes = flooded.reduce((sum, l) => sum + JSON.stringify(l).length + 1, 0);

await app.stop();
await github.close();
health.sort((a, b) => a - b);
const ms = (n: number) => n.toFixed(1);
console.log(
  [
    `${ROUNDS} rounds of ${BODIES} × 30 MB webhook bodies with a bad signature (half chunked), against the Steward app`,
    '',
    '| | value |',
    '| --- | ---: |',
    `| app RSS before | ${before.toFixed(0)} MiB |`,
    `| app RSS peak during the flood | ${peak.toFixed(0)} MiB |`,
    `| app RSS after | ${after.toFixed(0)} MiB |`,
    `| /healthz idle p50 / p99 | ${ms(percentile(idle, 50))} / ${ms(percentile(idle, 99))} ms |`,
    `| /healthz during the flood p50 / p99 / max (${health.length} probes) | ${ms(percentile(health, 50))} / ${ms(percentile(health, 99))} / ${ms(health.at(-1) ?? Number.NaN)} ms |`,
    `| answers | ${[...statuses].map(([k, v]) => `${k}: ${v}`).join(', ')} |`,
    `| log written for ${ROUNDS * BODIES} bodies | ${flooded.length} lines, ${logBytes} bytes |`,
  ].join('\n'),
);
