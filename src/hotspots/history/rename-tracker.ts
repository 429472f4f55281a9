/**
 * Maps the names a file had in the past to the name it has at HEAD, learning renames while the log
 * is read newest to oldest. When a commit renames `old` → `new`, everything older that touched
 * `old` belongs to whatever `new` is called at HEAD, which is already known because the newer
 * commits came first. Storing the resolved name (not `new`) keeps every lookup one step long
 * however long the chain of renames, and a name reused later for another file is handled by
 * order alone: the newer file's commits are read before the rename that retires the old one.
 *
 * The order must put every commit before its parents (`git log --date-order` guarantees it). On
 * parallel branches a change to the old name dated after the rename is read before the rename and
 * stays under the old name; no linear reading of a branching history can do better than that.
 */
export class RenameTracker {
  /** Historical name → name at HEAD (or at the newest commit that had the file). */
  private readonly aliases = new Map<string, string>();

  /** The name at HEAD of the file that is called `path` at the commit being read. */
  current(path: string): string {
    return this.aliases.get(path) ?? path;
  }

  /**
   * Records that a commit renamed `from` to a file that is called `current` at HEAD: pass
   * `current(newPath)` taken before any rename of the same commit is recorded.
   */
  renamed(from: string, current: string): void {
    this.aliases.set(from, current);
  }
}
