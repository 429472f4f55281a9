import { join } from 'node:path';
import type { RevisionReader } from '../revision/reader.ts';
import { ANALYSIS_CACHE_FILE, AnalysisCache } from './analysis-cache.ts';
import { analyseRevision } from './analyse-revision.ts';
import { ANALYSIS_VERSION } from './complexity/languages.ts';
import type { FileHealthDelta, HotspotRank } from './delta.ts';
import { assessAll, deltaOfChanges, syntaxErrorsOf } from './assess.ts';
import type { HealthSettings } from './settings.ts';
import type { FileAnalysis, FileHealth } from './types.ts';

export interface HealthReport {
  /** The base as resolved (its SHA): the tip of the branch given, not what is compared with. */
  base: string;
  /** What head is compared with: the merge base of base and head. */
  mergeBase: string;
  head: string;
  files: FileHealthDelta[];
  /** Why files carry no hotspot rank, when ranking was asked for and failed; absent otherwise. */
  ranksUnavailable?: string;
}

/**
 * Each file's place among the repository's hotspots before a change, from the merge base's
 * analyses and health; a string says why ranks are unknown. Hotspots implements it
 * (src/hotspots/rank-before.ts: it mines history, which health does not), and the faces pass it in.
 */
export type HotspotRanker = (
  before: {
    analyses: ReadonlyMap<string, FileAnalysis>;
    health: ReadonlyMap<string, FileHealth>;
  },
  change: { mergeBase: string; head: string },
  onProgress?: (message: string) => void,
) => Promise<Map<string, HotspotRank> | string>;

export interface HealthRunOptions {
  reader: RevisionReader;
  base: string;
  head: string;
  config: Pick<HealthSettings, 'thresholds' | 'exclude'>;
  /** Rank the changed files among the repository's hotspots before the change. Absent: no ranks. */
  rank?: HotspotRanker;
  threads?: number;
  onProgress?: (message: string) => void;
}

/**
 * Code health before and after a change: every file the change touched (renames followed from
 * the merge base of `base` and `head`, which is what head is compared with), with the smells it
 * introduced and fixed, and with `rank`, each file's hotspot rank before the change. The
 * whole tree is analysed on both sides, because a duplicate of unchanged code is still a new
 * smell; the blob cache makes the second side nearly free.
 */
export async function runHealthDelta(options: HealthRunOptions): Promise<{
  report: HealthReport;
  syntaxErrors: { path: string; line: number; message: string }[];
}> {
  const { reader } = options;
  const [baseSha, headSha] = await Promise.all([
    reader.resolveCommit(options.base),
    reader.resolveCommit(options.head),
  ]);
  const mergeBase = (await reader.mergeBase(baseSha, headSha)) ?? baseSha;
  const changes = await reader.changedPaths(mergeBase, headSha);

  const cache = await AnalysisCache.load(
    join(await reader.stewardDir(), ANALYSIS_CACHE_FILE),
    ANALYSIS_VERSION,
  );
  const analyse = (rev: string, label: string) =>
    analyseRevision(reader, rev, {
      cache,
      exclude: options.config.exclude,
      ...(options.threads ? { threads: options.threads } : {}),
      onProgress: (message) => options.onProgress?.(`${label}: ${message}`),
    });
  const before = await analyse(mergeBase, 'base');
  const after = await analyse(headSha, 'head');
  await cache.save();

  const beforeHealth = assessAll([...before.analyses.values()], options.config);
  const delta = deltaOfChanges(
    beforeHealth,
    assessAll([...after.analyses.values()], options.config),
    changes,
  );
  const report: HealthReport = { base: baseSha, mergeBase, head: headSha, files: delta.files };
  if (options.rank) {
    const ranked = await options.rank(
      { analyses: before.analyses, health: beforeHealth },
      { mergeBase, head: headSha },
      options.onProgress,
    );
    if (typeof ranked === 'string') report.ranksUnavailable = ranked;
    else {
      for (const file of report.files) {
        const old = changes.find((change) => change.path === file.path);
        const rank = ranked.get(old?.oldPath ?? file.path);
        if (rank && file.before !== null) file.hotspot = rank;
      }
    }
  }
  const changed = new Set(changes.map((c) => c.path));
  return {
    report,
    syntaxErrors: syntaxErrorsOf([...after.analyses.values()].filter((a) => changed.has(a.path))),
  };
}
