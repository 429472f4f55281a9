import { describe, expect } from 'vitest';
import {
  incidentKeysOf,
  syncChaosIncidents,
  type ChaosIncidentSynced,
} from '../../src/chaos/sync.ts';
import type { ChaosRow } from '../../src/chaos/summary.ts';
import { incidentKey } from '../../src/incidents/incident-state.ts';
import { gitHubTest } from '../support/github-world.ts';

/**
 * syncChaosIncidents over the real GitHub client and the fake's issues: what the action and the
 * app's POST /chaos share.
 */

const it = gitHubTest();

function row(experiment: string, verdict: ChaosRow['verdict']): ChaosRow {
  return {
    tool: 'litmus',
    experiment,
    target: 'deployment/checkout',
    verdict,
    status: verdict,
    probeSuccessPercentage: null,
    failedProbes: [],
    failure: verdict === 'fail' ? 'probe failed' : null,
    durationMs: null,
    history: null,
    details: [],
    source: 'results.yaml',
  };
}

const OPTIONS = {
  receivedAt: '2026-12-04T10:00:00.000Z',
  externalURL: 'https://github.com/acme/widgets/actions/runs/1',
  reopenWindowMs: 86_400_000,
  labelNames: ['experiment'],
};

describe('syncChaosIncidents', () => {
  it('opens an issue per failure, none for a pass or no verdict, and resolves what it opened', async ({
    github,
  }) => {
    const first = await syncChaosIncidents(
      github.client,
      [row('pod-delete', 'fail'), row('cpu-hog', 'pass'), row('net-delay', 'unknown')],
      OPTIONS,
    );
    expect(first.map((s) => [s.experiment, s.status, s.result.action])).toEqual([
      ['pod-delete', 'firing', 'create'],
    ]);
    const issues = github.fake.issues(github.owner, github.repo);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.labels).toContain('experiment:pod-delete');
    expect(await incidentKeysOf(github.client)).toEqual(
      new Set([incidentKey('steward-chaos:litmus:pod-delete:deployment/checkout')]),
    );

    const resolved = await syncChaosIncidents(
      github.client,
      [row('pod-delete', 'pass'), row('cpu-hog', 'pass')],
      { ...OPTIONS, receivedAt: '2026-12-04T11:00:00.000Z' },
    );
    expect(resolved.map((s) => [s.experiment, s.status, s.result.issue?.number])).toEqual([
      ['pod-delete', 'resolved', issues[0]!.number],
    ]);
    expect(github.fake.issues(github.owner, github.repo)).toHaveLength(1);
    expect(github.fake.issue(github.owner, github.repo, issues[0]!.number).state).toBe('closed');
  });

  it('keeps what was done before a failure', async ({ github }) => {
    const done: ChaosIncidentSynced[] = [];
    let calls = 0;
    await expect(
      syncChaosIncidents(
        github.client,
        [row('a', 'fail'), row('b', 'fail')],
        {
          ...OPTIONS,
          sync: () => {
            calls += 1;
            return calls === 1
              ? Promise.resolve({
                  action: 'create',
                  issue: { number: 1, url: 'https://github.com/acme/widgets/issues/1' },
                  commentsPosted: 1,
                  reportPosted: false,
                  reportError: null,
                })
              : Promise.reject(new Error('GitHub answered 502'));
          },
        },
        done,
      ),
    ).rejects.toThrow('GitHub answered 502');
    expect(done.map((d) => d.experiment)).toEqual(['a']);
    // Only failures: the issues were never listed.
    expect(github.fake.requests).toEqual([]);
  });
});
