import { nulRecords, streamGit } from '../../git/process.ts';
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
  root: string,
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
  await judgeMessages(root, args, matcher, range.signal, (sha, isFix) => {
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
  root: string,
  matcher: BugFixMatcher,
  shas: readonly string[],
  onCommit: (sha: string, isFix: boolean) => void,
  signal?: AbortSignal,
): Promise<void> {
  for (let start = 0; start < shas.length; start += BATCH) {
    const args = [...MESSAGE_LOG, '--no-walk=unsorted', ...shas.slice(start, start + BATCH), '--'];
    await judgeMessages(root, args, matcher, signal, onCommit);
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
  root: string,
  args: readonly string[],
  matcher: BugFixMatcher,
  signal: AbortSignal | undefined,
  onCommit: (sha: string, isFix: boolean) => void,
): Promise<void> {
  let sha: string | null = null;
  for await (const record of nulRecords(streamGit(args, { cwd: root, signal }))) {
    if (sha === null) {
      sha = record.replace(/^\n/, '');
      continue;
    }
    onCommit(sha, matcher.isFix(record));
    sha = null;
  }
}
