import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { run } from '../../actions/test-gen/main.ts';
import { testsBranch } from '../../src/testgen/deliver.ts';
import {
  createTestPatch,
  PATCH_LIMITS,
  serializeTestPatch,
  type PatchFile,
} from '../../src/testgen/patch.ts';
import type { PullRequestHandle } from '../support/github-fake/index.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { pullRequestEvent } from '../e2e/review-scenario.ts';
import { messages, runInProcess } from './run-in-process.ts';

/**
 * The test-gen action's deliver mode in process against the GitHub fake: no checkout, no key, the
 * patch artifact as the generate job (which ran the pull request's code) left it, so hostile.
 */

const it = gitHubTest({ token: 'ghs_deliver_token', botLogin: 'steward[bot]' });
const NUMBER = 42;

const TEST_FILE: PatchFile = {
  path: 'test/args.test.ts',
  text: "import { expect, it } from 'vitest';\nimport { parse } from '../src/args.ts';\n\nit('parses', () => {\n  expect(parse('-v')).toEqual({ v: true });\n});\n",
};

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function seed(
  github: GitHubWorld,
  options: { config?: string; isCrossRepository?: boolean } = {},
): PullRequestHandle {
  github.fake.setFileContents(github.owner, github.repo, 'main', {
    '.github/steward.yml': options.config ?? 'test-gen:\n  delivery: pull-request\n',
  });
  const pr = github.fake.addPullRequest({
    owner: github.owner,
    repo: github.repo,
    number: NUMBER,
    headRefName: 'feature/args',
    baseRefName: 'main',
    isCrossRepository: options.isCrossRepository ?? false,
  });
  github.fake.setFileContents(github.owner, github.repo, pr.headSha, {
    'src/args.ts': 'export const parse = (s: string) => ({ v: s === "-v" });\n',
  });
  return pr;
}

function patchText(
  headSha: string,
  files: PatchFile[] = [TEST_FILE],
  overrides: { pullRequest?: number; repository?: string } = {},
): string {
  const funnel = {
    candidates: 4,
    typeChecks: 3,
    passes: 2,
    stable: 2,
    addsValue: 1,
    kept: files.length === 0 ? 0 : 1,
    possibleBugs: 0,
  };
  return serializeTestPatch(
    createTestPatch({
      repository: overrides.repository ?? 'acme/widgets',
      pullRequest: overrides.pullRequest ?? NUMBER,
      headSha,
      files,
      report: {
        funnel,
        kept:
          files.length === 0
            ? []
            : [
                {
                  name: 'parses',
                  target: 'parse',
                  sourcePath: 'src/args.ts',
                  testPath: files[0]!.path,
                  kills: [],
                  covers: [1],
                },
              ],
        possibleBugs: [],
      },
    }),
  );
}

/** The deliver job: the artifact downloaded into RUNNER_TEMP, the pull_request event, mode deliver. */
async function deliver(github: GitHubWorld, artifact: string, inputs: Record<string, string> = {}) {
  const temp = mkdtempSync(join(tmpdir(), 'steward-deliver-'));
  cleanups.push(() => rmSync(temp, { recursive: true, force: true }));
  writeFileSync(join(temp, 'steward-tests.json'), artifact);
  return runInProcess(run, github, {
    eventName: 'pull_request',
    payload: pullRequestEvent('0'.repeat(40)).payload,
    inputs: { mode: 'deliver', ...inputs },
    env: { RUNNER_TEMP: temp },
  });
}

describe('the test-gen action, deliver mode, in process', () => {
  it('opens "Tests for #N" once; a rerun commits nothing and opens nothing', async ({ github }) => {
    const pr = seed(github);
    const first = await deliver(github, patchText(pr.headSha));
    const opened = github.fake
      .pullRequests(github.owner, github.repo)
      .filter((p) => p.title === `Tests for #${NUMBER}`);
    expect(opened).toHaveLength(1);
    const tip = github.fake.branch(github.owner, github.repo, testsBranch(NUMBER))!;
    expect(github.fake.fileAt(github.owner, github.repo, tip, TEST_FILE.path)).toBe(TEST_FILE.text);
    expect(first.report.outputs).toEqual({
      'pull-request-number': String(opened[0]!.number),
      'pull-request-url': expect.stringMatching(/\/pull\/\d+$/),
      'commit-sha': tip,
      delivered: 'true',
    });
    expect(first.report.summary).toContain(`Opened #${opened[0]!.number}`);
    expect(first.report.failure).toBeNull();

    const commitsBefore = github.fake.branchCommits.length;
    const again = await deliver(github, patchText(pr.headSha));
    expect(github.fake.branchCommits).toHaveLength(commitsBefore);
    expect(
      github.fake
        .pullRequests(github.owner, github.repo)
        .filter((p) => p.title === `Tests for #${NUMBER}`),
    ).toHaveLength(1);
    expect(github.fake.branch(github.owner, github.repo, testsBranch(NUMBER))).toBe(tip);
    expect(again.report.outputs['commit-sha']).toBe(tip);
    expect(again.report.summary).toContain(`Nothing to change in #${opened[0]!.number}`);
  });

  it('with push: true commits onto the head branch', async ({ github }) => {
    const head = seed(github).headSha;
    const step = await deliver(github, patchText(head), { push: 'true' });
    const tip = github.fake.branch(github.owner, github.repo, 'feature/args')!;
    expect(tip).not.toBe(head);
    expect(github.fake.commit(github.owner, github.repo, tip)!.parents).toEqual([head]);
    expect(github.fake.fileAt(github.owner, github.repo, tip, TEST_FILE.path)).toBe(TEST_FILE.text);
    expect(step.report.outputs).toMatchObject({ 'commit-sha': tip, delivered: 'true' });
  });

  it.for([
    [
      'a workflow file',
      [{ path: '.github/workflows/steal.yml', text: 'on: push\n' }],
      /files\[0\]\.path.*\.github/,
    ],
    ['a path climbing out', [{ path: '../escape.test.ts', text: 'x' }], /climbs out with `\.\.`/],
    [
      'a source file',
      [{ path: 'src/args.ts', text: 'export const parse = () => 1;\n' }],
      /is not a test file/,
    ],
    ['a package manifest', [{ path: 'test/package.json', text: '{}' }], /manifest, lockfile/],
  ] as const)(
    'refuses a patch with %s, listing the problems, and fails',
    async ([, files, problem], { github }) => {
      const pr = seed(github);
      const step = await deliver(github, patchText(pr.headSha, [...files]));
      expect(step.report.failure).toMatch(/Steward refused the patch and delivered nothing/);
      expect(step.report.summary).toMatch(problem);
      expect(github.fake.branchCommits).toEqual([]);
      expect(github.fake.branch(github.owner, github.repo, testsBranch(NUMBER))).toBeUndefined();
      expect(step.report.outputs['delivered']).toBe('false');
    },
  );

  it('takes a file under a test folder without the suffix as a test only when it imports a framework', async ({
    github,
  }) => {
    const pr = seed(github);
    const plain = { path: 'test/args.ts', text: 'export const data = 1;\n' };
    const refused = await deliver(github, patchText(pr.headSha, [plain]));
    expect(refused.report.summary).toMatch(/test\/args\.ts.*is not a test file/);
    const test = { path: 'test/args.ts', text: TEST_FILE.text };
    const taken = await deliver(github, patchText(pr.headSha, [test]));
    expect(taken.report.failure).toBeNull();
    expect(taken.report.outputs['delivered']).toBe('true');
  });

  it('refuses a patch over the size cap without reading it whole', async ({ github }) => {
    seed(github);
    const step = await deliver(github, ' '.repeat(PATCH_LIMITS.artifactBytes + 1));
    expect(step.report.failure).toMatch(/refused the patch/);
    expect(step.report.summary).toMatch(/over the \d+-byte cap/);
    expect(github.fake.branchCommits).toEqual([]);
  });

  it('refuses a patch for another pull request or repository', async ({ github }) => {
    const pr = seed(github);
    const other = await deliver(github, patchText(pr.headSha, [TEST_FILE], { pullRequest: 8 }));
    expect(other.report.summary).toMatch(/is #8, but this run delivers for #42/);
    expect(other.report.failure).not.toBeNull();
    const repo = await deliver(
      github,
      patchText(pr.headSha, [TEST_FILE], { repository: 'evil/x' }),
    );
    expect(repo.report.summary).toMatch(/is evil\/x, but this run delivers to acme\/widgets/);
    expect(github.fake.branchCommits).toEqual([]);
  });

  it('a patch for a commit the pull request never had is refused; one for an earlier head is stale, said, and not delivered', async ({
    github,
  }) => {
    const pr = seed(github);
    const forged = await deliver(github, patchText('e'.repeat(40)));
    expect(forged.report.failure).toMatch(/refused the patch/);
    expect(forged.report.summary).toMatch(/eeeeeeeeeeee.*not a commit of #42/);

    const old = pr.headSha;
    pr.pushCommit();
    const stale = await deliver(github, patchText(old));
    expect(stale.report.failure).toBeNull();
    expect(messages(stale, 'notice').join('\n')).toMatch(/head moved.*regenerate/);
    expect(github.fake.branchCommits).toEqual([]);
  });

  it('delivers nothing to a fork’s branch, and says where the tests are', async ({ github }) => {
    const pr = seed(github, { isCrossRepository: true });
    const step = await deliver(github, patchText(pr.headSha));
    expect(step.report.failure).toBeNull();
    expect(messages(step, 'notice').join('\n')).toMatch(/cannot deliver to a fork's branch/);
    expect(github.fake.branchCommits).toEqual([]);
  });

  it('with test-gen.delivery none, or a patch with no test, delivers nothing and succeeds', async ({
    github,
  }) => {
    const pr = seed(github, { config: 'test-gen:\n  delivery: none\n' });
    const none = await deliver(github, patchText(pr.headSha));
    expect(messages(none, 'notice').join('\n')).toMatch(/test-gen.delivery is none/);
    const empty = await deliver(github, patchText(pr.headSha, []), { push: 'false' });
    expect(empty.report.summary).toMatch(/kept no test for #42: nothing to deliver/);
    expect(github.fake.branchCommits).toEqual([]);
  });

  it('without the artifact, names download-artifact', async ({ github }) => {
    seed(github);
    const step = runInProcess(run, github, {
      eventName: 'pull_request',
      payload: pullRequestEvent('0'.repeat(40)).payload,
      inputs: { mode: 'deliver', 'patch-file': 'nowhere/steward-tests.json' },
    });
    await expect(step).rejects.toThrow(/Input patch-file .* does not exist.*download-artifact/);
  });
});
