import { describe, expect, it } from 'vitest';
import { SUMMARY_MARKER } from '../../src/review/post.ts';
import { sharedWorld } from './support/world.ts';
import type { Scenario } from './support/world.ts';

/** Pull request events and the review commands, end to end against the app process. */
const world = sharedWorld();

const people = { mona: 'write' } as const;
const OFFLINE = 'app:\n  review: offline\n';

function summaries(s: Scenario) {
  return s.botComments().filter((c) => c.body.includes(SUMMARY_MARKER));
}
function reviews(s: Scenario) {
  return world.github.reviews(s.owner, s.repo, s.number);
}
async function outcomeOf(s: Scenario, action = 'opened') {
  const sent = await s.pullRequestEvent(action);
  expect(sent.status).toBe(200);
  return (await world.app.outcome(sent.delivery)).outcome;
}

describe.concurrent('pull request events', () => {
  it('reviews offline in the app when the config asks: one summary, one COMMENT review', async () => {
    const s = world.scenario({ config: OFFLINE });
    expect(await outcomeOf(s)).toBe('handled');
    expect(summaries(s)).toHaveLength(1);
    expect(summaries(s)[0]!.body).toContain('offline review: `app.review` is `offline`');
    const [review, ...more] = reviews(s);
    expect(more).toEqual([]);
    expect(review!.state).toBe('COMMENTED');
    expect(review!.commit_id).toBe(s.headSha);
    expect(review!.comments.map((c) => c.path)).toContain('src/route.ts');
    // The same head again (a reopen) posts nothing new.
    expect(await outcomeOf(s, 'reopened')).toBe('handled');
    expect(reviews(s)).toHaveLength(1);
    expect(summaries(s)).toHaveLength(1);
  });

  it('does nothing on pull requests when no config turns reviews on', async () => {
    const s = world.scenario();
    expect(await outcomeOf(s)).toBe('ignored');
    expect(s.botComments()).toEqual([]);
    // It looked for the repository's file (then the organisation's) and wrote nothing.
    expect(s.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/acme/${s.repo}/contents/.github%2Fsteward.yml`,
    ]);
  });

  it('ignores labels and other actions, and never answers them', async () => {
    const s = world.scenario({ config: OFFLINE });
    const sent = await s.pullRequestEvent('labeled');
    expect(sent.status).toBe(200);
    const later = await s.pullRequestEvent('closed');
    expect(later.status).toBe(200);
    expect(s.requests()).toEqual([]);
  });

  it('skips drafts unless review.drafts is set', async () => {
    const skipped = world.scenario({ config: OFFLINE, draft: true });
    expect(await outcomeOf(skipped)).toBe('ignored');
    expect(skipped.botComments()).toEqual([]);
    const reviewed = world.scenario({ config: `${OFFLINE}review:\n  drafts: true\n`, draft: true });
    expect(await outcomeOf(reviewed)).toBe('handled');
    expect(summaries(reviewed)).toHaveLength(1);
  });

  it('answers an invalid config with one comment naming each error by line, and nothing else', async () => {
    const s = world.scenario({
      config: 'app:\n  review: ofline\nreview:\n  max-coments: 3\n',
      people,
    });
    expect(await outcomeOf(s)).toBe('config_invalid');
    expect(await outcomeOf(s, 'synchronize')).toBe('config_invalid');
    const { sent, comment } = await s.comment('mona', '/steward review');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('config_invalid');
    const [report, ...more] = s.botComments();
    expect(more).toEqual([]);
    expect(report!.body).toContain('Steward did nothing here: its configuration has 2 errors.');
    expect(report!.body).toContain(
      `- \`acme/${s.repo}:.github/steward.yml:2:11\` \`app.review\`: expected one of off, offline, model, got \`"ofline"\` Did you mean \`offline\`?`,
    );
    expect(report!.body).toContain(
      `\`acme/${s.repo}:.github/steward.yml:4:3\` \`review.max-coments\``,
    );
    expect(reviews(s)).toEqual([]);
    expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);

    // Fixed on the default branch: the next event runs, and the report says the errors are gone.
    world.github.setFileContents(s.owner, s.repo, 'main', { '.github/steward.yml': OFFLINE });
    expect(await outcomeOf(s, 'synchronize')).toBe('handled');
    const fixed = s.botComments().find((c) => c.body.includes('steward:config-errors'))!;
    expect(fixed.body).toContain("Steward's configuration is valid again");
    expect(summaries(s)).toHaveLength(1);
  });

  it('locates a YAML syntax error the config plugin refused to parse', async () => {
    const s = world.scenario({ config: 'app:\n  review: offline\n  review: model\n' });
    expect(await outcomeOf(s)).toBe('config_invalid');
    expect(s.botComments()[0]!.body).toMatch(
      /`acme\/repo-\d+:\.github\/steward\.yml:3:3`.*YAML syntax error.*the key appears twice/,
    );
  });

  it('names an _extends that is not a repository, by line, and asks GitHub nothing about it', async () => {
    const s = world.scenario({ config: '_extends: "no such/place/at all"\n' });
    expect(await outcomeOf(s)).toBe('config_invalid');
    expect(s.botComments()[0]!.body).toContain(
      `- \`acme/${s.repo}:.github/steward.yml:1:11\` \`_extends\`: \`"no such/place/at all"\` names the owner \`"no such"\``,
    );
  });

  it('inherits the organisation config through _extends, and uses the org .github file when the repo has none', async () => {
    const orgConfig = {
      '.github/steward.yml': 'app:\n  review: offline\nreview:\n  max-comments: 9\n',
    };
    const extending = world.scenario({
      owner: 'globex',
      orgConfig,
      config: '_extends: .github\nreview:\n  max-comments: 3\n',
      people,
    });
    expect(await outcomeOf(extending)).toBe('handled');
    expect(summaries(extending)).toHaveLength(1);
    const { sent } = await extending.comment('mona', '/steward config');
    await world.app.outcome(sent.delivery);
    const reply = extending.botComments().find((c) => c.body.includes('/steward config'))!.body;
    expect(reply).toContain(
      `Read from \`globex/${extending.repo}:.github/steward.yml\`, then \`globex/.github:.github/steward.yml\``,
    );
    expect(reply).toContain('review:\n  max-comments: 3');

    const bare = world.scenario({ owner: 'globex' });
    expect(await outcomeOf(bare)).toBe('handled');
    expect(summaries(bare)).toHaveLength(1);
  });

  it('hands the model review to the workflow (workflow_dispatch) and reviews nothing itself', async () => {
    const s = world.scenario({ config: 'app:\n  review: model\n', people });
    world.github.addWorkflow(s.owner, s.repo, 'steward.yml', [
      'pull-request',
      'full',
      'config-ref',
    ]);
    expect(await outcomeOf(s)).toBe('handled');
    const { sent, comment } = await s.comment('mona', '/steward review full');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      {
        kind: 'workflow',
        workflow: 'steward.yml',
        ref: 'main',
        inputs: { 'pull-request': String(s.number), full: 'false', 'config-ref': 'main' },
      },
      {
        kind: 'workflow',
        workflow: 'steward.yml',
        ref: 'main',
        inputs: { 'pull-request': String(s.number), full: 'true', 'config-ref': 'main' },
      },
    ]);
    expect(reviews(s)).toEqual([]);
    expect(s.botComments()[0]!.body).toContain(
      'was handed to the workflow `steward.yml` (workflow_dispatch on main)',
    );
    expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);
  });

  it('sends a repository_dispatch when configured so', async () => {
    const s = world.scenario({
      config: 'app:\n  review: model\n  dispatch: repository\n  event-type: review-please\n',
    });
    expect(await outcomeOf(s)).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([
      {
        kind: 'repository',
        eventType: 'review-please',
        clientPayload: expect.objectContaining({
          pull_request: s.number,
          head_sha: s.headSha,
          full: false,
          config_ref: 'main',
        }),
      },
    ]);
  });

  it('reviews a fork offline in the app: nothing with secrets runs on a fork’s code', async () => {
    const s = world.scenario({ config: 'app:\n  review: model\n', fork: true, people });
    world.github.addWorkflow(s.owner, s.repo, 'steward.yml', [
      'pull-request',
      'full',
      'config-ref',
    ]);
    expect(await outcomeOf(s)).toBe('handled');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
    expect(summaries(s)[0]!.body).toContain('offline review: the pull request comes from a fork');
    const { sent } = await s.comment('mona', '/steward review full');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const reply = s.botComments().find((c) => c.body.includes('> `/steward review full`'))!.body;
    expect(reply).toContain('offline, as the pull request comes from a fork');
    expect(world.github.dispatches(s.owner, s.repo)).toEqual([]);
  });

  it('says which workflow file to add when the dispatch has nowhere to go', async () => {
    const s = world.scenario({ config: 'app:\n  review: model\n', people });
    const { sent, comment, payload } = await s.comment('mona', '/steward review');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('failed');
    expect(s.botComments()[0]!.body).toContain(
      `the command failed: acme/${s.repo} has no workflow "steward.yml" on main: add .github/workflows/steward.yml`,
    );
    expect(s.reactions(comment.id)).toEqual(['eyes', 'confused']);

    // The failed delivery was forgotten: once the workflow exists, redelivering it runs it.
    world.github.addWorkflow(s.owner, s.repo, 'steward.yml', [
      'pull-request',
      'full',
      'config-ref',
    ]);
    const again = await world.app.send('issue_comment', payload, { delivery: sent.delivery });
    expect(again.status).toBe(200);
    await world.app.waitForLog(
      (l) => l.delivery === sent.delivery && l.outcome === 'handled',
      'the redelivery handled',
    );
    expect(world.github.dispatches(s.owner, s.repo)).toHaveLength(1);
    expect(s.botComments()).toHaveLength(1);
    expect(s.botComments()[0]!.body).toContain('was handed to the workflow `steward.yml`');
  });

  it('/steward review runs the offline review and says what it posted', async () => {
    const s = world.scenario({ config: OFFLINE, people });
    const { sent, comment } = await s.comment('mona', '/steward review');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const reply = s.botComments().find((c) => c.body.includes('> `/steward review`'))!.body;
    expect(reply).toContain(
      '@mona, reviewed every change at `aaaaaaa` offline: 2 finding(s), 2 new inline comment(s). The summary comment has the details.',
    );
    expect(reviews(s)).toHaveLength(1);
    expect(s.reactions(comment.id)).toEqual(['eyes', 'rocket']);
  });

  it('/steward health answers with the health of the changed files', async () => {
    const s = world.scenario({ people });
    const { sent } = await s.comment('mona', '/steward health');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const reply = s.botComments()[0]!.body;
    expect(reply).toContain('### Code health');
    expect(reply).toContain('| `src/route.ts` | new |');
  });

  it('/steward health names the merge base when the base branch moved on', async () => {
    const s = world.scenario({ people });
    const forkPoint = 'f'.repeat(40);
    world.github.setComparison(s.owner, s.repo, 'main', s.headSha, {
      status: 'diverged',
      aheadBy: 1,
      behindBy: 2,
      mergeBaseSha: forkPoint,
    });
    const { sent } = await s.comment('mona', '/steward health');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const reply = s.botComments()[0]!.body;
    // The fork point, then the base tip it is the merge base with (GitHub's diff is against the
    // former; the latter is what the base branch points at now).
    expect(reply).toMatch(/compared with `fffffff`, its merge base with `[0-9a-f]{7}`/);
  });

  it('two events racing on one head give one review', async () => {
    const s = world.scenario({ config: OFFLINE, people });
    // The first review to read the files waits there until the other event has given up on the
    // head it holds, so the two surely overlap.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    world.github.beforeRequest(async (req) => {
      if (req.path === `/repos/${s.owner}/${s.repo}/pulls/${s.number}/files`) await held;
    });
    const opened = await s.pullRequestEvent('opened');
    const { sent } = await s.comment('mona', '/steward review');
    await world.app.waitForLog(
      (l) =>
        (l.delivery === opened.delivery || l.delivery === sent.delivery) && l.outcome === 'busy',
      'one of the two events finding the head busy',
    );
    release();
    const outcomes = [
      (await world.app.outcome(opened.delivery)).outcome,
      (await world.app.outcome(sent.delivery)).outcome,
    ];
    expect(outcomes.sort()).toEqual(['busy', 'handled']);
    expect(reviews(s)).toHaveLength(1);
    expect(summaries(s)).toHaveLength(1);
  });
});
