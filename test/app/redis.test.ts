import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake } from '../support/github-fake/index.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';
import { startAppProcess } from './support/app-process.ts';
import type { AppProcess } from './support/app-process.ts';
import { commentPayload } from './support/payloads.ts';
import { startRedisServer } from './support/redis-server.ts';
import type { RedisServer } from './support/redis-server.ts';

/**
 * Two app instances behind one (imagined) load balancer, sharing a real redis-server on loopback:
 * GitHub throttling through Probot's REDIS_URL support, and the delivery ledger, so a
 * redelivery that lands on the other instance still does nothing twice.
 */
let redis: RedisServer | undefined;
let github: GitHubFake;
let apps: AppProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  github = await startGitHubFake({ botLogin: 'steward-app[bot]', installationId: 7 });
  github.addRepo({ owner: 'acme', repo: 'widgets' });
  apps = await Promise.all([
    startAppProcess({ GHE_HOST: github.host, REDIS_URL: redis.url }),
    startAppProcess({ GHE_HOST: github.host, REDIS_URL: redis.url }),
  ]);
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await github?.close();
  redis?.stop();
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

    const client = new Redis(redis!.url);
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
