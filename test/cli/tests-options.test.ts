import { mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.ts';
import { createTestsCommand, type OpenTestRunner } from '../../src/cli/tests-command.ts';
import { runCli } from '../../src/cli/router.ts';
import { GitRepo } from '../support/git-repo.ts';
import { memoryIO } from './memory-io.ts';

/**
 * `steward tests`: what it refuses before generating anything, each refusal naming the flag or
 * the file. None of these runs Stryker, a test or the model (the runner would throw if asked).
 */

let repo: GitRepo | undefined;
afterEach(() => repo?.dispose());

/**
 * A test-run port that runs nothing: every candidate type-checks and passes, and kills nothing,
 * so each is dropped at adds-value. What it was asked is kept for the test to read.
 */
function idlePort(asked: string[]): OpenTestRunner {
  return (_root, framework) => ({
    typeCheck: async () => ({ byTest: new Map(), fileErrors: [] }),
    run: async (_file, options) => ({
      kind: 'ran',
      tests: new Map(options.names.map((name) => [name, { status: 'passed' as const }])),
    }),
    mutantsKilled: async () => ({ kind: 'measured', byTest: new Map() }),
    close: () => asked.push(`closed ${framework}`),
  });
}

/** A port under which every candidate passes and kills the mutant `1`: each one is kept. */
function killingPort(asked: string[]): OpenTestRunner {
  return (root, framework) => ({
    ...idlePort(asked)(root, framework),
    mutantsKilled: async (_file, _targets, names) => ({
      kind: 'measured',
      byTest: new Map(names.map((name) => [name, { kills: ['1'], covers: [] }])),
    }),
  });
}

async function steward(
  argv: string[],
  cwd: string,
  key = '',
  asked: string[] = [],
  port: (asked: string[]) => OpenTestRunner = idlePort,
) {
  const tests = createTestsCommand({
    apiKey: () => key,
    baseUrl: () => undefined,
    runner: async () => ({
      run: async () => {
        asked.push('stryker');
        throw new Error('no Stryker in these tests');
      },
    }),
    testRunner: port(asked),
  });
  const list = commands.map((c) => (c.name === 'tests' ? { ...c, load: async () => tests } : c));
  const io = memoryIO(cwd);
  const code = await runCli(['tests', ...argv], io, { commands: list, version: 'test' });
  return { code, stdout: io.out(), stderr: io.err() };
}

const CODEC = 'export function encode(s: string): string {\n  return s;\n}\n';

function repository(config?: string): GitRepo {
  repo = new GitRepo();
  repo
    .write('package.json', '{ "type": "module", "devDependencies": { "vitest": "*" } }\n')
    .write('src/codec.ts', CODEC);
  if (config !== undefined) repo.write('.github/steward.yml', config);
  repo.commit('codec');
  return repo;
}

describe('steward tests: usage', () => {
  it('is listed by steward --help, after mutate', async () => {
    const io = memoryIO(process.cwd());
    await runCli(['--help'], io, { commands, version: 'test' });
    expect(io.out()).toMatch(/mutate[^\n]*\n\s+tests\s+Generate unit tests/);
  });

  it('documents its flags, its JSON and its exit status', async () => {
    const { code, stdout } = await steward(['--help'], process.cwd());
    expect(code).toBe(0);
    for (const flag of [
      '--base REF',
      '--file PATH[:FN]',
      '--write',
      '--format F',
      '--offline',
      '--report FILE',
    ])
      expect(stdout).toContain(flag);
    expect(stdout).toContain('possibleBugs');
    expect(stdout).toContain('Exit status: 0 done');
  });

  it.each([
    [['--file', 'src/a.ts', '--base', 'main'], '--file names the targets itself, so --base'],
    [['--format', 'xml'], '--format must be one of text, json, markdown, got "xml"'],
    [['src/a.ts'], 'unexpected argument "src/a.ts" (name a file with --file'],
    [['--file', ' '], '--file needs a path'],
    [['--write=yes'], "--write' does not take an argument"],
    [['--shard', '1/2'], "Unknown option '--shard'"],
  ])('refuses %j with exit 2, naming the flag', async (argv, message) => {
    const { code, stderr } = await steward(argv, process.cwd());
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Run "steward tests --help" for usage.');
  });

  it.each([
    ['../outside.ts', '--file "../outside.ts" is outside the repository'],
    ['src/missing.ts', '--file src/missing.ts is not a file in the repository'],
    [
      'src/codec.ts:decode',
      '--file src/codec.ts has no function or method named "decode"; it has encode',
    ],
    ['src/codec.test.ts', '--file src/codec.test.ts is not a target'],
  ])('refuses --file %s with exit 2 and what exists', async (spec, message) => {
    const r = repository();
    const { code, stderr } = await steward(['--file', spec], r.dir);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('refuses a --report that is not a mutation report, naming it, with exit 2', async () => {
    const r = repository();
    r.write('mutation.json', '{"schemaVersion": "1"}');
    const { code, stderr } = await steward(
      ['--report', 'mutation.json', '--file', 'src/codec.ts'],
      r.dir,
    );
    expect(code).toBe(2);
    expect(stderr).toContain('steward tests: --report mutation.json');
    const missing = await steward(['--report', 'nope.json'], r.dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--report nope.json: cannot be read');
  });

  it('exits 1 with what to do when there is no key and test-gen.offline is never', async () => {
    const r = repository('test-gen:\n  offline: never\n');
    const { code, stderr } = await steward(['--file', 'src/codec.ts'], r.dir);
    expect(code).toBe(1);
    expect(stderr).toContain('no ANTHROPIC_API_KEY, and test-gen.offline is never');
    expect(stderr).toContain('pass --offline');
  });

  it('exits 1 naming what to pass when there is no base to compare with', async () => {
    const r = repository();
    r.git('switch', '-q', '-c', 'feature');
    r.git('branch', '-q', '-D', 'main');
    const { code, stderr } = await steward(['--offline'], r.dir);
    expect(code).toBe(1);
    expect(stderr).toContain('no base to compare with');
    expect(stderr).toContain('steward tests --base <branch|tag|sha>');
    expect(stderr).toContain('--file PATH[:FUNCTION]');
  });

  it('exits 1 when a changed file differs from HEAD on disk: the lines would be off', async () => {
    const r = repository();
    r.git('switch', '-q', '-c', 'feature');
    r.write(
      'src/codec.ts',
      'export function encode(s: string): string {\n  return s + "";\n}\n',
    ).commit('change');
    r.write(
      'src/codec.ts',
      '// edited\nexport function encode(s: string): string {\n  return s;\n}\n',
    );
    const { code, stderr } = await steward(['--offline', '--base', 'main'], r.dir);
    expect(code).toBe(1);
    expect(stderr).toContain('src/codec.ts differs from HEAD');
    expect(stderr).toContain('git stash');
  });

  it('exits 1 for a --base that names no revision', async () => {
    const r = repository();
    const { code, stderr } = await steward(['--offline', '--base', 'nope'], r.dir);
    expect(code).toBe(1);
    expect(stderr).toContain('nope');
  });
});

describe('steward tests: where the survivors and the tests come from', () => {
  it('without a key, derives property tests from the types and says so; a failed Stryker run is a note', async () => {
    const r = repository();
    const asked: string[] = [];
    const { code, stdout, stderr } = await steward(
      ['--file', 'src/codec.ts:encode', '--format', 'json'],
      r.dir,
      '',
      asked,
    );
    expect(code, stderr).toBe(0);
    const run = JSON.parse(stdout);
    expect(run).toMatchObject({
      mode: { model: null, offline: true },
      baseline: { kind: 'failed', message: 'Stryker failed: no Stryker in these tests' },
      funnel: { kept: 0 },
      files: [],
      patch: '',
    });
    expect(run.notices[0]).toContain(
      'no ANTHROPIC_API_KEY: only property tests derived from the types',
    );
    expect(run.notices[1]).toContain('no surviving mutants measured');
    expect(run.targets[0].candidates.length).toBeGreaterThan(0);
    for (const candidate of run.targets[0].candidates)
      expect(candidate).toMatchObject({
        origin: 'offline',
        verdict: { kind: 'dropped', stage: 'adds-value' },
      });
    expect(asked).toEqual(['stryker', 'closed vitest']);
  });

  it('takes the survivors from --report without running Stryker', async () => {
    const r = repository();
    r.write('mutation.json', REPORT);
    const asked: string[] = [];
    const { code, stdout, stderr } = await steward(
      ['--file', 'src/codec.ts', '--report', 'mutation.json', '--offline', '--format', 'json'],
      r.dir,
      'sk-unused',
      asked,
    );
    expect(code, stderr).toBe(0);
    const run = JSON.parse(stdout);
    expect(run.baseline).toEqual({ kind: 'report', path: 'mutation.json' });
    expect(run.mode).toEqual({ model: null, offline: true });
    expect(run.targets[0].survivingMutants).toEqual([
      {
        id: '1',
        mutator: 'BlockStatement',
        line: 1,
        original: expect.any(String),
        replacement: '{}',
        status: 'Survived',
      },
    ]);
    expect(asked).not.toContain('stryker');
  });

  it('--format markdown prints the report under the CLI’s heading, with the patch of the kept tests', async () => {
    const r = repository();
    r.write('mutation.json', REPORT);
    const { code, stdout, stderr } = await steward(
      ['--file', 'src/codec.ts', '--report', 'mutation.json', '--offline', '--format', 'markdown'],
      r.dir,
      '',
      [],
      killingPort,
    );
    expect(code, stderr).toBe(0);
    expect(stdout.startsWith('### Tests for `src/codec.ts`\n')).toBe(true);
    expect(stdout).toContain('| Stage | Tests | Share | TestGen-LLM |');
    expect(stdout).toContain('#### Kept tests');
    expect(stdout).toContain(
      '#### Patch\n\n```diff\ndiff --git a/src/codec.test.ts b/src/codec.test.ts',
    );
    expect(r.git('status', '--porcelain')).toBe('?? mutation.json\n');
  });

  it('--write refuses a test path the change made a link, writes nothing, prints the patch and exits 1', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'steward-outside-'));
    const r = repository();
    symlinkSync(join(outside, 'planted.ts'), join(r.dir, 'src', 'codec.test.ts'));
    r.commit('a link where the test goes');
    r.write('mutation.json', REPORT);
    const { code, stdout, stderr } = await steward(
      ['--file', 'src/codec.ts', '--report', 'mutation.json', '--offline', '--write'],
      r.dir,
      '',
      [],
      killingPort,
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      'steward tests: --write refused src/codec.test.ts: it is not a regular file (a link or a folder)',
    );
    expect(stderr).toContain('nothing was written; the patch is printed instead');
    expect(stdout).toContain('diff --git a/src/codec.test.ts b/src/codec.test.ts');
    expect(readdirSync(outside)).toEqual([]);
    expect(r.git('status', '--porcelain')).toBe('?? mutation.json\n');
  });
});

const REPORT = JSON.stringify({
  schemaVersion: '1.0',
  thresholds: { high: 80, low: 60 },
  files: {
    'src/codec.ts': {
      language: 'typescript',
      source: CODEC,
      mutants: [
        {
          id: '1',
          mutatorName: 'BlockStatement',
          replacement: '{}',
          status: 'Survived',
          location: { start: { line: 1, column: 43 }, end: { line: 3, column: 2 } },
        },
      ],
    },
  },
});

describe('steward tests: a change with nothing to test', () => {
  it('exits 0 and says so when the change touches no function: no Stryker, no test run', async () => {
    const r = repository();
    r.git('switch', '-q', '-c', 'feature');
    r.write('README.md', '# codec\n').commit('readme');
    const asked: string[] = [];
    const { code, stdout, stderr } = await steward(['--offline'], r.dir, '', asked);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('test generation for changes since main: 0 targets');
    expect(stdout).toContain('Nothing to generate tests for: the change touches no function');
    expect(stdout).toContain('not a target: README.md');
    expect(asked).toEqual([]);
  });
});
