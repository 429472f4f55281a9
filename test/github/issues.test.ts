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
