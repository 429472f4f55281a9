import webhooks from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { startGitHubFake, type GitHubFake } from '../support/github-fake/index.ts';
import type {
  CommitSeed,
  FileSeed,
  PullRequestSeed,
  RequiredChecksSeed,
} from '../support/github-fake/types.ts';
import {
  LOCKFILE_PATH,
  renderLockfile,
  type LockFormat,
  type LockPackage,
} from '../support/lockfiles.ts';
import { startNpmRegistryFake, type NpmRegistryFake } from '../support/npm-registry-fake.ts';
import { githubPatch } from '../support/patch.ts';
import { runBundledAction, type ActionRun } from './action-runner.ts';

export const OWNER = 'acme';
export const REPO = 'widgets';
export const TOKEN = 'ghs_steward_test_token';
export const RUN_ID = '4242';
/** GITHUB_JOB of the job running the action: its own check run is named after it. */
export const JOB = 'auto-merge';
const DAY = 86_400_000;

export const BASE_MANIFEST = {
  name: 'widgets',
  version: '1.0.0',
  scripts: { test: 'vitest run' },
  dependencies: { lodash: '^4.17.20', zod: '^0.9.0' },
  devDependencies: { vitest: '^5.0.0' },
};

/** The base manifest with these dependencies (and other fields) changed. */
export function manifestWith(
  dependencies: Record<string, string>,
  extra: Record<string, unknown> = {},
): typeof BASE_MANIFEST {
  return {
    ...BASE_MANIFEST,
    ...extra,
    dependencies: { ...BASE_MANIFEST.dependencies, ...dependencies },
  };
}

export function manifestText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** What the lockfile holds before the update: the base manifest's packages, resolved. */
export const BASE_LOCK: LockPackage[] = [
  { name: 'lodash', version: '4.17.20', range: '^4.17.20', integrity: 'sha512-lodash20' },
  { name: 'zod', version: '0.9.0', range: '^0.9.0', integrity: 'sha512-zod090' },
  { name: 'vitest', version: '5.0.0', range: '^5.0.0', integrity: 'sha512-vitest500' },
];

/** The same lockfile once lodash is updated to 4.17.21, as Renovate writes it. */
export function lockWith(...changes: LockPackage[]): LockPackage[] {
  const byName = new Map(BASE_LOCK.map((p) => [p.name, p]));
  for (const change of changes) byName.set(change.name, change);
  return [...byName.values()];
}

export const LODASH_21: LockPackage = {
  name: 'lodash',
  version: '4.17.21',
  range: '^4.17.21',
  integrity: 'sha512-lodash21',
};

/** A lockfile change: generated in a format from packages, or texts written by hand. */
export type LockfileChange =
  | { format: LockFormat; before?: LockPackage[]; after: LockPackage[] }
  | { path: string; before: string; after: string; status?: FileSeed['status'] };

export interface ScenarioOptions {
  bot?: 'renovate[bot]' | 'dependabot[bot]';
  title?: string;
  body?: string;
  /** package.json at the head; the base is BASE_MANIFEST. */
  headManifest?: unknown;
  extraFiles?: FileSeed[];
  commits?: CommitSeed[];
  pr?: Partial<PullRequestSeed>;
  requiredChecks?: RequiredChecksSeed;
  config?: string;
  /** Every file the pull request changes, instead of package.json, the lockfile and extraFiles. */
  replaceFiles?: FileSeed[];
  /** The lockfile the update changes; an npm lockfileVersion 3 bumping lodash by default, null for none. */
  lockfile?: LockfileChange | null;
}

/**
 * One dependency-update pull request (number 17 unless `options.pr` says otherwise) on OWNER/REPO,
 * already on the fake: `main`'s config, manifest and required checks, the update's files and
 * commits, green checks on its head, and every version it names published ten days ago.
 */
export function seedUpdatePullRequest(
  github: GitHubFake,
  registry: NpmRegistryFake,
  options: ScenarioOptions = {},
): { number: number; headSha: string; bot: string } {
  const bot = options.bot ?? 'renovate[bot]';
  const headManifest = options.headManifest ?? {
    ...BASE_MANIFEST,
    dependencies: { ...BASE_MANIFEST.dependencies, lodash: '^4.17.21' },
  };
  const before = manifestText(BASE_MANIFEST);
  const after = manifestText(headManifest);

  const config =
    options.config ?? `auto-merge:\n  registry: ${registry.url}\n  minimum-release-age: 3 days\n`;
  github.setFileContents(OWNER, REPO, 'main', {
    '.github/steward.yml': config,
    'package.json': before,
  });
  github.setRequiredChecks(OWNER, REPO, 'main', options.requiredChecks ?? { classic: ['test'] });

  const lock = lockfileTexts(
    options.lockfile === undefined
      ? { format: 'npm-3', after: lockWith(LODASH_21) }
      : options.lockfile,
  );
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
    files: options.replaceFiles ?? [
      {
        path: 'package.json',
        status: 'modified',
        additions: 1,
        deletions: 1,
        patch: githubPatch(before, after),
      },
      ...(lock
        ? [
            {
              path: lock.path,
              status: lock.status,
              additions: 1,
              deletions: 1,
              patch: lock.status === 'removed' ? null : githubPatch(lock.before, lock.after),
            },
          ]
        : []),
      ...(options.extraFiles ?? []),
    ],
    ...options.pr,
  });
  const headSha = pr.headSha;
  github.setFileContents(OWNER, REPO, headSha, {
    'package.json': after,
    ...(lock && lock.status !== 'removed' ? { [lock.path]: lock.after } : {}),
  });
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
  for (const p of lock?.packages ?? [])
    registry.publish(p.name, p.version, new Date(Date.now() - 10 * DAY));
  return { number: pr.number, headSha, bot };
}

/** The pull_request payload from @octokit/webhooks-examples, pointed at a seeded pull request. */
export function updatePullRequestEvent(
  pull: { number: number; headSha: string; bot: string },
  action = 'opened',
  sender = pull.bot,
): { name: string; payload: Record<string, unknown> } {
  const example = structuredClone(findExample('pull_request', action));
  const pr = example.pull_request as Record<string, unknown>;
  pr.number = pull.number;
  (pr.head as Record<string, unknown>).sha = pull.headSha;
  (pr.user as Record<string, unknown>).login = pull.bot;
  example.number = pull.number;
  example.repository = {
    ...(example.repository as object),
    name: REPO,
    full_name: `${OWNER}/${REPO}`,
    owner: { login: OWNER },
  };
  example.sender = { login: sender, type: sender.endsWith('[bot]') ? 'Bot' : 'User' };
  return { name: 'pull_request', payload: example };
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
    github.addRepo({ owner: OWNER, repo: REPO, defaultBranch: 'main', allowAutoMerge: true });
    const pr = seedUpdatePullRequest(github, registry, options);
    return new AutoMergeScenario(github, registry, pr.number, pr.headSha, pr.bot);
  }

  /** The pull_request payload from @octokit/webhooks-examples, pointed at this pull request. */
  pullRequestEvent(
    action = 'opened',
    sender = this.bot,
  ): { name: string; payload: Record<string, unknown> } {
    return updatePullRequestEvent(this, action, sender);
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
        GITHUB_JOB: JOB,
        ...extra.env,
      },
    });
  }

  /** Every merge call the action made, whether or not GitHub merged. */
  mergeAttempts() {
    return this.github.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/merge'));
  }

  assertNoUnexpected(): void {
    this.github.assertNoUnexpected();
  }

  async close(): Promise<void> {
    await Promise.all([this.github.close(), this.registry.close()]);
  }
}

function lockfileTexts(change: LockfileChange | null) {
  if (change === null) return null;
  if ('path' in change) return { status: 'modified' as const, packages: [], ...change };
  return {
    path: LOCKFILE_PATH[change.format],
    status: 'modified' as const,
    before: renderLockfile(change.format, change.before ?? BASE_LOCK),
    after: renderLockfile(change.format, change.after),
    packages: change.after,
  };
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
