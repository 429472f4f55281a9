import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defaultHotspotsConfig } from '../../../src/hotspots/settings.ts';
import {
  BacktestError,
  collectBacktest,
  runBacktest,
} from '../../../src/hotspots/backtest/run-backtest.ts';
import { GitRepo } from '../../support/git-repo.ts';
import { openGitRevisionReader } from '../../../src/git/revision-reader.ts';
import type { CalendarDuration } from '../../../src/settings/duration.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const dispose of cleanup.splice(0)) dispose();
});

let shared: GitRepo | undefined;
afterAll(() => shared?.dispose());

/** The known history, built once for the tests that only read it. */
function sharedHistory(): GitRepo {
  shared ??= buildHistory();
  return shared;
}

const config = defaultHotspotsConfig();
const CUTOFF = new Date('2024-07-01T00:00:00Z');
const YEAR = { months: 12, hours: 0 };
const THREE_YEARS = { months: 36, hours: 0 };

/** A TypeScript file of `lines` lines of code; `version` changes its text. */
function code(lines: number, version = 0): string {
  return Array.from({ length: lines }, (_, i) => `export const v${i} = ${i + version};\n`).join('');
}

/**
 * Ten files whose later fixes are known. Before the cut-off (2024-07-01): legacy.ts changed ten
 * times in early 2022, hot.ts six times this year (two of them fixes), new.ts three times in June,
 * old.ts once, big.ts (200 lines) and five quiet files never after their creation. After it:
 * three fixes to hot.ts, two to new.ts, one to old.ts under the name it was renamed to, a feature
 * in big.ts, a fix to a file created after the cut-off, and a fix to hot.ts after the horizon.
 */
function knownHistory(): GitRepo {
  const r = buildHistory();
  cleanup.push(() => r.dispose());
  return r;
}

function buildHistory(): GitRepo {
  const r = new GitRepo();
  r.write('src/legacy.ts', code(20)).write('src/big.ts', code(200));
  for (let i = 1; i <= 5; i++) r.write(`src/quiet${i}.ts`, code(20));
  r.commit('initial import', { date: '2021-12-01T10:00:00Z' });
  for (let i = 1; i <= 10; i++) {
    r.write('src/legacy.ts', code(20, i)).commit(`legacy work ${i}`, {
      date: `2022-01-${String(i + 10).padStart(2, '0')}T10:00:00Z`,
    });
  }
  r.write('src/hot.ts', code(20)).write('src/old.ts', code(20));
  r.commit('feat: hot and old', { date: '2024-01-05T10:00:00Z' });
  r.write('src/old.ts', code(20, 1)).commit('tune old', { date: '2024-02-01T10:00:00Z' });
  for (let i = 1; i <= 5; i++) {
    r.write('src/hot.ts', code(20, i)).commit(i <= 2 ? `fix: hot ${i}` : `feat: hot ${i}`, {
      date: `2024-0${i + 1}-10T10:00:00Z`,
    });
  }
  r.write('src/new.ts', code(20)).commit('feat: new', { date: '2024-06-01T10:00:00Z' });
  for (let i = 1; i <= 2; i++) {
    r.write('src/new.ts', code(20, i)).commit(`feat: new ${i}`, {
      date: `2024-06-${String(i * 10).padStart(2, '0')}T10:00:00Z`,
    });
  }
  // After the cut-off.
  for (let i = 1; i <= 3; i++) {
    r.write('src/hot.ts', code(20, 10 + i)).commit(`fix(hot): bug ${i}`, {
      date: `2024-0${i + 6}-15T10:00:00Z`,
    });
  }
  r.write('src/new.ts', code(20, 10)).commit('Handle empty lists\n\nCloses #12', {
    date: '2024-08-01T10:00:00Z',
  });
  r.write('src/new.ts', code(20, 11)).commit('fix: new again', { date: '2024-09-01T10:00:00Z' });
  r.move('src/old.ts', 'src/renamed.ts').commit('refactor: rename old', {
    date: '2024-09-15T10:00:00Z',
  });
  r.write('src/renamed.ts', code(20, 5)).commit('fix(renamed): wrong value', {
    date: '2024-10-01T10:00:00Z',
  });
  r.write('src/big.ts', code(200, 1)).commit('feat: big grows', { date: '2024-10-05T10:00:00Z' });
  r.write('src/later.ts', code(5)).commit('feat: later', { date: '2024-11-01T10:00:00Z' });
  r.write('src/later.ts', code(5, 1)).commit('fix: later', { date: '2024-11-02T10:00:00Z' });
  r.write('src/hot.ts', code(20, 99)).commit('fix: hot after the horizon', {
    date: '2025-08-01T10:00:00Z',
  });
  return r;
}

/** The backtest of the known history at CUTOFF: a year's horizon after three years of history. */
async function knownOptions(r: GitRepo) {
  return {
    reader: await openGitRevisionReader(r.dir),
    cutoff: CUTOFF,
    horizon: YEAR,
    window: THREE_YEARS as CalendarDuration | null,
    config,
    repoLabel: 'known',
  };
}

describe('collectBacktest', () => {
  it('ranks the files of the cut-off and counts the fixes that followed, through renames', async () => {
    const r = sharedHistory();
    const data = await collectBacktest(await knownOptions(r));
    expect(data.cutoffCommit).toBe(
      r.git('rev-list', '-1', '--before=2024-07-01T00:00:00Z', 'HEAD').trim(),
    );
    expect(data.files.map((f) => f.path).sort()).toEqual([
      'src/big.ts',
      'src/hot.ts',
      'src/legacy.ts',
      'src/new.ts',
      'src/old.ts',
      'src/quiet1.ts',
      'src/quiet2.ts',
      'src/quiet3.ts',
      'src/quiet4.ts',
      'src/quiet5.ts',
    ]);
    expect(Object.fromEntries(data.future)).toEqual({
      'src/hot.ts': 3,
      'src/new.ts': 2,
      'src/old.ts': 1,
    });
    // In the horizon: hot ×3, new ×2, renamed, later (not a file of the cut-off).
    expect(data.fixCommits).toBe(7);
    // The ranking read nothing after the cut-off: hot.ts had 6 commits then, 2 of them fixes.
    expect(data.files.find((f) => f.path === 'src/hot.ts')!.history!.revisions).toBe(6);
    expect(data.history.fixes.size).toBe(2);
    expect(data.warnings).toEqual([]);
  });
});

describe('runBacktest', () => {
  it('reports Steward beside the baselines, with the answer the history implies', async () => {
    const r = sharedHistory();
    const report = await runBacktest(await knownOptions(r));
    expect(report).toMatchObject({ files: 10, filesFixed: 3, fixTouches: 6, share: 0.2 });
    const byName = Object.fromEntries(report.methods.map((m) => [m.name, m]));
    expect(Object.keys(byName)).toEqual([
      'steward',
      'lines of code',
      'revisions',
      'churn × size',
      'random',
    ]);
    // Top 2 of 10 files: Steward picks hot.ts and new.ts (5 of the 6 fixes); revisions picks the
    // legacy file first (10 old revisions) and hot.ts (3 fixes).
    expect(report.top.slice(0, 2).map((f) => f.path)).toEqual(['src/hot.ts', 'src/new.ts']);
    expect(byName['steward']!.recall).toBeCloseTo(5 / 6, 10);
    expect(byName['revisions']!.recall).toBeCloseTo(3 / 6, 10);
    // 20 % of 380 lines is 76: hot, new and old (60 lines) hold all 6 fixes.
    expect(byName['steward']!.effortRecall).toBeCloseTo(1, 10);
    expect(byName['lines of code']!.recall).toBeLessThan(byName['steward']!.recall);
    expect(byName['random']).toMatchObject({ recall: 0.2, effortRecall: 0.2, spearman: 0 });
    expect(byName['steward']!.spearman).toBeGreaterThan(byName['revisions']!.spearman);
  });

  it('cools the legacy file: with all of history read, it still ranks below recent work', async () => {
    const r = sharedHistory();
    const report = await runBacktest({ ...(await knownOptions(r)), window: null });
    const order = report.top.map((f) => f.path);
    expect(order.indexOf('src/legacy.ts')).toBeGreaterThan(order.indexOf('src/old.ts'));
  });

  it('counts fixes by the configured rule', async () => {
    const r = sharedHistory();
    const report = await runBacktest({
      ...(await knownOptions(r)),
      // Only issue-closing commits are fixes here.
      config: { ...config, bugFix: { match: String.raw`\bcloses #\d+`, ignore: '^$' } },
    });
    expect(report).toMatchObject({ fixCommits: 1, fixTouches: 1, filesFixed: 1 });
  });

  it('leaves out sweeping fixes that change more files than max-changeset-size', async () => {
    const r = knownHistory();
    for (let i = 1; i <= 5; i++) r.write(`src/quiet${i}.ts`, code(20, 7));
    r.write('src/hot.ts', code(20, 50)).commit('fix: reformat everything', {
      date: '2024-12-01T10:00:00Z',
    });
    const report = await runBacktest({
      ...(await knownOptions(r)),
      config: { ...config, maxChangesetSize: 5 },
    });
    expect(report.fixTouches).toBe(6);
  });

  it('warns when the history ends before the horizon does', async () => {
    const r = sharedHistory();
    const report = await runBacktest({
      ...(await knownOptions(r)),
      cutoff: new Date('2025-06-01T00:00:00Z'),
    });
    expect(report.warnings).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /history ends on 2025-08-01, before the horizon ends on 2026-06-01/,
        ),
      }),
    ]);
  });

  it('fails with the reason when no commit is as old as the cut-off', async () => {
    const r = sharedHistory();
    const run = runBacktest({
      ...(await knownOptions(r)),
      cutoff: new Date('2020-01-01T00:00:00Z'),
    });
    await expect(run).rejects.toThrow(BacktestError);
    await expect(run).rejects.toThrow(
      /dated on or before 2020-01-01: the history starts at 2021-12-01/,
    );
  });
});
