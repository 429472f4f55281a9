import { describe, expect } from 'vitest';
import { run } from '../../actions/auto-merge/main.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { startNpmRegistryFake, type NpmRegistryFake } from '../support/npm-registry-fake.ts';
import {
  botCommit,
  findExample,
  JOB,
  OWNER,
  REPO,
  RUN_ID,
  seedUpdatePullRequest,
  TOKEN,
  updatePullRequestEvent,
} from '../e2e/auto-merge-scenario.ts';
import { messages, runInProcess, type InProcessOptions } from './run-in-process.ts';

/**
 * The auto-merge action's `run`, in process: the runner's variables in, the step's report out,
 * GitHub and the npm registry as fakes on loopback. Each test fails on any request the GitHub
 * fake was not set up for.
 */

const it = gitHubTest({ token: TOKEN }).extend<{ registry: NpmRegistryFake }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads the fixture's dependencies from this pattern
  registry: async ({}, use) => {
    const registry = await startNpmRegistryFake();
    try {
      await use(registry);
    } finally {
      await registry.close();
    }
  },
});

function autoMerge(
  github: GitHubWorld,
  event: { name: string; payload: unknown },
  options: Pick<InProcessOptions, 'inputs' | 'env'> = {},
) {
  return runInProcess(run, github, {
    eventName: event.name,
    payload: event.payload,
    inputs: { 'dry-run': 'false', ...options.inputs },
    env: { GITHUB_RUN_ID: RUN_ID, GITHUB_JOB: JOB, ...options.env },
  });
}

/** A check_suite event that lists these pull requests, in this order. */
function checkSuiteOf(headSha: string, numbers: number[]) {
  const example = structuredClone(findExample('check_suite', 'completed'));
  example.check_suite = {
    ...(example.check_suite as object),
    head_sha: headSha,
    pull_requests: numbers.map((number) => ({ number })),
  };
  return { name: 'check_suite', payload: example };
}

describe('the auto-merge action, in process', () => {
  it('merges a Renovate patch update pinned to its head, and reports it', async ({
    github,
    registry,
  }) => {
    const pr = seedUpdatePullRequest(github.fake, registry);
    const step = await autoMerge(github, updatePullRequestEvent(pr));
    expect(github.fake.merges).toEqual([
      expect.objectContaining({ number: pr.number, sha: pr.headSha, merge_method: 'squash' }),
    ]);
    expect(step.report.outputs).toMatchObject({ decision: 'merged', 'update-type': 'patch' });
    expect(JSON.parse(step.report.outputs['decisions']!)).toEqual([
      {
        number: pr.number,
        headSha: pr.headSha,
        outcome: 'merged',
        reason: expect.any(String),
        updateType: 'patch',
      },
    ]);
    expect(messages(step, 'info')).toContainEqual(
      expect.stringMatching(new RegExp(`^#${pr.number} at ${pr.headSha.slice(0, 7)}: merged \\(`)),
    );
    expect(step.report.summary).toContain('| Identity | ✅ pass |');
    expect(step.summary.join('')).toContain('(at `main`)');
    expect(step.report.failure).toBeNull();
  });

  it('decides and writes nothing in a dry run', async ({ github, registry }) => {
    const pr = seedUpdatePullRequest(github.fake, registry);
    const step = await autoMerge(github, updatePullRequestEvent(pr), {
      inputs: { 'dry-run': 'true' },
    });
    expect(step.report.outputs['decision']).toBe('would-merge');
    expect(github.fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql')).toEqual(
      [],
    );
  });

  // The step has one `decision` output: with several pull requests it must be the least
  // favourable, wherever it comes in the event's list, and the other outputs must be its own.
  it.for([
    ['merged first', [17, 18]],
    ['refused first', [18, 17]],
  ] as const)(
    'reports the worst of several decisions (%s)',
    async ([, order], { github, registry }) => {
      const bot = seedUpdatePullRequest(github.fake, registry);
      const person = seedUpdatePullRequest(github.fake, registry, {
        pr: {
          number: 18,
          headRefName: 'mallory/lodash',
          author: { login: 'mallory', type: 'User' },
        },
      });
      const step = await autoMerge(github, checkSuiteOf(bot.headSha, [...order]));
      expect(github.fake.merges.map((m) => m.number)).toEqual([17]);
      const decisions = JSON.parse(step.report.outputs['decisions']!) as {
        number: number;
        outcome: string;
        reason: string;
      }[];
      expect(decisions.map((d) => [d.number, d.outcome])).toEqual(
        order.map((n) => [n, n === 17 ? 'merged' : 'refused']),
      );
      const refused = decisions.find((d) => d.number === person.number)!;
      expect(step.report.outputs).toMatchObject({
        decision: 'refused',
        reason: refused.reason,
        'update-type': '',
        dependencies: '[]',
      });
      expect(refused.reason).toContain('mallory is not one of the configured bots');
    },
  );

  it('reports no decision when no open pull request has the commit at its head', async ({
    github,
    registry,
  }) => {
    const pr = seedUpdatePullRequest(github.fake, registry);
    github.fake.pushCommit(OWNER, REPO, pr.number, botCommit(pr.bot, 'rebase'));
    const status = structuredClone(findExample('status', ''));
    status.sha = pr.headSha;
    const step = await autoMerge(github, { name: 'status', payload: status });
    expect(step.report.outputs).toEqual({
      decision: '',
      reason: 'no open pull request has this head',
      'update-type': '',
      dependencies: '[]',
      decisions: '[]',
    });
  });

  it('ends an event it cannot act on with a notice, an empty decision and no request', async ({
    github,
  }) => {
    const step = await autoMerge(github, { name: 'issues', payload: { action: 'opened' } });
    expect(step.report.outputs).toEqual({ decision: '' });
    expect(messages(step, 'notice')).toEqual([
      expect.stringMatching(/^Steward auto-merge did nothing: .*does not act on issues events/),
    ]);
    expect(github.fake.requests).toEqual([]);
  });

  it.for([
    [{ 'dry-run': 'maybe' }, 'Input dry-run must be true or false, got "maybe"'],
    [{ 'pull-request': '0' }, 'Input pull-request must be a pull request number, got "0"'],
  ] as const)('refuses %o before any request: %s', async ([inputs, error], { github }) => {
    const event = { name: 'workflow_dispatch', payload: { inputs: {} } };
    await expect(autoMerge(github, event, { inputs })).rejects.toThrow(error);
    expect(github.fake.requests).toEqual([]);
  });

  it('fails on an invalid config, naming the file, line and key', async ({ github, registry }) => {
    const pr = seedUpdatePullRequest(github.fake, registry, {
      config: 'auto-merge:\n  merge-mehtod: squash\n',
    });
    await expect(autoMerge(github, updatePullRequestEvent(pr))).rejects.toThrow(
      /steward\.yml.*2:3.*merge-mehtod.*merge-method/s,
    );
    expect(github.fake.merges).toEqual([]);
  });
});
