import { describe, expect } from 'vitest';
import { analyseSeries, type AnomalyAnalysis } from '../../src/anomaly/analyse.ts';
import {
  CAPACITY_CLOSED_MARKER,
  capacityBranch,
  capacityMarker,
  syncCapacityPullRequests,
} from '../../src/anomaly/capacity-sync.ts';
import { anomalySettings, type AnomalyConfig } from '../../src/anomaly/settings.ts';
import type { Point } from '../../src/anomaly/types.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';
import { gitHubTest } from '../support/github-world.ts';

const OWNER = 'acme';
const REPO = 'widgets';
const BOT = { login: 'steward[bot]', type: 'Bot' } as const;
const OCTOCAT = { login: 'octocat', type: 'User' } as const;
const it = gitHubTest({ botLogin: BOT.login });

const FILE = 'deploy/data.yaml';
const MANIFEST = `# The data volume: sized by hand, raised by Steward
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  resources:
    requests:
      storage: "40Gi" # keep quoted
`;
const GI = 2 ** 30;

function config(overrides: Record<string, unknown> = {}): AnomalyConfig {
  return anomalySettings.parse({
    horizon: '14 days',
    series: [{ name: 'disk-used', query: 'disk_used_bytes', limit: 100 }],
    capacity: [
      {
        series: 'disk-used',
        file: FILE,
        path: 'spec.resources.requests.storage',
        min: 10 * GI,
        max: 60 * GI,
        step: 10 * GI,
        ...overrides,
      },
    ],
  });
}
const RULE = config().capacity[0]!;
const BRANCH = capacityBranch(RULE);
const T0 = Date.UTC(2026, 11, 1);

/** A day of 5-minute points growing toward the limit of 100 (crossing in about 2 days), or flat. */
function disk(growing: boolean): AnomalyAnalysis {
  const points: Point[] = Array.from({ length: 288 }, (_, i) => ({
    t: T0 + i * 300_000,
    v: 40 + (growing ? i * 0.1 : 0) + (i % 5) * 0.01,
  }));
  return analyseSeries(points, { detector: 'default', limit: 100, horizonMs: 14 * 86_400_000 });
}

const OPTIONS = {
  defaultBranch: 'main',
  runUrl: 'https://github.com/acme/widgets/actions/runs/1',
  now: T0 + 86_400_000,
};

function seed(fake: GitHubFake, text = MANIFEST): string {
  fake.setFileContents(OWNER, REPO, 'main', { [FILE]: text });
  return fake.branch(OWNER, REPO, 'main')!;
}

function writes(fake: GitHubFake): number {
  return fake.requests.filter(
    (r) =>
      r.method !== 'GET' &&
      !(r.path.endsWith('/graphql') && !/mutation/.test(JSON.stringify(r.body ?? ''))),
  ).length;
}

describe('syncCapacityPullRequests', () => {
  it('opens one pull request within bounds: one signed commit on the base, the chart and the reasoning', async ({
    github: { fake, client },
  }) => {
    const base = seed(fake);
    const analysis = disk(true);
    expect(analysis.forecast?.withinHorizon).toBe(true);
    const [outcome, ...more] = await syncCapacityPullRequests(
      client,
      config(),
      new Map([['disk-used', analysis]]),
      OPTIONS,
    );
    expect(more).toEqual([]);
    expect(outcome).toMatchObject({ action: 'opened', branch: BRANCH, from: 40 * GI, to: 50 * GI });
    expect(BRANCH).toMatch(/^steward\/capacity\/disk-used-[0-9a-f]{8}$/);

    const [pr, ...others] = fake.pullRequests(OWNER, REPO);
    expect(others).toEqual([]);
    expect(pr).toMatchObject({
      number: outcome!.number,
      headRefName: BRANCH,
      baseRefName: 'main',
      author: BOT,
      title: `Capacity: spec.resources.requests.storage in ${FILE} to 50Gi (disk-used forecast)`,
    });
    expect(pr!.body.split('\n')[0]).toBe(capacityMarker(RULE));
    expect(pr!.body).toContain('```mermaid\nxychart-beta');
    expect(pr!.body).toMatch(/\| Method \| (linear|holt) /);
    expect(pr!.body).toMatch(/\| Crossing \| 2026-12-0\dT\d\d:\d\dZ \|/);
    expect(pr!.body).toContain('within [10Gi, 60Gi]');
    expect(pr!.body).toContain('[this run](https://github.com/acme/widgets/actions/runs/1)');

    expect(fake.branchCommits).toHaveLength(1);
    const commit = fake.commit(OWNER, REPO, fake.branch(OWNER, REPO, BRANCH)!);
    expect(commit).toMatchObject({
      parents: [base],
      author: BOT,
      verification: { verified: true },
    });
    expect(fake.fileAt(OWNER, REPO, BRANCH, FILE)).toBe(MANIFEST.replace('"40Gi"', '"50Gi"'));
    expect(fake.fileAt(OWNER, REPO, 'main', FILE)).toBe(MANIFEST);
  });

  it('changes nothing on a rerun with the same result, even from another run', async ({
    github: { fake, client },
  }) => {
    seed(fake);
    const analyses = new Map([['disk-used', disk(true)]]);
    const [first] = await syncCapacityPullRequests(client, config(), analyses, OPTIONS);
    const before = writes(fake);
    const [again] = await syncCapacityPullRequests(client, config(), analyses, {
      ...OPTIONS,
      runUrl: 'https://github.com/acme/widgets/actions/runs/2',
      now: OPTIONS.now + 3_600_000,
    });
    expect(again).toMatchObject({ action: 'unchanged', number: first!.number });
    expect(writes(fake)).toBe(before);
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(1);
    expect(fake.branchCommits).toHaveLength(1);
  });

  it('updates the same pull request when the default branch moved: one new commit, no second pull request', async ({
    github: { fake, client },
  }) => {
    seed(fake);
    const analyses = new Map([['disk-used', disk(true)]]);
    const [first] = await syncCapacityPullRequests(client, config(), analyses, OPTIONS);
    // Someone raises the volume by hand on main: the proposal moves on from there.
    const moved = await client.createCommitOnBranch({
      branch: 'main',
      expectedHeadSha: fake.branch(OWNER, REPO, 'main')!,
      headline: 'More disk',
      body: '',
      files: [{ path: FILE, text: MANIFEST.replace('"40Gi"', '"45Gi"') }],
    });
    if (moved.kind !== 'committed') throw new Error(moved.message);
    const [second] = await syncCapacityPullRequests(client, config(), analyses, OPTIONS);
    expect(second).toMatchObject({ action: 'updated', number: first!.number, to: 55 * GI });
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(1);
    expect(fake.branchCommits).toHaveLength(3);
    expect(fake.commit(OWNER, REPO, fake.branch(OWNER, REPO, BRANCH)!)!.parents).toEqual([
      moved.sha,
    ]);
    expect(fake.fileAt(OWNER, REPO, BRANCH, FILE)).toBe(MANIFEST.replace('"40Gi"', '"55Gi"'));
    expect(fake.pullRequests(OWNER, REPO)[0]!.title).toContain('to 55Gi');
  });

  it('opens nothing at max, and says to raise max', async ({ github: { fake, client } }) => {
    seed(fake, MANIFEST.replace('"40Gi"', '"60Gi"'));
    const [outcome] = await syncCapacityPullRequests(
      client,
      config(),
      new Map([['disk-used', disk(true)]]),
      OPTIONS,
    );
    expect(outcome).toMatchObject({ action: 'none', reason: expect.stringMatching(/raise max/) });
    expect(fake.pullRequests(OWNER, REPO)).toEqual([]);
    expect(fake.branch(OWNER, REPO, BRANCH)).toBeUndefined();
  });

  it('closes its pull request with a comment when the forecast no longer reaches the limit', async ({
    github: { fake, client },
  }) => {
    seed(fake);
    const [opened] = await syncCapacityPullRequests(
      client,
      config(),
      new Map([['disk-used', disk(true)]]),
      OPTIONS,
    );
    const [closed] = await syncCapacityPullRequests(
      client,
      config(),
      new Map([['disk-used', disk(false)]]),
      OPTIONS,
    );
    expect(closed).toMatchObject({ action: 'closed', number: opened!.number });
    expect(fake.pullRequest(OWNER, REPO, opened!.number!).state).toBe('CLOSED');
    const [comment] = fake.comments(OWNER, REPO, opened!.number!);
    expect(comment!.body.startsWith(CAPACITY_CLOSED_MARKER)).toBe(true);
    expect(comment!.body).toMatch(/no longer reaches its limit/);
    expect(fake.branch(OWNER, REPO, BRANCH)).toBeUndefined();
    // Flat again: nothing to do and nothing written.
    const before = writes(fake);
    const [none] = await syncCapacityPullRequests(
      client,
      config(),
      new Map([['disk-used', disk(false)]]),
      OPTIONS,
    );
    expect(none).toMatchObject({ action: 'none' });
    expect(writes(fake)).toBe(before);
  });

  it('opens a new pull request once the forecast reaches the limit again after Steward closed one', async ({
    github: { fake, client },
  }) => {
    seed(fake);
    const growing = new Map([['disk-used', disk(true)]]);
    const [first] = await syncCapacityPullRequests(client, config(), growing, OPTIONS);
    await syncCapacityPullRequests(
      client,
      config(),
      new Map([['disk-used', disk(false)]]),
      OPTIONS,
    );
    const [again] = await syncCapacityPullRequests(client, config(), growing, OPTIONS);
    expect(again).toMatchObject({ action: 'opened', from: 40 * GI, to: 50 * GI });
    expect(again!.number).not.toBe(first!.number);
    expect(fake.pullRequests(OWNER, REPO).map((pr) => pr.state)).toEqual(['CLOSED', 'OPEN']);
  });

  it('does not propose again a change a person closed unmerged', async ({
    github: { fake, client },
  }) => {
    seed(fake);
    const growing = new Map([['disk-used', disk(true)]]);
    const [first] = await syncCapacityPullRequests(client, config(), growing, OPTIONS);
    fake.pullRequest(OWNER, REPO, first!.number!).update({ state: 'CLOSED' });
    const before = writes(fake);
    const [outcome] = await syncCapacityPullRequests(client, config(), growing, OPTIONS);
    expect(outcome).toMatchObject({
      action: 'none',
      number: first!.number,
      reason: expect.stringMatching(
        /proposed this very change \(40Gi → 50Gi\) and was closed unmerged/,
      ),
    });
    expect(writes(fake)).toBe(before);
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(1);
  });

  it('never touches a pull request someone else opened from its branch, even with a forged marker', async ({
    github: { fake, client },
  }) => {
    seed(fake);
    fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      number: 7,
      author: OCTOCAT,
      headRefName: BRANCH,
      title: 'forged',
      body: `${capacityMarker(RULE)}\nforged`,
    });
    const before = writes(fake);
    for (const growing of [true, false]) {
      const [outcome] = await syncCapacityPullRequests(
        client,
        config(),
        new Map([['disk-used', disk(growing)]]),
        OPTIONS,
      );
      expect(outcome).toMatchObject({
        action: 'refused',
        number: 7,
        reason: expect.stringMatching(/^#7 is open from .* not Steward's/),
      });
    }
    expect(writes(fake)).toBe(before);
    expect(fake.pullRequest(OWNER, REPO, 7).state).toBe('OPEN');
    expect(fake.pullRequests(OWNER, REPO)).toHaveLength(1);
  });

  it('leaves its branch alone once a person pushed to it', async ({ github: { fake, client } }) => {
    seed(fake);
    const analyses = new Map([['disk-used', disk(true)]]);
    const [opened] = await syncCapacityPullRequests(client, config(), analyses, OPTIONS);
    const pushed = fake
      .pullRequest(OWNER, REPO, opened!.number!)
      .pushCommit({ author: OCTOCAT, message: `Mine\n\nSteward-Capacity: forged` });
    const before = writes(fake);
    const [outcome] = await syncCapacityPullRequests(client, config(), analyses, OPTIONS);
    expect(outcome).toMatchObject({
      action: 'refused',
      reason: expect.stringMatching(/holds a commit Steward did not make/),
    });
    expect(writes(fake)).toBe(before);
    expect(fake.branch(OWNER, REPO, BRANCH)).toBe(pushed);
    // Nor is it closed when the forecast no longer reaches the limit: the person's commit stays.
    const [flat] = await syncCapacityPullRequests(
      client,
      config(),
      new Map([['disk-used', disk(false)]]),
      OPTIONS,
    );
    expect(flat).toMatchObject({
      action: 'refused',
      reason: expect.stringMatching(/is left open for whoever pushed it/),
    });
    expect(writes(fake)).toBe(before);
    expect(fake.pullRequest(OWNER, REPO, opened!.number!).state).toBe('OPEN');
  });

  it('refuses a workflow file and a missing manifest, skips a series not read, and reports a hostile manifest', async ({
    github: { fake, client },
  }) => {
    seed(fake);
    fake.setFileContents(OWNER, REPO, 'main', {
      'deploy/alias.yaml': 'a: &x 1\nspec:\n  replicas: *x\n',
    });
    const rules = anomalySettings.parse({
      series: [
        { name: 'disk-used', query: 'q', limit: 100 },
        { name: 'unread', query: 'q', limit: 1 },
      ],
      capacity: [
        { series: 'disk-used', file: 'deploy/gone.yaml', path: 'a', min: 1, max: 9, step: 1 },
        {
          series: 'disk-used',
          file: 'deploy/alias.yaml',
          path: 'spec.replicas',
          min: 1,
          max: 9,
          step: 1,
        },
        { series: 'unread', file: FILE, path: 'spec', min: 1, max: 9, step: 1 },
      ],
    });
    // Settings refuse a workflow file; the sync refuses one however its config was made.
    rules.capacity.unshift({
      series: 'disk-used',
      file: './.github/workflows/scale.yml',
      path: 'a',
      document: null,
      min: 1,
      max: 9,
      step: 1,
    });
    const outcomes = await syncCapacityPullRequests(
      client,
      rules,
      new Map([['disk-used', disk(true)]]),
      OPTIONS,
    );
    expect(outcomes.map((o) => o.action)).toEqual(['refused', 'refused', 'refused', 'skipped']);
    expect(outcomes[0]!.reason).toMatch(/is a workflow file/);
    expect(outcomes[1]!.reason).toMatch(/deploy\/gone\.yaml does not exist on main/);
    expect(outcomes[2]!.reason).toMatch(/deploy\/alias\.yaml: spec\.replicas is an alias/);
    expect(fake.pullRequests(OWNER, REPO)).toEqual([]);
    expect(fake.branchCommits).toHaveLength(0);
  });

  it('links no run URL that could inject markdown', async ({ github: { fake, client } }) => {
    seed(fake);
    await syncCapacityPullRequests(client, config(), new Map([['disk-used', disk(true)]]), {
      ...OPTIONS,
      runUrl: 'javascript:alert(1)',
    });
    const [pr] = fake.pullRequests(OWNER, REPO);
    expect(pr!.body).not.toContain('javascript');
    expect(pr!.body).toContain("<sub>Steward's anomaly watch.</sub>");
  });
});
