import { join } from 'node:path';
import { ANALYSIS_CACHE_FILE } from '../health/analysis-cache.ts';
import type { RevisionReader } from '../revision/reader.ts';

/**
 * The caches live in the repository's Steward directory, inside its git directory (shared by its
 * worktrees): they are per repository, survive checkouts, and never show up as untracked files.
 */

/** The per-file analysis cache (see AnalysisCache). */
export async function cacheFileFor(reader: RevisionReader): Promise<string> {
  return join(await reader.stewardDir(), ANALYSIS_CACHE_FILE);
}

/** The parsed git log records that history mining reuses (see HistoryCache). */
export async function historyCacheFileFor(reader: RevisionReader): Promise<string> {
  return join(await reader.stewardDir(), 'history-cache.json');
}

/** The bug-fix rule's verdicts on commit messages (see FixCache). */
export async function fixCacheFileFor(reader: RevisionReader): Promise<string> {
  return join(await reader.stewardDir(), 'fix-cache.json');
}

/** The duplicated blocks of the last run, for an incremental rerun (see duplication-cache.ts). */
export async function duplicationCacheFileFor(
  reader: Pick<RevisionReader, 'stewardDir'>,
): Promise<string> {
  return join(await reader.stewardDir(), 'duplication-cache.json');
}
