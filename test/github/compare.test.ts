import { describe, expect } from 'vitest';
import { startGitHubFake, type GitHubFake } from '../support/github-fake/index.ts';
import { gitHubTest } from '../support/github-world.ts';

/** compareCommits over the wire, against the fake's compare route and its seeded comparisons. */
const OWNER = 'acme';
const REPO = 'widgets';
const TOKEN = 't0k3n';
const it = gitHubTest({ token: TOKEN });

const sha = (c: string) => c.repeat(40);
const FILES = [
  { path: 'src/a.ts', additions: 2, deletions: 1, patch: '@@ -1 +1,2 @@\n-a\n+b\n+c' },
  {
    path: 'src/new-name.ts',
    previous_filename: 'src/old-name.ts',
    additions: 0,
    deletions: 0,
  },
  { path: 'logo.png', status: 'added' as const, additions: 0, deletions: 0, patch: null },
  {
    path: 'gone.ts',
    status: 'removed' as const,
    deletions: 3,
    patch: '@@ -1,3 +0,0 @@\n-x\n-y\n-z',
  },
];

/** A pull request of three commits, with the last two pushed after `reviewed` was reviewed. */
function pushedSinceReview(github: GitHubFake) {
  const [reviewed, second, head] = [sha('a'), sha('b'), sha('c')];
  github.addPullRequest({
    owner: OWNER,
    repo: REPO,
    commits: [{ sha: reviewed }, { sha: second }, { sha: head }],
    files: FILES,
  });
  return { reviewed, second, head };
}

/** GitHub's comparison of the reviewed SHA with the head: two commits ahead, FILES changed. */
function compareAhead(github: GitHubFake, reviewed: string, second: string, head: string) {
  github.setComparison(OWNER, REPO, reviewed, head, {
    status: 'ahead',
    aheadBy: 2,
    behindBy: 0,
    mergeBaseSha: reviewed,
    files: FILES,
    commits: [{ sha: second }, { sha: head }],
  });
}

async function rawCompare(fake: GitHubFake, basehead: string, query = '') {
  const response = await fetch(`${fake.url}/repos/${OWNER}/${REPO}/compare/${basehead}${query}`, {
    headers: { authorization: `token ${TOKEN}`, accept: 'application/vnd.github+json' },
  });
  return {
    status: response.status,
    link: response.headers.get('link'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('compareCommits', () => {
  it('reads the commits pushed since a reviewed SHA, files mapped like a pull request’s', async ({
    github: { fake: github, client },
  }) => {
    const { reviewed, second, head } = pushedSinceReview(github);
    compareAhead(github, reviewed, second, head);

    const comparison = await client.compareCommits(reviewed, head);

    expect(comparison).toEqual({
      status: 'ahead',
      aheadBy: 2,
      behindBy: 0,
      mergeBaseSha: reviewed,
      files: [
        {
          path: 'src/a.ts',
          previousPath: null,
          status: 'modified',
          additions: 2,
          deletions: 1,
          patch: '@@ -1 +1,2 @@\n-a\n+b\n+c',
        },
        {
          path: 'src/new-name.ts',
          previousPath: 'src/old-name.ts',
          status: 'renamed',
          additions: 0,
          deletions: 0,
          patch: null,
        },
        {
          path: 'logo.png',
          previousPath: null,
          status: 'added',
          additions: 0,
          deletions: 0,
          patch: null,
        },
        {
          path: 'gone.ts',
          previousPath: null,
          status: 'removed',
          additions: 0,
          deletions: 3,
          patch: '@@ -1,3 +0,0 @@\n-x\n-y\n-z',
        },
      ],
      filesTruncated: false,
    });
    // The same GitHub file objects, read through the pull request, come out the same.
    expect(comparison?.files).toEqual(await client.listPullRequestFiles(1));

    const compares = github.requests.filter((r) => r.path.includes('/compare/'));
    expect(compares.map((r) => [r.path, r.query])).toEqual([
      [`/repos/${OWNER}/${REPO}/compare/${reviewed}...${head}`, { per_page: '1' }],
    ]);
  });

  it('reads a diverged head against a branch, behind and ahead', async ({
    github: { fake: github, client },
  }) => {
    const { reviewed, head } = pushedSinceReview(github);
    github.setComparison(OWNER, REPO, 'main', head, {
      status: 'diverged',
      aheadBy: 3,
      behindBy: 5,
      mergeBaseSha: reviewed,
      files: [FILES[0]!],
    });
    expect(await client.compareCommits('main', head)).toMatchObject({
      status: 'diverged',
      aheadBy: 3,
      behindBy: 5,
      mergeBaseSha: reviewed,
      files: [{ path: 'src/a.ts' }],
    });
  });

  it('answers a commit compared with itself as identical, unseeded', async ({
    github: { fake: github, client },
  }) => {
    const { head } = pushedSinceReview(github);
    expect(await client.compareCommits(head, head)).toEqual({
      status: 'identical',
      aheadBy: 0,
      behindBy: 0,
      mergeBaseSha: head,
      files: [],
      filesTruncated: false,
    });
  });

  it('says the files may be cut short at GitHub’s 300, in one request', async ({
    github: { fake: github, client },
  }) => {
    const { reviewed, head } = pushedSinceReview(github);
    const many = Array.from({ length: 301 }, (_, i) => ({ path: `src/f${i}.ts`, additions: 1 }));
    github.setComparison(OWNER, REPO, reviewed, head, {
      status: 'ahead',
      aheadBy: 2,
      behindBy: 0,
      mergeBaseSha: reviewed,
      files: many,
    });

    const comparison = await client.compareCommits(reviewed, head);

    expect(comparison?.files).toHaveLength(300);
    expect(comparison?.files.at(-1)?.path).toBe('src/f299.ts');
    expect(comparison?.filesTruncated).toBe(true);
    // Paging walks commits, never files: a second page would bring none.
    expect(github.requests.filter((r) => r.path.includes('/compare/'))).toHaveLength(1);
  });

  it('does not call 299 files truncated', async ({ github: { fake: github, client } }) => {
    const { reviewed, head } = pushedSinceReview(github);
    const files = Array.from({ length: 299 }, (_, i) => ({ path: `src/f${i}.ts` }));
    github.setComparison(OWNER, REPO, reviewed, head, {
      status: 'ahead',
      aheadBy: 2,
      behindBy: 0,
      mergeBaseSha: reviewed,
      files,
    });
    const comparison = await client.compareCommits(reviewed, head);
    expect(comparison?.files).toHaveLength(299);
    expect(comparison?.filesTruncated).toBe(false);
  });

  it('answers null when GitHub no longer has the reviewed SHA (force-pushed away)', async ({
    github: { fake: github, client },
  }) => {
    const { head } = pushedSinceReview(github);
    const forcePushedAway = sha('d');

    expect(await client.compareCommits(forcePushedAway, head)).toBeNull();
    expect(github.requests.at(-1)?.status).toBe(404);
  });

  it('throws what is not a 404, naming a missing permission', async ({
    github: { fake: github, client },
  }) => {
    const { reviewed, head } = pushedSinceReview(github);
    github.denyPermission({
      method: 'GET',
      pathPattern: /\/compare\//,
      permission: 'contents=read',
    });
    await expect(client.compareCommits(reviewed, head)).rejects.toMatchObject({
      name: 'MissingPermissionError',
      permission: 'contents=read',
    });
  });
});

describe('the fake’s compare route', () => {
  it('answers an unknown SHA with GitHub’s 404 body, not as a test mistake', async ({
    github: { fake: github },
  }) => {
    const { head } = pushedSinceReview(github);
    const answer = await rawCompare(github, `${sha('d')}...${head}`);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/commits/commits#compare-two-commits',
      status: '404',
    });
    expect(github.unexpected).toEqual([]);
  });

  it('records an unseeded pair of known commits, or an unknown branch, as unexpected', async () => {
    // A fake of its own: the shared one must end the test with nothing unexpected.
    const fake = await startGitHubFake({ token: TOKEN });
    try {
      fake.addRepo({ owner: OWNER, repo: REPO });
      const [reviewed, head] = [sha('a'), sha('c')];
      fake.addPullRequest({
        owner: OWNER,
        repo: REPO,
        commits: [{ sha: reviewed }, { sha: head }],
      });
      expect((await rawCompare(fake, `${reviewed}...${head}`)).status).toBe(404);
      expect((await rawCompare(fake, `no-such-branch...${head}`)).status).toBe(404);
      expect((await rawCompare(fake, `${reviewed}..${head}`)).status).toBe(404);
      expect(fake.unexpected.map((u) => u.reason)).toEqual([
        `no comparison seeded for ${reviewed}...${head} in ${OWNER}/${REPO} (fake.setComparison)`,
        `unknown ref no-such-branch in ${OWNER}/${REPO}`,
        `compare takes BASE...HEAD, got ${reviewed}..${head}`,
      ]);
      expect(() => fake.assertNoUnexpected()).toThrow(/3 request\(s\)/);
    } finally {
      await fake.close();
    }
  });

  it('pages through commits and lists the files on the first page only', async ({
    github: { fake: github },
  }) => {
    const { reviewed, second, head } = pushedSinceReview(github);
    compareAhead(github, reviewed, second, head);

    const first = await rawCompare(github, `${reviewed}...${head}`, '?per_page=1');
    const next = await rawCompare(github, `${reviewed}...${head}`, '?per_page=1&page=2');

    expect(first.body).toMatchObject({
      status: 'ahead',
      ahead_by: 2,
      behind_by: 0,
      total_commits: 2,
      base_commit: { sha: reviewed },
      merge_base_commit: { sha: reviewed },
      commits: [{ sha: second }],
    });
    expect(first.body['files']).toHaveLength(FILES.length);
    expect((first.body['files'] as Record<string, unknown>[])[1]).toMatchObject({
      filename: 'src/new-name.ts',
      previous_filename: 'src/old-name.ts',
      status: 'renamed',
      changes: 0,
    });
    expect((first.body['files'] as Record<string, unknown>[])[2]).not.toHaveProperty('patch');
    expect(first.link).toContain('rel="next"');
    expect(next.body).toMatchObject({ commits: [{ sha: head }], files: [] });
  });
});
