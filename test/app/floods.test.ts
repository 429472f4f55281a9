import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake } from '../support/github-fake/index.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';
import { WEBHOOK_SECRET, startAppProcess } from './support/app-process.ts';
import type { AppProcess } from './support/app-process.ts';
import { rawPost, sample } from './support/raw-http.ts';
import { startWorld } from './support/world.ts';

/**
 * The webhook endpoint as strangers see it: oversized and unsigned bodies, slow senders, made-up
 * event names, and more work than the app takes on at once. Everything goes through the real
 * server over HTTP.
 */
let github: GitHubFake;
let app: AppProcess;
beforeAll(async () => {
  github = await startGitHubFake({ botLogin: 'steward-app[bot]' });
  app = await startAppProcess({ GHE_HOST: github.host });
});
afterAll(async () => {
  await app.stop();
  github.assertNoUnexpected();
  await github.close();
});

const MiB = 1024 * 1024;
const BAD_SIGNATURE = `sha256=${'0'.repeat(64)}`;

function headers(event: string, delivery: string, signature = BAD_SIGNATURE) {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': signature,
  };
}

async function metrics(target: AppProcess = app): Promise<string> {
  return (await fetch(`${target.url}/metrics`)).text();
}

/** Polls /metrics until `ready` holds (the app has reached the state a test needs). */
async function metricsWhen(target: AppProcess, ready: (text: string) => boolean): Promise<string> {
  for (;;) {
    const text = await metrics(target);
    if (ready(text)) return text;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('unauthenticated floods', () => {
  it('refuses eight 30 MB bodies with a bad signature without holding them, one short log line each', async () => {
    // A payload-shaped body full of a word that must never reach the log.
    const body = Buffer.from(`{"zzz":"${'zzzzzzzz'.repeat((30 * MiB) / 8)}"}`);
    const before = sample(await metrics(), 'steward_app_process_resident_memory_bytes');
    const deliveries = Array.from({ length: 8 }, () => randomUUID());
    const answers = await Promise.all(
      deliveries.map(
        (delivery, i) =>
          rawPost(`${app.url}/api/github/webhooks`, {
            headers: headers('issue_comment', delivery),
            body,
            // Half declare their length, half are chunked so the app only learns the size by reading.
            declareLength: i % 2 === 0,
          }).answered,
      ),
    );
    for (const answer of answers) {
      // The app answers and closes; a client still sending may see the close instead.
      if (answer.status !== null) expect([413, 503]).toContain(answer.status);
      else expect(answer.error).toMatch(/EPIPE|ECONNRESET|socket hang up/);
    }
    const declared = answers.filter((_, i) => i % 2 === 0);
    for (const answer of declared) if (answer.status !== null) expect(answer.status).toBe(413);

    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    const after = sample(await metrics(), 'steward_app_process_resident_memory_bytes');
    // Holding the eight bodies took the old server from 116 MiB to 1.27 GiB.
    expect(after - before).toBeLessThan(200 * MiB);

    const lines = await Promise.all(
      deliveries.map((delivery) =>
        app.waitForLog((l) => l.delivery === delivery, `the refusal of ${delivery}`),
      ),
    );
    for (const delivery of deliveries)
      expect(app.logs.filter((l) => l.delivery === delivery)).toHaveLength(1);
    for (const line of lines) {
      expect(['webhook rejected', 'webhook shed: 503, retry later']).toContain(line.msg);
      expect(line.event).toBe('issue_comment');
      expect(typeof line['reason']).toBe('string');
      expect(JSON.stringify(line).length).toBeLessThan(400);
    }
    expect(JSON.stringify(app.logs)).not.toContain('zzzzzzzz');
    expect(github.requests).toEqual([]);
  });

  it('logs a refused body by delivery, event and reason only, never the payload', async () => {
    const delivery = randomUUID();
    const body = Buffer.from(JSON.stringify({ secret: 'payload-text-'.repeat(5000) }));
    const answer = await rawPost(`${app.url}/api/github/webhooks`, {
      headers: headers('pull_request', delivery),
      body,
    }).answered;
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/signature does not match/);
    const line = await app.waitForLog((l) => l.delivery === delivery, 'the refusal');
    expect(line).toMatchObject({
      msg: 'webhook rejected',
      event: 'pull_request',
      status: 400,
      reason: 'signature does not match event payload and secret',
    });
    expect(JSON.stringify(app.logs)).not.toContain('payload-text-');
  });

  it('counts refusals under event labels from a fixed set, whatever X-GitHub-Event says', async () => {
    const names = Array.from(
      { length: 40 },
      (_, i) => `made_up_event_${i}_${randomUUID().slice(0, 8)}`,
    );
    const before = sample(
      await metrics(),
      'steward_app_webhooks_total{event="other",outcome="rejected"}',
    );
    for (const name of names) {
      const answer = await rawPost(`${app.url}/api/github/webhooks`, {
        headers: headers(name, randomUUID()),
        body: Buffer.from('{}'),
      }).answered;
      expect(answer.status).toBe(400);
    }
    const text = await metrics();
    for (const name of names) expect(text).not.toContain(name);
    expect(
      sample(text, 'steward_app_webhooks_total{event="other",outcome="rejected"}') - before,
    ).toBe(40);
  });
});

describe('what held before the intake was rewritten', () => {
  const sign = (body: string) =>
    `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;

  it.each([
    ['a signed body that is not JSON', 'issue_comment', 'application/json', '{"oops', true, 400],
    ['a signed JSON array', 'issue_comment', 'application/json', '[1,2]', true, 400],
    ['a form-encoded body', 'issue_comment', 'application/x-www-form-urlencoded', 'a=1', true, 415],
    ['no signature', 'issue_comment', 'application/json', '{}', false, 400],
    ['an event name with spaces', 'issue comment', 'application/json', '{}', true, 400],
  ])('answers %s with %i and one log line, before any handler', async (...args) => {
    const [, event, type, body, signed, status] = args;
    const delivery = randomUUID();
    const answer = await rawPost(`${app.url}/api/github/webhooks`, {
      headers: {
        'content-type': type,
        'x-github-event': event,
        'x-github-delivery': delivery,
        ...(signed ? { 'x-hub-signature-256': sign(body) } : {}),
      },
      body: Buffer.from(body),
    }).answered;
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.text)).toEqual({ error: expect.any(String) });
    const line = await app.waitForLog((l) => l.delivery === delivery, 'the refusal');
    expect(line).toMatchObject({ msg: 'webhook rejected', status });
    expect(github.requests).toEqual([]);
  });

  describe('the signature header, as a forger writes it', () => {
    const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 2 });
    const good = sign(body);
    const flipped = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    const post = (signature: string | string[]) =>
      rawPost(`${app.url}/api/github/webhooks`, {
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'ping',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': signature,
        },
        body: Buffer.from(body),
      }).answered;

    it.each([
      ['the legacy sha1 form', `sha1=${'a'.repeat(40)}`],
      ['no prefix', good.slice('sha256='.length)],
      ['one hex digit short', good.slice(0, -1)],
      ['trailing text', `${good}x`],
      ['a space before the digest', good.replace('=', '= ')],
      ['one digit changed', flipped],
      ['the signature of another body', sign('{}')],
      ['the header twice, one good', [good, flipped]],
      ['the header twice, both good', [good, good]],
    ])('refuses %s with 400', async (_, signature) => {
      const answer = await post(signature);
      expect(answer.status).toBe(400);
    });

    it('takes the digest in upper-case hex (the same bytes)', async () => {
      const answer = await post(`sha256=${good.slice('sha256='.length).toUpperCase()}`);
      expect(answer.status).toBe(200);
    });
  });

  it('takes a signed ping and answers 200 without a handler', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const answer = await rawPost(`${app.url}/api/github/webhooks`, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-github-event': 'ping',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': sign(body),
      },
      body: Buffer.from(body),
    }).answered;
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('ok\n');
  });
});

describe('bounded bodies before the signature is checked', () => {
  it('sheds a body beyond MAX_UNVERIFIED_BODIES with 503 and Retry-After, as a metric', async () => {
    const bounded = await startAppProcess({ GHE_HOST: github.host, MAX_UNVERIFIED_BODIES: '2' });
    const held: { abort(): void }[] = [];
    try {
      // Two slow senders: headers and a first part of the body, then nothing more.
      for (let i = 0; i < 2; i++)
        held.push(
          rawPost(`${bounded.url}/api/github/webhooks`, {
            headers: headers('issue_comment', randomUUID()),
            body: Buffer.from('{"partial":'),
            declareLength: false,
            hold: true,
          }),
        );
      await metricsWhen(bounded, (text) => sample(text, 'steward_app_unverified_bodies') === 2);
      const delivery = randomUUID();
      const third = await rawPost(`${bounded.url}/api/github/webhooks`, {
        headers: headers('issue_comment', delivery),
        body: Buffer.from('{}'),
      }).answered;
      expect(third.status).toBe(503);
      expect(third.headers['retry-after']).toBe('5');
      const text = await metrics(bounded);
      expect(sample(text, 'steward_app_webhooks_shed_total{reason="unverified_bodies"}')).toBe(1);
      const line = await bounded.waitForLog((l) => l.delivery === delivery, 'the shed line');
      expect(line).toMatchObject({ reason: 'unverified_bodies', event: 'issue_comment' });
      expect((await fetch(`${bounded.url}/healthz`)).status).toBe(200);
    } finally {
      for (const h of held) h.abort();
      await bounded.stop();
    }
  });
});

describe('load', () => {
  it('bounds running handlers per installation and in total, shedding with 503 before work queues', async () => {
    const world = await startWorld({ MAX_HANDLERS: '2', MAX_HANDLERS_PER_INSTALLATION: '1' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    try {
      const people = { mona: 'write' } as const;
      const a = world.scenario({ people });
      const b = world.scenario({ people });
      const c = world.scenario({ people });
      world.github.beforeRequest(async (req) => {
        if (req.path.endsWith('/collaborators/mona/permission')) await held;
      });
      const first = await a.comment('mona', '/steward help');
      expect(first.sent.status).toBe(200);
      // A second command for the same installation while its first runs: shed.
      const second = await a.comment('mona', '/steward help');
      expect(second.sent.status).toBe(503);
      // Another installation is not held up by the first one's bound.
      const other = await b.comment('mona', '/steward help');
      expect(other.sent.status).toBe(200);
      // Two handlers run in all: a third installation is shed too.
      const third = await c.comment('mona', '/steward help');
      expect(third.sent.status).toBe(503);
      // A comment that is no command starts no handler, so it is taken.
      const chatter = await c.comment('mona', 'thanks!');
      expect(chatter.sent.status).toBe(200);

      const text = await (await fetch(`${world.app.url}/metrics`)).text();
      expect(sample(text, 'steward_app_webhooks_shed_total{reason="installation_handlers"}')).toBe(
        1,
      );
      expect(sample(text, 'steward_app_webhooks_shed_total{reason="handlers"}')).toBe(1);
      await world.app.waitForLog(
        (l) => l.delivery === third.sent.delivery && l['reason'] === 'handlers',
        'the shed line',
      );
      release();
      expect((await world.app.outcome(first.sent.delivery)).outcome).toBe('handled');
      expect((await world.app.outcome(other.sent.delivery)).outcome).toBe('handled');
      // Retried after the Retry-After, the shed command runs.
      const again = await world.app.send('issue_comment', second.payload);
      expect(again.status).toBe(200);
      expect((await world.app.outcome(again.delivery)).outcome).toBe('handled');
      expect(a.botComments()).toHaveLength(2);
      world.github.assertNoUnexpected();
    } finally {
      release();
      await world.close();
    }
  });
});

describe('the webhook path, however it is spelt', () => {
  // Probot's own webhook middleware (which buffers any body and logs the payload of a refused
  // one) is still mounted behind the intake and matches the path after normalising it: the intake
  // must take every spelling Probot would, or a stranger reaches Probot around the bounds.
  it.each([
    '/api/github/webhooks/',
    '/api/github/webhooks//',
    '/api/github/./webhooks',
    '/api/other/../github/webhooks',
    '/api/github/webhooks#fragment',
    '/api/github/webhooks/?x=1',
  ])('%s goes through the intake: refused by it, the payload never logged', async (path) => {
    const delivery = randomUUID();
    const answer = await rawPost(app.url, {
      path,
      headers: headers('pull_request', delivery),
      body: Buffer.from(JSON.stringify({ secret: 'spelt-payload-'.repeat(20) })),
    }).answered;
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/signature does not match/);
    const line = await app.waitForLog((l) => l.delivery === delivery, 'the refusal');
    expect(line).toMatchObject({ msg: 'webhook rejected', event: 'pull_request', status: 400 });
    expect(JSON.stringify(app.logs)).not.toContain('spelt-payload-');
  });

  it('a path that only resembles it is not found', async () => {
    for (const path of ['/api/github/webhooksx', '/api/github/webhooks%2F', '/api/github']) {
      const answer = await rawPost(app.url, {
        path,
        headers: headers('pull_request', randomUUID()),
        body: Buffer.from('{}'),
      }).answered;
      expect(answer.status).toBe(404);
    }
  });
});
