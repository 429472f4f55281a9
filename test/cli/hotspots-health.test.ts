import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitRepo } from '../support/git-repo.ts';
import { steward } from './memory-io.ts';

/** `steward hotspots` and `steward health` on real repositories built in temp dirs. */

const COMPLEX = (variant: number) => `export function route(kind: string, n: number): number {
  if (kind === 'a' && n > 1 && n < 10) return 1;
  if (kind === 'b') { for (let i = 0; i < n; i++) { if (i % 2) { if (i > ${variant}) return i; } } }
  switch (kind) { case 'c': return 3; case 'd': return 4; case 'e': return 5; case 'f': return 6; }
  return kind === 'g' ? 7 : n > 0 ? 8 : 9;
}
`;
const SIMPLE = 'export const add = (a: number, b: number): number => a + b;\n';

let repo: GitRepo | undefined;
afterEach(() => repo?.dispose());

function busyRepository(): GitRepo {
  const r = new GitRepo();
  r.write('src/simple.ts', SIMPLE)
    .write('src/ünï code.ts', SIMPLE.replace('add', 'sum'))
    .commit('start');
  for (let i = 0; i < 6; i++)
    r.write('src/router.ts', COMPLEX(i))
      .write('src/simple.ts', `${SIMPLE}// ${i}\n`)
      .commit(`change ${i}`, { author: i % 2 ? 'Bob' : 'Alice' });
  return r;
}

describe('steward hotspots', () => {
  it('prints the documented JSON, hottest first, each score explained by its parts', async () => {
    repo = busyRepository();
    const { code, stdout, stderr } = await steward(
      ['hotspots', '--all-time', '--format', 'json'],
      repo.dir,
    );
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['repo', 'head', 'since', 'files', 'coupling', 'skipped']);
    expect(report.head).toBe(repo.git('rev-parse', 'HEAD').trim());
    expect(report.since).toBeNull();
    // simple.ts changed in 7 commits, router.ts in 6: recent activity leads the score; the
    // smaller size factor of simple.ts (1 line against 6) does not make up for it.
    expect(report.files.map((f: { path: string }) => f.path)).toEqual([
      'src/simple.ts',
      'src/router.ts',
      'src/ünï code.ts',
    ]);
    const router = report.files[1];
    expect(Object.keys(router)).toEqual([
      'path',
      'revisions',
      'fixes',
      'added',
      'deleted',
      'authors',
      'loc',
      'health',
      'score',
      'contributions',
      'smells',
      'functions',
    ]);
    expect(report.files[0]).toMatchObject({ revisions: 7, score: 100 });
    expect(router).toMatchObject({ revisions: 6, fixes: 0, authors: 2 });
    expect(router.score).toBeLessThan(100);
    expect(Object.keys(router.contributions)).toEqual([
      'changes',
      'fixes',
      'coupling',
      'size',
      'health',
    ]);
    expect(router.health).toBeLessThan(10);
    expect(router.smells).toContainEqual(
      expect.objectContaining({ kind: 'Complex Method', function: 'route', line: 1 }),
    );
    expect(router.functions[0]).toEqual({
      name: 'route',
      line: 1,
      cyclomatic: expect.any(Number),
      cognitive: expect.any(Number),
      nesting: 4,
      length: 6,
      params: 2,
    });
    expect(report.coupling).toContainEqual(
      expect.objectContaining({ a: 'src/router.ts', b: 'src/simple.ts', shared: 6 }),
    );
  });

  it('cools a legacy file: years of history carried over a rename weigh less than this month', async () => {
    repo = new GitRepo();
    for (let i = 0; i < 30; i++) {
      repo.write('lib/legacy.ts', COMPLEX(i)).commit(`legacy ${i}`, {
        date: `2021-0${1 + (i % 9)}-${String(1 + i).padStart(2, '0')}T10:00:00Z`,
      });
    }
    repo.move('lib/legacy.ts', 'src/legacy.ts').commit('move', { date: '2021-10-01T10:00:00Z' });
    for (let i = 0; i < 4; i++) {
      repo.write('src/new.ts', COMPLEX(100 + i)).commit(`new ${i}`, {
        date: `2024-06-0${1 + i}T10:00:00Z`,
      });
    }
    const { code, stdout, stderr } = await steward(
      ['hotspots', '--all-time', '--format', 'json'],
      repo.dir,
    );
    expect(code, stderr).toBe(0);
    const files = JSON.parse(stdout).files;
    expect(files.map((f: { path: string }) => f.path)).toEqual(['src/new.ts', 'src/legacy.ts']);
    // The rename is followed (all 31 revisions are the file's), but they are years old.
    expect(files[1]).toMatchObject({ revisions: 31 });
    // Thirty-one revisions two and a half years old weigh less than one commit today.
    expect(files[1].contributions.changes).toBeLessThan(1);
  });

  it('ranks what a damaged clone still holds, naming the object it lacks', async () => {
    repo = new GitRepo();
    repo.write('src/a.ts', SIMPLE).write('src/gone.ts', COMPLEX(1)).commit('one');
    repo.write('src/a.ts', `${SIMPLE}// 2\n`).commit('two');
    repo.write('src/b.ts', SIMPLE).commit('three');
    const blob = repo.git('rev-parse', 'HEAD:src/gone.ts').trim();
    rmSync(join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const { code, stdout, stderr } = await steward(
      ['hotspots', '--all-time', '--format', 'json'],
      repo.dir,
    );
    expect(code, stderr).toBe(0);
    const files = JSON.parse(stdout).files;
    expect(files.map((f: { path: string }) => f.path).sort()).toEqual(['src/a.ts', 'src/b.ts']);
    expect(files.find((f: { path: string }) => f.path === 'src/a.ts')).toMatchObject({
      revisions: 2,
    });
    expect(stderr).toContain(`lacks git object ${blob}`);
    expect(stderr).toMatch(/without line counts or renames/);
    expect(stderr).toContain(`object ${blob} is missing from the repository`);
  });

  it('parses only what changed on a rerun (blob cache in the git directory)', async () => {
    repo = busyRepository();
    expect((await steward(['hotspots', '--all-time'], repo.dir)).stderr).toMatch(
      /parsed 3, 0 from cache/,
    );
    repo.write('src/simple.ts', `${SIMPLE}// again\n`).commit('one more');
    const warm = await steward(['hotspots', '--all-time'], repo.dir);
    expect(warm.stderr).toMatch(/parsed 1, 2 from cache/);
    expect(warm.stdout).toMatch(/src\/router\.ts/);
  });

  it('names files with syntax errors and skipped files, and analyses the rest', async () => {
    repo = new GitRepo();
    repo
      .write('ok.ts', SIMPLE)
      .write('broken.ts', 'export function f( {\n  return 1;\n')
      .write('bundle.js', `var a=${'1+'.repeat(2000)}1;\n`)
      .write('lib/x.min.js', 'var x=1;\n')
      .write('huge.ts', `export const big = [\n${'  1,\n'.repeat(300_000)}];\n`)
      .write('data.js', 'export const x = 1;\u0000\u0001binary\n')
      .commit('files');
    const { code, stdout, stderr } = await steward(
      ['hotspots', '--all-time', '--format', 'json'],
      repo.dir,
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.files.map((f: { path: string }) => f.path).sort()).toEqual([
      'broken.ts',
      'ok.ts',
    ]);
    expect(stderr).toMatch(
      /syntax errors and were analysed as far as they parse:\n {2}broken\.ts:\d+/,
    );
    // Each skipped file by name, with its reason: on stderr, and as the JSON's `skipped` list.
    expect(report.skipped).toEqual([
      { path: 'bundle.js', reason: expect.stringMatching(/^minified: \d+% of it is on lines/) },
      { path: 'data.js', reason: 'binary' },
      { path: 'huge.ts', reason: expect.stringMatching(/^larger than 1 MB/) },
      { path: 'lib/x.min.js', reason: 'minified file name' },
    ]);
    expect(stderr).toContain('skipped 4 file(s), not analysed:\n');
    for (const { path, reason } of report.skipped)
      expect(stderr).toContain(`  ${path}: ${reason}\n`);
  });

  it('writes one self-contained HTML page with a shape per file', async () => {
    repo = busyRepository();
    const { code, stderr } = await steward(
      ['hotspots', '--all-time', '--format', 'html', '--out', 'report.html'],
      repo.dir,
    );
    expect(code, stderr).toBe(0);
    const html = readFileSync(join(repo.dir, 'report.html'), 'utf8');
    expect(html.match(/data-path=/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });

  it('says what is wrong outside a repository, and what to do', async () => {
    const { code, stderr } = await steward(['hotspots', '--repo', '/'], '/');
    expect(code).toBe(1);
    expect(stderr).toMatch(/steward hotspots: .*not .*git repository/i);
    // With the window on the command line the repository is opened before the config: the
    // failure is still reported once, the same way.
    for (const window of [['--all-time'], ['--since', '6 months']]) {
      const early = await steward(['hotspots', '--repo', '/', ...window], '/');
      expect(early).toMatchObject({ code: 1, stderr });
    }
  });

  it('rejects conflicting and malformed options with usage errors', async () => {
    expect((await steward(['hotspots', '--since', '2026-01-01', '--all-time'], '/')).code).toBe(2);
    expect((await steward(['hotspots', '--format', 'pdf'], '/')).stderr).toMatch(
      /--format must be one of table, json, markdown, html/,
    );
  });
});

describe('steward hotspots --backtest', () => {
  /** Before 2024-07-01 both files change; after it, only router.ts gets fixes. */
  function predictableRepository(): GitRepo {
    const r = new GitRepo();
    r.write('src/router.ts', COMPLEX(0)).write('src/simple.ts', SIMPLE);
    r.commit('start', { date: '2024-01-01T10:00:00Z' });
    for (let i = 1; i <= 4; i++) {
      r.write('src/router.ts', COMPLEX(i)).commit(`fix: route ${i}`, {
        date: `2024-0${i + 1}-01T10:00:00Z`,
      });
    }
    for (let i = 1; i <= 3; i++) {
      r.write('src/router.ts', COMPLEX(10 + i)).commit(`fix(router): case ${i}`, {
        date: `2024-${String(i + 6).padStart(2, '0')}-20T10:00:00Z`,
      });
    }
    r.write('src/simple.ts', `${SIMPLE}// more\n`).commit('feat: simple grows', {
      date: '2024-09-15T10:00:00Z',
    });
    return r;
  }

  it('prints the documented JSON: Steward and the baselines, and the top files with their fixes', async () => {
    repo = predictableRepository();
    const { code, stdout, stderr } = await steward(
      ['hotspots', '--backtest', '2024-07-01', '--horizon', '6 months', '--format', 'json'],
      repo.dir,
    );
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual([
      'repo',
      'cutoff',
      'cutoffCommit',
      'horizonEnd',
      'since',
      'files',
      'filesFixed',
      'fixTouches',
      'fixCommits',
      'share',
      'methods',
      'top',
      'warnings',
    ]);
    expect(report).toMatchObject({
      cutoff: '2024-07-01T00:00:00.000Z',
      horizonEnd: '2025-01-01T00:00:00.000Z',
      since: '2021-07-01T00:00:00.000Z',
      files: 2,
      filesFixed: 1,
      fixTouches: 3,
      fixCommits: 3,
    });
    expect(report.methods.map((m: { name: string }) => m.name)).toEqual([
      'steward',
      'lines of code',
      'revisions',
      'churn × size',
      'random',
    ]);
    expect(Object.keys(report.methods[0])).toEqual([
      'name',
      'description',
      'recall',
      'effortRecall',
      'spearman',
    ]);
    expect(report.top[0]).toEqual({ path: 'src/router.ts', score: 100, fixes: 3 });
  });

  it('prints a table a person reads, and Markdown', async () => {
    repo = predictableRepository();
    const table = await steward(['hotspots', '--backtest', '2024-07-01'], repo.dir);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^Backtest of .*: ranked 2 files as of 2024-07-01/);
    expect(table.stdout).toMatch(/\nsteward\s+\d+\.\d %\s+\d+\.\d %\s+-?\d\.\d\d\n/);
    expect(table.stdout).toMatch(/\nrandom\s+20\.0 %\s+20\.0 %\s+0\.00\n/);
    // The history after the cut-off is shorter than the default 12-month horizon.
    expect(table.stderr).toMatch(/warning: The history ends on 2024-09-15/);
    const markdown = await steward(
      ['hotspots', '--backtest', '2024-07-01', '--format', 'markdown'],
      repo.dir,
    );
    expect(markdown.stdout).toMatch(/\| steward \| \d+\.\d % \| \d+\.\d % \| -?\d\.\d\d \|/);
  });

  it('rejects a bad date, a horizon without a backtest and html, and names a date before the history', async () => {
    expect((await steward(['hotspots', '--backtest', 'last tuesday'], '/')).stderr).toMatch(
      /--backtest: "last tuesday" is neither a date/,
    );
    expect((await steward(['hotspots', '--horizon', '6 months'], '/')).stderr).toMatch(
      /--horizon goes with --backtest/,
    );
    expect(
      (await steward(['hotspots', '--backtest', '2024-01-01', '--format', 'html'], '/')).stderr,
    ).toMatch(/--backtest prints table, json or markdown/);
    expect(
      (await steward(['hotspots', '--backtest', '2024-01-01', '--horizon', 'soon'], '/')).code,
    ).toBe(2);
    repo = predictableRepository();
    const early = await steward(['hotspots', '--backtest', '2020-01-01'], repo.dir);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/No commit .* is dated on or before 2020-01-01/);
  });
});

describe('steward health', () => {
  it('reports health before and after, with smells introduced and fixed by function and line', async () => {
    repo = new GitRepo();
    repo.write('src/router.ts', SIMPLE).write('src/old.ts', COMPLEX(1)).commit('base');
    repo.git('branch', 'base');
    repo
      .write('src/router.ts', `${SIMPLE}\n${COMPLEX(2)}`)
      .write('src/old.ts', SIMPLE)
      .commit('change');
    const { code, stdout, stderr } = await steward(
      ['health', '--base', 'base', '--format', 'json'],
      repo.dir,
    );
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['base', 'mergeBase', 'head', 'files']);
    expect(report.mergeBase).toBe(report.base);
    const byPath = Object.fromEntries(report.files.map((f: { path: string }) => [f.path, f]));
    expect(byPath['src/router.ts']).toMatchObject({
      before: 10,
      introduced: expect.arrayContaining([
        expect.objectContaining({ kind: 'Complex Method', function: 'route', line: 3 }),
      ]),
      fixed: [],
    });
    expect(byPath['src/router.ts'].after).toBeLessThan(10);
    expect(byPath['src/router.ts'].delta).toBeLessThan(0);
    expect(byPath['src/old.ts']).toMatchObject({
      after: 10,
      introduced: [],
      fixed: expect.arrayContaining([
        expect.objectContaining({ kind: 'Complex Method', function: 'route' }),
      ]),
    });
    const table = await steward(['health', '--base', 'base'], repo.dir);
    expect(table.stdout).toMatch(
      /src\/router\.ts\s+10\.0 → \d\.\d\s+-\d\.\d(\s+\(hotspot #\d+ of \d+\))?\n/,
    );
    expect(table.stdout).toMatch(
      /\n\s+\+ Complex Method \(route:3\): cyclomatic complexity \d+ \(threshold 9\)\n/,
    );
    expect(table.stdout).toMatch(
      /src\/old\.ts\s+\d\.\d → 10\.0\s+\+\d\.\d(\s+\(hotspot #\d+ of \d+\))?\n\s+− Complex Method \(route:1\)/,
    );
  });

  it('names the merge base as what head is compared with, not the base branch’s tip', async () => {
    repo = new GitRepo();
    repo.write('src/a.ts', SIMPLE).commit('fork point');
    const forkPoint = repo.git('rev-parse', 'HEAD').trim();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('src/a.ts', `${SIMPLE}\n${COMPLEX(2)}`).commit('feature work');
    repo.git('checkout', '-q', '-');
    repo.write('src/b.ts', COMPLEX(3)).commit('main moves on');
    const tip = repo.git('rev-parse', 'HEAD').trim();
    repo.git('checkout', '-q', 'feature');
    const json = await steward(['health', '--base', tip, '--format', 'json'], repo.dir);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ base: tip, mergeBase: forkPoint });
    // Only the feature's file: main's later commit is not part of the change.
    expect(report.files.map((f: { path: string }) => f.path)).toEqual(['src/a.ts']);
    const table = await steward(['health', '--base', tip], repo.dir);
    expect(table.stdout.split('\n')[0]).toBe(
      `Code health of ${report.head.slice(0, 7)} compared with ${forkPoint.slice(0, 7)}, its merge base with ${tip.slice(0, 7)}: 1 changed file(s) analysed`,
    );
    const markdown = await steward(['health', '--base', tip, '--format', 'markdown'], repo.dir);
    expect(markdown.stdout).toContain(`compared with \`${forkPoint.slice(0, 7)}\``);
  });

  it('ranks each changed file among the hotspots before the change', async () => {
    repo = new GitRepo();
    // Inside the default window of 12 months.
    const daysAgo = (days: number) => ({
      date: new Date(Date.now() - days * 86_400_000).toISOString(),
    });
    repo.write('src/busy.ts', COMPLEX(1)).write('src/quiet.ts', SIMPLE).commit('start', daysAgo(9));
    for (let i = 2; i < 6; i++)
      repo.write('src/busy.ts', COMPLEX(i)).commit(`busy ${i}`, daysAgo(9 - i));
    repo.git('branch', 'base');
    repo
      .write('src/busy.ts', `${COMPLEX(9)}\n${SIMPLE}`)
      .write('src/quiet.ts', `${SIMPLE}\n${COMPLEX(7)}`)
      .write('src/new.ts', COMPLEX(8))
      .commit('change', daysAgo(1));
    const { stdout } = await steward(['health', '--base', 'base', '--format', 'json'], repo.dir);
    const byPath = Object.fromEntries(
      JSON.parse(stdout).files.map((f: { path: string }) => [f.path, f]),
    );
    expect(byPath['src/busy.ts'].hotspot).toEqual({ rank: 1, of: 2 });
    expect(byPath['src/quiet.ts'].hotspot).toEqual({ rank: 2, of: 2 });
    expect(byPath['src/new.ts'].hotspot).toBeUndefined();
    const table = await steward(['health', '--base', 'base'], repo.dir);
    expect(table.stdout).toMatch(/\n {2}src\/busy\.ts .* {2}\(hotspot #1 of 2\)\n/);
  });

  it('names a base that does not exist', async () => {
    repo = busyRepository();
    const { code, stderr } = await steward(['health', '--base', 'nope'], repo.dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/"nope" is not a commit/);
  });
});
