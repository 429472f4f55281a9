import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { createTestGenAction, TEST_ENV } from '../../actions/test-gen/main.ts';
import type {
  GenerationPorts,
  GenerationRequest,
  GenerationResult,
} from '../../src/testgen/generate.ts';
import { restrictToRanges } from '../../src/mutation/report.ts';
import type { MutationRunner, MutationRunRequest } from '../../src/mutation/runner.ts';
import { checkPatchText } from '../../src/testgen/patch.ts';
import type { TestRunPortOptions } from '../../src/testrun/port.ts';
import { pullRequestEvent } from '../e2e/review-scenario.ts';
import { MATH_SOURCE, REAL_MATH_REPORT_TEXT, realMathReport } from '../mutation/report-fixtures.ts';
import { GitRepo } from '../support/git-repo.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { messages, runInProcess } from './run-in-process.ts';

/**
 * The test-gen action's generate mode in process: a real git checkout of a change, the GitHub fake
 * on loopback, and the use case standing in (it records the request and the ports it was handed,
 * and answers a fixed result) so what is checked here is the face: inputs, refusals, the targets
 * and their survivors, the patch file, the outputs and the summary. Real vitest and Stryker run in
 * test/e2e through the bundle.
 */

const TOKEN = 'ghs_testgen_token';
const KEY = 'sk-ant-test-key-never-to-leak';
const NUMBER = 42;
const it = gitHubTest({ token: TOKEN, botLogin: 'steward[bot]' });

const BASE_SOURCE = MATH_SOURCE.replace('return high;', 'return low;').replace(
  'age >= 18',
  'age > 17',
);

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

/** main, then the pull request's commit changing lines 3 and 9 of src/math.ts. */
function checkout(): { repo: GitRepo; baseSha: string; headSha: string } {
  const repo = new GitRepo();
  cleanups.push(() => repo.dispose());
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
    '.github/steward.yml': options.config ?? 'test-gen:\n  max-targets: 3\n',
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

const TEST_TEXT =
  "import { expect, it } from 'vitest';\nimport { clamp } from '../src/math.ts';\n\nit('clamps to the high bound', () => {\n  expect(clamp(5, 0, 3)).toBe(3);\n});\n";

/** What the use case would answer: one kept test, one dropped (quoting hostile output), one possible bug. */
function resultFor(request: GenerationRequest): GenerationResult {
  const target = request.targets[0]!;
  const funnel = {
    candidates: 3,
    typeChecks: 3,
    passes: 1,
    stable: 1,
    addsValue: 1,
    kept: 1,
    possibleBugs: 1,
  };
  return {
    funnel,
    files: [{ path: 'test/math.test.ts', text: TEST_TEXT }],
    report: {
      funnel,
      kept: [
        {
          name: 'clamps to the high bound',
          target: target.name,
          sourcePath: target.path,
          testPath: 'test/math.test.ts',
          kills: [
            {
              id: '1',
              mutator: 'ConditionalExpression',
              line: 3,
              original: 'x > high',
              replacement: 'false',
            },
          ],
          covers: [],
        },
      ],
      possibleBugs: [
        {
          name: 'adult at 18',
          target: target.name,
          sourcePath: target.path,
          assertion: 'expected false to be true',
        },
      ],
    },
    targets: [
      {
        target,
        framework: 'vitest',
        testPath: 'test/math.test.ts',
        funnel,
        notes: [],
        candidates: [
          {
            name: 'clamps to the high bound',
            kind: 'example',
            origin: 'model',
            round: 1,
            verdict: { kind: 'kept', kills: ['1'], covers: [] },
          },
          {
            name: 'prints',
            kind: 'example',
            origin: 'model',
            round: 1,
            verdict: {
              kind: 'dropped',
              stage: 'pass',
              reason: 'Error: boom\n::error file=src/math.ts,line=1::forged\n::add-mask::x',
            },
          },
          {
            name: 'adult at 18',
            kind: 'example',
            origin: 'model',
            round: 1,
            verdict: { kind: 'possible-bug', assertion: 'expected false to be true' },
          },
        ],
      },
    ],
    usage: null,
    notices: [],
  };
}

/** The use case's stand-in: records what it was asked and handed, uses the test runner once. */
function generation() {
  const calls: {
    request: GenerationRequest;
    ports: GenerationPorts;
    read: (p: string) => string | null;
  }[] = [];
  const generate = async (request: GenerationRequest, ports: GenerationPorts) => {
    calls.push({ request, ports, read: ports.project.read });
    // The port opens on first use, with the environment the face chose.
    await ports.testRunner('vitest').typeCheck({ path: 'test/math.test.ts', text: TEST_TEXT });
    return resultFor(request);
  };
  return { generate, calls };
}

/** Records how the face opens the test-run port; answers an empty type check. */
function testRunPorts() {
  const opened: TestRunPortOptions[] = [];
  let closed = 0;
  const open = (options: TestRunPortOptions) => {
    opened.push(options);
    return {
      typeCheck: () => Promise.resolve({ byTest: new Map(), fileErrors: [] }),
      run: () => Promise.reject(new Error('not in this test')),
      mutantsKilled: () => Promise.reject(new Error('not in this test')),
      close: () => void closed++,
    };
  };
  return { open, opened, closed: () => closed };
}

/** Answers like Stryker on the real fixture: its report, only the ranges asked. */
function strykerLike(): MutationRunner & { requests: MutationRunRequest[] } {
  const requests: MutationRunRequest[] = [];
  return {
    requests,
    run: (request) => {
      requests.push(request);
      return Promise.resolve({
        kind: 'report',
        report: restrictToRanges(realMathReport, request.ranges),
        partial: false,
        strykerMs: 2000,
        mutantsTested: 6,
        mutantsNotRun: 1,
      });
    },
  };
}

interface Setup {
  workspace: string;
  event: { name: string; payload: unknown };
  inputs?: Record<string, string>;
  env?: Record<string, string>;
}

async function generateRun(github: GitHubWorld, setup: Setup) {
  const runner = strykerLike();
  const gen = generation();
  const ports = testRunPorts();
  const run = createTestGenAction({
    runner: () => Promise.resolve(runner),
    testRunPort: ports.open,
    formatter: () => ({
      format: (file) => Promise.resolve({ kind: 'no-formatter', text: file.text, reason: 'test' }),
    }),
    generate: gen.generate,
  });
  const temp = mkdtempSync(join(tmpdir(), 'steward-runner-temp-'));
  cleanups.push(() => rmSync(temp, { recursive: true, force: true }));
  const step = await runInProcess(run, github, {
    eventName: setup.event.name,
    payload: setup.event.payload,
    inputs: setup.inputs ?? {},
    env: { GITHUB_WORKSPACE: setup.workspace, RUNNER_TEMP: temp, ...setup.env },
  });
  return { step, runner, gen, ports, temp };
}

describe('the test-gen action, generate mode, in process', () => {
  it('targets the changed functions with the report’s survivors, writes the patch the deliver job accepts, and reports the funnel', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    writeFileSync(join(repo.dir, '.steward-report.json'), REAL_MATH_REPORT_TEXT);
    const { step, runner, gen, ports, temp } = await generateRun(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
      inputs: { 'mutation-report': '.steward-report.json' },
    });

    // The report gave the survivors: Stryker did not run.
    expect(runner.requests).toEqual([]);
    const [call] = gen.calls;
    expect(call!.request.targets.map((t) => `${t.path}:${t.name}`)).toEqual([
      'src/math.ts:clamp',
      'src/math.ts:isAdult',
    ]);
    expect(call!.request.targets[0]!.survivingMutants.length).toBeGreaterThan(0);
    expect(call!.request.config.maxTargets).toBe(3);
    // No key: offline generation, no model.
    expect(call!.request.offline).toBe(true);
    expect(call!.ports.model).toBeNull();
    expect(call!.read('src/math.ts')).toBe(MATH_SOURCE);
    expect(ports.opened).toEqual([{ root: repo.dir, framework: 'vitest', env: TEST_ENV }]);
    expect(ports.closed()).toBe(1);

    const patchPath = join(temp, 'steward-tests.json');
    expect(step.report.outputs).toEqual({
      kept: '1',
      candidates: '3',
      'possible-bugs': '1',
      'patch-file': patchPath,
    });
    const patch = step.report.files.find((f) => f.path === patchPath)!;
    const check = checkPatchText(patch.text, {
      testFile: () => false,
      expected: { repository: 'acme/widgets', pullRequest: NUMBER, headSha },
    });
    expect(check.kind).toBe('ok');
    // The funnel beside TestGen-LLM's, the kept test, the possible bug, the targets folded.
    const { summary } = step.report;
    expect(summary).toContain('| Stage | Tests | Share | TestGen-LLM |');
    expect(summary).toContain('| Type-check | 3 | 100% | 75% |');
    expect(summary).toContain('**Kept 1 test** of 3 candidates');
    expect(summary).toContain('`clamps to the high bound` in `test/math.test.ts`');
    expect(summary).toContain('#### Possible bugs');
    expect(summary).toContain('<details><summary>Every target');
    expect(summary).toContain('from the mutation report given');
    const bug = step.report.messages.find((m) => m.annotation !== undefined)!;
    expect(bug.annotation).toMatchObject({ file: 'src/math.ts', title: 'Possible bug in clamp' });
    expect(step.report.failure).toBeNull();
  });

  it('without a report, measures the survivors with Stryker once, on the targets’ lines, with the allow-listed environment', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    const { step, runner, gen } = await generateRun(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
    });
    expect(runner.requests).toHaveLength(1);
    expect(runner.requests[0]!.root).toBe(repo.dir);
    expect(runner.requests[0]!.env).toEqual(TEST_ENV);
    expect(runner.requests[0]!.ranges.map((r) => r.path)).toEqual(['src/math.ts', 'src/math.ts']);
    expect(gen.calls[0]!.request.targets.some((t) => t.survivingMutants.length > 0)).toBe(true);
    expect(step.report.summary).toContain('measured by Stryker');
  });

  it('the pull request’s code gets none of the job’s secrets: not the token, not the key', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    const { runner, ports, gen } = await generateRun(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
      inputs: { 'anthropic-api-key': KEY },
      env: { ANTHROPIC_API_KEY: KEY },
    });
    expect(gen.calls[0]!.ports.model).not.toBeNull();
    expect(gen.calls[0]!.request.offline).toBe(false);
    const handedOn = [
      ...ports.opened.map((o) => JSON.stringify(o.env)),
      ...runner.requests.map((r) => JSON.stringify(r.env)),
    ].join('\n');
    expect(handedOn).not.toContain(KEY);
    expect(handedOn).not.toContain(TOKEN);
    expect(handedOn).not.toMatch(/INPUT_|GITHUB_TOKEN|ANTHROPIC/);
  });

  it('prints what each candidate became with workflow commands off: the reasons quote the pull request’s tests', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    const { step } = await generateRun(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
    });
    const log = messages(step, 'info').find((m) => m.includes('::error file=src/math.ts'))!;
    const [, stop, ...rest] = log.split('\n');
    const token = /^::stop-commands::(steward-[\w-]+)$/.exec(stop!)?.[1];
    expect(token).toBeDefined();
    expect(rest.at(-1)).toBe(`::${token}::`);
  });

  it('reads no file of the checkout through a link out of it (its text would reach the model)', async ({
    github,
  }) => {
    const { repo, baseSha } = checkout();
    const outside = mkdtempSync(join(tmpdir(), 'steward-outside-'));
    cleanups.push(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(join(outside, 'secret.txt'), 'the runner’s secret\n');
    symlinkSync(join(outside, 'secret.txt'), join(repo.dir, 'src', 'secret.ts'));
    symlinkSync('math.ts', join(repo.dir, 'src', 'inside.ts'));
    const headSha = repo.write('src/math.ts', `${MATH_SOURCE}\n`).commit('links');
    seed(github, headSha);
    const { gen } = await generateRun(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
    });
    const read = gen.calls[0]!.read;
    expect(gen.calls[0]!.ports.project.paths).toContain('src/secret.ts');
    expect(read('src/secret.ts')).toBeNull();
    // No link is followed, not even one inside the checkout.
    expect(read('src/inside.ts')).toBeNull();
    expect(read('src/math.ts')).toBe(`${MATH_SOURCE}\n`);
    expect(read('src/not-listed.ts')).toBeNull();
  });

  it('with no changed function, writes an empty patch and says why', async ({ github }) => {
    const { repo } = checkout();
    const headSha = repo.write('README.md', '# math\n').commit('docs');
    seed(github, headSha);
    const parent = repo.git('rev-parse', `${headSha}^`).trim();
    const { step, gen, runner } = await generateRun(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, parent),
    });
    expect(gen.calls).toEqual([]);
    expect(runner.requests).toEqual([]);
    expect(step.report.outputs['kept']).toBe('0');
    expect(step.report.summary).toContain('Nothing to generate');
    const patch = JSON.parse(step.report.files[0]!.text) as { files: unknown[] };
    expect(patch.files).toEqual([]);
  });
});

describe('the test-gen action refuses to put the key or the token beside untrusted code', () => {
  it('with a key on pull_request_target: nothing runs', async ({ github }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    const run = generateRun(github, {
      workspace: repo.dir,
      event: event('pull_request_target', headSha, baseSha),
      inputs: { 'anthropic-api-key': KEY },
    });
    await expect(run).rejects.toThrow(
      /will not hold the Anthropic API key beside the pull request's code: on pull_request_target/,
    );
  });

  it('with a key (input or environment) on a dispatch of a fork’s pull request; without one the run goes on', async ({
    github,
  }) => {
    const { repo, headSha } = checkout();
    seed(github, headSha, { isCrossRepository: true });
    const dispatch = { name: 'workflow_dispatch', payload: { inputs: {} } };
    await expect(
      generateRun(github, {
        workspace: repo.dir,
        event: dispatch,
        inputs: { 'pull-request': String(NUMBER), 'anthropic-api-key': KEY },
      }),
    ).rejects.toThrow(/#42 comes from a fork.*secrets.ANTHROPIC_API_KEY/);
    // The key from the environment counts as a key too.
    await expect(
      generateRun(github, {
        workspace: repo.dir,
        event: dispatch,
        inputs: { 'pull-request': String(NUMBER) },
        env: { ANTHROPIC_API_KEY: KEY },
      }),
    ).rejects.toThrow(/comes from a fork/);

    // Without a key the dispatch goes on (to the diff, whose base this fake does not have).
    await expect(
      generateRun(github, {
        workspace: repo.dir,
        event: dispatch,
        inputs: { 'pull-request': String(NUMBER) },
      }),
    ).rejects.toThrow(/is not in the checkout.*fetch-depth: 0/);
  });

  it('a fork’s pull request without a key runs offline', async ({ github }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha, { isCrossRepository: true });
    const offline = await generateRun(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
    });
    expect(offline.gen.calls[0]!.request.offline).toBe(true);
    expect(offline.gen.calls[0]!.ports.model).toBeNull();
  });

  it('when the checkout kept the token in its git config, whatever the event', async ({
    github,
  }) => {
    const { repo, baseSha, headSha } = checkout();
    seed(github, headSha);
    repo.git(
      'config',
      'http.https://github.com/.extraheader',
      'AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==',
    );
    await expect(
      generateRun(github, {
        workspace: repo.dir,
        event: event('pull_request', headSha, baseSha),
      }),
    ).rejects.toThrow(/set `persist-credentials: false` on actions\/checkout/);
  });

  it.for([
    [{ mode: 'publish' }, /Input mode must be generate or deliver, got "publish"/],
    [{ push: 'true' }, /Input push is for the deliver job/],
    [
      { mode: 'deliver', 'anthropic-api-key': KEY },
      /deliver job holds the write token and must not hold the key/,
    ],
    [
      { mode: 'deliver', 'mutation-report': 'm.json' },
      /Input mutation-report is for the generate job/,
    ],
    [{ mode: 'deliver', push: 'yes' }, /Input push must be true or false/],
    [{ 'pull-request': 'x' }, /Input pull-request must be a pull request number/],
  ] as const)('names the input in error: %o', async ([inputs, error], { github }) => {
    const { repo, baseSha, headSha } = checkout();
    const run = generateRun(github, {
      workspace: repo.dir,
      event: event('pull_request', headSha, baseSha),
      inputs,
    });
    await expect(run).rejects.toThrow(error);
  });
});
