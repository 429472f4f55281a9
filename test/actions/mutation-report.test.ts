import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import {
  createMutationAction,
  type MutationPublisher,
} from '../../actions/mutation-report/main.ts';
import type { MutationFeedback, PublishOutcome } from '../../src/mutation/publish.ts';
import { parseShardRecord } from '../../src/mutation/merge-shards.ts';
import { restrictToRanges } from '../../src/mutation/report.ts';
import type { MutationRun } from '../../src/mutation/run-mutation.ts';
import type {
  MutationRunner,
  MutationRunOutcome,
  MutationRunRequest,
} from '../../src/mutation/runner.ts';
import { pullRequestEvent } from '../e2e/review-scenario.ts';
import { MATH_SOURCE, realMathReport } from '../mutation/report-fixtures.ts';
import { GitRepo } from '../support/git-repo.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { messages, runInProcess } from './run-in-process.ts';

/**
 * The mutation-report action's `run` in process: a real git checkout of a change, the GitHub fake
 * on loopback, and a runner standing in for Stryker that answers what Stryker answered for the
 * same source (the real Stryker 10 report, restricted to the ranges asked). Real Stryker runs in
 * test/e2e/mutation-report.test.ts.
 */

const TOKEN = 'ghs_mutation_token';
const NUMBER = 42;
const it = gitHubTest({ token: TOKEN });

const BASE_SOURCE = MATH_SOURCE.replace('return high;', 'return low;').replace(
  'age >= 18',
  'age > 17',
);

let repos: GitRepo[] = [];
afterEach(() => {
  for (const repo of repos) repo.dispose();
  repos = [];
});

/** main, then the pull request's commit changing lines 3 and 9 of src/math.ts. */
function checkout(): { repo: GitRepo; baseSha: string; headSha: string } {
  const repo = new GitRepo();
  repos.push(repo);
  const baseSha = repo
    .write('src/math.ts', BASE_SOURCE)
    .write('.gitignore', '.steward\n')
    .commit('math');
  repo.git('switch', '-q', '-c', 'feature');
  const headSha = repo.write('src/math.ts', MATH_SOURCE).commit('fix clamp, adults from 18');
  return { repo, baseSha, headSha };
}

function seed(
  github: GitHubWorld,
  headSha: string,
  options: { config?: string; isCrossRepository?: boolean } = {},
) {
  github.fake.setFileContents(github.owner, github.repo, 'main', {
    '.github/steward.yml': options.config ?? 'mutation:\n  max-comments: 5\n',
  });
  github.fake.addPullRequest({
    owner: github.owner,
    repo: github.repo,
    number: NUMBER,
    headSha,
    headRefName: 'feature',
    baseRefName: 'main',
    isCrossRepository: options.isCrossRepository ?? false,
  });
}

function event(name: string, headSha: string, baseSha: string) {
  const { payload } = pullRequestEvent(headSha);
  const pr = payload.pull_request as { base: { sha: string } };
  pr.base.sha = baseSha;
  return { name, payload };
}

/** Answers like Stryker would on the real fixture: its report, only the ranges asked. */
function strykerLike(
  answer?: MutationRunOutcome,
): MutationRunner & { requests: MutationRunRequest[] } {
  const requests: MutationRunRequest[] = [];
  return {
    requests,
    run: (request) => {
      requests.push(request);
      return Promise.resolve(
        answer ?? {
          kind: 'report',
          report: restrictToRanges(realMathReport, request.ranges),
          partial: false,
          strykerMs: 2000,
          mutantsTested: 6,
          mutantsNotRun: 1,
        },
      );
    },
  };
}

const PUBLISHED: PublishOutcome = {
  kind: 'published',
  summary: 'created',
  posted: 2,
  resolved: 0,
  reopened: 0,
  kept: 0,
  rejected: null,
};

/** Records what would be published; feedback suppresses nothing. */
function publisher(outcome: PublishOutcome = PUBLISHED) {
  const published: { headSha: string; run: MutationRun; pullRequest: number }[] = [];
  const feedbackReads: number[] = [];
  const fake: MutationPublisher = {
    readFeedback: (_github, pullRequest): Promise<MutationFeedback> => {
      feedbackReads.push(pullRequest);
      return Promise.resolve({
        posted: [],
        suppressed: { fingerprints: new Set(), shapeKeys: new Set() },
        thumbsUp: 0,
        thumbsDown: 0,
      } satisfies MutationFeedback);
    },
    publish: (input) => {
      published.push({ headSha: input.headSha, run: input.run, pullRequest: input.pullRequest });
      return Promise.resolve(outcome);
    },
  };
  return { fake, published, feedbackReads };
}

interface Setup {
  runner?: ReturnType<typeof strykerLike>;
  publish?: ReturnType<typeof publisher>;
  inputs?: Record<string, string>;
  event?: { name: string; payload: unknown };
  workspace: string;
}

async function action(github: GitHubWorld, setup: Setup) {
  const runner = setup.runner ?? strykerLike();
  const publish = setup.publish ?? publisher();
  const run = createMutationAction({
    runner: () => Promise.resolve(runner),
    publisher: publish.fake,
  });
  const step = await runInProcess(run, github, {
    eventName: setup.event!.name,
    payload: setup.event!.payload,
    inputs: setup.inputs ?? {},
    env: {
      GITHUB_WORKSPACE: setup.workspace,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '777',
    },
  });
  return { step, runner, publish };
}

describe('the mutation-report action, in process', () => {
  it('mutates the changed lines of the checkout, publishes at its head, and reports score, files and annotations', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    const { step, runner, publish } = await action(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
    });

    expect(runner.requests).toHaveLength(1);
    expect(runner.requests[0]).toMatchObject({
      root: repo.dir,
      ranges: [
        { path: 'src/math.ts', startLine: 3, endLine: 3 },
        { path: 'src/math.ts', startLine: 9, endLine: 9 },
      ],
      incrementalFile: join(repo.dir, '.steward', 'mutation-incremental.json'),
      htmlReportFile: join(repo.dir, '.steward', 'mutation', 'mutation.html'),
    });
    expect(publish.published.map((p) => [p.pullRequest, p.headSha, p.run.kind])).toEqual([
      [NUMBER, headSha, 'report'],
    ]);
    const { outputs } = step.report;
    expect(outputs).toMatchObject({
      score: '50.0',
      killed: '4',
      survived: '4',
      'no-coverage': expect.any(String),
      'compile-errors': expect.any(String),
      'report-path': join(repo.dir, '.steward', 'mutation', 'mutation.json'),
    });
    const written = new Map(step.report.files.map((f) => [f.path, f.text]));
    expect(Object.keys(JSON.parse(written.get(outputs['report-path']!)!).files)).toEqual([
      'src/math.ts',
    ]);
    const record = parseShardRecord(
      written.get(join(repo.dir, '.steward', 'mutation', 'steward-shard.json'))!,
    );
    expect(record).toMatchObject({ shard: { index: 1, count: 1 }, headSha, kind: 'report' });
    // Survivors chosen for comments are annotated on their lines.
    const annotations = step.report.messages.filter((m) => m.annotation !== undefined);
    expect(annotations.map((m) => `${m.annotation!.file}:${m.annotation!.startLine}`)).toEqual([
      'src/math.ts:3',
      'src/math.ts:9',
    ]);
    expect(annotations[0]!.annotation!.title).toMatch(/^Surviving mutant \(\w+\)$/);
    // Short, with the whole report folded, and where the artifacts are.
    expect(step.report.summary).toContain('**Changed-lines mutation score 50.0%**');
    expect(step.report.summary).toContain('<details><summary>The report</summary>');
    expect(step.report.summary).toContain('https://github.com/acme/widgets/actions/runs/777');
    expect(step.report.failure).toBeNull();
    // The config's source is in the summary, as every face says it.
    expect(step.summary.join('')).toContain('**Configuration**');
  });

  it('fails the step by the inputs over the config, after everything is written', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha, { config: 'mutation:\n  fail-under: 10\n' });
    const { step } = await action(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
      inputs: { 'fail-under': '60', 'fail-on-survivors': 'true' },
    });
    expect(step.report.failure).toMatch(/below fail-under 60%/);
    expect(step.report.failure).toMatch(/fail-on-survivors/);
    expect(step.report.outputs['score']).toBe('50.0');
    expect(step.report.files.map((f) => f.path.split('/').pop())).toEqual([
      'mutation.json',
      'steward-shard.json',
    ]);
  });

  it('a shard mutates only its share, writes its report and publishes nothing', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    const { step, runner, publish } = await action(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
      inputs: { shard: '2/2' },
    });
    expect(runner.requests[0]!.ranges).toEqual([{ path: 'src/math.ts', startLine: 9, endLine: 9 }]);
    expect(publish.published).toEqual([]);
    expect(publish.feedbackReads).toEqual([]);
    const record = step.report.files.find((f) => f.path.endsWith('steward-shard.json'))!;
    expect(parseShardRecord(record.text).shard).toEqual({ index: 2, count: 2 });
    expect(step.report.summary).toContain('(shard 2/2)');
  });

  it('merges the shards’ artifacts into one run and publishes it once', async ({ github }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    const pullEvent = event('pull_request', headSha, baseSha);
    for (const shard of ['1/2', '2/2']) {
      const { step } = await action(github, {
        workspace: repo.dir,
        event: pullEvent,
        inputs: { shard },
      });
      // What upload-artifact and download-artifact carry: the report directory, one folder per shard.
      for (const file of step.report.files) {
        const dir = join(repo.dir, '.steward', 'shards', `mutation-${shard.replace('/', '-')}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, file.path.split('/').pop()!), file.text);
      }
    }
    const diff = repo.git('diff', `${baseSha}...${headSha}`);
    github.fake.setComparison(github.owner, github.repo, baseSha, headSha, {
      status: 'ahead',
      aheadBy: 1,
      behindBy: 0,
      mergeBaseSha: baseSha,
      files: [
        {
          path: 'src/math.ts',
          status: 'modified',
          additions: 2,
          deletions: 2,
          patch: diff.slice(diff.indexOf('@@')).trimEnd(),
        },
      ],
    });
    const whole = await action(github, {
      workspace: repo.dir,
      event: pullEvent,
    });
    // The merge job has no checkout and runs nothing: an empty workspace with the artifacts.
    const merged = await action(github, {
      workspace: repo.dir,
      event: pullEvent,
      inputs: { mode: 'merge' },
      runner: strykerLike({ kind: 'crashed', message: 'must not run', log: '' }),
    });
    expect(merged.runner.requests).toEqual([]);
    expect(merged.publish.published.map((p) => [p.headSha, p.run.kind])).toEqual([
      [headSha, 'report'],
    ]);
    const [one] = whole.publish.published;
    const [both] = merged.publish.published;
    if (one!.run.kind !== 'report' || both!.run.kind !== 'report') throw new Error('reports');
    expect(both!.run.result.analysis.counts).toEqual(one!.run.result.analysis.counts);
    expect(both!.run.result.comments).toEqual(one!.run.result.comments);
    expect(merged.step.report.outputs['score']).toBe(whole.step.report.outputs['score']);
    expect(merged.step.report.summary).toContain('(shards merged)');

    // Records that claim a commit the pull request does not have are refused before publishing.
    for (const shard of ['1-2', '2-2']) {
      const path = join(repo.dir, '.steward', 'shards', `mutation-${shard}`, 'steward-shard.json');
      writeFileSync(path, readFileSync(path, 'utf8').replace(headSha, 'e'.repeat(40)));
    }
    const forged = publisher();
    await expect(
      action(github, {
        workspace: repo.dir,
        event: pullEvent,
        inputs: { mode: 'merge' },
        publish: forged,
      }),
    ).rejects.toThrow(/mutated eeeeeeeeeeee, which is not a commit of #42/);
    expect(forged.published).toEqual([]);
  });

  it('says so and pins to the checkout when the pull request’s head moved on', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    const moved = 'f'.repeat(40);
    seed(github, moved);
    const { step, publish } = await action(github, {
      workspace: repo.dir,
      event: event('pull_request', moved, baseSha),
    });
    expect(publish.published[0]!.headSha).toBe(headSha);
    expect(messages(step, 'notice').join('\n')).toContain(
      `The checkout is ${headSha.slice(0, 7)}, not the pull request's head ${moved.slice(0, 7)}`,
    );
  });

  it('on the merge commit actions/checkout makes, pins to the pull request’s head when the changed files are the same', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    // refs/pull/42/merge: the head merged into a base that moved on elsewhere.
    repo.git('switch', '-q', '--detach', baseSha);
    repo.write('README.md', '# math\n').commit('readme on main');
    repo.git('merge', '-q', '--no-ff', '-m', 'Merge feature', headSha);
    const { step, runner, publish } = await action(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
    });
    expect(runner.requests[0]!.ranges).toEqual([
      { path: 'src/math.ts', startLine: 3, endLine: 3 },
      { path: 'src/math.ts', startLine: 9, endLine: 9 },
    ]);
    expect(publish.published[0]!.headSha, JSON.stringify(step.report.messages)).toBe(headSha);
    expect(messages(step, 'info').join('\n')).toMatch(/is the merge commit .* pinned to/);
  });

  it('when publishing fails, still writes the report and says why', async ({ github }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    const failing = publisher();
    failing.fake.publish = () => Promise.reject(new Error('GitHub answered 502 Bad Gateway'));
    const { step } = await action(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
      publish: failing,
    });
    expect(step.report.failure).toMatch(
      /could not publish on the pull request: GitHub answered 502/,
    );
    expect(step.report.outputs['score']).toBe('50.0');
    expect(step.report.files.map((f) => f.path.split('/').pop())).toContain('mutation.json');
    expect(step.report.summary).toContain('age > 18');
    expect(step.report.summary).not.toContain('<details><summary>The report</summary>');
  });

  it('without the base commit, names fetch-depth: 0', async ({ github }) => {
    const { repo, headSha } = checkout();
    seed(github, headSha);
    const runner = strykerLike();
    await expect(
      action(github, {
        runner,
        workspace: repo.dir,
        event: event('pull_request', headSha, '1'.repeat(40)),
      }),
    ).rejects.toThrow(/is not in the checkout.*fetch-depth: 0/);
    expect(runner.requests).toEqual([]);
  });

  it('on a fork where the token may not write, carries the whole report in the job summary', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha, { isCrossRepository: true });
    const { step } = await action(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
      publish: publisher({ kind: 'not-permitted', message: 'the token cannot write comments' }),
    });
    expect(messages(step, 'notice').join('\n')).toMatch(
      /posted no comments: the token cannot write comments.*fork.*job's summary/,
    );
    expect(step.report.summary).not.toContain('<details><summary>The report</summary>');
    expect(step.report.summary).toContain('age > 18');
  });

  it('a base report gives the base score; a malformed one is a warning naming the field', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    writeFileSync(join(repo.dir, 'base.json'), JSON.stringify(realMathReport));
    const good = await action(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
      inputs: { 'base-report': 'base.json' },
    });
    expect(good.step.report.summary).toMatch(/\(base \d+\.\d%\)/);
    const broken = structuredClone(realMathReport) as unknown as Record<string, unknown>;
    delete broken['files'];
    writeFileSync(join(repo.dir, 'base.json'), JSON.stringify(broken));
    const bad = await action(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
      inputs: { 'base-report': 'base.json' },
    });
    expect(messages(bad.step, 'warning').join('\n')).toMatch(
      /Input base-report is not a usable mutation report.*missing the required field files/,
    );
    expect(bad.step.report.failure).toBeNull();
    const missing = await action(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
      inputs: { 'base-report': 'nowhere.json' },
    });
    expect(messages(missing.step, 'warning').filter((m) => m.includes('base-report'))).toEqual([]);
    expect(missing.step.report.summary).not.toContain('(base ');
  });

  it('a failing dry run fails the step naming the test, with no score', async ({ github }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    const { step, publish } = await action(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
      runner: strykerLike({
        kind: 'dry-run-failed',
        message: 'There were failed tests in the initial test run.',
        failingTests: ['math > adds badly'],
      }),
    });
    expect(publish.published[0]!.run.kind).toBe('dry-run-failed');
    expect(step.report.failure).toMatch(/could not start.*Failing test: math > adds badly/);
    expect(step.report.outputs['score']).toBe('');
    expect(step.report.outputs['report-path']).toBe('');
  });

  it('a missing test runner names the package to add; a crash keeps its log inert; a timeout is partial', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    const pullEvent = event('pull_request', headSha, baseSha);
    const setup = await action(github, {
      workspace: repo.dir,
      event: pullEvent,
      runner: strykerLike({
        kind: 'setup-failed',
        message: 'the vitest runner plugin is not installed',
        hint: 'npm install --save-dev @stryker-mutator/vitest-runner',
      }),
    });
    expect(setup.step.report.failure).toMatch(
      /could not be set up.*npm install --save-dev @stryker-mutator\/vitest-runner/,
    );
    expect(setup.publish.published[0]!.run.summary).toContain('vitest-runner');

    const crashed = await action(github, {
      workspace: repo.dir,
      event: pullEvent,
      runner: strykerLike({
        kind: 'crashed',
        message: 'Stryker exited with code 1',
        log: 'a test printed\n::add-mask::ghs_x\n::error file=src/math.ts,line=1::forged',
      }),
    });
    const log = crashed.step.report.messages.find((m) => m.text.includes('forged'))!.text;
    const [, stop, ...rest] = log.split('\n');
    const token = /^::stop-commands::(steward-[\w-]+)$/.exec(stop!)?.[1];
    expect(token).toBeDefined();
    expect(rest.at(-1)).toBe(`::${token}::`);
    expect(rest.slice(0, -1).join('\n')).toContain('::error file=src/math.ts,line=1::forged');

    const partial = await action(github, {
      workspace: repo.dir,
      event: pullEvent,
      inputs: { 'timeout-minutes': '1' },
      runner: strykerLike({
        kind: 'report',
        report: restrictToRanges(realMathReport, [
          { path: 'src/math.ts', startLine: 3, endLine: 3 },
        ]),
        partial: true,
        reason: 'Stryker was stopped after 60000 ms',
        strykerMs: 60_000,
        mutantsTested: 2,
        mutantsNotRun: 0,
        notice:
          'Steward installed Stryker 10.1.1 into its tool directory: add it to devDependencies',
      } as MutationRunOutcome),
    });
    expect(messages(partial.step, 'notice')).toContain(
      'Steward installed Stryker 10.1.1 into its tool directory: add it to devDependencies',
    );
    expect(partial.runner.requests[0]!.timeoutMs).toBe(60_000);
    expect(partial.step.report.summary).toContain('**partial**');
    expect(partial.publish.published[0]!.run.summary).toMatch(
      /Partial result \(Stryker was stopped after 60000 ms\)/,
    );
  });

  it.for([
    [{ mode: 'publish' }, /Input mode must be run or merge, got "publish"/],
    [{ shard: '3/2' }, /Input shard must be I\/N/],
    [{ mode: 'merge', shard: '1/2' }, /Input shard is for the matrix jobs/],
    [{ 'fail-under': 'high' }, /Input fail-under must be a mutation score/],
    [{ 'fail-on-survivors': 'yes' }, /Input fail-on-survivors must be true or false/],
    [{ 'report-dir': '../elsewhere' }, /Input report-dir must be a path inside the workspace/],
    [{ 'timeout-minutes': '0' }, /Input timeout-minutes must be/],
  ] as const)('names the input in error: %o', async ([inputs, error], { github }) => {
    const { repo, baseSha, headSha } = checkout();
    const runner = strykerLike();
    await expect(
      action(github, {
        runner,
        workspace: repo.dir,
        event: event('pull_request', headSha, baseSha),
        inputs,
      }),
    ).rejects.toThrow(error);
    expect(runner.requests).toEqual([]);
  });
});

describe('the mutation-report action refuses to run pull request code beside a write token', () => {
  it('on pull_request_target in run mode: the error names the two-job workflow, and nothing ran', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha, { isCrossRepository: true });
    const runner = strykerLike();
    const publish = publisher();
    await expect(
      action(github, {
        runner,
        publish,
        workspace: repo.dir,
        event: event('pull_request_target', headSha, baseSha),
      }),
    ).rejects.toThrow(
      /will not run the pull request's code.*pull_request_target.*permissions: contents: read.*persist-credentials: false.*mode: merge/,
    );
    expect(runner.requests).toEqual([]);
    expect(publish.published).toEqual([]);
  });

  it('on a dispatch of a fork’s pull request in run mode', async ({ github }) => {
    const { repo, headSha } = checkout();
    seed(github, headSha, { isCrossRepository: true });
    const runner = strykerLike();
    await expect(
      action(github, {
        runner,
        workspace: repo.dir,
        event: { name: 'workflow_dispatch', payload: { inputs: {} } },
        inputs: { 'pull-request': String(NUMBER) },
      }),
    ).rejects.toThrow(/comes from a fork and this workflow_dispatch job holds/);
    expect(runner.requests).toEqual([]);
  });

  it('as the report-only job of the two-job workflow, only with the token out of the checkout', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha, { isCrossRepository: true });
    // What actions/checkout leaves behind without persist-credentials: false.
    repo.git(
      'config',
      'http.https://github.com/.extraheader',
      'AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==',
    );
    const runner = strykerLike();
    const target = event('pull_request_target', headSha, baseSha);
    await expect(
      action(github, { runner, workspace: repo.dir, event: target, inputs: { shard: '1/1' } }),
    ).rejects.toThrow(/set `persist-credentials: false` on actions\/checkout/);
    expect(runner.requests).toEqual([]);

    repo.git('config', '--unset', 'http.https://github.com/.extraheader');
    const { step, publish } = await action(github, {
      runner,
      workspace: repo.dir,
      event: target,
      inputs: { shard: '1/1' },
    });
    expect(runner.requests).toHaveLength(1);
    expect(publish.published).toEqual([]);
    expect(existsSync(join(repo.dir, '.steward'))).toBe(true);
    expect(step.report.files.map((f) => f.path.split('/').pop())).toContain('steward-shard.json');
    expect(readFileSync(join(repo.dir, '.git', 'config'), 'utf8')).not.toMatch(/extraheader/);
  });
});
