import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandEntry } from '../../src/cli/command.ts';
import { commands } from '../../src/cli/commands.ts';
import { createMutateCommand, parseTimeout } from '../../src/cli/mutate-command.ts';
import { incrementalFileName } from '../../src/cli/mutate-files.ts';
import type {
  MutationRunOutcome,
  MutationRunner,
  MutationRunRequest,
} from '../../src/mutation/runner.ts';
import { GitRepo } from '../support/git-repo.ts';
import { MATH_SOURCE, mathReport } from '../mutation/report-fixtures.ts';
import { steward } from './memory-io.ts';

/**
 * `steward mutate`'s options, on a real git repository, with the runner injected (what it is
 * asked) or never reached (what is refused before Stryker would start). test/cli/mutate.test.ts
 * runs the real Stryker.
 */

/** main has `age > 17` on line 9; the branch `feature` changes it to MATH_SOURCE's `age >= 18`. */
function repository(): GitRepo {
  const repo = new GitRepo();
  repo.write('src/math.ts', MATH_SOURCE.replace('age >= 18', 'age > 17'));
  repo.write('.gitignore', 'out\nshards\n');
  repo.commit('math');
  repo.git('switch', '-q', '-c', 'feature');
  repo.write('src/math.ts', MATH_SOURCE).commit('adults from 18');
  return repo;
}

/** A runner that records its requests and answers `outcome` (the math report by default). */
function recordingRunner(outcome?: (request: MutationRunRequest) => MutationRunOutcome) {
  const requests: MutationRunRequest[] = [];
  const runner: MutationRunner = {
    run: async (request) => {
      requests.push(request);
      return (
        outcome?.(request) ?? {
          kind: 'report',
          report: mathReport(),
          partial: false,
          strykerMs: 100,
          mutantsTested: 9,
          mutantsNotRun: 0,
        }
      );
    },
  };
  return { requests, runner };
}

/** The CLI's commands with `mutate` running on `runner`. */
function withRunner(runner: MutationRunner): CommandEntry[] {
  const mutate = createMutateCommand({ runner: async () => runner });
  return commands.map((c) => (c.name === 'mutate' ? { ...c, load: async () => mutate } : c));
}

const NEVER: MutationRunner = {
  run: () => {
    throw new Error('Stryker must not start');
  },
};

describe('steward mutate options', () => {
  it('passes --threads as concurrency, --timeout as the deadline and --out as the HTML file', async () => {
    const repo = repository();
    const { requests, runner } = recordingRunner((request) => {
      writeFileSync(request.htmlReportFile!, '<html></html>');
      return {
        kind: 'report',
        report: mathReport(),
        partial: true,
        reason: 'Stryker was stopped after 30000 ms',
        strykerMs: 30_000,
        mutantsTested: 3,
        mutantsNotRun: 0,
      };
    });
    const { code, stdout, stderr } = await steward(
      ['mutate', '--base', 'main', '--threads', '3', '--timeout', '0.5', '--out', 'out'],
      repo.dir,
      { commands: withRunner(runner) },
    );
    expect(code, stderr).toBe(0);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({
      ranges: [{ path: 'src/math.ts', startLine: 9, endLine: 9 }],
      concurrency: 3,
      timeoutMs: 30_000,
      htmlReportFile: join(repo.dir, 'out', 'mutation.html'),
    });
    // One incremental file per branch, in the git directory.
    expect(request!.incrementalFile).toBe(
      join(repo.dir, '.git', 'steward', 'mutation', 'feature.json'),
    );
    expect(stdout).toContain('— partial: Stryker was stopped after 30000 ms');
    expect(stderr).toContain(`wrote ${join('out', 'mutation.json')}\n`);
    expect(stderr).toContain(`wrote ${join('out', 'mutation.html')}\n`);
    const written = JSON.parse(readFileSync(join(repo.dir, 'out', 'mutation.json'), 'utf8'));
    expect(written).toEqual(mathReport());
  });

  it('keeps one incremental file per branch and per shard', async () => {
    const repo = repository();
    const { requests, runner } = recordingRunner();
    const run = (...args: string[]) =>
      steward(['mutate', '--base', 'main', ...args], repo.dir, { commands: withRunner(runner) });
    repo.git('switch', '-q', '-c', 'fix/age-check');
    await run();
    await run('--shard', '1/1');
    repo.git('switch', '-q', '--detach');
    await run();
    const names = requests.map((r) => r.incrementalFile!.split(/[\\/]/).slice(-2).join('/'));
    expect(names).toEqual([
      'mutation/fix%2Fage-check.json',
      'mutation/fix%2Fage-check.shard-1-of-1.json',
      'mutation/HEAD.json',
    ]);
  });

  it('shows the base report’s score of the same files beside the changed-lines score', async () => {
    const repo = repository();
    const base = mathReport().files['src/math.ts']!.mutants.map((m) => ({
      ...m,
      status: 'Killed' as const,
    }));
    writeFileSync(join(repo.dir, 'base.json'), JSON.stringify(mathReport(base)));
    const { runner } = recordingRunner();
    const { code, stdout, stderr } = await steward(
      ['mutate', '--base', 'main', '--base-report', 'base.json', '--format', 'json'],
      repo.dir,
      { commands: withRunner(runner) },
    );
    expect(code, stderr).toBe(0);
    const run = JSON.parse(stdout);
    expect(run.baseScore).toBe(100);
    const text = await steward(
      ['mutate', '--base', 'main', '--base-report', 'base.json'],
      repo.dir,
      {
        commands: withRunner(runner),
      },
    );
    expect(text.stdout).toMatch(/changed-lines mutation score: \d+\.\d% — base: 100\.0%/);
  });

  it.each([
    ['missing.json', 'missing.json: cannot be read (no such file)'],
    ['not-json.json', 'not-json.json: not JSON'],
    [
      'bad-status.json',
      'bad-status.json at files["src/math.ts"].mutants[0].status: expected one of',
    ],
  ])(
    'refuses the base report %s, naming the file and the field, before Stryker',
    async (file, message) => {
      const repo = repository();
      writeFileSync(join(repo.dir, 'not-json.json'), '{"files": ');
      const bad = mathReport();
      (bad.files['src/math.ts']!.mutants[0] as { status: string }).status = 'Bogus';
      writeFileSync(join(repo.dir, 'bad-status.json'), JSON.stringify(bad));
      const { code, stderr } = await steward(
        ['mutate', '--base', 'main', '--base-report', file],
        repo.dir,
        { commands: withRunner(NEVER) },
      );
      expect(code).toBe(2);
      expect(stderr).toContain(`steward mutate: --base-report ${message}`);
    },
  );

  it('refuses a work tree whose tracked files differ from HEAD, unless --allow-dirty', async () => {
    const repo = repository();
    repo.write('src/math.ts', `${MATH_SOURCE}// not committed\n`);
    const refused = await steward(['mutate', '--base', 'main'], repo.dir, {
      commands: withRunner(NEVER),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('tracked files differ from HEAD (src/math.ts)');
    expect(refused.stderr).toContain('git stash');
    // Staged but not committed is just as dirty; untracked files are not Stryker's concern.
    repo.git('add', 'src/math.ts');
    expect(
      (await steward(['mutate', '--base', 'main'], repo.dir, { commands: withRunner(NEVER) })).code,
    ).toBe(1);

    const { requests, runner } = recordingRunner();
    const allowed = await steward(['mutate', '--base', 'main', '--allow-dirty'], repo.dir, {
      commands: withRunner(runner),
    });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toContain('may be off');
    expect(requests).toHaveLength(1);

    repo.git('stash', '-q');
    repo.write('notes.txt', 'untracked\n');
    const clean = await steward(['mutate', '--base', 'main'], repo.dir, {
      commands: withRunner(runner),
    });
    expect(clean.code, clean.stderr).toBe(0);
  });

  it('without a base, says to pass steward mutate --base (not review’s words)', async () => {
    const repo = new GitRepo();
    repo.git('switch', '-q', '-c', 'feature');
    repo.write('src/math.ts', MATH_SOURCE).commit('math');
    const { code, stderr } = await steward(['mutate'], repo.dir, { commands: withRunner(NEVER) });
    expect(code).toBe(1);
    expect(stderr).toContain('no base to compare with');
    expect(stderr).toContain('steward mutate --base <branch|tag|sha>');
    expect(stderr).not.toContain('review');
  });

  it.each([
    [['--timeout', '0'], '--timeout must be a number of minutes above 0'],
    [['--timeout', '5m'], '--timeout must be a number of minutes above 0'],
    [['--threads', '0'], '--threads must be a whole number ≥ 1'],
    [['--merge', 'shards', '--shard', '1/2'], '--merge runs no Stryker, so --shard means nothing'],
    [['--merge', 'shards', '--timeout', '3'], '--timeout means nothing'],
    [['stray'], 'unexpected argument "stray"'],
  ])('refuses %j as bad usage (exit 2)', async (args, message) => {
    const repo = repository();
    const { code, stderr } = await steward(['mutate', '--base', 'main', ...args], repo.dir, {
      commands: withRunner(NEVER),
    });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('reads --timeout in minutes, fractions too', () => {
    expect(parseTimeout('30')).toBe(1_800_000);
    expect(parseTimeout('0.25')).toBe(15_000);
    expect(parseTimeout(undefined)).toBeUndefined();
    expect(() => parseTimeout('-1')).toThrow(/above 0/);
    expect(() => parseTimeout('1e9')).toThrow(/above 0/);
  });
});

describe('the incremental file name', () => {
  it('is one safe file name per branch: no /, no .., no clash', () => {
    expect(incrementalFileName('refs/heads/main')).toBe('main.json');
    expect(incrementalFileName('refs/heads/feature/x')).toBe('feature%2Fx.json');
    expect(incrementalFileName('refs/heads/feature-x')).toBe('feature-x.json');
    expect(incrementalFileName('refs/heads/release/1.0')).toBe('release%2F1%2E0.json');
    expect(incrementalFileName(null)).toBe('HEAD.json');
    expect(incrementalFileName('refs/heads/a', { index: 2, count: 3 })).toBe('a.shard-2-of-3.json');
    for (const hostile of [
      'refs/heads/../../x',
      'refs/heads/..',
      'refs/heads/a/../../b',
      'refs/heads/é/\u0000',
    ]) {
      const name = incrementalFileName(hostile);
      expect(name).not.toMatch(/[/\\]|\.\.|\0/);
      expect(name).toMatch(/^[\w%-]+\.json$/);
    }
  });

  it('cuts a very long branch name and keeps long names apart', () => {
    const a = incrementalFileName(`refs/heads/${'a'.repeat(300)}1`);
    const b = incrementalFileName(`refs/heads/${'a'.repeat(300)}2`);
    expect(a.length).toBeLessThanOrEqual(110);
    expect(a).not.toBe(b);
  });
});

describe('steward mutate --merge', () => {
  it('merges shard folders into the one result of a whole run, without Stryker', async () => {
    const repo = repository();
    repo.write('src/other.ts', 'export const one = 1;\nexport const two = 2;\n').commit('other');
    const { runner } = recordingRunner();
    const whole = await steward(['mutate', '--base', 'main', '--format', 'json'], repo.dir, {
      commands: withRunner(runner),
    });
    expect(whole.code, whole.stderr).toBe(0);
    for (const shard of ['1/2', '2/2']) {
      const out = join('shards', `shard-${shard[0]}`);
      const run = await steward(
        ['mutate', '--base', 'main', '--shard', shard, '--out', out],
        repo.dir,
        { commands: withRunner(runner) },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(existsSync(join(repo.dir, out, 'steward-shard.json'))).toBe(true);
    }
    const merged = await steward(
      ['mutate', '--base', 'main', '--format', 'json', '--merge', 'shards'],
      repo.dir,
      { commands: withRunner(NEVER) },
    );
    expect(merged.code, merged.stderr).toBe(0);
    const [a, b] = [JSON.parse(whole.stdout), JSON.parse(merged.stdout)];
    expect(b.kind).toBe('report');
    expect(b.ranges).toEqual(a.ranges);
    expect(b.counts).toEqual(a.counts);
    expect(b.survivors).toEqual(a.survivors);

    // The same folders named one by one, and a bare mutation.json, merge the same.
    const named = await steward(
      [
        'mutate',
        '--base',
        'main',
        '--format',
        'json',
        '--merge',
        'shards/shard-1',
        'shards/shard-2',
      ],
      repo.dir,
      { commands: withRunner(NEVER) },
    );
    expect(JSON.parse(named.stdout).counts).toEqual(a.counts);
    const bare = await steward(
      ['mutate', '--base', 'main', '--format', 'json', '--merge', 'shards/shard-1/mutation.json'],
      repo.dir,
      { commands: withRunner(NEVER) },
    );
    expect(bare.code, bare.stderr).toBe(2);
    expect(bare.stderr).toContain('shard 2/2 missing');

    // Reports without records (written by any Stryker run) are merged as they are.
    mkdirSync(join(repo.dir, 'shards', 'reports'));
    for (const name of ['a.json', 'b.json'])
      writeFileSync(join(repo.dir, 'shards', 'reports', name), JSON.stringify(mathReport()));
    const reports = await steward(
      [
        'mutate',
        '--base',
        'main',
        '--format',
        'json',
        '--merge',
        'shards/reports/a.json',
        'shards/reports/b.json',
      ],
      repo.dir,
      { commands: withRunner(NEVER) },
    );
    expect(reports.code, reports.stderr).toBe(0);
    expect(JSON.parse(reports.stdout)).toMatchObject({ counts: a.counts, survivors: a.survivors });
  });

  it('refuses shards of another commit and reports that are not reports (exit 2)', async () => {
    const repo = repository();
    const { runner } = recordingRunner();
    const run = await steward(
      ['mutate', '--base', 'main', '--shard', '1/1', '--out', 'shards/one'],
      repo.dir,
      {
        commands: withRunner(runner),
      },
    );
    expect(run.code, run.stderr).toBe(0);
    repo.write('src/math.ts', `${MATH_SOURCE}// later\n`).commit('later');
    const stale = await steward(['mutate', '--base', 'main', '--merge', 'shards'], repo.dir, {
      commands: withRunner(NEVER),
    });
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/steward-shard\.json at headSha: is [0-9a-f]{12}, but --head is/);

    mkdirSync(join(repo.dir, 'shards', 'junk'), { recursive: true });
    writeFileSync(join(repo.dir, 'shards', 'junk', 'mutation.json'), '{"schemaVersion": "2"}');
    const junk = await steward(['mutate', '--base', 'main', '--merge', 'shards/junk'], repo.dir, {
      commands: withRunner(NEVER),
    });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toContain('mutation.json');
    expect(junk.stderr).toContain('missing the required field');

    const none = await steward(['mutate', '--base', 'main', '--merge', 'nowhere'], repo.dir, {
      commands: withRunner(NEVER),
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--merge nowhere: cannot be read (no such file)');
  });
});
