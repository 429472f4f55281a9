import picomatch from 'picomatch';
import { readBlobs } from '../git/cat-file.ts';
import { listTreeBlobs, type TreeBlob } from '../git/tree.ts';
import type { AnalysisCache } from './analysis-cache.ts';
import { isAnalysable } from './complexity/languages.ts';
import { hasMinifiedName, minifiedReason } from './minified.ts';
import { analyseInParallel, type ParseJob } from './parse-pool.ts';
import type { FileAnalysis, SkippedFile } from './types.ts';

/** Files above this size are skipped: generated or bundled code, not code people maintain. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Paths of build output and vendored code, which no one edits by hand. */
const BUILD_OR_VENDORED = /(^|\/)(node_modules|vendor|dist|build|coverage)\//;

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
  root: string,
  rev: string,
  options: AnalyseRevisionOptions,
): Promise<RevisionAnalysis> {
  const { cache } = options;
  const excluded = excludeMatcher(options.exclude);
  const skipped: SkippedFile[] = [];
  const analyses = new Map<string, FileAnalysis>();
  const blobs = new Map<string, string>();
  const toRead: TreeBlob[] = [];

  for (const blob of await listTreeBlobs(root, rev, options.signal)) {
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
  for await (const { sha, content } of readBlobs(
    root,
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

/** Whether a path matches one of the `hotspots.exclude` globs. */
export function excludeMatcher(exclude: readonly string[]): (path: string) => boolean {
  return exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
}

/** Why a file is not analysed, from its path and size alone; null when it is. */
export function skipReason(
  blob: Pick<TreeBlob, 'path' | 'size'>,
  excluded: (path: string) => boolean,
): string | null {
  if (excluded(blob.path)) return 'excluded by hotspots.exclude';
  if (blob.path.endsWith('.d.ts') || /\.d\.[mc]ts$/.test(blob.path))
    return 'type declarations, no code';
  if (BUILD_OR_VENDORED.test(blob.path)) return 'build output or vendored code';
  if (hasMinifiedName(blob.path)) return 'minified file name';
  if (blob.size > MAX_FILE_BYTES)
    return `larger than 1 MB (${(blob.size / 1048576).toFixed(1)} MB)`;
  return null;
}

/** Binary content and minified code (see minified.ts) are not worth parsing or scoring. */
export function contentSkipReason(content: Buffer): string | null {
  if (content.subarray(0, 8000).includes(0)) return 'binary';
  const text = content.subarray(0, 64 * 1024).toString('utf8');
  return minifiedReason(text.split('\n'));
}
