import webhooks from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { startGitHubFake, type GitHubFake } from '../support/github-fake/index.ts';
import type { CommitSeed, FileSeed, PullRequestSeed } from '../support/github-fake/types.ts';
import { startNpmRegistryFake, type NpmRegistryFake } from '../support/npm-registry-fake.ts';
import { githubPatch } from '../support/patch.ts';
import { runBundledAction, type ActionRun } from './action-runner.ts';

export const OWNER = 'acme';
export const REPO = 'widgets';
export const TOKEN = 'ghs_steward_test_token';
export const RUN_ID = '4242';
const DAY = 86_400_000;

export const BASE_MANIFEST = {
  name: 'widgets',
  version: '1.0.0',
  scripts: { test: 'vitest run' },
  dependencies: { lodash: '^4.17.20', zod: '^0.9.0' },
  devDependencies: { vitest: '^5.0.0' },
};

export function manifestText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

const LOCK_PATCH = [
  '@@ -10,3 +10,3 @@',
  '     "node_modules/lodash": {',
  '-      "version": "4.17.20",',
  '-      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz",',
  '+      "version": "4.17.21",',
  '+      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",',
].join('\n');

export interface ScenarioOptions {
  bot?: 'renovate[bot]' | 'dependabot[bot]';
  title?: string;
  body?: string;
  /** package.json at the head; the base is BASE_MANIFEST. */
  headManifest?: unknown;
  extraFiles?: FileSeed[];
  commits?: CommitSeed[];
  pr?: Partial<PullRequestSeed>;
  requiredChecks?: { classic?: string[]; rulesets?: string[] };
  config?: string;
}

/** A repository with one dependency-update pull request, as Renovate or Dependabot opens it. */
export class AutoMergeScenario {
  readonly github: GitHubFake;
  readonly registry: NpmRegistryFake;
  readonly number: number;
  readonly headSha: string;
  readonly bot: string;

  private constructor(
    github: GitHubFake,
    registry: NpmRegistryFake,
    number: number,
    headSha: string,
    bot: string,
  ) {
    this.github = github;
    this.registry = registry;
    this.number = number;
    this.headSha = headSha;
    this.bot = bot;
  }

  static async start(options: ScenarioOptions = {}): Promise<AutoMergeScenario> {
    const github = await startGitHubFake({ token: TOKEN });
    const registry = await startNpmRegistryFake();
    const bot = options.bot ?? 'renovate[bot]';
    const headManifest = options.headManifest ?? {
      ...BASE_MANIFEST,
      dependencies: { ...BASE_MANIFEST.dependencies, lodash: '^4.17.21' },
    };
    const before = manifestText(BASE_MANIFEST);
    const after = manifestText(headManifest);

    github.addRepo({ owner: OWNER, repo: REPO, defaultBranch: 'main', allowAutoMerge: true });
    const config =
      options.config ?? `auto-merge:\n  registry: ${registry.url}\n  minimum-release-age: 3 days\n`;
    github.setFileContents(OWNER, REPO, 'main', {
      '.github/steward.yml': config,
      'package.json': before,
    });
    github.setRequiredChecks(OWNER, REPO, 'main', options.requiredChecks ?? { classic: ['test'] });

    const commits = options.commits ?? [
      botCommit(bot, 'chore(deps): update dependency lodash to v4.17.21'),
    ];
    const pr = github.addPullRequest({
      owner: OWNER,
      repo: REPO,
      number: 17,
      title: options.title ?? 'chore(deps): update dependency lodash to v4.17.21',
      body: options.body ?? '',
      author: { login: bot, type: 'Bot' },
      headRefName: 'renovate/lodash-4.x',
      baseRefName: 'main',
      mergeable: 'MERGEABLE',
      commits,
      files: [
        {
          path: 'package.json',
          status: 'modified',
          additions: 1,
          deletions: 1,
          patch: githubPatch(before, after),
        },
        {
          path: 'package-lock.json',
          status: 'modified',
          additions: 2,
          deletions: 2,
          patch: LOCK_PATCH,
        },
        ...(options.extraFiles ?? []),
      ],
      ...options.pr,
    });
    const headSha = pr.headSha;
    github.setFileContents(OWNER, REPO, headSha, { 'package.json': after });
    github.addCheckRun(OWNER, REPO, headSha, {
      name: 'test',
      status: 'completed',
      conclusion: 'success',
    });
    github.addCheckRun(OWNER, REPO, headSha, {
      name: 'lint',
      status: 'completed',
      conclusion: 'success',
    });
    for (const [name, deps] of Object.entries({
      ...(headManifest as typeof BASE_MANIFEST).dependencies,
      ...(headManifest as typeof BASE_MANIFEST).devDependencies,
    })) {
      const version = /\d+\.\d+\.\d+/.exec(deps)?.[0];
      if (version) registry.publish(name, version, new Date(Date.now() - 10 * DAY));
    }
    return new AutoMergeScenario(github, registry, pr.number, headSha, bot);
  }

  /** The pull_request payload from @octokit/webhooks-examples, pointed at this pull request. */
  pullRequestEvent(
    action = 'opened',
    sender = this.bot,
  ): { name: string; payload: Record<string, unknown> } {
    const example = structuredClone(findExample('pull_request', action));
    const pr = example.pull_request as Record<string, unknown>;
    pr.number = this.number;
    (pr.head as Record<string, unknown>).sha = this.headSha;
    (pr.user as Record<string, unknown>).login = this.bot;
    example.number = this.number;
    example.repository = {
      ...(example.repository as object),
      name: REPO,
      full_name: `${OWNER}/${REPO}`,
      owner: { login: OWNER },
    };
    example.sender = { login: sender, type: sender.endsWith('[bot]') ? 'Bot' : 'User' };
    return { name: 'pull_request', payload: example };
  }

  /** A status or check_suite event that names only the commit. */
  commitEvent(name: 'status' | 'check_suite'): { name: string; payload: Record<string, unknown> } {
    const example = structuredClone(findExample(name, name === 'status' ? '' : 'completed'));
    if (name === 'status') example.sha = this.headSha;
    else
      example.check_suite = {
        ...(example.check_suite as object),
        head_sha: this.headSha,
        pull_requests: [],
      };
    return { name, payload: example };
  }

  run(
    event = this.pullRequestEvent(),
    extra: { inputs?: Record<string, string>; env?: Record<string, string> } = {},
  ): Promise<ActionRun> {
    return runBundledAction({
      action: 'auto-merge',
      eventName: event.name,
      payload: event.payload,
      inputs: { 'github-token': TOKEN, 'dry-run': 'false', ...extra.inputs },
      env: {
        GITHUB_API_URL: this.github.url,
        GITHUB_GRAPHQL_URL: `${this.github.url}/graphql`,
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_ACTOR: this.bot,
        GITHUB_RUN_ID: RUN_ID,
        ...extra.env,
      },
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.github.close(), this.registry.close()]);
  }
}

export function botCommit(bot: string, message: string, sha?: string): CommitSeed {
  return {
    ...(sha ? { sha } : {}),
    message,
    author: { login: bot, type: 'Bot' },
    committer: { login: 'web-flow', type: 'User' },
    verification: { verified: true, reason: 'valid' },
  };
}

export function findExample(name: string, action: string): Record<string, unknown> {
  const event = (webhooks as { name: string; examples: Record<string, unknown>[] }[]).find(
    (e) => e.name === name,
  );
  const example = event?.examples.find((e) => (e.action ?? '') === action) ?? event?.examples[0];
  if (!example) throw new Error(`@octokit/webhooks-examples has no ${name} example`);
  return example;
}
