import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake } from '../support/github-fake/index.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';
import { startAppProcess } from './support/app-process.ts';
import type { AppProcess } from './support/app-process.ts';
import { commentPayload } from './support/payloads.ts';

/**
 * Two app instances behind one (imagined) load balancer, sharing a real redis-server on loopback:
 * GitHub throttling through Probot's REDIS_URL support, and the delivery ledger, so a
 * redelivery that lands on the other instance still does nothing twice.
 */
const REDIS_SERVER = process.env['STEWARD_REDIS_SERVER'] ?? 'redis-server';

let redis: ChildProcess;
let redisUrl: string;
let github: GitHubFake;
let apps: AppProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  if (spawnSync(REDIS_SERVER, ['--version']).error) {
    throw new Error(
      `${REDIS_SERVER} is not installed: run scripts/setup-system.sh (Debian's redis-server), or point STEWARD_REDIS_SERVER at one`,
    );
  }
  const port = await freePort();
  redisUrl = `redis://127.0.0.1:${port}`;
  redis = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    redis.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) resolve();
    });
    redis.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${out}`)));
  });
  github = await startGitHubFake({ botLogin: 'steward-app[bot]', installationId: 7 });
  github.addRepo({ owner: 'acme', repo: 'widgets' });
  apps = await Promise.all([
    startAppProcess({ GHE_HOST: github.host, REDIS_URL: redisUrl }),
    startAppProcess({ GHE_HOST: github.host, REDIS_URL: redisUrl }),
  ]);
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await github?.close();
  redis?.kill('SIGTERM');
});

describe('two instances sharing Redis', () => {
  it('share the delivery ledger and GitHub throttling', async () => {
    const pr = github.addPullRequest({ owner: 'acme', repo: 'widgets' });
    github.setPermission('acme', 'widgets', 'mona', 'write');
    const comment = github.addComment('acme', 'widgets', pr.number, '/steward help', {
      login: 'mona',
      type: 'User',
    });
    const payload = commentPayload(
      { owner: 'acme', repo: 'widgets', installationId: 7 },
      { id: comment.id, issueNumber: pr.number, body: '/steward help', login: 'mona' },
    );
    const [first, second] = apps as [AppProcess, AppProcess];
    const sent = await first.send('issue_comment', payload);
    // The same delivery again, as a redelivery routed to the other instance.
    await second.send('issue_comment', payload, { delivery: sent.delivery });
    const outcomes = [
      (await first.outcome(sent.delivery)).outcome,
      (await second.outcome(sent.delivery)).outcome,
    ];
    expect(outcomes.sort()).toEqual(['duplicate', 'handled']);
    expect(github.comments('acme', 'widgets', pr.number)).toHaveLength(2);
    expect(github.reactions('acme', 'widgets', comment.id).map((r) => r.content)).toEqual([
      'eyes',
      'rocket',
    ]);

    const client = new Redis(redisUrl);
    try {
      const keys = await client.keys('*');
      // Bottleneck's limiters for this installation's writes live in Redis, for every instance.
      expect(
        keys.some((k) => k.includes('octokit-write') && k.includes('steward-installation-7')),
      ).toBe(true);
      expect(keys).toContain(`steward:claim:delivery:${sent.delivery}`);
    } finally {
      client.disconnect();
    }
    github.assertNoUnexpected();
  });

  it('answer a command arriving at both at once under two new delivery ids once', async () => {
    const pr = github.addPullRequest({ owner: 'acme', repo: 'widgets' });
    github.setPermission('acme', 'widgets', 'lee', 'write');
    const comment = github.addComment('acme', 'widgets', pr.number, '/steward help', {
      login: 'lee',
      type: 'User',
    });
    // Whichever instance gets there first waits at the permission check until the other is done.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    github.beforeRequest(async (req) => {
      if (req.path === '/repos/acme/widgets/collaborators/lee/permission') await held;
    });
    const payload = commentPayload(
      { owner: 'acme', repo: 'widgets', installationId: 7 },
      { id: comment.id, issueNumber: pr.number, body: '/steward help', login: 'lee' },
    );
    const [first, second] = apps as [AppProcess, AppProcess];
    try {
      const [a, b] = await Promise.all([
        first.send('issue_comment', payload),
        second.send('issue_comment', payload),
      ]);
      expect(a.delivery).not.toBe(b.delivery);
      const outcome = (app: AppProcess, delivery: string) =>
        app.waitForLog(
          (l) => l.delivery === delivery && typeof l.outcome === 'string',
          `the outcome of ${delivery}`,
        );
      const done = await Promise.race([outcome(first, a.delivery), outcome(second, b.delivery)]);
      expect(done.outcome).toBe('duplicate');
      release();
      const outcomes = [
        (await outcome(first, a.delivery)).outcome,
        (await outcome(second, b.delivery)).outcome,
      ];
      expect(outcomes.sort()).toEqual(['duplicate', 'handled']);
      const replies = github
        .comments('acme', 'widgets', pr.number)
        .filter((c) => c.user.login === 'steward-app[bot]');
      expect(replies).toHaveLength(1);
      expect(github.reactions('acme', 'widgets', comment.id).map((r) => r.content)).toEqual([
        'eyes',
        'rocket',
      ]);
    } finally {
      release();
    }
    github.assertNoUnexpected();
  });
});
