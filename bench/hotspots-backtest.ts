/**
 * Does the hotspot map predict? `steward hotspots --backtest` over several public histories: at
 * each cut-off, the files are ranked from history up to it, and the bug-fix commits of the next 12
 * months are counted per file. Prints, per history and pooled, the recall of the top 20 % of files,
 * effort-aware recall (top files covering 20 % of the code) and Spearman's rank correlation of
 * Steward's score beside the baselines (lines of code, revisions, churn × size, random) and the
 * score Steward used before issue 14 (revisions × log complexity × health deficit).
 *
 * Rerun: `npm run bench:backtest -- /path/to/repo.git /path/to/other ...`, or set
 * STEWARD_BACKTEST_REPOS to the paths separated by ':' (CI has no mirrors; this bench is not part
 * of the test suite). A bare repository (a mirror) is cloned with `--shared --no-checkout` into the
 * temp dir first, which copies no objects. Options:
 *   --cutoffs LIST   months before each history's newest commit to cut at (default "12,24,36")
 *   --horizon N      months of fixes counted after each cut-off (default 12)
 *   --window N       months of history before the cut-off the rankings read (default: the
 *                    default hotspots.since, 36; 0 for all of it)
 *   --explore        also try a grid of score settings and print the pooled results of each, and
 *                    for the best, its results with each history left out (is it fitted to one?)
 *
 * Pooled figures add up the fixes found in the top files over every history and cut-off and divide
 * by all their fixes, so large histories weigh more; "wins" counts the histories (repository and
 * cut-off) where Steward's figure is above the baseline's.
 */
import { execFileSync } from 'node:child_process';
import { openGitRevisionReader } from '../src/git/revision-reader.ts';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultHotspotsConfig } from '../src/hotspots/settings.ts';
import {
  BASELINES,
  collectBacktest,
  evaluateRanker,
  stewardRanker,
  type BacktestData,
  type Ranker,
} from '../src/hotspots/backtest/run-backtest.ts';
import type { HotspotInput } from '../src/hotspots/hotspot-score.ts';
import { DEFAULT_SCORE_SETTINGS, type ScoreSettings } from '../src/hotspots/hotspot-score.ts';

/** Revisions in the last year before the cut-off, whatever window the ranking reads. */
function revisionsInLastYear(file: HotspotInput, data: BacktestData): number {
  const from = data.history.now - 365.25 * 86_400;
  const touches = data.history.touches.get(file.path) ?? [];
  return touches.filter((t) => data.history.commitList[t.commit]!.time >= from).length;
}

/** The baselines as issue 14 measured them from outside: over the last 12 months only. */
const LAST_YEAR_BASELINES: Ranker[] = [
  {
    name: 'revisions, last 12 months',
    description: 'commits in the year before the cut-off',
    score: revisionsInLastYear,
  },
  {
    name: 'churn × size, last 12 months',
    description: 'revisions in the last year × lines of code',
    score: (file, data) => revisionsInLastYear(file, data) * file.analysis.loc,
  },
];

const PREVIOUS_SCORE: Ranker = {
  name: 'steward before #14',
  description: 'revisions × log2(2 + complexity) × (11 − health)',
  score: (file) => {
    const complexity = file.analysis.functions.reduce((sum, fn) => sum + fn.cyclomatic, 0);
    return (file.history?.revisions ?? 0) * Math.log2(2 + complexity) * (11 - file.health.health);
  },
};

interface Quality {
  recall: number;
  effortRecall: number;
}

interface Run {
  repo: string;
  cutoff: string;
  data: BacktestData;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      cutoffs: { type: 'string', default: '12,24,36' },
      horizon: { type: 'string', default: '12' },
      window: { type: 'string' },
      explore: { type: 'boolean', default: false },
    },
  });
  const repos = positionals.length
    ? positionals
    : (process.env['STEWARD_BACKTEST_REPOS'] ?? '').split(':').filter(Boolean);
  if (repos.length === 0) {
    console.error(
      'Name the repositories: npm run bench:backtest -- /path/a.git /path/b.git, or STEWARD_BACKTEST_REPOS=/a:/b',
    );
    process.exit(2);
  }
  const cutoffMonths = values.cutoffs.split(',').map(Number);
  const horizon = { months: Number(values.horizon), hours: 0 };
  const config = configWithDefaults();
  const window =
    values.window === undefined
      ? config.since
      : Number(values.window) > 0
        ? { months: Number(values.window), hours: 0 }
        : null;
  const scratch = mkdtempSync(join(tmpdir(), 'steward-backtest-'));
  const runs: Run[] = [];
  try {
    for (const repo of repos) {
      const dir = workTreeOf(repo, scratch);
      const label = labelOf(repo);
      const newest = Number(git(dir, 'log', '-1', '--format=%ct', 'HEAD')) * 1000;
      for (const months of cutoffMonths) {
        const cutoff = new Date(newest);
        cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
        const started = performance.now();
        try {
          const data = await collectBacktest({
            reader: await openGitRevisionReader(dir),
            cutoff,
            horizon,
            window,
            config,
          });
          runs.push({ repo: label, cutoff: cutoff.toISOString().slice(0, 10), data });
          console.error(
            `${label} @ ${cutoff.toISOString().slice(0, 10)}: ${data.files.length} files, ${data.fixCommits} fix commits in the horizon (${((performance.now() - started) / 1000).toFixed(1)} s)`,
          );
        } catch (error: unknown) {
          console.error(
            `${label} @ ${cutoff.toISOString().slice(0, 10)}: skipped (${String(error)})`,
          );
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const rankers = [
    stewardRanker(DEFAULT_SCORE_SETTINGS),
    ...BASELINES,
    ...LAST_YEAR_BASELINES,
    PREVIOUS_SCORE,
  ];
  console.log('# Hotspot backtest: do the top files get the next bug fixes?\n');
  console.log(
    `Cut-offs ${cutoffMonths.join(' and ')} months before each history's newest commit; fixes counted ${horizon.months} months after; rankings read ${window ? `${window.months} months` : 'all'} of history before the cut-off. Default score settings: ${JSON.stringify(DEFAULT_SCORE_SETTINGS)}.\n`,
  );
  console.log(
    '| history | cut-off | files | fix commits | fixed files | method | recall@20% | effort-aware recall | Spearman |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const run of runs) {
    const fixed = [...run.data.future.values()].filter((n) => n > 0).length;
    for (const ranker of rankers) {
      const q = evaluateRanker(run.data, ranker);
      console.log(
        `| ${run.repo} | ${run.cutoff} | ${run.data.files.length} | ${run.data.fixCommits} | ${fixed} | ${ranker.name} | ${pct(q.recall)} | ${pct(q.effortRecall)} | ${q.spearman.toFixed(2)} |`,
      );
    }
    console.log('| | | | | | random | 20 % | 20 % | 0.00 |');
  }
  console.log();
  printPooled(runs, rankers);
  printPerRepository(runs, rankers);
  if (values.explore) explore(runs);
}

function printPooled(runs: readonly Run[], rankers: readonly Ranker[]): void {
  const steward = rankers[0]!;
  const repos = [...new Set(runs.map((run) => run.repo))];
  const byRepo = (ranker: Ranker) =>
    repos.map((repo) => {
      const mine = runs.filter((run) => run.repo === repo);
      return pool(
        mine,
        mine.map((run) => evaluateRanker(run.data, ranker)),
      );
    });
  console.log('## Pooled over every history and cut-off\n');
  console.log(
    '| method | recall@20% | effort-aware recall | mean Spearman | Steward wins, cut-offs (recall / effort) | Steward wins, repositories (recall / effort) |',
  );
  console.log('|---|---|---|---|---|---|');
  const ours = runs.map((run) => evaluateRanker(run.data, steward));
  const oursByRepo = byRepo(steward);
  for (const ranker of rankers) {
    const results = runs.map((run) => evaluateRanker(run.data, ranker));
    const pooled = pool(runs, results);
    const theirsByRepo = byRepo(ranker);
    const wins = (mine: readonly Quality[], theirs: readonly Quality[]) =>
      `${mine.filter((q, i) => q.recall > theirs[i]!.recall).length}/${mine.length} / ${mine.filter((q, i) => q.effortRecall > theirs[i]!.effortRecall).length}/${mine.length}`;
    console.log(
      `| ${ranker.name} | ${pct(pooled.recall)} | ${pct(pooled.effortRecall)} | ${pooled.spearman.toFixed(2)} | ${ranker === steward ? '–' : wins(ours, results)} | ${ranker === steward ? '–' : wins(oursByRepo, theirsByRepo)} |`,
    );
  }
  console.log('| random | 20 % | 20 % | 0.00 | – | – |');
  console.log();
}

/** Per repository, its cut-offs pooled: Steward against the best baseline on each measure. */
function printPerRepository(runs: readonly Run[], rankers: readonly Ranker[]): void {
  const [steward, ...others] = rankers;
  const baselines = others.filter((r) => r !== PREVIOUS_SCORE);
  console.log('## Per repository (its cut-offs pooled)\n');
  console.log(
    '| history | Steward recall | best baseline recall | Steward effort-aware | best baseline effort-aware |',
  );
  console.log('|---|---|---|---|---|');
  for (const repo of [...new Set(runs.map((run) => run.repo))]) {
    const mine = runs.filter((run) => run.repo === repo);
    const ours = pool(
      mine,
      mine.map((run) => evaluateRanker(run.data, steward!)),
    );
    const theirs = baselines.map((ranker) => ({
      name: ranker.name,
      ...pool(
        mine,
        mine.map((run) => evaluateRanker(run.data, ranker)),
      ),
    }));
    const bestRecall = theirs.reduce((a, b) => (b.recall > a.recall ? b : a));
    const bestEffort = theirs.reduce((a, b) => (b.effortRecall > a.effortRecall ? b : a));
    const mark = (win: boolean) => (win ? '' : ' (loses)');
    console.log(
      `| ${repo} | ${pct(ours.recall)}${mark(ours.recall > bestRecall.recall)} | ${pct(bestRecall.recall)} (${bestRecall.name}) | ${pct(ours.effortRecall)}${mark(ours.effortRecall > bestEffort.effortRecall)} | ${pct(bestEffort.effortRecall)} (${bestEffort.name}) |`,
    );
  }
  console.log();
}

/** Micro-averaged recalls (fixes found ÷ all fixes, over every run) and the mean Spearman. */
function pool(
  runs: readonly Run[],
  results: readonly { recall: number; effortRecall: number; spearman: number }[],
) {
  let total = 0;
  let found = 0;
  let foundEffort = 0;
  runs.forEach((run, i) => {
    const fixes = [...run.data.future.values()].reduce((sum, n) => sum + n, 0);
    total += fixes;
    found += results[i]!.recall * fixes;
    foundEffort += results[i]!.effortRecall * fixes;
  });
  const spearman = results.reduce((sum, q) => sum + q.spearman, 0) / Math.max(1, results.length);
  return {
    recall: total ? found / total : 0,
    effortRecall: total ? foundEffort / total : 0,
    spearman,
  };
}

function explore(runs: readonly Run[]): void {
  const grid: ScoreSettings[] = [];
  for (const halfLifeDays of [60, 120, 150, 180, 365, 100_000])
    for (const fixWeight of [0, 1, 2, 4])
      for (const couplingWeight of [0, 0.5])
        for (const sizeExponent of [0, 0.05, 0.1, 0.15, 0.25, 0.5])
          for (const healthWeight of [0, 0.05])
            grid.push({ halfLifeDays, fixWeight, couplingWeight, sizeExponent, healthWeight });
  const results = grid.map((settings) => {
    const ranker = stewardRanker(settings);
    return {
      settings,
      pooled: pool(
        runs,
        runs.map((run) => evaluateRanker(run.data, ranker)),
      ),
    };
  });
  // Both recalls matter: sort by the worse of the two margins over their best baseline.
  results.sort(
    (a, b) => b.pooled.recall + b.pooled.effortRecall - (a.pooled.recall + a.pooled.effortRecall),
  );
  console.log('## Score settings explored (pooled, best 15 by recall + effort-aware recall)\n');
  console.log(
    '| half-life days | fix weight | coupling | size exponent | health | recall | effort-aware | Spearman |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { settings: s, pooled } of results.slice(0, 15)) {
    console.log(
      `| ${s.halfLifeDays} | ${s.fixWeight} | ${s.couplingWeight} | ${s.sizeExponent} | ${s.healthWeight} | ${pct(pooled.recall)} | ${pct(pooled.effortRecall)} | ${pooled.spearman.toFixed(2)} |`,
    );
  }
  console.log();

  // Is the choice fitted to one history? Choose the best settings without each repository, then
  // measure them on it.
  const objective = (p: { recall: number; effortRecall: number }) => p.recall + p.effortRecall;
  console.log('## Settings chosen without each repository, measured on it\n');
  console.log(
    '| held out | chosen on the others | recall | effort-aware | default recall | default effort-aware |',
  );
  console.log('|---|---|---|---|---|---|');
  const defaults = stewardRanker(DEFAULT_SCORE_SETTINGS);
  for (const repo of [...new Set(runs.map((run) => run.repo))]) {
    const rest = runs.filter((run) => run.repo !== repo);
    const held = runs.filter((run) => run.repo === repo);
    let best = grid[0]!;
    let bestValue = -Infinity;
    for (const settings of grid) {
      const ranker = stewardRanker(settings);
      const value = objective(
        pool(
          rest,
          rest.map((run) => evaluateRanker(run.data, ranker)),
        ),
      );
      if (value > bestValue) [best, bestValue] = [settings, value];
    }
    const chosen = stewardRanker(best);
    const q = pool(
      held,
      held.map((run) => evaluateRanker(run.data, chosen)),
    );
    const d = pool(
      held,
      held.map((run) => evaluateRanker(run.data, defaults)),
    );
    console.log(
      `| ${repo} | ${JSON.stringify(best)} | ${pct(q.recall)} | ${pct(q.effortRecall)} | ${pct(d.recall)} | ${pct(d.effortRecall)} |`,
    );
  }
  console.log();
}

function configWithDefaults() {
  return defaultHotspotsConfig();
}

/** A work tree to run in: the directory itself, or a shared clone of a bare repository. */
function workTreeOf(repo: string, scratch: string): string {
  if (git(repo, 'rev-parse', '--is-bare-repository') !== 'true') return repo;
  const target = join(scratch, labelOf(repo).replace(/[^\w.-]/g, '_'));
  if (!existsSync(target)) {
    execFileSync('git', ['clone', '-q', '--shared', '--no-checkout', repo, target]);
  }
  return target;
}

/** "owner/name" for a /work/.mirror/owner+name/repo path, else the folder name. */
function labelOf(repo: string): string {
  const name = basename(repo) === 'repo' ? basename(dirname(repo)) : basename(repo);
  return name.replace(/\.git$/, '').replace('+', '/');
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

function pct(value: number): string {
  return `${(100 * value).toFixed(1)} %`;
}

await main();
