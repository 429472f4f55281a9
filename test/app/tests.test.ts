import { describe, expect, it } from 'vitest';
import { sharedWorld } from './support/world.ts';
import type { Scenario } from './support/world.ts';

/**
 * `/steward tests` end to end: signed webhooks in, the app process, GitHub as the loopback fake.
 * The app generates no tests: it starts the repository's test generation workflow, once per head,
 * through the same dispatch as `/steward mutate`.
 */
const world = sharedWorld();

const people = { mona: 'write', rey: 'read', max: 'maintain', stranger: 'none' } as const;

/** The workflow as the README's declares it: one input, so the fake refuses any other (422). */
const withWorkflow = (s: Scenario, file = 'steward-tests.yml') =>
  world.github.addWorkflow(s.owner, s.repo, file, ['pull-request']);

const replyTo = (s: Scenario, command: string) =>
  s.botComments().find((c) => c.body.includes(`> \`${command}\``))?.body;

const dispatchOf = (s: Scenario, workflow = 'steward-tests.yml') => ({
  kind: 'workflow',
  workflow,
  ref: 'main',
  inputs: { 'pull-request': String(s.number) },
});

describe.concurrent('/steward tests', () => {
  it('starts the default branch’s test generation workflow for the pull request, once, with a link to its runs', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const { comment, payload, sent } = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([dispatchOf(s)]);
    expect(replyTo(s, '/steward tests')).toContain(
      `@mona, test generation for \`${s.headSha.slice(0, 7)}\` started in \`steward-tests.yml\` ([runs](https://github.com/acme/${s.repo}/actions/workflows/steward-tests.yml)) (workflow_dispatch on main); the tests it keeps arrive in a pull request against this one, "Tests for #${s.number}", when the run ends.`,
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
    const first = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(first.sent.delivery)).outcome).toBe('handled');
    const second = await s.comment('max', '/steward tests');
    expect((await world.app.outcome(second.sent.delivery)).outcome).toBe('busy');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([dispatchOf(s)]);
    const replies = s.botComments().map((c) => c.body);
    expect(replies).toHaveLength(2);
    expect(replies[1]).toContain(
      `@max, test generation for \`${s.headSha.slice(0, 7)}\` was started a moment ago; the tests it keeps arrive`,
    );
    expect(s.reactions(second.comment.id)).toEqual(['eyes', 'rocket']);
  });

  it('holds its own claim on the head: /steward mutate on the same head still starts the mutation workflow', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    withWorkflow(s, 'steward-mutation.yml');
    const tests = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(tests.sent.delivery)).outcome).toBe('handled');
    const mutate = await s.comment('mona', '/steward mutate');
    expect((await world.app.outcome(mutate.sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      dispatchOf(s),
      dispatchOf(s, 'steward-mutation.yml'),
    ]);
  });

  it('names the head: a push gets its own run; a closed or merged pull request none', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const first = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(first.sent.delivery)).outcome).toBe('handled');
    const pr = world.github.pullRequest(s.owner, s.repo, s.number);
    const pushed = pr.pushCommit();
    const second = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(second.sent.delivery)).outcome).toBe('handled');
    expect(s.botComments()[1]!.body).toContain(
      `test generation for \`${pushed.slice(0, 7)}\` started`,
    );
    expect(world.github.dispatches(s.owner, s.repo)).toHaveLength(2);

    pr.update({ state: 'CLOSED' });
    const closed = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(closed.sent.delivery)).outcome).toBe('refused');
    expect(s.botComments()[2]!.body).toContain(
      `@mona, #${s.number} is closed; Steward generates tests for open pull requests.`,
    );
    expect(s.reactions(closed.comment.id)).toEqual(['eyes', 'confused']);
    pr.update({ state: 'MERGED' });
    const merged = await s.comment('max', '/steward tests');
    expect((await world.app.outcome(merged.sent.delivery)).outcome).toBe('refused');
    expect(s.botComments()[3]!.body).toContain(
      `@max, #${s.number} is merged; Steward generates tests for open pull requests.`,
    );
    expect(world.github.dispatches(s.owner, s.repo)).toHaveLength(2);
  });

  it('refuses someone without write access, and an outsider, and dispatches nothing', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const reader = await s.comment('rey', '/steward tests');
    expect((await world.app.outcome(reader.sent.delivery)).outcome).toBe('refused');
    expect(s.botComments()[0]!.body).toContain(
      `@rey, Steward commands need write access to acme/${s.repo} or more; you have read access, so nothing was run.`,
    );
    expect(s.reactions(reader.comment.id)).toEqual(['eyes', 'confused']);
    const outsider = await s.comment('stranger', '/steward tests');
    expect((await world.app.outcome(outsider.sent.delivery)).outcome).toBe('refused');
    expect(s.botComments()[1]!.body).toContain(
      `@stranger, Steward commands need write access to acme/${s.repo} or more; you have no access, so nothing was run.`,
    );
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
    // Refused comments hold no claim on the head: a maintainer's request still starts the run.
    const maintainer = await s.comment('max', '/steward tests');
    expect((await world.app.outcome(maintainer.sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([dispatchOf(s)]);
  });

  it.each([
    ['/steward tests --ref evil', '`tests`: it takes no arguments, got `--ref evil`.'],
    [
      '/steward tests src/route.ts --head-sha deadbeef',
      '`tests`: it takes no arguments, got `src/route.ts --head-sha deadbeef`.',
    ],
    ['/steward tests full', '`tests`: it takes no arguments, got `full`.'],
  ])(
    'refuses %s with the usage, and dispatches nothing: a comment cannot steer the run',
    async (text, answer) => {
      const s = world.scenario({ people });
      withWorkflow(s);
      const { comment, sent } = await s.comment('mona', text);
      expect((await world.app.outcome(sent.delivery)).outcome).toBe('refused');
      expect(replyTo(s, text)).toContain(`@mona, ${answer} Usage: \`/steward tests\``);
      expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);
      expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
    },
  );

  it('reads only the first line: what follows the command changes nothing in the dispatch', async () => {
    const s = world.scenario({ people });
    withWorkflow(s);
    const { sent } = await s.comment(
      'mona',
      '/steward tests\n--ref evil\nhead-sha: deadbeef\n/steward tests --workflow evil.yml',
    );
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([dispatchOf(s)]);
  });

  it('dispatches for a fork from the default branch’s config: the fork’s config names no workflow', async () => {
    const s = world.scenario({ people, fork: true });
    withWorkflow(s);
    world.github.setFileContents(s.owner, s.repo, s.headSha, {
      '.github/steward.yml': 'app:\n  tests-workflow: evil.yml\n',
    });
    withWorkflow(s, 'evil.yml');
    const { sent } = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([dispatchOf(s)]);
  });

  it('says which workflow file to add, with its trigger, when the repository has none', async () => {
    const s = world.scenario({ people });
    const { comment, sent } = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('failed');
    const body = replyTo(s, '/steward tests')!;
    expect(body).toContain(
      `the command failed: acme/${s.repo} has no workflow \`steward-tests.yml\` on main: add .github/workflows/steward-tests.yml with an \`on: workflow_dispatch\` trigger taking the input \`pull-request\` (below), or set \`app.tests-workflow\` in .github/steward.yml to the workflow that generates tests.`,
    );
    expect(body).toContain('<details><summary>The test generation workflow, from the README');
    expect(body).toContain(
      '```yaml\nname: Steward tests\non:\n  workflow_dispatch:\n    inputs:\n      pull-request:',
    );
    expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);

    // Once the file is there, asking again starts it (the failed attempt holds no claim).
    withWorkflow(s);
    const again = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(again.sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([dispatchOf(s)]);
  });

  it('names the configured workflow file when that one is missing', async () => {
    const s = world.scenario({ people, config: 'app:\n  tests-workflow: gen-tests.yaml\n' });
    withWorkflow(s); // the default name exists, but the config names another
    const { sent } = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('failed');
    expect(replyTo(s, '/steward tests')).toContain(
      `has no workflow \`gen-tests.yaml\` on main: add .github/workflows/gen-tests.yaml`,
    );
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
  });

  it('uses the configured workflow file, and says where the tests go as test-gen.delivery says', async () => {
    const s = world.scenario({
      people,
      config: 'app:\n  tests-workflow: gen-tests.yaml\ntest-gen:\n  delivery: push\n',
    });
    withWorkflow(s, 'gen-tests.yaml');
    const { sent } = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([dispatchOf(s, 'gen-tests.yaml')]);
    expect(replyTo(s, '/steward tests')).toContain(
      '(workflow_dispatch on main); the tests it keeps are committed to this pull request’s branch when the run ends (`test-gen.delivery: push`).',
    );
  });

  it('says nothing is committed when test-gen.delivery is none', async () => {
    const s = world.scenario({ people, config: 'test-gen:\n  delivery: none\n' });
    withWorkflow(s);
    const { sent } = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([dispatchOf(s)]);
    expect(replyTo(s, '/steward tests')).toContain(
      '(workflow_dispatch on main); the run’s summary lists the tests it keeps, and nothing is committed (`test-gen.delivery: none`).',
    );
  });

  it('sends a repository_dispatch pinned to the head SHA when app.dispatch is repository', async () => {
    const s = world.scenario({
      people,
      config: 'app:\n  dispatch: repository\n  tests-event-type: tests-please\n',
    });
    const { sent } = await s.comment('mona', '/steward tests');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      {
        kind: 'repository',
        eventType: 'tests-please',
        clientPayload: {
          pull_request: s.number,
          head_sha: s.headSha,
          requested_by: 'mona',
          delivery: sent.delivery,
        },
      },
    ]);
    expect(replyTo(s, '/steward tests')).toContain(
      `test generation for \`${s.headSha.slice(0, 7)}\` was sent to the repository's workflows as repository_dispatch \`tests-please\` ([runs](https://github.com/acme/${s.repo}/actions))`,
    );
  });
});
