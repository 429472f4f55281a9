import { describe, expect, it } from 'vitest';
import { sharedWorld } from './support/world.ts';
import type { Scenario } from './support/world.ts';

/**
 * `/steward refactor [PATH[:FUNCTION]]` end to end: signed webhooks in, the app process, GitHub as
 * the loopback fake. The app refactors nothing and runs no code: it starts the repository's
 * refactoring workflow on the default branch with the target the comment named (checked by the
 * command's grammar), and replies with a link to the workflow's runs.
 */
const world = sharedWorld();

const people = { mona: 'write', rey: 'read', max: 'maintain' } as const;

/** The workflow as the README's declares it: one optional input, so the fake refuses any other (422). */
const withWorkflow = (s: Scenario, file = 'steward-refactor.yml') =>
  world.github.addWorkflow(s.owner, s.repo, file, ['target']);

const replyTo = (s: Scenario, command: string) =>
  s.botComments().find((c) => c.body.includes(`> \`${command}\``))?.body;

const dispatchOf = (inputs: Record<string, string>, workflow = 'steward-refactor.yml') => ({
  kind: 'workflow',
  workflow,
  ref: 'main',
  inputs,
});

const OUTCOME =
  'when one is proven (types, tests twice, the same public API, file health up by 0.5 or more), a pull request labelled `steward:refactor` opens when the run ends (at most 1 open at a time, `refactor.max-open`).';

describe.concurrent('/steward refactor', () => {
  it('starts the default branch’s refactoring workflow with the target named, with a link to its runs', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const command = '/steward refactor src/route.ts:route';
    const { comment, payload, sent } = await s.comment('mona', command);
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      dispatchOf({ target: 'src/route.ts:route' }),
    ]);
    expect(replyTo(s, command)).toContain(
      `@mona, a refactoring of \`src/route.ts:route\` started in \`steward-refactor.yml\` ([runs](https://github.com/acme/${s.repo}/actions/workflows/steward-refactor.yml)) (workflow_dispatch on main); ${OUTCOME}`,
    );
    expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);

    // The same comment under a new delivery id: nothing twice.
    const again = await world.app.send('issue_comment', payload);
    expect((await world.app.outcome(again.delivery)).outcome).toBe('duplicate');
    expect(world.github.dispatches(s.owner, s.repo)).toHaveLength(1);
    expect(s.botComments()).toHaveLength(1);
  });

  it('with no target sends no input: the workflow picks the worst function of the top hotspots', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const { sent } = await s.comment('max', '/steward refactor');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([dispatchOf({})]);
    expect(replyTo(s, '/steward refactor')).toContain(
      '@max, a refactoring of the worst function of the top hotspots started in `steward-refactor.yml`',
    );
  });

  it('works in an issue comment too: refactoring is about the repository, not a pull request', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const { comment, sent } = await s.comment('mona', '/steward refactor src/route.ts', {
      onPullRequest: false,
    });
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      dispatchOf({ target: 'src/route.ts' }),
    ]);
    expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);
  });

  it('starts one run per target: the same ask again is told it is under way, another target starts its own', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const first = await s.comment('mona', '/steward refactor src/route.ts');
    expect((await world.app.outcome(first.sent.delivery)).outcome).toBe('handled');
    const second = await s.comment('max', '/steward refactor src/route.ts');
    expect((await world.app.outcome(second.sent.delivery)).outcome).toBe('busy');
    expect(s.botComments()[1]!.body).toContain(
      '@max, a refactoring of `src/route.ts` was started a moment ago; when one is proven',
    );
    const other = await s.comment('max', '/steward refactor src/other.ts');
    expect((await world.app.outcome(other.sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      dispatchOf({ target: 'src/route.ts' }),
      dispatchOf({ target: 'src/other.ts' }),
    ]);
  });

  it('refuses someone without write access, and dispatches nothing', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const reader = await s.comment('rey', '/steward refactor');
    expect((await world.app.outcome(reader.sent.delivery)).outcome).toBe('refused');
    expect(s.botComments()[0]!.body).toContain(
      `@rey, Steward commands need write access to acme/${s.repo} or more; you have read access, so nothing was run.`,
    );
    expect(s.reactions(reader.comment.id)).toEqual(['eyes', 'confused']);
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
  });

  it.each([
    ['/steward refactor ../../etc/passwd', 'is not a path in the repository'],
    ['/steward refactor src/route.ts:${{secrets.ANTHROPIC_API_KEY}}', 'names no function'],
    ['/steward refactor src/route.ts --ref evil', 'name one file or function'],
    ['/steward refactor -rf', 'is not a path in the repository'],
  ])(
    'refuses %s with the usage, and dispatches nothing: a comment cannot steer the run',
    async (text, problem) => {
      const s = world.scenario({ people });
      withWorkflow(s);
      const { comment, sent } = await s.comment('mona', text);
      expect((await world.app.outcome(sent.delivery)).outcome).toBe('refused');
      const body = replyTo(s, text)!;
      expect(body).toContain(problem);
      expect(body).toContain('Usage: `/steward refactor [PATH[:FUNCTION]]`');
      expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);
      expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
    },
  );

  it('says which workflow file to add, with its trigger and the README’s workflow, when there is none', async () => {
    const s = world.scenario({ people });
    const { comment, sent } = await s.comment('mona', '/steward refactor');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('failed');
    const body = replyTo(s, '/steward refactor')!;
    expect(body).toContain(
      `the command failed: acme/${s.repo} has no workflow \`steward-refactor.yml\` on main: add .github/workflows/steward-refactor.yml with an \`on: workflow_dispatch\` trigger taking the optional input \`target\` (below), or set \`app.refactor-workflow\` in .github/steward.yml to the workflow that proposes refactorings.`,
    );
    expect(body).toContain('<details><summary>The refactoring workflow, from the README');
    expect(body).toContain('```yaml\nname: Steward refactor\non:\n  schedule:');
    expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);

    // Once the file is there, asking again starts it (the failed attempt holds no claim).
    withWorkflow(s);
    const again = await s.comment('mona', '/steward refactor');
    expect((await world.app.outcome(again.sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([dispatchOf({})]);
  });

  it('uses the configured workflow file and quotes the configured max-open and min-health-gain', async () => {
    const s = world.scenario({
      people,
      config:
        'app:\n  refactor-workflow: tidy.yaml\nrefactor:\n  max-open: 2\n  min-health-gain: 1\n',
    });
    withWorkflow(s, 'tidy.yaml');
    const { sent } = await s.comment('mona', '/steward refactor');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([dispatchOf({}, 'tidy.yaml')]);
    expect(replyTo(s, '/steward refactor')).toContain(
      'file health up by 1 or more), a pull request labelled `steward:refactor` opens when the run ends (at most 2 open at a time',
    );
  });

  it('sends a repository_dispatch with the target when app.dispatch is repository', async () => {
    const s = world.scenario({
      people,
      config: 'app:\n  dispatch: repository\n  refactor-event-type: tidy-please\n',
    });
    const { sent } = await s.comment('mona', '/steward refactor src/route.ts:route');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      {
        kind: 'repository',
        eventType: 'tidy-please',
        clientPayload: {
          target: 'src/route.ts:route',
          requested_by: 'mona',
          delivery: sent.delivery,
        },
      },
    ]);
    expect(replyTo(s, '/steward refactor src/route.ts:route')).toContain(
      `a refactoring of \`src/route.ts:route\` was sent to the repository's workflows as repository_dispatch \`tidy-please\` ([runs](https://github.com/acme/${s.repo}/actions))`,
    );
  });
});
