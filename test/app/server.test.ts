import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake } from '../support/github-fake/index.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';
import { PRIVATE_KEY, runAppExpectingExit, startAppProcess } from './support/app-process.ts';
import type { AppProcess } from './support/app-process.ts';
import { commentPayload, installationPayload } from './support/payloads.ts';

/** The server around the handlers: signatures, start-up checks, operations and shutdown. */
let github: GitHubFake;
let app: AppProcess;
beforeAll(async () => {
  github = await startGitHubFake({ botLogin: 'steward-app[bot]' });
  github.addRepo({ owner: 'acme', repo: 'widgets' });
  app = await startAppProcess({ GHE_HOST: github.host });
});
afterAll(async () => {
  await app.stop();
  github.assertNoUnexpected();
  await github.close();
});

const target = { owner: 'acme', repo: 'widgets', installationId: 1 };

describe('the app server', () => {
  it('rejects a webhook signed with another secret, before any handler runs', async () => {
    const payload = commentPayload(target, {
      id: 1,
      issueNumber: 1,
      body: '/steward help',
      login: 'mona',
    });
    const sent = await app.send('issue_comment', payload, { secret: 'not-the-secret' });
    expect(sent.status).toBe(400);
    expect(sent.body).toMatch(/signature does not match/);
    const unsigned = await fetch(`${app.url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': 'x',
      },
      body: '{}',
    });
    expect(unsigned.status).toBe(400);
    expect(github.requests).toEqual([]);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(
      /steward_app_webhooks_total\{event="issue_comment",outcome="rejected"\} 1/,
    );
  });

  it('logs installation events and writes nothing', async () => {
    const sent = await app.send('installation', installationPayload(1, 'created'));
    expect(sent.status).toBe(200);
    const line = await app.waitForLog(
      (l) => l.delivery === sent.delivery && l.msg === 'installation changed',
      'the installation',
    );
    expect(line).toMatchObject({ event: 'installation.created', installation: 1 });
    expect(github.requests).toEqual([]);
  });

  it('answers /healthz and serves Prometheus metrics', async () => {
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', handlersRunning: 0 });
    const metrics = await fetch(`${app.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    for (const name of [
      'steward_app_webhooks_total',
      'steward_app_handler_duration_seconds',
      'steward_app_handlers_in_flight',
      'steward_app_github_requests_total',
      'steward_app_github_rate_limit_remaining',
      'steward_app_model_tokens_total',
      'steward_app_process_resident_memory_bytes',
    ])
      expect(text).toContain(`# TYPE ${name}`);
  });
});

describe('starting and stopping', () => {
  it('refuses to start without its settings, naming each missing variable', async () => {
    const { code, stderr } = await runAppExpectingExit({ APP_ID: 'abc' });
    expect(code).toBe(1);
    expect(stderr).toContain('steward app: the Steward app cannot start:');
    expect(stderr).toContain(
      '  - WEBHOOK_SECRET is not set: set it to the webhook secret of the GitHub App',
    );
    expect(stderr).toContain('  - APP_ID must be the App\'s numeric ID, got "abc"');
    expect(stderr).toContain('  - PRIVATE_KEY and PRIVATE_KEY_PATH are both unset');
    const secretOnly = await runAppExpectingExit({ APP_ID: '1', PRIVATE_KEY, WEBHOOK_SECRET: '' });
    expect(secretOnly.stderr).toMatch(/WEBHOOK_SECRET is not set/);
    expect(secretOnly.stderr).not.toMatch(/APP_ID|PRIVATE_KEY/);
  });

  it('finishes a running handler before it exits on SIGTERM, and takes no new webhooks', async () => {
    const slow = await startGitHubFake({ botLogin: 'steward-app[bot]' });
    slow.addRepo({ owner: 'acme', repo: 'widgets' });
    slow.addRepo({ owner: 'acme', repo: '.github' });
    const pr = slow.addPullRequest({ owner: 'acme', repo: 'widgets' });
    slow.setPermission('acme', 'widgets', 'mona', 'write');
    const comment = slow.addComment('acme', 'widgets', pr.number, '/steward help', {
      login: 'mona',
      type: 'User',
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let permissionAsked!: () => void;
    const asked = new Promise<void>((resolve) => (permissionAsked = resolve));
    slow.beforeRequest(async (req) => {
      if (req.path.endsWith('/permission')) {
        permissionAsked();
        await held;
      }
    });
    const server = await startAppProcess({ GHE_HOST: slow.host });
    try {
      const payload = commentPayload(target, {
        id: comment.id,
        issueNumber: pr.number,
        body: '/steward help',
        login: 'mona',
      });
      const sent = await server.send('issue_comment', payload);
      expect(sent.status).toBe(200);
      await asked;
      const stopped = server.stop('SIGTERM');
      await server.waitForLog((l) => l.msg === 'shutdown requested', 'the shutdown');
      const health = await fetch(`${server.url}/healthz`).catch(() => null);
      if (health) expect(health.status).toBe(503);
      release();
      expect(await stopped).toBe(0);
      expect(slow.comments('acme', 'widgets', pr.number)).toHaveLength(2);
      expect(slow.reactions('acme', 'widgets', comment.id).map((r) => r.content)).toEqual([
        'eyes',
        'rocket',
      ]);
      slow.assertNoUnexpected();
    } finally {
      release();
      await server.stop();
      await slow.close();
    }
  });
});
