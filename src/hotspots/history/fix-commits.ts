import type { RevisionReader } from '../../revision/reader.ts';
import { gitSeconds } from './log-command.ts';
import type { BugFixMatcher } from './bug-fix.ts';

export interface FixCommitsRange {
  /** The newest commit of the walk. */
  rev: string;
  /** Only commits with a commit date at or after this. */
  since?: Date | null;
  /** Only commits with a commit date at or before this. */
  until?: Date | null;
  signal?: AbortSignal | undefined;
  /** Called with every commit of the walk and the rule's verdict on it (for the fix cache). */
  onCommit?: (sha: string, isFix: boolean) => void;
}

/**
 * The SHAs of the non-merge commits in the range whose message the rule calls a fix: one `git log`
 * without diffs (the cost of a rev-list plus the messages).
 */
export async function readFixCommits(
  reader: RevisionReader,
  matcher: BugFixMatcher,
  range: FixCommitsRange,
): Promise<Set<string>> {
  const args = [
    ...MESSAGE_LOG,
    ...(range.since ? [`--since=@${gitSeconds(range.since)}`] : []),
    ...(range.until ? [`--until=@${gitSeconds(range.until)}`] : []),
    range.rev,
    '--',
  ];
  const fixes = new Set<string>();
  await judgeMessages(reader, args, matcher, range.signal, (sha, isFix) => {
    if (isFix) fixes.add(sha);
    range.onCommit?.(sha, isFix);
  });
  return fixes;
}

/** Commits per `git log --no-walk` in classifyCommits: the command line stays short everywhere. */
const BATCH = 500;

/**
 * The rule's verdict on each of the given commits (none of them a merge), in no particular order,
 * from their messages alone.
 */
export async function classifyCommits(
  reader: RevisionReader,
  matcher: BugFixMatcher,
  shas: readonly string[],
  onCommit: (sha: string, isFix: boolean) => void,
  signal?: AbortSignal,
): Promise<void> {
  for (let start = 0; start < shas.length; start += BATCH) {
    const args = [...MESSAGE_LOG, '--no-walk=unsorted', ...shas.slice(start, start + BATCH), '--'];
    await judgeMessages(reader, args, matcher, signal, onCommit);
  }
}

const MESSAGE_LOG = [
  'log',
  '--no-merges',
  '-z',
  '--format=%H%x00%B',
  '--encoding=UTF-8',
  '--no-show-signature',
  '--no-color',
];

/** Streams a MESSAGE_LOG and passes each commit with the rule's verdict on its message. */
async function judgeMessages(
  reader: RevisionReader,
  args: readonly string[],
  matcher: BugFixMatcher,
  signal: AbortSignal | undefined,
  onCommit: (sha: string, isFix: boolean) => void,
): Promise<void> {
  let sha: string | null = null;
  for await (const record of reader.records(args, { signal })) {
    if (sha === null) {
      sha = record.replace(/^\n/, '');
      continue;
    }
    onCommit(sha, matcher.isFix(record));
    sha = null;
  }
}
