import { nulRecords, streamGit } from '../../git/process.ts';
import type { BugFixMatcher } from './bug-fix.ts';

export interface FixCommitsRange {
  /** The newest commit of the walk. */
  rev: string;
  /** Only commits with a commit date at or after this. */
  since?: Date | null;
  /** Only commits with a commit date at or before this. */
  until?: Date | null;
  signal?: AbortSignal | undefined;
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
    'log',
    '--no-merges',
    '-z',
    '--format=%H%x00%B',
    '--encoding=UTF-8',
    '--no-show-signature',
    '--no-color',
    ...(range.since ? [`--since=@${seconds(range.since)}`] : []),
    ...(range.until ? [`--until=@${seconds(range.until)}`] : []),
    range.rev,
    '--',
  ];
  const fixes = new Set<string>();
  let sha: string | null = null;
  for await (const record of nulRecords(streamGit(args, { cwd: root, signal: range.signal }))) {
    if (sha === null) {
      sha = record.replace(/^\n/, '');
      continue;
    }
    if (matcher.isFix(record)) fixes.add(sha);
    sha = null;
  }
  return fixes;
}

function seconds(date: Date): number {
  return Math.max(0, Math.floor(date.getTime() / 1000));
}
