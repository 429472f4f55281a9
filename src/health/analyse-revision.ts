import type { RevisionReader, TreeBlob } from '../revision/reader.ts';
import type { AnalysisCache } from './analysis-cache.ts';
import { isAnalysable } from './complexity/languages.ts';
import { contentSkipReason, excludeMatcher, skipReason } from './skip.ts';
import { analyseInParallel, type ParseJob } from './parse-pool.ts';
import type { FileAnalysis, SkippedFile } from './types.ts';

export interface RevisionAnalysis {
  /** By path, for every analysed source file of the revision. */
  analyses: Map<string, FileAnalysis>;
  /** The blob SHA of each analysed path. */
  blobs: Map<string, string>;
  skipped: SkippedFile[];
  /** Files parsed in this run; the rest came from the cache. */
  parsed: number;
  cached: number;
}

export interface AnalyseRevisionOptions {
  cache: AnalysisCache;
  exclude: readonly string[];
  threads?: number;
  /** See ParseOptions.offMainThread. */
  offMainThread?: boolean;
  /**
   * Skip files whose blob the repository lacks (a damaged clone), naming the object in `skipped`;
   * without it, a missing blob is an error.
   */
  skipMissing?: boolean;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * Analyses every source file of a revision: the tree's blob SHAs decide what the cache already
 * knows, one `git cat-file --batch` reads the rest, and worker threads parse them.
 */
export async function analyseRevision(
  reader: RevisionReader,
  rev: string,
  options: AnalyseRevisionOptions,
): Promise<RevisionAnalysis> {
  const { cache } = options;
  const excluded = excludeMatcher(options.exclude);
  const skipped: SkippedFile[] = [];
  const analyses = new Map<string, FileAnalysis>();
  const blobs = new Map<string, string>();
  const toRead: TreeBlob[] = [];

  for (const blob of await reader.listTree(rev, options.signal)) {
    if (!isAnalysable(blob.path)) continue;
    const reason = skipReason(blob, excluded);
    if (reason) {
      skipped.push({ path: blob.path, reason });
      continue;
    }
    blobs.set(blob.path, blob.sha);
    const hit = cache.get(blob.sha, blob.path);
    if (hit) analyses.set(blob.path, hit);
    else toRead.push(blob);
  }

  const jobs: ParseJob[] = [];
  const shaOfJob: string[] = [];
  if (toRead.length > 0) options.onProgress?.(`reading ${toRead.length} files`);
  const byPathOfSha = new Map<string, TreeBlob[]>();
  for (const blob of toRead)
    byPathOfSha.set(blob.sha, [...(byPathOfSha.get(blob.sha) ?? []), blob]);
  const uniqueShas = [...byPathOfSha.keys()];
  const missing = (sha: string) => {
    for (const blob of byPathOfSha.get(sha) ?? []) {
      skipped.push({ path: blob.path, reason: `object ${sha} is missing from the repository` });
    }
  };
  for await (const { sha, content } of reader.readBlobs(
    uniqueShas,
    options.signal,
    options.skipMissing ? missing : undefined,
  )) {
    for (const blob of byPathOfSha.get(sha) ?? []) {
      const reason = contentSkipReason(content);
      if (reason) {
        skipped.push({ path: blob.path, reason });
        continue;
      }
      jobs.push({ path: blob.path, text: content.toString('utf8') });
      shaOfJob.push(sha);
    }
  }

  const results = await analyseInParallel(jobs, {
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.offMainThread ? { offMainThread: true } : {}),
    onProgress: (done, total) => options.onProgress?.(`parsing ${done}/${total} files`),
  });
  results.forEach((analysis, i) => {
    cache.set(shaOfJob[i]!, analysis);
    analyses.set(analysis.path, analysis);
  });
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  for (const path of blobs.keys()) if (!analyses.has(path)) blobs.delete(path);
  return { analyses, blobs, skipped, parsed: jobs.length, cached: analyses.size - jobs.length };
}
