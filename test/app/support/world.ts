import { afterAll, beforeAll } from 'vitest';
import { startGitHubFake } from '../../support/github-fake/index.ts';
import type { GitHubFake, PermissionLevel } from '../../support/github-fake/index.ts';
import { githubPatch } from '../../support/patch.ts';
import { startAppProcess } from './app-process.ts';
import type { AppProcess } from './app-process.ts';
import { commentPayload, pullRequestPayload } from './payloads.ts';
import type { RepoTarget } from './payloads.ts';

/**
 * One GitHub fake and one app process for a test file, and a repository per scenario. Each
 * scenario is its own installation, as each repository of an organisation-wide install would be
 * in separate organisations, so the app throttles them apart and scenarios run side by side.
 */
export interface World {
  github: GitHubFake;
  app: AppProcess;
  scenario(options?: ScenarioOptions): Scenario;
  close(): Promise<void>;
}

export interface ScenarioOptions {
  owner?: string;
  /** Text of `.github/steward.yml` on the default branch; none when absent. */
  config?: string;
  /** Seeds the owner's `.github` repository (where an organisation's config lives). */
  orgConfig?: Record<string, string> | null;
  draft?: boolean;
  fork?: boolean;
  /** The people and their permission on the repository. */
  people?: Record<string, PermissionLevel>;
}

const BOT = 'steward-app[bot]';
const INSTALLATIONS = 40;

/** A new file with one tangled function: the offline review has a health finding to post. */
export const TANGLED = `export function route(kind: string, n: number): number {
  if (kind === 'a' && n > 1 && n < 10) return 1;
  if (kind === 'b') { for (let i = 0; i < n; i++) { if (i % 2) { if (i > 3) { if (n > 7) return i; } } } }
  switch (kind) { case 'c': return 3; case 'd': return 4; case 'e': return 5; case 'f': return 6; }
  if (kind === 'h' || (kind === 'i' && n > 2) || (kind === 'j' && n < 0)) return 10;
  return kind === 'g' ? 7 : n > 0 ? 8 : 9;
}
`;

export async function startWorld(env: Record<string, string> = {}): Promise<World> {
  const ids = Array.from({ length: INSTALLATIONS }, (_, i) => i + 2);
  const github = await startGitHubFake({
    botLogin: BOT,
    installationId: 1,
    moreInstallationIds: ids,
  });
  const app = await startAppProcess({ GHE_HOST: github.host, ...env });
  let next = 0;
  const orgs = new Set<string>();
  return {
    github,
    app,
    scenario(options = {}) {
      const owner = options.owner ?? 'acme';
      const installationId = ids[next % ids.length]!;
      const repo = `repo-${++next}`;
      github.addRepo({ owner, repo, defaultBranch: 'main' });
      if (!orgs.has(owner)) {
        orgs.add(owner);
        github.addRepo({ owner, repo: '.github', defaultBranch: 'main' });
      }
      if (options.orgConfig) github.setFileContents(owner, '.github', 'main', options.orgConfig);
      if (options.config !== undefined)
        github.setFileContents(owner, repo, 'main', { '.github/steward.yml': options.config });
      for (const [login, level] of Object.entries(options.people ?? {}))
        github.setPermission(owner, repo, login, level);
      const headSha = 'a'.repeat(30) + String(next).padStart(10, '0');
      const route = {
        path: 'src/route.ts',
        status: 'added' as const,
        additions: TANGLED.split('\n').length - 1,
        patch: githubPatch('', TANGLED),
      };
      const pr = github.addPullRequest({
        owner,
        repo,
        isDraft: options.draft ?? false,
        isCrossRepository: options.fork ?? false,
        headSha,
        files: [route],
      });
      github.setFileContents(owner, repo, headSha, { 'src/route.ts': TANGLED });
      // What GitHub answers for main...head, read for the merge base the review names.
      github.setComparison(owner, repo, 'main', headSha, {
        status: 'ahead',
        aheadBy: 1,
        behindBy: 0,
        mergeBaseSha: 'main',
        files: [route],
      });
      return new Scenario(this as World, { owner, repo, installationId }, pr.number, headSha, {
        draft: options.draft ?? false,
        fork: options.fork ?? false,
      });
    },
    async close() {
      await app.stop();
      await github.close();
    },
  };
}

export class Scenario {
  readonly world: World;
  readonly target: RepoTarget;
  readonly number: number;
  readonly headSha: string;
  readonly shape: { draft: boolean; fork: boolean };

  constructor(
    world: World,
    target: RepoTarget,
    number: number,
    headSha: string,
    shape: { draft: boolean; fork: boolean },
  ) {
    this.world = world;
    this.target = target;
    this.number = number;
    this.headSha = headSha;
    this.shape = shape;
  }

  get owner(): string {
    return this.target.owner;
  }
  get repo(): string {
    return this.target.repo;
  }

  /** A comment as a person writes it: it exists on GitHub, then its webhook arrives. */
  async comment(
    login: string,
    body: string,
    extra: {
      type?: 'User' | 'Bot';
      action?: 'created' | 'edited';
      delivery?: string;
      /** False: the payload says the comment is on an issue (the fake keeps it on the pull request's number). */
      onPullRequest?: boolean;
    } = {},
  ) {
    const { github, app } = this.world;
    const user = { login, type: extra.type ?? 'User' } as const;
    const comment = github.addComment(this.owner, this.repo, this.number, body, user);
    const payload = commentPayload(this.target, {
      id: comment.id,
      issueNumber: this.number,
      body,
      login,
      type: user.type,
      action: extra.action ?? 'created',
      onPullRequest: extra.onPullRequest ?? true,
    });
    const sent = await app.send(
      'issue_comment',
      payload,
      extra.delivery === undefined ? {} : { delivery: extra.delivery },
    );
    return { comment, payload, sent };
  }

  pullRequestEvent(action = 'opened', delivery?: string) {
    const payload = pullRequestPayload(this.target, {
      number: this.number,
      headSha: this.headSha,
      action,
      ...this.shape,
    });
    return this.world.app.send('pull_request', payload, delivery ? { delivery } : {});
  }

  /** The comments Steward (the bot) wrote on the pull request. */
  botComments() {
    return this.world.github
      .comments(this.owner, this.repo, this.number)
      .filter((c) => c.user.login === this.world.github.botLogin);
  }

  reactions(commentId: number): string[] {
    return this.world.github.reactions(this.owner, this.repo, commentId).map((r) => r.content);
  }

  /** Requests the app made for this repository. */
  requests() {
    return this.world.github.requests.filter((r) =>
      r.path.startsWith(`/repos/${this.owner}/${this.repo}/`),
    );
  }
}

/**
 * The test file's world: started before its first test; after its last, the file fails on any
 * request the GitHub fake was not set up for, and the world is closed. Tests use the returned
 * world as soon as it runs (inside tests and hooks), never at import.
 */
export function sharedWorld(env: Record<string, string> = {}): World {
  let started: World | undefined;
  beforeAll(async () => {
    started = await startWorld(env);
  });
  afterAll(async () => {
    if (!started) return;
    try {
      started.github.assertNoUnexpected();
    } finally {
      await started.close();
    }
  });
  const current = (): World => {
    if (!started) throw new Error('the world is used before beforeAll started it');
    return started;
  };
  return {
    get github() {
      return current().github;
    },
    get app() {
      return current().app;
    },
    scenario: (options) => current().scenario(options),
    close: () => current().close(),
  };
}
