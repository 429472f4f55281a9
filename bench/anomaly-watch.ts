/**
 * The anomaly watch's cost (issue 19): what one scheduled run spends per series, through Debian's
 * real Prometheus on loopback with history backfilled by promtool (test/support/prometheus.ts).
 * Rerun: `npm run bench:anomaly-watch` (`-- --quick` for 5 series; `--series N` for another count).
 *
 * History: N gauges over 30 days at 1-minute resolution, each with a daily season, a slow weekly
 * swell and Gaussian noise (seeded mulberry32, deterministic); every fourth one has a level shift
 * over its last 30 minutes. It ends three hours before now (backfilled blocks must lie before the
 * head block). Two configurations are measured, as a repository would set them:
 *   7 days at 5 minutes (2,017 evaluations, one range query) and
 *   30 days at 1 minute (43,201 evaluations, which readSeries reads in 5 chunks).
 * For each: readSeries, analyseSeries (default detector) and mermaidChart per series (median and
 * p95 over the series), then the whole action in this process (createAnomalyWatchAction against
 * the GitHub fake: config read, every series read and analysed, incidents opened, job summary),
 * the size of Prometheus's answers, and the process's peak RSS. The machine's load average is
 * printed with the figures: the figures are wall times, so a loaded machine inflates them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAnomalyWatchAction } from '../actions/anomaly-watch/main.ts';
import type { StepLog, StepReport } from '../actions/shared/step.ts';
import { analyseSeries } from '../src/anomaly/analyse.ts';
import { mermaidChart } from '../src/anomaly/chart.ts';
import { mulberry32 } from '../src/anomaly/random.ts';
import type { Point } from '../src/anomaly/types.ts';
import { readSeries } from '../src/prometheus/series.ts';
import { startGitHubFake } from '../test/support/github-fake/index.ts';
import { startPrometheus } from '../test/support/prometheus.ts';
import type { OpenMetricsSeries } from '../test/support/prometheus.ts';

const QUICK = process.argv.includes('--quick');
const seriesArg = process.argv.indexOf('--series');
const SERIES_COUNT = seriesArg > 0 ? Number(process.argv[seriesArg + 1]) : QUICK ? 5 : 20;
if (!Number.isInteger(SERIES_COUNT) || SERIES_COUNT < 1)
  throw new Error(
    `--series wants a whole number of series above 0, not ${process.argv[seriesArg + 1]}`,
  );

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** The served history's end: three hours ago, on a minute. */
const END = Math.floor((Date.now() - 3 * 60 * MIN) / MIN) * MIN;
const START = END - 30 * DAY;
const SHIFT_MINUTES = 30;
const TOKEN = 'ghs_bench_anomaly_watch';
const OWNER = 'acme';
const REPO = 'widgets';

interface Configuration {
  label: string;
  range: string;
  rangeMs: number;
  step: string;
  stepSeconds: number;
}

const CONFIGURATIONS: Configuration[] = [
  { label: '7 d at 5 min', range: '7 days', rangeMs: 7 * DAY, step: '5m', stepSeconds: 300 },
  { label: '30 d at 1 min', range: '30 days', rangeMs: 30 * DAY, step: '1m', stepSeconds: 60 },
];

/** One gauge: a daily season, a weekly swell, noise; a level shift at the end when `shifted`. */
function history(index: number, shifted: boolean): OpenMetricsSeries {
  const random = mulberry32(1_000 + index);
  const normal = () =>
    Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
  const base = 100 + 50 * random();
  const amplitude = base * (0.1 + 0.3 * random());
  const noise = base * (0.01 + 0.03 * random());
  const phase = 2 * Math.PI * random();
  const samples: OpenMetricsSeries['samples'] = [];
  for (let t = START; t <= END; t += MIN) {
    const daily = Math.sin((2 * Math.PI * (t % DAY)) / DAY + phase);
    const weekly = Math.sin((2 * Math.PI * (t - START)) / (7 * DAY));
    const shift = shifted && t > END - SHIFT_MINUTES * MIN ? base * 0.6 : 0;
    const value = base + amplitude * daily + 0.05 * base * weekly + noise * normal() + shift;
    samples.push({ timeMs: t, value: Math.round(value * 1000) / 1000 });
  }
  return { name: 'bench_latency_ms', labels: { service: `svc-${index}` }, samples };
}

function queryOf(index: number): string {
  return `bench_latency_ms{service="svc-${index}"}`;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function medianP95(values: readonly number[]): string {
  return `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))}`;
}

const gc = (globalThis as { gc?: () => void }).gc;

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** A fetch that reads each answer whole to count its bytes, then hands the body on. */
function countingFetch(sizes: number[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    sizes.push(body.byteLength);
    const headers = new Headers(response.headers);
    headers.delete('content-encoding');
    headers.delete('content-length');
    return new Response(body, { status: response.status, headers });
  };
}

/** The action in this process as the runner starts it (test/actions/run-in-process.ts's way). */
async function runWatch(
  fakeUrl: string,
  end: number,
): Promise<{ report: StepReport; readMs: number }> {
  const workspace = mkdtempSync(join(tmpdir(), 'steward-bench-watch-'));
  try {
    const eventPath = join(workspace, 'event.json');
    writeFileSync(eventPath, JSON.stringify({ schedule: '*/30 * * * *' }));
    const env: NodeJS.ProcessEnv = {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: fakeUrl,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_WORKSPACE: workspace,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_RUN_ID: '701',
      'INPUT_GITHUB-TOKEN': TOKEN,
    };
    // The action logs a line as it finishes each series: the last one ends the read phase.
    const started = performance.now();
    let readMs = 0;
    const log: StepLog = {
      info: (text) => {
        if (/^(Read|Could not read) /.test(text)) readMs = performance.now() - started;
      },
      notice: () => {},
      warning: () => {},
      summary: async () => {},
    };
    const action = createAnomalyWatchAction({ now: () => new Date(end), mask: () => {} });
    return { report: await action(env, log), readMs };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

function watchConfig(url: string, configuration: Configuration): string {
  const series = Array.from({ length: SERIES_COUNT }, (_, i) => [
    `    - name: svc-${i}`,
    `      query: ${queryOf(i)}`,
    `      step: ${configuration.step}`,
  ]).flat();
  return [
    'anomaly:',
    `  prometheus: ${url}`,
    `  range: ${configuration.range}`,
    '  series:',
    ...series,
    '',
  ].join('\n');
}

interface Measured {
  configuration: Configuration;
  points: number;
  chunks: number;
  answerBytes: number;
  read: number[];
  analyse: number[];
  chart: number[];
  anomalousSeries: number;
  actionMs: number;
  /** From the action's start to its last series read and analysed (config read included). */
  actionReadMs: number;
  githubRequests: number;
  githubWrites: number;
  actionIncidents: number;
  actionFailure: string | null;
  /** The process's resident memory, sampled after each step and through the action. */
  rssMb: number;
}

/** The largest resident set seen by `sample()` calls and a 100 ms timer while `body` runs. */
async function sampledRss<T>(body: (sample: () => void) => Promise<T>): Promise<[T, number]> {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await body(sample);
    sample();
    return [result, peak / 1024 / 1024];
  } finally {
    clearInterval(timer);
  }
}

async function measure(
  url: string,
  configuration: Configuration,
  sample: () => void,
): Promise<Omit<Measured, 'rssMb'>> {
  const query = (i: number) => ({
    query: queryOf(i),
    start: END - configuration.rangeMs,
    end: END,
    stepSeconds: configuration.stepSeconds,
  });
  // Answer sizes first, through a fetch that reads each answer whole (not timed).
  const sizes: number[] = [];
  await readSeries(url, query(0), { timeoutMs: 60_000, fetch: countingFetch(sizes) });

  const read: number[] = [];
  const analyse: number[] = [];
  const chart: number[] = [];
  let points = 0;
  let anomalousSeries = 0;
  for (let i = 0; i < SERIES_COUNT; i++) {
    let t0 = performance.now();
    const series: Point[] = await readSeries(url, query(i), { timeoutMs: 60_000 });
    read.push(performance.now() - t0);
    t0 = performance.now();
    const analysis = analyseSeries(series, { detector: 'default', detectorOptions: {} });
    analyse.push(performance.now() - t0);
    t0 = performance.now();
    mermaidChart(series, { title: `svc-${i}`, windows: analysis.anomalies });
    chart.push(performance.now() - t0);
    points = series.length;
    sample();
    if (analysis.anomalies.some((w) => w.end >= END - SHIFT_MINUTES * MIN)) anomalousSeries++;
  }

  const fake = await startGitHubFake({ token: TOKEN });
  try {
    fake.addRepo({ owner: OWNER, repo: REPO, defaultBranch: 'main' });
    fake.setFileContents(OWNER, REPO, 'main', {
      '.github/steward.yml': watchConfig(url, configuration),
    });
    const t0 = performance.now();
    const { report, readMs } = await runWatch(fake.url, END);
    const actionMs = performance.now() - t0;
    const githubRequests = fake.requests.length;
    const githubWrites = fake.requests.filter((r) => r.method !== 'GET').length;
    const actionIncidents = fake
      .issues(OWNER, REPO)
      .filter((issue) => issue.labels.includes('incident')).length;
    return {
      configuration,
      points,
      chunks: sizes.length,
      answerBytes: sizes.reduce((a, b) => a + b, 0),
      read,
      analyse,
      chart,
      anomalousSeries,
      actionMs,
      actionReadMs: readMs,
      githubRequests,
      githubWrites,
      actionIncidents,
      actionFailure: report.failure,
    };
  } finally {
    await fake.close();
  }
}

const rssAtImports = process.memoryUsage.rss();
const shiftedCount = Math.ceil(SERIES_COUNT / 4);
const loadBefore = load();
console.log(
  `anomaly-watch bench${QUICK ? ' (--quick)' : ''}: ${SERIES_COUNT} series (${shiftedCount} with a level shift), ${availableParallelism()} cores, load average ${loadBefore} (1/5/15 min)`,
);
let t0 = performance.now();
const histories = Array.from({ length: SERIES_COUNT }, (_, i) => history(i, i % 4 === 0));
const prometheus = await startPrometheus(histories);
const startupMs = performance.now() - t0;
histories.length = 0;
gc?.();
const rssAfterStart = process.memoryUsage.rss();
console.log(
  `prometheus backfilled with ${SERIES_COUNT} x 43,201 samples and ready in ${(startupMs / 1000).toFixed(1)} s`,
);

const results: Measured[] = [];
try {
  for (const configuration of CONFIGURATIONS) {
    t0 = performance.now();
    gc?.();
    const [measured, rssMb] = await sampledRss((sample) =>
      measure(prometheus.url, configuration, sample),
    );
    results.push({ ...measured, rssMb });
    console.log(
      `${configuration.label}: measured in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
} finally {
  await prometheus.stop();
}
const loadAfter = load();

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
console.log('');
console.log(
  '| range | points a series | queries | answer bytes a series | readSeries ms | analyseSeries ms | mermaidChart ms | action: read + analyse all (ms) | action: whole run (ms) | GitHub requests (writes) | incidents | peak RSS (MB) |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results)
  console.log(
    `| ${r.configuration.label} | ${r.points.toLocaleString('en')} | ${r.chunks} | ${r.answerBytes.toLocaleString('en')} | ${medianP95(r.read)} | ${medianP95(r.analyse)} | ${medianP95(r.chart)} | ${ms(r.actionReadMs)} | ${ms(r.actionMs)} | ${r.githubRequests} (${r.githubWrites}) | ${r.actionIncidents} of ${shiftedCount} | ${r.rssMb.toFixed(0)} |`,
  );
console.log('');
console.log(
  `Per-series times are median / p95 over ${SERIES_COUNT} series (wall time, one read each). The action's read phase ends with its last series analysed and charted; the rest of the whole run is the incident issues on the GitHub fake, whose writes the Octokit's throttling spaces as GitHub asks (1 s, 3 s for a new issue or comment). Peak RSS: this process (the bench and the action in it, run from TypeScript sources), sampled after each step and every 100 ms; ${mb(rssAtImports)} MB after its imports, ${mb(rssAfterStart)} MB once the history was generated and Prometheus ready (the process's maxRSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB). Prometheus's own memory is not counted.`,
);
for (const r of results)
  if (r.actionFailure !== null)
    console.log(`The action failed for ${r.configuration.label}: ${r.actionFailure}`);
for (const r of results)
  if (r.anomalousSeries !== shiftedCount)
    console.log(
      `Note: ${r.configuration.label}: the default detector flagged the end of ${r.anomalousSeries} series, ${shiftedCount} have a level shift there.`,
    );
console.log(
  `Load average (1/5/15 min): before ${loadBefore}, after ${loadAfter} (${availableParallelism()} cores).`,
);
const [week, month] = results as [Measured, Measured];
console.log('');
console.log(
  `README: Anomaly watch over ${SERIES_COUNT} series through a real Prometheus on loopback: reading and analysing takes ${ms(percentile(week.read, 50) + percentile(week.analyse, 50) + percentile(week.chart, 50))} ms a series for 7 days at 5 min (${week.points.toLocaleString('en')} points) and ${ms(percentile(month.read, 50) + percentile(month.analyse, 50) + percentile(month.chart, 50))} ms for 30 days at 1 min (${month.points.toLocaleString('en')} points in ${month.chunks} queries, ${(month.answerBytes / 1e6).toFixed(1)} MB of JSON); the whole run took ${(week.actionMs / 1000).toFixed(1)} s and ${(month.actionMs / 1000).toFixed(1)} s, most of it GitHub's pacing of ${week.actionIncidents} new incident issues; the process's RSS peaked ${(month.rssMb - rssAfterStart / 1024 / 1024).toFixed(0)} MB above its ${mb(rssAfterStart)} MB start for 30 days at 1 min (medians, ${availableParallelism()} cores at load ${loadBefore.split(' ')[0]}; \`npm run bench:anomaly-watch${QUICK ? ' -- --quick' : ''}\`).`,
);
