import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startAnthropicFake,
  type AnthropicFake,
  type AnthropicRecordedRequest,
} from '../support/anthropic-fake.ts';
import {
  startGitHubFake,
  type GitHubFake,
  type PullRequestView,
} from '../support/github-fake/index.ts';
import type { FileSeed } from '../support/github-fake/types.ts';
import { GitRepo } from '../support/git-repo.ts';
import { githubPatch } from '../support/patch.ts';
import { createFixture, type Fixture } from '../stryker/fixture.ts';
import { runBundledAction, type ActionRun } from './action-runner.ts';
import { API_KEY, NUMBER, OWNER, pullRequestEvent, REPO } from './review-scenario.ts';
import { scenarioTest } from './scenario-test.ts';
import { sixCandidates, type ProposedTest } from './testgen-candidates.ts';
import { PROJECT_FILES, SLASH_PR, type FixturePullRequest } from './testgen-fixture.ts';

export const TOKEN = 'ghs_steward_testgen_token';

/**
 * main's config: two stability reruns (the least test-gen.runs allows) keep Stryker and vitest
 * runs few; six candidates per call, so the model's six all reach the chain.
 */
export const TESTGEN_CONFIG = 'test-gen:\n  runs: 2\n  max-candidates: 6\n';

export interface TestgenSeed {
  pullRequest?: FixturePullRequest;
  /** `.github/steward.yml` on main. */
  config?: string;
}

/** The text of a Messages request's user turn (a string, or its text blocks joined). */
export function userText(request: AnthropicRecordedRequest): string {
  return request.body.messages
    .filter((m) => m.role === 'user')
    .map((m) =>
      typeof m.content === 'string'
        ? m.content
        : m.content.map((block) => ('text' in block ? block.text : '')).join('\n'),
    )
    .join('\n');
}

/** A retry carries the previous attempt's failures (src/testgen/prompt.ts renderFailures). */
export function isRetry(request: AnthropicRecordedRequest): boolean {
  return userText(request).includes('<untrusted-previous-failures>');
}

/**
 * A real git checkout of a real vitest project (ufo's query encoding; node_modules linked to this
 * worktree's, so the real TypeScript, vitest, fast-check and Stryker 10 run) with the pull
 * request's commit on `feature`; the GitHub fake holding the same pull request and main's config;
 * the Anthropic fake for the generate job's model.
 */
export class TestgenScenario {
  readonly github: GitHubFake;
  readonly anthropic: AnthropicFake;
  readonly repo: GitRepo;
  readonly baseSha: string;
  readonly headSha: string;
  /** Where the generate job writes the patch and the deliver job reads it (the artifact). */
  readonly patchFile: string;
  /** The flaky candidate's run count, outside the project. */
  readonly counterFile: string;
  private readonly fixture: Fixture;
  private readonly temp: string;

  private constructor(
    parts: Pick<TestgenScenario, 'github' | 'anthropic' | 'repo' | 'baseSha'>,
    fixture: Fixture,
    temp: string,
  ) {
    this.github = parts.github;
    this.anthropic = parts.anthropic;
    this.repo = parts.repo;
    this.baseSha = parts.baseSha;
    this.headSha = parts.repo.git('rev-parse', 'HEAD').trim();
    this.fixture = fixture;
    this.temp = temp;
    this.patchFile = join(temp, 'artifact', 'steward-tests.json');
    this.counterFile = join(temp, 'flaky-runs');
  }

  static async start(seed: TestgenSeed = {}): Promise<TestgenScenario> {
    const pr = seed.pullRequest ?? SLASH_PR;
    const fixture = createFixture({ files: { ...PROJECT_FILES, ...pr.base } });
    // The stryker fixture's own module and test are not this project's.
    rmSync(join(fixture.root, 'src', 'math.ts'));
    rmSync(join(fixture.root, 'test', 'math.test.ts'));
    const repo = new GitRepo(fixture.root);
    const baseSha = repo.commit('ufo query encoding');
    repo.git('switch', '-q', '-c', 'feature');
    for (const [path, text] of Object.entries(pr.head)) repo.write(path, text);
    repo.commit(pr.title);
    const temp = mkdtempSync(join(tmpdir(), 'steward-testgen-e2e-'));
    mkdirSync(join(temp, 'artifact'));
    const github = await startGitHubFake({ token: TOKEN });
    const anthropic = await startAnthropicFake({ apiKey: API_KEY });
    const scenario = new TestgenScenario({ github, anthropic, repo, baseSha }, fixture, temp);
    github.addRepo({ owner: OWNER, repo: REPO, defaultBranch: 'main' });
    github.setFileContents(OWNER, REPO, 'main', {
      '.github/steward.yml': seed.config ?? TESTGEN_CONFIG,
    });
    github.addPullRequest({
      owner: OWNER,
      repo: REPO,
      number: NUMBER,
      title: pr.title,
      author: { login: 'octocat', type: 'User' },
      headRefName: 'feature',
      baseRefName: 'main',
      isCrossRepository: false,
      headSha: scenario.headSha,
      files: scenario.files(),
    });
    github.setFileContents(OWNER, REPO, scenario.headSha, {
      ...PROJECT_FILES,
      ...pr.base,
      ...pr.head,
    });
    return scenario;
  }

  /** The pull request's files as GitHub lists them, from the checkout. */
  files(): FileSeed[] {
    const changed = this.repo
      .git('diff', '--name-only', `${this.baseSha}...HEAD`)
      .split('\n')
      .filter(Boolean);
    return changed.map((path) => {
      const patch = githubPatch(
        this.repo.git('show', `${this.baseSha}:${path}`),
        readFileSync(join(this.repo.dir, path), 'utf8'),
      );
      return {
        path,
        status: 'modified',
        additions: patch.split('\n').filter((l) => l.startsWith('+')).length,
        deletions: patch.split('\n').filter((l) => l.startsWith('-')).length,
        patch,
      };
    });
  }

  /**
   * The model's answers for one generate run: the six candidates to the first call, and `retry`
   * (no test by default) to the retry that feeds their failures back.
   */
  scriptModel(retry: ProposedTest[] = []): void {
    const answer = (tests: ProposedTest[]) => ({
      toolUse: { name: 'propose_tests', input: { tests } },
      usage: { input_tokens: 2_000, output_tokens: 900 },
    });
    this.anthropic.enqueue(
      (request) => {
        if (isRetry(request)) throw new Error('the first call of a target carried failures');
        return answer(sixCandidates(this.counterFile));
      },
      (request) => {
        if (!isRetry(request)) throw new Error('the second call of a target is not the retry');
        return answer(retry);
      },
    );
  }

  event(): { name: string; payload: Record<string, unknown> } {
    const event = pullRequestEvent(this.headSha);
    (event.payload.pull_request as { base: { sha: string } }).base.sha = this.baseSha;
    return event;
  }

  /** The generate job: after checkout and install, in the checkout, with the key unless `offline`. */
  generate(options: { offline?: boolean } = {}): Promise<ActionRun> {
    return this.run(
      {
        mode: 'generate',
        ...(options.offline === true ? {} : { 'anthropic-api-key': API_KEY }),
      },
      this.repo.dir,
      options.offline === true ? {} : { ANTHROPIC_BASE_URL: this.anthropic.url },
    );
  }

  /** The deliver job: no checkout (an empty workspace), the generate job's patch downloaded. */
  deliver(): Promise<ActionRun> {
    const workspace = mkdtempSync(join(this.temp, 'deliver-'));
    return this.run({ mode: 'deliver' }, workspace, {});
  }

  private run(
    inputs: Record<string, string>,
    workspace: string,
    env: Record<string, string>,
  ): Promise<ActionRun> {
    const event = this.event();
    return runBundledAction({
      action: 'test-gen',
      eventName: event.name,
      payload: event.payload,
      inputs: { 'github-token': TOKEN, 'patch-file': this.patchFile, ...inputs },
      env: {
        GITHUB_API_URL: this.github.url,
        GITHUB_GRAPHQL_URL: `${this.github.url}/graphql`,
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_WORKSPACE: workspace,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '4242',
        ...env,
      },
    });
  }

  /** The patch the generate job wrote, parsed. */
  patch(): {
    headSha: string;
    files: { path: string; text: string }[];
    report: { funnel: Record<string, number> };
  } {
    return JSON.parse(readFileSync(this.patchFile, 'utf8')) as ReturnType<TestgenScenario['patch']>;
  }

  /** Pull requests other than the scenario's own #NUMBER. */
  testsPullRequests(): PullRequestView[] {
    return this.github.pullRequests(OWNER, REPO).filter((pr) => pr.number !== NUMBER);
  }

  assertNoUnexpected(): void {
    this.github.assertNoUnexpected();
    this.anthropic.assertNoUnexpected();
  }

  async close(): Promise<void> {
    await Promise.all([this.github.close(), this.anthropic.close()]);
    this.fixture.cleanup();
    rmSync(this.temp, { recursive: true, force: true });
  }
}

/** The e2e `test` whose `start` gives a test generation scenario, checked and closed after the test. */
export const testgenTest = scenarioTest((seed?: TestgenSeed) => TestgenScenario.start(seed));
