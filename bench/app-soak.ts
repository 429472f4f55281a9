/**
 * Whether the Steward app's memory stays flat under sustained load.
 * Rerun: `npm run bench:app-soak` (SOAK_SECONDS, default 300; RATE webhooks/s, default 150).
 *
 * The app runs as in production (`node app/main.ts`) against the GitHub fake, which adds 50 ms to
 * every request. Signed webhooks of the benches' usual mix (bench/app-traffic.ts) are sent
 * open-loop at RATE for SOAK_SECONDS. Every WINDOW_SECONDS it records the acknowledgement p99 of
 * the window, the app's resident memory and V8 heap (its own /metrics), the handlers running, and
 * the webhooks shed with 503. Memory is flat when the last windows sit where the first ones did
 * once the app is warm, rather than climbing window after window.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startAppProcess } from '../test/app/support/app-process.ts';
import { appMetric, percentile, startTraffic } from './app-traffic.ts';

const SOAK_SECONDS = Number(process.env['SOAK_SECONDS'] ?? 300);
const RATE = Number(process.env['RATE'] ?? 150);
const WINDOW_SECONDS = Number(process.env['WINDOW_SECONDS'] ?? 30);
const GITHUB_LATENCY_MS = 50;
const INSTALLATIONS = 40;
const MiB = 2 ** 20;

const { github, next } = await startTraffic(INSTALLATIONS);
github.beforeRequest(() => sleep(GITHUB_LATENCY_MS));
const app = await startAppProcess({ GHE_HOST: github.host });
const metric = (series: string) => appMetric(app.url, series);

interface Window {
  second: number;
  sent: number;
  failed: number;
  shed: number;
  p99: number;
  rssMiB: number;
  heapMiB: number;
  running: number;
}

const windows: Window[] = [];
const total = SOAK_SECONDS * RATE;
const start = performance.now();
let latencies: number[] = [];
let failed = 0;
let shed = 0;
let sent = 0;
let windowEnd = start + WINDOW_SECONDS * 1000;
const pending = new Set<Promise<void>>();
/** What the failures were: the app's status, or the client's error. */
const failures = new Map<string, number>();

async function closeWindow() {
  latencies.sort((a, b) => a - b);
  const window: Window = {
    second: Math.round((performance.now() - start) / 1000),
    sent,
    failed,
    shed,
    p99: percentile(latencies, 99),
    rssMiB: (await metric('steward_app_process_resident_memory_bytes')) / MiB,
    heapMiB: (await metric('steward_app_nodejs_heap_size_used_bytes')) / MiB,
    running: await metric('steward_app_handlers_in_flight'),
  };
  windows.push(window);
  process.stderr.write(
    `${window.second}s: sent ${sent}, p99 ${window.p99.toFixed(1)} ms, RSS ${window.rssMiB.toFixed(0)} MiB, heap ${window.heapMiB.toFixed(0)} MiB, running ${window.running}, shed ${shed}, failed ${failed}\n`,
  );
  latencies = [];
  sent = failed = shed = 0;
}

for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 1) await sleep(wait);
  // Behind schedule (a busy machine), still let answers in, or the windows would measure nothing.
  else if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
  if (performance.now() >= windowEnd) {
    windowEnd += WINDOW_SECONDS * 1000;
    await closeWindow();
  }
  const { name, payload } = next(i);
  const sentAt = performance.now();
  sent++;
  const answer = app.send(name, payload).then(
    (a) => {
      latencies.push(performance.now() - sentAt);
      if (a.status === 503) shed++;
      else if (a.status !== 200) {
        failed++;
        failures.set(`HTTP ${a.status}`, (failures.get(`HTTP ${a.status}`) ?? 0) + 1);
      }
    },
    (error: unknown) => {
      failed++;
      const reason = error instanceof Error ? String(error.cause ?? error.message) : String(error);
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
    },
  );
  pending.add(answer);
  void answer.finally(() => pending.delete(answer));
}
await Promise.all(pending);
await closeWindow();
// How long the handlers' backlog takes to drain once the load stops.
const stoppedAt = performance.now();
while (
  (await metric('steward_app_handlers_in_flight')) > 0 &&
  performance.now() - stoppedAt < 120_000
)
  await sleep(250);
const drainSeconds = (performance.now() - stoppedAt) / 1000;
const runningAfter = await metric('steward_app_handlers_in_flight');

const metricsText = await (await fetch(`${app.url}/metrics`)).text();
const shedReasons = metricsText
  .split('\n')
  .filter((l) => l.startsWith('steward_app_webhooks_shed_total{'))
  .map((l) => l.replace(/^steward_app_webhooks_shed_total\{reason="([^"]+)"\} /, '$1: '));

await app.stop();
await github.close();

const warm = windows.slice(1, 3);
const last = windows.slice(-3, -1);
const mean = (ws: Window[], key: 'rssMiB' | 'heapMiB') =>
  ws.reduce((sum, w) => sum + w[key], 0) / Math.max(1, ws.length);
console.log(
  [
    `Soak: ${RATE} signed webhooks/s for ${SOAK_SECONDS} s against the Steward app, GitHub fake adding ${GITHUB_LATENCY_MS} ms per request, ${WINDOW_SECONDS} s windows`,
    '',
    '| at s | sent | failed | shed (503) | ack p99 ms | app RSS MiB | V8 heap used MiB | handlers running |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...windows.map(
      (w) =>
        `| ${w.second} | ${w.sent} | ${w.failed} | ${w.shed} | ${w.p99.toFixed(1)} | ${w.rssMiB.toFixed(0)} | ${w.heapMiB.toFixed(1)} | ${w.running} |`,
    ),
    '',
    `Warm windows (2nd–3rd) RSS ${mean(warm, 'rssMiB').toFixed(0)} MiB, heap ${mean(warm, 'heapMiB').toFixed(1)} MiB; last full windows RSS ${mean(last, 'rssMiB').toFixed(0)} MiB, heap ${mean(last, 'heapMiB').toFixed(1)} MiB.`,
    `Failures: ${failures.size > 0 ? [...failures].map(([k, v]) => `${k}: ${v}`).join(', ') : 'none'}.`,
    `Shed by reason: ${shedReasons.length > 0 ? shedReasons.join(', ') : 'none'}.`,
    `After the load stopped, the handlers drained in ${drainSeconds.toFixed(1)} s (${runningAfter} still running).`,
  ].join('\n'),
);
