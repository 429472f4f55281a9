import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubFake, type GitHubFake } from '../support/github-fake/index.ts';
import type { FileSeed, ReviewCommentView } from '../support/github-fake/types.ts';
import { GitRepo } from '../support/git-repo.ts';
import { githubPatch } from '../support/patch.ts';
import { createFixture, MATH_TEST_TS, MATH_TS, type Fixture } from '../stryker/fixture.ts';
import { runBundledAction, type ActionRun } from './action-runner.ts';
import { NUMBER, OWNER, pullRequestEvent, REPO } from './review-scenario.ts';
import { scenarioTest } from './scenario-test.ts';

export const TOKEN = 'ghs_steward_mutation_token';

/**
 * main before the pull request: line 2 `b + a` becomes `a + b` (its mutants are killed), line 6
 * gains an arid console.log (its mutants are never reported), line 7 `age > 17` becomes
 * `age >= 18` (its `age > 18` mutant survives: no test at 18). Lines 10-12 do not change.
 */
export const BASE_MATH_TS = MATH_TS.replace('return a + b;', 'return b + a;')
  .replace("  console.log('checking age', age > 100 ? 'old' : 'young');\n", '')
  .replace('age >= 18', 'age > 17');

/** The test that kills the survivor. */
export const MATH_TEST_AT_18 = MATH_TEST_TS.replace(
  '  expect(isAdult(5)).toBe(false);',
  '  expect(isAdult(5)).toBe(false);\n  expect(isAdult(18)).toBe(true);',
);

export interface MutationSeed {
  /** `.github/steward.yml` on main. */
  config?: string;
  /** The head lives in a fork. */
  isCrossRepository?: boolean;
}

/**
 * A real git checkout of a real vitest project (node_modules linked to this worktree's, so the
 * real Stryker 10 and vitest runner run) with the pull request's commit on `feature`, and the
 * GitHub fake holding the same pull request, its diff and main's config.
 */
export class MutationScenario {
  readonly github: GitHubFake;
  readonly repo: GitRepo;
  readonly baseSha: string;
  headSha: string;
  private readonly fixture: Fixture;
  private readonly temps: string[] = [];

  private constructor(github: GitHubFake, fixture: Fixture, repo: GitRepo, baseSha: string) {
    this.github = github;
    this.fixture = fixture;
    this.repo = repo;
    this.baseSha = baseSha;
    this.headSha = repo.git('rev-parse', 'HEAD').trim();
  }

  static async start(seed: MutationSeed = {}): Promise<MutationScenario> {
    const fixture = createFixture({
      files: {
        'src/math.ts': BASE_MATH_TS,
        '.gitignore': 'node_modules\n.stryker-tmp\nreports\n.steward\n',
      },
    });
    const repo = new GitRepo(fixture.root);
    const baseSha = repo.commit('math');
    repo.git('switch', '-q', '-c', 'feature');
    repo.write('src/math.ts', MATH_TS).commit('adults from 18, log the check');
    const github = await startGitHubFake({ token: TOKEN });
    github.addRepo({ owner: OWNER, repo: REPO, defaultBranch: 'main' });
    github.setFileContents(OWNER, REPO, 'main', {
      '.github/steward.yml': seed.config ?? 'mutation:\n  fail-on-survivors: true\n',
    });
    const scenario = new MutationScenario(github, fixture, repo, baseSha);
    github.addPullRequest({
      owner: OWNER,
      repo: REPO,
      number: NUMBER,
      title: 'Adults from 18',
      author: { login: 'octocat', type: 'User' },
      headRefName: 'feature',
      baseRefName: 'main',
      isCrossRepository: seed.isCrossRepository ?? false,
      headSha: scenario.headSha,
      files: scenario.files(),
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
      const before = this.repo.git('show', `${this.baseSha}:${path}`);
      const after = readFileSync(join(this.repo.dir, path), 'utf8');
      const patch = githubPatch(before, after);
      return {
        path,
        status: 'modified',
        additions: patch.split('\n').filter((l) => l.startsWith('+')).length,
        deletions: patch.split('\n').filter((l) => l.startsWith('-')).length,
        patch,
      };
    });
  }

  /** Commits in the checkout and pushes the commit to the pull request. */
  push(files: Record<string, string>, message: string): string {
    for (const [path, text] of Object.entries(files)) this.repo.write(path, text);
    this.headSha = this.repo.commit(message);
    const pr = this.github.pullRequest(OWNER, REPO, NUMBER);
    pr.pushCommit({ sha: this.headSha });
    pr.update({ files: this.files() });
    return this.headSha;
  }

  /** GitHub's `base...head` comparison, which the merge job reads instead of a checkout. */
  seedComparison(): void {
    this.github.setComparison(OWNER, REPO, this.baseSha, this.headSha, {
      status: 'ahead',
      aheadBy: 1,
      behindBy: 0,
      mergeBaseSha: this.baseSha,
      files: this.files(),
    });
  }

  event(): { name: string; payload: Record<string, unknown> } {
    const event = pullRequestEvent(this.headSha);
    (event.payload.pull_request as { base: { sha: string } }).base.sha = this.baseSha;
    return event;
  }

  /** The bundled action, run as the runner runs it after checkout and install, in `workspace`. */
  run(options: { inputs?: Record<string, string>; workspace?: string } = {}): Promise<ActionRun> {
    return this.runEvent(this.event(), options);
  }

  /** The bundled action on another event than the pull_request the scenario sends. */
  runEvent(
    event: { name: string; payload: unknown },
    options: { inputs?: Record<string, string>; workspace?: string } = {},
  ): Promise<ActionRun> {
    return runBundledAction({
      action: 'mutation-report',
      eventName: event.name,
      payload: event.payload,
      inputs: { 'github-token': TOKEN, ...options.inputs },
      env: {
        GITHUB_API_URL: this.github.url,
        GITHUB_GRAPHQL_URL: `${this.github.url}/graphql`,
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_WORKSPACE: options.workspace ?? this.repo.dir,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '4242',
      },
    });
  }

  /** An empty workspace holding copies of the given report directories, one folder each: what download-artifact leaves. */
  artifactsWorkspace(reportDirs: readonly string[]): string {
    const workspace = mkdtempSync(join(tmpdir(), 'steward-merge-job-'));
    this.temps.push(workspace);
    reportDirs.forEach((dir, i) =>
      cpSync(dir, join(workspace, '.steward', 'shards', `mutation-shard-${i + 1}`), {
        recursive: true,
      }),
    );
    return workspace;
  }

  /** A copy of a report directory, before the next run in the checkout overwrites it. */
  keep(dir: string): string {
    const copy = mkdtempSync(join(tmpdir(), 'steward-shard-artifact-'));
    this.temps.push(copy);
    cpSync(dir, copy, { recursive: true });
    return copy;
  }

  comments(): ReviewCommentView[] {
    return this.github.reviewComments(OWNER, REPO, NUMBER);
  }

  summary(): string | undefined {
    return this.github
      .comments(OWNER, REPO, NUMBER)
      .find((c) => c.body.startsWith('<!-- steward:mutation -->'))?.body;
  }

  /** GitHub writes since request `from` (an index into the fake's request log). */
  writesSince(from: number): string[] {
    return this.github.requests
      .slice(from)
      .filter(
        (r) =>
          r.method !== 'GET' &&
          !(r.path === '/graphql' && !/mutation/.test(r.graphql?.document ?? '')),
      )
      .map((r) => `${r.method} ${r.path}`);
  }

  assertNoUnexpected(): void {
    this.github.assertNoUnexpected();
  }

  async close(): Promise<void> {
    await this.github.close();
    this.fixture.cleanup();
    for (const dir of this.temps) rmSync(dir, { recursive: true, force: true });
  }
}

/** The e2e `test` whose `start` gives a mutation scenario, checked and closed after the test. */
export const mutationTest = scenarioTest((seed?: MutationSeed) => MutationScenario.start(seed));
