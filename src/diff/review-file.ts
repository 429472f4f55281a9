import { parseHunks, PatchParseError } from './hunks.ts';
import type { Hunk } from './hunks.ts';
import type { PullRequestFile } from '../github/client.ts';

/** One changed file as the review sees it, whether it came from GitHub's API or a local git diff. */
export interface ReviewFile {
  path: string;
  /** The old path of a rename or copy; null otherwise. */
  previousPath: string | null;
  status: PullRequestFile['status'];
  binary: boolean;
  /** Hunks only, in GitHub's `patch` format (no ---/+++ header); null for binary or omitted patches. */
  patch: string | null;
  /** GitHub leaves out the patch of very large diffs: the file changed but no lines are known. */
  patchOmitted: boolean;
  commentable: CommentableLines;
  hunks: Hunk[];
}

/** GitHub accepts a review comment on any line inside a hunk, on the side that line exists on. */
export interface CommentableLines {
  RIGHT: Set<number>;
  LEFT: Set<number>;
}

export type Side = keyof CommentableLines;

export class DiffParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffParseError';
  }
}

export function commentableLines(hunks: readonly Hunk[]): CommentableLines {
  const lines: CommentableLines = { RIGHT: new Set(), LEFT: new Set() };
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line.newLine !== null) lines.RIGHT.add(line.newLine);
      if (line.oldLine !== null) lines.LEFT.add(line.oldLine);
    }
  }
  return lines;
}

/**
 * Parses a patch and checks each hunk holds the number of lines its header promises. parseHunks
 * alone accepts a short or long hunk, and a miscounted hunk would put comments on the wrong lines.
 */
export function parsePatch(patch: string, where: string): Hunk[] {
  let hunks: Hunk[];
  try {
    hunks = parseHunks(patch);
  } catch (error: unknown) {
    if (error instanceof PatchParseError) throw new DiffParseError(`${where}: ${error.message}`);
    throw error;
  }
  hunks.forEach((hunk, index) => {
    const oldCount = hunk.lines.filter((l) => l.kind !== 'add').length;
    const newCount = hunk.lines.filter((l) => l.kind !== 'delete').length;
    if (oldCount !== hunk.oldLines || newCount !== hunk.newLines) {
      throw new DiffParseError(
        `${where}: hunk ${index + 1} (@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@) ` +
          `holds ${oldCount} old and ${newCount} new lines; the diff is truncated or corrupt`,
      );
    }
  });
  return hunks;
}

/**
 * Builds review files from GitHub's pull-request files. GitHub sends no patch for binary files and
 * for diffs it finds too large; the line counts tell them apart: a binary file counts no lines.
 * An empty new file looks the same as a binary one, and has nothing to review either way.
 */
export function fromPullRequestFiles(files: readonly PullRequestFile[]): ReviewFile[] {
  return files.map((file) => {
    const hunks = file.patch === null ? [] : parsePatch(file.patch, file.path);
    const changedLines = file.additions + file.deletions > 0;
    const pureRename = file.status === 'renamed' || file.status === 'copied';
    return {
      path: file.path,
      previousPath: file.previousPath,
      status: file.status,
      binary: file.patch === null && !changedLines && !pureRename && file.status !== 'unchanged',
      patch: file.patch,
      patchOmitted: file.patch === null && changedLines,
      commentable: commentableLines(hunks),
      hunks,
    };
  });
}

/** The hunk whose new side holds `line`, or undefined when the line is outside every hunk. */
export function hunkAt(file: ReviewFile, line: number, side: Side = 'RIGHT'): Hunk | undefined {
  return file.hunks.find((hunk) => {
    const start = side === 'RIGHT' ? hunk.newStart : hunk.oldStart;
    const count = side === 'RIGHT' ? hunk.newLines : hunk.oldLines;
    return count > 0 && line >= start && line < start + count;
  });
}

/** The new-side text of lines `line..endLine` as the diff shows them, or null if any is missing. */
export function rightText(file: ReviewFile, line: number, endLine = line): string[] | null {
  const byLine = new Map<number, string>();
  for (const hunk of file.hunks)
    for (const row of hunk.lines) if (row.newLine !== null) byLine.set(row.newLine, row.text);
  const out: string[] = [];
  for (let n = line; n <= endLine; n++) {
    const text = byLine.get(n);
    if (text === undefined) return null;
    out.push(text);
  }
  return out;
}

/** One changed file as the summary's walkthrough lists it. */
export interface FileChange {
  path: string;
  previousPath: string | null;
  status: ReviewFile['status'];
  /** Lines added and removed, from the hunks; null when GitHub omitted the patch. */
  additions: number | null;
  deletions: number | null;
}

export function fileChanges(files: readonly ReviewFile[]): FileChange[] {
  return files.map((file) => {
    const lines = file.hunks.flatMap((h) => h.lines);
    const known = !file.patchOmitted;
    return {
      path: file.path,
      previousPath: file.previousPath,
      status: file.status,
      additions: known ? lines.filter((l) => l.kind === 'add').length : null,
      deletions: known ? lines.filter((l) => l.kind === 'delete').length : null,
    };
  });
}
