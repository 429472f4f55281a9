import { describe, expect } from 'vitest';
import {
  BASE_MANIFEST,
  manifestWith,
  botCommit,
  OWNER,
  REPO,
  seedUpdatePullRequest,
  type ScenarioOptions,
} from './auto-merge-scenario.ts';
import { autoMergeTest } from './scenario-test.ts';

/**
 * The bundled action, run as GitHub runs it, against GitHub and the npm registry faked on loopback.
 * Every scenario asserts whether the merge endpoint was called, and with which head SHA.
 */

const it = autoMergeTest;

describe('auto-merge merges', () => {
  it('a Renovate patch update with green required checks, pinned to the head SHA', async ({
    start,
  }) => {
    const s = await start();
    const run = await s.run();
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(s.github.merges).toEqual([
      expect.objectContaining({ number: s.number, sha: s.headSha, merge_method: 'squash' }),
    ]);
    expect(run.outputs).toMatchObject({ decision: 'merged', 'update-type': 'patch' });
    expect(JSON.parse(run.outputs.dependencies!)).toEqual([
      expect.objectContaining({
        name: 'lodash',
        from: '^4.17.20',
        to: '^4.17.21',
        updateType: 'patch',
      }),
    ]);
    expect(run.summary).toContain('| Identity | ✅ pass |');
    expect(run.summary).toContain('Merged');
  });

  it('a Dependabot minor update', async ({ start }) => {
    const s = await start({
      bot: 'dependabot[bot]',
      title: 'Bump lodash from 4.17.20 to 4.18.0',
      headManifest: manifestWith({ lodash: '^4.18.0' }),
    });
    const run = await s.run();
    expect(run.outputs.decision).toBe('merged');
    expect(s.github.merges.map((m) => m.sha)).toEqual([s.headSha]);
  });

  it('in native mode, by arming auto-merge pinned to the head while a required check has not reported', async ({
    start,
  }) => {
    const s = await start({
      config: 'auto-merge:\n  mode: native\n  minimum-release-age: 0\n',
      requiredChecks: { classic: ['test', 'e2e'] },
    });
    const run = await s.run();
    expect(run.outputs.decision).toBe('armed');
    expect(s.github.merges).toEqual([]);
    expect(s.github.autoMergeArms).toEqual([
      expect.objectContaining({ expectedHeadOid: s.headSha, mergeMethod: 'SQUASH' }),
    ]);
    // A redelivery finds it armed and arms nothing twice.
    expect((await s.run()).outputs.decision).toBe('armed');
    expect(s.github.autoMergeArms).toHaveLength(1);
  });

  it('in native mode, by merging itself when GitHub could merge at once', async ({ start }) => {
    const s = await start({ config: 'auto-merge:\n  mode: native\n  minimum-release-age: 0\n' });
    const run = await s.run();
    expect(run.outputs.decision).toBe('merged');
    expect(s.github.merges.map((m) => m.sha)).toEqual([s.headSha]);
  });

  it('in native mode, disarms auto-merge when a new head no longer qualifies', async ({
    start,
  }) => {
    const s = await start({
      config: 'auto-merge:\n  mode: native\n  minimum-release-age: 0\n',
      requiredChecks: { classic: ['test', 'e2e'] },
    });
    expect((await s.run()).outputs.decision).toBe('armed');
    s.github.pushCommit(OWNER, REPO, s.number, {
      message: 'edit',
      author: { login: 'mallory', type: 'User' },
    });
    const run = await s.run();
    expect(run.outputs.decision).toBe('refused');
    expect(s.github.pullRequest(OWNER, REPO, s.number)?.autoMerge ?? null).toBeNull();
    expect(s.github.merges).toEqual([]);
  });

  it('finds the pull request of a status event through its head SHA', async ({ start }) => {
    const s = await start();
    const run = await s.run(s.commitEvent('status'));
    expect(run.outputs.decision).toBe('merged');
    expect(s.github.merges.map((m) => m.sha)).toEqual([s.headSha]);
  });
});

describe('auto-merge over several pull requests', () => {
  // The step has one `decision` output: it must speak for the least favourable pull request,
  // wherever that comes in the event's list, and `decisions` must list each in order.
  it.for([
    ['merged first', [17, 18]],
    ['refused first', [18, 17]],
  ] as const)('reports the worst decision (%s)', async ([, order], { start }) => {
    const s = await start();
    seedUpdatePullRequest(s.github, s.registry, {
      pr: { number: 18, headRefName: 'mallory/lodash', author: { login: 'mallory', type: 'User' } },
    });
    const event = s.commitEvent('check_suite');
    (event.payload.check_suite as Record<string, unknown>).pull_requests = order.map((number) => ({
      number,
    }));
    const run = await s.run(event);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(s.github.merges.map((m) => m.number)).toEqual([17]);
    const decisions = JSON.parse(run.outputs.decisions!) as { number: number; outcome: string }[];
    expect(decisions.map((d) => [d.number, d.outcome])).toEqual(
      order.map((n) => [n, n === 17 ? 'merged' : 'refused']),
    );
    expect(run.outputs).toMatchObject({
      decision: 'refused',
      reason: expect.stringContaining('mallory is not one of the configured bots'),
      'update-type': '',
      dependencies: '[]',
    });
  });
});

describe('auto-merge reads updates it cannot diff from signed commit metadata', () => {
  const lockOnly = (message: string): ScenarioOptions => ({
    bot: 'dependabot[bot]',
    title: 'Bump minimist from 1.2.5 to 1.2.8',
    headManifest: BASE_MANIFEST,
    commits: [botCommit('dependabot[bot]', message)],
  });
  const metadata = [
    'Bump minimist from 1.2.5 to 1.2.8',
    '',
    'Bumps [minimist](https://github.com/minimistjs/minimist) from 1.2.5 to 1.2.8.',
    '',
    '---',
    'updated-dependencies:',
    '- dependency-name: minimist',
    '  dependency-version: 1.2.8',
    '  dependency-type: indirect',
    '  update-type: version-update:semver-patch',
    '...',
  ].join('\n');

  it('merges a Dependabot lockfile-only update named in its commit metadata', async ({ start }) => {
    const s = await start(lockOnly(metadata));
    s.registry.publish('minimist', '1.2.8', new Date(Date.now() - 30 * 86_400_000));
    const run = await s.run();
    expect(run.outputs).toMatchObject({ decision: 'merged', 'update-type': 'patch' });
    expect(run.summary).toMatch(
      /minimist 1.2.5 → 1.2.8: patch \(from the signed commit metadata\)/,
    );
    expect(s.github.merges.map((m) => m.sha)).toEqual([s.headSha]);
  });

  it('refuses a lockfile-only update that nothing names', async ({ start }) => {
    const s = await start(lockOnly('Update lockfile'));
    const run = await s.run();
    expect(run.outputs.reason).toMatch(
      /only lockfiles changed and no signed commit metadata names the update/,
    );
    expect(s.github.merges).toEqual([]);
  });
});

describe('auto-merge refuses', () => {
  const refusals: [string, ScenarioOptions, RegExp][] = [
    [
      'a major update',
      { headManifest: manifestWith({ lodash: '^5.0.0' }), title: 'Update dependency lodash to v5' },
      /major update/,
    ],
    [
      'a minor update of a 0.x version',
      { headManifest: manifestWith({ zod: '^0.10.0' }), title: 'Update dependency zod to v0.10.0' },
      /zod \^0.9.0 → \^0.10.0 is a major update/,
    ],
    [
      'a bot PR with one commit by a person',
      {
        commits: [
          botCommit('renovate[bot]', 'Update lodash'),
          {
            message: 'tweak',
            author: { login: 'mallory', type: 'User' },
            committer: { login: 'mallory', type: 'User' },
            verification: { verified: true, reason: 'valid' },
          },
        ],
      },
      /authored by mallory/,
    ],
    [
      'an unverified commit',
      {
        commits: [
          {
            ...botCommit('renovate[bot]', 'Update lodash'),
            verification: { verified: false, reason: 'unsigned' },
          },
        ],
      },
      /no verified signature \(unsigned\)/,
    ],
    [
      'a change to scripts in package.json',
      {
        headManifest: manifestWith(
          { lodash: '^4.17.21' },
          { scripts: { test: 'vitest run', postinstall: 'node steal.js' } },
        ),
      },
      /field "scripts" changed/,
    ],
    [
      'a non-manifest file',
      {
        extraFiles: [
          {
            path: 'src/index.ts',
            status: 'modified',
            additions: 1,
            deletions: 0,
            patch: '@@ -1 +1,2 @@\n x\n+y',
          },
        ],
      },
      /src\/index.ts: not a dependency manifest/,
    ],
    ['a draft', { pr: { isDraft: true } }, /draft/],
  ];

  it.for(refusals)(
    '%s, with the reason in one comment and a label',
    async ([, options, reason], { start }) => {
      const s = await start(options);
      const run = await s.run();
      expect(run.exitCode, run.stderr).toBe(0);
      expect(s.github.merges).toEqual([]);
      expect(run.outputs.decision).toBe('refused');
      const comments = s.github.comments(OWNER, REPO, s.number);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toMatch(reason);
      expect(s.github.labels(OWNER, REPO, s.number)).toContain('steward:not-merged');
    },
  );

  it('a conflicting pull request', async ({ start }) => {
    const s = await start({ pr: { mergeable: 'CONFLICTING' } });
    expect((await s.run()).outputs.reason).toMatch(/merge conflicts/);
    expect(s.github.merges).toEqual([]);
  });

  it('by the base branch config, whatever config the head carries', async ({ start }) => {
    const s = await start({ headManifest: manifestWith({ lodash: '^5.0.0' }) });
    s.github.setFileContents(OWNER, REPO, s.headSha, {
      '.github/steward.yml':
        'auto-merge:\n  update-types:\n    dependencies: [major, minor, patch]\n',
    });
    expect((await s.run()).outputs.decision).toBe('refused');
    expect(s.github.merges).toEqual([]);
  });

  it('a PR opened by a person titled like a Renovate PR, silently', async ({ start }) => {
    const s = await start({ pr: { author: { login: 'mallory', type: 'User' } } });
    const run = await s.run();
    expect(s.github.merges).toEqual([]);
    expect(run.outputs).toMatchObject({
      decision: 'refused',
      reason: expect.stringContaining('mallory is not one of the configured bots'),
    });
    expect(s.github.comments(OWNER, REPO, s.number)).toEqual([]);
  });

  it('when github.actor and the sender are dependabot[bot] but the author is a person', async ({
    start,
  }) => {
    const s = await start({
      bot: 'dependabot[bot]',
      pr: { author: { login: 'mallory', type: 'User' } },
    });
    const run = await s.run(s.pullRequestEvent('synchronize', 'dependabot[bot]'), {
      env: { GITHUB_ACTOR: 'dependabot[bot]' },
    });
    expect(s.github.merges).toEqual([]);
    expect(run.outputs.reason).toMatch(/mallory/);
  });

  it('a title that says patch over a major diff, naming the mismatch', async ({ start }) => {
    const s = await start({
      title: 'chore(deps): bump lodash from 4.17.20 to 4.17.21',
      headManifest: manifestWith({ lodash: '^5.0.0' }),
    });
    const run = await s.run();
    expect(s.github.merges).toEqual([]);
    expect(run.outputs['update-type']).toBe('major');
    expect(run.summary).toMatch(/says patch, the diff says major; the diff wins/);
    const comment = s.github.comments(OWNER, REPO, s.number)[0]!.body;
    expect(comment).toMatch(/major update/);
    expect(comment).toMatch(/says patch, the diff says major/);
  });

  it('when a required check failed', async ({ start }) => {
    const s = await start();
    s.github.addCheckRun(OWNER, REPO, s.headSha, {
      name: 'test',
      status: 'completed',
      conclusion: 'failure',
    });
    const run = await s.run();
    expect(s.github.merges).toEqual([]);
    expect(run.outputs).toMatchObject({
      decision: 'refused',
      reason: expect.stringContaining('test (required): failure'),
    });
  });

  it('when a check that is not required failed', async ({ start }) => {
    const s = await start();
    s.github.addStatus(OWNER, REPO, s.headSha, { context: 'coverage', state: 'failure' });
    const run = await s.run();
    expect(s.github.merges).toEqual([]);
    expect(run.outputs.reason).toMatch(/coverage: failure/);
  });

  it('when the branch requires no check, unless allow-without-required-checks is set', async ({
    start,
  }) => {
    const s = await start({ requiredChecks: {} });
    expect((await s.run()).outputs.reason).toMatch(/requires no status checks/);
    expect(s.github.merges).toEqual([]);

    const optedIn = await start({
      requiredChecks: {},
      config: 'auto-merge:\n  allow-without-required-checks: true\n  minimum-release-age: 0\n',
    });
    expect((await optedIn.run()).outputs.decision).toBe('merged');
    expect(optedIn.github.merges.map((m) => m.sha)).toEqual([optedIn.headSha]);
  });

  it('when the registry cannot be asked for the release age', async ({ start }) => {
    const s = await start();
    s.registry.failWith(503);
    const run = await s.run();
    expect(s.github.merges).toEqual([]);
    expect(run.outputs.reason).toMatch(/Release age: .*could not be asked \(HTTP 503\)/);
  });
});

describe('auto-merge waits', () => {
  it('for a required check that has not reported (rulesets count)', async ({ start }) => {
    const s = await start({ requiredChecks: { classic: ['test'], rulesets: ['e2e'] } });
    const run = await s.run();
    expect(s.github.merges).toEqual([]);
    expect(run.outputs).toMatchObject({
      decision: 'pending',
      reason: expect.stringContaining('e2e (required by ruleset): has not reported yet'),
    });
    expect(s.github.comments(OWNER, REPO, s.number)).toEqual([]);
  });

  it('for a check still running, but not for its own run', async ({ start }) => {
    const s = await start();
    s.github.addCheckRun(OWNER, REPO, s.headSha, {
      name: 'auto-merge',
      status: 'in_progress',
      detailsUrl: `https://github.com/${OWNER}/${REPO}/actions/runs/4242/job/1`,
    });
    expect((await s.run()).outputs.decision).toBe('merged');

    const running = await start();
    running.github.addCheckRun(OWNER, REPO, running.headSha, {
      name: 'e2e',
      status: 'in_progress',
    });
    expect((await running.run()).outputs.decision).toBe('pending');
    expect(running.github.merges).toEqual([]);
  });
});

describe('auto-merge is safe against races and repeats', () => {
  it('does not merge when the head moves between evaluation and merge', async ({ start }) => {
    const s = await start();
    s.github.beforeRequest((request) => {
      if (request.method === 'PUT' && request.path.endsWith('/merge')) {
        s.github.pushCommit(OWNER, REPO, s.number, {
          message: 'sneaky',
          author: { login: 'mallory', type: 'User' },
        });
      }
    });
    const run = await s.run();
    expect(run.outputs.decision).toBe('head-moved');
    expect(s.github.merges).toEqual([]);
  });

  it('posts one comment when the same webhook is delivered twice', async ({ start }) => {
    const s = await start({ headManifest: manifestWith({ lodash: '^5.0.0' }) });
    const event = s.pullRequestEvent();
    await s.run(event);
    await s.run(event);
    expect(s.github.comments(OWNER, REPO, s.number)).toHaveLength(1);
    const writes = s.github.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /repos/${OWNER}/${REPO}/issues/${s.number}/labels`,
      `POST /repos/${OWNER}/${REPO}/issues/${s.number}/comments`,
    ]);
  });

  it('clears the label and rewrites the comment when a later head merges', async ({ start }) => {
    const s = await start();
    s.github.addCheckRun(OWNER, REPO, s.headSha, {
      name: 'lint',
      status: 'completed',
      conclusion: 'failure',
    });
    expect((await s.run()).outputs.decision).toBe('refused');
    expect(s.github.labels(OWNER, REPO, s.number)).toContain('steward:not-merged');
    s.github.addCheckRun(OWNER, REPO, s.headSha, {
      name: 'lint',
      status: 'completed',
      conclusion: 'success',
    });
    expect((await s.run()).outputs.decision).toBe('merged');
    expect(s.github.labels(OWNER, REPO, s.number)).not.toContain('steward:not-merged');
    const comments = s.github.comments(OWNER, REPO, s.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/Steward merged this pull request/);
  });

  it('writes nothing in a dry run', async ({ start }) => {
    const s = await start();
    const run = await s.run(undefined, { inputs: { 'dry-run': 'true' } });
    expect(run.outputs.decision).toBe('would-merge');
    expect(s.github.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql')).toEqual(
      [],
    );
    expect(s.github.requests.filter((r) => r.graphql?.operationName?.includes('Enable'))).toEqual(
      [],
    );
  });
});

describe('auto-merge on bad input', () => {
  it('ends an event it cannot act on with a notice and a green step', async ({ start }) => {
    const s = await start();
    const run = await s.run({ name: 'issues', payload: { action: 'opened' } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      /::notice::Steward auto-merge did nothing: .*does not act on issues events/,
    );
    expect(s.github.requests).toEqual([]);
  });

  it('names the permission a token lacks', async ({ start }) => {
    const s = await start();
    s.github.denyPermission({
      method: 'PUT',
      pathPattern: /\/merge$/,
      permission: 'contents=write',
    });
    const run = await s.run();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::error::.*lacks the "contents=write" permission/);
    expect(s.github.merges).toEqual([]);
  });

  it('names the file, line and key of an invalid config on the base branch', async ({ start }) => {
    const s = await start({ config: 'auto-merge:\n  merge-mehtod: squash\n' });
    const run = await s.run();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::error::.*steward\.yml.*2:3.*merge-mehtod.*merge-method/s);
    expect(s.github.merges).toEqual([]);
  });
});

describe('auto-merge reading a moving head', () => {
  it('decides nothing when a push lands between the snapshot and the commit list', async ({
    start,
  }) => {
    const s = await start();
    s.github.beforeRequest((request) => {
      if (
        request.method === 'GET' &&
        request.path.endsWith('/commits') &&
        s.github.merges.length === 0
      ) {
        s.github.pushCommit(OWNER, REPO, s.number, botCommit('renovate[bot]', 'rebase'));
      }
    });
    const run = await s.run();
    expect(run.outputs).toMatchObject({
      decision: 'pending',
      reason: expect.stringContaining('the head moved'),
    });
    expect(s.github.merges).toEqual([]);
    expect(s.github.comments(OWNER, REPO, s.number)).toEqual([]);
  });
});
