import { describe, expect, it } from 'vitest';
import { CHAOS_WORKFLOW } from '../../app/handlers/chaos.ts';
import { sharedWorld } from './support/world.ts';
import type { Scenario } from './support/world.ts';

/**
 * `/steward chaos` end to end: signed webhooks in, the app process, GitHub as the loopback fake.
 * The app runs no experiment: it starts the repository's chaos workflow for the pull request's
 * head, once per head, from the default branch.
 */
const world = sharedWorld();

const people = { mona: 'write', rey: 'read', max: 'maintain' } as const;

const withWorkflow = (s: Scenario, file = 'chaos.yml') =>
  world.github.addWorkflow(s.owner, s.repo, file, ['pull-request']);

const replyTo = (s: Scenario, command: string) =>
  s.botComments().find((c) => c.body.includes(`> \`${command}\``))?.body;

describe.concurrent('/steward chaos', () => {
  it('starts the default branch’s chaos workflow for the pull request, once per head', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const { comment, sent } = await s.comment('mona', '/steward chaos');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      {
        kind: 'workflow',
        workflow: 'chaos.yml',
        ref: 'main',
        inputs: { 'pull-request': String(s.number) },
      },
    ]);
    expect(replyTo(s, '/steward chaos')).toContain(
      `@mona, the chaos experiments for \`${s.headSha.slice(0, 7)}\` started in \`chaos.yml\` ([runs](https://github.com/acme/${s.repo}/actions/workflows/chaos.yml)) (workflow_dispatch on main); the chaos summary appears on this pull request when the run ends.`,
    );
    expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);

    const second = await s.comment('max', '/steward chaos');
    expect((await world.app.outcome(second.sent.delivery)).outcome).toBe('busy');
    expect(world.github.dispatches(s.owner, s.repo)).toHaveLength(1);
    expect(s.botComments()[1]!.body).toContain(
      `@max, the chaos experiments for \`${s.headSha.slice(0, 7)}\` was started a moment ago`,
    );
  });

  it('refuses someone without write access, and dispatches nothing', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const { comment, sent } = await s.comment('rey', '/steward chaos');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('refused');
    expect(s.botComments()[0]!.body).toContain(
      `@rey, Steward commands need write access to acme/${s.repo} or more; you have read access, so nothing was run.`,
    );
    expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
  });

  it('takes no arguments: nothing a comment says reaches the workflow', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const { sent } = await s.comment('mona', '/steward chaos --target=prod; rm -rf /');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('refused');
    expect(s.botComments()[0]!.body).toContain('`chaos`: it takes no arguments');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
  });

  it('dispatches for a fork from the default branch: the fork’s config names no workflow', async () => {
    const s = world.scenario({ people, fork: true });
    withWorkflow(s);
    world.github.setFileContents(s.owner, s.repo, s.headSha, {
      '.github/steward.yml': 'chaos:\n  workflow: evil.yml\n',
    });
    withWorkflow(s, 'evil.yml');
    const { sent } = await s.comment('mona', '/steward chaos');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      expect.objectContaining({ kind: 'workflow', workflow: 'chaos.yml', ref: 'main' }),
    ]);
  });

  it('says which workflow file to add, with a minimal one, when the repository has none', async () => {
    const s = world.scenario({ people });
    const { sent } = await s.comment('mona', '/steward chaos');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('failed');
    const body = replyTo(s, '/steward chaos')!;
    expect(body).toContain(
      `the command failed: acme/${s.repo} has no workflow \`chaos.yml\` on main: add .github/workflows/chaos.yml with an \`on: workflow_dispatch\` trigger taking the input \`pull-request\` (below), or set \`chaos.workflow\` in .github/steward.yml`,
    );
    expect(body).toContain('<details><summary>A minimal chaos workflow</summary>');
    expect(body).toContain('uses: OWNER/steward/actions/chaos-report@v1');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
  });

  it('uses the configured workflow file', async () => {
    const s = world.scenario({ people, config: 'chaos:\n  workflow: experiments.yaml\n' });
    withWorkflow(s, 'experiments.yaml');
    const { sent } = await s.comment('mona', '/steward chaos');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      expect.objectContaining({ workflow: 'experiments.yaml', ref: 'main' }),
    ]);
  });

  it('sends a repository_dispatch pinned to the head SHA when app.dispatch is repository', async () => {
    const s = world.scenario({ people, config: 'app:\n  dispatch: repository\n' });
    const { sent } = await s.comment('mona', '/steward chaos');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      {
        kind: 'repository',
        eventType: 'steward-chaos',
        clientPayload: expect.objectContaining({ pull_request: s.number, head_sha: s.headSha }),
      },
    ]);
  });
});

describe('the chaos workflow in the missing-workflow reply', () => {
  it('checks out the head without the token and reports with the action', () => {
    expect(CHAOS_WORKFLOW).toContain('persist-credentials: false');
    expect(CHAOS_WORKFLOW).toContain('ref: refs/pull/${{ inputs.pull-request }}/head');
    expect(CHAOS_WORKFLOW).toContain('pull-request: ${{ inputs.pull-request }}');
  });
});
