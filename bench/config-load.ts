/**
 * What a hostile `.github/steward.yml` costs. Rerun: `npm run bench:config`.
 *
 * Part 1, in process: the time `parseConfig` takes on the largest and most awkward configs it
 * accepts or refuses (median of RUNS runs each): a 5 MB file with 100,000 globs (refused by size),
 * 30,000 nested brackets (refused before the YAML parser sees them), a list of 1,000 globs at the
 * size limit, a map of 1,000 unknown keys, and an ordinary config.
 *
 * Part 2, the app as in production (`node app/main.ts`) against the GitHub fake: EVENTS pull
 * request events at once for repositories whose config is ordinary (the baseline), then 5 MB,
 * while `/healthz` is polled every 10 ms. It reports the outcomes, the `/healthz` latency
 * (p50/p99/max; the poller shares its process with the fake) and the app's own longest
 * event-loop stall (prom-client's eventloop_lag_max, reset at the start).
 */
import { startAppProcess } from '../test/app/support/app-process.ts';
import { pullRequestPayload } from '../test/app/support/payloads.ts';
import { startGitHubFake } from '../test/support/github-fake/index.ts';
import { MAX_CONFIG_BYTES } from '../src/config/limits.ts';
import { parseConfig } from '../src/config/parse.ts';

const RUNS = Number(process.env['RUNS'] ?? 9);
const EVENTS = Number(process.env['EVENTS'] ?? 20);

const glob = (i: number) => `"vendor/third-party/package-${i}/dist/**/*.min.js"`;
const fiveMb = `hotspots:\n  exclude:\n${Array.from({ length: 100_000 }, (_, i) => `    - ${glob(i)}`).join('\n')}\n`;
const atLimit = (() => {
  const items: string[] = [];
  let size = 40;
  for (let i = 0; i < 1000 && size + 60 < MAX_CONFIG_BYTES; i++) {
    items.push(`    - ${glob(i)}`);
    size += items.at(-1)!.length + 1;
  }
  return `review:\n  exclude:\n${items.join('\n')}\n`;
})();
const cases: Record<string, string> = {
  'ordinary config (README example size)':
    'review:\n  max-comments: 10\n  exclude: [vendor/**]\nauto-merge:\n  bots: [renovate[bot]]\n'.replace(
      'renovate[bot]',
      "'renovate[bot]'",
    ),
  '5 MB, 100,000 globs (refused: size)': fiveMb,
  '30,000 nested [ (refused: nesting)': '['.repeat(30_000),
  [`${atLimit.split('\n').length - 3} globs, ${Math.round(atLimit.length / 1024)} KB (accepted)`]:
    atLimit,
  '1,000 unknown keys (refused: 50 shown)': `review:\n${Array.from({ length: 999 }, (_, i) => `  key-${i}: 1`).join('\n')}\n`,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

console.log(`parseConfig, median of ${RUNS} runs:`);
for (const [name, text] of Object.entries(cases)) {
  const times: number[] = [];
  let outcome = '';
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const result = parseConfig(text, '.github/steward.yml');
    times.push(performance.now() - start);
    outcome = result.ok ? 'valid' : (result.errors[0]?.message.slice(0, 60) ?? '');
  }
  console.log(`  ${name.padEnd(42)} ${median(times).toFixed(1).padStart(7)} ms  ${outcome}`);
}

async function appRun(label: string, config: string): Promise<void> {
  const github = await startGitHubFake({
    botLogin: 'steward-app[bot]',
    installationId: 1,
    moreInstallationIds: Array.from({ length: EVENTS }, (_, i) => i + 2),
  });
  const targets = Array.from({ length: EVENTS }, (_, i) => {
    const target = { owner: `org${i}`, repo: 'service', installationId: i + 1 };
    github.addRepo({ owner: target.owner, repo: target.repo, defaultBranch: 'main' });
    github.addRepo({ owner: target.owner, repo: '.github', defaultBranch: 'main' });
    github.setFileContents(target.owner, target.repo, 'main', { '.github/steward.yml': config });
    const pr = github.addPullRequest({ owner: target.owner, repo: target.repo });
    return { target, number: pr.number, headSha: pr.headSha };
  });
  const app = await startAppProcess({ GHE_HOST: github.host });

  /** The app's own longest event-loop stall since the last scrape (prom-client resets it on each). */
  async function eventLoopLagMaxMs(): Promise<number> {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const line = /^steward_app_nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text);
    return line ? Number(line[1]) * 1000 : Number.NaN;
  }
  await eventLoopLagMaxMs();

  const latencies: number[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const start = performance.now();
      const response = await fetch(`${app.url}/healthz`);
      await response.text();
      latencies.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();

  const sent = await Promise.all(
    targets.map(({ target, number, headSha }) =>
      app.send('pull_request', pullRequestPayload(target, { number, headSha, action: 'opened' })),
    ),
  );
  const outcomes = await Promise.all(sent.map((s) => app.outcome(s.delivery)));
  polling = false;
  await poller;
  const lagMax = await eventLoopLagMaxMs();
  await app.stop();
  await github.close();

  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(String(o.outcome), (counts.get(String(o.outcome)) ?? 0) + 1);
  console.log(
    `\napp: ${EVENTS} pull request events, ${label} → ${[...counts].map(([k, v]) => `${v} ${k}`).join(', ')}`,
  );
  console.log(
    `  /healthz while they ran: ${sorted.length} polls, p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`,
  );
  console.log(`  the app's longest event-loop stall meanwhile: ${lagMax.toFixed(1)} ms`);
}

await appRun('an ordinary config (the baseline)', 'review:\n  max-comments: 5\n');
await appRun('5 MB configs', fiveMb);
