import { duplicationCacheFileFor } from './cache-location.ts';
import { DUPLICATION_WINDOW } from '../health/complexity/fingerprint.ts';
import { findDuplicates, type DuplicateBlock } from '../health/duplication.ts';
import { readJsonCache, writeJsonCache } from './json-cache.ts';
import type { FileAnalysis } from '../health/types.ts';
import type { RevisionReader } from '../revision/reader.ts';

/**
 * Duplicate-code detection that only redoes what changed. Finding duplicates compares every
 * window of every file with every other, which was most of a warm hotspots run; but a file's
 * duplicated blocks depend only on the files that share a window hash with it. So the blocks of the
 * last run are kept on disk with the blob of each path, and a rerun recomputes only the blocks of
 * the files that changed (added, removed, edited, renamed) and of the files that share a window
 * with one of them, before or after its change; every other file keeps its blocks. The answer is
 * the same as findDuplicates over the whole revision (test/hotspots/duplication-cache.test.ts).
 *
 *   { format, head, version, window, minLines, files: [[path, blob]], blocks: [[path, [block]]] }
 *
 * The old text of a changed file comes from the analysis cache (by its old blob); when it is gone,
 * or most files changed, everything is recomputed. A file from another format, analyser version or
 * threshold, or damaged, is ignored and rewritten.
 */
export const DUPLICATION_CACHE_FORMAT = 1;

/** Past this share of changed files, a full run is about as cheap and simpler. */
const MAX_CHANGED_SHARE = 0.25;

export interface DuplicationSnapshot {
  /** The commit it was taken at, when saved (a run at another one will likely parse files). */
  head?: string;
  version: number;
  window: number;
  minLines: number;
  /** The blob of each analysed path. */
  files: Map<string, string>;
  /** Duplicated blocks by path; files without any have no entry. */
  blocks: Map<string, DuplicateBlock[]>;
}

export interface AnalysedBlob {
  analysis: FileAnalysis;
  blob: string;
}

export interface DuplicationUpdate {
  snapshot: DuplicationSnapshot;
  /** Files whose blocks were computed in this run (all of them when `full`). */
  recomputed: number;
  full: boolean;
}

/**
 * The duplicated blocks of `current` (by path), reusing `previous` where nothing it depends on
 * changed. `oldAnalysis` gives the analysis of a blob a previous run knew (the analysis cache).
 */
export function updateDuplicates(
  previous: DuplicationSnapshot | null,
  current: ReadonlyMap<string, AnalysedBlob>,
  settings: { version: number; minLines: number; window?: number },
  oldAnalysis: (blob: string) => FileAnalysis | undefined,
): DuplicationUpdate {
  const window = settings.window ?? DUPLICATION_WINDOW;
  const analyses = [...current.values()].map(({ analysis }) => analysis);
  const files = new Map([...current].map(([path, { blob }]) => [path, blob]));
  const snapshot = (blocks: Map<string, DuplicateBlock[]>): DuplicationSnapshot => ({
    version: settings.version,
    window,
    minLines: settings.minLines,
    files,
    blocks,
  });
  const full = (): DuplicationUpdate => ({
    snapshot: snapshot(findDuplicates(analyses, settings.minLines, window)),
    recomputed: analyses.length,
    full: true,
  });
  if (
    !previous ||
    previous.version !== settings.version ||
    previous.window !== window ||
    previous.minLines !== settings.minLines
  ) {
    return full();
  }
  const changed = new Set<string>();
  for (const [path, blob] of files) if (previous.files.get(path) !== blob) changed.add(path);
  for (const path of previous.files.keys()) if (!files.has(path)) changed.add(path);
  if (changed.size > Math.max(1, files.size * MAX_CHANGED_SHARE)) return full();

  // Every window hash a changed file has now or had before its change.
  const hashes = new Set<string>();
  for (const path of changed) {
    const now = current.get(path)?.analysis;
    const before = previous.files.get(path);
    const then = before === undefined ? undefined : oldAnalysis(before);
    if (before !== undefined && !then) return full();
    for (const analysis of [now, then]) {
      for (const { hash } of analysis?.duplicationFingerprints ?? []) hashes.add(hash);
    }
  }
  const affected = new Set<string>();
  for (const [path, { analysis }] of current) {
    if (
      changed.has(path) ||
      (analysis.duplicationFingerprints ?? []).some(({ hash }) => hashes.has(hash))
    ) {
      affected.add(path);
    }
  }
  const recomputed =
    affected.size > 0
      ? findDuplicates(analyses, settings.minLines, window, affected)
      : new Map<string, DuplicateBlock[]>();
  const blocks = new Map<string, DuplicateBlock[]>();
  for (const path of files.keys()) {
    const found = affected.has(path) ? recomputed.get(path) : previous.blocks.get(path);
    if (found) blocks.set(path, found);
  }
  return { snapshot: snapshot(blocks), recomputed: affected.size, full: false };
}

/** The last run's snapshot of this repository, or null when there is none that is sound. */
export async function loadDuplicationSnapshot(
  reader: Pick<RevisionReader, 'stewardDir'>,
): Promise<DuplicationSnapshot | null> {
  const stored = await readJsonCache(await duplicationCacheFileFor(reader));
  if (!isStored(stored)) return null;
  return {
    head: stored.head,
    version: stored.version,
    window: stored.window,
    minLines: stored.minLines,
    files: new Map(stored.files),
    blocks: new Map(stored.blocks),
  };
}

/** Writes the snapshot for the next run (atomically). */
export async function saveDuplicationSnapshot(
  reader: Pick<RevisionReader, 'stewardDir'>,
  snapshot: DuplicationSnapshot,
  head: string,
): Promise<void> {
  const stored: StoredSnapshot = {
    format: DUPLICATION_CACHE_FORMAT,
    head,
    version: snapshot.version,
    window: snapshot.window,
    minLines: snapshot.minLines,
    files: [...snapshot.files],
    blocks: [...snapshot.blocks],
  };
  await writeJsonCache(await duplicationCacheFileFor(reader), stored);
}

interface StoredSnapshot {
  format: number;
  head: string;
  version: number;
  window: number;
  minLines: number;
  files: [string, string][];
  blocks: [string, DuplicateBlock[]][];
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The shape, every blob, path, line and count: anything else is damage, and costs a full run. */
function isStored(value: unknown): value is StoredSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const stored = value as Partial<StoredSnapshot>;
  if (stored.format !== DUPLICATION_CACHE_FORMAT) return false;
  if (typeof stored.head !== 'string' || !SHA.test(stored.head)) return false;
  if (![stored.version, stored.window, stored.minLines].every(isCount)) return false;
  const { files, blocks } = stored;
  if (!Array.isArray(files) || !Array.isArray(blocks)) return false;
  const paths = new Set<string>();
  for (const entry of files as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2) return false;
    const [path, blob] = entry as unknown[];
    if (typeof path !== 'string' || typeof blob !== 'string' || !SHA.test(blob)) return false;
    paths.add(path);
  }
  return (blocks as unknown[]).every((entry) => {
    if (!Array.isArray(entry) || entry.length !== 2) return false;
    const [path, list] = entry as unknown[];
    return (
      typeof path === 'string' && paths.has(path) && Array.isArray(list) && list.every(isBlock)
    );
  });

  function isBlock(block: unknown): boolean {
    if (typeof block !== 'object' || block === null) return false;
    const { line, lines, copies } = block as Partial<DuplicateBlock>;
    return (
      isCount(line) &&
      isCount(lines) &&
      Array.isArray(copies) &&
      copies.every(
        (copy: unknown) =>
          typeof copy === 'object' &&
          copy !== null &&
          typeof (copy as { path?: unknown }).path === 'string' &&
          paths.has((copy as { path: string }).path) &&
          isCount((copy as { line?: unknown }).line),
      )
    );
  }
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
