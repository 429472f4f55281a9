import { describe, expect } from 'vitest';
import type { IssueFacts } from '../../src/github/client.ts';
import { healthDeltaOfTexts } from '../../src/health/assess-texts.ts';
import { defaultHealthSettings } from '../../src/health/settings.ts';
import { gatherPostmortemFacts } from '../../src/incidents/postmortem-facts.ts';
import { incidentReport } from '../../src/incidents/postmortem-report.ts';
import { postmortemMarker } from '../../src/incidents/postmortem.ts';
import { renderIncidentBody } from '../../src/incidents/render.ts';
import { createAnthropicModelClient } from '../../src/llm/client.ts';
import { anthropicFixture } from '../support/anthropic-world.ts';
import { mentionsOutsideCode } from '../support/gfm.ts';
import type { GitHubWorld } from '../support/github-world.ts';
import { gitHubTest } from '../support/github-world.ts';
import { resolvedState } from './postmortem-fixtures.ts';

/**
 * The report's facts read through the real client from the GitHub fake on loopback: only pull
 * requests merged into the default branch inside the lookback window, only deployments inside it,
 * code health from the real file texts at the base and the merge commit, hotspot ranks from the
 * commits touching each file, and a report written whatever part of GitHub fails or answers
 * nonsense.
 */

const it = gitHubTest({ botLogin: 'steward-app[bot]' }).extend({
  anthropic: anthropicFixture({ apiKey: 'sk-ant-test' }),
});

const DAY = 86_400_000;
const LOOKBACK = 3 * DAY;
/** The impact starts 2026-03-01T10:00Z: the window is 2026-02-26T10:00Z → 2026-03-01T10:00Z. */
const NOW = new Date('2026-03-02T00:00:00Z');
const BOT = { login: 'steward-app[bot]', type: 'Bot' } as const;

const CART_BEFORE =
  'export function total(items: number[]): number {\n  return items.reduce((a, b) => a + b, 0);\n}\n';
const CART_AFTER = [
  'export function total(items: number[], mode: string, flag: boolean, x: number): number {',
  '  let sum = 0;',
  '  for (const item of items) {',
  '    if (mode === "a") {',
  '      if (flag) {',
  '        for (let i = 0; i < x; i++) {',
  '          if (item > i && (flag || mode === "b") && x > 2 && item !== 3) sum += item;',
  '          else if (item < 0) sum -= item;',
  '          else if (item === 0) sum += 1;',
  '          else sum += 2;',
  '        }',
  '      } else if (mode === "c") {',
  '        while (sum < 100) { if (sum % 2) sum += 3; else sum += 5; }',
  '      }',
  '    } else if (mode === "d") {',
  '      switch (item) { case 1: sum += 1; break; case 2: sum += 2; break; default: sum += 3; }',
  '    }',
  '  }',
  '  return sum;',
  '}',
  '',
].join('\n');
const PAY = 'export const pay = (n: number): number => n * 2;\n';

function seed(world: GitHubWorld) {
  const { fake, owner, repo } = world;
  const state = resolvedState();
  const view = fake.addIssue(owner, repo, {
    title: 'Incident: HighErrorRate',
    body: renderIncidentBody(state),
    author: BOT,
    labels: ['incident'],
    createdAt: state.firstNotifiedAt,
  });
  fake.addComment(owner, repo, view.number, 'transition', BOT);
  fake.addComment(owner, repo, view.number, 'on it', { login: 'carol', type: 'User' });
  fake.assignIssue(owner, repo, view.number, 'alice', '2026-03-01T10:12:00Z');

  const pr = (
    number: number,
    mergedAt: string,
    files: { path: string; status?: 'added' | 'modified' }[],
    more: { baseRefName?: string; state?: 'MERGED' | 'CLOSED'; title?: string } = {},
  ) =>
    fake.addPullRequest({
      owner,
      repo,
      number,
      title: more.title ?? `Change ${number}`,
      state: more.state ?? 'MERGED',
      baseRefName: more.baseRefName ?? 'main',
      mergedAt,
      closedAt: mergedAt,
      updatedAt: mergedAt,
      mergeCommitSha: `${String(number).padStart(2, '0')}${'e'.repeat(38)}`,
      baseSha: `${String(number).padStart(2, '0')}${'b'.repeat(38)}`,
      files: files.map((f) => ({
        path: f.path,
        status: f.status ?? 'modified',
        patch: '@@ -1 +1 @@\n-a\n+b',
      })),
    });
  pr(21, '2026-02-28T12:00:00Z', [
    { path: 'src/cart.ts' },
    { path: 'src/pay.ts', status: 'added' },
    { path: 'README.md' },
  ]);
  pr(22, '2026-02-20T12:00:00Z', [{ path: 'src/old.ts' }]);
  pr(23, '2026-03-01T11:00:00Z', [{ path: 'src/after.ts' }]);
  pr(24, '2026-02-28T13:00:00Z', [{ path: 'src/release.ts' }], { baseRefName: 'release' });
  pr(25, '2026-02-28T14:00:00Z', [{ path: 'src/closed.ts' }], { state: 'CLOSED' });
  fake.setFileContents(owner, repo, `21${'b'.repeat(38)}`, { 'src/cart.ts': CART_BEFORE });
  fake.setFileContents(owner, repo, `21${'e'.repeat(38)}`, {
    'src/cart.ts': CART_AFTER,
    'src/pay.ts': PAY,
  });
  for (const date of ['2026-02-10T00:00:00Z', '2026-02-20T00:00:00Z', '2026-02-28T12:00:00Z'])
    fake.addCommit(owner, repo, { date, paths: ['src/cart.ts'] });
  fake.addCommit(owner, repo, { date: '2026-02-28T12:00:00Z', paths: ['src/pay.ts'] });
  fake.addCommit(owner, repo, { date: '2025-01-01T00:00:00Z', paths: ['src/pay.ts'] });

  const inWindow = fake.addDeployment(owner, repo, {
    environment: 'production',
    createdAt: '2026-02-28T13:00:00Z',
    description: 'v1.2.3',
  });
  fake.addDeployment(owner, repo, { environment: 'production', createdAt: '2026-02-01T00:00:00Z' });
  fake.addDeployment(owner, repo, { environment: 'production', createdAt: '2026-03-01T12:00:00Z' });
  const issue: IssueFacts = {
    number: view.number,
    url: `https://github.com/${owner}/${repo}/issues/${view.number}`,
    title: view.title,
    body: view.body,
    state: 'open',
    labels: ['incident'],
    ours: true,
    createdAt: view.createdAt,
    closedAt: null,
    assignees: [],
  };
  return { state, issue, deploymentId: inWindow.id };
}

describe('gatherPostmortemFacts', () => {
  it('reads the window’s merged pull requests and deployments, with health and hotspot ranks', async ({
    github,
  }) => {
    const { state, issue, deploymentId } = seed(github);
    const facts = await gatherPostmortemFacts(
      github.client,
      { state, issue },
      { lookbackMs: LOOKBACK, defaultBranch: 'main', now: NOW },
    );
    const { changes } = facts;
    expect(changes.since).toBe('2026-02-26T10:00:00.000Z');
    expect(changes.until).toBe('2026-03-01T10:00:00.000Z');
    expect(changes.pullRequestsProblem).toBeNull();
    expect(changes.pullRequests.map((p) => p.pullRequest.number)).toEqual([21]);
    expect(changes.deployments.map((d) => d.id)).toEqual([deploymentId]);
    expect(changes.deploymentsProblem).toBeNull();

    const expected = healthDeltaOfTexts(
      [
        { path: 'src/cart.ts', previousPath: null, before: CART_BEFORE, after: CART_AFTER },
        { path: 'src/pay.ts', previousPath: null, before: null, after: PAY },
      ],
      defaultHealthSettings(),
    ).files;
    const cart = expected.find((f) => f.path === 'src/cart.ts')!;
    expect(cart.before).toBe(10);
    expect(cart.after).toBeLessThan(10);
    const files = changes.pullRequests[0]!.files;
    expect(files.map((f) => f.path)).toEqual(['src/cart.ts', 'src/pay.ts', 'README.md']);
    expect(files[0]).toMatchObject({
      healthBefore: cart.before,
      healthAfter: cart.after,
      delta: cart.delta,
      hotspot: { rank: 1, of: 2 },
      note: null,
    });
    expect(files[1]).toMatchObject({
      status: 'added',
      healthBefore: null,
      healthAfter: 10,
      hotspot: { rank: 2, of: 2 },
    });
    expect(files[2]).toMatchObject({ healthBefore: null, hotspot: null });
    expect(files[2]!.note).toMatch(/not analysed/);
    expect(changes.ranksProblem).toBeNull();

    // Who acknowledged it: alice's assignment at 10:12, before carol's comment (now).
    expect(facts.activityProblem).toBeNull();
    expect(facts.activity!.comments.map((c) => c.login)).toEqual(['steward-app[bot]', 'carol']);

    const report = await incidentReport(
      github.client,
      { state, issue },
      { lookbackMs: LOOKBACK, defaultBranch: 'main', hypothesis: true, model: 'none', now: NOW },
    );
    expect(report.split('\n')[0]).toBe(postmortemMarker(state));
    expect(report).toContain('assigned by `alice`');
    expect(report).toContain('| 7 min after detection |');
    expect(report).toContain('`pr#21`');
    expect(report).not.toContain('pr#22');
    expect(report).toContain(`\`deploy#${deploymentId}\``);
    expect(report).toContain(`hottest \`src/cart.ts\`, hotspot 1 of 2`);
    expect(report).not.toContain('### Hypothesis');
  });

  it('bounds pull requests and files, and says so', async ({ github }) => {
    const { state, issue } = seed(github);
    for (let i = 0; i < 3; i++)
      github.fake.addPullRequest({
        owner: github.owner,
        repo: github.repo,
        number: 30 + i,
        state: 'MERGED',
        baseRefName: 'main',
        mergedAt: `2026-02-27T0${i}:00:00Z`,
        updatedAt: `2026-02-27T0${i}:00:00Z`,
        closedAt: `2026-02-27T0${i}:00:00Z`,
        files: [{ path: `docs/${i}.md`, status: 'modified', patch: '@@ -1 +1 @@\n-a\n+b' }],
      });
    const facts = await gatherPostmortemFacts(
      github.client,
      { state, issue },
      { lookbackMs: LOOKBACK, defaultBranch: 'main', now: NOW, maxPullRequests: 2, maxFiles: 2 },
    );
    expect(facts.changes.pullRequests.map((p) => p.pullRequest.number)).toEqual([21, 32]);
    expect(facts.changes.pullRequestsLeftOut).toBe(2);
    expect(facts.changes.pullRequests[0]!.files).toHaveLength(2);
    expect(facts.changes.pullRequests[0]!.filesLeftOut).toBe(1);
    expect(facts.changes.pullRequests[1]!.files).toHaveLength(0);
    expect(facts.changes.pullRequests[1]!.filesLeftOut).toBe(1);
  });

  it('writes the report when GitHub refuses or answers nonsense, saying what could not be read', async ({
    github,
  }) => {
    const { state, issue } = seed(github);
    github.fake.denyPermission({
      method: 'GET',
      pathPattern: /\/deployments$/,
      permission: 'deployments',
    });
    github.fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/pulls$/,
      reshape: () => ({ message: 'garbage' }),
    });
    github.fake.driftAnswers({
      method: 'GET',
      pathPattern: /\/issues\/\d+\/events$/,
      reshape: () => [{ nonsense: true }],
    });
    const facts = await gatherPostmortemFacts(
      github.client,
      { state, issue },
      { lookbackMs: LOOKBACK, defaultBranch: 'main', now: NOW },
    );
    expect(facts.changes.deploymentsProblem).toMatch(/deployments|permission|403|not accessible/i);
    expect(facts.changes.pullRequestsProblem).not.toBeNull();
    expect(facts.activity).toBeNull();
    expect(facts.activityProblem).not.toBeNull();
    const report = await incidentReport(
      github.client,
      { state, issue },
      { lookbackMs: LOOKBACK, defaultBranch: 'main', hypothesis: false, model: 'none', now: NOW },
    );
    expect(report).toContain('_Could not read the merged pull requests:');
    expect(report).toContain('_Could not read the deployments:');
    expect(report).toContain("_The issue's comments and events could not be read");
    expect(report).toContain('### Action items');
  });

  it('adds the model’s hypothesis, citing the pull request it was given', async ({
    github,
    anthropic,
  }) => {
    const { state, issue } = seed(github);
    anthropic.enqueue({
      toolUse: {
        name: 'incident_hypothesis',
        input: {
          hypothesis:
            'The cart rewrite in pr#21 made total() far more complex just before the errors.',
          cites: ['pr#21', 'pr#22'],
        },
      },
    });
    const modelClient = createAnthropicModelClient({
      apiKey: 'sk-ant-test',
      baseURL: anthropic.url,
      model: 'claude-haiku-5-5',
      timeoutMs: 30_000,
      maxRetries: 0,
    });
    const report = await incidentReport(
      github.client,
      { state, issue },
      {
        lookbackMs: LOOKBACK,
        defaultBranch: 'main',
        hypothesis: true,
        model: 'claude-haiku-5-5',
        modelClient,
        now: NOW,
      },
    );
    expect(report).toContain('### Hypothesis (unverified)');
    expect(report).toContain('Rests on: `pr#21`.');
    const user = JSON.stringify(anthropic.requests[0]!.body.messages[0]?.content);
    expect(user).toContain('pr#21');
    expect(user).not.toContain('pr#22');
  });
  it('reads a renamed file’s old text at its old path, and shows a hostile title inert', async ({
    github,
  }) => {
    const { fake, owner, repo } = github;
    const { state, issue } = seed(github);
    const forged = `<!-- steward:incident-report key=${'f'.repeat(64)} seq=1 -->`;
    fake.addPullRequest({
      owner,
      repo,
      number: 40,
      title: `@everyone ${forged} fixes #1 [x](https://evil.example)`,
      author: { login: 'mallory', type: 'User' },
      state: 'MERGED',
      baseRefName: 'main',
      mergedAt: '2026-02-28T20:00:00Z',
      updatedAt: '2026-02-28T20:00:00Z',
      closedAt: '2026-02-28T20:00:00Z',
      mergeCommitSha: `40${'e'.repeat(38)}`,
      baseSha: `40${'b'.repeat(38)}`,
      files: [
        {
          path: 'src/basket.ts',
          previous_filename: 'src/cart.ts',
          status: 'renamed',
          patch: '@@ -1 +1 @@\n-a\n+b',
        },
      ],
    });
    fake.setFileContents(owner, repo, `40${'b'.repeat(38)}`, { 'src/cart.ts': CART_AFTER });
    fake.setFileContents(owner, repo, `40${'e'.repeat(38)}`, { 'src/basket.ts': CART_BEFORE });
    const facts = await gatherPostmortemFacts(
      github.client,
      { state, issue },
      { lookbackMs: LOOKBACK, defaultBranch: 'main', now: NOW },
    );
    const renamed = facts.changes.pullRequests.find((p) => p.pullRequest.number === 40)!;
    expect(renamed.files[0]).toMatchObject({
      path: 'src/basket.ts',
      previousPath: 'src/cart.ts',
      status: 'renamed',
      healthAfter: 10,
    });
    expect(renamed.files[0]!.delta).toBeGreaterThan(0);
    const report = await incidentReport(
      github.client,
      { state, issue },
      { lookbackMs: LOOKBACK, defaultBranch: 'main', hypothesis: false, model: 'none', now: NOW },
    );
    expect(report.match(/<!--/g)).toHaveLength(1);
    expect(mentionsOutsideCode(report)).toEqual([]);
    expect(report).not.toMatch(/(^|[^\w`[])#1\b/);
    expect(report).toContain('(from `src/cart.ts`)');
  });
});
