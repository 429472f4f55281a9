import { describe, expect } from 'vitest';
import { MissingPermissionError } from '../../src/github/errors.ts';
import { fail } from '../support/github-fake/http.ts';
import type { Actor } from '../support/github-fake/index.ts';
import { gitHubTest } from '../support/github-world.ts';

/**
 * The issue, deployment and history methods incidents use, through the client as the actions build
 * it (@actions/github with retry and throttling), over the wire to the GitHub fake.
 */
const OWNER = 'acme';
const REPO = 'widgets';

const it = gitHubTest();
/** The client as the app builds it: the App's bot account is known from `GET /app`. */
const asApp = gitHubTest({
  botLogin: 'steward-app[bot]',
  ownAccount: { login: 'steward-app[bot]', databaseId: null },
});

const BOT: Actor = { login: 'github-actions[bot]', type: 'Bot' };
const PERSON: Actor = { login: 'alice', type: 'User' };

describe('issues', () => {
  it('creates, reads, edits, closes and reopens an issue', async ({
    github: { fake: github, client },
  }) => {
    const created = await client.createIssue({
      title: 'Incident: api down',
      body: '<!-- steward:incident key=abc -->\nbody',
      labels: ['incident', 'severity:critical'],
    });
    expect(created.url).toBe(`https://github.com/${OWNER}/${REPO}/issues/${created.number}`);
    expect(github.issue(OWNER, REPO, created.number)).toMatchObject({
      author: BOT,
      labels: ['incident', 'severity:critical'],
      state: 'open',
    });

    const read = await client.getIssue(created.number);
    expect(read).toMatchObject({
      number: created.number,
      url: created.url,
      title: 'Incident: api down',
      body: '<!-- steward:incident key=abc -->\nbody',
      state: 'open',
      labels: ['incident', 'severity:critical'],
      ours: true,
      closedAt: null,
      assignees: [],
    });
    expect(Date.parse(read!.createdAt)).not.toBeNaN();

    await client.updateIssue({ number: created.number, title: 'Incident: api down (resolved)' });
    await client.updateIssue({ number: created.number, state: 'closed', stateReason: 'completed' });
    const closed = await client.getIssue(created.number);
    expect(closed).toMatchObject({ title: 'Incident: api down (resolved)', state: 'closed' });
    expect(closed!.closedAt).not.toBeNull();
    expect(github.issue(OWNER, REPO, created.number).stateReason).toBe('completed');

    await client.updateIssue({
      number: created.number,
      body: 'again',
      state: 'open',
      stateReason: 'reopened',
    });
    expect(await client.getIssue(created.number)).toMatchObject({
      state: 'open',
      body: 'again',
      closedAt: null,
    });
    expect(github.issue(OWNER, REPO, created.number).events.map((e) => e.event)).toEqual([
      'labeled',
      'labeled',
      'closed',
      'reopened',
    ]);
  });

  it('numbers issues and pull requests in one sequence', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    const issue = await client.createIssue({ title: 't', body: 'b', labels: [] });
    const next = github.addPullRequest({ owner: OWNER, repo: REPO });
    expect([pr.number, issue.number, next.number]).toEqual([1, 2, 3]);
  });

  it('reads no pull request, and no missing issue, as an issue', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    expect(await client.getIssue(pr.number)).toBeNull();
    expect(await client.getIssue(99)).toBeNull();
  });

  it('reads an issue someone else opened as not ours', async ({
    github: { fake: github, client },
  }) => {
    const theirs = github.addIssue(OWNER, REPO, {
      title: 'Incident: forged',
      body: '<!-- steward:incident key=abc -->',
      labels: ['incident'],
      author: PERSON,
      assignees: [PERSON],
    });
    expect(await client.getIssue(theirs.number)).toMatchObject({
      ours: false,
      assignees: ['alice'],
      labels: ['incident'],
    });
  });

  it('reads an issue transferred to another repository as none', async ({
    github: { fake: github, client },
  }) => {
    const issue = github.addIssue(OWNER, REPO, { author: BOT, labels: ['incident'] });
    // Octokit follows GitHub's 301 to the new home: the answer is another repository's issue.
    const moved = (item: object) => ({
      ...item,
      repository_url: `${github.url}/repos/${OWNER}/elsewhere`,
    });
    github.driftAnswers({
      method: 'GET',
      pathPattern: /\/issues(\/\d+)?$/,
      reshape: (body) => (Array.isArray(body) ? body.map(moved) : moved(body as object)),
    });
    expect(await client.getIssue(issue.number)).toBeNull();
    expect(await client.listOurIssues('incident')).toEqual([]);
  });

  it('reads an issue GitHub says was deleted (410) as none', async ({
    github: { fake: github, client },
  }) => {
    const issue = github.addIssue(OWNER, REPO);
    github.beforeRequest((req) => {
      if (req.method === 'GET' && req.path.endsWith(`/issues/${issue.number}`))
        throw fail(410, 'This issue was deleted');
    });
    expect(await client.getIssue(issue.number)).toBeNull();
  });

  it('names the permission when the token may not write issues', async ({
    github: { fake: github, client },
  }) => {
    const issue = github.addIssue(OWNER, REPO, { author: BOT });
    github.denyPermission({ method: 'POST', pathPattern: /\/issues$/, permission: 'issues=write' });
    github.denyPermission({
      method: 'PATCH',
      pathPattern: /\/issues\/\d+$/,
      permission: 'issues=write',
    });
    github.denyPermission({
      method: 'POST',
      pathPattern: /\/issues\/\d+\/comments$/,
      permission: 'issues=write',
    });
    const denied = (promise: Promise<unknown>) =>
      expect(promise).rejects.toSatisfy(
        (e) => e instanceof MissingPermissionError && /issues: write/.test(e.message),
      );
    await denied(client.createIssue({ title: 't', body: 'b', labels: [] }));
    await denied(client.updateIssue({ number: issue.number, state: 'closed' }));
    await denied(client.createIssueComment(issue.number, 'hi'));
    expect(github.issues(OWNER, REPO)).toHaveLength(1);
  });

  it('opens no second issue when GitHub wrote the first and answered 500', async ({
    github: { fake: github, client },
  }) => {
    // An issue of ours with the same title but another body is not the one just written.
    github.addIssue(OWNER, REPO, { author: BOT, title: 'Incident', body: 'older' });
    github.failAfterWriting({ method: 'POST', pathPattern: /\/issues$/ });
    const created = await client.createIssue({ title: 'Incident', body: 'new', labels: ['x'] });
    const issues = github.issues(OWNER, REPO);
    expect(issues.map((i) => [i.number, i.body])).toEqual([
      [1, 'older'],
      [2, 'new'],
    ]);
    expect(created.number).toBe(2);
  });

  it('opens the issue again when GitHub answered 503 without writing it', async ({
    github: { fake: github, client },
  }) => {
    let refused = false;
    github.beforeRequest((req) => {
      if (!refused && req.method === 'POST' && req.path.endsWith('/issues')) {
        refused = true;
        throw fail(503, 'Service Unavailable');
      }
    });
    const created = await client.createIssue({ title: 'Incident', body: 'b', labels: [] });
    expect(github.issues(OWNER, REPO).map((i) => i.number)).toEqual([created.number]);
  });

  it('does not take an issue someone else opened with the same text for the one it wrote', async ({
    github: { fake: github, client },
  }) => {
    github.addIssue(OWNER, REPO, { author: PERSON, title: 'Incident', body: 'b' });
    let refused = false;
    github.beforeRequest((req) => {
      if (!refused && req.method === 'POST' && req.path.endsWith('/issues')) {
        refused = true;
        throw fail(502, 'Bad Gateway');
      }
    });
    const created = await client.createIssue({ title: 'Incident', body: 'b', labels: [] });
    expect(created.number).toBe(2);
    expect(github.issue(OWNER, REPO, 2).author).toEqual(BOT);
  });
});

describe('listOurIssues', () => {
  it('lists our labelled issues, open and closed, newest first, and nothing else', async ({
    github: { fake: github, client },
  }) => {
    const at = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`;
    github.addIssue(OWNER, REPO, { author: BOT, labels: ['incident'], createdAt: at(1) });
    github.addIssue(OWNER, REPO, {
      author: BOT,
      labels: ['incident'],
      state: 'closed',
      createdAt: at(2),
    });
    // Someone else's issue carrying the label and our marker.
    github.addIssue(OWNER, REPO, {
      author: PERSON,
      labels: ['incident'],
      body: '<!-- steward:incident key=abc -->',
      createdAt: at(3),
    });
    // A bot of the same name that is not ours, as a person's account.
    github.addIssue(OWNER, REPO, {
      author: { login: 'github-actions', type: 'User' },
      labels: ['incident'],
      createdAt: at(4),
    });
    // Ours without the label.
    github.addIssue(OWNER, REPO, { author: BOT, labels: ['other'], createdAt: at(5) });
    // Our pull request with the label: the issue list carries it; it is not an issue.
    github.addPullRequest({ owner: OWNER, repo: REPO, author: BOT, labels: ['incident'] });

    const listed = await client.listOurIssues('incident');
    expect(listed.map((i) => [i.number, i.state, i.ours])).toEqual([
      [2, 'closed', true],
      [1, 'open', true],
    ]);
    const asked = github.requests.find((r) => r.method === 'GET' && r.path.endsWith('/issues'));
    expect(asked?.query).toMatchObject({
      creator: 'github-actions[bot]',
      labels: 'incident',
      state: 'all',
      sort: 'created',
      direction: 'desc',
    });
  });

  it('drops an issue GitHub lists for our creator but someone else wrote', async ({
    github: { fake: github, client },
  }) => {
    github.addIssue(OWNER, REPO, { author: BOT, labels: ['incident'] });
    // An answer whose author is not us, whatever the `creator` filter asked for.
    github.driftAnswers({
      method: 'GET',
      pathPattern: /\/issues$/,
      reshape: (body) =>
        (body as { user: object }[]).map((issue) => ({
          ...issue,
          user: { ...issue.user, login: 'alice', id: 4242, type: 'User' },
        })),
    });
    expect(await client.listOurIssues('incident')).toEqual([]);
  });

  it('pages through more than a hundred, up to maxPages', async ({
    github: { fake: github, client },
  }) => {
    for (let i = 0; i < 230; i++)
      github.addIssue(OWNER, REPO, { author: BOT, labels: ['incident'] });
    expect(await client.listOurIssues('incident')).toHaveLength(230);
    expect(await client.listOurIssues('incident', { maxPages: 2 })).toHaveLength(200);
  });

  it('lists only those updated since a time', async ({ github: { fake: github, client } }) => {
    github.addIssue(OWNER, REPO, {
      author: BOT,
      labels: ['incident'],
      createdAt: '2026-01-01T00:00:00Z',
    });
    const recent = github.addIssue(OWNER, REPO, {
      author: BOT,
      labels: ['incident'],
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-02-01T00:00:00Z',
    });
    const listed = await client.listOurIssues('incident', { since: '2026-01-15T00:00:00Z' });
    expect(listed.map((i) => i.number)).toEqual([recent.number]);
  });

  asApp('finds the issues an App opened', async ({ github: { client } }) => {
    const created = await client.createIssue({ title: 't', body: 'b', labels: ['incident'] });
    const listed = await client.listOurIssues('incident');
    expect(listed.map((i) => [i.number, i.ours])).toEqual([[created.number, true]]);
  });
});

describe('issue comments', () => {
  it('lists every comment oldest first with who wrote it, and posts one', async ({
    github: { fake: github, client },
  }) => {
    const issue = github.addIssue(OWNER, REPO, { author: BOT });
    github.addComment(OWNER, REPO, issue.number, 'ack', PERSON);
    const posted = await client.createIssueComment(issue.number, '<!-- m -->\nfirst');
    const comments = await client.listIssueComments(issue.number);
    expect(comments.map((c) => [c.body, c.login, c.userType, c.ours])).toEqual([
      ['ack', 'alice', 'User', false],
      ['<!-- m -->\nfirst', 'github-actions[bot]', 'Bot', true],
    ]);
    expect(comments[1]!.id).toBe(posted.id);
    expect(Date.parse(comments[0]!.createdAt)).not.toBeNaN();
  });

  it('pages through many comments', async ({ github: { fake: github, client } }) => {
    const issue = github.addIssue(OWNER, REPO);
    for (let i = 0; i < 150; i++) github.addComment(OWNER, REPO, issue.number, `c${i}`);
    const comments = await client.listIssueComments(issue.number);
    expect(comments).toHaveLength(150);
    expect(comments.at(-1)!.body).toBe('c149');
  });

  it('posts no second comment when GitHub wrote the first and answered 500', async ({
    github: { fake: github, client },
  }) => {
    const issue = github.addIssue(OWNER, REPO, { author: BOT });
    github.failAfterWriting({ method: 'POST', pathPattern: /\/issues\/\d+\/comments$/ });
    const posted = await client.createIssueComment(issue.number, '<!-- e1 -->\nresolved');
    const comments = github.comments(OWNER, REPO, issue.number);
    expect(comments.map((c) => c.body)).toEqual(['<!-- e1 -->\nresolved']);
    expect(posted.id).toBe(comments[0]!.id);
  });

  it('does not take a comment someone else posted with the same text for its own', async ({
    github: { fake: github, client },
  }) => {
    const issue = github.addIssue(OWNER, REPO, { author: BOT });
    github.addComment(OWNER, REPO, issue.number, '<!-- e1 -->\nresolved', PERSON);
    let refused = false;
    github.beforeRequest((req) => {
      if (!refused && req.method === 'POST' && req.path.endsWith('/comments')) {
        refused = true;
        throw fail(503, 'Service Unavailable');
      }
    });
    await client.createIssueComment(issue.number, '<!-- e1 -->\nresolved');
    expect(github.comments(OWNER, REPO, issue.number).map((c) => c.user.login)).toEqual([
      'alice',
      'github-actions[bot]',
    ]);
  });
});

describe('issue events', () => {
  it('lists the history oldest first, with who assigned whom', async ({
    github: { fake: github, client },
  }) => {
    const issue = github.addIssue(OWNER, REPO, {
      author: BOT,
      createdAt: '2026-03-01T10:00:00Z',
    });
    github.assignIssue(OWNER, REPO, issue.number, 'alice', '2026-03-01T10:05:00Z');
    await client.updateIssue({ number: issue.number, state: 'closed' });
    const events = await client.listIssueEvents(issue.number);
    expect(events.map((e) => [e.event, e.login, e.userType])).toEqual([
      ['assigned', 'alice', 'User'],
      ['closed', 'github-actions[bot]', 'Bot'],
    ]);
    expect(events[0]!.createdAt).toBe('2026-03-01T10:05:00Z');
    expect((await client.getIssue(issue.number))?.assignees).toEqual(['alice']);
  });

  it('reads a deleted account as no one', async ({ github: { fake: github, client } }) => {
    const issue = github.addIssue(OWNER, REPO);
    github.assignIssue(OWNER, REPO, issue.number, 'ghost');
    github.driftAnswers({
      method: 'GET',
      pathPattern: /\/events$/,
      reshape: (body) => (body as object[]).map((e) => ({ ...e, actor: null })),
    });
    expect(await client.listIssueEvents(issue.number)).toEqual([
      expect.objectContaining({ event: 'assigned', login: null, userType: null }),
    ]);
  });
});

describe('deployments', () => {
  it('lists those created since a time, newest first', async ({
    github: { fake: github, client },
  }) => {
    github.addDeployment(OWNER, REPO, { createdAt: '2026-03-01T00:00:00Z' });
    const a = github.addDeployment(OWNER, REPO, {
      createdAt: '2026-03-02T12:00:00Z',
      environment: 'staging',
      description: 'v1.2',
      ref: 'main',
    });
    const b = github.addDeployment(OWNER, REPO, {
      createdAt: '2026-03-03T00:00:00Z',
      creator: null,
    });
    const listed = await client.listDeployments({ since: '2026-03-02T00:00:00Z' });
    expect(listed).toEqual([
      {
        id: b.id,
        sha: b.sha,
        ref: 'main',
        environment: 'production',
        description: null,
        creator: null,
        createdAt: '2026-03-03T00:00:00Z',
        url: `${github.url}/repos/${OWNER}/${REPO}/deployments/${b.id}`,
      },
      expect.objectContaining({
        id: a.id,
        environment: 'staging',
        description: 'v1.2',
        creator: 'octocat',
      }),
    ]);
  });

  it('stops paging once a page reaches before the window', async ({
    github: { fake: github, client },
  }) => {
    for (let i = 0; i < 250; i++) {
      const minute = String(i % 60).padStart(2, '0');
      const hour = String(Math.floor(i / 60)).padStart(2, '0');
      github.addDeployment(OWNER, REPO, { createdAt: `2026-03-01T${hour}:${minute}:00Z` });
    }
    // The newest 130 are at or after 02:00 (i >= 120).
    const listed = await client.listDeployments({ since: '2026-03-01T02:00:00Z' });
    expect(listed).toHaveLength(130);
    const pages = github.requests.filter((r) => r.path.endsWith('/deployments'));
    expect(pages).toHaveLength(2);
  });

  it('refuses a since that is not a time', async ({ github: { client } }) => {
    await expect(client.listDeployments({ since: 'yesterday' })).rejects.toThrow(/ISO 8601/);
  });
});

describe('listMergedPullRequests', () => {
  it('keeps the pull requests merged into the base within the window, newest first', async ({
    github: { fake: github, client },
  }) => {
    const pr = (seed: Record<string, unknown>) =>
      github.addPullRequest({ owner: OWNER, repo: REPO, author: PERSON, ...seed }).number;
    const inside = pr({
      title: 'Speed up the cache',
      state: 'MERGED',
      mergedAt: '2026-03-02T10:00:00Z',
      updatedAt: '2026-03-02T10:00:01Z',
      mergeCommitSha: 'a'.repeat(40),
      baseSha: 'b'.repeat(40),
    });
    const later = pr({
      state: 'MERGED',
      mergedAt: '2026-03-02T11:00:00Z',
      author: null,
    });
    // Merged before the window, but updated (a comment, a label) within it.
    pr({ state: 'MERGED', mergedAt: '2026-03-01T00:00:00Z', updatedAt: '2026-03-02T12:00:00Z' });
    // Merged after the window's end.
    pr({ state: 'MERGED', mergedAt: '2026-03-05T00:00:00Z' });
    // Closed without merging within the window.
    pr({ state: 'CLOSED', closedAt: '2026-03-02T10:30:00Z' });
    // Merged within the window into another branch.
    pr({ state: 'MERGED', mergedAt: '2026-03-02T10:30:00Z', baseRefName: 'release' });
    // Still open.
    pr({ updatedAt: '2026-03-02T10:30:00Z' });

    const merged = await client.listMergedPullRequests({
      base: 'main',
      since: '2026-03-02T00:00:00Z',
      until: '2026-03-03T00:00:00Z',
    });
    expect(merged.map((m) => m.number)).toEqual([later, inside]);
    expect(merged[1]).toEqual({
      number: inside,
      url: `https://github.com/${OWNER}/${REPO}/pull/${inside}`,
      title: 'Speed up the cache',
      author: 'alice',
      mergedAt: '2026-03-02T10:00:00Z',
      mergeCommitSha: 'a'.repeat(40),
      baseRefName: 'main',
      baseSha: 'b'.repeat(40),
    });
    expect(merged[0]!.author).toBeNull();
    const asked = github.requests.find((r) => r.method === 'GET' && r.path.endsWith('/pulls'));
    expect(asked?.query).toMatchObject({
      state: 'closed',
      base: 'main',
      sort: 'updated',
      direction: 'desc',
    });
  });

  it('drops a pull request merged into another base, whatever GitHub listed', async ({
    github: { fake: github, client },
  }) => {
    github.addPullRequest({
      owner: OWNER,
      repo: REPO,
      state: 'MERGED',
      mergedAt: '2026-03-02T00:00:00Z',
      baseRefName: 'main',
    });
    github.driftAnswers({
      method: 'GET',
      pathPattern: /\/pulls$/,
      reshape: (body) =>
        (body as { base: object }[]).map((pr) => ({ ...pr, base: { ...pr.base, ref: 'release' } })),
    });
    const merged = await client.listMergedPullRequests({
      base: 'main',
      since: '2026-03-01T00:00:00Z',
      until: '2026-03-03T00:00:00Z',
    });
    expect(merged).toEqual([]);
  });

  it('stops paging once the pull requests were last updated before the window', async ({
    github: { fake: github, client },
  }) => {
    for (let i = 0; i < 150; i++) {
      const at = `2026-02-01T00:${String(i % 60).padStart(2, '0')}:00Z`;
      github.addPullRequest({ owner: OWNER, repo: REPO, state: 'MERGED', mergedAt: at });
    }
    const recent = github.addPullRequest({
      owner: OWNER,
      repo: REPO,
      state: 'MERGED',
      mergedAt: '2026-03-02T00:00:00Z',
    });
    const merged = await client.listMergedPullRequests({
      base: 'main',
      since: '2026-03-01T00:00:00Z',
      until: '2026-03-03T00:00:00Z',
    });
    expect(merged.map((m) => m.number)).toEqual([recent.number]);
    expect(github.requests.filter((r) => r.path.endsWith('/pulls'))).toHaveLength(1);
  });

  it('reads at most maxPages pages', async ({ github: { fake: github, client } }) => {
    for (let i = 0; i < 250; i++) {
      github.addPullRequest({
        owner: OWNER,
        repo: REPO,
        state: 'MERGED',
        mergedAt: '2026-03-02T00:00:00Z',
      });
    }
    const merged = await client.listMergedPullRequests({
      base: 'main',
      since: '2026-03-01T00:00:00Z',
      until: '2026-03-03T00:00:00Z',
      maxPages: 2,
    });
    expect(merged).toHaveLength(200);
  });
});

describe('countCommitsTouching', () => {
  it('counts the commits on the ref that touched the path since a time, up to the cap', async ({
    github: { fake: github, client },
  }) => {
    const commit = (date: string, paths: string[], branch = 'main') =>
      github.addCommit(OWNER, REPO, { date: `2026-03-0${date}T00:00:00Z`, paths, branch });
    commit('1', ['src/cache.ts']);
    commit('2', ['src/cache.ts', 'README.md']);
    commit('3', ['src/cache/index.ts']);
    commit('4', ['src/cache.ts']);
    commit('5', ['docs/cache.md']);
    commit('6', ['src/cache.ts'], 'feature');
    const count = (path: string, since: string, cap = 50) =>
      client.countCommitsTouching({ path, ref: 'main', since, cap });
    expect(await count('src/cache.ts', '2026-03-02T00:00:00Z')).toBe(2);
    expect(await count('src/cache.ts', '2026-01-01T00:00:00Z')).toBe(3);
    expect(await count('src/cache', '2026-01-01T00:00:00Z')).toBe(1);
    expect(await count('src/cache.ts', '2026-01-01T00:00:00Z', 2)).toBe(2);
    expect(await count('nowhere.ts', '2026-01-01T00:00:00Z')).toBe(0);
    const capped = github.requests.filter((r) => r.path.endsWith('/commits')).at(-2);
    expect(capped?.query).toMatchObject({
      sha: 'main',
      path: 'src/cache.ts',
      since: '2026-01-01T00:00:00Z',
      per_page: '2',
    });
  });

  it('counts one page of at most a hundred', async ({ github: { fake: github, client } }) => {
    for (let i = 0; i < 130; i++) github.addCommit(OWNER, REPO, { paths: ['a.ts'] });
    const count = await client.countCommitsTouching({
      path: 'a.ts',
      ref: 'main',
      since: '2000-01-01T00:00:00Z',
      cap: 500,
    });
    expect(count).toBe(100);
    expect(github.requests.filter((r) => r.path.endsWith('/commits'))).toHaveLength(1);
  });

  it('counts no more than the cap when GitHub answers a longer page', async ({
    github: { fake: github, client },
  }) => {
    for (let i = 0; i < 5; i++) github.addCommit(OWNER, REPO, { paths: ['a.ts'] });
    github.driftAnswers({
      method: 'GET',
      pathPattern: /\/commits$/,
      reshape: (body) => [...(body as object[]), ...(body as object[])],
    });
    const count = await client.countCommitsTouching({
      path: 'a.ts',
      ref: 'main',
      since: '2000-01-01T00:00:00Z',
      cap: 3,
    });
    expect(count).toBe(3);
  });

  it('asks nothing for a cap of 0', async ({ github: { fake: github, client } }) => {
    const count = await client.countCommitsTouching({
      path: 'a.ts',
      ref: 'main',
      since: '2000-01-01T00:00:00Z',
      cap: 0,
    });
    expect(count).toBe(0);
    expect(github.requests.filter((r) => r.path.endsWith('/commits'))).toHaveLength(0);
  });
});

describe('the fake’s installation route', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln';
  it('answers 404 for a repository it does not hold, or where the App is not installed', async ({
    github: { fake: github },
  }) => {
    github.addRepo({ owner: OWNER, repo: 'elsewhere', installed: false });
    const status = async (repo: string) =>
      (
        await fetch(`${github.url}/repos/${OWNER}/${repo}/installation`, {
          headers: { authorization: `Bearer ${jwt}` },
        })
      ).status;
    expect(await status(REPO)).toBe(200);
    expect(await status('elsewhere')).toBe(404);
    expect(await status('unknown')).toBe(404);
  });
});
