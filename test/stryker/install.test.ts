import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { MutantResult } from 'mutation-testing-report-schema';
import type { MutationRunOutcome } from '../../src/mutation/runner.ts';
import {
  STRYKER_VERSION,
  defaultToolRoot,
  ensureStrykerTools,
  npmEnvironment,
  runNpm,
  toolDirFor,
  toolSetFor,
  type NpmRun,
  type StrykerToolSet,
} from '../../src/stryker/install.ts';
import { createStrykerRunner } from '../../src/stryker/runner.ts';
import { MATH_TS, createFixture, type Fixture } from './fixture.ts';

/** Real npm installs and real Stryker runs take seconds alone and minutes on a busy machine. */
const SLOW = { timeout: 600_000 };

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A project with vitest and tests whose node_modules holds no Stryker. */
function projectWithoutStryker(files: Record<string, string> = {}): Fixture {
  const fixture = createFixture({
    withoutStryker: true,
    files: {
      'package.json': JSON.stringify({
        name: 'no-stryker',
        private: true,
        type: 'module',
        devDependencies: { vitest: '*' },
      }),
      ...files,
    },
  });
  cleanups.push(fixture.cleanup);
  return fixture;
}

/** The real npm, counting its runs. */
function countingNpm(): { run: NpmRun; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: (args, options) => {
      calls.push([...args]);
      return runNpm(args, options);
    },
  };
}

function mutants(outcome: MutationRunOutcome): MutantResult[] {
  if (outcome.kind !== 'report')
    throw new Error(`expected a report, got ${JSON.stringify(outcome)}`);
  return Object.values(outcome.report.files).flatMap((file) => file.mutants);
}

/** The fixture's math module as plain JavaScript (same lines). */
const MATH_JS = MATH_TS.replace(/: number|: boolean/g, '');

const RANGES = [{ path: 'src/math.ts', startLine: 1, endLine: 8 }];
const VITEST_SET = toolSetFor('vitest') as StrykerToolSet;

describe('Steward’s pinned Stryker for a repository without one', () => {
  test(
    'is installed into the tool directory, runs the repository’s vitest tests, reports the survivor with a notice, and is reused without npm by the next run',
    SLOW,
    async () => {
      const { root } = projectWithoutStryker();
      const toolRoot = tempDir('steward-tools-');
      const npm = countingNpm();
      const runner = createStrykerRunner({ tools: { toolRoot, runNpm: npm.run } });

      const first = await runner.run({ root, ranges: RANGES, concurrency: 1 });
      const all = mutants(first);
      const dir = toolDirFor(toolRoot, VITEST_SET);
      expect(dir).toBe(join(toolRoot, 'stryker', STRYKER_VERSION, 'vitest'));
      expect(first.kind === 'report' && first.notice).toBe(
        `Installed Stryker ${STRYKER_VERSION} and @stryker-mutator/vitest-runner into ${dir} (the repository has none; STEWARD_TOOL_DIR moves it); add @stryker-mutator/core and @stryker-mutator/vitest-runner to devDependencies to pin your own`,
      );
      expect(
        all.find((m) => m.location.start.line === 7 && m.replacement === 'age > 18')?.status,
      ).toBe('Survived');
      expect(
        all.find((m) => m.location.start.line === 2 && m.mutatorName === 'ArithmeticOperator')
          ?.status,
      ).toBe('Killed');
      expect(npm.calls).toHaveLength(1);
      expect(npm.calls[0]).toEqual(expect.arrayContaining(['--ignore-scripts', '--prefix', dir]));
      expect(existsSync(join(dir, 'node_modules', '@stryker-mutator', 'vitest-runner'))).toBe(true);
      // Nothing was installed into the repository.
      expect(readdirSync(root).sort()).toEqual(['node_modules', 'package.json', 'src', 'test']);
      expect(existsSync(join(root, 'node_modules', '@stryker-mutator'))).toBe(false);

      const second = await runner.run({ root, ranges: RANGES, concurrency: 1 });
      expect(npm.calls).toHaveLength(1);
      expect(second.kind === 'report' && second.notice).toBe(
        `Used the Stryker ${STRYKER_VERSION} and @stryker-mutator/vitest-runner installed in ${dir} (the repository has none; STEWARD_TOOL_DIR moves it); add @stryker-mutator/core and @stryker-mutator/vitest-runner to devDependencies to pin your own`,
      );
      expect(
        mutants(second).find((m) => m.location.start.line === 7 && m.replacement === 'age > 18')
          ?.status,
      ).toBe('Survived');
    },
  );

  test(
    'a repository .npmrc naming its own registry does not redirect the install, nor does it through npm_config_* under `npx`',
    SLOW,
    async () => {
      const hostile = 'http://127.0.0.1:1/';
      const { root } = projectWithoutStryker({ '.npmrc': `registry=${hostile}\n` });
      // A naive `npm install` in the repository would use it.
      const naive = spawnSync('npm', ['config', 'get', 'registry'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(naive.stdout.trim()).toBe(hostile);

      const toolRoot = tempDir('steward-tools-');
      const outcome = await createStrykerRunner({ tools: { toolRoot } }).run({
        root,
        ranges: RANGES,
        concurrency: 1,
      });
      expect(outcome).toMatchObject({ kind: 'report', notice: expect.stringContaining(toolRoot) });

      // `npx steward mutate` in that repository: npm exports the .npmrc's registry to Steward.
      const underNpx = {
        ...process.env,
        npm_config_registry: hostile,
        npm_config_local_prefix: root,
      };
      expect(npmEnvironment(underNpx).npm_config_registry).toBeUndefined();
      const installed = await ensureStrykerTools(VITEST_SET, {
        toolRoot: tempDir('steward-tools-'),
        env: underNpx,
      });
      expect(installed).toMatchObject({ ok: true, installedNow: true });
    },
  );

  test('concurrent installs into one tool directory run npm once', SLOW, async () => {
    const toolRoot = tempDir('steward-tools-');
    const npm = countingNpm();
    const results = await Promise.all(
      [1, 2, 3].map(() => ensureStrykerTools(VITEST_SET, { toolRoot, runNpm: npm.run })),
    );
    expect(npm.calls).toHaveLength(1);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(results.filter((r) => r.ok && r.installedNow)).toHaveLength(1);
  });

  test(
    'a half-finished install (no marker) is redone, and a lock left by a dead process is taken over',
    SLOW,
    async () => {
      const toolRoot = tempDir('steward-tools-');
      const npm = countingNpm();
      const options = { toolRoot, runNpm: npm.run };
      expect(await ensureStrykerTools(VITEST_SET, options)).toMatchObject({ ok: true });
      const dir = toolDirFor(toolRoot, VITEST_SET);

      // An install killed half-way: part of node_modules gone, the marker (written last) absent,
      // and its lock still there with the pid of a process that has exited.
      unlinkSync(join(dir, 'steward-tools.json'));
      rmSync(join(dir, 'node_modules', '@stryker-mutator', 'core'), { recursive: true });
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      writeFileSync(`${dir}.lock`, String(dead));

      expect(await ensureStrykerTools(VITEST_SET, options)).toMatchObject({
        ok: true,
        installedNow: true,
      });
      expect(npm.calls).toHaveLength(2);
      expect(
        existsSync(join(dir, 'node_modules', '@stryker-mutator', 'core', 'package.json')),
      ).toBe(true);
      expect(existsSync(`${dir}.lock`)).toBe(false);
    },
  );

  test(
    'npm failing (unreachable registry, empty cache) is setup-failed naming the packages and the command to run',
    SLOW,
    async () => {
      const { root } = projectWithoutStryker();
      const toolRoot = tempDir('steward-tools-');
      const outcome = await createStrykerRunner({
        tools: {
          toolRoot,
          registry: 'http://127.0.0.1:1/',
          npmCache: tempDir('steward-npm-cache-'),
          fetchRetries: 0,
        },
      }).run({ root, ranges: RANGES, concurrency: 1 });
      expect(outcome.kind).toBe('setup-failed');
      if (outcome.kind !== 'setup-failed') return;
      expect(outcome.message).toContain(`@stryker-mutator/core@${STRYKER_VERSION}`);
      expect(outcome.message).toContain(`@stryker-mutator/vitest-runner@${STRYKER_VERSION}`);
      expect(outcome.message).toContain('npm exited with code');
      expect(outcome.message).not.toMatch(/\n\s+at /);
      expect(outcome.hint).toContain(
        `npm install --prefix "${toolDirFor(toolRoot, VITEST_SET)}" --no-save --ignore-scripts @stryker-mutator/core@${STRYKER_VERSION}`,
      );
      // No marker: the next run tries again.
      expect(existsSync(join(toolDirFor(toolRoot, VITEST_SET), 'steward-tools.json'))).toBe(false);
    },
  );

  test(
    'a package with no vitest, jest or mocha runs its `test` script through Stryker’s command runner',
    SLOW,
    async () => {
      const fixture = createFixture({
        linkNodeModules: false,
        files: {
          'package.json': JSON.stringify({
            name: 'plain',
            private: true,
            type: 'module',
            scripts: { test: 'node test/math.test.js' },
          }),
          'src/math.js': MATH_JS,
          'test/math.test.js': `import assert from 'node:assert/strict';
import { add, isAdult } from '../src/math.js';
assert.equal(add(2, 3), 5);
assert.equal(isAdult(30), true);
assert.equal(isAdult(5), false);
`,
        },
      });
      cleanups.push(fixture.cleanup);
      const toolRoot = tempDir('steward-tools-');
      const outcome = await createStrykerRunner({ tools: { toolRoot } }).run({
        root: fixture.root,
        ranges: [{ path: 'src/math.js', startLine: 1, endLine: 8 }],
        concurrency: 1,
      });
      const all = mutants(outcome);
      expect(outcome.kind === 'report' && outcome.notice).toContain(
        `Installed Stryker ${STRYKER_VERSION} and its command runner (the \`test\` script) into ${toolDirFor(toolRoot, toolSetFor('command') as StrykerToolSet)}`,
      );
      expect(
        all.find((m) => m.location.start.line === 7 && m.replacement === 'age > 18')?.status,
      ).toBe('Survived');
      expect(
        all.find((m) => m.location.start.line === 2 && m.mutatorName === 'ArithmeticOperator')
          ?.status,
      ).toBe('Killed');
    },
  );

  test('without the repository’s own vitest installed, nothing is installed and it says to install the dependencies', async () => {
    const fixture = createFixture({
      linkNodeModules: false,
      files: {
        'package.json': JSON.stringify({ name: 'x', devDependencies: { vitest: '*' } }),
      },
    });
    cleanups.push(fixture.cleanup);
    const npm = countingNpm();
    const outcome = await createStrykerRunner({
      tools: { toolRoot: tempDir('steward-tools-'), runNpm: npm.run },
    }).run({ root: fixture.root, ranges: RANGES });
    expect(npm.calls).toEqual([]);
    expect(outcome).toMatchObject({
      kind: 'setup-failed',
      message: expect.stringContaining("neither is the repository's vitest"),
      hint: expect.stringContaining('npm install --save-dev @stryker-mutator/core'),
    });
  });

  test('a package with no vitest, jest or mocha and no test script says so without installing', async () => {
    const fixture = createFixture({
      linkNodeModules: false,
      files: { 'package.json': JSON.stringify({ name: 'x' }) },
    });
    cleanups.push(fixture.cleanup);
    const npm = countingNpm();
    const outcome = await createStrykerRunner({
      tools: { toolRoot: tempDir('steward-tools-'), runNpm: npm.run },
    }).run({ root: fixture.root, ranges: RANGES });
    expect(npm.calls).toEqual([]);
    expect(outcome).toMatchObject({
      kind: 'setup-failed',
      message: expect.stringContaining('no `test` script'),
    });
  });
});

describe('tool sets and the tool directory', () => {
  test('each supported runner has an exact, pinned set; others have none', () => {
    expect(toolSetFor('vitest')?.packages).toEqual([
      `@stryker-mutator/core@${STRYKER_VERSION}`,
      `@stryker-mutator/vitest-runner@${STRYKER_VERSION}`,
      `@stryker-mutator/typescript-checker@${STRYKER_VERSION}`,
      'typescript@5.9.3',
      'vitest@5.1.1',
    ]);
    expect(toolSetFor('mocha')?.runnerPlugin).toBe('@stryker-mutator/mocha-runner');
    expect(toolSetFor('jest')?.packages).toContain('@stryker-mutator/jest-runner@10.0.0');
    expect(toolSetFor('jest')?.packages).toContain('@stryker-mutator/core@10.0.0');
    expect(toolSetFor('command')?.runnerPlugin).toBeUndefined();
    expect(toolSetFor('karma')).toBeUndefined();
    expect(toolSetFor('constructor')).toBeUndefined();
    for (const set of ['vitest', 'jest', 'mocha', 'command'].map(toolSetFor)) {
      for (const spec of set?.packages ?? []) expect(spec).toMatch(/@\d+\.\d+\.\d+$/);
    }
  });

  test('the tool root comes from Steward’s environment: STEWARD_TOOL_DIR, the Actions tool cache, XDG, ~/.cache', () => {
    expect(defaultToolRoot({ STEWARD_TOOL_DIR: '/t', RUNNER_TOOL_CACHE: '/r' })).toBe('/t');
    expect(defaultToolRoot({ RUNNER_TOOL_CACHE: '/r', XDG_CACHE_HOME: '/x' })).toBe(
      join('/r', 'steward'),
    );
    expect(defaultToolRoot({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe(join('/x', 'steward'));
    expect(defaultToolRoot({ HOME: '/h' })).toBe(join('/h', '.cache', 'steward'));
  });

  test('npm gets no secrets, and npm_config_* only for where and how to fetch', () => {
    const env = npmEnvironment({
      PATH: '/bin',
      HOME: '/h',
      GITHUB_TOKEN: 'ghs_secret',
      ANTHROPIC_API_KEY: 'sk-ant',
      INPUT_TOKEN: 'x',
      NODE_AUTH_TOKEN: 'npm-secret',
      NODE_OPTIONS: '--require /tmp/evil.js',
      npm_config_registry: 'https://mirror.example/',
      NPM_CONFIG_USERCONFIG: '/runner/.npmrc',
      npm_config_script_shell: '/tmp/evil.sh',
      HTTPS_PROXY: 'http://proxy:3128',
    });
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/h',
      npm_config_registry: 'https://mirror.example/',
      NPM_CONFIG_USERCONFIG: '/runner/.npmrc',
      HTTPS_PROXY: 'http://proxy:3128',
    });
  });
});
