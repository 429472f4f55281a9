import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { commands } from '../../src/cli/commands.ts';
import { createTestsCommand } from '../../src/cli/tests-command.ts';
import { runCli } from '../../src/cli/router.ts';
import { anthropicTest } from '../support/anthropic-world.ts';
import { GitRepo } from '../support/git-repo.ts';
import { createFixture, type Fixture } from '../stryker/fixture.ts';
import { TEST_TSCONFIG } from '../testrun/fixture.ts';
import { memoryIO } from './memory-io.ts';

/**
 * `steward tests` end to end in-process, offline, on a real git repository holding a real vitest
 * project (node_modules is a link to this checkout's): Stryker measures the survivors, vitest and
 * the type checker run the candidates, prettier formats the file.
 */

const SLOW = { timeout: 900_000 };

/** An encode/decode pair; its one test (CODEC_TEST_TS) lets most of their mutants survive. */
export const CODEC_TS = `/** Each UTF-16 code unit as four hex digits. */
export function encodeHex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += text.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
}

/** The text \`encodeHex\` encoded. */
export function decodeHex(hex: string): string {
  let out = '';
  for (let i = 0; i < hex.length; i += 4)
    out += String.fromCharCode(Number.parseInt(hex.slice(i, i + 4), 16));
  return out;
}
`;

/** The codec's test as the branch adds it: the empty string only, and decodeHex never called. */
export const CODEC_TEST_TS = `import { expect, test } from 'vitest';
import { encodeHex } from '../src/codec.ts';

test('encodes nothing as nothing', () => {
  expect(encodeHex('')).toBe('');
});
`;

let fixture: Fixture | undefined;
afterEach(() => fixture?.cleanup());

/** main has the math module and its tests; the branch `feature` adds the codec and its test. */
function repository(): GitRepo {
  fixture = createFixture({
    files: {
      'test/tsconfig.json': TEST_TSCONFIG,
      '.gitignore': 'node_modules\n.stryker-tmp\nreports\n',
    },
  });
  const repo = new GitRepo(fixture.root);
  repo.commit('math');
  repo.git('switch', '-q', '-c', 'feature');
  repo
    .write('src/codec.ts', CODEC_TS)
    .write('test/codec.test.ts', CODEC_TEST_TS)
    .commit('hex codec');
  return repo;
}

const withModel = anthropicTest({ apiKey: 'sk-test' });

async function steward(argv: string[], cwd: string, model?: { key: string; url: string }) {
  const tests = createTestsCommand({
    apiKey: () => model?.key ?? '',
    baseUrl: () => model?.url,
  });
  const list = commands.map((c) => (c.name === 'tests' ? { ...c, load: async () => tests } : c));
  const progress: string[] = [];
  const io = { ...memoryIO(cwd), progress: (line: string) => progress.push(line) };
  const code = await runCli(['tests', ...argv], io, { commands: list, version: 'test' });
  return { code, stdout: io.out(), stderr: io.err(), progress };
}

describe('steward tests, offline, on a vitest project', () => {
  test(
    'keeps a round-trip property for the encode/decode pair, and --write writes it',
    SLOW,
    async () => {
      const repo = repository();
      // Without --write: the report and the patch, nothing in the work tree changed.
      const dry = await steward(['--offline'], repo.dir);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('test generation for changes since main: 2 targets, offline');
      expect(dry.stdout).toMatch(/stage +tests +share +TestGen-LLM/);
      expect(dry.stdout).toContain('survivors measured by Stryker');
      expect(dry.stdout).toContain('not a target: test/codec.test.ts');
      const patch = dry.stdout.slice(dry.stdout.indexOf('diff --git a/test/codec.test.ts'));
      expect(patch).toMatch(/^\+.*decodeHex\(encodeHex/m);
      expect(repo.git('status', '--porcelain')).toBe('');
      execFileSync('git', ['apply', '--check', '-'], { cwd: repo.dir, input: patch });

      const { code, stdout, stderr } = await steward(
        ['--offline', '--write', '--format', 'json'],
        repo.dir,
      );
      expect(code, stderr).toBe(0);
      const run = JSON.parse(stdout);
      expect(run).toMatchObject({
        version: 1,
        base: 'main',
        file: null,
        mode: { model: null, offline: true },
        baseline: { kind: 'measured', partial: false },
        written: true,
        patch: null,
        usage: null,
        skipped: [{ path: 'test/codec.test.ts' }],
      });
      expect(run.targets.map((t: { name: string }) => t.name).sort()).toEqual([
        'decodeHex',
        'encodeHex',
      ]);
      const roundTrip = run.kept.find((k: { name: string }) =>
        k.name.startsWith('decodeHex(encodeHex(x))'),
      );
      expect(roundTrip, JSON.stringify(run.targets, null, 2)).toMatchObject({
        sourcePath: 'src/codec.ts',
        testPath: 'test/codec.test.ts',
      });
      expect(roundTrip.kills.length).toBeGreaterThan(0);
      expect(run.files).toHaveLength(1);
      expect(run.files[0]).toMatchObject({ path: 'test/codec.test.ts', status: 'modified' });
      // Written as reported, the existing test kept, and it passes with the project's vitest.
      const written = readFileSync(join(repo.dir, 'test/codec.test.ts'), 'utf8');
      expect(written).toBe(run.files[0].text);
      expect(written).toContain("test('encodes nothing as nothing'");
      expect(written).toContain('decodeHex(encodeHex(');
      expect(stderr).toContain('wrote test/codec.test.ts');
      execFileSync(
        process.execPath,
        ['node_modules/vitest/vitest.mjs', 'run', 'test/codec.test.ts'],
        { cwd: repo.dir, stdio: 'pipe' },
      );
      expect(repo.git('status', '--porcelain')).toBe(' M test/codec.test.ts\n');
    },
  );

  withModel(
    "with a key, Claude's tests go through the chain: the JSON has the kept test, the possible bug and every verdict",
    SLOW,
    async ({ anthropic: fake }) => {
      const repo = repository();
      const imports = ["import { decodeHex } from '../src/codec.ts';"];
      fake.enqueue({
        toolUse: {
          name: 'propose_tests',
          input: {
            tests: [
              {
                name: 'decodes two characters',
                code: "test('decodes two characters', () => {\n  expect(decodeHex('00410042')).toBe('AB');\n});",
                imports,
                target: 'decodeHex',
                kind: 'example',
              },
              {
                name: 'decodes upper-case hex as lower',
                code: "test('decodes upper-case hex as lower', () => {\n  expect(decodeHex('0041')).toBe('a');\n});",
                imports,
                target: 'decodeHex',
                kind: 'example',
              },
            ],
          },
        },
        usage: { input_tokens: 1500, output_tokens: 200 },
      });
      const { code, stdout, stderr, progress } = await steward(
        ['--file', 'src/codec.ts:decodeHex', '--format', 'json'],
        repo.dir,
        { key: 'sk-test', url: fake.url },
      );
      expect(code, stderr).toBe(0);
      // On a terminal, progress: the baseline, then each step of the target.
      expect(progress[0]).toBe('measuring the mutants that survive on the targets (Stryker)');
      expect(progress).toContain('tests: 1/1 decodeHex (src/codec.ts): asking Claude');
      expect(progress).toContain('tests: 1/1 decodeHex (src/codec.ts): checking candidates');
      const run = JSON.parse(stdout);
      expect(run).toMatchObject({
        base: null,
        file: 'src/codec.ts:decodeHex',
        mode: { model: expect.any(String), offline: false },
        baseline: { kind: 'measured' },
        written: false,
        usage: { requests: 1, inputTokens: 1500, outputTokens: 200 },
        funnel: { candidates: 2, kept: 1, possibleBugs: 1 },
        kept: [
          {
            name: 'decodes two characters',
            target: 'decodeHex',
            sourcePath: 'src/codec.ts',
            testPath: 'test/codec.test.ts',
          },
        ],
        possibleBugs: [
          {
            name: 'decodes upper-case hex as lower',
            target: 'decodeHex',
            assertion: expect.stringContaining("expected 'A' to be 'a'"),
          },
        ],
        files: [{ path: 'test/codec.test.ts', status: 'modified' }],
      });
      expect(run.kept[0].kills.length).toBeGreaterThan(0);
      expect(run.targets).toHaveLength(1);
      expect(run.targets[0]).toMatchObject({
        name: 'decodeHex',
        framework: 'vitest',
        testPath: 'test/codec.test.ts',
      });
      expect(
        run.targets[0].candidates.map(
          (c: { name: string; origin: string; verdict: { kind: string } }) => [
            c.name,
            c.origin,
            c.verdict.kind,
          ],
        ),
      ).toEqual([
        ['decodes two characters', 'model', 'kept'],
        ['decodes upper-case hex as lower', 'model', 'possible-bug'],
      ]);
      // The patch adds the kept test only; the possible bug is never written.
      expect(run.patch).toContain("+  test('decodes two characters'");
      expect(run.patch).not.toContain('upper-case');
      expect(run.files[0].text).not.toContain('upper-case');
      expect(repo.git('status', '--porcelain')).toBe('');
      // One call, carrying the target's source, and never the key.
      expect(fake.requests).toHaveLength(1);
      const sent = JSON.stringify(fake.requests[0]!.body);
      expect(sent).toContain('String.fromCharCode');
      expect(sent).not.toContain('sk-test');
    },
  );
});
