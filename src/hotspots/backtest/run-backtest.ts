import type { CalendarDuration } from '../../settings/duration.ts';
import { calendarDurationBefore } from '../../settings/duration.ts';
import type { HotspotsConfig } from '../settings.ts';
import { GitError } from '../../revision/errors.ts';
import type { RevisionReader } from '../../revision/reader.ts';
import { AnalysisCache } from '../../health/analysis-cache.ts';
import { analyseRevision } from '../../health/analyse-revision.ts';
import { cacheFileFor } from '../cache-location.ts';
import { ANALYSIS_VERSION } from '../../health/complexity/languages.ts';
import { bugFixMatcher } from '../history/bug-fix.ts';
import { computeCoupling } from '../history/coupling.ts';
import { readFixCommits } from '../history/fix-commits.ts';
import { mineHistory } from '../history/mine.ts';
import { assessAll } from '../../health/assess.ts';
import {
  DEFAULT_SCORE_SETTINGS,
  scoreHotspots,
  type HotspotInput,
  type ScoreHistory,
  type ScoreSettings,
} from '../hotspot-score.ts';
import { rankingQuality, RANDOM_QUALITY, type RankingQuality } from './metrics.ts';
import { countFutureFixes } from './future-fixes.ts';

/** The backtest cannot run on this repository at this date; the message says why. */
export class BacktestError extends GitError {
  constructor(message: string, dir: string, hint: string) {
    super(message, dir, hint);
    this.name = 'BacktestError';
  }
}

export interface BacktestOptions {
  reader: RevisionReader;
  /** Rank the files as of this moment, from history up to it only. */
  cutoff: Date;
  /** Count the bug fixes of this long after the cut-off. */
  horizon: CalendarDuration;
  /** History before the cut-off that the ranking reads; null for all of it. */
  window: CalendarDuration | null;
  config: HotspotsConfig;
  /** The score to test; default DEFAULT_SCORE_SETTINGS (what `steward hotspots` ranks by). */
  settings?: Readonly<ScoreSettings>;
  threads?: number;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

/** Everything a backtest measured, for scoring any number of rankings against the same outcome. */
export interface BacktestData {
  root: string;
  /** The commit ranked: the last first-parent commit of HEAD at or before the cut-off. */
  cutoffCommit: string;
  cutoff: string;
  horizonEnd: string;
  /** Start of the history window before the cut-off, or null for all of it. */
  since: string | null;
  /** The analysed source files at the cut-off, with their history and health. */
  files: HotspotInput[];
  history: ScoreHistory;
  /** Per file, the bug-fix commits that touched it in the horizon. */
  future: Map<string, number>;
  /** Counts over the horizon: commits read, bug fixes, and those left out as sweeping. */
  horizonCommits: number;
  fixCommits: number;
  sweepingFixes: number;
  warnings: { message: string; hint: string }[];
}

export interface BacktestMethod extends RankingQuality {
  name: string;
  /** What the method ranks by, in a few words. */
  description: string;
}

/** What `steward hotspots --backtest` prints; documented in README.md, keep names stable. */
export interface BacktestReport {
  repo: string;
  cutoff: string;
  cutoffCommit: string;
  horizonEnd: string;
  since: string | null;
  /** Source files ranked at the cut-off. */
  files: number;
  /** Files that received at least one bug fix in the horizon, and the fix touches in all. */
  filesFixed: number;
  fixTouches: number;
  fixCommits: number;
  /** Share of files (and of code, for effortRecall) the recalls look at: 0.2. */
  share: number;
  /** Steward's score first, then the baselines. */
  methods: BacktestMethod[];
  /** The files Steward ranked highest, with the fixes they then received. */
  top: { path: string; score: number; fixes: number }[];
  warnings: { message: string; hint: string }[];
}

/**
 * Reads a repository as it was at `cutoff` (the files of the last first-parent commit of HEAD at or
 * before it, the history up to it) and what happened next (the bug-fix commits up to the end of
 * the horizon, followed forward through renames).
 */
export async function collectBacktest(options: BacktestOptions): Promise<BacktestData> {
  const { config, signal } = options;
  const { reader } = options;
  const { root, head } = reader.repository;
  const seconds = Math.floor(options.cutoff.getTime() / 1000);
  const found = await reader.run(
    ['rev-list', '-1', '--first-parent', `--before=@${seconds}`, head, '--'],
    { signal },
  );
  const cutoffCommit = found.stdout.trim();
  if (cutoffCommit === '') {
    const first = await reader.run(['log', '--reverse', '--first-parent', '--format=%cI', head], {
      signal,
    });
    throw new BacktestError(
      `No commit of ${root} is dated on or before ${options.cutoff.toISOString().slice(0, 10)}: the history starts at ${first.stdout.split('\n', 1)[0]?.slice(0, 10) ?? 'an unknown date'}.`,
      root,
      'Pick a cut-off date inside the history, with the horizon after it (default 12 months).',
    );
  }
  const horizonEnd = calendarDurationBefore(options.cutoff, {
    months: -options.horizon.months,
    hours: -options.horizon.hours,
  });
  const newest = await reader.commitTime(head, signal);
  const warnings: { message: string; hint: string }[] = [];
  if (newest * 1000 < horizonEnd.getTime()) {
    warnings.push({
      message: `The history ends on ${isoDay(new Date(newest * 1000))}, before the horizon ends on ${isoDay(horizonEnd)}: fixes after that are not counted.`,
      hint: 'Pick an earlier cut-off, or a shorter --horizon, so the whole horizon is history.',
    });
  }
  const since = options.window ? calendarDurationBefore(options.cutoff, options.window) : null;
  const matcher = bugFixMatcher(config.bugFix);

  options.onProgress?.('reading history up to the cut-off');
  const [history, pastFixes, futureFixCommits] = await Promise.all([
    mineHistory(reader, {
      since,
      rev: cutoffCommit,
      maxChangesetSize: config.maxChangesetSize,
      ...(signal ? { signal } : {}),
    }),
    readFixCommits(reader, matcher, { rev: cutoffCommit, since, signal }),
    readFixCommits(reader, matcher, { rev: `${cutoffCommit}..${head}`, until: horizonEnd, signal }),
  ]);
  const future = await countFutureFixes(
    reader,
    { cutoff: cutoffCommit, head, until: horizonEnd },
    futureFixCommits,
    { maxChangesetSize: config.maxChangesetSize, signal },
  );
  for (const warning of history.warnings) warnings.push(warning);

  // Read the analysis cache, never write it: old revisions' files would crowd out HEAD's.
  const cache = await AnalysisCache.load(await cacheFileFor(reader), ANALYSIS_VERSION);
  const revision = await analyseRevision(reader, cutoffCommit, {
    cache,
    exclude: config.exclude,
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(signal ? { signal } : {}),
  });
  const analyses = [...revision.analyses.values()];
  const healths = assessAll(analyses, config);
  const files = analyses.map((analysis): HotspotInput => ({
    path: analysis.path,
    history: history.files.get(analysis.path),
    analysis,
    health: healths.get(analysis.path)!,
  }));
  const ranked = new Set(files.map((file) => file.path));
  return {
    root,
    cutoffCommit,
    cutoff: options.cutoff.toISOString(),
    horizonEnd: horizonEnd.toISOString(),
    since: since ? since.toISOString() : null,
    files,
    history: {
      commitList: history.commitList,
      touches: history.touches,
      fixes: pastFixes,
      coupling: computeCoupling(history, config.coupling),
      now: seconds,
    },
    future: new Map([...future.byFile].filter(([path]) => ranked.has(path))),
    horizonCommits: future.commits,
    fixCommits: future.fixCommits,
    sweepingFixes: future.sweeping,
    warnings,
  };
}

/** A ranking to compare: one number per file, higher is hotter. */
export interface Ranker {
  name: string;
  description: string;
  score: (file: HotspotInput, data: BacktestData) => number;
}

/** The baselines every backtest reports beside Steward's score. */
export const BASELINES: readonly Ranker[] = [
  {
    name: 'lines of code',
    description: 'largest files first',
    score: (file) => file.analysis.loc,
  },
  {
    name: 'revisions',
    description: 'most commits in the window first',
    score: (file) => file.history?.revisions ?? 0,
  },
  {
    name: 'churn × size',
    description: 'revisions × lines of code (code-complexity)',
    score: (file) => (file.history?.revisions ?? 0) * file.analysis.loc,
  },
];

/** Steward's score with the given settings, as a ranker. */
export function stewardRanker(settings: Readonly<ScoreSettings> = DEFAULT_SCORE_SETTINGS): Ranker {
  const memo = new WeakMap<BacktestData, Map<string, number>>();
  return {
    name: 'steward',
    description: 'recent changes and fixes × size (the default score)',
    score: (file, data) => {
      let scores = memo.get(data);
      if (!scores) {
        scores = new Map(
          scoreHotspots(data.files, data.history, settings).map((s) => [s.path, s.raw]),
        );
        memo.set(data, scores);
      }
      return scores.get(file.path) ?? 0;
    },
  };
}

/** The quality of one ranker on collected data. */
export function evaluateRanker(data: BacktestData, ranker: Ranker): BacktestMethod {
  const outcomes = data.files.map((file) => ({
    loc: file.analysis.loc,
    fixes: data.future.get(file.path) ?? 0,
  }));
  const scores = data.files.map((file) => ranker.score(file, data));
  return {
    name: ranker.name,
    description: ranker.description,
    ...rankingQuality(outcomes, scores),
  };
}

/** `steward hotspots --backtest`: Steward's score and the baselines on one repository and date. */
export async function runBacktest(
  options: BacktestOptions & { repoLabel: string },
): Promise<BacktestReport> {
  const data = await collectBacktest(options);
  return backtestReport(data, options.repoLabel, options.settings ?? DEFAULT_SCORE_SETTINGS);
}

export function backtestReport(
  data: BacktestData,
  repoLabel: string,
  settings: Readonly<ScoreSettings>,
): BacktestReport {
  const steward = stewardRanker(settings);
  const methods = [steward, ...BASELINES].map((ranker) => evaluateRanker(data, ranker));
  methods.push({
    name: 'random',
    description: 'files in no order (expected value)',
    ...RANDOM_QUALITY,
  });
  const fixTouches = [...data.future.values()].reduce((sum, n) => sum + n, 0);
  const scored = scoreHotspots(data.files, data.history, settings);
  return {
    repo: repoLabel,
    cutoff: data.cutoff,
    cutoffCommit: data.cutoffCommit,
    horizonEnd: data.horizonEnd,
    since: data.since,
    files: data.files.length,
    filesFixed: [...data.future.values()].filter((n) => n > 0).length,
    fixTouches,
    fixCommits: data.fixCommits,
    share: 0.2,
    methods,
    top: scored.slice(0, 10).map((file) => ({
      path: file.path,
      score: file.score,
      fixes: data.future.get(file.path) ?? 0,
    })),
    warnings: data.warnings,
  };
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
