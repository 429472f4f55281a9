import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { buildAction } from '../../build.ts';
import { readIncidentState } from '../../src/incidents/render.ts';
import { runBundledAction } from '../e2e/action-runner.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { startPrometheus } from '../support/prometheus.ts';
import type { OpenMetricsSeries, PrometheusServer } from '../support/prometheus.ts';

/**
 * The anomaly-watch action as the runner starts it on a schedule: a fresh build of its bundle
 * (the committed one is checked by test/build), `node dist/index.mjs` in its own process, reading
 * a real Prometheus with a bearer token and writing to the GitHub fake. The watch reads up to the
 * real now, so the served history ends an hour ago (backfilled data must lie in the past) with a
 * level shift over its last samples.
 */

const TOKEN = 'ghs_anomaly_bundle';
const PROMETHEUS_TOKEN = 'prom-bundle-s3cret';
const it = gitHubTest({ token: TOKEN });

const MIN = 60_000;
const STEP = 5 * MIN;
const END = Math.floor((Date.now() - 60 * MIN) / STEP) * STEP;
const START = END - 2 * 24 * 60 * MIN - 120 * MIN;

function history(): OpenMetricsSeries[] {
  const samples = [];
  for (let t = START, i = 0; t <= END; t += STEP, i++) {
    const noise = Math.sin(i * 1.7) * 0.02 + Math.sin(i * 0.37) * 0.015;
    samples.push({ timeMs: t, value: 0.2 + noise + (t > END - 4 * STEP ? 0.5 : 0) });
  }
  return [{ name: 'api_latency_seconds', labels: { service: 'checkout' }, samples }];
}

let out: string;
let prometheus: PrometheusServer;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'steward-anomaly-bundle-'));
  await buildAction('anomaly-watch', '.', out);
  prometheus = await startPrometheus(history());
}, 300_000);
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await prometheus?.stop();
});

function runBundle(github: GitHubWorld, runId: string) {
  return runBundledAction({
    action: 'anomaly-watch',
    entry: join(out, 'actions', 'anomaly-watch', 'dist', 'index.mjs'),
    eventName: 'schedule',
    payload: { schedule: '*/30 * * * *' },
    inputs: { 'github-token': TOKEN, 'prometheus-token': PROMETHEUS_TOKEN },
    env: {
      GITHUB_API_URL: github.fake.url,
      GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_RUN_ID: runId,
    },
  });
}

describe('the bundled anomaly-watch action', () => {
  it('opens one incident issue with a chart, adds nothing on the next run, and never prints the token', async ({
    github,
  }) => {
    github.fake.setFileContents(github.owner, github.repo, 'main', {
      '.github/steward.yml': [
        'anomaly:',
        `  prometheus: ${prometheus.url}`,
        '  range: 2 days',
        '  series:',
        '    - name: api-latency',
        '      query: api_latency_seconds{service="checkout"}',
        '      step: 5m',
        '',
      ].join('\n'),
    });
    const first = await runBundle(github, '900');
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({ anomalous: '1', unreadable: '0' });
    const issues = github.fake.issues(github.owner, github.repo);
    expect(issues).toHaveLength(1);
    const [issue] = issues;
    expect(JSON.parse(first.outputs['incidents']!)).toEqual([
      { series: 'api-latency', action: 'create', issue: issue!.number },
    ]);
    expect(readIncidentState(issue!.body)).toMatchObject({ status: 'firing' });
    expect(issue!.body).toContain('```mermaid\nxychart-beta');
    expect(first.summary).toContain('## Steward anomaly watch');
    expect(first.summary).toMatch(/\| `api-latency` \| \d+ \| 1 \| 🔴 anomalous since /);
    // The runner masks what the action registers; nothing else carries the token.
    expect(first.stdout).toContain(`::add-mask::${PROMETHEUS_TOKEN}`);
    expect(first.stdout.split(PROMETHEUS_TOKEN)).toHaveLength(2);
    expect(first.summary).not.toContain(PROMETHEUS_TOKEN);
    // The served history ends an hour before the run: the watch says the series went quiet.
    expect(first.stdout).toMatch(
      /::warning::The series api-latency has had no data since \S+Z: it is judged on what came before/,
    );
    expect(first.summary).toMatch(/🔴 anomalous since \S+Z \(⚠️ no data since \S+Z\)/);

    const comments = github.fake.comments(github.owner, github.repo, issue!.number).length;
    const second = await runBundle(github, '901');
    expect(second.exitCode).toBe(0);
    expect(github.fake.issues(github.owner, github.repo)).toHaveLength(1);
    expect(github.fake.comments(github.owner, github.repo, issue!.number)).toHaveLength(comments);
  });
});
