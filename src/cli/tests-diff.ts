import { structuredPatch } from 'diff';

/**
 * The test files `steward tests` made, as a git-style unified diff against the working tree: what
 * `--write` would write, in a form `git apply` takes (save it, look, apply it) and a reviewer
 * reads. Whole files come out of generation, so each is diffed against the file's current text,
 * or added as a new file when there is none.
 */

export interface FileChange {
  /** Repository-relative, `/`-separated. */
  path: string;
  /** The file's text in the working tree now; null when it does not exist. */
  before: string | null;
  after: string;
}

/** Lines of context around each change, as git shows by default. */
const CONTEXT = 3;

/** git quotes a path with a space, a quote, a backslash or a control character in a/ b/ headers. */
function quotedPath(prefix: string, path: string): string {
  const full = `${prefix}${path}`;
  // eslint-disable-next-line no-control-regex -- control characters are what needs quoting
  if (!/[\s"\\\u0000-\u001f\u007f]/.test(full)) return full;
  const escaped = [...full]
    .map((ch) => {
      if (ch === '"') return '\\"';
      if (ch === '\\') return '\\\\';
      if (ch === '\t') return '\\t';
      if (ch === '\n') return '\\n';
      const code = ch.codePointAt(0)!;
      return code < 0x20 || code === 0x7f ? `\\${code.toString(8).padStart(3, '0')}` : ch;
    })
    .join('');
  return `"${escaped}"`;
}

/** One file's diff with git's headers; '' when the text is unchanged. */
export function fileDiff(change: FileChange): string {
  const before = change.before ?? '';
  if (change.before !== null && before === change.after) return '';
  const a = quotedPath('a/', change.path);
  const b = quotedPath('b/', change.path);
  const head = [`diff --git ${a} ${b}`];
  if (change.before === null) head.push('new file mode 100644', '--- /dev/null');
  else head.push(`--- ${a}`);
  head.push(`+++ ${b}`);
  const patch = structuredPatch(a, b, before, change.after, '', '', { context: CONTEXT });
  const hunks = patch.hunks.map((h) => {
    // git numbers an empty side from the line before it (jsdiff from the line itself).
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    return [`@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@`, ...h.lines].join('\n');
  });
  return `${[...head, ...hunks].join('\n')}\n`;
}

/** Every changed file's diff, in path order. */
export function unifiedDiff(changes: readonly FileChange[]): string {
  return [...changes]
    .sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))
    .map(fileDiff)
    .join('');
}
