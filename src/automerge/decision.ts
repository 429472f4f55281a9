import type { DependencyChange } from './manifest-diff.ts';
import type { UpdateType } from './update-type.ts';

/** The outcome the action reports; the `would-*` values are dry-run answers, nothing was written. */
export const Outcome = {
  merged: 'merged',
  armed: 'armed',
  pending: 'pending',
  refused: 'refused',
  headMoved: 'head-moved',
  wouldMerge: 'would-merge',
  wouldArm: 'would-arm',
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** The checks Steward makes on every pull request, in the order the report lists them. */
export const CheckName = {
  github: 'GitHub answer',
  baseBranch: 'Base branch',
  state: 'Pull request state',
  identity: 'Identity',
  scope: 'Scope',
  updateType: 'Update type',
  policy: 'Policy',
  releaseAge: 'Release age',
  checks: 'Checks',
} as const;
export type CheckName = (typeof CheckName)[keyof typeof CheckName];

export interface Verdict {
  check: CheckName;
  status: 'pass' | 'fail' | 'pending' | 'skipped';
  details: string[];
  /** What does not change the verdict but a reader must see (a title that understates the diff). */
  warnings?: string[];
  /** Checks verdict only: checks of the head still running, which native mode never arms over. */
  running?: string[];
}

export interface Decision {
  number: number;
  headSha: string;
  outcome: Outcome;
  /** One sentence: why this outcome. */
  reason: string;
  updateType: UpdateType | null;
  dependencies: DependencyChange[];
  verdicts: Verdict[];
  /** Every verdict's warnings, shown above the table and in the comment. */
  warnings: string[];
  /** Whether the author is a configured bot; refusals of other PRs are silent (no comment, no label). */
  isBotPullRequest: boolean;
  /**
   * Set when GitHub's answers could not be read: the refusal holds for this run only and writes
   * nothing (no label, no comment, no disarming), since nothing about the pull request is known.
   */
  unreadable?: boolean;
}

/** Folds verdicts into refused / pending / ready, naming the first reason of the deciding kind. */
export function fold(verdicts: readonly Verdict[]): {
  status: 'fail' | 'pending' | 'pass';
  reason: string;
} {
  const failed = verdicts.find((v) => v.status === 'fail');
  if (failed)
    return { status: 'fail', reason: `${failed.check}: ${failed.details[0] ?? 'failed'}` };
  const pending = verdicts.find((v) => v.status === 'pending');
  if (pending)
    return { status: 'pending', reason: `${pending.check}: ${pending.details[0] ?? 'waiting'}` };
  return { status: 'pass', reason: 'every check passed' };
}
