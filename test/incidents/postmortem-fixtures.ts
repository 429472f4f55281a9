import type { DeploymentFacts, MergedPullRequest } from '../../src/github/client.ts';
import { applyNotification } from '../../src/incidents/incident-state.ts';
import type { IncidentState } from '../../src/incidents/incident-state.ts';
import type { SuspiciousChanges, SuspiciousPullRequest } from '../../src/incidents/postmortem.ts';
import { payload, rawAlert } from './fixtures.ts';

/** A resolved incident and the changes before it, for the report's tests. */

export const MIN = 60_000;
export const NOTIFIED = '2026-03-01T10:05:00.000Z';
export const RESOLVED = '2026-03-01T10:50:00.000Z';

/** Two alerts starting 10:00 and 10:02, first notified 10:05, resolved 10:50. */
export function resolvedState(overrides: Record<string, unknown> = {}): IncidentState {
  const alerts = [
    rawAlert({
      fingerprint: 'aaa1',
      startsAt: '2026-03-01T10:02:00.000Z',
      labels: { alertname: 'HighErrorRate', service: 'checkout', severity: 'critical' },
    }),
    rawAlert({
      fingerprint: 'bbb2',
      startsAt: '2026-03-01T10:00:00.000Z',
      labels: { alertname: 'HighLatency', job: 'api', severity: 'critical' },
    }),
  ];
  const firing = applyNotification(null, payload({ alerts, ...overrides }), NOTIFIED).state;
  const resolved = applyNotification(
    firing,
    payload({
      status: 'resolved',
      alerts: alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2026-03-01T10:49:00.000Z' })),
      ...overrides,
    }),
    RESOLVED,
  );
  return resolved.state;
}

export function mergedPr(
  number: number,
  overrides: Partial<MergedPullRequest> = {},
): MergedPullRequest {
  return {
    number,
    url: `https://github.com/acme/shop/pull/${number}`,
    title: `Change ${number}`,
    author: 'bob',
    mergedAt: '2026-03-01T08:00:00Z',
    mergeCommitSha: 'c'.repeat(40),
    baseRefName: 'main',
    baseSha: 'b'.repeat(40),
    ...overrides,
  };
}

export function deployment(id: number, overrides: Partial<DeploymentFacts> = {}): DeploymentFacts {
  return {
    id,
    sha: 'd'.repeat(40),
    ref: 'main',
    environment: 'production',
    description: 'deploy',
    creator: 'ci-user',
    createdAt: '2026-03-01T09:30:00Z',
    url: `https://api.github.com/repos/acme/shop/deployments/${id}`,
    ...overrides,
  };
}

export function changes(overrides: Partial<SuspiciousChanges> = {}): SuspiciousChanges {
  const pr: SuspiciousPullRequest = {
    pullRequest: mergedPr(12),
    files: [
      {
        path: 'src/cart.ts',
        previousPath: null,
        status: 'modified',
        healthBefore: 9.1,
        healthAfter: 6.4,
        delta: -2.7,
        hotspot: { rank: 1, of: 2 },
        note: null,
      },
      {
        path: 'README.md',
        previousPath: null,
        status: 'modified',
        healthBefore: null,
        healthAfter: null,
        delta: null,
        hotspot: null,
        note: 'not analysed (not source code)',
      },
    ],
    filesLeftOut: 0,
    filesProblem: null,
  };
  return {
    defaultBranch: 'main',
    lookbackMs: 72 * 60 * MIN,
    since: '2026-02-26T10:00:00.000Z',
    until: '2026-03-01T10:00:00.000Z',
    pullRequests: [pr],
    pullRequestsLeftOut: 0,
    pullRequestsProblem: null,
    deployments: [deployment(3)],
    deploymentsLeftOut: 0,
    deploymentsProblem: null,
    ranksProblem: null,
    notes: [],
    ...overrides,
  };
}
