import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { chaosTargetOf, createChaosReportAction } from '../../actions/chaos-report/main.ts';
import { filesInput } from '../../actions/chaos-report/inputs.ts';
import { CHAOS_MARKER } from '../../src/chaos/summary.ts';
import type { JudgeChaosOptions } from '../../src/prometheus/judge.ts';
import { parseAlertmanagerPayload } from '../../src/incidents/alertmanager.ts';
import { incidentKey } from '../../src/incidents/incident-state.ts';
import type { AlertmanagerPayload } from '../../src/incidents/alertmanager.ts';
import type { IncidentSyncOptions, IncidentSyncResult } from '../../src/incidents/sync.ts';
import { closedPort, prometheusStub, sloConfig } from '../chaos/prometheus-stub.ts';
import { htmlNodes, mentionsOutsideCode } from '../support/gfm.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { messages, runInProcess } from './run-in-process.ts';

/**
 * The chaos-report action's `run` in process against the GitHub fake on loopback, over the
 * recorded objects of test/chaos/fixtures: the comment upserted once however often it runs, the
 * outputs and the gate, the job summary, the files it refuses, and the incidents of the default
 * branch (the incident core recorded here; test/e2e runs the bundle).
 */

const TOKEN = 'ghs_chaos_token';
const NUMBER = 7;
const HEAD = 'a'.repeat(40);
const it = gitHubTest({ token: TOKEN });
const FIXTURES = join(import.meta.dirname, '../chaos/fixtures');

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A workspace holding the fixtures under chaos/. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-chaos-ws-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'chaos'));
  for (const name of ['litmus-3.x-documents.yaml', 'chaos-mesh.yaml', 'litmus-2.x-list.yaml'])
    copyFileSync(join(FIXTURES, name), join(dir, 'chaos', name));
  return dir;
}

function pullRequestPayload(github: GitHubWorld, fork = false) {
  const full = `${github.owner}/${github.repo}`;
  return {
    action: 'synchronize',
    number: NUMBER,
    pull_request: {
      number: NUMBER,
      head: { sha: HEAD, ref: 'feature', repo: { full_name: fork ? 'mallory/widgets' : full } },
      base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: full } },
    },
    repository: { full_name: full, default_branch: 'main' },
  };
}

function seedPullRequest(github: GitHubWorld, fork = false) {
  github.fake.addPullRequest({
    owner: github.owner,
    repo: github.repo,
    number: NUMBER,
    headSha: HEAD,
    headRefName: 'feature',
    baseRefName: 'main',
    isCrossRepository: fork,
  });
}

interface Recorded {
  payload: AlertmanagerPayload;
  options: IncidentSyncOptions;
}

/** The incident core as a recorder: each notification, an issue number per group. */
function recordingSync() {
  const calls: Recorded[] = [];
  const issues = new Map<string, number>();
  const sync = (_client: unknown, payload: AlertmanagerPayload, options: IncidentSyncOptions) => {
    calls.push({ payload, options });
    const number = issues.get(payload.groupKey) ?? 100 + issues.size;
    issues.set(payload.groupKey, number);
    const result: IncidentSyncResult = {
      action: 'create',
      issue: { number, url: `https://github.com/acme/widgets/issues/${number}` },
      commentsPosted: 1,
      reportPosted: false,
      reportError: null,
    };
    return Promise.resolve(result);
  };
  return { calls, sync };
}

async function run(
  github: GitHubWorld,
  options: {
    ws?: string;
    inputs?: Record<string, string>;
    eventName?: string;
    payload?: unknown;
    env?: Record<string, string>;
    sync?: ReturnType<typeof recordingSync>['sync'];
    /** The groupKeys with an incident issue on GitHub. */
    incidents?: string[];
    /** .github/steward.yml on main. */
    config?: string;
    judge?: JudgeChaosOptions;
  } = {},
) {
  const ws = options.ws ?? workspace();
  github.fake.setFileContents(github.owner, github.repo, 'main', {
    '.github/steward.yml': options.config ?? 'auto-merge:\n  merge-method: squash\n',
  });
  return runInProcess(
    createChaosReportAction({
      ...(options.sync ? { sync: options.sync } : {}),
      ...(options.judge ? { judge: options.judge } : {}),
      incidentKeys: () => Promise.resolve(new Set((options.incidents ?? []).map(incidentKey))),
      now: () => new Date('2026-12-04T12:00:00Z'),
    }),
    github,
    {
      eventName: options.eventName ?? 'pull_request',
      payload: options.payload ?? pullRequestPayload(github),
      inputs: { files: 'chaos/*.yaml', ...options.inputs },
      env: {
        GITHUB_WORKSPACE: ws,
        GITHUB_RUN_ID: '4242',
        GITHUB_REF: `refs/pull/${NUMBER}/merge`,
        ...options.env,
      },
    },
  );
}

function comments(github: GitHubWorld) {
  return github.fake.comments(github.owner, github.repo, NUMBER);
}

describe('chaos-report on a pull request', () => {
  it('upserts one comment with the summary, sets the outputs and fails on a failed experiment', async ({
    github,
  }) => {
    seedPullRequest(github);
    const ws = workspace();
    const first = await run(github, { ws });
    expect(comments(github)).toHaveLength(1);
    const body = comments(github)[0]!.body;
    expect(body.split('\n')[0]).toBe(CHAOS_MARKER);
    expect(body).toContain('❌ **Chaos: 2 of 6 experiments failed**');
    expect(first.report.outputs).toEqual({
      verdict: 'fail',
      failed: '2',
      passed: '1',
      'comment-id': String(comments(github)[0]!.id),
    });
    expect(first.report.failure).toBe(
      'Steward chaos report: 2 of 6 chaos experiments failed (pod-network-latency, pod-delete).',
    );
    expect(first.report.summary).toContain('## Steward chaos report');
    expect(first.report.summary).toContain(body);
    expect(messages(first, 'info')).toContain(`The chaos summary on #${NUMBER}: created.`);

    // A rerun (the same files, or new results) rewrites the one comment: never a second.
    const again = await run(github, { ws });
    expect(messages(again, 'info')).toContain(`The chaos summary on #${NUMBER}: unchanged.`);
    writeFileSync(join(ws, 'chaos', 'litmus-2.x-list.yaml'), '');
    const changed = await run(github, { ws });
    expect(messages(changed, 'info')).toContain(`The chaos summary on #${NUMBER}: updated.`);
    expect(comments(github)).toHaveLength(1);
    expect(comments(github)[0]!.body).toContain('❌ **Chaos: 1 of 5 experiments failed**');
    expect(changed.report.outputs['comment-id']).toBe(first.report.outputs['comment-id']);
  });

  it('passes the step on a failure with fail-on-verdict never, and on no verdict', async ({
    github,
  }) => {
    seedPullRequest(github);
    const never = await run(github, { inputs: { 'fail-on-verdict': 'never' } });
    expect(never.report.failure).toBeNull();
    expect(never.report.outputs['verdict']).toBe('fail');
    const mesh = await run(github, { inputs: { files: 'chaos/chaos-mesh.yaml' } });
    expect(mesh.report.failure).toBeNull();
    expect(mesh.report.outputs).toMatchObject({ verdict: 'unknown', failed: '0', passed: '0' });
    expect(comments(github)).toHaveLength(1);
  });

  it('writes only the job summary with comment: false', async ({ github }) => {
    const step = await run(github, { inputs: { comment: 'false' } });
    expect(step.report.outputs['comment-id']).toBe('');
    expect(step.report.summary).toContain(CHAOS_MARKER);
    expect(github.fake.requests.filter((r) => r.path.includes('/comments'))).toEqual([]);
  });

  it('says why there is no comment when the token may not write (a fork on pull_request)', async ({
    github,
  }) => {
    seedPullRequest(github, true);
    github.fake.denyPermission({
      method: 'POST',
      pathPattern: /\/issues\/\d+\/comments$/,
      permission: 'pull_requests=write',
    });
    const step = await run(github, { payload: pullRequestPayload(github, true) });
    expect(comments(github)).toEqual([]);
    expect(messages(step, 'notice')).toContainEqual(
      expect.stringMatching(/^Steward posted no comment on #7: The token cannot .*read-only/),
    );
    expect(step.report.summary).toContain('No comment on #7: the token may not write to it.');
    expect(step.report.summary).toContain('❌ **Chaos: 2 of 6 experiments failed**');
    expect(step.report.outputs['verdict']).toBe('fail');
  });

  it('comments on the pull request a dispatch names', async ({ github }) => {
    seedPullRequest(github);
    const step = await run(github, {
      eventName: 'workflow_dispatch',
      payload: { inputs: { 'pull-request': String(NUMBER) } },
      env: { GITHUB_REF: 'refs/heads/main' },
    });
    expect(comments(github)).toHaveLength(1);
    expect(step.report.outputs['comment-id']).not.toBe('');
  });
});

describe('chaos-report with hostile results', () => {
  it('posts a comment that mentions no one and carries one marker, its first line', async ({
    github,
  }) => {
    seedPullRequest(github);
    const ws = workspace();
    const hostile = '@acme/everyone <!-- steward:chaos --> <img src=x onerror=alert(1)> #1';
    const name = join(ws, 'chaos', '@alice <!-- steward:chaos -->.yaml');
    writeFileSync(
      name,
      JSON.stringify({
        apiVersion: 'litmuschaos.io/v1alpha1',
        kind: 'ChaosResult',
        metadata: { name: hostile, namespace: hostile },
        spec: { engine: hostile, experiment: hostile },
        status: { experimentStatus: { verdict: 'Fail', failStep: hostile } },
      }),
    );
    const step = await run(github, { ws, inputs: { files: 'chaos/*.yaml' } });
    const body = comments(github)[0]!.body;
    expect(body.split('\n')[0]).toBe(CHAOS_MARKER);
    expect(body.split(CHAOS_MARKER)).toHaveLength(2);
    expect(mentionsOutsideCode(body)).toEqual([]);
    expect(htmlNodes(body).filter((h) => h.includes('img'))).toEqual([]);
    expect(step.report.outputs['verdict']).toBe('fail');
    // The log lines name the file as it is, one line each.
    expect(messages(step, 'info')).toContain('Read chaos/@alice <!-- steward:chaos -->.yaml');
    expect(step.report.failure).not.toMatch(/\n/);
  });

  it('logs a file name holding a line break on one line: no workflow command from a name', async ({
    github,
  }) => {
    const ws = workspace();
    copyFileSync(
      join(FIXTURES, 'litmus-2.x-list.yaml'),
      join(ws, 'chaos', 'x\n::error::forged\r\n::add-mask::x.yaml'),
    );
    const step = await run(github, { ws, inputs: { files: 'chaos/x*', comment: 'false' } });
    const read = messages(step, 'info').filter((m) => m.startsWith('Read '));
    expect(read).toEqual(['Read chaos/x\\n::error::forged\\r\\n::add-mask::x.yaml']);
    for (const text of [...messages(step, 'info'), ...messages(step, 'notice')])
      expect(text).not.toMatch(/[\r\n]/);
  });
});

describe('chaos-report reading files', () => {
  it('reads globs and paths separated by newlines and commas, each file once', async ({
    github,
  }) => {
    const step = await run(github, {
      inputs: {
        files: 'chaos/litmus-*.yaml, chaos/chaos-mesh.yaml\nchaos/litmus-2.x-list.yaml\n',
        comment: 'false',
      },
    });
    expect(step.report.outputs).toMatchObject({ verdict: 'fail', failed: '2', passed: '1' });
    expect(messages(step, 'info').filter((m) => m.startsWith('Read '))).toEqual([
      'Read chaos/litmus-2.x-list.yaml',
      'Read chaos/litmus-3.x-documents.yaml',
      'Read chaos/chaos-mesh.yaml',
    ]);
  });

  it('names a pattern that matched nothing and a missing file, and fails the step', async ({
    github,
  }) => {
    const step = await run(github, {
      inputs: {
        files: 'chaos/chaos-mesh.yaml\nresults/*.json\nchaos/gone.yaml',
        'fail-on-verdict': 'never',
        comment: 'false',
      },
    });
    expect(messages(step, 'warning')).toEqual([
      '"results/*.json" matched no file',
      'cannot read "chaos/gone.yaml": no such file',
    ]);
    expect(step.report.failure).toBe(
      'Steward chaos report: 2 of the files given could not be read (see the warnings).',
    );
    expect(step.report.outputs['verdict']).toBe('unknown');
  });

  it('fails naming every pattern when it read no file at all', async ({ github }) => {
    await expect(run(github, { inputs: { files: 'nothing/*.yaml, gone.json' } })).rejects.toThrow(
      'Steward chaos report read no result file: "nothing/*.yaml" matched no file; cannot read "gone.json": no such file',
    );
  });

  it('refuses files outside the workspace: a symlink out, a path up, a directory', async ({
    github,
  }) => {
    const ws = workspace();
    const outside = mkdtempSync(join(tmpdir(), 'steward-chaos-secret-'));
    dirs.push(outside);
    copyFileSync(join(FIXTURES, 'litmus-2.x-list.yaml'), join(outside, 'secret.yaml'));
    symlinkSync(join(outside, 'secret.yaml'), join(ws, 'chaos', 'link.yaml'));
    const step = await run(github, {
      ws,
      inputs: {
        files: `chaos/chaos-mesh.yaml\nchaos/link.yaml\n../${outside.split('/').pop()}/secret.yaml\n${outside}/*.yaml\nchaos`,
        comment: 'false',
      },
    });
    const warnings = messages(step, 'warning');
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toBe('refused "chaos/link.yaml": it is not inside the workspace');
    expect(warnings[1]).toMatch(/^refused ".*secret\.yaml": it is not inside the workspace$/);
    expect(warnings[2]).toMatch(/^refused ".*secret\.yaml": it is not inside the workspace$/);
    expect(warnings[3]).toBe('cannot read "chaos": it is a directory');
    // Nothing of the files outside was read: only Chaos Mesh's three experiments.
    expect(step.report.outputs).toMatchObject({ verdict: 'unknown', failed: '0' });
    expect(step.report.summary).not.toContain('pod-network-latency');
  });

  it('reads result files from RUNNER_TEMP', async ({ github }) => {
    const temp = mkdtempSync(join(tmpdir(), 'steward-chaos-temp-'));
    dirs.push(temp);
    copyFileSync(join(FIXTURES, 'litmus-2.x-list.yaml'), join(temp, 'chaos.yaml'));
    const step = await run(github, {
      inputs: { files: `${temp}/chaos.yaml`, comment: 'false' },
      env: { RUNNER_TEMP: temp },
    });
    expect(step.report.outputs).toMatchObject({ verdict: 'fail', failed: '1' });
  });

  it('refuses an empty files input and a fail-on-verdict it does not know', async ({ github }) => {
    await expect(run(github, { inputs: { files: ' \n, ' } })).rejects.toThrow(
      'Input files is empty',
    );
    await expect(run(github, { inputs: { 'fail-on-verdict': 'sometimes' } })).rejects.toThrow(
      'Input fail-on-verdict must be fail or never, got "sometimes"',
    );
    expect(filesInput('a.yaml,b.yaml\n# note\n c/*.json ')).toEqual([
      'a.yaml',
      'b.yaml',
      'c/*.json',
    ]);
  });
});

describe('chaos-report on the default branch', () => {
  function push(github: GitHubWorld) {
    return {
      ref: 'refs/heads/main',
      repository: { full_name: `${github.owner}/${github.repo}`, default_branch: 'main' },
    };
  }

  it('hands each experiment with a verdict to the incident core as an Alertmanager payload', async ({
    github,
  }) => {
    const recorder = recordingSync();
    const step = await run(github, {
      eventName: 'push',
      payload: push(github),
      env: { GITHUB_REF: 'refs/heads/main' },
      sync: recorder.sync,
      incidents: ['steward-chaos:litmus:pod-cpu-hog:deployment/checkout'],
    });
    expect(recorder.calls.map((c) => [c.payload.groupKey, c.payload.status])).toEqual([
      ['steward-chaos:litmus:pod-network-latency:deployment/cart', 'firing'],
      ['steward-chaos:litmus:pod-delete:deployment/checkout', 'firing'],
      ['steward-chaos:litmus:pod-cpu-hog:deployment/checkout', 'resolved'],
    ]);
    for (const { payload, options } of recorder.calls) {
      expect(parseAlertmanagerPayload(JSON.parse(JSON.stringify(payload)))).toMatchObject({
        ok: true,
      });
      expect(payload.externalURL).toBe(
        `https://github.com/${github.owner}/${github.repo}/actions/runs/4242`,
      );
      expect(options).toEqual({
        receivedAt: '2026-12-04T12:00:00.000Z',
        reopenWindowMs: 24 * 60 * 60 * 1000,
        labelNames: [],
        postmortem: expect.any(Function),
      });
    }
    expect(step.report.summary).toContain('**Incidents**');
    expect(step.report.summary).toContain(
      '- `pod-delete` on `deployment/checkout`: firing, #101 (create)',
    );
    expect(messages(step, 'info')).toContain('Incident #101 for pod-delete: firing, create.');
    // No pull request: no comment.
    expect(step.report.outputs['comment-id']).toBe('');
  });

  it('opens no issue for a pass without an incident to resolve', async ({ github }) => {
    const recorder = recordingSync();
    await run(github, {
      eventName: 'push',
      payload: push(github),
      env: { GITHUB_REF: 'refs/heads/main' },
      sync: recorder.sync,
      incidents: ['steward-chaos:litmus:other:deployment/checkout'],
    });
    expect(recorder.calls.map((c) => c.payload.status)).toEqual(['firing', 'firing']);
  });

  it('opens no incident on a pull request, another branch or an event without a branch', async ({
    github,
  }) => {
    const recorder = recordingSync();
    seedPullRequest(github);
    await run(github, { sync: recorder.sync });
    await run(github, {
      eventName: 'push',
      payload: { ...push(github), ref: 'refs/heads/feature' },
      env: { GITHUB_REF: 'refs/heads/feature' },
      sync: recorder.sync,
    });
    const issues = await run(github, {
      eventName: 'issues',
      payload: {},
      env: { GITHUB_REF: 'refs/heads/main' },
      sync: recorder.sync,
    });
    expect(recorder.calls).toEqual([]);
    expect(issues.report.outputs['verdict']).toBe('fail');
  });

  it('fails the step naming the cause when the incident core cannot write', async ({ github }) => {
    const step = await run(github, {
      eventName: 'push',
      payload: push(github),
      env: { GITHUB_REF: 'refs/heads/main' },
      inputs: { 'fail-on-verdict': 'never' },
      sync: () => Promise.reject(new Error('GitHub answered 502')),
    });
    expect(step.report.failure).toBe(
      'Steward chaos report: the incident issues could not be written: GitHub answered 502.',
    );
    expect(messages(step, 'warning')).toContain(
      'Steward could not open or update the incident issues: GitHub answered 502',
    );
  });
});

describe('chaosTargetOf', () => {
  const base = { pullRequest: undefined, ref: 'refs/heads/main' };
  const repository = { default_branch: 'main' };
  it('reads the pull request, or the default branch of a push, schedule or dispatch', () => {
    expect(chaosTargetOf({ ...base, eventName: 'schedule' }, { repository })).toEqual({
      kind: 'default-branch',
      branch: 'main',
    });
    expect(chaosTargetOf({ ...base, eventName: 'push', pullRequest: 3 }, { repository })).toEqual({
      kind: 'pull-request',
      number: 3,
    });
    expect(chaosTargetOf({ ...base, eventName: 'push' }, {})).toEqual({
      kind: 'none',
      reason: 'the push event names no default branch',
    });
    expect(
      chaosTargetOf(
        { ...base, eventName: 'push', ref: 'refs/heads/main2' },
        { repository: { default_branch: ['main'] } },
      ),
    ).toMatchObject({ kind: 'none' });
  });
});

describe('chaos-report judging Chaos Mesh through Prometheus', () => {
  const config = sloConfig;

  it('fails an experiment whose window broke an SLO, in the comment and the outputs', async ({
    github,
  }) => {
    seedPullRequest(github);
    const prometheus = await prometheusStub(0.5);
    const step = await run(github, {
      inputs: { files: 'chaos/chaos-mesh.yaml' },
      config: config(prometheus.url),
      judge: { now: Date.parse('2025-05-02T00:00:00Z') },
    });
    expect(prometheus.queries.length).toBeGreaterThan(0);
    expect(prometheus.queries.every((q) => q === 'sum(rate(http_errors_total[1m]))')).toBe(true);
    expect(step.report.outputs['verdict']).toBe('fail');
    expect(Number(step.report.outputs['failed'])).toBeGreaterThan(0);
    expect(comments(github)[0]!.body).toContain('SLO');
  });

  it('passes the windows that held the SLOs', async ({ github }) => {
    seedPullRequest(github);
    const prometheus = await prometheusStub(0.01);
    const step = await run(github, {
      inputs: { files: 'chaos/chaos-mesh.yaml' },
      config: config(prometheus.url),
      judge: { now: Date.parse('2025-05-02T00:00:00Z') },
    });
    expect(step.report.outputs['failed']).toBe('0');
    expect(Number(step.report.outputs['passed'])).toBeGreaterThan(0);
    expect(step.report.failure).toBeNull();
  });

  it('leaves the experiments without a verdict, saying why, when Prometheus is unreachable', async ({
    github,
  }) => {
    const port = await closedPort();
    const step = await run(github, {
      inputs: { files: 'chaos/chaos-mesh.yaml', comment: 'false' },
      config: config(`http://127.0.0.1:${port}`),
      judge: { now: Date.parse('2025-05-02T00:00:00Z'), timeoutMs: 10_000 },
    });
    expect(step.report.outputs).toMatchObject({ verdict: 'unknown', failed: '0' });
    expect(step.report.failure).toBeNull();
    expect(step.report.summary).toContain(
      'no verdict, the query failed: cannot reach Prometheus at http\\://127.0.0.1:',
    );
  });
});
