import { test } from 'vitest';
import { createActionsOctokit } from '../../src/github/actions-octokit.ts';
import type { GitHubClient } from '../../src/github/client.ts';
import { createGitHubClient } from '../../src/github/octokit-client.ts';
import type { GitHubClientOptions } from '../../src/github/octokit-client.ts';
import { startGitHubFake, type GitHubFake, type GitHubFakeOptions } from './github-fake/index.ts';

/** One repository on the GitHub fake, and the client the actions build for it, over the wire. */
export interface GitHubWorld {
  fake: GitHubFake;
  client: GitHubClient;
  octokit: ReturnType<typeof createActionsOctokit>;
  owner: string;
  repo: string;
  token: string;
}

export interface GitHubWorldOptions extends GitHubFakeOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  /** Where the client's warnings go (default: dropped). */
  warn?: (message: string) => void;
  /** Per-request deadline of the Octokit (the actions' 60 s unless given). */
  timeoutMs?: number;
  /** The account the client acts as, when the face knows it (as the app does); else asked once. */
  ownAccount?: GitHubClientOptions['ownAccount'];
}

/**
 * A vitest `test` whose `github` fixture starts the fake with one repository, builds the client the
 * way the actions do, and in its teardown fails the test if the fake received any request it was
 * not set up for. Tests cannot forget the check: it runs after every test that uses the fixture.
 *
 *   const it = gitHubTest({ botLogin: 'steward[bot]' });
 *   it('lists files', async ({ github }) => { ... github.client ... github.fake ... });
 */
export function gitHubTest(options: GitHubWorldOptions = {}) {
  return test.extend<{ github: GitHubWorld }>({
    // eslint-disable-next-line no-empty-pattern -- vitest reads the fixture's dependencies from this pattern
    github: async ({}, use) => inGitHubWorld(options, use),
  });
}

/**
 * The fixture's life cycle, for a body of its own: starts the world, runs `body` in it, then
 * throws if the fake received a request it was not set up for (even one the code under test
 * caught and shrugged off as a 404), and closes the fake whatever happened.
 */
export async function inGitHubWorld(
  options: GitHubWorldOptions,
  body: (world: GitHubWorld) => Promise<void>,
): Promise<void> {
  const world = await startGitHubWorld(options);
  try {
    await body(world);
    world.fake.assertNoUnexpected();
  } finally {
    await world.fake.close();
  }
}

/** The same world without the fixture, for set-ups that need more than one (call `close` yourself). */
export async function startGitHubWorld(options: GitHubWorldOptions = {}): Promise<GitHubWorld> {
  const token = options.token ?? 't0k3n';
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'widgets';
  const fake = await startGitHubFake({ ...options, token });
  fake.addRepo({ owner, repo, defaultBranch: options.defaultBranch ?? 'main' });
  const octokit = createActionsOctokit({
    token,
    baseUrl: fake.url,
    warn: options.warn ?? (() => {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const client = createGitHubClient(
    octokit,
    { owner, repo },
    options.ownAccount === undefined ? {} : { ownAccount: options.ownAccount },
  );
  return { fake, client, octokit, owner, repo, token };
}
