import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { GitRepo } from '../support/git-repo.ts';
import { createFixture, MATH_TS, type Fixture } from '../stryker/fixture.ts';
import { steward } from './memory-io.ts';

/**
 * `steward mutate` in-process on a real git repository holding a real vitest project, with the
 * real Stryker (node_modules is a symlink from the temp dir to this checkout's).
 */

const STRYKER = { timeout: 600_000 };

let fixture: Fixture | undefined;
afterEach(() => fixture?.cleanup());

/** main has `age > 17`; the branch `feature` changes it to `age >= 18`, whose `age > 18` mutant survives (no test at 18). */
function repository(config?: string): GitRepo {
  fixture = createFixture({
    files: {
      'src/math.ts': MATH_TS.replace('age >= 18', 'age > 17'),
      '.gitignore': 'node_modules\n.stryker-tmp\nreports\n',
      ...(config === undefined ? {} : { '.github/steward.yml': config }),
    },
  });
  const repo = new GitRepo(fixture.root);
  repo.commit('math');
  repo.git('switch', '-q', '-c', 'feature');
  return repo;
}

describe('steward mutate', () => {
  test(
    'lists the survivor on the changed line and fails with fail-on-survivors',
    STRYKER,
    async () => {
      const repo = repository('mutation:\n  fail-on-survivors: true\n');
      repo.write('src/math.ts', MATH_TS).commit('adults from 18');
      const { code, stdout, stderr } = await steward(
        [
          'mutate',
          '--base',
          'main',
          '--format',
          'json',
          '--out',
          'reports/steward',
          '--threads',
          '1',
        ],
        repo.dir,
      );
      expect(code, stderr).toBe(1);
      const run = JSON.parse(stdout);
      expect(run).toMatchObject({
        kind: 'report',
        ranges: [{ path: 'src/math.ts', startLine: 7, endLine: 7 }],
        partial: false,
        gate: { fail: true },
      });
      expect(run.survivors).toHaveLength(1);
      expect(run.survivors[0]).toMatchObject({
        path: 'src/math.ts',
        line: 7,
        mutator: 'EqualityOperator',
        status: 'Survived',
        original: 'age >= 18',
        replacement: 'age > 18',
      });
      expect(run.counts.survived).toBe(1);
      expect(run.counts.killed).toBeGreaterThan(0);
      expect(stderr).toContain('fail-on-survivors');
      // The incremental file is in the repository's git directory (one per branch), never in the work tree.
      expect(existsSync(join(repo.dir, '.git', 'steward', 'mutation', 'feature.json'))).toBe(true);
      expect(repo.git('status', '--porcelain')).toBe('');
      // --out: the whole report (every mutant Stryker placed) and Stryker's HTML page.
      const out = join(repo.dir, 'reports', 'steward');
      expect(stderr).toContain(`wrote ${join('reports', 'steward', 'mutation.json')}`);
      expect(stderr).toContain(`wrote ${join('reports', 'steward', 'mutation.html')}`);
      const report = JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8'));
      expect(Object.keys(report.files)).toEqual(['src/math.ts']);
      expect(readFileSync(join(out, 'mutation.html'), 'utf8')).toContain('<html');
    },
  );

  test('a change with no source lines says nothing to mutate and exits 0', STRYKER, async () => {
    const repo = repository();
    repo.write('README.md', '# math\n').commit('readme');
    const { code, stdout, stderr } = await steward(['mutate', '--base', 'main'], repo.dir);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('nothing to mutate');
    expect(stdout).toContain('not mutated: README.md');
  });

  test('refuses a --head that is not checked out, and a bad --shard', STRYKER, async () => {
    const repo = repository();
    repo.write('src/math.ts', MATH_TS).commit('adults from 18');
    const head = await steward(['mutate', '--base', 'main', '--head', 'main'], repo.dir);
    expect(head.code).toBe(1);
    expect(head.stderr).toContain('is not the checked-out commit');
    const shard = await steward(['mutate', '--base', 'main', '--shard', '3/2'], repo.dir);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toContain('--shard must be I/N');
  });
});

describe('steward mutate scope', () => {
  test(
    'follows the project’s Stryker mutate patterns, and mutation.mutate over them',
    STRYKER,
    async () => {
      const repo = repository();
      repo.write('stryker.conf.json', JSON.stringify({ mutate: ['lib/**/*.ts'] })).commit('config');
      repo.git('branch', '-f', 'main');
      repo.write('src/math.ts', MATH_TS).commit('adults from 18');
      const { code, stdout, stderr } = await steward(['mutate', '--base', 'main'], repo.dir);
      expect(code, stderr).toBe(0);
      expect(stdout).toContain('nothing to mutate');
      expect(stdout).toContain(
        'not mutated: src/math.ts (not matched by the Stryker mutate patterns)',
      );
    },
  );

  test('mutation.mutate wins over the project’s patterns', STRYKER, async () => {
    const repo = repository("mutation:\n  mutate: ['lib/**/*.ts']\n");
    repo.write('stryker.conf.json', JSON.stringify({ mutate: ['src/**/*.ts'] })).commit('config');
    repo.git('branch', '-f', 'main');
    repo.write('src/math.ts', MATH_TS).commit('adults from 18');
    const { code, stdout, stderr } = await steward(['mutate', '--base', 'main'], repo.dir);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(
      'not mutated: src/math.ts (not matched by the Stryker mutate patterns)',
    );
  });

  test('without Stryker installed, says what to install and exits 1', STRYKER, async () => {
    fixture = createFixture({
      linkNodeModules: false,
      files: { 'src/math.ts': MATH_TS.replace('age >= 18', 'age > 17') },
    });
    const repo = new GitRepo(fixture.root);
    repo.commit('math');
    repo.git('switch', '-q', '-c', 'feature');
    repo.write('src/math.ts', MATH_TS).commit('adults from 18');
    const { code, stdout, stderr } = await steward(
      ['mutate', '--base', 'main', '--format', 'json'],
      repo.dir,
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      kind: 'setup-failed',
      message: expect.stringContaining('@stryker-mutator/core is not installed'),
      hint: expect.stringContaining('npm install --save-dev @stryker-mutator/core'),
      gate: { fail: true },
    });
    expect(stderr).toContain('mutation testing could not be set up');
  });
});
