import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileAnalysis } from './types.ts';

/**
 * Per-file analyses keyed by git blob SHA: a file's analysis depends only on its content, so a
 * rerun after one commit parses only the blobs that commit changed. One JSON file, read once and
 * written once per run (atomically), is faster than thousands of small files. The version is the
 * analyser's: bump it whenever a metric's definition changes, and old entries are ignored.
 */
/** Beyond this many blobs, a save drops those the run did not use. */
const MAX_ENTRIES = 50_000;

export class AnalysisCache {
  readonly file: string;
  private readonly version: number;
  private readonly entries: Map<string, FileAnalysis>;
  private readonly used = new Set<string>();
  private dirty = false;
  hits = 0;
  misses = 0;

  private constructor(file: string, version: number, entries: Map<string, FileAnalysis>) {
    this.file = file;
    this.version = version;
    this.entries = entries;
  }

  /** Loads the cache, or starts empty when it is missing, from another version, or unreadable. */
  static async load(file: string, version: number): Promise<AnalysisCache> {
    let entries = new Map<string, FileAnalysis>();
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as {
        version?: number;
        entries?: Record<string, FileAnalysis>;
      };
      if (parsed.version === version && parsed.entries)
        entries = new Map(Object.entries(parsed.entries));
    } catch (error: unknown) {
      // A missing or corrupt cache only costs a cold run; anything else is a real problem.
      const code = (error as { code?: string }).code;
      if (code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
    }
    return new AnalysisCache(file, version, entries);
  }

  /** The cached analysis of this blob, re-labelled with the path it has now (renames keep content). */
  get(blobSha: string, path: string): FileAnalysis | undefined {
    const entry = this.entries.get(blobSha);
    this.used.add(blobSha);
    if (entry) this.hits++;
    else this.misses++;
    return entry && { ...entry, path };
  }

  set(blobSha: string, analysis: FileAnalysis): void {
    this.entries.set(blobSha, analysis);
    this.used.add(blobSha);
    this.dirty = true;
  }

  /** Writes the cache if it changed; past MAX_ENTRIES it keeps only what this run used. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    if (this.entries.size > MAX_ENTRIES) {
      for (const sha of this.entries.keys()) if (!this.used.has(sha)) this.entries.delete(sha);
    }
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(
      temporary,
      JSON.stringify({ version: this.version, entries: Object.fromEntries(this.entries) }),
    );
    await rename(temporary, this.file);
    this.dirty = false;
  }
}
