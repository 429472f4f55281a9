import { structuredPatch } from 'diff';

/**
 * A unified diff as GitHub's `patch` field carries it: hunks only, no ---/+++ header, and git's
 * convention that an empty side starts at the line before (jsdiff numbers it at the line itself).
 */
export function githubPatch(oldText: string, newText: string, context = 3): string {
  const patch = structuredPatch('a', 'b', oldText, newText, '', '', { context });
  return patch.hunks
    .map((h) => {
      const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
      const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
      return [`@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@`, ...h.lines].join('\n');
    })
    .join('\n');
}
