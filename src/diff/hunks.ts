/** Unified-diff hunks as GitHub's `patch` field carries them (no file header lines). */

export interface HunkLine {
  kind: 'context' | 'add' | 'delete';
  text: string;
  /** Line number on the old side (context and delete lines). */
  oldLine: number | null;
  /** Line number on the new side (context and add lines). */
  newLine: number | null;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: HunkLine[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export class PatchParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchParseError';
  }
}

/** Parses hunks; throws PatchParseError naming the offending line when the patch is malformed. */
export function parseHunks(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  let current: Hunk | null = null;
  let oldLine = 0;
  let newLine = 0;
  const rows = patch.split('\n');
  if (rows.at(-1) === '') rows.pop();
  rows.forEach((row, index) => {
    const header = HUNK_HEADER.exec(row);
    if (header) {
      current = {
        oldStart: Number(header[1]),
        oldLines: header[2] === undefined ? 1 : Number(header[2]),
        newStart: Number(header[3]),
        newLines: header[4] === undefined ? 1 : Number(header[4]),
        lines: [],
      };
      hunks.push(current);
      oldLine = current.oldStart;
      newLine = current.newStart;
      return;
    }
    if (row.startsWith('\\')) return; // "\ No newline at end of file"
    if (!current)
      throw new PatchParseError(`patch line ${index + 1}: text before the first @@ header`);
    const marker = row[0];
    const text = row.slice(1);
    if (marker === '+') {
      current.lines.push({ kind: 'add', text, oldLine: null, newLine: newLine++ });
    } else if (marker === '-') {
      current.lines.push({ kind: 'delete', text, oldLine: oldLine++, newLine: null });
    } else if (marker === ' ' || row === '') {
      current.lines.push({ kind: 'context', text, oldLine: oldLine++, newLine: newLine++ });
    } else {
      throw new PatchParseError(
        `patch line ${index + 1}: unexpected marker ${JSON.stringify(marker)}`,
      );
    }
  });
  return hunks;
}

/**
 * Rebuilds the old side of a file from its new text and the patch between them. GitHub's patch is
 * taken against the merge base, so this yields exactly the text the pull request changed, even
 * when the base branch has moved on since.
 */
export function reconstructOldText(newText: string, patch: string): string {
  const newRows = newText.split('\n');
  const oldRows: string[] = [];
  let cursor = 1; // next new-side line not yet copied
  for (const hunk of parseHunks(patch)) {
    const start = hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart;
    while (cursor < start) oldRows.push(newRows[cursor++ - 1] ?? '');
    for (const line of hunk.lines) {
      if (line.kind === 'add') {
        cursor++;
        continue;
      }
      if (line.kind === 'context') {
        const actual = newRows[cursor - 1];
        if (actual !== line.text && actual?.replace(/\r$/, '') !== line.text.replace(/\r$/, '')) {
          throw new PatchParseError(
            `patch context at new line ${cursor} does not match the file: the patch and the file are from different commits`,
          );
        }
        cursor++;
      }
      oldRows.push(line.text);
    }
  }
  while (cursor <= newRows.length) oldRows.push(newRows[cursor++ - 1] ?? '');
  return oldRows.join('\n');
}
