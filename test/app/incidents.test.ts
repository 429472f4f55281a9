import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess } from './support/app-process.ts';
import type { AppProcess } from './support/app-process.ts';
import { rawPost, sample } from './support/raw-http.ts';
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

/** An Alertmanager v4 notification for one firing alert, as its webhook receiver posts it. */
export function notification(repo: string | null = 'acme/widgets', group = 'HighLatency') {
  const routing = repo === null ? {} : { steward_repo: repo };
  return {
    version: '4',
    groupKey: `{}:{alertname="${group}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'steward',
    groupLabels: { alertname: group },
    commonLabels: { alertname: group, severity: 'critical', ...routing },
    commonAnnotations: { summary: 'p99 latency above 1s' },
    externalURL: 'http://alertmanager.example:9093',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: group, severity: 'critical', instance: 'web-1', ...routing },
        annotations: { summary: 'p99 latency above 1s' },
        startsAt: '2026-12-04T18:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example:9090/graph',
        fingerprint: 'a1b2c3d4e5f60718',
      },
    ],
  };
}

export async function post(
  app: AppProcess,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${AM_TOKEN}`,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
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
