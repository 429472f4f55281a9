import { describe, expect, it } from 'vitest';
import { sharedWorld } from './support/world.ts';
import type { Scenario } from './support/world.ts';

/**
 * `/steward mutate` end to end: signed webhooks in, the app process, GitHub as the loopback fake.
 * The app runs no Stryker: it starts the repository's mutation workflow, once per head.
 */
const world = sharedWorld();

const people = { mona: 'write', rey: 'read', max: 'maintain', stranger: 'none' } as const;

const withWorkflow = (s: Scenario, file = 'steward-mutation.yml') =>
  world.github.addWorkflow(s.owner, s.repo, file, ['pull-request']);

const replyTo = (s: Scenario, command: string) =>
  s.botComments().find((c) => c.body.includes(`> \`${command}\``))?.body;

describe.concurrent('/steward mutate', () => {
  it('starts the default branch’s mutation workflow for the pull request, once, and says which commit', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const { comment, payload, sent } = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      {
        kind: 'workflow',
        workflow: 'steward-mutation.yml',
        ref: 'main',
        inputs: { 'pull-request': String(s.number) },
      },
    ]);
    expect(replyTo(s, '/steward mutate')).toContain(
      `@mona, mutation testing of \`${s.headSha.slice(0, 7)}\` started in \`steward-mutation.yml\` ([runs](https://github.com/acme/${s.repo}/actions/workflows/steward-mutation.yml)) (workflow_dispatch on main)`,
    );
    expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);

    // The same delivery again, and the same comment under a new delivery id: nothing twice.
    await world.app.send('issue_comment', payload, { delivery: sent.delivery });
    await world.app.waitForLog(
      (l) => l.delivery === sent.delivery && l.outcome === 'duplicate',
      'the redelivery as a duplicate',
    );
    const again = await world.app.send('issue_comment', payload);
    expect((await world.app.outcome(again.delivery)).outcome).toBe('duplicate');
    expect(world.github.dispatches(s.owner, s.repo)).toHaveLength(1);
    expect(s.botComments()).toHaveLength(1);
  });

  it('starts one run per head: a second comment on the same head is told it is under way', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const first = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(first.sent.delivery)).outcome).toBe('handled');
    const second = await s.comment('max', '/steward mutate');
    expect((await world.app.outcome(second.sent.delivery)).outcome).toBe('busy');
    expect(world.github.dispatches(s.owner, s.repo)).toHaveLength(1);
    const replies = s.botComments().map((c) => c.body);
    expect(replies).toHaveLength(2);
    expect(replies[1]).toContain(
      `@max, mutation testing of \`${s.headSha.slice(0, 7)}\` was started a moment ago`,
    );
  });

  it('names the head it mutates: a push gets its own run, a closed pull request none', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const first = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(first.sent.delivery)).outcome).toBe('handled');
    const pr = world.github.pullRequest(s.owner, s.repo, s.number);
    const pushed = pr.pushCommit();
    const second = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(second.sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toHaveLength(2);
    expect(s.botComments()[1]!.body).toContain(
      `mutation testing of \`${pushed.slice(0, 7)}\` started`,
    );
    pr.update({ state: 'CLOSED' });
    const closed = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(closed.sent.delivery)).outcome).toBe('refused');
    expect(s.botComments()[2]!.body).toContain(
      `#${s.number} is closed; Steward mutation-tests open pull requests.`,
    );
    expect(world.github.dispatches(s.owner, s.repo)).toHaveLength(2);
  });

  it('refuses someone without write access, and dispatches nothing', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const { comment, sent } = await s.comment('rey', '/steward mutate');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('refused');
    expect(s.botComments()[0]!.body).toContain(
      `@rey, Steward commands need write access to acme/${s.repo} or more; you have read access, so nothing was run.`,
    );
    expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
    const outsider = await s.comment('stranger', '/steward mutate');
    expect((await world.app.outcome(outsider.sent.delivery)).outcome).toBe('refused');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
  });

  it('dispatches for a fork too: the workflow runs from the default branch, the fork chooses nothing', async () => {
    const s = world.scenario({ people, fork: true });
    withWorkflow(s);
    // The fork's own config and workflow name are never read: the default branch's config is.
    world.github.setFileContents(s.owner, s.repo, s.headSha, {
      '.github/steward.yml': 'app:\n  mutation-workflow: evil.yml\n',
    });
    withWorkflow(s, 'evil.yml');
    const { sent } = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      {
        kind: 'workflow',
        workflow: 'steward-mutation.yml',
        ref: 'main',
        inputs: { 'pull-request': String(s.number) },
      },
    ]);
  });

  it('says which workflow file to add, with a minimal one, when the repository has none', async () => {
    const s = world.scenario({ people });
    const { comment, sent } = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('failed');
    const body = replyTo(s, '/steward mutate')!;
    expect(body).toContain(
      `the command failed: acme/${s.repo} has no workflow \`steward-mutation.yml\` on main: add .github/workflows/steward-mutation.yml`,
    );
    expect(body).toContain('<details><summary>A minimal mutation workflow</summary>');
    expect(body).toContain('```yaml\nname: Steward mutation\non:\n  workflow_dispatch:');
    expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);

    // Once the file is there, asking again starts it (the failed attempt holds no claim).
    withWorkflow(s);
    const again = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(again.sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toHaveLength(1);
  });

  it('says what the workflow lacks when GitHub refuses to start it', async () => {
    const s = world.scenario({ people });
    // A workflow file without a workflow_dispatch trigger: GitHub answers 422.
    world.github.addWorkflow(s.owner, s.repo, 'steward-mutation.yml', null);
    const { comment, sent } = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('failed');
    expect(replyTo(s, '/steward mutate')).toContain(
      'The workflow needs an `on: workflow_dispatch` trigger declaring the inputs pull-request',
    );
    expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
  });

  it('uses the configured workflow file', async () => {
    const s = world.scenario({ people, config: 'app:\n  mutation-workflow: mutants.yaml\n' });
    withWorkflow(s, 'mutants.yaml');
    const { sent } = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      expect.objectContaining({ workflow: 'mutants.yaml', ref: 'main' }),
    ]);
  });

  it('sends a repository_dispatch pinned to the head SHA when app.dispatch is repository', async () => {
    const s = world.scenario({
      people,
      config: 'app:\n  dispatch: repository\n  mutation-event-type: mutate-please\n',
    });
    const { sent } = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      {
        kind: 'repository',
        eventType: 'mutate-please',
        clientPayload: expect.objectContaining({ pull_request: s.number, head_sha: s.headSha }),
      },
    ]);
    expect(replyTo(s, '/steward mutate')).toContain(
      `mutation testing of \`${s.headSha.slice(0, 7)}\` was sent to the repository's workflows as repository_dispatch \`mutate-please\` ([runs](https://github.com/acme/${s.repo}/actions))`,
    );
  });
});
