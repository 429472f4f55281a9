import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
import { runBundledAction, type ActionRun } from './action-runner.ts';
import { findExample } from './auto-merge-scenario.ts';
import type { ProposeRefactoringInput } from './refactor-answers.ts';
import { createRefactorFixture, mainFiles, type RefactorFixture } from './refactor-fixture.ts';
import { API_KEY, OWNER, REPO } from './review-scenario.ts';
import { scenarioTest } from './scenario-test.ts';

export const TOKEN = 'ghs_steward_refactor_token';

/**
 * The names actions/refactor is expected to take and give (actions/refactor/action.yml, owned by
 * r-faces): in one place so the integrator aligns them with the action in one edit.
 */
export const ACTION = {
  name: 'refactor',
  /** propose: the checkout, the key, a read-only token; deliver: the write token, no key. */
  mode: 'mode',
  artifactFile: 'artifact-file',
  apiKey: 'anthropic-api-key',
  token: 'github-token',
  /** deliver's output: the refactoring pull request opened (or kept), empty when none. */
  pullRequestNumber: 'pull-request-number',
} as const;

/** The tool the model answers through (src/refactor/propose-tool.ts). */
export const TOOL = 'propose_refactoring';

/**
 * The weekly run's event: GitHub sends the cron and the repository (there is no schedule example
 * in @octokit/webhooks-examples, so the repository is a workflow_dispatch example's, renamed).
 */
export function scheduleEvent(): Record<string, unknown> {
  const example = structuredClone(findExample('workflow_dispatch', ''));
  return {
    schedule: '0 6 * * 1',
    repository: {
      ...(example.repository as object),
      name: REPO,
      full_name: `${OWNER}/${REPO}`,
      owner: { login: OWNER },
      default_branch: 'main',
    },
    sender: example.sender,
    workflow: '.github/workflows/steward-refactor.yml',
  };
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

/** The artifact the propose job wrote, as JSON (src/refactor/artifact.ts's shape), or null. */
export interface ProposeArtifact {
  version: number;
  baseSha: string;
  path: string;
  function: string;
  fingerprint: string;
  before: string;
  after: string;
}

/**
 * A real git checkout of a real TypeScript + vitest project whose hot file holds one smelly,
 * tested function (refactor-fixture.ts); the GitHub fake holding the same repository with main at
 * the checkout's tip; the Anthropic fake for the propose job's model. The two jobs of the weekly
 * workflow run the BUNDLED action: `propose` in the checkout, `deliver` in an empty workspace with
 * the artifact the first one wrote.
 */
export class RefactorScenario {
  readonly github: GitHubFake;
  readonly anthropic: AnthropicFake;
  readonly fixture: RefactorFixture;
  /** Where the propose job writes the artifact and the deliver job reads it. */
  readonly artifactFile: string;
  private readonly temp: string;

  private constructor(github: GitHubFake, anthropic: AnthropicFake, fixture: RefactorFixture) {
    this.github = github;
    this.anthropic = anthropic;
    this.fixture = fixture;
    this.temp = mkdtempSync(join(tmpdir(), 'steward-refactor-e2e-'));
    mkdirSync(join(this.temp, 'artifact'));
    this.artifactFile = join(this.temp, 'artifact', 'steward-refactor.json');
  }

  static async start(): Promise<RefactorScenario> {
    const fixture = createRefactorFixture();
    const github = await startGitHubFake({ token: TOKEN });
    const anthropic = await startAnthropicFake({ apiKey: API_KEY });
    const scenario = new RefactorScenario(github, anthropic, fixture);
    github.addRepo({ owner: OWNER, repo: REPO, defaultBranch: 'main' });
    github.setFileContents(OWNER, REPO, fixture.headSha, mainFiles());
    // main's tip on GitHub is the checkout's: what the deliver job checks its base against.
    await scenario.api('PATCH', `/repos/${OWNER}/${REPO}/git/refs/heads/main`, {
      sha: fixture.headSha,
      force: true,
    });
    return scenario;
  }

  get headSha(): string {
    return this.fixture.headSha;
  }

  /** A request to the GitHub fake's REST API as a maintainer on github.com would make it. */
  async api(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.github.url}${path}`, {
      method,
      headers: {
        authorization: `token ${TOKEN}`,
        accept: 'application/vnd.github+json',
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text === '' ? null : (JSON.parse(text) as unknown);
  }

  /** The maintainer closes the pull request without merging it ("not wanted"). */
  async closeUnmerged(number: number): Promise<void> {
    await this.api('PATCH', `/repos/${OWNER}/${REPO}/pulls/${number}`, { state: 'closed' });
    const state = this.pullRequests().find((pr) => pr.number === number)?.state;
    if (state !== 'CLOSED')
      throw new Error(
        `the GitHub fake left #${number} ${state} (PATCH pulls/:number state: closed)`,
      );
  }

  /** The model's answers for one target: the first call, then the retry with the failure fed back. */
  scriptModel(first: ProposeRefactoringInput, retry: ProposeRefactoringInput = first): void {
    const answer = (input: ProposeRefactoringInput) => ({
      toolUse: { name: TOOL, input },
      usage: { input_tokens: 3_000, output_tokens: 900 },
    });
    this.anthropic.enqueue(
      () => answer(first),
      () => answer(retry),
    );
  }

  /** The propose job, after checkout (full history) and install, in the checkout, with the key. */
  propose(): Promise<ActionRun> {
    // A fresh runner: no artifact from an earlier run.
    rmSync(this.artifactFile, { force: true });
    return this.run({ [ACTION.mode]: 'propose', [ACTION.apiKey]: API_KEY }, this.fixture.repo.dir, {
      ANTHROPIC_BASE_URL: this.anthropic.url,
    });
  }

  /** The deliver job: no checkout (an empty workspace), the propose job's artifact downloaded. */
  deliver(): Promise<ActionRun> {
    const workspace = mkdtempSync(join(this.temp, 'deliver-'));
    return this.run({ [ACTION.mode]: 'deliver' }, workspace, {});
  }

  private run(
    inputs: Record<string, string>,
    workspace: string,
    env: Record<string, string>,
  ): Promise<ActionRun> {
    return runBundledAction({
      action: ACTION.name,
      eventName: 'schedule',
      payload: scheduleEvent(),
      inputs: { [ACTION.token]: TOKEN, [ACTION.artifactFile]: this.artifactFile, ...inputs },
      env: {
        GITHUB_API_URL: this.github.url,
        GITHUB_GRAPHQL_URL: `${this.github.url}/graphql`,
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: this.headSha,
        GITHUB_WORKSPACE: workspace,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '4343',
        ...env,
      },
    });
  }

  /** The artifact the propose job wrote; null when it wrote none. */
  artifact(): ProposeArtifact | null {
    if (!existsSync(this.artifactFile)) return null;
    return JSON.parse(readFileSync(this.artifactFile, 'utf8')) as ProposeArtifact;
  }

  /** The refactoring pull requests (every pull request of the repository: it has no other). */
  pullRequests(): PullRequestView[] {
    return this.github.pullRequests(OWNER, REPO);
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

/** The e2e `test` whose `start` gives a refactoring scenario, checked and closed after the test. */
export const refactorTest = scenarioTest(() => RefactorScenario.start());
