import type { RevisionReader } from '../../revision/reader.ts';
import { gitLogForwardArgs } from '../history/log-command.ts';
import { LogParser, type LogCommit } from '../history/log-parser.ts';

export interface FutureFixes {
  /** Per file of the cut-off (its name there), the bug-fix commits that touched it. */
  byFile: Map<string, number>;
  /** Bug-fix commits in the horizon (counted or not). */
  fixCommits: number;
  /** Bug-fix commits left out for changing more than maxChangesetSize files. */
  sweeping: number;
  /** Non-merge commits in the horizon. */
  commits: number;
}

/**
 * Counts, per file as it was named at the cut-off, the bug-fix commits after the cut-off that
 * touched it. The commits are read oldest first and renames are followed forward: a fix to
 * `src/new.ts` counts for `src/old.ts` when `old.ts` was renamed to `new.ts` after the cut-off.
 * A name freed by a rename and later reused belongs to the new file, not the old one. A fix that
 * changes more than `maxChangesetSize` files is a sweeping change (a mass rename, a lint fix
 * across the tree) and is left out, as it is left out of coupling.
 */
export async function countFutureFixes(
  reader: RevisionReader,
  range: { cutoff: string; head: string; until: Date },
  fixes: ReadonlySet<string>,
  options: { maxChangesetSize: number; signal?: AbortSignal | undefined },
): Promise<FutureFixes> {
  const origin = new Map<string, string | null>();
  const resolveName = (path: string): string | null => {
    const known = origin.get(path);
    return known === undefined ? path : known;
  };
  const byFile = new Map<string, number>();
  let fixCommits = 0;
  let sweeping = 0;
  let commits = 0;
  const onCommit = (commit: LogCommit) => {
    commits++;
    const names = commit.changes.map((change) => resolveName(change.from ?? change.path));
    for (const [i, change] of commit.changes.entries()) {
      if (change.from === undefined) continue;
      origin.set(change.path, names[i]!);
      // The old name now belongs to nothing of the cut-off, unless this commit also writes it.
      if (!commit.changes.some((other) => other.path === change.from))
        origin.set(change.from, null);
    }
    if (!fixes.has(commit.sha)) return;
    fixCommits++;
    if (commit.changes.length > options.maxChangesetSize) {
      sweeping++;
      return;
    }
    for (const name of new Set(names)) {
      if (name !== null) byFile.set(name, (byFile.get(name) ?? 0) + 1);
    }
  };
  const parser = new LogParser(onCommit);
  const args = gitLogForwardArgs(range.cutoff, range.head, range.until);
  for await (const chunk of reader.stream(args, { signal: options.signal })) {
    parser.push(chunk);
  }
  parser.end();
  return { byFile, fixCommits, sweeping, commits };
}
