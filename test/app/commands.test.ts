import { describe, expect, it } from 'vitest';
import { sharedWorld } from './support/world.ts';

/** Slash commands end to end: signed webhooks in, the app process, GitHub as the loopback fake. */
const world = sharedWorld();

const people = { mona: 'write', rey: 'read', tri: 'triage', max: 'maintain' } as const;

describe.concurrent('slash commands', () => {
  it('answers /steward help with the command list: 👀, one reply, 🚀', async () => {
    const s = world.scenario({ people });
    const { comment, sent } = await s.comment('mona', '/steward help\nthe rest is ignored');
    expect(sent.status).toBe(200);
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const [reply, ...more] = s.botComments();
    expect(more).toEqual([]);
    expect(reply!.body).toContain('> `/steward help`\n\n@mona, Steward answers these commands');
    expect(reply!.body).toContain('`/steward review [full]`');
    expect(reply!.body).toContain(
      '`/steward refactor [PATH[:FUNCTION]]` | propose a refactoring of the worst function in the top hotspots',
    );
    expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);
  });

  it.each(['rey', 'tri'])(
    'refuses %s (read or triage), saying why, and runs nothing',
    async (login) => {
      const s = world.scenario({ people });
      const { comment, sent } = await s.comment(login, '/steward review');
      expect((await world.app.outcome(sent.delivery)).outcome).toBe('refused');
      const level = login === 'rey' ? 'read' : 'triage';
      expect(s.botComments().map((c) => c.body)).toEqual([
        expect.stringContaining(
          `@${login}, Steward commands need write access to acme/${s.repo} or more; you have ${level} access, so nothing was run.`,
        ),
      ]);
      expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);
      // The permission came from the collaborator endpoint, and nothing was reviewed or dispatched.
      const paths = s.requests().map((r) => `${r.method} ${r.path}`);
      expect(paths).toContain(`GET /repos/acme/${s.repo}/collaborators/${login}/permission`);
      expect(paths.filter((p) => /reviews|dispatches|contents/.test(p))).toEqual([]);
    },
  );

  it('lets a maintainer run commands (user.permissions, not author_association)', async () => {
    const s = world.scenario({ people });
    const { comment, payload, sent } = await s.comment('max', '/steward hotspots');
    // The recorded payload says OWNER; the app must not care what author_association claims.
    expect((payload['comment'] as { author_association: string }).author_association).toBeTruthy();
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(s.botComments()[0]!.body).toContain('hotspots rank files by how often they change');
    expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);
  });

  it('answers an unknown command with the help text and a suggestion', async () => {
    const s = world.scenario({ people });
    const { comment, sent } = await s.comment('mona', '/steward reveiw');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('refused');
    const body = s.botComments()[0]!.body;
    expect(body).toContain('Steward has no command `reveiw`. Did you mean `/steward review`?');
    expect(body).toContain('| `/steward help` | this list |');
    expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);
  });

  it.each([
    ['/steward incident', '`/steward incident` is not available yet'],
    [
      '/steward review @acme/everyone',
      '> `/steward review @acme/everyone`\n\n@mona, `review`: unexpected `@acme/everyone`.',
    ],
    [
      '/steward review everything',
      '`review`: unexpected `everything`. Usage: `/steward review [full]`',
    ],
  ])('answers %s without running anything', async (text, answer) => {
    const s = world.scenario({ people });
    const { comment, sent } = await s.comment('mona', text);
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('refused');
    expect(s.botComments()[0]!.body).toContain(answer);
    expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);
  });

  it('ignores edits, bots and comments that only mention a command, without a request', async () => {
    const s = world.scenario({ people });
    const sent = [
      (await s.comment('mona', '/steward help', { action: 'edited' })).sent,
      (await s.comment('renovate[bot]', '/steward help', { type: 'Bot' })).sent,
      (await s.comment('mona', 'Should we run\n/steward review on this?')).sent,
      (await s.comment('mona', '> /steward review')).sent,
    ];
    expect(sent.map((x) => x.status)).toEqual([200, 200, 200, 200]);
    // A later command in the same repository finishes after them; by then they were all seen.
    const last = (await s.comment('mona', '/steward help')).sent;
    await world.app.outcome(last.delivery);
    expect(s.botComments()).toHaveLength(1);
    const counted = await (await fetch(`${world.app.url}/metrics`)).text();
    expect(counted).toMatch(
      /steward_app_webhooks_total\{event="issue_comment.edited",outcome="ignored"\} [1-9]/,
    );
  });

  it('does nothing twice for a redelivery (same X-GitHub-Delivery)', async () => {
    const s = world.scenario({ people });
    const { comment, payload, sent } = await s.comment('mona', '/steward help');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const again = await world.app.send('issue_comment', payload, { delivery: sent.delivery });
    expect(again.status).toBe(200);
    await world.app.waitForLog(
      (l) => l.delivery === sent.delivery && l.outcome === 'duplicate',
      'the redelivery as a duplicate',
    );
    expect(s.botComments()).toHaveLength(1);
    expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);
  });

  it('reports the config it runs with and where it came from', async () => {
    const s = world.scenario({
      people,
      config: 'app:\n  review: offline\nreview:\n  max-comments: 5\n',
    });
    const { sent } = await s.comment('mona', '/steward config');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const body = s.botComments()[0]!.body;
    expect(body).toContain(`Read from \`acme/${s.repo}:.github/steward.yml\``);
    expect(body).toContain('```yaml\napp:\n  review: offline\nreview:\n  max-comments: 5\n```');
  });
});
