import { describe, expect, it } from 'vitest';
import {
  authHeaders,
  parseWatchEnv,
  prometheusAuth,
  secretsOf,
} from '../../actions/anomaly-watch/inputs.ts';
import { createAnomalyWatchAction, defaultBranchOf } from '../../actions/anomaly-watch/main.ts';
import { gitHubTest } from '../support/github-world.ts';
import { runInProcess } from './run-in-process.ts';

/** The watch's inputs, each check tried with what should not pass it; no secret in any error. */

function auth(inputs: Record<string, string>) {
  return prometheusAuth((name) => inputs[name] ?? '');
}

const SECRET = 'pa55-w0rd';

describe('prometheusAuth', () => {
  it('reads no credentials, a bearer token, or basic auth', () => {
    expect(auth({})).toEqual({ kind: 'none' });
    expect(auth({ 'prometheus-token': 'tok' })).toEqual({ kind: 'bearer', token: 'tok' });
    expect(auth({ 'prometheus-username': 'u', 'prometheus-password': SECRET })).toEqual({
      kind: 'basic',
      username: 'u',
      password: SECRET,
    });
  });

  it('refuses both kinds at once, and half of basic auth, naming the input', () => {
    expect(() => auth({ 'prometheus-token': 'tok', 'prometheus-username': 'u' })).toThrow(
      /not both$/,
    );
    expect(() => auth({ 'prometheus-password': SECRET })).toThrow(
      /^Input prometheus-username is empty: basic auth needs both/,
    );
    expect(() => auth({ 'prometheus-username': 'u' })).toThrow(
      /^Input prometheus-password is empty/,
    );
  });

  it('refuses what a header cannot carry without quoting the secret', () => {
    for (const [name, value] of [
      ['prometheus-token', `zq-tkn\r\nX-Evil: 1`],
      ['prometheus-token', 'zq-tkn words'],
      ['prometheus-password', `${SECRET}\n`],
      ['prometheus-password', `${SECRET}é`],
    ] as const) {
      const inputs: Record<string, string> =
        name === 'prometheus-token'
          ? { [name]: value }
          : { 'prometheus-username': 'u', [name]: value };
      let message = '';
      try {
        auth(inputs);
      } catch (error: unknown) {
        message = (error as Error).message;
      }
      expect(message).toMatch(new RegExp(`^Input ${name} holds a space, line break or non-ASCII`));
      expect(message).not.toContain(SECRET);
      expect(message).not.toContain('zq-tkn');
    }
    expect(() => auth({ 'prometheus-username': 'a:b', 'prometheus-password': SECRET })).toThrow(
      /^Input prometheus-username holds a ":"/,
    );
  });

  it('masks the credentials and the header made of them', () => {
    const basic = auth({ 'prometheus-username': 'u', 'prometheus-password': SECRET });
    const encoded = Buffer.from(`u:${SECRET}`).toString('base64');
    expect(authHeaders(basic)).toEqual({ Authorization: `Basic ${encoded}` });
    expect(secretsOf(basic)).toEqual(['u', SECRET, encoded]);
    expect(secretsOf({ kind: 'bearer', token: 'tok' })).toEqual(['tok']);
    expect(authHeaders({ kind: 'none' })).toEqual({});
    expect(secretsOf({ kind: 'none' })).toEqual([]);
  });
});

describe('parseWatchEnv', () => {
  const env = {
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_EVENT_PATH: '/dev/null',
    'INPUT_GITHUB-TOKEN': 'ghs_x',
  };

  it('checks prometheus-url as the config does: http(s), no credentials, no query', () => {
    expect(
      parseWatchEnv({ ...env, 'INPUT_PROMETHEUS-URL': 'http://prom:9090/' }).prometheusUrl,
    ).toBe('http://prom:9090');
    expect(parseWatchEnv(env).prometheusUrl).toBeNull();
    expect(() => parseWatchEnv({ ...env, 'INPUT_PROMETHEUS-URL': 'file:///etc/passwd' })).toThrow(
      /^Input prometheus-url: expected an http or https URL/,
    );
    expect(() =>
      parseWatchEnv({ ...env, 'INPUT_PROMETHEUS-URL': `https://u:${SECRET}@prom:9090` }),
    ).toThrow(/^Input prometheus-url: prometheus-url must not carry a user name or password/);
    expect(() =>
      parseWatchEnv({ ...env, 'INPUT_PROMETHEUS-URL': `https://u:${SECRET}@prom:9090` }),
    ).not.toThrow(new RegExp(SECRET));
  });
});

describe('defaultBranchOf', () => {
  it("takes the event's default branch, or the branch a schedule runs on", () => {
    const named = { repository: { default_branch: 'trunk' } };
    expect(defaultBranchOf({ eventName: 'workflow_dispatch', ref: 'refs/heads/x' }, named)).toBe(
      'trunk',
    );
    expect(defaultBranchOf({ eventName: 'schedule', ref: 'refs/heads/main' }, {})).toBe('main');
  });

  it('refuses an event that names no default branch, outside a schedule', () => {
    expect(() => defaultBranchOf({ eventName: 'push', ref: 'refs/heads/main' }, {})).toThrow(
      /^The push event names no repository\.default_branch/,
    );
    expect(() => defaultBranchOf({ eventName: 'schedule', ref: 'refs/tags/v1' }, null)).toThrow(
      /names no repository\.default_branch/,
    );
    expect(() =>
      defaultBranchOf({ eventName: 'push', ref: '' }, { repository: { default_branch: 7 } }),
    ).toThrow(/names no repository\.default_branch/);
  });
});

const world = gitHubTest({ token: 'ghs_watch_inputs' });

describe('the watch without series or Prometheus', () => {
  async function run(github: Parameters<typeof runInProcess>[1], config: string) {
    github.fake.setFileContents(github.owner, github.repo, 'main', {
      '.github/steward.yml': config,
    });
    return runInProcess(createAnomalyWatchAction({ mask: () => {} }), github, {
      eventName: 'schedule',
      payload: {},
      env: { GITHUB_REF: 'refs/heads/main' },
    });
  }

  world('fails saying there is nothing to watch', async ({ github }) => {
    await expect(run(github, 'anomaly:\n  prometheus: http://prom:9090\n')).rejects.toThrow(
      /^Steward anomaly watch has nothing to watch: anomaly\.series is empty in \.github\/steward\.yml \(at main\)/,
    );
  });

  world('fails saying where to give Prometheus', async ({ github }) => {
    await expect(
      run(github, 'anomaly:\n  series:\n    - name: up\n      query: up\n'),
    ).rejects.toThrow(
      /^Steward anomaly watch has no Prometheus to read: set anomaly\.prometheus in \.github\/steward\.yml or the action's prometheus-url input$/,
    );
  });
});
