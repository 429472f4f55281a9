import { resolve } from 'node:path';
import { runGit } from '../git/process.ts';
import type { HotspotsConfig } from '../config/schema.ts';
import { cacheFileFor } from './cache-location.ts';
import { AnalysisCache } from './analysis-cache.ts';
import { analyseRevision, type RevisionAnalysis } from './analyse-revision.ts';
import { ANALYSIS_VERSION } from './complexity/languages.ts';
import { findDuplicates } from './health/duplication.ts';
import { assessFile } from './health/score.ts';
import { computeCoupling } from './history/coupling.ts';
import { bugFixMatcher } from './history/bug-fix.ts';
import { readFixCommits } from './history/fix-commits.ts';
import { mineHistory, type MinedHistory } from './history/mine.ts';
import { DEFAULT_SCORE_SETTINGS, hotspotEntries, type ScoreSettings } from './score.ts';
import type {
  Coupling,
  FileAnalysis,
  FileHealth,
  HotspotEntry,
  HotspotsReport,
  SkippedFile,
} from './types.ts';

export interface HotspotsRunOptions {
  repoDir: string;
  /** Start of the history window; null for all of history. */
  since: Date | null;
  config: HotspotsConfig;
  /** How the report names the repository. */
  repoLabel: string;
  threads?: number;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

export interface HotspotsRun {
  report: HotspotsReport;
  skipped: SkippedFile[];
  /** Files that did not parse cleanly: analysed as far as they parse, and named. */
  syntaxErrors: { path: string; line: number; message: string }[];
  warnings: { message: string; hint: string }[];
  stats: { commits: number; parsed: number; cached: number };
}

/** History × complexity of one repository: the data behind `steward hotspots`. */
export async function runHotspots(options: HotspotsRunOptions): Promise<HotspotsRun> {
  const { config, onProgress } = options;
  // The analysis cache loads (parses JSON) while git works for the history; the repository's own
  // errors are mineHistory's to report.
  const earlyCache = cacheFileFor(resolve(options.repoDir))
    .then((file) => AnalysisCache.load(file, ANALYSIS_VERSION))
    .catch(() => null);
  const history = await mineHistory(options.repoDir, {
    since: options.since,
    maxChangesetSize: config.maxChangesetSize,
    cache: true,
    onProgress: (commits) => onProgress?.(`reading history: ${commits} commits`),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const fixes = readFixCommits(history.root, bugFixMatcher(config.bugFix), {
    rev: history.head,
    since: options.since,
    signal: options.signal,
  });
  fixes.catch(() => undefined);
  const cacheFile = await cacheFileFor(history.root);
  const early = await earlyCache;
  const cache =
    early?.file === cacheFile ? early : await AnalysisCache.load(cacheFile, ANALYSIS_VERSION);
  const revision = await analyseRevision(history.root, history.head, {
    cache,
    exclude: config.exclude,
    ...(options.threads ? { threads: options.threads } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  await cache.save();

  const coupling = computeCoupling(history, config.coupling);
  const files = rankFiles(revision, history, {
    config,
    fixes: await fixes,
    coupling,
    now: await commitTime(history.root, history.head, options.signal),
  });
  return {
    report: {
      repo: options.repoLabel,
      head: history.head,
      since: history.since,
      files,
      coupling,
    },
    skipped: revision.skipped,
    syntaxErrors: syntaxErrorsOf(revision.analyses.values()),
    warnings: history.warnings.map(({ message, hint }) => ({ message, hint })),
    stats: { commits: history.commits, parsed: revision.parsed, cached: revision.cached },
  };
}

/** The analysed files of a revision, scored with the history mined up to it. */
export function rankFiles(
  revision: Pick<RevisionAnalysis, 'analyses'>,
  history: Pick<MinedHistory, 'files' | 'commitList' | 'touches'>,
  context: {
    config: Pick<HotspotsConfig, 'thresholds'>;
    fixes: ReadonlySet<string>;
    coupling: readonly Coupling[];
    /** Ages are measured from here, seconds since the epoch. */
    now: number;
    settings?: Readonly<ScoreSettings>;
  },
): HotspotEntry[] {
  const analyses = [...revision.analyses.values()];
  const healths = assessAll(analyses, context.config);
  return hotspotEntries(
    analyses.map((analysis) => ({
      path: analysis.path,
      history: history.files.get(analysis.path),
      analysis,
      health: healths.get(analysis.path)!,
    })),
    {
      commitList: history.commitList,
      touches: history.touches,
      fixes: context.fixes,
      coupling: context.coupling,
      now: context.now,
    },
    context.settings ?? DEFAULT_SCORE_SETTINGS,
  );
}

/** A commit's committer time, seconds since the epoch: the "now" that ages are measured from. */
export async function commitTime(
  root: string,
  rev: string,
  signal: AbortSignal | undefined,
): Promise<number> {
  const { stdout } = await runGit(['log', '-1', '--format=%ct', rev, '--'], { cwd: root, signal });
  return Number(stdout.trim());
}

/** Health of every file, with duplication found across the whole revision. */
export function assessAll(
  analyses: readonly FileAnalysis[],
  config: Pick<HotspotsConfig, 'thresholds'>,
): Map<string, FileHealth> {
  const duplicates = findDuplicates(analyses, config.thresholds.codeDuplication);
  return new Map(
    analyses.map((analysis) => [
      analysis.path,
      assessFile(analysis, config.thresholds, duplicates.get(analysis.path) ?? []),
    ]),
  );
}

export function syntaxErrorsOf(
  analyses: Iterable<FileAnalysis>,
): { path: string; line: number; message: string }[] {
  const errors: { path: string; line: number; message: string }[] = [];
  for (const analysis of analyses) {
    for (const error of analysis.syntaxErrors) errors.push({ path: analysis.path, ...error });
  }
  return errors.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
}
