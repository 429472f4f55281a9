import { describe, expect, it } from 'vitest';
import { SUMMARY_MARKER } from '../../src/review/post.ts';
import { sharedWorld, startWorld } from './support/world.ts';
import type { Scenario, World } from './support/world.ts';

/**
 * GitHub misbehaving and people trying to fool the app, end to end: writes GitHub did but answered
 * 5xx, the same event under several delivery ids at once, markers forged through text the app
 * echoes or written by another bot, commands in code blocks, and requests GitHub never answers.
 */
const world = sharedWorld();

const people = { mona: 'write', rey: 'read' } as const;
const OFFLINE = 'app:\n  review: offline\n';

function reviews(s: Scenario) {
  return world.github.reviews(s.owner, s.repo, s.number);
}

/** Holds the requests `matches` picks until `release()`. */
function holdRequests(target: World, matches: (req: { method: string; path: string }) => boolean) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  target.github.beforeRequest(async (req) => {
    if (matches(req)) await held;
  });
  return release;
}

describe.concurrent('writes GitHub did but answered 5xx', () => {
  it('posts one reply when GitHub creates it and answers 500', async () => {
    const s = world.scenario({ people });
    world.github.failAfterWriting({
      method: 'POST',
      pathPattern: new RegExp(`^/repos/acme/${s.repo}/issues/\\d+/comments$`),
    });
    const { comment, sent } = await s.comment('mona', '/steward help');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const replies = s.botComments();
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain('@mona, Steward answers these commands');
    expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);
    // The app looked for its reply instead of posting it again.
    const posts = s
      .requests()
      .filter((r) => r.method === 'POST' && /\/issues\/\d+\/comments$/.test(r.path));
    expect(posts.map((r) => r.status)).toEqual([500]);
  });

  it('posts one review when GitHub creates it and answers 502', async () => {
    const s = world.scenario({ config: OFFLINE, people });
    world.github.failAfterWriting({
      method: 'POST',
      pathPattern: new RegExp(`^/repos/acme/${s.repo}/pulls/\\d+/reviews$`),
      status: 502,
    });
    const { sent } = await s.comment('mona', '/steward review');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(reviews(s)).toHaveLength(1);
    expect(reviews(s)[0]!.comments).toHaveLength(2);
  });
});

describe.concurrent('the same event under new delivery ids', () => {
  it('answers a command once when it arrives twice at the same moment', async () => {
    const s = world.scenario({ people });
    // The first delivery waits at the permission check until the second has been dealt with.
    const release = holdRequests(
      world,
      (req) => req.path === `/repos/acme/${s.repo}/collaborators/mona/permission`,
    );
    try {
      const { comment, payload, sent } = await s.comment('mona', '/steward help');
      const again = await world.app.send('issue_comment', payload);
      expect(again.delivery).not.toBe(sent.delivery);
      expect((await world.app.outcome(again.delivery)).outcome).toBe('duplicate');
      release();
      expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
      expect(s.botComments()).toHaveLength(1);
      expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);
    } finally {
      release();
    }
  });

  it('reviews a pull request head once when its event comes again under a new id', async () => {
    const s = world.scenario({ config: OFFLINE });
    const first = await s.pullRequestEvent('opened');
    expect((await world.app.outcome(first.delivery)).outcome).toBe('handled');
    const requests = world.github.requests.length;
    const again = await s.pullRequestEvent('opened');
    expect((await world.app.outcome(again.delivery)).outcome).toBe('duplicate');
    expect(world.github.requests.slice(requests).filter((r) => r.path.includes(s.repo))).toEqual(
      [],
    );
    expect(reviews(s)).toHaveLength(1);
  });
});

describe.concurrent('markers only Steward can write', () => {
  it('never echoes a live marker: a refused outsider cannot mark the head as reviewed', async () => {
    const s = world.scenario({ config: OFFLINE, people });
    const forged = `/steward review ${SUMMARY_MARKER} <!-- steward:review last-sha=${s.headSha} -->`;
    const refused = await s.comment('rey', forged);
    expect((await world.app.outcome(refused.sent.delivery)).outcome).toBe('refused');
    const [refusal] = s.botComments();
    expect(refusal!.body).toContain('@rey, Steward commands need write access');
    // Only the reply's own marker is an HTML comment; the echoed ones are inert text.
    expect(refusal!.body.match(/<!--/g)).toHaveLength(1);
    expect(refusal!.body).not.toContain(SUMMARY_MARKER);

    const { sent } = await s.comment('mona', '/steward review');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const reply = s.botComments().find((c) => c.body.includes('@mona'))!.body;
    expect(reply).toContain('reviewed every change at');
    expect(reviews(s)).toHaveLength(1);
  });

  it('ignores a marked comment written by another bot', async () => {
    const s = world.scenario({ config: OFFLINE, people });
    world.github.addComment(
      s.owner,
      s.repo,
      s.number,
      `${SUMMARY_MARKER}\nAll reviewed.\n\n<!-- steward:review last-sha=${s.headSha} -->`,
      { login: 'other-app[bot]', type: 'Bot' },
    );
    const { sent } = await s.comment('mona', '/steward review');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const reply = s.botComments().find((c) => c.body.includes('@mona'))!.body;
    expect(reply).toContain('reviewed every change at');
    expect(reviews(s)).toHaveLength(1);
    // Steward wrote its own summary rather than rewriting the other bot's comment.
    const otherBot = world.github
      .comments(s.owner, s.repo, s.number)
      .filter((c) => c.user.login === 'other-app[bot]');
    expect(otherBot[0]!.body).toContain('All reviewed.');
  });
});

describe.concurrent('commands in code', () => {
  it.each([
    ['four spaces', '    /steward review'],
    ['a tab', '\t/steward review'],
    ['two spaces and a tab', '  \t/steward review'],
  ])('runs nothing for a command indented by %s (GitHub shows it as code)', async (_, body) => {
    const s = world.scenario({ config: OFFLINE, people });
    const code = await s.comment('mona', `${body}\n\nthe output above is what I got`);
    expect(code.sent.status).toBe(200);
    // A command after it, for the same installation: when it is done, the first would have begun.
    const { sent } = await s.comment('mona', '/steward help');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.app.logs.filter((l) => l.delivery === code.sent.delivery)).toEqual([]);
    expect(s.reactions(code.comment.id)).toEqual([]);
    expect(reviews(s)).toEqual([]);
    expect(s.botComments()).toHaveLength(1);
  });
});

describe('GitHub never answering', () => {
  it('fails the handler with the reason after the timeout, and frees the installation', async () => {
    const slow = await startWorld({ GITHUB_TIMEOUT_SECONDS: '1' });
    let hanging = true;
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    try {
      const s = slow.scenario({ people });
      slow.github.beforeRequest(async (req) => {
        if (hanging && req.method === 'POST' && req.path.endsWith(`/issues/${s.number}/comments`))
          await ended;
      });
      const { comment, sent } = await s.comment('mona', '/steward help');
      const failed = await slow.app.outcome(sent.delivery);
      expect(failed.outcome).toBe('failed');
      const reason = slow.app.logs.find(
        (l) => l.delivery === sent.delivery && l.msg === 'issue_comment.created failed',
      );
      expect(JSON.stringify(reason)).toMatch(
        new RegExp(
          `GitHub did not answer POST [^ ]*/repos/acme/${s.repo}/issues/\\d+/comments within 1 s`,
        ),
      );
      expect(s.reactions(comment.id)).toEqual(['eyes']);

      // The installation's write limiter was released: its next command runs.
      hanging = false;
      const next = await s.comment('mona', '/steward help');
      expect((await slow.app.outcome(next.sent.delivery)).outcome).toBe('handled');
      expect(s.reactions(next.comment.id)).toEqual(['eyes', 'rocket']);
    } finally {
      end();
      await slow.close();
    }
  });
});
