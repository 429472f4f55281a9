import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { run } from '../../actions/review/main.ts';
import { startAnthropicFake, type AnthropicFake } from '../support/anthropic-fake.ts';
import { gitHubTest } from '../support/github-world.ts';
import type { GitHubWorld } from '../support/github-world.ts';
import {
  API_KEY,
  FIRST_FINDINGS,
  NUMBER,
  OWNER,
  pullRequestEvent,
  REPO,
  seedReviewPullRequest,
  TOKEN,
  toolAnswer,
  type ReviewSeed,
} from '../e2e/review-scenario.ts';
import { messages, runInProcess, type InProcessOptions } from './run-in-process.ts';

/**
 * The review action's `run`, in process: the runner's variables in, the step's report out, with
 * GitHub and Anthropic as fakes on loopback. Each test fails on any request the fakes were not
 * set up for.
 */

const it = gitHubTest({ token: TOKEN }).extend<{ anthropic: AnthropicFake }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads the fixture's dependencies from this pattern
  anthropic: async ({}, use) => {
    const anthropic = await startAnthropicFake({ apiKey: API_KEY });
    try {
      await use(anthropic);
      anthropic.assertNoUnexpected();
    } finally {
      await anthropic.close();
    }
  },
});

const OFFLINE = { 'anthropic-api-key': '' };

function review(
  github: GitHubWorld,
  anthropic: AnthropicFake | null,
  options: Partial<InProcessOptions> & { headSha?: string } = {},
) {
  const event = pullRequestEvent(options.headSha ?? '0'.repeat(40));
  return runInProcess(run, github, {
    eventName: options.eventName ?? event.name,
    payload: options.payload ?? event.payload,
    inputs: {
      'sarif-file': '',
      ...(anthropic ? { 'anthropic-api-key': API_KEY } : {}),
      ...options.inputs,
    },
    env: { ...(anthropic ? { ANTHROPIC_BASE_URL: anthropic.url } : {}), ...options.env },
  });
}

function seed(github: GitHubWorld, options: ReviewSeed = {}): string {
  return seedReviewPullRequest(github.fake, options);
}

const reviews = (github: GitHubWorld) => github.fake.reviews(OWNER, REPO, NUMBER);

describe('the review action, in process', () => {
  it('reviews the pull request the event names with the model, and reports it', async ({
    github,
    anthropic,
  }) => {
    const headSha = seed(github);
    anthropic.enqueue(toolAnswer(FIRST_FINDINGS));
    const step = await review(github, anthropic, { headSha });

    expect(anthropic.requests.map((r) => r.apiKey)).toEqual([API_KEY]);
    expect(reviews(github).map((r) => [r.state, r.commit_id])).toEqual([['COMMENTED', headSha]]);
    expect(step.report.outputs).toEqual({
      findings: '9',
      critical: '1',
      'health-delta': expect.stringMatching(/^-?\d+\.\d$/),
      mode: 'model',
      'cost-usd': expect.stringMatching(/^0\.\d{4}$/),
    });
    expect(step.report.failure).toBeNull();
    expect(step.report.files).toEqual([]);
    expect(step.report.summary).toContain('## Steward review');
    expect(step.summary.join('')).toContain('(at `main`)');
    expect(messages(step, 'info')).toContainEqual(
      expect.stringMatching(/^Posted \d+ comment\(s\); 0 already posted; 0 rejected by GitHub/),
    );
  });

  it('reports nothing new on a rerun of the same head, and applies no gate', async ({
    github,
    anthropic,
  }) => {
    const headSha = seed(github, { config: 'review:\n  fail-on: info\n' });
    anthropic.enqueue(toolAnswer(FIRST_FINDINGS));
    expect((await review(github, anthropic, { headSha })).report.failure).toMatch(/fail-on: info/);
    const rerun = await review(github, anthropic, { headSha });
    expect(rerun.report).toMatchObject({ outputs: { mode: 'unchanged' }, failure: null });
    expect(messages(rerun, 'info')).toContain(
      `${headSha.slice(0, 7)} was already reviewed; nothing new to post.`,
    );
    expect(anthropic.requests).toHaveLength(1);
  });

  describe('the fail-on gate', () => {
    it.for([
      {
        config: 'fail-on: critical',
        input: '',
        failure: '1 finding(s) at critical or above (fail-on: critical).',
      },
      {
        config: 'fail-on: info',
        input: 'critical',
        failure: '1 finding(s) at critical or above (fail-on: critical).',
      },
      {
        config: 'fail-on: critical',
        input: 'info',
        failure: '9 finding(s) at info or above (fail-on: info).',
      },
      { config: 'max-comments: 10', input: '', failure: null },
    ])(
      'with review.$config and the input "$input": $failure',
      async ({ config, input, failure }, { github, anthropic }) => {
        const headSha = seed(github, { config: `review:\n  ${config}\n` });
        anthropic.enqueue(toolAnswer(FIRST_FINDINGS));
        const step = await review(github, anthropic, { headSha, inputs: { 'fail-on': input } });
        expect(step.report.failure).toBe(failure);
        // The gate fails the step after the review is posted.
        expect(reviews(github)).toHaveLength(1);
      },
    );
  });

  describe('the draft rule', () => {
    it('skips a draft on a pull_request event, saying how to review drafts', async ({ github }) => {
      const headSha = seed(github, { isDraft: true });
      const step = await review(github, null, { headSha, inputs: OFFLINE });
      expect(step.report.outputs).toEqual({ mode: 'skipped' });
      expect(messages(step, 'notice')).toEqual([
        `Steward review skipped #${NUMBER}: it is a draft (set review.drafts: true to review drafts).`,
      ]);
      expect(step.summary.join('')).toContain('**Configuration**');
      expect(reviews(github)).toEqual([]);
      expect(github.fake.comments(OWNER, REPO, NUMBER)).toEqual([]);
    });

    it('reviews a draft when review.drafts is true', async ({ github }) => {
      const headSha = seed(github, { isDraft: true, config: 'review:\n  drafts: true\n' });
      const step = await review(github, null, { headSha, inputs: OFFLINE });
      expect(step.report.outputs['mode']).toBe('offline');
      expect(reviews(github)).toHaveLength(1);
    });

    it('reviews a draft someone asked for by name (the pull-request input)', async ({ github }) => {
      seed(github, { isDraft: true });
      const step = await review(github, null, {
        eventName: 'workflow_dispatch',
        payload: { inputs: {} },
        inputs: { ...OFFLINE, 'pull-request': String(NUMBER) },
      });
      expect(step.report.outputs['mode']).toBe('offline');
      expect(reviews(github)).toHaveLength(1);
    });
  });

  it('takes the number, full and config ref of a repository_dispatch from its client payload', async ({
    github,
    anthropic,
  }) => {
    const headSha = seed(github);
    github.fake.setFileContents(OWNER, REPO, 'release', {
      '.github/steward.yml': 'review:\n  fail-on: critical\n',
    });
    anthropic.enqueue(toolAnswer(FIRST_FINDINGS), toolAnswer(FIRST_FINDINGS, 'Second look.'));
    await review(github, anthropic, { headSha });
    const dispatched = await review(github, anthropic, {
      eventName: 'repository_dispatch',
      payload: {
        action: 'steward-review',
        client_payload: {
          pull_request: NUMBER,
          head_sha: headSha,
          full: true,
          config_ref: 'release',
        },
      },
    });
    // full: the same head is reviewed again rather than reported unchanged.
    expect(dispatched.report.outputs['mode']).toBe('model');
    expect(anthropic.requests).toHaveLength(2);
    // config_ref: release's fail-on applies, and the summary says where the config came from.
    expect(dispatched.summary.join('')).toContain('(at `release`)');
    expect(dispatched.report.failure).toBe(
      '1 finding(s) at critical or above (fail-on: critical).',
    );
  });

  it('says the offline review of a fork pull request is for want of secrets', async ({
    github,
  }) => {
    const headSha = seed(github, { isCrossRepository: true });
    const step = await review(github, null, { headSha, inputs: OFFLINE });
    expect(step.report.outputs['mode']).toBe('offline');
    expect(step.report.summary).toContain('a pull request from a fork gets no secrets');
  });

  it('reports the review in the summary when the token cannot post it', async ({ github }) => {
    const headSha = seed(github, { isCrossRepository: true });
    github.fake.denyPermission({
      method: 'POST',
      pathPattern: /\/pulls\/\d+\/reviews$/,
      permission: 'pull_requests=write',
    });
    const step = await review(github, null, { headSha, inputs: OFFLINE });
    expect(messages(step, 'warning')).toContainEqual(
      expect.stringMatching(
        /^Steward could not post the review: .* A pull request from a fork gets a read-only GITHUB_TOKEN on `pull_request`\. The review is in this job's summary\.$/,
      ),
    );
    expect(step.report.summary).toContain('Complex Method');
    expect(reviews(github)).toEqual([]);
  });

  it('returns the SARIF file to write under the workspace, and names it in an output', async ({
    github,
  }) => {
    const headSha = seed(github);
    const step = await review(github, null, {
      headSha,
      inputs: { ...OFFLINE, 'sarif-file': 'out/review.sarif' },
    });
    const path = join(step.workspace, 'out/review.sarif');
    expect(step.report.outputs['sarif-file']).toBe(path);
    expect(step.report.files.map((f) => f.path)).toEqual([path]);
    const sarif = JSON.parse(step.report.files[0]!.text) as { version: string; runs: unknown[] };
    expect(sarif.version).toBe('2.1.0');
  });

  it('does nothing on a closed pull request, and reads nothing', async ({ github }) => {
    const step = await review(github, null, {
      payload: pullRequestEvent('0'.repeat(40), 'closed').payload,
    });
    expect(step.report).toEqual({
      messages: [
        { level: 'notice', text: 'Steward review did nothing: the pull request was closed.' },
      ],
      files: [],
      outputs: {},
      summary: '',
      failure: null,
    });
    expect(github.fake.requests).toEqual([]);
  });

  it.for([
    [
      { 'fail-on': 'high' },
      'Input fail-on must be one of critical, major, minor, info (or empty), got "high"',
    ],
    [{ full: 'yes' }, 'Input full must be true or false, got "yes"'],
    [{ 'pull-request': '#4' }, 'Input pull-request must be a pull request number, got "#4"'],
    [{ 'github-token': '' }, 'Input github-token is empty'],
  ] as const)('refuses %o before any request: %s', async ([inputs, error], { github }) => {
    await expect(review(github, null, { inputs })).rejects.toThrow(error);
    expect(github.fake.requests).toEqual([]);
  });

  it('refuses a dispatched config ref that is not a plain ref, before any request', async ({
    github,
  }) => {
    const step = review(github, null, {
      eventName: 'repository_dispatch',
      payload: { client_payload: { pull_request: NUMBER, config_ref: '../../x' } },
      inputs: OFFLINE,
    });
    await expect(step).rejects.toThrow(
      'The dispatch\'s config ref must be a branch name or commit SHA, got "../../x"',
    );
    expect(github.fake.requests).toEqual([]);
  });
});
