import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { createChaosReportAction } from '../../actions/chaos-report/main.ts';
import { parseIncidentKey, readIncidentState } from '../../src/incidents/render.ts';
import { incidentKey } from '../../src/incidents/incident-state.ts';
import { htmlNodes, mentionsOutsideCode } from '../support/gfm.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { messages, runInProcess } from './run-in-process.ts';

/**
 * The chaos-report action on the default branch with the real incident core (syncIncident) and
 * the real GitHub client against the fake's issues: a failed experiment opens one incident issue,
 * a rerun adds nothing, a pass resolves and closes it, a pass with no incident opens nothing, and
 * a failure after the pass reopens the same issue.
 */

const it = gitHubTest({ token: 'ghs_chaos_incidents' });

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function result(experiment: string, verdict: 'Pass' | 'Fail') {
  return {
    apiVersion: 'litmuschaos.io/v1alpha1',
    kind: 'ChaosResult',
    metadata: { name: `checkout-${experiment}`, namespace: 'shop' },
    spec: { engine: 'checkout', experiment },
    status: {
      experimentStatus: {
        phase: 'Completed',
        verdict,
        ...(verdict === 'Fail' ? { failStep: 'probe check-http failed: got 503' } : {}),
      },
    },
  };
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-chaos-incidents-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'chaos'));
  return dir;
}

async function runOnMain(
  github: GitHubWorld,
  ws: string,
  at: string,
  config = 'incidents:\n  reopen-window: 24h\n',
) {
  github.fake.setFileContents(github.owner, github.repo, 'main', {
    '.github/steward.yml': config,
  });
  return runInProcess(createChaosReportAction({ now: () => new Date(at) }), github, {
    eventName: 'push',
    payload: {
      ref: 'refs/heads/main',
      repository: { full_name: `${github.owner}/${github.repo}`, default_branch: 'main' },
    },
    inputs: { files: 'chaos/*.json', 'fail-on-verdict': 'never' },
    env: {
      GITHUB_WORKSPACE: ws,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_RUN_ID: '77',
    },
  });
}

function incidents(github: GitHubWorld) {
  return github.fake.issues(github.owner, github.repo).filter((i) => i.labels.includes('incident'));
}

function comments(github: GitHubWorld, number: number) {
  return github.fake.comments(github.owner, github.repo, number);
}

describe('chaos-report incidents through syncIncident', () => {
  it('one issue per failing experiment: opened once, resolved by a pass, reopened by a failure', async ({
    github,
  }) => {
    const ws = workspace();
    const write = (verdicts: Record<string, 'Pass' | 'Fail'>) =>
      writeFileSync(
        join(ws, 'chaos', 'results.json'),
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: Object.entries(verdicts).map(([name, verdict]) => result(name, verdict)),
        }),
      );

    write({ 'pod-delete': 'Fail', 'pod-cpu-hog': 'Pass' });
    const first = await runOnMain(github, ws, '2026-12-04T10:00:00Z');
    expect(first.report.failure).toBeNull();
    expect(incidents(github)).toHaveLength(1);
    const [issue] = incidents(github);
    expect(issue!.state).toBe('open');
    expect(issue!.title).toContain('ChaosExperimentFailed');
    expect(issue!.labels).toEqual(expect.arrayContaining(['incident', 'severity:warning']));
    expect(parseIncidentKey(issue!.body)).toBe(incidentKey('steward-chaos:litmus:pod-delete:shop'));
    expect(readIncidentState(issue!.body)).toMatchObject({
      status: 'firing',
      externalURL: `https://github.com/${github.owner}/${github.repo}/actions/runs/77`,
    });
    expect(issue!.body).toContain('probe check-http failed: got 503');
    const firstComments = comments(github, issue!.number).length;
    expect(first.report.summary).toContain(
      `- \`pod-delete\` on \`shop\`: firing, #${issue!.number} (create)`,
    );
    expect(messages(first, 'info')).toContain(
      `Incident #${issue!.number} for pod-delete: firing, create.`,
    );

    // The same failure again (a rerun, the next night's run): no second issue, no new comment.
    await runOnMain(github, ws, '2026-12-04T11:00:00Z');
    expect(incidents(github)).toHaveLength(1);
    expect(comments(github, issue!.number)).toHaveLength(firstComments);

    // It passes: the incident resolves and its issue closes, with one comment saying so and the
    // post-incident report.
    write({ 'pod-delete': 'Pass', 'pod-cpu-hog': 'Pass' });
    await runOnMain(github, ws, '2026-12-04T12:00:00Z');
    expect(incidents(github)).toHaveLength(1);
    expect(github.fake.issue(github.owner, github.repo, issue!.number).state).toBe('closed');
    const resolved = comments(github, issue!.number);
    expect(resolved).toHaveLength(firstComments + 2);
    const report = resolved.filter((c) => c.body.startsWith('<!-- steward:incident-report '));
    expect(report).toHaveLength(1);
    // Passing again changes nothing: no second report either.
    await runOnMain(github, ws, '2026-12-04T13:00:00Z');
    expect(comments(github, issue!.number)).toHaveLength(firstComments + 2);

    // It fails again within the reopen window: the same issue reopens.
    write({ 'pod-delete': 'Fail', 'pod-cpu-hog': 'Pass' });
    const again = await runOnMain(github, ws, '2026-12-04T14:00:00Z');
    expect(incidents(github)).toHaveLength(1);
    expect(github.fake.issue(github.owner, github.repo, issue!.number).state).toBe('open');
    expect(again.report.summary).toContain(`firing, #${issue!.number} (reopen)`);
  });

  it('fails naming the permission when the token may not write issues', async ({ github }) => {
    const ws = workspace();
    writeFileSync(join(ws, 'chaos', 'bad.json'), JSON.stringify(result('pod-delete', 'Fail')));
    github.fake.denyPermission({
      method: 'POST',
      pathPattern: /\/issues$/,
      permission: 'issues=write',
    });
    const step = await runOnMain(github, ws, '2026-12-04T10:00:00Z');
    expect(incidents(github)).toEqual([]);
    expect(step.report.failure).toMatch(
      /^Steward chaos report: the incident issues could not be written: The token cannot .*"issues=write"/,
    );
    expect(step.report.summary).toContain('❌ **Chaos: 1 of 1 experiment failed**');
  });

  it('opens nothing with chaos.incident: false, and says so', async ({ github }) => {
    const ws = workspace();
    writeFileSync(join(ws, 'chaos', 'bad.json'), JSON.stringify(result('pod-delete', 'Fail')));
    const step = await runOnMain(github, ws, '2026-12-04T10:00:00Z', 'chaos:\n  incident: false\n');
    expect(incidents(github)).toEqual([]);
    expect(step.report.summary).toContain(
      'Incidents are off (`chaos.incident: false`): no incident issue was touched.',
    );
    expect(step.report.outputs['verdict']).toBe('fail');
  });

  it('opens nothing for experiments that all pass', async ({ github }) => {
    const ws = workspace();
    writeFileSync(join(ws, 'chaos', 'ok.json'), JSON.stringify(result('pod-delete', 'Pass')));
    const step = await runOnMain(github, ws, '2026-12-04T10:00:00Z');
    expect(step.report.outputs['verdict']).toBe('pass');
    expect(incidents(github)).toEqual([]);
  });

  it('keeps hostile experiment names inert in the incident issue', async ({ github }) => {
    const ws = workspace();
    const hostile = '@acme/everyone <!-- steward:incident key=0 --> <img src=x>';
    writeFileSync(join(ws, 'chaos', 'bad.json'), JSON.stringify(result(hostile, 'Fail')));
    await runOnMain(github, ws, '2026-12-04T10:00:00Z');
    const [issue] = incidents(github);
    expect(issue!.title).not.toContain('@acme');
    expect(issue!.body).not.toMatch(/(^|[^`\w])@acme\/everyone/);
    expect(issue!.body.match(/<!-- steward:incident key=/g)).toHaveLength(1);
    expect(htmlNodes(issue!.body).filter((h) => h.includes('img'))).toEqual([]);
    expect(mentionsOutsideCode(issue!.body)).toEqual([]);
  });
});
