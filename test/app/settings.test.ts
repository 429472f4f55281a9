import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAllowedRepo, readSettings, SettingsError } from '../../app/settings.ts';
import { memoryLeases } from '../../app/leases.ts';

const PEM = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
  type: 'pkcs1',
  format: 'pem',
}) as string;
const BASE = { APP_ID: '42', WEBHOOK_SECRET: 's3cret', PRIVATE_KEY: PEM };

function problems(env: Record<string, string | undefined>, readFile?: (p: string) => string) {
  try {
    readSettings(env, readFile);
  } catch (error: unknown) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe('readSettings', () => {
  it('reads Probot’s variables, GitHub Enterprise included', () => {
    const settings = readSettings({ ...BASE, GHE_HOST: 'github.example.com:8443', PORT: '0' });
    expect(settings).toMatchObject({
      appId: 42,
      webhookSecret: 's3cret',
      baseUrl: 'https://github.example.com:8443/api/v3',
      port: 0,
      host: 'localhost',
      redisUrl: null,
      webhookPath: '/api/github/webhooks',
      shutdownGraceMs: 25_000,
    });
    expect(readSettings(BASE).baseUrl).toBe('https://api.github.com');
  });

  it('reads the bounds and the GitHub deadline, naming a bad value', () => {
    expect(readSettings(BASE)).toMatchObject({
      githubTimeoutMs: 30_000,
      maxHandlers: 256,
      maxHandlersPerInstallation: 32,
      maxUnverifiedBodies: 64,
      maxUnverifiedBytes: 64 * 1024 * 1024,
    });
    expect(
      readSettings({ ...BASE, GITHUB_TIMEOUT_SECONDS: '2.5', MAX_HANDLERS: '10' }),
    ).toMatchObject({ githubTimeoutMs: 2500, maxHandlers: 10 });
    expect(problems({ ...BASE, MAX_HANDLERS: 'many', MAX_UNVERIFIED_MB: '0' })).toEqual([
      'MAX_HANDLERS must be a positive number (handlers running at once), got "many"',
      'MAX_UNVERIFIED_MB must be a positive number (megabytes of webhook bodies held before their signature is checked), got "0"',
    ]);
  });

  it.each([
    ['a PEM with real newlines', PEM],
    ['a PEM with \\n written out', PEM.replace(/\n/g, '\\n')],
    ['base64 of a PEM', Buffer.from(PEM).toString('base64')],
  ])('takes PRIVATE_KEY as %s', (_, value) => {
    expect(readSettings({ ...BASE, PRIVATE_KEY: value }).privateKey.trim()).toBe(PEM.trim());
  });

  it('reads PRIVATE_KEY_PATH and says when it cannot', () => {
    const env = { ...BASE, PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: '/keys/app.pem' };
    expect(readSettings(env, () => PEM).privateKey).toBe(PEM);
    expect(
      problems(env, () => {
        throw new Error('ENOENT: no such file');
      }),
    ).toEqual(['PRIVATE_KEY_PATH is "/keys/app.pem", which cannot be read: ENOENT: no such file']);
  });

  it('names every problem at once', () => {
    expect(
      problems({
        APP_ID: '',
        PRIVATE_KEY: 'nope',
        PORT: 'eighty',
        GHE_PROTOCOL: 'ftp',
        REDIS_URL: 'localhost:6379',
      }),
    ).toEqual([
      expect.stringMatching(/^WEBHOOK_SECRET is not set/),
      expect.stringMatching(/^APP_ID is not set/),
      expect.stringMatching(/^PRIVATE_KEY is neither a PEM private key/),
      'PORT must be a port number from 0 to 65535, got "eighty"',
      'GHE_PROTOCOL must be https or http, got "ftp"',
      'REDIS_URL must be a redis:// or rediss:// URL, got "localhost:6379"',
    ]);
  });
});

describe('readSettings: the incident routes', () => {
  const TOKEN = '0123456789abcdef';

  it('leaves both routes off, with the default label and no default repository, when unset', () => {
    expect(readSettings(BASE).incidents).toEqual({
      alertmanagerToken: null,
      chaosToken: null,
      repoLabel: 'steward_repo',
      defaultRepo: null,
      allowedRepos: null,
      model: null,
    });
  });

  it('reads the tokens, the label and the default repository', () => {
    expect(
      readSettings({
        ...BASE,
        STEWARD_ALERTMANAGER_TOKEN: ` ${TOKEN} `,
        STEWARD_CHAOS_TOKEN: `${TOKEN}-chaos`,
        STEWARD_INCIDENT_REPO_LABEL: 'github_repo',
        STEWARD_INCIDENT_REPO: 'acme-corp/web.site_2',
      }).incidents,
    ).toEqual({
      alertmanagerToken: TOKEN,
      chaosToken: `${TOKEN}-chaos`,
      repoLabel: 'github_repo',
      defaultRepo: { owner: 'acme-corp', repo: 'web.site_2' },
      allowedRepos: null,
      model: null,
    });
    expect(
      readSettings({
        ...BASE,
        ANTHROPIC_API_KEY: 'sk-ant-x',
        ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      }).incidents.model,
    ).toEqual({ apiKey: 'sk-ant-x', baseUrl: 'http://127.0.0.1:9' });
    expect(problems({ ...BASE, ANTHROPIC_BASE_URL: 'localhost:9' })).toEqual([
      'ANTHROPIC_BASE_URL must be an http(s) URL, got "localhost:9"',
    ]);
  });

  it('refuses a short token saying why, without repeating it', () => {
    const found = problems({ ...BASE, STEWARD_ALERTMANAGER_TOKEN: 'hunter2hunter2' });
    expect(found).toEqual([
      'STEWARD_ALERTMANAGER_TOKEN is 14 characters long: it is the bearer token that guards POST /alertmanager, so use at least 16 random characters (openssl rand -hex 32), or unset it to turn the route off',
    ]);
    expect(found.join('\n')).not.toContain('hunter2');
  });

  it.each([
    ['a space inside', 'abcdefgh ijklmnopq'],
    ['a non-ASCII character', 'abcdefghijklmnopé'],
    ['a control character', 'abcdefgh\u0007ijklmnopq'],
  ])('refuses a token with %s', (_, token) => {
    expect(problems({ ...BASE, STEWARD_CHAOS_TOKEN: token })).toEqual([
      expect.stringMatching(/^STEWARD_CHAOS_TOKEN must be printable ASCII without spaces/),
    ]);
  });

  it.each(['steward-repo', '1repo', 'repo name', '__proto__"', 'é'])(
    'refuses the label name %j',
    (label) => {
      expect(problems({ ...BASE, STEWARD_INCIDENT_REPO_LABEL: label })).toEqual([
        `STEWARD_INCIDENT_REPO_LABEL must be a Prometheus label name (letters, digits and _, not starting with a digit), got "${label}"`,
      ]);
    },
  );

  it.each([
    'widgets',
    'acme/widgets/x',
    '../acme/widgets',
    'acme/..',
    '-acme/widgets',
    'acme/wid gets',
    'https://github.com/acme/widgets',
  ])('refuses the default repository %j', (repo) => {
    expect(problems({ ...BASE, STEWARD_INCIDENT_REPO: repo })).toEqual([
      `STEWARD_INCIDENT_REPO must be a repository as owner/name (where the app is installed), got "${repo}"`,
    ]);
  });

  it('reads STEWARD_INCIDENT_REPOS as the only repositories incidents may go to', () => {
    const incidents = readSettings({
      ...BASE,
      STEWARD_INCIDENT_REPOS: 'acme/web, Platform/*  acme/api',
    }).incidents;
    expect(incidents.allowedRepos).toEqual(['acme/web', 'platform/*', 'acme/api']);
    const allowed = (owner: string, repo: string) =>
      isAllowedRepo({ owner, repo }, incidents.allowedRepos);
    expect(allowed('acme', 'web')).toBe(true);
    expect(allowed('ACME', 'Web')).toBe(true);
    expect(allowed('platform', 'anything')).toBe(true);
    expect(allowed('acme', 'private-keys')).toBe(false);
    expect(allowed('acme', 'web2')).toBe(false);
    // `owner/*` is an owner, not a prefix: another owner that starts alike is not in it.
    expect(allowed('platform-evil', 'x')).toBe(false);
    expect(isAllowedRepo({ owner: 'any', repo: 'thing' }, null)).toBe(true);
  });

  it('refuses a malformed STEWARD_INCIDENT_REPOS, and a default repository outside it', () => {
    expect(problems({ ...BASE, STEWARD_INCIDENT_REPOS: 'acme/web, */*, acme' })).toEqual([
      expect.stringMatching(/^STEWARD_INCIDENT_REPOS must list repositories .*"\*\/\*", "acme"/),
    ]);
    expect(
      problems({ ...BASE, STEWARD_INCIDENT_REPOS: 'acme/web', STEWARD_INCIDENT_REPO: 'acme/api' }),
    ).toEqual([expect.stringMatching(/^STEWARD_INCIDENT_REPO \(acme\/api\) is not among/)]);
  });

  it('names every problem at once, with the others', () => {
    expect(
      problems({
        ...BASE,
        PORT: 'x',
        STEWARD_ALERTMANAGER_TOKEN: 'short',
        STEWARD_CHAOS_TOKEN: 'short',
        STEWARD_INCIDENT_REPO_LABEL: 'a-b',
        STEWARD_INCIDENT_REPO: 'nope',
      }),
    ).toEqual([
      expect.stringMatching(/^PORT /),
      expect.stringMatching(/^STEWARD_ALERTMANAGER_TOKEN is 5 characters long/),
      expect.stringMatching(/^STEWARD_CHAOS_TOKEN is 5 characters long/),
      expect.stringMatching(/^STEWARD_INCIDENT_REPO_LABEL /),
      expect.stringMatching(/^STEWARD_INCIDENT_REPO must /),
    ]);
  });
});

describe('memoryLeases', () => {
  it('holds a key until it expires or is released, and forgets the oldest past its size', async () => {
    let now = 0;
    const leases = memoryLeases(2, () => now);
    expect(await leases.claim('a', 10)).toBe(true);
    expect(await leases.claim('a', 10)).toBe(false);
    now = 10;
    expect(await leases.claim('a', 10)).toBe(true);
    await leases.release('a');
    expect(await leases.claim('a', 10)).toBe(true);
    expect(await leases.claim('b', 10)).toBe(true);
    expect(await leases.claim('c', 10)).toBe(true);
    expect(await leases.claim('a', 10)).toBe(true);
  });
});
