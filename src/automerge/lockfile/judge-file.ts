import type { PullRequestFile, PullRequestSnapshot } from '../../github/client.ts';
import { textPair } from '../file-pair.ts';
import { judgeLockfileChange, type JudgeContext, type LockfileJudgement } from './judge.ts';
import { parseLockfile } from './parse.ts';

/** Parses both sides of a changed lockfile and judges every entry the change touches. */
export function judgeLockfileFile(
  file: PullRequestFile,
  after: string | null,
  pr: PullRequestSnapshot,
  context: JudgeContext,
): LockfileJudgement {
  if (file.status === 'removed')
    return { problems: [`${file.path}: lockfile deleted`], newVersions: [] };
  if (file.status === 'added') {
    return {
      problems: [`${file.path}: lockfile added; a bot updates lockfiles, it does not create them`],
      newVersions: [],
    };
  }
  const problems: string[] = [];
  const pair = textPair(file, after, pr, problems);
  if (!pair) return { problems, newVersions: [] };
  const before = parseLockfile(file.path, pair.before);
  const now = parseLockfile(file.path, pair.after);
  if (!now.ok)
    return {
      problems: [`${file.path}: ${now.reason}; Steward does not merge what it cannot read`],
      newVersions: [],
    };
  if (!before.ok)
    return {
      problems: [
        `${file.path} (before): ${before.reason}; Steward does not merge what it cannot read`,
      ],
      newVersions: [],
    };
  if (before.format !== now.format) {
    return {
      problems: [`${file.path}: the format changed from ${before.format} to ${now.format}`],
      newVersions: [],
    };
  }
  return judgeLockfileChange(file.path, before.entries, now.entries, context);
}
