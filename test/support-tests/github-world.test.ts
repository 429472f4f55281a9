import { describe, expect } from 'vitest';
import { gitHubTest, inGitHubWorld } from '../support/github-world.ts';

/**
 * The fixture enforces itself: a request the fake was not set up for fails the test in the
 * fixture's teardown, even when the code under test swallowed GitHub's 404, so no test file has
 * to remember the check.
 */
const it = gitHubTest({ owner: 'acme', repo: 'widgets' });

/** A request the fake has no route for; the 404 it answers is swallowed, as careless code would. */
async function swallowedStrayRequest(request: (route: string) => Promise<unknown>) {
  const status = await request('GET /orgs/acme/repos').then(
    () => 200,
    (error: unknown) => (error as { status?: number }).status,
  );
  expect(status).toBe(404);
}

describe('gitHubTest', () => {
  it('builds the actions’ client for the one repository it seeds', async ({ github }) => {
    const { number } = github.fake.addPullRequest({
      owner: 'acme',
      repo: 'widgets',
      files: [{ path: 'src/a.ts', patch: '@@ -1 +1 @@\n-a\n+b', additions: 1, deletions: 1 }],
    });
    const files = await github.client.listPullRequestFiles(number);
    expect(files.map((f) => f.path)).toEqual(['src/a.ts']);
    expect(github.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/acme/widgets/pulls/${number}/files`,
    ]);
  });

  it.fails(
    'fails a test whose code made a request the fake was not set up for',
    async ({ github }) => {
      await swallowedStrayRequest((route) => github.octokit.request(route));
    },
  );
});

describe('inGitHubWorld, the fixture’s life cycle', () => {
  it('throws after the body, naming the stray request, and closes the fake', async () => {
    let url = '';
    await expect(
      inGitHubWorld({}, async (world) => {
        url = world.fake.url;
        await swallowedStrayRequest((route) => world.octokit.request(route));
      }),
    ).rejects.toThrow(
      /GitHub fake received 1 request\(s\) it was not set up for:\n {2}- GET \/orgs\/acme\/repos/,
    );
    await expect(fetch(url)).rejects.toThrow();
  });

  it('passes a body that made only the requests it set up', async () => {
    await inGitHubWorld({}, async (world) => {
      const { number } = world.fake.addPullRequest({ owner: 'acme', repo: 'widgets' });
      await world.client.listPullRequestCommits(number);
    });
  });
});
