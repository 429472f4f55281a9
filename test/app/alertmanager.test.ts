import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAlertmanagerPayload } from '../../src/incidents/alertmanager.ts';
import type { AlertmanagerPayload } from '../../src/incidents/alertmanager.ts';
import { incidentKey } from '../../src/incidents/incident-state.ts';
import { formatDuration, impactStart } from '../../src/incidents/postmortem.ts';
import type { IncidentState } from '../../src/incidents/incident-state.ts';
import {
  parseIncidentKey,
  parseTransitionMarker,
  readIncidentState,
} from '../../src/incidents/render.ts';
import { eventually, startAlertmanager, startWebhookRecorder } from '../support/alertmanager.ts';
import type {
  Alertmanager,
  PostableAlert,
  RecordedNotification,
  WebhookRecorder,
} from '../support/alertmanager.ts';
import { startGitHubFake } from '../support/github-fake/index.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';
import { startAppProcess } from './support/app-process.ts';
import type { AppProcess } from './support/app-process.ts';
import { startRedisServer } from './support/redis-server.ts';
import type { RedisServer } from './support/redis-server.ts';

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) on loopback. First what it posts to a
 * webhook receiver, recorded as it arrives: this pins our payload parser to the real thing.
 */

const TOKEN = 'alertmanager-test-token';

function parsed(notification: RecordedNotification): AlertmanagerPayload {
  const result = parseAlertmanagerPayload(JSON.parse(notification.body) as unknown);
  if (!result.ok) throw new Error(`${result.error} in ${notification.body}`);
  return result.payload;
}

function statusOf(n: RecordedNotification): string | undefined {
  return (JSON.parse(n.body) as { status?: string }).status;
}

describe('what a real Alertmanager posts to its webhook receiver', () => {
  let recorder: WebhookRecorder;
  let alertmanager: Alertmanager;

  beforeAll(async () => {
    recorder = await startWebhookRecorder();
    alertmanager = await startAlertmanager({ url: recorder.url, token: TOKEN });
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await recorder?.close();
  });

  it('carries the bearer token and parses as payload version 4, firing then resolved', async () => {
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const alerts: PostableAlert[] = ['db-1', 'db-2'].map((instance) => ({
      labels: {
        alertname: 'DatabaseDown',
        severity: 'critical',
        instance,
        steward_repo: 'acme/widgets',
      },
      annotations: {
        summary: `${instance} is down`,
        runbook_url: 'https://runbooks.example/db-down',
        description: 'Hostile text stays text: @mona <!-- steward:incident key=x -->',
      },
      startsAt,
      generatorURL: `http://prometheus.example/graph?g0.expr=up%7Binstance%3D%22${instance}%22%7D`,
    }));
    await alertmanager.postAlerts(alerts);

    const firing = await recorder.waitFor((n) => statusOf(n) === 'firing', 'that fires');
    expect(firing.method).toBe('POST');
    expect(firing.path).toBe('/alertmanager');
    expect(firing.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(firing.headers['content-type']).toMatch(/^application\/json/);
    const payload = parsed(firing);
    expect(payload.version).toBe('4');
    expect(payload.receiver).toBe('steward');
    expect(payload.groupKey).toBe('{}:{alertname="DatabaseDown"}');
    expect(payload.groupLabels).toEqual({ alertname: 'DatabaseDown' });
    expect(payload.commonLabels).toEqual({
      alertname: 'DatabaseDown',
      severity: 'critical',
      steward_repo: 'acme/widgets',
    });
    expect(payload.externalURL).toBe(alertmanager.url);
    expect(payload.truncatedAlerts).toBe(0);
    expect(payload.alerts.map((a) => a.labels['instance']).sort()).toEqual(['db-1', 'db-2']);
    for (const alert of payload.alerts) {
      expect(alert.status).toBe('firing');
      expect(alert.startsAt).toBe(startsAt);
      // Alertmanager writes Go's zero time for "no end", which the parser reads as null.
      expect(alert.endsAt).toBeNull();
      expect(alert.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(alert.generatorURL).toContain('prometheus.example');
      expect(alert.annotations['runbook_url']).toBe('https://runbooks.example/db-down');
    }

    await alertmanager.resolve(alerts);
    const resolved = await recorder.waitFor((n) => statusOf(n) === 'resolved', 'that resolves');
    expect(resolved.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    const after = parsed(resolved);
    expect(after.groupKey).toBe(payload.groupKey);
    expect(after.alerts.map((a) => a.fingerprint).sort()).toEqual(
      payload.alerts.map((a) => a.fingerprint).sort(),
    );
    for (const alert of after.alerts) {
      expect(alert.status).toBe('resolved');
      expect(alert.endsAt).not.toBeNull();
      expect(Date.parse(alert.endsAt!)).toBeGreaterThan(Date.parse(startsAt));
    }
  });

  it('counts what max_alerts cut as truncatedAlerts, which the parser reads', async () => {
    await alertmanager.reconfigure({ url: recorder.url, token: TOKEN, maxAlerts: 2 });
    const alerts: PostableAlert[] = ['a', 'b', 'c', 'd', 'e'].map((instance) => ({
      labels: { alertname: 'ManyDown', instance },
    }));
    await alertmanager.postAlerts(alerts);
    const firing = await recorder.waitFor(
      (n) => n.body.includes('ManyDown') && statusOf(n) === 'firing',
      'for the large group',
    );
    const payload = parsed(firing);
    expect(payload.alerts).toHaveLength(2);
    expect(payload.truncatedAlerts).toBe(3);
  });
});

/**
 * Then the whole path, as in production: alerts posted to a real Alertmanager, its webhook
 * notifications through a recording proxy to the real app process (`node app/main.ts`), issues in
 * the GitHub fake. A second app instance shares a real redis-server with the first, as two
 * instances behind a load balancer do; redeliveries are the recorded notifications sent again.
 */
const OWNER = 'acme';
const REPO = 'widgets';
const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

interface FakeIssue {
  number: number;
  state: string;
  body: string | null;
  title: string;
  labels: { name: string }[];
}

interface FakeComment {
  id: number;
  body: string;
}

describe('a real Alertmanager, the real app and the GitHub fake', () => {
  let redis: RedisServer | undefined;
  let github: GitHubFake;
  let apps: [AppProcess, AppProcess];
  let recorder: WebhookRecorder;
  let alertmanager: Alertmanager;
  let inWindow: number;
  let beforeWindow: number;
  let otherBranch: number;

  beforeAll(async () => {
    redis = await startRedisServer();
    github = await startGitHubFake({ botLogin: 'steward-app[bot]', installationId: 7 });
    github.addRepo({ owner: OWNER, repo: REPO });
    github.setFileContents(OWNER, REPO, 'main', {
      '.github/steward.yml': 'incidents:\n  reopen-window: 24h\n  lookback: 72h\n',
    });
    github.addRepo({ owner: OWNER, repo: 'not-installed', installed: false });
    // What the report's suspicious changes should list: merged into main an hour before the
    // impact began; and what it should not: merged a week before (outside the 72 h lookback), and
    // merged into another branch.
    const hour = 60 * 60 * 1000;
    inWindow = github.addPullRequest({
      owner: OWNER,
      repo: REPO,
      state: 'MERGED',
      title: 'Checkout: lower the connection pool timeout',
      mergedAt: new Date(Date.now() - hour).toISOString(),
    }).number;
    beforeWindow = github.addPullRequest({
      owner: OWNER,
      repo: REPO,
      state: 'MERGED',
      title: 'Old change',
      mergedAt: new Date(Date.now() - 7 * 24 * hour).toISOString(),
    }).number;
    otherBranch = github.addPullRequest({
      owner: OWNER,
      repo: REPO,
      state: 'MERGED',
      title: 'Release branch change',
      baseRefName: 'release-1.x',
      mergedAt: new Date(Date.now() - hour).toISOString(),
    }).number;
    const env = {
      GHE_HOST: github.host,
      REDIS_URL: redis.url,
      STEWARD_ALERTMANAGER_TOKEN: TOKEN,
    };
    apps = await Promise.all([startAppProcess(env), startAppProcess(env)]);
    recorder = await startWebhookRecorder();
    recorder.forwardTo(`${apps[0].url}/alertmanager`);
    alertmanager = await startAlertmanager({
      url: recorder.url,
      token: TOKEN,
      groupBy: ['alertname', 'steward_repo'],
    });
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await recorder?.close();
    await Promise.all((apps ?? []).map((app) => app.stop()));
    await github?.close();
    redis?.stop();
  });

  /** The fake's REST API, as a client sees it. */
  async function fakeGet<T>(path: string): Promise<T> {
    const response = await fetch(`${github.url}${path}`, {
      headers: { authorization: `token ${github.token}`, accept: 'application/vnd.github+json' },
    });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** The incident issues of a group, oldest first. */
  async function incidentIssues(groupKey: string): Promise<FakeIssue[]> {
    const key = incidentKey(groupKey);
    const issues = await fakeGet<FakeIssue[]>(
      `/repos/${OWNER}/${REPO}/issues?state=all&per_page=100`,
    );
    return issues
      .filter((i) => parseIncidentKey(i.body ?? '') === key)
      .sort((a, b) => a.number - b.number);
  }

  const comments = (number: number) =>
    fakeGet<FakeComment[]>(`/repos/${OWNER}/${REPO}/issues/${number}/comments?per_page=100`);

  /** Writes to repositories made since request `from` (token minting is not one). */
  const writesSince = (from: number) =>
    github.requests.slice(from).filter((r) => WRITES.has(r.method) && r.path.startsWith('/repos/'));

  /** The first notification after `from` that matches and that the app answered 200. */
  function delivered(from: number, status: 'firing' | 'resolved', alertname: string) {
    return eventually(
      () =>
        recorder.notifications
          .slice(from)
          .find((n) => n.status === 200 && statusOf(n) === status && n.body.includes(alertname)),
      `Alertmanager's ${status} notification for ${alertname} answered 200 by the app; log:\n${alertmanager.log().slice(-3000)}`,
    );
  }

  const postToApp = (app: AppProcess, body: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/alertmanager`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${TOKEN}`,
        ...headers,
      },
      body,
    });

  /**
   * Posts until the app answers something other than a 5xx or 409 (Alertmanager retries those):
   * an instance that found the incident locked by the other may ask to be called again.
   */
  async function postUntilAccepted(app: AppProcess, body: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const response = await postToApp(app, body);
      await response.arrayBuffer();
      if ((response.status < 500 && response.status !== 409) || attempt >= 30)
        return response.status;
      await sleep(200);
    }
  }

  function alertsOf(alertname: string, startsAt: string): PostableAlert[] {
    return ['checkout-1', 'checkout-2'].map((instance) => ({
      labels: {
        alertname,
        severity: 'critical',
        instance,
        steward_repo: `${OWNER}/${REPO}`,
      },
      annotations: { summary: `${instance} answers slowly`, description: 'cc @mona' },
      startsAt,
      generatorURL: 'http://prometheus.example/graph',
    }));
  }

  // One group walks through its life: fire, redeliveries, resolve, fire again within the window,
  // resolve, fire again after it.
  const GROUP = 'CheckoutLatencyHigh';
  const groupKey = `{}:{alertname="${GROUP}", steward_repo="${OWNER}/${REPO}"}`;
  let impactStartedAt: string;
  let postedAt: number;
  let firing: RecordedNotification;
  let resolved: RecordedNotification;
  let commentsBeforeResolve: number;
  let issueNumber: number;

  it('one firing group makes one issue', async () => {
    const from = recorder.notifications.length;
    impactStartedAt = new Date(Date.now() - 120_000).toISOString();
    postedAt = Date.now();
    await alertmanager.postAlerts(alertsOf(GROUP, impactStartedAt));
    firing = await delivered(from, 'firing', GROUP);
    expect(parsed(firing).groupKey).toBe(groupKey);
    const issues = await incidentIssues(groupKey);
    expect(issues).toHaveLength(1);
    const [issue] = issues as [FakeIssue];
    issueNumber = issue.number;
    expect(issue.state).toBe('open');
    expect(issue.labels.map((l) => l.name)).toEqual(
      expect.arrayContaining(['incident', 'severity:critical']),
    );
    expect(issue.title).toContain(GROUP);
    // Hostile annotations stay text: the description's mention never pings anyone.
    expect(issue.body).not.toMatch(/(^|[^`\w])@mona\b/);
    // Someone takes the incident on: the report's acknowledgement.
    github.addComment(OWNER, REPO, issueNumber, 'Looking into it', { login: 'lee', type: 'User' });
  });

  it('the same notification redelivered, and sent to both instances at once, makes nothing more', async () => {
    const before = await issueSnapshot(issueNumber);
    const from = github.requests.length;
    const answers = await Promise.all([
      postToApp(apps[0], firing.body),
      postToApp(apps[1], firing.body),
      postToApp(apps[1], firing.body),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    // And once more, byte for byte, after the others are done: a retry arriving late.
    expect((await postToApp(apps[0], firing.body)).status).toBe(200);
    expect(writesSince(from)).toEqual([]);
    expect(await issueSnapshot(issueNumber)).toEqual(before);
    expect(await incidentIssues(groupKey)).toHaveLength(1);
  });

  it("a new group's first notification, arriving at both instances at once, makes one issue", async () => {
    const group = 'CheckoutErrorsHigh';
    const key = `{}:{alertname="${group}", steward_repo="${OWNER}/${REPO}"}`;
    const body = firing.body.replaceAll(GROUP, group);
    expect(parsed({ ...firing, body }).groupKey).toBe(key);
    // GitHub answering slowly widens the window in which both would find no issue and open one.
    github.setLatency(50);
    try {
      const answers = await Promise.all([
        postUntilAccepted(apps[0], body),
        postUntilAccepted(apps[1], body),
      ]);
      expect(answers).toEqual([200, 200]);
    } finally {
      github.setLatency(0);
    }
    const issues = await incidentIssues(key);
    expect(issues).toHaveLength(1);
    const transitions = (await comments(issues[0]!.number)).filter(
      (c) => parseTransitionMarker(c.body) !== null,
    );
    expect(transitions.length).toBeLessThanOrEqual(1);
  });

  it("GitHub failing mid-notification: the app answers 5xx, Alertmanager's retries finish the work, nothing twice", async () => {
    const group = 'CheckoutSaturated';
    const key = `{}:{alertname="${group}", steward_repo="${OWNER}/${REPO}"}`;
    // GitHub creates the issue but answers 502 (the client must find it, not open a second), then
    // refuses every comment until the outage ends: the app cannot finish, so it must not say 200.
    github.failAfterWriting({
      method: 'POST',
      pathPattern: new RegExp(`^/repos/${OWNER}/${REPO}/issues$`),
      status: 502,
    });
    const outage = new Switch(`^/repos/${OWNER}/${REPO}/issues/\\d+/comments$`);
    github.failRequests({ method: 'POST', pathPattern: outage, status: 503 });
    const from = recorder.notifications.length;
    try {
      await alertmanager.postAlerts(alertsOf(group, new Date().toISOString()));
      await eventually(
        () =>
          recorder.notifications
            .slice(from)
            .filter((n) => n.body.includes(group) && n.status >= 500).length >= 2 || undefined,
        `two failed notifications for ${group}, retried by Alertmanager`,
      );
      expect(
        recorder.notifications
          .slice(from)
          .filter((n) => n.body.includes(group) && n.status === 200),
      ).toEqual([]);
    } finally {
      outage.enabled = false;
    }
    await delivered(from, 'firing', group);
    const issues = await incidentIssues(key);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.state).toBe('open');
    const transitions = (await comments(issues[0]!.number)).filter(
      (c) => parseTransitionMarker(c.body) !== null,
    );
    expect(transitions).toHaveLength(1);
    expect(readIncidentState(issues[0]!.body ?? '')?.status).toBe('firing');
  });

  it('resolving closes the issue with one comment, and a redelivered resolve adds nothing', async () => {
    const from = recorder.notifications.length;
    commentsBeforeResolve = (await comments(issueNumber)).length;
    await alertmanager.resolve(alertsOf(GROUP, impactStartedAt));
    resolved = await delivered(from, 'resolved', GROUP);
    const issue = await fakeGet<FakeIssue>(`/repos/${OWNER}/${REPO}/issues/${issueNumber}`);
    expect(issue.state).toBe('closed');
    const added = (await comments(issueNumber)).slice(commentsBeforeResolve);
    expect(added.filter((c) => parseTransitionMarker(c.body) !== null)).toHaveLength(1);

    const snapshot = await issueSnapshot(issueNumber);
    const writes = github.requests.length;
    const answers = await Promise.all([
      postToApp(apps[0], resolved.body),
      postToApp(apps[1], resolved.body),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(writesSince(writes)).toEqual([]);
    expect(await issueSnapshot(issueNumber)).toEqual(snapshot);
  });

  it('the resolve writes one post-incident report: the right durations, the pull request merged in the window', async () => {
    const added = (await comments(issueNumber)).slice(commentsBeforeResolve);
    const reports = added.filter((c) => isReport(c.body));
    expect(reports).toHaveLength(1);
    const report = reports[0]!.body;
    const state = await incidentState(issueNumber);
    // The durations, from what the test knows: the impact began at the alerts' start; Steward
    // heard of it once Alertmanager notified, after the test posted the alerts.
    expect(impactStart(state)).toBe(impactStartedAt);
    expect(Date.parse(state.firstNotifiedAt)).toBeGreaterThanOrEqual(postedAt);
    const detect = Date.parse(state.firstNotifiedAt) - Date.parse(impactStartedAt);
    expect(detect).toBeGreaterThanOrEqual(120_000);
    expect(report).toContain(`${formatDuration(detect)} after impact`);
    const resolve = Date.parse(state.resolvedAt!) - Date.parse(impactStartedAt);
    expect(report).toContain(`${formatDuration(resolve)} after impact`);
    expect(report).toMatch(/first comment by .*lee/);
    // The pull request merged into the default branch in the lookback window, and only it.
    expect(report).toContain(`#${inWindow}`);
    expect(report).not.toContain(`#${beforeWindow}`);
    expect(report).not.toContain(`#${otherBranch}`);
  });

  it('firing again within the reopen window reopens the same issue', async () => {
    const from = recorder.notifications.length;
    const before = await comments(issueNumber);
    await alertmanager.postAlerts(alertsOf(GROUP, new Date().toISOString()));
    await delivered(from, 'firing', GROUP);
    const issues = await incidentIssues(groupKey);
    expect(issues.map((i) => [i.number, i.state])).toEqual([[issueNumber, 'open']]);
    const added = (await comments(issueNumber)).slice(before.length);
    expect(added.filter((c) => parseTransitionMarker(c.body) !== null)).toHaveLength(1);
  });

  it('firing again after the window opens a new issue linking the old one', async () => {
    let from = recorder.notifications.length;
    const startsAt = (await incidentState(issueNumber)).alerts[0]!.startsAt;
    await alertmanager.resolve(alertsOf(GROUP, startsAt));
    await delivered(from, 'resolved', GROUP);
    expect((await fakeGet<FakeIssue>(`/repos/${OWNER}/${REPO}/issues/${issueNumber}`)).state).toBe(
      'closed',
    );
    // A day passes: the issue's recorded state says the group resolved 25 hours ago (Alertmanager
    // cannot be made to wait a day, and the window is read from the state, not from a clock).
    await ageResolvedState(issueNumber, 25 * 60 * 60 * 1000);

    from = recorder.notifications.length;
    await alertmanager.postAlerts(alertsOf(GROUP, new Date().toISOString()));
    await delivered(from, 'firing', GROUP);
    const issues = await incidentIssues(groupKey);
    expect(issues.map((i) => i.state)).toEqual(['closed', 'open']);
    const [old, fresh] = issues as [FakeIssue, FakeIssue];
    expect(old.number).toBe(issueNumber);
    expect(fresh.body).toContain(`#${issueNumber}`);
  });

  it('an alert for a repository where the app is not installed is refused, counted, and writes nothing', async () => {
    const refusedBefore = await refusedCount('not_installed');
    // An Alertmanager of its own: a refused notification is not recorded as sent, so Alertmanager
    // sends it again every group_interval, which must not reach the other tests.
    const own = await startAlertmanager({
      url: recorder.url,
      token: TOKEN,
      groupBy: ['alertname', 'steward_repo'],
    });
    try {
      for (const repo of ['not-installed', 'not-held']) {
        const group = `Elsewhere-${repo}`;
        const from = recorder.notifications.length;
        const writes = github.requests.length;
        await own.postAlerts(
          alertsOf(group, new Date().toISOString()).map((a) => ({
            ...a,
            labels: { ...a.labels, steward_repo: `${OWNER}/${repo}` },
          })),
        );
        const refused = await eventually(
          () => recorder.notifications.slice(from).find((n) => n.body.includes(group)),
          `Alertmanager's notification for ${group}`,
        );
        expect(refused.status).toBe(422);
        expect(writesSince(writes)).toEqual([]);
      }
    } finally {
      await own.stop();
    }
    expect(await refusedCount('not_installed')).toBeGreaterThanOrEqual(refusedBefore + 2);
    expect(
      recorder.notifications.filter((n) => n.body.includes('Elsewhere-') && n.status !== 422),
    ).toEqual([]);
  });

  describe('the bearer token', () => {
    const attempts: [string, Record<string, string>][] = [
      ['no Authorization header', { authorization: '' }],
      ['a wrong token', { authorization: 'Bearer wrong-token-of-some-length' }],
      ['the token with a character more', { authorization: `Bearer ${TOKEN}x` }],
      ['the token less its last character', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
      ['an empty bearer', { authorization: 'Bearer ' }],
      ['the token as Basic credentials', { authorization: `Basic ${TOKEN}` }],
      [
        'the token as Basic user:password',
        { authorization: `Basic ${Buffer.from(`steward:${TOKEN}`).toString('base64')}` },
      ],
      ['the token without a scheme', { authorization: TOKEN }],
      ['the token in another header', { authorization: '', 'x-steward-token': TOKEN }],
    ];
    it.each(attempts)('%s gets 401 and nothing is written', async (_name, headers) => {
      const from = github.requests.length;
      const body = firing.body.replaceAll(GROUP, 'UnauthorisedGroup');
      const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
      const response = await fetch(`${apps[0].url}/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...clean },
        body,
      });
      expect(response.status).toBe(401);
      // Not a single request to GitHub, read or write.
      expect(github.requests.slice(from)).toEqual([]);
    });

    it('a token in the query string gets 401 and nothing is written', async () => {
      const from = github.requests.length;
      const response = await fetch(
        `${apps[0].url}/alertmanager?token=${TOKEN}&access_token=${TOKEN}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: firing.body.replaceAll(GROUP, 'UnauthorisedGroup'),
        },
      );
      expect(response.status).toBe(401);
      expect(github.requests.slice(from)).toEqual([]);
    });

    it('Alertmanager with a wrong token is refused and writes nothing; with the right one, its next attempt makes the issue', async () => {
      const group = 'WrongTokenGroup';
      const key = `{}:{alertname="${group}", steward_repo="${OWNER}/${REPO}"}`;
      await alertmanager.reconfigure({
        url: recorder.url,
        token: 'a-wrong-token-for-this-app',
        groupBy: ['alertname', 'steward_repo'],
      });
      const from = recorder.notifications.length;
      const writes = github.requests.length;
      try {
        await alertmanager.postAlerts(alertsOf(group, new Date().toISOString()));
        const refused = await eventually(
          () => recorder.notifications.slice(from).find((n) => n.body.includes(group)),
          `Alertmanager's notification for ${group}`,
        );
        expect(refused.status).toBe(401);
        expect(writesSince(writes)).toEqual([]);
        expect(await incidentIssues(key)).toEqual([]);
      } finally {
        await alertmanager.reconfigure({
          url: recorder.url,
          token: TOKEN,
          groupBy: ['alertname', 'steward_repo'],
        });
      }
      // Alertmanager did not record the refused notification as sent: it notifies again.
      await delivered(from, 'firing', group);
      expect(await incidentIssues(key)).toHaveLength(1);
    });
  });

  describe('a malformed payload', () => {
    const cases: [string, (p: Record<string, unknown>) => unknown, RegExp][] = [
      [
        'a start that is no time',
        (p) => withAlert(p, { startsAt: 'yesterday' }),
        /alerts\[0\]\.startsAt/,
      ],
      ['no groupKey', (p) => ({ ...p, groupKey: undefined }), /groupKey/],
      ['version 3', (p) => ({ ...p, version: '3' }), /version/],
      ['a status of neither kind', (p) => ({ ...p, status: 'pending' }), /status/],
      ['alerts not an array', (p) => ({ ...p, alerts: {} }), /alerts/],
      [
        'a fingerprint that is no hex',
        (p) => withAlert(p, { fingerprint: '<!-- x -->' }),
        /alerts\[0\]\.fingerprint/,
      ],
      [
        'labels of numbers',
        (p) => withAlert(p, { labels: { alertname: 7 } }),
        /alerts\[0\]\.labels/,
      ],
      ['a JSON array', () => [], /payload|expected/],
    ];
    it.each(cases)(
      '%s gets 400 naming the field, and nothing is written',
      async (_n, change, field) => {
        const from = github.requests.length;
        const payload = JSON.parse(firing.body) as Record<string, unknown>;
        const response = await postToApp(apps[0], JSON.stringify(change(payload)));
        expect(response.status).toBe(400);
        expect(await response.text()).toMatch(field);
        expect(writesSince(from)).toEqual([]);
      },
    );

    it('a body that is not JSON gets 400 and nothing is written', async () => {
      const from = github.requests.length;
      const response = await postToApp(apps[0], firing.body.slice(0, -10));
      expect(response.status).toBe(400);
      expect(writesSince(from)).toEqual([]);
    });

    it('a body over the size limit gets 413 and nothing is written', async () => {
      const from = github.requests.length;
      const payload = JSON.parse(firing.body) as Record<string, unknown>;
      const huge = JSON.stringify({ ...payload, padding: 'x'.repeat(2 * 1024 * 1024) });
      const response = await postToApp(apps[0], huge).catch(() => null);
      // The app may close the connection before the whole body is sent; either way, no write.
      if (response !== null) expect(response.status).toBe(413);
      expect(writesSince(from)).toEqual([]);
    });

    const repoLabels: [string, string[], number][] = [
      ['alerts naming two repositories', [`${OWNER}/${REPO}`, `${OWNER}/not-installed`], 422],
      ['a repository label that is a path', ['../../etc/passwd', '../../etc/passwd'], 422],
      ['a repository label with a query', [`${OWNER}/${REPO}?x=1`, `${OWNER}/${REPO}?x=1`], 422],
    ];
    it.each(repoLabels)('%s is refused and nothing is written', async (_n, repos, status) => {
      const from = github.requests.length;
      const payload = JSON.parse(firing.body) as {
        commonLabels: Record<string, string>;
        groupLabels: Record<string, string>;
        alerts: { labels: Record<string, string> }[];
      };
      const group = 'HostileRouting';
      const body = JSON.stringify({
        ...payload,
        groupKey: `{}:{alertname="${group}"}`,
        groupLabels: { alertname: group },
        commonLabels: { alertname: group },
        alerts: payload.alerts.map((a, i) => ({
          ...a,
          labels: { ...a.labels, alertname: group, steward_repo: repos[i % repos.length]! },
        })),
      });
      const response = await postToApp(apps[0], body);
      expect(response.status).toBe(status);
      expect(writesSince(from)).toEqual([]);
    });
  });

  /** `steward_app_alerts_refused_total` of the first instance for one reason. */
  async function refusedCount(reason: string): Promise<number> {
    const text = await (await fetch(`${apps[0].url}/metrics`)).text();
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('steward_app_alerts_refused_total{') &&
          l.includes('route="alertmanager"') &&
          l.includes(`reason="${reason}"`),
      );
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  /** What a reader of the issue sees: state, title, body, labels and comments. */
  async function issueSnapshot(number: number) {
    const issue = await fakeGet<FakeIssue>(`/repos/${OWNER}/${REPO}/issues/${number}`);
    return {
      state: issue.state,
      title: issue.title,
      body: issue.body,
      labels: issue.labels.map((l) => l.name).sort(),
      comments: (await comments(number)).map((c) => [c.id, c.body]),
    };
  }

  async function incidentState(number: number): Promise<IncidentState> {
    const issue = await fakeGet<FakeIssue>(`/repos/${OWNER}/${REPO}/issues/${number}`);
    const state = readIncidentState(issue.body ?? '');
    if (state === null) throw new Error(`issue #${number} carries no incident state`);
    return state;
  }

  /** Moves the recorded resolution `ms` into the past, in the body as Steward wrote it. */
  async function ageResolvedState(number: number, ms: number): Promise<void> {
    const issue = await fakeGet<FakeIssue>(`/repos/${OWNER}/${REPO}/issues/${number}`);
    const body = issue.body ?? '';
    const marker = /<!-- steward:incident-state ([A-Za-z0-9+/]*={0,2}) -->\s*$/.exec(body);
    if (!marker) throw new Error(`issue #${number} carries no state marker`);
    const state = JSON.parse(Buffer.from(marker[1]!, 'base64').toString('utf8')) as {
      resolvedAt: string;
    };
    state.resolvedAt = new Date(Date.parse(state.resolvedAt) - ms).toISOString();
    const encoded = Buffer.from(JSON.stringify(state), 'utf8').toString('base64');
    const response = await fetch(`${github.url}/repos/${OWNER}/${REPO}/issues/${number}`, {
      method: 'PATCH',
      headers: { authorization: `token ${github.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        body: `${body.slice(0, marker.index)}<!-- steward:incident-state ${encoded} -->`,
      }),
    });
    if (!response.ok) throw new Error(`PATCH issue #${number}: ${response.status}`);
  }
});

/** A pattern that stops matching once disabled: an outage that ends. */
class Switch extends RegExp {
  enabled = true;
  override test(text: string): boolean {
    return this.enabled && super.test(text);
  }
}

/** The post-incident report's comment (its first line a hidden marker, src/incidents/postmortem). */
function isReport(body: string): boolean {
  return /^<!-- steward:incident-report\b/.test(body);
}

function withAlert(payload: Record<string, unknown>, change: Record<string, unknown>): unknown {
  const alerts = payload['alerts'] as Record<string, unknown>[];
  return { ...payload, alerts: [{ ...alerts[0], ...change }, ...alerts.slice(1)] };
}
