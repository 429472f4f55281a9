import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createAnomalyWatchAction } from '../../actions/anomaly-watch/main.ts';
import { anomalyIncidentPayload } from '../../src/anomaly/incident.ts';
import { applyNotification, incidentKey } from '../../src/incidents/incident-state.ts';
import {
  parseIncidentKey,
  readIncidentState,
  renderIncidentBody,
} from '../../src/incidents/render.ts';
import { freePort } from '../support/free-port.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { startPrometheus } from '../support/prometheus.ts';
import type { OpenMetricsSeries, PrometheusServer } from '../support/prometheus.ts';
import { messages, runInProcess } from './run-in-process.ts';

/**
 * The anomaly-watch action in this process, against a real Prometheus (Debian's, with history
 * backfilled by promtool) and the GitHub fake: a level shift at the end of the served history
 * opens one incident issue with a chart, a rerun adds nothing, the history read two hours later
 * (back to normal) resolves it, and an issue someone else opened with a copied marker is never
 * touched. Series that cannot be read are named and the others still watched.
 */

const it = gitHubTest({ token: 'ghs_anomaly_watch' });

const MIN = 60_000;
const STEP = 5 * MIN;
/** The first run's time: three hours ago, on a five-minute mark (backfilled data lies in the past). */
const T1 = Math.floor((Date.now() - 3 * 60 * MIN) / STEP) * STEP;
/** Two hours later: the shift is over (served history ends here, an hour before now). */
const T2 = T1 + 120 * MIN;
const HISTORY_START = T1 - 2 * 24 * 60 * MIN - 60 * MIN;

function gauge(name: string, value: (i: number, t: number) => number): OpenMetricsSeries {
  const samples = [];
  for (let t = HISTORY_START, i = 0; t <= T2; t += STEP, i++)
    samples.push({ timeMs: t, value: value(i, t) });
  return { name, labels: { service: 'checkout' }, samples };
}

const HISTORY = [
  // A level shift of +0.5 over the four samples up to T1 (the first run's end), then normal.
  gauge('api_latency_seconds', (i, t) => {
    const noise = Math.sin(i * 1.7) * 0.02 + Math.sin(i * 0.37) * 0.015;
    return 0.2 + noise + (t > T1 - 4 * STEP && t <= T1 ? 0.5 : 0);
  }),
  gauge('queue_depth', (i) => 40 + Math.round(Math.sin(i * 0.9) * 3)),
  // Disk use growing toward its limit of 100: about 5.8 a day from 40, so within the horizon.
  gauge('disk_used_percent', (i) => 40 + i * 0.02 + Math.sin(i * 1.3) * 0.05),
];

const SERIES = [
  '    - name: api-latency',
  '      query: api_latency_seconds{service="checkout"}',
  '      step: 5m',
  '    - name: queue-depth',
  '      query: sum(queue_depth)',
  '      step: 5m',
];

function config(url: string, series = SERIES): string {
  return ['anomaly:', `  prometheus: ${url}`, '  range: 2 days', '  series:', ...series, ''].join(
    '\n',
  );
}

let prometheus: PrometheusServer;
beforeAll(async () => {
  prometheus = await startPrometheus(HISTORY);
}, 180_000);
afterAll(async () => {
  await prometheus?.stop();
});

async function watch(
  github: GitHubWorld,
  at: number,
  options: {
    runId?: string;
    inputs?: Record<string, string>;
    masked?: string[];
    /** The Authorization header of each request to Prometheus, '' for none. */
    sent?: string[];
  } = {},
) {
  const recording: typeof fetch = (input, init) => {
    options.sent?.push(new Headers(init?.headers).get('authorization') ?? '');
    return fetch(input, init);
  };
  return runInProcess(
    createAnomalyWatchAction({
      now: () => new Date(at),
      mask: (secret) => options.masked?.push(secret),
      fetch: recording,
    }),
    github,
    {
      eventName: 'schedule',
      payload: { schedule: '*/30 * * * *' },
      inputs: options.inputs ?? {},
      env: { GITHUB_REF: 'refs/heads/main', GITHUB_RUN_ID: options.runId ?? '501' },
    },
  );
}

function incidents(github: GitHubWorld) {
  return github.fake.issues(github.owner, github.repo).filter((i) => i.labels.includes('incident'));
}

function comments(github: GitHubWorld, number: number) {
  return github.fake.comments(github.owner, github.repo, number);
}

/** An issue someone else opened, carrying a copied marker and a firing state for `series`. */
function forgedIncident(github: GitHubWorld, series: string) {
  const t = T1 - 60 * MIN;
  const payload = anomalyIncidentPayload({
    series: { name: series, query: 'up', counter: false },
    analysis: {
      detector: 'default',
      points: [{ t, v: 1, score: 1, anomaly: true }],
      anomalies: [{ start: t, end: t, peakScore: 1 }],
      forecast: null,
      forecastError: null,
      limit: null,
    },
    recentMs: 30 * MIN,
    receivedAt: new Date(t).toISOString(),
    externalURL: 'https://example.com',
  });
  const { state } = applyNotification(null, payload, new Date(t).toISOString());
  return github.fake.addIssue(github.owner, github.repo, {
    title: 'Incident: SeriesAnomalous (series="queue-depth")',
    body: renderIncidentBody(state),
    labels: ['incident', 'severity:warning'],
    author: { login: 'mallory', type: 'User' },
  });
}

describe('the anomaly-watch action through a real Prometheus', () => {
  it('opens one incident with a chart for a level shift, adds nothing on a rerun, resolves it once normal, and never closes an issue it did not open', async ({
    github,
  }) => {
    github.fake.setFileContents(github.owner, github.repo, 'main', {
      '.github/steward.yml': config(prometheus.url),
    });
    const forged = forgedIncident(github, 'queue-depth');

    const first = await watch(github, T1);
    expect(first.report.failure).toBeNull();
    expect(first.report.outputs['anomalous']).toBe('1');
    expect(first.report.outputs['unreadable']).toBe('0');
    const ours = incidents(github).filter((i) => i.number !== forged.number);
    expect(ours).toHaveLength(1);
    const [issue] = ours;
    expect(JSON.parse(first.report.outputs['incidents']!)).toEqual([
      { series: 'api-latency', action: 'create', issue: issue!.number },
    ]);
    expect(issue!.title).toBe('Incident: SeriesAnomalous (series="api-latency")');
    expect(parseIncidentKey(issue!.body)).toBe(incidentKey('steward-anomaly:api-latency'));
    const shiftStart = new Date(T1 - 3 * STEP).toISOString();
    expect(readIncidentState(issue!.body)).toMatchObject({
      status: 'firing',
      alerts: [{ startsAt: shiftStart }],
    });
    expect(issue!.body).toContain('```mermaid\nxychart-beta');
    expect(issue!.body.indexOf('```mermaid')).toBeLessThan(issue!.body.indexOf('### Timeline'));
    expect(issue!.body).toMatch(/It reached 0\.\d+ at .*above its normal 0\.\d+/);
    expect(first.report.summary).toMatch(/\| `api-latency` \| \d+ \| 1 \| 🔴 anomalous since /);
    expect(first.report.summary).toMatch(/\| `queue-depth` \| \d+ \| 0 \| 🟢 normal \|/);
    expect(messages(first, 'info')).toContain(
      `Incident #${issue!.number} for api-latency: firing, create.`,
    );
    const firstComments = comments(github, issue!.number).length;
    const firstBody = github.fake.issue(github.owner, github.repo, issue!.number).body;

    // The same window read again by the next run: no new issue, no new comment, the same body.
    const rerun = await watch(github, T1, { runId: '501' });
    expect(rerun.report.failure).toBeNull();
    expect(incidents(github)).toHaveLength(2);
    expect(comments(github, issue!.number)).toHaveLength(firstComments);
    expect(github.fake.issue(github.owner, github.repo, issue!.number).body).toBe(firstBody);
    expect(JSON.parse(rerun.report.outputs['incidents']!)).toEqual([
      { series: 'api-latency', action: 'none', issue: issue!.number },
    ]);

    // Two hours on the history is back to normal: the incident resolves and its issue closes.
    const later = await watch(github, T2, { runId: '502' });
    expect(later.report.failure).toBeNull();
    expect(later.report.outputs['anomalous']).toBe('0');
    const closed = github.fake.issue(github.owner, github.repo, issue!.number);
    expect(closed.state).toBe('closed');
    expect(readIncidentState(closed.body)).toMatchObject({
      status: 'resolved',
      alerts: [{ status: 'resolved', startsAt: shiftStart }],
    });
    // The resolution's timeline comment, and the post-incident report.
    const afterResolve = comments(github, issue!.number);
    expect(afterResolve).toHaveLength(firstComments + 2);
    const report = afterResolve.find((c) => c.body.startsWith('<!-- steward:incident-report '));
    expect(report!.body).toMatch(/SeriesAnomalous/);
    expect(JSON.parse(later.report.outputs['incidents']!)).toEqual([
      { series: 'api-latency', action: 'update', issue: issue!.number },
    ]);
    // Once resolved, later runs leave it alone.
    await watch(github, T2, { runId: '503' });
    expect(comments(github, issue!.number)).toHaveLength(firstComments + 2);

    // The copied marker by someone else: never closed, never commented on, never edited.
    const untouched = github.fake.issue(github.owner, github.repo, forged.number);
    expect(untouched.state).toBe('open');
    expect(untouched.body).toBe(forged.body);
    expect(comments(github, forged.number)).toEqual([]);
  });

  it('names the series it cannot read (a query error, no data), still watches the others, and fails at the end', async ({
    github,
  }) => {
    github.fake.setFileContents(github.owner, github.repo, 'main', {
      '.github/steward.yml': config(prometheus.url, [
        ...SERIES,
        '    - name: broken',
        '      query: sum(rate(api_latency_seconds[5m]',
        '    - name: missing',
        '      query: no_such_metric_total',
      ]),
    });
    const step = await watch(github, T1);
    expect(step.report.outputs).toMatchObject({ anomalous: '1', unreadable: '2' });
    expect(incidents(github)).toHaveLength(1);
    expect(step.report.failure).toBe(
      'Steward anomaly watch: 2 of 4 series could not be read (broken, missing); see the warnings.',
    );
    const warnings = messages(step, 'warning');
    expect(warnings).toEqual([
      expect.stringMatching(/^Steward could not read the series broken: .*parse error/i),
      expect.stringMatching(
        /^Steward could not read the series missing: the query "no_such_metric_total" answers no data .*check the metric's name/,
      ),
    ]);
    expect(step.report.summary).toContain('**2 could not be read**');
    expect(step.report.summary).toMatch(/\| `broken` \| — \| — \| ⚠️ unreadable: /);
    expect(step.report.summary).toMatch(/\| `api-latency` \| \d+ \| 1 \| 🔴 anomalous since /);
  });

  it('names Prometheus unreachable for every series, and opens nothing', async ({ github }) => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    github.fake.setFileContents(github.owner, github.repo, 'main', {
      '.github/steward.yml': config(prometheus.url),
    });
    const step = await watch(github, T1, { inputs: { 'prometheus-url': closed } });
    expect(step.report.outputs).toMatchObject({ anomalous: '0', unreadable: '2', incidents: '[]' });
    expect(incidents(github)).toEqual([]);
    expect(messages(step, 'warning')).toHaveLength(2);
    for (const warning of messages(step, 'warning'))
      expect(warning).toMatch(
        /^Steward could not read the series .*: .*127\.0\.0\.1.*(unreachable|refused)/i,
      );
    expect(step.report.failure).toMatch(/2 of 2 series could not be read/);
  });

  it('opens one capacity pull request within bounds for a series growing toward its limit, and a rerun writes nothing', async ({
    github,
  }) => {
    const manifest =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  replicas: 2\n';
    github.fake.setFileContents(github.owner, github.repo, 'main', {
      'deploy/db.yaml': manifest,
      '.github/steward.yml': [
        config(prometheus.url, [
          '    - name: disk',
          '      query: sum(disk_used_percent)',
          '      step: 5m',
          '      limit: 100',
          '      direction: up',
        ]).trimEnd(),
        '  capacity:',
        '    - series: disk',
        '      file: deploy/db.yaml',
        '      path: spec.replicas',
        '      min: 1',
        '      max: 3',
        '      step: 1',
        '',
      ].join('\n'),
    });
    const first = await watch(github, T1);
    expect(first.report.failure).toBeNull();
    const [pr, ...more] = github.fake.pullRequests(github.owner, github.repo);
    expect(more).toEqual([]);
    expect(pr!.baseRefName).toBe('main');
    expect(github.fake.fileAt(github.owner, github.repo, pr!.headRefName, 'deploy/db.yaml')).toBe(
      manifest.replace('replicas: 2', 'replicas: 3'),
    );
    expect(first.report.summary).toMatch(/\| `disk` \| \d+ \| \d+ \| .* \| reaches 100 at /);
    expect(first.report.summary).toContain('- `disk` → `deploy/db.yaml spec.replicas`: opened');
    expect(messages(first, 'info')).toContainEqual(
      expect.stringMatching(
        /^Capacity pull request for disk \(deploy\/db\.yaml spec\.replicas\): opened/,
      ),
    );

    const again = await watch(github, T1, { runId: '502' });
    expect(again.report.failure).toBeNull();
    expect(github.fake.pullRequests(github.owner, github.repo)).toHaveLength(1);
    expect(again.report.summary).toContain('- `disk` → `deploy/db.yaml spec.replicas`: unchanged');
  });

  it('sends the bearer token, masks it, and refuses a token beside basic auth', async ({
    github,
  }) => {
    github.fake.setFileContents(github.owner, github.repo, 'main', {
      '.github/steward.yml': config(prometheus.url),
    });
    const masked: string[] = [];
    const sent: string[] = [];
    const step = await watch(github, T1, {
      inputs: { 'prometheus-token': 'prom-s3cret' },
      masked,
      sent,
    });
    expect(masked).toEqual(['prom-s3cret']);
    expect(sent).toEqual(['Bearer prom-s3cret', 'Bearer prom-s3cret']);
    expect(step.report.failure).toBeNull();
    expect(JSON.stringify(step)).not.toContain('prom-s3cret');

    const basic: string[] = [];
    const basicSent: string[] = [];
    await watch(github, T1, {
      inputs: { 'prometheus-username': 'watch', 'prometheus-password': 'pa55' },
      masked: basic,
      sent: basicSent,
    });
    const encoded = Buffer.from('watch:pa55').toString('base64');
    expect(basic).toEqual(['watch', 'pa55', encoded]);
    expect(basicSent).toEqual([`Basic ${encoded}`, `Basic ${encoded}`]);

    await expect(
      watch(github, T1, {
        inputs: { 'prometheus-token': 'prom-s3cret', 'prometheus-password': 'pa55' },
      }),
    ).rejects.toThrow(
      /^Give either prometheus-token \(a bearer token\) or prometheus-username and prometheus-password \(basic auth\), not both$/,
    );
    await expect(watch(github, T1, { inputs: { 'prometheus-username': 'watch' } })).rejects.toThrow(
      /^Input prometheus-password is empty/,
    );
    await expect(
      watch(github, T1, { inputs: { 'prometheus-url': 'http://watch:pa55@prom:9090' } }),
    ).rejects.toThrow(
      /^Input prometheus-url: prometheus-url must not carry a user name or password/,
    );
  });
});
