import { join } from 'node:path';
import { stewardDirFor } from '../git/steward-dir.ts';
import { ANALYSIS_CACHE_FILE } from '../health/analysis-cache.ts';

export { stewardDirFor };

/** The per-file analysis cache (see AnalysisCache). */
export async function cacheFileFor(root: string): Promise<string> {
  return join(await stewardDirFor(root), ANALYSIS_CACHE_FILE);
}

/** The parsed git log records that history mining reuses (see HistoryCache). */
export async function historyCacheFileFor(root: string): Promise<string> {
  return join(await stewardDirFor(root), 'history-cache.json');
}

/** The bug-fix rule's verdicts on commit messages (see FixCache). */
export async function fixCacheFileFor(root: string): Promise<string> {
  return join(await stewardDirFor(root), 'fix-cache.json');
}
