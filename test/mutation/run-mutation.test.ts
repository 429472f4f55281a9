import { describe, expect, it } from 'vitest';
import { parseGitDiff } from '../../src/diff/git-diff.ts';
import { SUMMARY_MARKER } from '../../src/mutation/markdown.ts';
import { runMutation } from '../../src/mutation/run-mutation.ts';
import type {
  MutationRunner,
  MutationRunOutcome,
  MutationRunRequest,
} from '../../src/mutation/runner.ts';
import { defaultMutationConfig } from '../../src/mutation/settings.ts';
import { realMathReport, MATH_PR_DIFF } from './report-fixtures.ts';

const real = realMathReport;

const DIFF = MATH_PR_DIFF;

/** A runner that answers one outcome and remembers what it was asked. */
function fakeRunner(
  outcome: MutationRunOutcome,
): MutationRunner & { requests: MutationRunRequest[] } {
  const requests: MutationRunRequest[] = [];
  return {
    requests,
    run: (request) => {
      requests.push(request);
      return Promise.resolve(outcome);
    },
  };
}

const REPORT: MutationRunOutcome = {
  kind: 'report',
  report: real,
  partial: false,
  strykerMs: 1234,
  mutantsTested: 13,
  mutantsNotRun: 0,
};

function run(runner: MutationRunner, overrides: Partial<Parameters<typeof runMutation>[0]> = {}) {
  return runMutation({
    files: parseGitDiff(DIFF),
    mutate: null,
    config: defaultMutationConfig(),
    runner,
    request: { root: '/repo', incrementalFile: '/repo/.git/steward/mutation.json' },
    ...overrides,
  });
}

describe('runMutation', () => {
  it('runs the runner on the scope’s ranges only and scores the changed lines', async () => {
    const runner = fakeRunner(REPORT);
    const result = await run(runner);
    expect(runner.requests).toHaveLength(1);
    expect(runner.requests[0]).toMatchObject({
      root: '/repo',
      incrementalFile: '/repo/.git/steward/mutation.json',
      ranges: [
        { path: 'src/math.ts', startLine: 3, endLine: 3 },
        { path: 'src/math.ts', startLine: 9, endLine: 9 },
      ],
    });
    expect(runner.requests[0]!.ignoreCalls).toBeUndefined();
    if (result.kind !== 'report') throw new Error(`expected a report, got ${result.kind}`);
    expect(result.ranges).toEqual(runner.requests[0]!.ranges);
    expect(result.skipped).toEqual([{ path: 'src/math.test.ts', reason: 'a test file' }]);
    expect(result.result.analysis.counts).toMatchObject({ killed: 4, survived: 4, score: 50 });
    expect(result.result.comments.map((c) => `${c.path}:${c.line}`)).toEqual([
      'src/math.ts:3',
      'src/math.ts:9',
    ]);
    expect(result.gate).toEqual({ fail: false });
    expect(result.summary.startsWith(SUMMARY_MARKER)).toBe(true);
    expect(result.partial).toBe(false);
  });

  it('fails the gate with fail-on-survivors and passes the ignore patterns to the runner', async () => {
    const runner = fakeRunner(REPORT);
    const config = { ...defaultMutationConfig(), failOnSurvivors: true, ignore: ['metrics.track'] };
    const result = await run(runner, { config });
    expect(runner.requests[0]!.ignoreCalls).toEqual(['metrics.track']);
    expect(result.gate).toMatchObject({ fail: true });
  });

  it('runs nothing when the diff leaves nothing to mutate', async () => {
    const runner = fakeRunner(REPORT);
    const onlyTest = DIFF.slice(DIFF.indexOf('diff --git a/src/math.test.ts'));
    const result = await run(runner, { files: parseGitDiff(onlyTest) });
    expect(runner.requests).toEqual([]);
    expect(result).toMatchObject({
      kind: 'nothing-to-mutate',
      message: 'nothing to mutate: no changed file is source code Stryker mutates',
      ranges: [],
      gate: { fail: false },
    });
    expect(result.summary).toContain('nothing to mutate');
  });

  it('runs only its shard’s ranges, and nothing for an empty shard', async () => {
    const runner = fakeRunner(REPORT);
    const first = await run(runner, { shard: { index: 1, count: 2 } });
    const second = await run(runner, { shard: { index: 2, count: 2 } });
    const asked = runner.requests.flatMap((r) => r.ranges.map((x) => x.startLine));
    expect(asked.sort()).toEqual([3, 9]);
    expect(first.ranges).toHaveLength(1);
    expect(second.ranges).toHaveLength(1);
    const third = await run(runner, { shard: { index: 3, count: 3 } });
    expect(third.kind).toBe('nothing-to-mutate');
    expect(runner.requests).toHaveLength(2);
  });

  it('passes on the runner’s notice (Steward installed its own Stryker) for the face to show', async () => {
    const notice = 'Installed Stryker 10.1.1 into /tmp/tools (the repository has none)';
    const result = await run(fakeRunner({ ...REPORT, notice }));
    expect(result.notice).toBe(notice);
    expect((await run(fakeRunner(REPORT))).notice).toBeNull();
  });

  it('says a partial run is partial', async () => {
    const runner = fakeRunner({ ...REPORT, partial: true, reason: 'timed out after 60 s' });
    const result = await run(runner);
    if (result.kind !== 'report') throw new Error(`expected a report, got ${result.kind}`);
    expect(result.partial).toBe(true);
    expect(result.reason).toBe('timed out after 60 s');
    expect(result.summary).toContain('Partial result (timed out after 60 s)');
    expect(result.summary.startsWith(SUMMARY_MARKER)).toBe(true);
  });

  it('fails without a score when the dry run fails, naming the failing tests', async () => {
    const runner = fakeRunner({
      kind: 'dry-run-failed',
      failingTests: ['adds badly'],
      message: 'There were failed tests in the initial test run.',
    });
    const result = await run(runner);
    expect(result).toMatchObject({
      kind: 'dry-run-failed',
      failingTests: ['adds badly'],
      gate: { fail: true },
    });
    expect(result.summary).toContain('Mutation testing could not start');
    expect(result.summary).toContain('`adds badly`');
  });

  it('fails with what to do when Stryker cannot be set up', async () => {
    const runner = fakeRunner({
      kind: 'setup-failed',
      message: '@stryker-mutator/core is not installed in /repo',
      hint: 'npm install --save-dev @stryker-mutator/core @stryker-mutator/vitest-runner',
    });
    const result = await run(runner);
    expect(result).toMatchObject({ kind: 'setup-failed', gate: { fail: true } });
    expect(result.summary).toContain('could not be set up');
    expect(result.summary).toContain('npm install --save-dev');
  });

  it('fails when Stryker crashes, keeping the log for the face', async () => {
    const runner = fakeRunner({
      kind: 'crashed',
      message: 'Stryker exited with code 1',
      log: 'boom',
    });
    const result = await run(runner);
    expect(result).toMatchObject({ kind: 'crashed', log: 'boom', gate: { fail: true } });
    if (result.gate.fail) expect(result.gate.reasons[0]).toContain('Stryker exited with code 1');
  });

  it('keeps hostile runner text from becoming markup in the summary', async () => {
    const runner = fakeRunner({
      kind: 'crashed',
      message: '@octocat <!-- steward:mutation --> <img src=x onerror=alert(1)>',
      log: '',
    });
    const result = await run(runner);
    expect(result.summary).not.toMatch(/(^|[^`])@octocat/);
    expect(result.summary.split(SUMMARY_MARKER)).toHaveLength(2);
    expect(result.summary).not.toMatch(/(^|[^\\])<img/);
  });
});
