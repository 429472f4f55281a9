/**
 * How fast the Steward app acknowledges webhooks while GitHub is slow.
 * Rerun: `npm run bench:app` (loopback only: the app process and the GitHub fake on 127.0.0.1).
 *
 * The app runs as in production (`node app/main.ts`) against the GitHub fake, which adds 50 ms to
 * every request. Signed webhooks are sent open-loop (on a fixed schedule, never waiting for an
 * answer) at rising rates for a few seconds each. For each rate it reports the acknowledgement
 * time (request sent → response received) at p50/p99/max, the app's resident memory at the end of
 * the step (its own /metrics), and how many handlers were still running. The answer is the highest
 * rate whose p99 stays under 100 ms, and the memory at that rate.
 *
 * The mix is what an organisation's app sees: most comments are not commands (no GitHub request),
 * pull request events read the config (app.review off, so nothing more), and a few comments are
 * `/steward help` from a writer (reaction, permission, reply, reaction). Repositories are spread
 * over 40 installations, each throttled on its own as GitHub limits each installation.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startAppProcess } from '../test/app/support/app-process.ts';
import { appMetric, percentile, startTraffic } from './app-traffic.ts';

const GITHUB_LATENCY_MS = 50;
const STEP_SECONDS = Number(process.env['STEP_SECONDS'] ?? 5);
const RATES = (process.env['RATES'] ?? '25,50,100,200,400,800,1200,1600,2000,2400,3200')
  .split(',')
  .map(Number);
const P99_LIMIT_MS = 100;
const INSTALLATIONS = 40;

const { github, next: nextWebhook } = await startTraffic(INSTALLATIONS);
github.beforeRequest(() => sleep(GITHUB_LATENCY_MS));
const app = await startAppProcess({ GHE_HOST: github.host });
const metric = (series: string) => appMetric(app.url, series);

interface Step {
  rate: number;
  sent: number;
  failed: number;
  /** Answered 503 + Retry-After: the app at its bound on running handlers. */
  shed: number;
  p50: number;
  p99: number;
  max: number;
  rssMiB: number;
  running: number;
}

const steps: Step[] = [];
let sequence = 0;
for (const rate of RATES) {
  const total = rate * STEP_SECONDS;
  const latencies: number[] = [];
  let failed = 0;
  let shed = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const { name, payload } = nextWebhook(sequence++);
    const sentAt = performance.now();
    inFlight.push(
      app.send(name, payload).then(
        (answer) => {
          latencies.push(performance.now() - sentAt);
          if (answer.status === 503) shed++;
          else if (answer.status !== 200) failed++;
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  const step: Step = {
    rate,
    sent: total,
    failed,
    shed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    rssMiB: (await metric('steward_app_process_resident_memory_bytes')) / 2 ** 20,
    running: await metric('steward_app_handlers_in_flight'),
  };
  steps.push(step);
  process.stderr.write(
    `${rate}/s: p50 ${step.p50.toFixed(1)} ms, p99 ${step.p99.toFixed(1)} ms, RSS ${step.rssMiB.toFixed(0)} MiB\n`,
  );
  if (step.p99 >= P99_LIMIT_MS || failed > 0) break;
  // Let the backlog of handlers drain a little before the next step starts.
  for (let i = 0; i < 20 && (await metric('steward_app_handlers_in_flight')) > 0; i++)
    await sleep(250);
}

await app.stop();
await github.close();

const rows = steps.map(
  (s) =>
    `| ${s.rate} | ${s.sent} | ${s.failed} | ${s.shed} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)} | ${s.rssMiB.toFixed(0)} | ${s.running} |`,
);
const best = steps.filter((s) => s.p99 < P99_LIMIT_MS && s.failed === 0).at(-1);
console.log(
  [
    `Signed webhooks against the Steward app, GitHub fake adding ${GITHUB_LATENCY_MS} ms per request, ${STEP_SECONDS} s per rate`,
    '',
    '| webhooks/s | sent | failed | shed (503) | ack p50 ms | ack p99 ms | ack max ms | app RSS MiB | handlers running at end |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    best
      ? `Highest rate with p99 acknowledgement under ${P99_LIMIT_MS} ms: ${best.rate} webhooks/s, app RSS ${best.rssMiB.toFixed(0)} MiB.`
      : `No rate kept p99 acknowledgement under ${P99_LIMIT_MS} ms.`,
  ].join('\n'),
);
