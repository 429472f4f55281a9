import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileAnalysis } from './types.ts';

/** Beyond this many blobs, a save drops those the run did not use. */
const MAX_ENTRIES = 50_000;

/**
 * Per-file analyses keyed by git blob SHA: a file's analysis depends only on its content, so a
 * rerun after one commit parses only the blobs that commit changed.
 *
 * The file is JSON lines: a header with the analyser's version, then one `sha<TAB>analysis` line
 * per blob. A run that only adds blobs appends their lines instead of rewriting tens of
 * megabytes; a run that evicts, or finds the file from another version, rewrites it atomically.
 * A torn last line (a run killed mid-append) is skipped on load. Bump the version whenever a
 * metric's definition changes, and old entries are ignored.
 */
/** The analysis cache's file name, in the repository's Steward directory (RevisionReader.stewardDir). */
export const ANALYSIS_CACHE_FILE = 'analysis-cache.jsonl';

export class AnalysisCache {
  readonly file: string;
  private readonly version: number;
  /**
   * By blob; an entry read from disk stays the JSON text of its line until a run asks for it: the
   * cache also holds the blobs of earlier revisions, which a run mostly never looks at.
   */
  private readonly entries: Map<string, FileAnalysis | string>;
  private readonly used = new Set<string>();
  private readonly added = new Map<string, FileAnalysis>();
  /** Whether the file on disk is of this version and can be appended to. */
  private appendable: boolean;
  hits = 0;
  misses = 0;

  private constructor(
    file: string,
    version: number,
    entries: Map<string, FileAnalysis | string>,
    appendable: boolean,
  ) {
    this.file = file;
    this.version = version;
    this.entries = entries;
    this.appendable = appendable;
  }

  /** Loads the cache, or starts empty when it is missing, from another version, or unreadable. */
  static async load(file: string, version: number): Promise<AnalysisCache> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error: unknown) {
      // A missing cache only costs a cold run; anything else is a real problem.
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      return new AnalysisCache(file, version, new Map(), false);
    }
    const lines = text.split('\n');
    if (lines[0] !== header(version)) return new AnalysisCache(file, version, new Map(), false);
    const entries = new Map<string, FileAnalysis | string>();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const tab = line.indexOf('\t');
      if (tab !== -1) entries.set(line.slice(0, tab), line.slice(tab + 1));
    }
    // After a torn last line an append would glue onto it: rewrite instead.
    return new AnalysisCache(file, version, entries, text.endsWith('\n'));
  }

  /** The cached analysis of this blob, re-labelled with the path it has now (renames keep content). */
  get(blobSha: string, path: string): FileAnalysis | undefined {
    const entry = this.peek(blobSha);
    this.used.add(blobSha);
    if (entry) this.hits++;
    else this.misses++;
    return entry && { ...entry, path };
  }

  /** The cached analysis of this blob as stored, without counting it as used by this run. */
  peek(blobSha: string): FileAnalysis | undefined {
    const entry = this.entries.get(blobSha);
    if (typeof entry !== 'string') return entry;
    try {
      const analysis = JSON.parse(entry) as FileAnalysis;
      this.entries.set(blobSha, analysis);
      return analysis;
    } catch (error: unknown) {
      // A torn line (a run killed mid-append): a miss, and gone from the next rewrite.
      if (!(error instanceof SyntaxError)) throw error;
      this.entries.delete(blobSha);
      return undefined;
    }
  }

  set(blobSha: string, analysis: FileAnalysis): void {
    this.entries.set(blobSha, analysis);
    this.added.set(blobSha, analysis);
    this.used.add(blobSha);
  }

  /** Appends what this run added, or rewrites the file when it must shrink or change version. */
  async save(): Promise<void> {
    const evict = this.entries.size > MAX_ENTRIES;
    if (this.added.size === 0 && !evict) return;
    await mkdir(dirname(this.file), { recursive: true });
    if (this.appendable && !evict) {
      await appendFile(this.file, [...this.added].map(line).join(''));
    } else {
      if (evict)
        for (const sha of this.entries.keys()) if (!this.used.has(sha)) this.entries.delete(sha);
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFile(
        temporary,
        `${header(this.version)}\n${[...this.entries].map(line).join('')}`,
      );
      await rename(temporary, this.file);
      this.appendable = true;
    }
    this.added.clear();
  }
}

function header(version: number): string {
  return JSON.stringify({ steward: 'analysis-cache', version });
}

function line([sha, analysis]: [string, FileAnalysis | string]): string {
  return `${sha}\t${typeof analysis === 'string' ? analysis : JSON.stringify(analysis)}\n`;
}
