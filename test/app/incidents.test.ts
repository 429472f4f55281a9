import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicFake } from '../support/anthropic-fake.ts';
import type { AnthropicFake } from '../support/anthropic-fake.ts';
import { startAppProcess } from './support/app-process.ts';
import { notification, postIncident } from './support/incident-requests.ts';
import type { AppProcess } from './support/app-process.ts';
import { rawPost, sample } from './support/raw-http.ts';
import { startRedisServer } from './support/redis-server.ts';
import type { RedisServer } from './support/redis-server.ts';
import { startWorld } from './support/world.ts';
import type { World } from './support/world.ts';

/**
 * POST /alertmanager and POST /chaos on the real app process, against the GitHub fake: every
 * refusal is checked by trying to get past it, and "nothing written" by the fake's request log.
 */

const AM_TOKEN = 'am-token-0123456789abcdef';
const CHAOS_TOKEN = 'chaos-token-0123456789abcdef';

let world: World;

beforeAll(async () => {
  world = await startWorld({
    STEWARD_ALERTMANAGER_TOKEN: AM_TOKEN,
    STEWARD_CHAOS_TOKEN: CHAOS_TOKEN,
  });
  world.github.addRepo({ owner: 'acme', repo: 'widgets', defaultBranch: 'main' });
});

afterAll(async () => {
  await world?.close();
});

function post(
  app: AppProcess,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): ReturnType<typeof postIncident> {
  return postIncident(app, path, body, { authorization: `Bearer ${AM_TOKEN}`, ...headers });
}

async function metrics(): Promise<string> {
  return (await fetch(`${world.app.url}/metrics`)).text();
}

describe('POST /alertmanager: who may post', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an empty bearer token', 'Bearer '],
    ['another scheme', `Basic ${Buffer.from(`x:${AM_TOKEN}`).toString('base64')}`],
    ['the token without its scheme', AM_TOKEN],
    ['a wrong token', 'Bearer wrong-token-0123456789abcdef'],
    ['the token with one more character', `Bearer ${AM_TOKEN}x`],
    ['a prefix of the token', `Bearer ${AM_TOKEN.slice(0, -1)}`],
    ['the token in another case', `Bearer ${AM_TOKEN.toUpperCase()}`],
    ['the chaos route’s token', `Bearer ${CHAOS_TOKEN}`],
    ['the token and more words', `Bearer ${AM_TOKEN} ${AM_TOKEN}`],
  ])('answers 401 to %s, and GitHub hears nothing', async (_, authorization) => {
    const before = world.github.requests.length;
    const refusedBefore = sample(
      await metrics(),
      'steward_app_alerts_refused_total{route="alertmanager",reason="unauthorized"}',
    );
    const response = await fetch(`${world.app.url}/alertmanager`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization === undefined ? {} : { authorization }),
      },
      body: JSON.stringify(notification()),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.text()).not.toContain(AM_TOKEN);
    expect(world.github.requests.length).toBe(before);
    expect(
      sample(
        await metrics(),
        'steward_app_alerts_refused_total{route="alertmanager",reason="unauthorized"}',
      ),
    ).toBe(refusedBefore + 1);
  });

  it('refuses a wrong token before reading the body: a huge body is never taken in', async () => {
    const body = Buffer.alloc(8 * 1024 * 1024, 'z');
    const answer = await rawPost(`${world.app.url}/alertmanager`, {
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body,
      declareLength: false,
    }).answered;
    // The app answers at once and closes; a client still sending may see the close instead.
    if (answer.status !== null) expect(answer.status).toBe(401);
    else expect(answer.error).toMatch(/EPIPE|ECONNRESET|socket hang up/);
  });

  it.each([
    '/alertmanager/',
    '/./alertmanager',
    '/x/../alertmanager',
    '/alertmanager?a=1',
    '/alertmanager#x',
  ])('guards every spelling of the path: %s', async (path) => {
    const before = world.github.requests.length;
    const answer = await rawPost(world.app.url, {
      path,
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' },
      body: Buffer.from(JSON.stringify(notification())),
    }).answered;
    expect(answer.status).toBe(401);
    expect(world.github.requests.length).toBe(before);
  });

  it('takes the scheme in any case, as HTTP says', async () => {
    const response = await post(world.app, '/alertmanager', '{', {
      authorization: `bearer ${AM_TOKEN}`,
    });
    expect(response.status).toBe(400);
  });
});

describe('POST /alertmanager: what it takes', () => {
  it('answers 400 naming the field of a malformed payload, and writes nothing', async () => {
    const before = world.github.requests.length;
    const payload = notification();
    payload.alerts[0]!.startsAt = 'yesterday';
    const response = await post(world.app, '/alertmanager', payload);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual({
      error: expect.stringContaining('alerts[0].startsAt') as unknown,
    });
    expect(response.text).not.toMatch(/\n\s+at /);
    expect(world.github.requests.length).toBe(before);
  });

  it.each([
    ['a version other than 4', { ...notification(), version: '3' }, 'version'],
    ['alerts that are not a list', { ...notification(), alerts: {} }, 'alerts'],
    ['a JSON array', [notification()], 'expected a JSON object'],
  ])('answers 400 to %s', async (_, body, field) => {
    const response = await post(world.app, '/alertmanager', body);
    expect(response.status).toBe(400);
    expect(response.text).toContain(field);
  });

  it.each([
    ['a body that is not JSON', '{"version":', {}],
    [
      'a JSON body sent as text/plain',
      JSON.stringify(notification()),
      { 'content-type': 'text/plain' },
    ],
    ['a body with no Content-Type', JSON.stringify(notification()), { 'content-type': '' }],
  ])('answers 400 to %s', async (_, body, headers) => {
    const before = world.github.requests.length;
    const response = await post(world.app, '/alertmanager', body, headers);
    expect(response.status).toBe(400);
    expect(world.github.requests.length).toBe(before);
  });

  it.each([
    ['declared', true],
    ['chunked', false],
  ])('answers 413 to a body over 1 MiB (%s length)', async (_, declareLength) => {
    const before = world.github.requests.length;
    const filler = 'x'.repeat(2 * 1024 * 1024);
    const body = Buffer.from(JSON.stringify({ ...notification(), receiver: filler }));
    const answer = await rawPost(`${world.app.url}/alertmanager`, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
      body,
      declareLength,
    }).answered;
    if (answer.status !== null) {
      expect(answer.status).toBe(413);
      expect(answer.text).toContain('1 MiB');
    } else expect(answer.error).toMatch(/EPIPE|ECONNRESET|socket hang up/);
    expect(world.github.requests.length).toBe(before);
    // The app still answers.
    expect((await fetch(`${world.app.url}/healthz`)).status).toBe(200);
  });
});

describe('POST /alertmanager: where it goes', () => {
  it('refuses a repository where the app is not installed: 422, a log line, a metric, nothing written', async () => {
    const payload = notification('acme/not-installed');
    const response = await post(world.app, '/alertmanager', payload);
    expect(response.status).toBe(422);
    expect(JSON.parse(response.text)).toEqual({
      error: 'the app is not installed on acme/not-installed (or it does not exist)',
    });
    const asked = world.github.requests.filter((r) => r.path.includes('acme/not-installed'));
    expect(asked.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/not-installed/installation',
    ]);
    expect(
      world.github.requests.filter((r) => r.method !== 'GET' && r.path.includes('/issues')),
    ).toEqual([]);
    await world.app.waitForLog(
      (l) => l.repository === 'acme/not-installed' && l['reason'] === 'not_installed',
      'the refusal',
    );
    expect(
      sample(
        await metrics(),
        'steward_app_alerts_refused_total{route="alertmanager",reason="not_installed"}',
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it('refuses a repository that exists but where the app is not installed, writing nothing', async () => {
    world.github.addRepo({
      owner: 'acme',
      repo: 'elsewhere',
      defaultBranch: 'main',
      installed: false,
    });
    const response = await post(world.app, '/alertmanager', notification('acme/elsewhere'));
    expect(response.status).toBe(422);
    expect(response.text).toContain('not installed on acme/elsewhere');
    const asked = world.github.requests.filter((r) => r.path.startsWith('/repos/acme/elsewhere'));
    expect(asked.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/elsewhere/installation',
    ]);
    // The chaos route refuses it the same way.
    const chaos = await post(
      world.app,
      '/chaos?repo=acme/elsewhere',
      readFileSync('test/chaos/fixtures/litmus-3.0.0-beta2-result.json', 'utf8'),
      { authorization: `Bearer ${CHAOS_TOKEN}` },
    );
    expect(chaos.status).toBe(422);
    expect(writesTo('acme/elsewhere')).toEqual([]);
    expect(world.github.issues('acme', 'elsewhere')).toEqual([]);
  });

  it.each([
    ['a path in the owner', '../etc/widgets'],
    ['a URL', 'https://evil.example/acme/widgets'],
    ['no slash', 'widgets'],
    ['a query', 'acme/widgets?x=1'],
    ['dot dot as the name', 'acme/..'],
    ['an owner starting with a hyphen', '-acme/widgets'],
    ['a newline', 'acme/widgets\nacme/other'],
  ])('refuses a repository label with %s before asking GitHub anything', async (_, repo) => {
    const before = world.github.requests.length;
    const response = await post(world.app, '/alertmanager', notification(repo));
    expect(response.status).toBe(422);
    expect(response.text).toContain('not a repository as owner/name');
    expect(world.github.requests.length).toBe(before);
  });

  it('refuses alerts of one notification that name different repositories', async () => {
    const before = world.github.requests.length;
    const payload = notification(null);
    payload.alerts.push({
      ...payload.alerts[0]!,
      fingerprint: 'b1b2c3d4e5f60718',
      labels: { ...payload.alerts[0]!.labels, steward_repo: 'acme/other' },
    });
    payload.alerts[0]!.labels = { ...payload.alerts[0]!.labels, steward_repo: 'acme/widgets' };
    const response = await post(world.app, '/alertmanager', payload);
    expect(response.status).toBe(422);
    expect(response.text).toContain('different repositories');
    expect(world.github.requests.length).toBe(before);
  });

  it('refuses a notification with no repository when the app has no default', async () => {
    const response = await post(world.app, '/alertmanager', notification(null));
    expect(response.status).toBe(422);
    expect(response.text).toContain('STEWARD_INCIDENT_REPO is not set');
  });
});

describe('POST /chaos: who may post and what it takes', () => {
  const chaos = (query: string, body: string, token = CHAOS_TOKEN) =>
    post(world.app, `/chaos${query}`, body, {
      authorization: `Bearer ${token}`,
      'content-type': 'application/yaml',
    });

  it('answers 401 to the Alertmanager token, and GitHub hears nothing', async () => {
    const before = world.github.requests.length;
    const response = await chaos('?repo=acme/widgets', 'kind: ChaosResult', AM_TOKEN);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(world.github.requests.length).toBe(before);
  });

  it.each([
    ['no repository', '', 'no repository'],
    ['a repository that is not owner/name', '?repo=acme/widgets/x', 'not a repository'],
    ['two repositories', '?repo=acme/widgets&repo=acme/other', 'once'],
  ])('answers 400 to %s', async (_, query, why) => {
    const response = await chaos(query, 'kind: ChaosResult');
    expect(response.status).toBe(400);
    expect(response.text).toContain(why);
  });

  it('answers 413 to a body over 5 MiB', async () => {
    const before = world.github.requests.length;
    const body = Buffer.from(`# ${'x'.repeat(6 * 1024 * 1024)}\nkind: ChaosResult\n`);
    const answer = await rawPost(`${world.app.url}/chaos?repo=acme/widgets`, {
      headers: { 'content-type': 'application/yaml', authorization: `Bearer ${CHAOS_TOKEN}` },
      body,
    }).answered;
    if (answer.status !== null) {
      expect(answer.status).toBe(413);
      expect(answer.text).toContain('5 MiB');
    } else expect(answer.error).toMatch(/EPIPE|ECONNRESET|socket hang up/);
    expect(world.github.requests.length).toBe(before);
  });

  it('answers 400 to a body that is not UTF-8', async () => {
    const answer = await rawPost(`${world.app.url}/chaos?repo=acme/widgets`, {
      headers: { 'content-type': 'application/yaml', authorization: `Bearer ${CHAOS_TOKEN}` },
      body: Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a]),
    }).answered;
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('not UTF-8');
  });

  it.each([
    ['an empty body', '', 'no Kubernetes object'],
    [
      'a kind Steward does not read',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
      'ConfigMap',
    ],
    ['text that is not YAML', 'a: [b\n', 'POST /chaos'],
  ])('answers 400 naming why to %s, and GitHub hears nothing', async (_, body, why) => {
    const before = world.github.requests.length;
    const response = await chaos('?repo=acme/widgets', body);
    expect(response.status).toBe(400);
    expect(response.text).toContain('no chaos result read');
    expect(response.text).toContain(why);
    expect(world.github.requests.length).toBe(before);
  });
});

describe('routes without a token are off', () => {
  let bare: AppProcess;
  beforeAll(async () => {
    bare = await startAppProcess({ GHE_HOST: world.github.host });
  });
  afterAll(async () => {
    await bare?.stop();
  });

  it.each(['/alertmanager', '/chaos?repo=acme/widgets'])(
    'answers 404 to POST %s, whatever the token',
    async (path) => {
      const before = world.github.requests.length;
      for (const authorization of [undefined, `Bearer ${AM_TOKEN}`, 'Bearer ']) {
        const response = await fetch(`${bare.url}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(authorization ? { authorization } : {}),
          },
          body: JSON.stringify(notification()),
        });
        expect(response.status).toBe(404);
      }
      expect(world.github.requests.length).toBe(before);
    },
  );
});

interface FakeIssue {
  number: number;
  state: string;
  title: string;
  body: string;
  labels: { name: string }[];
}

/** The repository's issues as GitHub lists them (through the fake's REST API). */
async function issuesOf(repo: string): Promise<FakeIssue[]> {
  const response = await fetch(`${world.github.url}/repos/${repo}/issues?state=all&per_page=100`, {
    headers: { authorization: `token ${world.github.token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as FakeIssue[];
}

/** What the app wrote to a repository: every request but reads. */
function writesTo(repo: string) {
  return world.github.requests.filter(
    (r) => r.method !== 'GET' && r.path.startsWith(`/repos/${repo}/`),
  );
}

describe('POST /alertmanager: recorded before the answer', () => {
  it('makes one issue of a firing notification, and nothing more of the same one again', async () => {
    world.github.addRepo({ owner: 'acme', repo: 'recorded', defaultBranch: 'main' });
    const payload = notification('acme/recorded', 'Recorded');
    const first = await post(world.app, '/alertmanager', payload);
    expect(first.status).toBe(200);
    const answer = JSON.parse(first.text) as {
      action: string;
      issue: { number: number; url: string };
    };
    expect(answer).toEqual({
      action: 'create',
      issue: { number: expect.any(Number) as unknown, url: expect.any(String) as unknown },
    });
    const issues = await issuesOf('acme/recorded');
    expect(issues.map((i) => i.number)).toEqual([answer.issue.number]);
    expect(issues[0]!.labels.map((l) => l.name).sort()).toEqual(['incident', 'severity:critical']);
    expect(issues[0]!.state).toBe('open');

    const written = writesTo('acme/recorded').length;
    const again = await post(world.app, '/alertmanager', payload);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toEqual({ action: 'none', issue: answer.issue });
    expect(writesTo('acme/recorded').length).toBe(written);
    expect((await issuesOf('acme/recorded')).length).toBe(1);
    const text = await metrics();
    for (const outcome of ['recorded', 'duplicate']) {
      const labels = `{route="alertmanager",outcome="${outcome}"}`;
      expect(
        sample(text, `steward_app_incident_notifications_total${labels}`),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(text, `steward_app_incident_handling_seconds_count${labels}`),
      ).toBeGreaterThanOrEqual(1);
    }
  });

  it('writes one post-incident report when the group resolves, and none again on redelivery', async () => {
    world.github.addRepo({ owner: 'acme', repo: 'resolving', defaultBranch: 'main' });
    const firing = notification('acme/resolving', 'Resolving');
    const opened = JSON.parse((await post(world.app, '/alertmanager', firing)).text) as {
      issue: { number: number };
    };
    const resolved = {
      ...firing,
      status: 'resolved',
      alerts: firing.alerts.map((a) => ({
        ...a,
        status: 'resolved',
        endsAt: '2026-12-04T18:30:00Z',
      })),
    };
    const response = await post(world.app, '/alertmanager', resolved);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({
      action: 'update',
      issue: expect.objectContaining({ number: opened.issue.number }) as unknown,
    });
    const reports = () =>
      world.github
        .comments('acme', 'resolving', opened.issue.number)
        .filter((c) => c.body.startsWith('<!-- steward:incident-report '));
    expect(reports()).toHaveLength(1);
    // The impact starts when the alert started firing.
    expect(reports()[0]!.body).toContain('`2026-12-04T18:00:00.000Z` →');

    const again = await post(world.app, '/alertmanager', resolved);
    expect(JSON.parse(again.text)).toMatchObject({ action: 'none' });
    expect(reports()).toHaveLength(1);
  });

  it('routes by the label of the alerts when the group has none', async () => {
    world.github.addRepo({ owner: 'acme', repo: 'per-alert', defaultBranch: 'main' });
    const payload = notification(null, 'PerAlert');
    payload.alerts[0]!.labels = { ...payload.alerts[0]!.labels, steward_repo: 'acme/per-alert' };
    const response = await post(world.app, '/alertmanager', payload);
    expect(response.status).toBe(200);
    expect((await issuesOf('acme/per-alert')).length).toBe(1);
  });

  it('answers 500 without a stack when GitHub fails, logs the repository, and frees the incident', async () => {
    world.github.addRepo({ owner: 'acme', repo: 'broken', defaultBranch: 'main' });
    world.github.failRequests({
      method: 'POST',
      pathPattern: /^\/repos\/acme\/broken\/issues$/,
      status: 502,
    });
    const payload = notification('acme/broken', 'Broken');
    const response = await post(world.app, '/alertmanager', payload);
    expect(response.status).toBe(500);
    expect(response.text).not.toMatch(/\n\s+at |\.ts:\d+/);
    const line = await world.app.waitForLog(
      (l) => l.repository === 'acme/broken' && typeof l['reason'] === 'string',
      'why acme/broken failed',
    );
    expect(line.level).toBe(50);
    // The lease was released: a retry is handled at once (500 again), not kept waiting (503).
    expect((await post(world.app, '/alertmanager', payload)).status).toBe(500);
  });
});

describe('POST /chaos: a failed experiment is an incident', () => {
  it('opens one issue for a failed Litmus result, and answers the verdict', async () => {
    world.github.addRepo({ owner: 'acme', repo: 'chaotic', defaultBranch: 'main' });
    const body = readFileSync('test/chaos/fixtures/litmus-3.0.0-beta2-result.json', 'utf8');
    const response = await post(world.app, '/chaos?repo=acme/chaotic', body, {
      authorization: `Bearer ${CHAOS_TOKEN}`,
    });
    expect(response.status).toBe(200);
    const answer = JSON.parse(response.text) as {
      verdict: string;
      failed: number;
      issues: { number: number; action: string }[];
    };
    expect(answer).toMatchObject({ verdict: 'fail', failed: 1 });
    expect(answer.issues.map((i) => i.action)).toEqual(['create']);
    const issues = await issuesOf('acme/chaotic');
    expect(issues.map((i) => i.number)).toEqual([answer.issues[0]!.number]);
    expect(issues[0]!.labels.map((l) => l.name)).toContain('incident');

    // The same result again: the same issue (whether its body is touched is the payload's business).
    const again = await post(world.app, '/chaos?repo=acme/chaotic', body, {
      authorization: `Bearer ${CHAOS_TOKEN}`,
    });
    expect(again.status).toBe(200);
    expect(
      (JSON.parse(again.text) as { issues: { number: number }[] }).issues.map((i) => i.number),
    ).toEqual([answer.issues[0]!.number]);
    expect((await issuesOf('acme/chaotic')).length).toBe(1);
  });

  it('opens none for a passed experiment, and resolves the incident of one that failed before', async () => {
    world.github.addRepo({ owner: 'acme', repo: 'recovering', defaultBranch: 'main' });
    const failed = readFileSync('test/chaos/fixtures/litmus-3.0.0-beta2-result.json', 'utf8');
    const passed = failed.replace('"verdict": "Fail"', '"verdict": "Pass"');
    expect(passed).not.toBe(failed);
    const send = (body: string) =>
      post(world.app, '/chaos?repo=acme/recovering', body, {
        authorization: `Bearer ${CHAOS_TOKEN}`,
      });

    const first = await send(passed);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toMatchObject({ verdict: 'pass', passed: 1, issues: [] });
    expect(writesTo('acme/recovering')).toEqual([]);

    const opened = JSON.parse((await send(failed)).text) as { issues: { number: number }[] };
    expect(opened.issues).toHaveLength(1);
    const resolved = JSON.parse((await send(passed)).text) as {
      issues: { number: number; action: string }[];
    };
    expect(resolved.issues).toEqual([
      expect.objectContaining({ number: opened.issues[0]!.number, action: 'update' }),
    ]);
    expect(world.github.issues('acme', 'recovering')).toHaveLength(1);
  });

  it('opens none when the repository says chaos.incident: false', async () => {
    world.github.addRepo({ owner: 'acme', repo: 'calm', defaultBranch: 'main' });
    world.github.setFileContents('acme', 'calm', 'main', {
      '.github/steward.yml': 'chaos:\n  incident: false\n',
    });
    const body = readFileSync('test/chaos/fixtures/litmus-3.0.0-beta2-result.json', 'utf8');
    const response = await post(world.app, '/chaos?repo=acme/calm', body, {
      authorization: `Bearer ${CHAOS_TOKEN}`,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ verdict: 'fail', failed: 1, issues: [] });
    expect(writesTo('acme/calm')).toEqual([]);
  });
});

describe('two instances sharing Redis', () => {
  let redis: RedisServer;
  let apps: AppProcess[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    apps = await Promise.all(
      [0, 1].map(() =>
        startAppProcess({
          GHE_HOST: world.github.host,
          REDIS_URL: redis.url,
          STEWARD_ALERTMANAGER_TOKEN: AM_TOKEN,
        }),
      ),
    );
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    redis?.stop();
  });

  it('make one issue of the same notification received by both at once', async () => {
    world.github.addRepo({ owner: 'acme', repo: 'shared', defaultBranch: 'main' });
    const payload = notification('acme/shared', 'Shared');
    const answers = await Promise.all(
      [...apps, ...apps].map((app) => post(app, '/alertmanager', payload)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const actions = answers.map((a) => (JSON.parse(a.text) as { action: string }).action).sort();
    expect(actions).toEqual(['create', 'none', 'none', 'none']);
    expect((await issuesOf('acme/shared')).length).toBe(1);
  });

  it('answer 503 beyond MAX_HANDLERS incident requests at once', async () => {
    world.github.addRepo({ owner: 'acme', repo: 'crowded', defaultBranch: 'main' });
    const narrow = await startAppProcess({
      GHE_HOST: world.github.host,
      REDIS_URL: redis.url,
      STEWARD_ALERTMANAGER_TOKEN: AM_TOKEN,
      MAX_HANDLERS: '1',
    });
    const payload = notification('acme/crowded', 'Crowded');
    const key = `steward:claim:incident:acme/crowded:${createHash('sha256').update(payload.groupKey).digest('hex')}`;
    const client = new Redis(redis.url);
    try {
      await client.set(key, '1', 'PX', 120_000);
      const waiting = post(narrow, '/alertmanager', payload);
      await narrow.waitForLog(
        (l) => l.msg === 'waiting for another request recording this incident',
        'that the first request waits',
      );
      const crowded = await post(narrow, '/alertmanager', notification('acme/crowded', 'Other'));
      expect(crowded.status).toBe(503);
      expect(crowded.text).toContain('too many incident requests');
      expect(crowded.headers.get('retry-after')).toBe('10');
      await client.del(key);
      expect((await waiting).status).toBe(200);
    } finally {
      client.disconnect();
      await narrow.stop();
    }
  }, 90_000);

  it('keep a notification waiting while another holds its incident, then answer 503 to retry', async () => {
    world.github.addRepo({ owner: 'acme', repo: 'held', defaultBranch: 'main' });
    const payload = notification('acme/held', 'Held');
    const key = `steward:claim:incident:acme/held:${createHash('sha256').update(payload.groupKey).digest('hex')}`;
    const client = new Redis(redis.url);
    try {
      await client.set(key, '1', 'PX', 120_000);
      const busy = await post(apps[0]!, '/alertmanager', payload);
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('10');
      expect(writesTo('acme/held')).toEqual([]);
      await client.del(key);
      expect((await post(apps[1]!, '/alertmanager', payload)).status).toBe(200);
    } finally {
      client.disconnect();
    }
  }, 90_000);
});

describe('the post-incident report with the app’s model key', () => {
  let anthropic: AnthropicFake;
  let modelApp: AppProcess;
  beforeAll(async () => {
    anthropic = await startAnthropicFake({ apiKey: 'sk-ant-test' });
    modelApp = await startAppProcess({
      GHE_HOST: world.github.host,
      STEWARD_ALERTMANAGER_TOKEN: AM_TOKEN,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: anthropic.url,
    });
  });
  afterAll(async () => {
    await modelApp?.stop();
    await anthropic?.close();
  });

  it('adds the hypothesis the model gives, citing the alert', async () => {
    world.github.addRepo({ owner: 'acme', repo: 'explained', defaultBranch: 'main' });
    anthropic.enqueue({
      toolUse: {
        name: 'incident_hypothesis',
        input: {
          hypothesis: 'The latency alert fired with no change merged before it: look at load.',
          cites: ['alert:a1b2c3d4e5f60718'],
        },
      },
    });
    const firing = notification('acme/explained', 'Explained');
    const opened = JSON.parse((await post(modelApp, '/alertmanager', firing)).text) as {
      issue: { number: number };
    };
    const resolved = {
      ...firing,
      status: 'resolved',
      alerts: firing.alerts.map((a) => ({
        ...a,
        status: 'resolved',
        endsAt: '2026-12-04T18:30:00Z',
      })),
    };
    expect((await post(modelApp, '/alertmanager', resolved)).status).toBe(200);
    const report = world.github
      .comments('acme', 'explained', opened.issue.number)
      .find((c) => c.body.startsWith('<!-- steward:incident-report '));
    expect(report?.body).toContain('### Hypothesis (unverified)');
    expect(report?.body).toContain('look at load');
    expect(anthropic.requests).toHaveLength(1);
    anthropic.assertNoUnexpected();
  });
});
