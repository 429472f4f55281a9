import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { createTestGenAction } from '../../actions/test-gen/main.ts';
import { testsBranch } from '../../src/testgen/deliver.ts';
import type { TestOutcome, TestRunPort } from '../../src/testgen/test-runner.ts';
import { pullRequestEvent } from '../e2e/review-scenario.ts';
import { MATH_SOURCE, REAL_MATH_REPORT_TEXT } from '../mutation/report-fixtures.ts';
import { startAnthropicFake, type AnthropicFake } from '../support/anthropic-fake.ts';
import { GitRepo } from '../support/git-repo.ts';
import { gitHubTest } from '../support/github-world.ts';
import { runInProcess } from './run-in-process.ts';

/**
 * Both jobs of the two-job workflow in process, with the real use case: the generate job asks the
 * Anthropic fake (through the key and base URL inputs) and runs the candidates through an
 * in-memory test runner (vitest and Stryker run in test/e2e), writes the patch; the deliver job
 * reads that file and opens "Tests for #42" on the GitHub fake with the kept test only.
 */

const NUMBER = 42;
const it = gitHubTest({ token: 'ghs_flow_token', botLogin: 'steward[bot]' }).extend<{
  anthropic: AnthropicFake;
}>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads the fixture's dependencies from this pattern
  anthropic: async ({}, use) => {
    const fake = await startAnthropicFake({ apiKey: 'sk-ant-flow' });
    try {
      await use(fake);
      fake.assertNoUnexpected();
    } finally {
      await fake.close();
    }
  },
});

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

const BASE_SOURCE = MATH_SOURCE.replace('return high;', 'return low;').replace(
  'age >= 18',
  'age > 17',
);

/** Titles of the tests in a file (it/test). */
function titles(text: string): string[] {
  return [...text.matchAll(/(?:^|\n)\s*(?:it|test)\((["'])(.*?)\1/g)].map((m) => m[2]!);
}

/** Every test type-checks; 'keeps a value above high' fails on an assertion; the others kill every mutant asked about. */
function memoryPort(): TestRunPort & { close(): void } {
  const outcome = (name: string): TestOutcome =>
    name === 'keeps a value above high'
      ? {
          status: 'failed',
          failure: 'assertion',
          message: 'AssertionError: expected false to be true',
        }
      : { status: 'passed' };
  return {
    typeCheck: () => Promise.resolve({ byTest: new Map(), fileErrors: [] }),
    run: (file, options) =>
      Promise.resolve({
        kind: 'ran',
        tests: new Map(
          options.names.filter((n) => titles(file.text).includes(n)).map((n) => [n, outcome(n)]),
        ),
      }),
    mutantsKilled: (_file, targets, names) =>
      Promise.resolve({
        kind: 'measured',
        byTest: new Map(
          names.map((n) => [
            n,
            { kills: targets.flatMap((t) => t.mutants.map((m) => m.id)), covers: [] },
          ]),
        ),
      }),
    close: () => {},
  };
}

describe('the test-gen action, generate then deliver, in process', () => {
  it('asks the model through the key input, keeps the test that kills, and the deliver job opens "Tests for #42" with it', async ({
    github,
    anthropic,
  }) => {
    const repo = new GitRepo();
    cleanups.push(() => repo.dispose());
    const baseSha = repo
      .write('src/math.ts', BASE_SOURCE)
      .write('test/math.test.ts', "import { it } from 'vitest';\nit('loads', () => {});\n")
      .write('.gitignore', '.steward\n')
      .commit('math');
    repo.git('switch', '-q', '-c', 'feature');
    const headSha = repo.write('src/math.ts', MATH_SOURCE).commit('adults from 18');
    mkdirSync(join(repo.dir, '.steward'));
    writeFileSync(join(repo.dir, '.steward', 'mutation.json'), REAL_MATH_REPORT_TEXT);
    github.fake.setFileContents(github.owner, github.repo, 'main', {
      '.github/steward.yml': 'test-gen:\n  max-targets: 1\n  runs: 2\n  offline: never\n',
    });
    github.fake.addPullRequest({
      owner: github.owner,
      repo: github.repo,
      number: NUMBER,
      headSha,
      headRefName: 'feature',
      baseRefName: 'main',
    });
    const test = (name: string, body: string) => ({
      name,
      code: `it(${JSON.stringify(name)}, () => {\n  ${body}\n});`,
      imports: ["import { clamp } from '../src/math';", "import { expect, it } from 'vitest';"],
      // The report ranks clamp first (three mutants survive there): max-targets 1 asks for it alone.
      target: 'clamp',
      kind: 'example',
    });
    anthropic.enqueue({
      toolUse: {
        name: 'propose_tests',
        input: {
          tests: [
            test('clamps to high', 'expect(clamp(5, 0, 3)).toBe(3);'),
            test('keeps a value above high', 'expect(clamp(5, 0, 3)).toBe(5);'),
          ],
        },
      },
    });
    const temp = mkdtempSync(join(tmpdir(), 'steward-flow-'));
    cleanups.push(() => rmSync(temp, { recursive: true, force: true }));
    const { payload } = pullRequestEvent(headSha);
    (payload.pull_request as { base: { sha: string } }).base.sha = baseSha;

    const generate = await runInProcess(
      createTestGenAction({
        testRunPort: memoryPort,
        formatter: () => ({
          format: (file) =>
            Promise.resolve({ kind: 'no-formatter', text: file.text, reason: 'none' }),
        }),
      }),
      github,
      {
        eventName: 'pull_request',
        payload,
        inputs: {
          'anthropic-api-key': 'sk-ant-flow',
          'anthropic-base-url': anthropic.url,
          'mutation-report': '.steward/mutation.json',
        },
        env: { GITHUB_WORKSPACE: repo.dir, RUNNER_TEMP: temp },
      },
    );
    expect(generate.report.outputs).toMatchObject({
      kept: '1',
      candidates: '2',
      'possible-bugs': '1',
    });
    // What upload-artifact and download-artifact carry: the patch file, into the deliver job's RUNNER_TEMP.
    for (const file of generate.report.files) writeFileSync(file.path, file.text);

    const deliver = await runInProcess(createTestGenAction(), github, {
      eventName: 'pull_request',
      payload,
      inputs: { mode: 'deliver' },
      env: { RUNNER_TEMP: temp },
    });
    expect(deliver.report.failure).toBeNull();
    expect(deliver.report.outputs['delivered']).toBe('true');
    const tip = github.fake.branch(github.owner, github.repo, testsBranch(NUMBER))!;
    const delivered = github.fake.fileAt(github.owner, github.repo, tip, 'test/math.test.ts')!;
    expect(titles(delivered)).toEqual(['loads', 'clamps to high']);
    const opened = github.fake
      .pullRequests(github.owner, github.repo)
      .find((p) => p.title === `Tests for #${NUMBER}`)!;
    expect(opened.body).toContain('`clamps to high`');
  });
});
