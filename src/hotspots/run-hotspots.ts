import { resolve } from 'node:path';
import type { HotspotsConfig } from './settings.ts';
import { cacheFileFor } from './cache-location.ts';
import { AnalysisCache } from './analysis-cache.ts';
import { analyseRevision } from './analyse-revision.ts';
import { ANALYSIS_VERSION } from './complexity/languages.ts';
import { findDuplicates } from './health/duplication.ts';
import { assessFile } from './health/score.ts';
import { computeCoupling } from './history/coupling.ts';
import { mineHistory } from './history/mine.ts';
import { hotspotEntries } from './score.ts';
import type { FileAnalysis, FileHealth, HotspotsReport, SkippedFile } from './types.ts';

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

  const healths = assessAll([...revision.analyses.values()], config);
  const files = hotspotEntries(
    [...revision.analyses.values()].map((analysis) => ({
      path: analysis.path,
      history: history.files.get(analysis.path),
      analysis,
      health: healths.get(analysis.path)!,
    })),
  );
  return {
    report: {
      repo: options.repoLabel,
      head: history.head,
      since: history.since,
      files,
      coupling: computeCoupling(history, config.coupling),
    },
    skipped: revision.skipped,
    syntaxErrors: syntaxErrorsOf(revision.analyses.values()),
    warnings: history.warnings.map(({ message, hint }) => ({ message, hint })),
    stats: { commits: history.commits, parsed: revision.parsed, cached: revision.cached },
  };
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
