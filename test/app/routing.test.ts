import webhooks from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { commentPayload, pullRequestPayload } from './support/payloads.ts';
import { sharedWorld } from './support/world.ts';
import type { Scenario } from './support/world.ts';

/**
 * Which webhooks reach which handler: the app routes by event name and action, and acknowledges
 * every other webhook (200, counted as ignored) without starting a handler or asking GitHub
 * anything. The app logs at debug here: its `ignored: <why>` line says a webhook stopped at the
 * router, where a started handler would log its outcome instead.
 */
const world = sharedWorld({ LOG_LEVEL: 'debug' });

const OFFLINE = 'app:\n  review: offline\n';
const people = { mona: 'write' } as const;

type Obj = Record<string, unknown>;

/** A recorded example of `name`, pointed at the scenario's repository and installation. */
function recorded(s: Scenario, name: string): Obj {
  const event = (webhooks as { name: string; examples: Obj[] }[]).find((e) => e.name === name)!;
  const payload = structuredClone(event.examples[0]!);
  payload['repository'] = {
    ...(payload['repository'] as Obj),
    name: s.repo,
    full_name: `${s.owner}/${s.repo}`,
    owner: { ...((payload['repository'] as Obj)['owner'] as Obj), login: s.owner },
  };
  payload['installation'] = { id: s.target.installationId };
  return payload;
}

async function metrics(): Promise<string> {
  return (await fetch(`${world.app.url}/metrics`)).text();
}

/**
 * The router's own line for the delivery: it stopped there, for this reason. Then no handler ran
 * for it (a handler logs an outcome; the router's line comes before the answer to GitHub).
 */
async function stoppedAtRouter(delivery: string, why: string): Promise<void> {
  const line = await world.app.waitForLog(
    (l) => l.delivery === delivery && typeof l.msg === 'string' && l.msg.startsWith('ignored: '),
    `the router's line for ${delivery}`,
  );
  expect(line.msg).toBe(`ignored: ${why}`);
  expect(world.app.logs.filter((l) => l.delivery === delivery && l.outcome)).toEqual([]);
}

describe.concurrent('routing by event name and action', () => {
  it.each(['push', 'star', 'issues', 'check_suite'])(
    'acknowledges a %s webhook, which the app does not handle, and asks GitHub nothing',
    async (name) => {
      const s = world.scenario({ config: OFFLINE, people });
      const sent = await world.app.send(name, recorded(s, name));
      expect(sent).toMatchObject({ status: 200, body: 'ok\n' });
      await stoppedAtRouter(sent.delivery, 'the app does not handle this event');
      expect(s.requests()).toEqual([]);
      expect(await metrics()).toMatch(
        /steward_app_webhooks_total\{event="other",outcome="ignored"\} [1-9]/,
      );
    },
  );

  it.each(['labeled', 'closed', 'assigned', 'converted_to_draft'])(
    'stops a pull_request.%s at the router: no review, no request',
    async (action) => {
      const s = world.scenario({ config: OFFLINE, people });
      const sent = await s.pullRequestEvent(action);
      expect(sent.status).toBe(200);
      await stoppedAtRouter(
        sent.delivery,
        'this pull request action changes nothing a review says',
      );
      expect(s.requests()).toEqual([]);
      expect(await metrics()).toMatch(
        new RegExp(
          `steward_app_webhooks_total\\{event="pull_request.${action}",outcome="ignored"\\} [1-9]`,
        ),
      );
      // The same pull request opened is reviewed: the route for the reviewed actions is there.
      const opened = await s.pullRequestEvent('opened');
      expect((await world.app.outcome(opened.delivery)).outcome).toBe('handled');
    },
  );

  it.each(['edited', 'deleted'] as const)(
    'runs no command from an issue_comment.%s, even one that reads as a command',
    async (action) => {
      const s = world.scenario({ config: OFFLINE, people });
      const body = '/steward review';
      const user = { login: 'mona', type: 'User' } as const;
      const comment = world.github.addComment(s.owner, s.repo, s.number, body, user);
      const payload = commentPayload(s.target, {
        id: comment.id,
        issueNumber: s.number,
        body,
        login: user.login,
        action,
      });
      const sent = await world.app.send('issue_comment', payload);
      expect(sent.status).toBe(200);
      await stoppedAtRouter(sent.delivery, 'only new comments carry commands');
      expect(s.reactions(comment.id)).toEqual([]);
      expect(s.botComments()).toEqual([]);
      expect(s.requests()).toEqual([]);
      expect(await metrics()).toMatch(
        new RegExp(
          `steward_app_webhooks_total\\{event="issue_comment.${action}",outcome="ignored"\\} [1-9]`,
        ),
      );
    },
  );

  it('runs the command of an issue_comment.created: the route for new comments is there', async () => {
    const s = world.scenario({ people });
    const { comment, sent } = await s.comment('mona', '/steward help');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);
  });

  it('logs an installation event even when its payload lacks what the log line names', async () => {
    const sent = await world.app.send('installation_repositories', {
      action: 'added',
      installation: { id: 7 },
      repositories_added: 'not a list',
    });
    expect(sent.status).toBe(200);
    const line = await world.app.waitForLog(
      (l) => l.delivery === sent.delivery && l.msg === 'installation changed',
      'the installation line',
    );
    expect(line).toMatchObject({ installation: 7, added: [], removed: [] });
  });

  it.each([
    [['pull_request', 'head'], 'pull_request.head is missing'],
    [['pull_request', 'number'], 'pull_request.number is missing'],
    [['repository', 'default_branch'], 'repository.default_branch is missing'],
    [['sender'], 'sender.login is missing'],
  ] as const)(
    'refuses a pull_request.opened without %j, naming it, and asks GitHub nothing',
    async (path, named) => {
      const s = world.scenario({ config: OFFLINE, people });
      const payload = pullRequestPayload(s.target, { number: s.number, headSha: s.headSha });
      let at = payload;
      for (const key of path.slice(0, -1)) at = at[key] as Obj;
      delete at[path.at(-1)!];
      const sent = await world.app.send('pull_request', payload);
      expect(sent.status).toBe(200);
      await stoppedAtRouter(
        sent.delivery,
        `the payload is not a pull_request event as GitHub sends it: ${named.startsWith('pull_request') ? "the pull_request event's " : ''}${named}`,
      );
      expect(s.requests()).toEqual([]);
    },
  );

  it('refuses a /steward command whose comment id is not a number, and asks GitHub nothing', async () => {
    const s = world.scenario({ people });
    const payload = commentPayload(s.target, {
      id: 1,
      issueNumber: s.number,
      body: '/steward help',
      login: 'mona',
    });
    (payload['comment'] as Obj)['id'] = '1';
    const sent = await world.app.send('issue_comment', payload);
    expect(sent.status).toBe(200);
    await stoppedAtRouter(
      sent.delivery,
      "the payload is not a issue_comment event as GitHub sends it: the issue_comment event's comment.id is not a positive whole number",
    );
    expect(s.requests()).toEqual([]);
  });
});
