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
import { startGitHubFake } from '../test/support/github-fake/index.ts';
import { startAppProcess } from '../test/app/support/app-process.ts';
import { commentPayload, pullRequestPayload } from '../test/app/support/payloads.ts';

const GITHUB_LATENCY_MS = 50;
const STEP_SECONDS = Number(process.env['STEP_SECONDS'] ?? 5);
const RATES = (process.env['RATES'] ?? '25,50,100,200,400,800,1200,1600,2000,2400,3200')
  .split(',')
  .map(Number);
const P99_LIMIT_MS = 100;
const INSTALLATIONS = 40;
/** Share of webhooks that are commands and pull request events; the rest are plain comments. */
const COMMAND_SHARE = 0.02;
const PULL_REQUEST_SHARE = 0.23;

const ids = Array.from({ length: INSTALLATIONS }, (_, i) => i + 1);
const github = await startGitHubFake({
  botLogin: 'steward-app[bot]',
  installationId: ids[0]!,
  moreInstallationIds: ids.slice(1),
});
github.beforeRequest(() => sleep(GITHUB_LATENCY_MS));
const repos = ids.map((installationId) => {
  const target = { owner: `org${installationId}`, repo: 'service', installationId };
  github.addRepo({ owner: target.owner, repo: target.repo });
  github.addRepo({ owner: target.owner, repo: '.github' });
  github.setPermission(target.owner, target.repo, 'mona', 'write');
  const pr = github.addPullRequest({ owner: target.owner, repo: target.repo });
  return { target, number: pr.number, headSha: pr.headSha };
});

const app = await startAppProcess({ GHE_HOST: github.host });

function nextWebhook(i: number): { name: string; payload: unknown } {
  const { target, number, headSha } = repos[i % repos.length]!;
  const roll = (i * 0.6180339887) % 1;
  if (roll < COMMAND_SHARE) {
    const comment = github.addComment(target.owner, target.repo, number, '/steward help', {
      login: 'mona',
      type: 'User',
    });
    return {
      name: 'issue_comment',
      payload: commentPayload(target, {
        id: comment.id,
        issueNumber: number,
        body: '/steward help',
        login: 'mona',
      }),
    };
  }
  if (roll < COMMAND_SHARE + PULL_REQUEST_SHARE) {
    return { name: 'pull_request', payload: pullRequestPayload(target, { number, headSha }) };
  }
  return {
    name: 'issue_comment',
    payload: commentPayload(target, {
      id: 1_000_000 + i,
      issueNumber: number,
      body: 'Looks good to me, thanks!',
      login: 'mona',
    }),
  };
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Step {
  rate: number;
  sent: number;
  failed: number;
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
          if (answer.status !== 200) failed++;
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
    `| ${s.rate} | ${s.sent} | ${s.failed} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)} | ${s.rssMiB.toFixed(0)} | ${s.running} |`,
);
const best = steps.filter((s) => s.p99 < P99_LIMIT_MS && s.failed === 0).at(-1);
console.log(
  [
    `Signed webhooks against the Steward app, GitHub fake adding ${GITHUB_LATENCY_MS} ms per request, ${STEP_SECONDS} s per rate`,
    '',
    '| webhooks/s | sent | failed | ack p50 ms | ack p99 ms | ack max ms | app RSS MiB | handlers running at end |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    best
      ? `Highest rate with p99 acknowledgement under ${P99_LIMIT_MS} ms: ${best.rate} webhooks/s, app RSS ${best.rssMiB.toFixed(0)} MiB.`
      : `No rate kept p99 acknowledgement under ${P99_LIMIT_MS} ms.`,
  ].join('\n'),
);
