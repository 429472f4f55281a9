import { availableParallelism } from 'node:os';
import { MissingObjectError } from '../revision/errors.ts';
import type { RevisionReader } from '../revision/reader.ts';
import type { HotspotsConfig } from './settings.ts';
import { cacheFileFor } from './cache-location.ts';
import { AnalysisCache } from '../health/analysis-cache.ts';
import { analyseRevision, type RevisionAnalysis } from '../health/analyse-revision.ts';
import { endPrewarmedParser, prewarmParser } from '../health/parse-pool.ts';
import { ANALYSIS_VERSION } from '../health/complexity/languages.ts';
import type { DuplicateBlock } from '../health/duplication.ts';
import { assessAll, syntaxErrorsOf } from '../health/assess.ts';
import {
  loadDuplicationSnapshot,
  saveDuplicationSnapshot,
  updateDuplicates,
} from './duplication-cache.ts';
import { computeCoupling } from './history/coupling.ts';
import { bugFixMatcher } from './history/bug-fix.ts';
import { cachedFixCommits } from './history/fix-cache.ts';
import { mineHistory, type MinedHistory } from './history/mine.ts';
import { DEFAULT_SCORE_SETTINGS, hotspotEntries, type ScoreSettings } from './hotspot-score.ts';
import type { SkippedFile } from '../health/types.ts';
import type { Coupling, HotspotEntry, HotspotsReport } from './types.ts';

export interface HotspotsRunOptions {
  reader: RevisionReader;
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

/**
 * History × complexity of one repository: the data behind `steward hotspots`. The history is mined
 * while the files of HEAD are read and parsed: git log runs in its own process on one core and the
 * parse workers take the others, so a cold run costs about the longer of the two, not their sum.
 */
export async function runHotspots(options: HotspotsRunOptions): Promise<HotspotsRun> {
  const { config, onProgress, signal } = options;
  const { reader } = options;
  const { head } = reader.repository;
  const cache = AnalysisCache.load(await cacheFileFor(reader), ANALYSIS_VERSION);
  const lastDuplication = loadDuplicationSnapshot(reader);
  // A new HEAD (or none seen before) likely brings files to parse: load the parser meanwhile.
  const prewarming = lastDuplication.then((last) => {
    if (last?.head !== head) prewarmParser();
  });
  const mined = mineHistory(reader, {
    since: options.since,
    maxChangesetSize: config.maxChangesetSize,
    cache: true,
    onProgress: (commits) => onProgress?.(`reading history: ${commits} commits`),
    ...(signal ? { signal } : {}),
  });
  const analysed = cache.then((loaded) =>
    analyseRevision(reader, head, {
      cache: loaded,
      exclude: config.exclude,
      threads: options.threads ?? parseThreads(),
      offMainThread: true,
      skipMissing: true,
      ...(onProgress ? { onProgress } : {}),
      ...(signal ? { signal } : {}),
    }),
  );
  const historyRead = mined.catch((error: unknown) => {
    if (!(error instanceof MissingObjectError)) throw error;
    // A damaged clone: rank what its trees still tell, and say what is missing.
    return mineHistory(reader, {
      since: options.since,
      maxChangesetSize: config.maxChangesetSize,
      namesOnly: true,
      ...(signal ? { signal } : {}),
    }).then((partial) => {
      partial.warnings.push({
        kind: 'missing-objects',
        message: `${error.message} The history was read without line counts or renames.`,
        hint: error.hint,
      });
      return partial;
    });
  });
  // The bug-fix verdicts of new commits only, on a warm run; the whole window's beside the mining
  // on a cold one.
  const fixes = cachedFixCommits(reader, bugFixMatcher(config.bugFix), {
    rev: head,
    since: options.since,
    commits: historyRead.then((read) => read.commitList.map(({ sha }) => sha)),
    signal,
  });
  // Duplicates as soon as HEAD is analysed, while git log still runs; only the blocks of changed
  // files and of files sharing code with them are found again.
  const duplication = analysed.then(async (revision) => {
    await prewarming;
    await endPrewarmedParser();
    const loaded = await cache;
    const update = updateDuplicates(
      await lastDuplication,
      new Map(
        [...revision.analyses].map(([path, analysis]) => [
          path,
          { analysis, blob: revision.blobs.get(path)! },
        ]),
      ),
      { version: ANALYSIS_VERSION, minLines: config.thresholds.codeDuplication },
      (blob) => loaded.peek(blob),
    );
    await loaded.save();
    const last = await lastDuplication;
    if (update.recomputed > 0 || last?.head !== head) {
      await saveDuplicationSnapshot(reader, update.snapshot, head);
    }
    return update.snapshot.blocks;
  });
  const now = reader.commitTime(head, signal);
  // Every promise is awaited below; these keep an early failure of one from going unhandled
  // while another is awaited first.
  for (const pending of [
    historyRead,
    fixes,
    analysed,
    lastDuplication,
    prewarming,
    duplication,
    now,
  ]) {
    pending.catch(() => undefined);
  }
  const history = await historyRead;
  const revision = await analysed;
  const duplicates = await duplication;

  const coupling = computeCoupling(history, config.coupling);
  const files = rankFiles(revision, history, {
    config,
    fixes: await fixes,
    coupling,
    now: await now,
    duplicates,
  });
  return {
    report: {
      repo: options.repoLabel,
      head,
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

/**
 * Parse threads while git log runs beside them: one core is git's, the rest parse; on a machine of
 * one or two cores, one thread (a second worker only fought git for the same core).
 */
export function parseThreads(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
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
    /** Duplicated blocks by path, when already found (see duplication-cache.ts). */
    duplicates?: ReadonlyMap<string, DuplicateBlock[]>;
  },
): HotspotEntry[] {
  const analyses = [...revision.analyses.values()];
  const healths = assessAll(analyses, context.config, context.duplicates);
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
