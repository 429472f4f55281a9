import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.ts';
import {
  createRefactorCommand,
  type RefactorCommandEnvironment,
} from '../../src/cli/refactor-command.ts';
import { runCli } from '../../src/cli/router.ts';
import type { RefactorPlanInput } from '../../src/refactor/plan.ts';
import { anthropicTest } from '../support/anthropic-world.ts';
import { GitRepo } from '../support/git-repo.ts';
import {
  FLAT_MESSY,
  MESSY_TS,
  fakePieces,
  fakeProofs,
  proposalAnswer,
  refactorConfig,
  target,
  type FakeProofs,
} from '../refactor/run-fakes.ts';
import { memoryIO } from './memory-io.ts';

/**
 * `steward refactor` in-process on a real git repository: its options and refusals, the no-key
 * exit, and a run over the real model client (against the Anthropic fake) with the selection, the
 * pieces and the proof port faked: --dry-run prints the patch and writes nothing, a plain run
 * writes the proven file.
 */

let repo: GitRepo | undefined;
afterEach(() => repo?.dispose());

function repository(): GitRepo {
  repo = new GitRepo();
  repo.write('src/messy.ts', MESSY_TS).write('test/messy.test.ts', '// tests').commit('messy');
  return repo;
}

interface World {
  plans: RefactorPlanInput[];
  proofs: FakeProofs;
}

async function steward(
  argv: string[],
  cwd: string,
  options: { key?: string; url?: string; red?: boolean } = {},
) {
  const world: World = { plans: [], proofs: fakeProofs({ red: options.red === true }) };
  const env: RefactorCommandEnvironment = {
    apiKey: () => options.key ?? '',
    baseUrl: () => options.url,
    openProofs: () => world.proofs,
    pieces: fakePieces(),
    refactorConfig: () => refactorConfig(),
    plan: (input) => {
      world.plans.push(input);
      return Promise.resolve({
        report: { repo: 'r', head: 'h', since: null, files: [], coupling: [] },
        targets: [target()],
        skipped: [{ path: 'src/gen.ts', function: null, reason: 'generated' }],
        warnings: [],
      });
    },
  };
  const command = createRefactorCommand(env);
  const list = commands.map((c) =>
    c.name === 'refactor' ? { ...c, load: async () => command } : c,
  );
  const progress: string[] = [];
  const io = { ...memoryIO(cwd), progress: (line: string) => progress.push(line) };
  const code = await runCli(['refactor', ...argv], io, { commands: list, version: 'test' });
  return { code, stdout: io.out(), stderr: io.err(), progress, world };
}

describe('steward refactor: options', () => {
  it('is listed in steward --help, and prints its usage', async () => {
    const cwd = repository().dir;
    const top = await steward(['--help'], cwd);
    expect(top.code).toBe(0);
    const io = memoryIO(cwd);
    expect(await runCli(['--help'], io, { commands, version: 'test' })).toBe(0);
    expect(io.out()).toMatch(/^ {2}refactor +Refactor the worst function/m);
    expect(top.stdout).toContain('Usage: steward refactor [--repo DIR] [--target PATH[:FUNCTION]]');
    expect(top.stdout).toContain('--dry-run');
  });

  it('says a model is needed and exits 1 without ANTHROPIC_API_KEY', async () => {
    const cwd = repository().dir;
    const run = await steward(['--dry-run'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('a model is needed');
    expect(run.stderr).toContain('ANTHROPIC_API_KEY');
    expect(run.stdout).toBe('');
    expect(run.world.plans).toEqual([]);
  });

  it('refuses bad usage with exit 2, naming the option', async () => {
    const cwd = repository().dir;
    const format = await steward(['--format', 'html'], cwd, { key: 'k' });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be one of text, json, markdown');

    const outside = await steward(['--target', '../elsewhere.ts:fn'], cwd, { key: 'k' });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('--target: "../elsewhere.ts" is outside the repository');

    const empty = await steward(['--target', ' '], cwd, { key: 'k' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--target needs a path');

    const stray = await steward(['src/messy.ts'], cwd, { key: 'k' });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('unexpected argument "src/messy.ts"');

    const unknown = await steward(['--write'], cwd, { key: 'k' });
    expect(unknown.code).toBe(2);
  });
});

const withModel = anthropicTest({ apiKey: 'sk-test' });

describe('steward refactor: a run', () => {
  withModel(
    '--dry-run prints the proven change as a patch and writes nothing',
    async ({ anthropic }) => {
      anthropic.enqueue(proposalAnswer(FLAT_MESSY));
      const cwd = repository().dir;
      const run = await steward(['--dry-run', '--target', 'src/messy.ts:messy'], cwd, {
        key: 'sk-test',
        url: anthropic.url,
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.world.plans[0]?.only).toEqual({ path: 'src/messy.ts', function: 'messy' });
      expect(run.stdout).toContain('proven messy (src/messy.ts:1): health 6.1 → 7.4');
      expect(run.stdout).toContain('✓ tests: passed twice');
      expect(run.stdout).toContain('diff --git a/src/messy.ts b/src/messy.ts');
      expect(run.stdout).toContain('+  if (a <= 0) return 0;');
      expect(run.stdout).toContain('not a target: src/gen.ts (generated)');
      expect(readFileSync(join(cwd, 'src/messy.ts'), 'utf8')).toBe(MESSY_TS);
      expect(run.world.proofs.closed).toBe(true);
      expect(run.progress.some((line) => line.includes('asking Claude'))).toBe(true);
    },
  );

  withModel('writes the proven file without --dry-run; json reports it', async ({ anthropic }) => {
    anthropic.enqueue(proposalAnswer(FLAT_MESSY));
    const cwd = repository().dir;
    const run = await steward(['--format', 'json'], cwd, { key: 'sk-test', url: anthropic.url });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('wrote src/messy.ts\n');
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      version: 1,
      target: null,
      baseline: { ok: true },
      written: true,
      patch: expect.stringContaining('+  if (a <= 0) return 0;'),
      usage: { calls: 1 },
    });
    expect((json['outcomes'] as { kind: string }[])[0]?.kind).toBe('proven');
    const written = readFileSync(join(cwd, 'src/messy.ts'), 'utf8');
    expect(written).toContain('if (a <= 0) return 0;');
    expect(written).toContain('export function other(): number');
  });

  withModel('markdown shows the metrics and the proof log', async ({ anthropic }) => {
    anthropic.enqueue(proposalAnswer(FLAT_MESSY));
    const cwd = repository().dir;
    const run = await steward(['--format', 'markdown', '--dry-run'], cwd, {
      key: 'sk-test',
      url: anthropic.url,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('#### Proven: `messy` in `src/messy.ts`');
    expect(run.stdout).toContain('| file health | 6.1 | 7.4 |');
    expect(run.stdout).toContain('**api**');
    expect(run.stdout).toContain('```diff');
  });

  withModel('exits 1 when the tests fail before any change', async ({ anthropic }) => {
    const cwd = repository().dir;
    const run = await steward([], cwd, { key: 'sk-test', url: anthropic.url, red: true });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('The tests fail before any change');
    expect(run.stdout).toContain('No proven refactoring: nothing changed.');
    expect(anthropic.requests).toHaveLength(0);
  });

  withModel('passes over a target whose file differs from HEAD', async ({ anthropic }) => {
    const cwd = repository().write('src/messy.ts', `${MESSY_TS}// local edit\n`).dir;
    const run = await steward(['--format', 'json'], cwd, { key: 'sk-test', url: anthropic.url });
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { outcomes: unknown[]; skipped: { reason: string }[] };
    expect(json.outcomes).toEqual([]);
    expect(json.skipped.map((s) => s.reason)).toContain(
      'the file differs from HEAD; commit the change or set it aside (git stash) first',
    );
    expect(anthropic.requests).toHaveLength(0);
  });
});
