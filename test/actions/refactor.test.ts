import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { ARTIFACT_MAX_BYTES } from '../../actions/refactor/deliver-job.ts';
import { TEST_ENV } from '../../actions/refactor/propose-job.ts';
import { createRefactorAction } from '../../actions/refactor/main.ts';
import type { RefactorActionDependencies } from '../../actions/refactor/propose-job.ts';
import type { HealthComparison, RefactorTarget, TargetOutcome } from '../../src/refactor/types.ts';
import type { ChooseInput } from '../../src/refactor/choose.ts';
import type { RefactorProofPort } from '../../src/refactor/proof-port.ts';
import type { RefactorRun, RefactorRunInput } from '../../src/refactor/run-refactor.ts';
import type { RefactorProofPortOptions } from '../../src/testrun/refactor-proofs.ts';
import type { AnthropicFake } from '../support/anthropic-fake.ts';
import { anthropicFixture } from '../support/anthropic-world.ts';
import { GitRepo } from '../support/git-repo.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { messages, runInProcess } from './run-in-process.ts';

/**
 * The refactor action's two jobs in process. What runs for real: the inputs, the config read from
 * the GitHub fake over HTTP, the hotspots of a real git checkout, the model client built from the
 * key and base URL inputs (it reaches the Anthropic fake), the artifact file, the outputs and the
 * summary. What stands in, each at the contract's boundary: the selection (src/refactor/choose.ts),
 * the use case (src/refactor/run-refactor.ts), the proof port (src/testrun/refactor-proofs.ts) and
 * the pull-request pieces (src/refactor/pull-requests.ts, artifact.ts, deliver.ts); each records
 * what the face handed it. Real tsc, vitest and pull requests run in test/e2e through the bundle.
 */

const TOKEN = 'ghs_refactor_token';
const KEY = 'sk-ant-refactor-key-never-to-leak';
const it = gitHubTest({ token: TOKEN, botLogin: 'steward[bot]' }).extend<{
  anthropic: AnthropicFake;
}>({ anthropic: anthropicFixture({ apiKey: KEY }) });

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

/** A hot, tangled function: the file every commit touches. */
const ROUTE = `export function route(kind: string, n: number): number {
  if (kind === 'a' && n > 1 && n < 10) return 1;
  if (kind === 'b') { for (let i = 0; i < n; i++) { if (i % 2) { if (i > 3) { if (n > 7) return i; } } } }
  switch (kind) { case 'c': return 3; case 'd': return 4; case 'e': return 5; case 'f': return 6; }
  if (kind === 'h' || (kind === 'i' && n > 2) || (kind === 'j' && n < 0)) return 10;
  return kind === 'g' ? 7 : n > 0 ? 8 : 9;
}
`;
const REFACTORED = `export function route(kind: string, n: number): number {
  return lookup(kind, n);
}

function lookup(kind: string, n: number): number {
  return kind.length + n;
}
`;
const ROUTE_TEST = `import { expect, it } from 'vitest';
import { route } from '../src/route.ts';

it('routes a', () => {
  expect(route('a', 2)).toBe(1);
});
`;

/** The default branch: src/route.ts changed in many commits this year, a calm file beside it, a test. */
function checkout(): { repo: GitRepo; head: string } {
  const repo = new GitRepo();
  cleanups.push(() => repo.dispose());
  repo
    .write('src/calm.ts', 'export const calm = 1;\n')
    .write('test/route.test.ts', ROUTE_TEST)
    .write('.gitignore', '.steward\n');
  let head = '';
  for (let i = 0; i < 6; i++) {
    repo.write('src/route.ts', ROUTE.replace('return 10;', `return ${10 + i};`));
    head = repo.commit(`fix route ${i}`, { date: `2026-0${i + 1}-10T12:00:00Z` });
  }
  return { repo, head };
}

function seed(github: GitHubWorld, config = 'refactor:\n  test-command: npx vitest run\n') {
  github.fake.setFileContents(github.owner, github.repo, 'main', {
    '.github/steward.yml': config,
  });
}

const scheduleEvent = (github: GitHubWorld) => ({
  schedule: '17 5 * * 1',
  repository: {
    full_name: `${github.owner}/${github.repo}`,
    default_branch: 'main',
  },
});

const HEALTH: HealthComparison = {
  before: { fileHealth: 4.2, cognitive: 24, cyclomatic: 19, nesting: 5, length: 7, smells: [] },
  after: { fileHealth: 9.1, cognitive: 1, cyclomatic: 1, nesting: 0, length: 3, smells: [] },
};

/** The target the selection answers: the worst function of the hottest file of the real report. */
function targetOf(input: ChooseInput): RefactorTarget {
  const file = input.report.files[0]!;
  const fn = [...file.functions].sort((a, b) => b.cognitive - a.cognitive)[0]!;
  return {
    path: file.path,
    function: fn.name,
    line: fn.line,
    endLine: fn.line + fn.length - 1,
    fingerprint: '0123456789abcdef',
    hotspotRank: 1,
    revisions: file.revisions,
    fileHealth: file.health,
    smells: file.smells.filter((s) => s.function === fn.name),
    metrics: {
      name: fn.name,
      kind: 'function',
      line: fn.line,
      endLine: fn.line + fn.length - 1,
      cyclomatic: fn.cyclomatic,
      cognitive: fn.cognitive,
      nesting: fn.nesting,
      length: fn.length,
      params: fn.params,
      bumps: 2,
      complexConditional: null,
    },
  };
}

interface Recorded {
  chosen: ChooseInput[];
  runs: RefactorRunInput[];
  ports: RefactorProofPortOptions[];
  closed: number;
  formatted: string[];
  artifacts: string[];
  checkOptions: unknown[];
  delivered: { maxOpen: number; defaultBranch: string }[];
  tended: string[];
}

/**
 * The contract's pieces standing in. `runRefactor` does what the real one does with what it is
 * handed: the baseline through the proof port, one `propose_refactoring` call through the model
 * client (so the key and base URL must reach the Anthropic fake), the file read and formatted.
 */
function pieces(
  options: {
    outcome?: 'proven' | 'skipped' | 'red';
    open?: number;
    rejected?: string[];
    delivery?: 'opened' | 'not-delivered';
    artifactOk?: boolean;
  } = {},
): { deps: RefactorActionDependencies; recorded: Recorded } {
  const recorded: Recorded = {
    chosen: [],
    runs: [],
    ports: [],
    closed: 0,
    formatted: [],
    artifacts: [],
    checkOptions: [],
    delivered: [],
    tended: [],
  };
  const port = (opened: RefactorProofPortOptions): RefactorProofPort => {
    recorded.ports.push(opened);
    return {
      typecheck: () => Promise.resolve({ kind: 'checked', diagnostics: [] }),
      compareApi: () => Promise.resolve({ kind: 'same' }),
      runTests: () =>
        Promise.resolve(
          options.outcome === 'red'
            ? { kind: 'failed', detail: 'FAIL test/route.test.ts\n::error::forged by a test' }
            : { kind: 'passed', detail: '1 passed' },
        ),
      mutationScore: () => Promise.resolve(null),
      close: () => void recorded.closed++,
    };
  };
  const runRefactor = async (input: RefactorRunInput): Promise<RefactorRun> => {
    recorded.runs.push(input);
    const target = input.targets[0]!;
    const baseline = await input.proofs.runTests(new Map(), target.path);
    if (baseline.kind === 'failed')
      return {
        baseline: { ok: false, reason: 'the tests fail before any change' },
        outcomes: input.targets.map((t) => ({
          kind: 'skipped',
          target: t,
          reason: 'the tests fail before any change',
          proofs: [],
          attempts: 0,
        })),
        skipped: [],
        usage: { calls: 0, costUsd: 0 },
      };
    const answer = await input.model.call({
      system: 'Refactor.',
      user: 'The function.',
      tool: {
        name: 'propose_refactoring',
        description: 'The refactored function.',
        inputSchema: { type: 'object' },
        validate: (value: unknown) => ({ ok: true, value }),
      },
      maxOutputTokens: 1000,
    });
    if (answer.kind !== 'ok') throw new Error(`the model call failed: ${answer.kind}`);
    const before = await input.readText(target.path);
    const after = await input.formatText!(target.path, REFACTORED);
    input.onProgress?.(`${target.path}: proposing\n::error::forged`);
    const proofs = [
      { name: 'apply' as const, ok: true, detail: 'replaced route, 1 helper', durationMs: 12 },
      { name: 'tests' as const, ok: true, detail: '1 passed, twice', durationMs: 900 },
    ];
    const outcome: TargetOutcome =
      options.outcome === 'skipped'
        ? {
            kind: 'skipped',
            target,
            reason: 'a test failed: FAIL test/route.test.ts\n::error::forged',
            proofs,
            attempts: 2,
          }
        : {
            kind: 'proven',
            target,
            proposal: {
              path: target.path,
              function: target.function,
              code: REFACTORED,
              helpers: [],
              rationale: 'A lookup replaces the nested branches.',
              techniques: ['Extract Function'],
            },
            before,
            after,
            health: HEALTH,
            proofs,
            attempts: 1,
          };
    return {
      baseline: { ok: true },
      outcomes: [outcome],
      skipped: [{ path: 'src/calm.ts', function: null, reason: 'no smell' }],
      usage: { calls: 1, costUsd: 0.02 },
    };
  };
  const deps: RefactorActionDependencies = {
    proofPort: port,
    formatter: () => ({
      format: (file) => {
        recorded.formatted.push(file.path);
        return Promise.resolve({ kind: 'formatted', text: file.text, formatter: 'prettier 3' });
      },
    }),
    selector: {
      filesToRead: (report, config, only) => [
        ...report.files.slice(0, config.topFiles).map((f) => f.path),
        ...(only === undefined ? [] : [only.path]),
      ],
      chooseTargets: (input) => {
        recorded.chosen.push(input);
        return {
          targets: [targetOf(input)],
          skipped: [{ path: 'src/calm.ts', function: null, reason: 'no smell' }],
        };
      },
    },
    runRefactor,
    refactorPullRequests: () =>
      Promise.resolve({
        open: Array.from({ length: options.open ?? 0 }, (_, i) => {
          const marker = {
            path: 'src/other.ts',
            function: 'other',
            fingerprint: 'f'.repeat(16),
            stale: false,
          };
          return {
            ...marker,
            marker,
            number: 7 + i,
            state: 'open' as const,
            merged: false,
            url: `https://github.com/acme/widgets/pull/${7 + i}`,
            title: 'Refactor other in src/other.ts: health 4.0 → 6.0',
            body: '',
            headRefName: `steward/refactor/other-${i}`,
            baseRefName: 'main',
            headSha: 'a'.repeat(40),
            labels: ['steward:refactor'],
            isCrossRepository: false,
            ours: true,
          };
        }),
        rejected: new Set(options.rejected ?? []),
        openPaths: new Set(['src/busy.ts']),
      }),
    checkArtifact: (text, checkOptions) => {
      recorded.artifacts.push(text);
      recorded.checkOptions.push(checkOptions);
      if (options.artifactOk === false)
        return { ok: false, problems: ['after changes another function\n::error::forged'] };
      const parsed = JSON.parse(text) as { baseSha: string; path: string; function: string };
      return {
        ok: true,
        artifact: {
          ...parsed,
          before: ROUTE,
          after: REFACTORED,
          target: {} as RefactorTarget,
          health: HEALTH,
          proposal: { rationale: 'A lookup.', techniques: [] },
          proofs: [],
        },
        health: HEALTH,
      };
    },
    deliverRefactor: async (github, checked, opts) => {
      recorded.delivered.push(opts);
      // The client it is handed is the write token's, on the GitHub fake.
      const tip = await github.getBranchTip(opts.defaultBranch);
      return options.delivery === 'not-delivered'
        ? { kind: 'not-delivered', reason: `the default branch moved to ${tip!.sha.slice(0, 7)}` }
        : {
            kind: 'opened',
            number: 12,
            url: 'https://github.com/acme/widgets/pull/12',
            branch: `steward/refactor/src-route-ts-${checked.artifact.function}`,
            commitSha: 'c'.repeat(40),
          };
    },
    tendRefactorPullRequests: (_github, tip) => {
      recorded.tended.push(tip);
      return Promise.resolve([
        { number: 5, action: 'closed', reason: 'src/a.ts changed on main' },
        { number: 6, action: 'current', reason: 'base unchanged' },
      ]);
    },
  };
  return { deps, recorded };
}

function propose(
  github: GitHubWorld,
  anthropic: AnthropicFake,
  repo: GitRepo,
  deps: RefactorActionDependencies,
  inputs: Record<string, string> = {},
) {
  return runInProcess(createRefactorAction(deps), github, {
    eventName: 'schedule',
    payload: scheduleEvent(github),
    inputs: { 'anthropic-api-key': KEY, 'anthropic-base-url': anthropic.url, ...inputs },
    env: { GITHUB_WORKSPACE: repo.dir, RUNNER_TEMP: join(repo.dir, '.steward') },
  });
}

const toolAnswer = {
  toolUse: {
    name: 'propose_refactoring',
    input: { path: 'src/route.ts', function: 'route', code: REFACTORED },
  },
};

describe('the refactor action, propose job', () => {
  it('proves one refactoring of the hottest file and writes it as the artifact for the deliver job', async ({
    github,
    anthropic,
  }) => {
    const { repo, head } = checkout();
    seed(github, 'refactor:\n  test-command: npx vitest run\n  mutation: true\n  top-files: 5\n');
    anthropic.enqueue(toolAnswer);
    const { deps, recorded } = pieces({ rejected: ['fedcba9876543210'] });
    const run = await propose(github, anthropic, repo, deps);

    expect(run.report.failure).toBeNull();
    // The selection got the real hotspots of the checkout, its texts and tests, and GitHub's view.
    const [chosen] = recorded.chosen;
    expect(chosen!.report.files[0]!.path).toBe('src/route.ts');
    expect(chosen!.report.head).toBe(head);
    expect([...chosen!.texts.keys()]).toContain('src/route.ts');
    expect(chosen!.texts.get('src/route.ts')).toContain('return 15;');
    expect([...chosen!.testFiles.keys()]).toEqual(['test/route.test.ts']);
    expect(chosen!.config).toMatchObject({ topFiles: 5, mutation: true, maxOpen: 1 });
    expect([...chosen!.rejectedFingerprints]).toEqual(['fedcba9876543210']);
    expect([...chosen!.openPullRequestPaths]).toEqual(['src/busy.ts']);
    expect(chosen!.only).toBeUndefined();

    // The use case: one refactoring wanted, the checkout's text, the project's formatter.
    expect(recorded.runs).toHaveLength(1);
    expect(recorded.runs[0]!.wanted).toBe(1);
    expect(recorded.formatted).toEqual(['src/route.ts']);
    // The proof port: the checkout, the configured command and mutation, no secret in its env.
    expect(recorded.ports).toEqual([
      {
        root: realpathSync(repo.dir),
        testCommand: 'npx vitest run',
        env: TEST_ENV,
        timeoutMs: expect.any(Number),
        mutation: true,
      },
    ]);
    expect(JSON.stringify(recorded.ports[0]!.env)).not.toContain(KEY);
    expect(JSON.stringify(recorded.ports[0]!.env)).not.toContain(TOKEN);
    expect(recorded.closed).toBe(1);
    // The model call went through the key and base URL inputs.
    expect(anthropic.requests.map((r) => r.apiKey)).toEqual([KEY]);

    // The artifact: version 1, pinned to the checked-out commit, the texts before and after.
    const file = join(repo.dir, '.steward', 'steward-refactor.json');
    expect(run.report.outputs).toEqual({
      proven: 'true',
      path: 'src/route.ts',
      function: 'route',
      'artifact-file': file,
    });
    const [written] = run.report.files;
    expect(written!.path).toBe(file);
    const artifact = JSON.parse(written!.text) as Record<string, unknown>;
    expect(artifact).toMatchObject({
      version: 1,
      baseSha: head,
      path: 'src/route.ts',
      function: 'route',
      fingerprint: '0123456789abcdef',
      after: REFACTORED,
      proposal: {
        rationale: 'A lookup replaces the nested branches.',
        techniques: ['Extract Function'],
      },
    });
    expect(artifact['before']).toContain('return 15;');
    expect(run.report.summary).toContain('**Proved a refactoring** of `route` in `src/route.ts`');
    expect(run.report.summary).toContain('file health 4.2 → 9.1, cognitive complexity 24 → 1');
    expect(run.report.summary).toContain('<details><summary>Proof log</summary>');
    // The use case's progress and reasons quote the repository: one line each, commands inert.
    const info = messages(run, 'info');
    expect(info.filter((m) => m.startsWith('refactor: '))).toEqual([
      'refactor: src/route.ts: proposing?::error::forged',
    ]);
  });

  it('passes the target input to the selection, and skips with the reason when nothing is proven', async ({
    github,
    anthropic,
  }) => {
    const { repo } = checkout();
    seed(github);
    anthropic.enqueue(toolAnswer);
    const { deps, recorded } = pieces({ outcome: 'skipped' });
    const run = await propose(github, anthropic, repo, deps, { target: 'src/route.ts:route' });
    expect(recorded.chosen[0]!.only).toEqual({ path: 'src/route.ts', function: 'route' });
    expect(run.report.failure).toBeNull();
    expect(run.report.files).toEqual([]);
    expect(run.report.outputs).toEqual({
      proven: 'false',
      path: '',
      function: '',
      'artifact-file': '',
    });
    expect(run.report.summary).toContain('**No refactoring proven**');
    expect(run.report.summary).toContain('skipped: a test failed: FAIL test/route.test.ts');
    // The reason quotes the tests' output: in the log only between stop-commands markers.
    const log = messages(run, 'info').find((m) => m.startsWith('What became of each target:'))!;
    expect(log).toMatch(/^What became of each target:\n::stop-commands::steward-[\w-]+\n/);
    expect(log).toContain('skipped (a test failed: FAIL test/route.test.ts\n::error::forged)');
  });

  it('says the tests fail before any change, and proposes nothing, when the baseline is red', async ({
    github,
    anthropic,
  }) => {
    const { repo } = checkout();
    seed(github);
    const { deps } = pieces({ outcome: 'red' });
    const run = await propose(github, anthropic, repo, deps);
    expect(run.report.failure).toBeNull();
    expect(run.report.outputs['proven']).toBe('false');
    expect(messages(run, 'warning')).toContain(
      'Steward proposed no refactoring: the tests fail before any change. Every target was skipped; fix the tests on the default branch first.',
    );
    expect(anthropic.requests).toEqual([]);
  });

  it('asks nothing and measures nothing when max-open refactoring pull requests are open', async ({
    github,
    anthropic,
  }) => {
    const { repo } = checkout();
    seed(github, 'refactor:\n  max-open: 2\n');
    const { deps, recorded } = pieces({ open: 2 });
    const run = await propose(github, anthropic, repo, deps);
    expect(run.report.failure).toBeNull();
    expect(messages(run, 'notice')).toEqual([
      'Steward proposed no refactoring: 2 refactoring pull requests open (#7, #8), and refactor.max-open is 2. Merge or close one to get the next.',
    ]);
    expect(recorded.chosen).toEqual([]);
    expect(recorded.ports).toEqual([]);
    expect(anthropic.requests).toEqual([]);
  });

  it('ends green with a notice, and reads nothing, when no key is given', async ({
    github,
    anthropic,
  }) => {
    const { repo } = checkout();
    const { deps, recorded } = pieces();
    const run = await propose(github, anthropic, repo, deps, { 'anthropic-api-key': '' });
    expect(run.report.failure).toBeNull();
    expect(messages(run, 'notice')).toEqual([
      'Steward proposed no refactoring: a model is needed. Pass `anthropic-api-key: ${{ secrets.ANTHROPIC_API_KEY }}` to the propose job (the deliver job needs no key).',
    ]);
    expect(run.report.outputs['proven']).toBe('false');
    expect(recorded.chosen).toEqual([]);
    expect(github.fake.requests).toEqual([]);
  });

  it('refuses a checkout that kept the workflow token where the repository’s code reads it', async ({
    github,
    anthropic,
  }) => {
    const { repo } = checkout();
    seed(github);
    repo.git(
      'config',
      'http.https://github.com/.extraheader',
      'AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hz',
    );
    const { deps, recorded } = pieces();
    await expect(propose(github, anthropic, repo, deps)).rejects.toThrow(
      /persist-credentials: false/,
    );
    expect(recorded.chosen).toEqual([]);
  });

  it('does nothing on a pull request event: it runs on a schedule or a dispatch', async ({
    github,
    anthropic,
  }) => {
    const { repo } = checkout();
    const { deps } = pieces();
    const run = await runInProcess(createRefactorAction(deps), github, {
      eventName: 'pull_request_target',
      payload: {},
      inputs: { 'anthropic-api-key': KEY, 'anthropic-base-url': anthropic.url },
      env: { GITHUB_WORKSPACE: repo.dir },
    });
    expect(run.report.failure).toBeNull();
    expect(messages(run, 'notice')[0]).toMatch(/did nothing on pull_request_target/);
    expect(github.fake.requests).toEqual([]);
  });

  it.each([
    [{ target: '../secrets.ts' }, /^Input target: `\.\.\/secrets\.ts` is not a path/],
    [{ target: 'src/a.ts:fn;rm -rf' }, /^Input target: .* names no function/],
    [{ mode: 'deliver', target: 'src/a.ts' }, /^Input target is for the propose job/],
    [
      { mode: 'deliver', 'anthropic-api-key': KEY },
      /^Input anthropic-api-key is for the propose job/,
    ],
    [{ mode: 'merge' }, /^Input mode must be propose or deliver, got "merge"/],
  ])('refuses the inputs %j, naming the input', async (inputs, error) => {
    await expect(
      createRefactorAction({})(
        {
          GITHUB_EVENT_NAME: 'schedule',
          GITHUB_EVENT_PATH: '/nonexistent',
          GITHUB_REPOSITORY: 'acme/widgets',
          'INPUT_GITHUB-TOKEN': TOKEN,
          ...Object.fromEntries(
            Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
          ),
        },
        { info() {}, notice() {}, warning() {}, summary: () => Promise.resolve() },
      ),
    ).rejects.toThrow(error);
  });
});

describe('the refactor action, deliver job', () => {
  function deliver(github: GitHubWorld, deps: RefactorActionDependencies, dir: string) {
    return runInProcess(createRefactorAction(deps), github, {
      eventName: 'schedule',
      payload: scheduleEvent(github),
      inputs: { mode: 'deliver' },
      env: { RUNNER_TEMP: dir },
    });
  }

  const artifactText = (head: string) =>
    `${JSON.stringify({ version: 1, baseSha: head, path: 'src/route.ts', function: 'route' })}\n`;

  it('tends the open refactoring pull requests, checks the artifact as hostile and opens the pull request', async ({
    github,
  }) => {
    seed(github, 'refactor:\n  max-open: 3\n  min-health-gain: 1.5\n');
    const tip = github.fake.branch(github.owner, github.repo, 'main')!;
    const { repo } = checkout();
    const dir = join(repo.dir, 'temp');
    const { deps, recorded } = pieces();
    mkdirSync(dir);
    writeFileSync(join(dir, 'steward-refactor.json'), artifactText(tip));
    const run = await deliver(github, deps, dir);
    expect(run.report.failure).toBeNull();
    expect(recorded.tended).toEqual([tip]);
    expect(recorded.artifacts).toEqual([artifactText(tip)]);
    // The health is recomputed with the repository's gain and thresholds, not read from the artifact.
    expect(recorded.checkOptions).toEqual([
      { minHealthGain: 1.5, thresholds: expect.objectContaining({}) },
    ]);
    expect(recorded.delivered).toEqual([{ defaultBranch: 'main', maxOpen: 3 }]);
    expect(run.report.outputs).toEqual({
      'pull-request-number': '12',
      'pull-request-url': 'https://github.com/acme/widgets/pull/12',
      delivered: 'true',
    });
    expect(messages(run, 'notice')).toEqual([
      'Refactoring pull request #5 closed: src/a.ts changed on main.',
    ]);
    expect(run.report.summary).toContain(
      'Opened [#12](https://github.com/acme/widgets/pull/12): the refactoring of `route` in `src/route.ts` (health 4.2 → 9.1, recomputed here).',
    );
  });

  it('without an artifact (nothing proven) only tends, and succeeds', async ({ github }) => {
    seed(github);
    const { repo } = checkout();
    const { deps, recorded } = pieces();
    const run = await deliver(github, deps, repo.dir);
    expect(run.report.failure).toBeNull();
    expect(recorded.tended).toHaveLength(1);
    expect(recorded.artifacts).toEqual([]);
    expect(run.report.outputs['delivered']).toBe('false');
    expect(messages(run, 'notice')).toContain(
      'No refactoring to deliver: the propose job proved none (it uploads an artifact only when it proves one).',
    );
  });

  it('fails the step on a refused artifact, listing the problems with workflow commands off', async ({
    github,
  }) => {
    seed(github);
    const { repo } = checkout();
    writeFileSync(join(repo.dir, 'steward-refactor.json'), artifactText('a'.repeat(40)));
    const { deps, recorded } = pieces({ artifactOk: false });
    const run = await deliver(github, deps, repo.dir);
    expect(run.report.failure).toMatch(/^Steward refused the refactoring artifact/);
    expect(recorded.delivered).toEqual([]);
    expect(run.report.outputs['delivered']).toBe('false');
    const log = messages(run, 'info').find((m) => m.startsWith('The problems of the artifact:'))!;
    expect(log).toMatch(/::stop-commands::steward-/);
    expect(log).toContain('after changes another function?::error::forged');
  });

  it('refuses an artifact over the size cap unread', async ({ github }) => {
    seed(github);
    const { repo } = checkout();
    writeFileSync(join(repo.dir, 'steward-refactor.json'), 'x'.repeat(ARTIFACT_MAX_BYTES + 1));
    const { deps, recorded } = pieces();
    const run = await deliver(github, deps, repo.dir);
    expect(run.report.failure).toMatch(/^Steward refused the refactoring artifact/);
    expect(recorded.artifacts).toEqual([]);
    expect(run.report.summary).toContain(`over the ${ARTIFACT_MAX_BYTES}-byte cap`);
  });

  it('says why when the checked artifact is not delivered, and succeeds', async ({ github }) => {
    seed(github);
    const tip = github.fake.branch(github.owner, github.repo, 'main')!;
    const { repo } = checkout();
    writeFileSync(join(repo.dir, 'steward-refactor.json'), artifactText(tip));
    const { deps } = pieces({ delivery: 'not-delivered' });
    const run = await deliver(github, deps, repo.dir);
    expect(run.report.failure).toBeNull();
    expect(messages(run, 'notice')).toContain(
      `Steward delivered no refactoring pull request: the default branch moved to ${tip.slice(0, 7)}.`,
    );
  });
});
