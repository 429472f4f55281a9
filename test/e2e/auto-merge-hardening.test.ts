import { describe, expect } from 'vitest';
import type { FileSeed, RequiredChecksSeed } from '../support/github-fake/types.ts';
import { registryUrl, renderLockfile, type LockFormat } from '../support/lockfiles.ts';
import {
  type AutoMergeScenario,
  BASE_LOCK,
  manifestWith,
  botCommit,
  JOB,
  LODASH_21,
  lockWith,
  OWNER,
  REPO,
  RUN_ID,
  type ScenarioOptions,
} from './auto-merge-scenario.ts';
import { autoMergeTest } from './scenario-test.ts';

/**
 * The hostile classes of issue 9, each through the bundled action against the GitHub and npm
 * registry fakes: every one was merged (or, for the crashes, left without a decision) by the code
 * before it, and must now refuse or wait with a reason naming the entry, check or limit. The benign
 * controls beside them must still merge, pinned to the head.
 */

const it = autoMergeTest;

const HOUR = 3_600_000;

/** No merge was even attempted (GitHub's own gate is not what stopped it): mergeAttempts() is []. */

function expectMerged(s: AutoMergeScenario, run: { outputs: Record<string, string> }) {
  expect(run.outputs.decision, run.outputs.reason).toBe('merged');
  expect(s.github.merges.map((m) => m.sha)).toEqual([s.headSha]);
}

describe('benign controls still merge, pinned to the head', () => {
  it.for(['npm-1', 'npm-2', 'npm-3', 'yarn-1', 'yarn-berry', 'pnpm-6', 'pnpm-9'] as LockFormat[])(
    'a Renovate patch with a %s lockfile',
    async (format, { start }) => {
      const s = await start({ lockfile: { format, after: lockWith(LODASH_21) } });
      const run = await s.run();
      expectMerged(s, run);
      expect(run.summary).toContain('every changed lockfile entry resolves from the registry');
    },
  );

  it('a Renovate patch whose lockfile brings a new transitive package the update asks for', async ({
    start,
  }) => {
    const s = await start({
      lockfile: {
        format: 'npm-3',
        after: lockWith(
          { ...LODASH_21, dependencies: { 'tiny-helper': '^1.0.0' } },
          { name: 'tiny-helper', version: '1.0.3', integrity: 'sha512-tiny' },
        ),
      },
    });
    expectMerged(s, await s.run());
    expect(s.registry.requests).toContain('/tiny-helper');
  });

  it('a Dependabot update whose required check is bound to the App that ran it', async ({
    start,
  }) => {
    const s = await start({
      bot: 'dependabot[bot]',
      title: 'Bump lodash from 4.17.20 to 4.17.21',
      requiredChecks: { classic: [{ context: 'test', appId: 15368 }] },
    });
    const run = await s.run();
    expectMerged(s, run);
    expect(run.summary).toMatch(
      /test \(required by branch protection, only from the GitHub App 15368\): satisfied by the check run "test" of the GitHub App github-actions \(15368\)/,
    );
  });

  it('a pull request to a branch the default branch lists in base-branches', async ({ start }) => {
    const s = await start({ pr: { baseRefName: 'release/1.x' } });
    s.github.setRequiredChecks(OWNER, REPO, 'release/1.x', { classic: ['test'] });
    s.github.setFileContents(OWNER, REPO, 'main', {
      '.github/steward.yml': `auto-merge:\n  registry: ${s.registry.url}\n  base-branches: ['release/*']\n`,
    });
    s.github.setFileContents(OWNER, REPO, 'release/1.x', {
      '.github/steward.yml': `auto-merge:\n  registry: ${s.registry.url}\n`,
    });
    expectMerged(s, await s.run());
  });
});

describe('lockfile content refuses', () => {
  const cases: [string, ScenarioOptions, RegExp][] = [
    [
      'an integrity that changes while the version and URL stay',
      {
        lockfile: {
          format: 'npm-3',
          after: lockWith(LODASH_21, { ...BASE_LOCK[1]!, integrity: 'sha512-swapped' }),
        },
      },
      /package-lock\.json: zod@0\.9\.0: integrity changed from sha512-zod090 to sha512-swapped while the version stayed the same/,
    ],
    [
      "a resolved URL naming another package's tarball on the right registry",
      {
        lockfile: {
          format: 'npm-3',
          after: lockWith({ ...LODASH_21, resolved: registryUrl('lodash-evil', '4.17.21') }),
        },
      },
      /lodash@4\.17\.21: resolved https:\/\/registry\.npmjs\.org\/lodash-evil\/-\/lodash-evil-4\.17\.21\.tgz is not the tarball of lodash@4\.17\.21/,
    ],
    [
      'a Yarn Berry resolution from git',
      {
        lockfile: {
          path: 'yarn.lock',
          before: renderLockfile('yarn-berry', BASE_LOCK),
          after: renderLockfile('yarn-berry', lockWith(LODASH_21)).replace(
            'resolution: lodash@npm:4.17.21',
            'resolution: lodash@https://github.com/evil/lodash.git#commit=0123abc',
          ),
        },
      },
      /yarn\.lock: lodash@4\.17\.21 resolves from git \(https:\/\/github\.com\/evil\/lodash\.git#commit=0123abc\), not the registry/,
    ],
    [
      'a pnpm resolution from a git repository',
      {
        lockfile: {
          path: 'pnpm-lock.yaml',
          before: renderLockfile('pnpm-9', BASE_LOCK),
          after: renderLockfile('pnpm-9', lockWith(LODASH_21)).replace(
            /(lodash@4\.17\.21:\n\s+resolution:)\n\s+integrity: sha512-lodash21/,
            '$1 { type: git, repo: "https://github.com/evil/lodash", commit: 0123abc }',
          ),
        },
      },
      /pnpm-lock\.yaml: lodash@4\.17\.21 resolves from git \(https:\/\/github\.com\/evil\/lodash\), not the registry/,
    ],
    [
      'a lockfile format version Steward does not know',
      {
        lockfile: {
          path: 'package-lock.json',
          before: renderLockfile('npm-3', BASE_LOCK),
          after: renderLockfile('npm-3', lockWith(LODASH_21)).replace(
            '"lockfileVersion": 3',
            '"lockfileVersion": 4',
          ),
        },
      },
      /package-lock\.json: lockfileVersion 4 is not one Steward reads \(npm lockfileVersion 1, 2 or 3\)/,
    ],
    [
      'a package new to the lockfile that nothing asks for',
      {
        lockfile: {
          format: 'npm-3',
          after: lockWith(LODASH_21, {
            name: 'stowaway',
            version: '1.0.0',
            integrity: 'sha512-stowaway',
          }),
        },
      },
      /stowaway@1\.0\.0 is new to the lockfile, and no changed manifest or updated package asks for it/,
    ],
    [
      'a package smuggled in as a new dependency of an entry whose version stayed',
      {
        lockfile: {
          format: 'yarn-1',
          after: lockWith(
            LODASH_21,
            { ...BASE_LOCK[1]!, dependencies: { stowaway: '^1.0.0' } },
            { name: 'stowaway', version: '1.0.0', integrity: 'sha512-stowaway' },
          ),
        },
      },
      /yarn\.lock: zod@0\.9\.0: its dependencies changed from \[\] to \[stowaway\] while the version stayed the same/,
    ],
    [
      'an entry that gains an install script',
      { lockfile: { format: 'npm-3', after: lockWith({ ...LODASH_21, hasInstallScript: true }) } },
      /package-lock\.json: lodash@4\.17\.21 gains an install script \(hasInstallScript\)/,
    ],
    [
      'a range widened to every future major',
      {
        headManifest: manifestWith({ lodash: '>=4.17.21' }),
      },
      /lodash \^4\.17\.20 → >=4\.17\.21 is a major update/,
    ],
  ];

  it.for(cases)('%s, naming it', async ([, options, reason], { start }) => {
    const s = await start(options);
    const run = await s.run();
    expect(s.mergeAttempts()).toEqual([]);
    expect(run.outputs).toMatchObject({
      decision: 'refused',
      reason: expect.stringMatching(reason),
    });
    // One comment with the reasons, and the label: the usual refusal of a bot pull request.
    expect(s.github.comments(OWNER, REPO, s.number)).toHaveLength(1);
    expect(s.github.labels(OWNER, REPO, s.number)).toContain('steward:not-merged');
  });

  it('a lockfile deleted', async ({ start }) => {
    const s = await start({
      lockfile: { path: 'package-lock.json', before: '', after: '', status: 'removed' },
    });
    const run = await s.run();
    expect(s.mergeAttempts()).toEqual([]);
    expect(run.outputs.reason).toMatch(/package-lock\.json: lockfile deleted/);
  });
});

describe('release age covers what the lockfile installs', () => {
  it('refuses a transitive version younger than minimum-release-age', async ({ start }) => {
    const s = await start({
      lockfile: {
        format: 'npm-3',
        before: [...BASE_LOCK, { name: 'minimist', version: '1.2.5', integrity: 'sha512-m5' }],
        after: [
          ...lockWith(LODASH_21),
          { name: 'minimist', version: '1.2.8', integrity: 'sha512-m8' },
        ],
      },
    });
    s.registry.publish('minimist', '1.2.8', new Date(Date.now() - HOUR));
    const run = await s.run();
    expect(s.mergeAttempts()).toEqual([]);
    expect(run.outputs).toMatchObject({
      decision: 'refused',
      reason: expect.stringMatching(
        /Release age: minimist@1\.2\.8 was published (\d+ minutes|1 hour) ago; the minimum release age is 3 days/,
      ),
    });
  });

  it('refuses an installed version newer than the range floor, aged by what is installed', async ({
    start,
  }) => {
    const s = await start({
      lockfile: {
        format: 'npm-3',
        after: lockWith({ ...LODASH_21, version: '4.17.99', integrity: 'sha512-fresh' }),
      },
    });
    s.registry.publish('lodash', '4.17.99', new Date(Date.now() - 2 * HOUR));
    const run = await s.run();
    expect(s.mergeAttempts()).toEqual([]);
    expect(run.outputs).toMatchObject({
      decision: 'refused',
      reason: expect.stringMatching(/lodash@4\.17\.99 was published 2 hours ago/),
    });
  });
});

describe('required checks count only from the source they are bound to', () => {
  it.for([
    ['classic protection (app_id)', { classic: [{ context: 'ci/build', appId: 15368 }] }],
    ['a ruleset (integration_id)', { rulesets: [{ context: 'ci/build', appId: 15368 }] }],
  ] as [string, RequiredChecksSeed][])(
    '%s: another App’s check and a status of the same name do not satisfy it',
    async ([, required], { start }) => {
      const s = await start({ requiredChecks: required });
      // The real CI (GitHub Actions) has not reported; a lookalike App and a commit status claim it.
      s.github.addCheckRun(OWNER, REPO, s.headSha, {
        name: 'ci/build',
        status: 'completed',
        conclusion: 'success',
        app: { id: 4242, slug: 'lookalike-ci' },
      });
      s.github.addStatus(OWNER, REPO, s.headSha, { context: 'ci/build', state: 'success' });
      const run = await s.run();
      expect(s.mergeAttempts()).toEqual([]);
      expect(run.outputs.decision).toBe('pending');
      expect(run.summary).toMatch(/only from the GitHub App 15368/);
      expect(run.outputs.reason).toMatch(
        /ci\/build \(required by .*, only from the GitHub App 15368\): has not reported yet; the check run "ci\/build" of the GitHub App lookalike-ci \(4242\) and the commit status "ci\/build" reported a check of that name, which does not count/,
      );
    },
  );
});

describe("the action's own run", () => {
  const ownRun = (job: string) =>
    `https://github.com/${OWNER}/${REPO}/actions/runs/${RUN_ID}/job/${job}`;

  it('counts a sibling job of the same run that failed', async ({ start }) => {
    const s = await start();
    s.github.addCheckRun(OWNER, REPO, s.headSha, {
      name: JOB,
      status: 'in_progress',
      detailsUrl: ownRun('1'),
    });
    s.github.addCheckRun(OWNER, REPO, s.headSha, {
      name: 'integration',
      status: 'completed',
      conclusion: 'failure',
      detailsUrl: ownRun('2'),
    });
    const run = await s.run();
    expect(s.mergeAttempts()).toEqual([]);
    expect(run.outputs).toMatchObject({
      decision: 'refused',
      reason: expect.stringContaining('integration: failure'),
    });
  });

  it('waits for a sibling job of the same run that is still running', async ({ start }) => {
    const s = await start();
    s.github.addCheckRun(OWNER, REPO, s.headSha, {
      name: 'integration',
      status: 'in_progress',
      detailsUrl: ownRun('2'),
    });
    const run = await s.run();
    expect(s.mergeAttempts()).toEqual([]);
    expect(run.outputs).toMatchObject({
      decision: 'pending',
      reason: expect.stringContaining('integration: still running'),
    });
  });
});

describe('what GitHub does not list', () => {
  it('refuses when the listed files fall short of changedFiles, naming the limit', async ({
    start,
  }) => {
    const listed: FileSeed[] = Array.from({ length: 3000 }, (_, i) => ({
      path: `mod${i}/go.sum`,
      status: 'modified',
      patch: '@@ -1 +1 @@\n-a h1:x\n+a h1:y',
    }));
    const metadata = [
      'Bump golang.org/x/net from 0.17.0 to 0.17.1',
      '',
      '---',
      'updated-dependencies:',
      '- dependency-name: golang.org/x/net',
      '  dependency-version: 0.17.1',
      '  dependency-type: direct:production',
      '  update-type: version-update:semver-patch',
      '...',
    ].join('\n');
    const s = await start({
      bot: 'dependabot[bot]',
      title: 'Bump golang.org/x/net from 0.17.0 to 0.17.1',
      commits: [botCommit('dependabot[bot]', metadata)],
      config: 'auto-merge:\n  extra-files: ["**/go.sum"]\n  minimum-release-age: 0\n',
      replaceFiles: [
        ...listed,
        { path: '.github/workflows/steal.yml', status: 'added', patch: '@@ -0,0 +1 @@\n+x' },
      ],
    });
    const run = await s.run();
    expect(s.mergeAttempts()).toEqual([]);
    expect(run.outputs).toMatchObject({
      decision: 'refused',
      reason: expect.stringContaining(
        'GitHub listed 3000 of the 3001 changed files (it lists at most 3,000)',
      ),
    });
  });

  it('refuses on identity when commits exceed the 250 GitHub lists', async ({ start }) => {
    const s = await start({
      commits: Array.from({ length: 251 }, (_, i) =>
        botCommit('renovate[bot]', `Update lodash (${i})`),
      ),
    });
    const run = await s.run();
    expect(s.mergeAttempts()).toEqual([]);
    expect(run.outputs).toMatchObject({
      decision: 'refused',
      reason: expect.stringContaining('251 commits, over the 250 GitHub lists'),
    });
  });
});

describe('native mode', () => {
  it('does not arm auto-merge while an optional check is still running', async ({ start }) => {
    const s = await start({ config: 'auto-merge:\n  mode: native\n  minimum-release-age: 0\n' });
    s.github.addCheckRun(OWNER, REPO, s.headSha, { name: 'optional-e2e', status: 'in_progress' });
    const run = await s.run();
    expect(run.outputs).toMatchObject({
      decision: 'pending',
      reason: expect.stringContaining('optional-e2e: still running'),
    });
    expect(s.github.autoMergeArms).toEqual([]);
    expect(s.mergeAttempts()).toEqual([]);
  });
});

describe('base branches', () => {
  it('refuses a bot pull request to a side branch the default branch does not list, whatever that branch allows', async ({
    start,
  }) => {
    const s = await start({ pr: { baseRefName: 'legacy' } });
    s.github.setRequiredChecks(OWNER, REPO, 'legacy', { classic: ['test'] });
    s.github.setFileContents(OWNER, REPO, 'legacy', {
      '.github/steward.yml': `auto-merge:\n  registry: ${s.registry.url}\n  base-branches: ['*']\n  update-types:\n    dependencies: [major, minor, patch]\n`,
    });
    const run = await s.run();
    expect(s.mergeAttempts()).toEqual([]);
    expect(run.outputs).toMatchObject({
      decision: 'refused',
      reason: expect.stringContaining(
        "the base branch legacy is not the default branch (main) and is not listed in base-branches of main's .github/steward.yml",
      ),
    });
  });
});

describe('fail closed, with a decision', () => {
  function expectUnreadable(
    s: AutoMergeScenario,
    run: { exitCode: number; outputs: Record<string, string>; summary: string },
    what: RegExp,
  ) {
    expect(run.exitCode).toBe(0);
    expect(s.mergeAttempts()).toEqual([]);
    expect(run.outputs.decision).toBe('refused');
    expect(run.outputs.reason).toMatch(what);
    expect(run.outputs.reason).toMatch(/nothing was merged, labelled or commented/);
    expect(run.summary).toMatch(/GitHub answer/);
    expect(s.github.comments(OWNER, REPO, s.number)).toEqual([]);
    expect(s.github.labels(OWNER, REPO, s.number)).toEqual([]);
  }

  it('on a partial GraphQL answer (a field TIMEOUT)', async ({ start }) => {
    const s = await start();
    s.github.failGraphQLField(
      'StatusCheckRollup.contexts',
      'TIMEOUT',
      'Timeout on validation of query',
    );
    expectUnreadable(
      s,
      await s.run(),
      /TIMEOUT at repository\.pullRequest\.commits\.nodes\.0\.commit\.statusCheckRollup\.contexts/,
    );
  });

  it('on a REST 5xx that outlasts the retries', async ({ start }) => {
    const s = await start();
    s.github.failRequests({ method: 'GET', pathPattern: /\/pulls\/\d+\/files$/, status: 502 });
    expectUnreadable(s, await s.run(), /the files of pull request #17: HTTP 502/);
  });

  it('relies on GitHub’s isRequired when the token cannot read rulesets, and says so', async ({
    start,
  }) => {
    const s = await start({ requiredChecks: { rulesets: ['test'] } });
    s.github.failGraphQLField('Ref.rules', 'FORBIDDEN', 'Resource not accessible by integration');
    const run = await s.run();
    expectMerged(s, run);
    expect(run.summary).toMatch(
      /the token cannot read the base branch's rulesets .*relied on GitHub's isRequired/,
    );
  });

  it('relies on GitHub’s isRequired when the token cannot read the branch, and says so', async ({
    start,
  }) => {
    const s = await start();
    s.github.denyPermission({
      method: 'GET',
      pathPattern: /\/branches\//,
      permission: 'contents=read',
    });
    const run = await s.run();
    expectMerged(s, run);
    expect(run.summary).toMatch(
      /the token cannot read branch main .*relied on GitHub's isRequired/,
    );
  });

  it('on a merge answered with a 5xx after the retries: a decision, not a crash', async ({
    start,
  }) => {
    const s = await start();
    s.github.failRequests({ method: 'PUT', pathPattern: /\/merge$/, status: 503 });
    const run = await s.run();
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      decision: 'refused',
      reason: expect.stringMatching(/the merge of #17: HTTP 503 .*whether it merged is unknown/),
    });
    expect(s.github.comments(OWNER, REPO, s.number)).toEqual([]);
  });
});
