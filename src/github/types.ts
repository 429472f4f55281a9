/**
 * Plain data that the edges read from GitHub and the core decides on. Nothing here knows about
 * Octokit; the shapes are Steward's own, normalised from REST and GraphQL answers.
 */

export interface RepoRef {
  owner: string;
  repo: string;
}

/** How a check run or commit status stands, folded into one vocabulary. */
export const CheckState = {
  success: 'success',
  pending: 'pending',
  failure: 'failure',
  cancelled: 'cancelled',
  timedOut: 'timed_out',
  actionRequired: 'action_required',
  stale: 'stale',
  startupFailure: 'startup_failure',
  skipped: 'skipped',
  neutral: 'neutral',
  error: 'error',
} as const;
export type CheckState = (typeof CheckState)[keyof typeof CheckState];

export interface CheckFacts {
  /** Check run name or commit status context: the name branch protection requires. */
  name: string;
  kind: 'check-run' | 'status';
  state: CheckState;
  /** GitHub's own answer to "is this required for this pull request" (isRequired). */
  required: boolean;
  url: string | null;
  /** The GitHub App whose check suite holds a check run; null for commit statuses. */
  app: { id: number; slug: string } | null;
}

/** A check the base branch requires, and the one App whose check alone satisfies it (null: any). */
export interface RequiredCheck {
  context: string;
  appId: number | null;
  source: 'branch protection' | 'ruleset';
}

export interface CommitFacts {
  sha: string;
  /** GitHub account the author email resolves to, with its type ("Bot", "User"). */
  author: { login: string; type: string } | null;
  committer: { login: string; type: string } | null;
  /** GitHub's verification of the commit signature. */
  verified: boolean;
  verificationReason: string;
  message: string;
}

export interface PullRequestFile {
  path: string;
  previousPath: string | null;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions: number;
  deletions: number;
  /** Unified diff hunks; absent for binary files and for patches GitHub finds too large. */
  patch: string | null;
}

/** How a head stands against a base, as GitHub's compare answers it. */
export type ComparisonStatus = 'ahead' | 'behind' | 'diverged' | 'identical';

/** `base...head`: what changed on head since the merge base of the two. */
export interface CommitComparison {
  status: ComparisonStatus;
  /** Commits head has that base lacks. */
  aheadBy: number;
  /** Commits base has that head lacks. */
  behindBy: number;
  mergeBaseSha: string;
  /** The diff from the merge base to head, mapped exactly like a pull request's files. */
  files: PullRequestFile[];
  /** GitHub lists at most 300 files of a comparison: at that count some may be missing. */
  filesTruncated: boolean;
}

export interface PullRequestSnapshot {
  /** GraphQL node id, needed to arm native auto-merge. */
  id: string;
  number: number;
  url: string;
  title: string;
  body: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  author: { login: string; type: string } | null;
  isCrossRepository: boolean;
  headSha: string;
  headRefName: string;
  baseRefName: string;
  /** The base branch's tip as GitHub reports it (not the merge base the diff is taken against). */
  baseSha: string;
  mergeable: 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN';
  mergeStateStatus: string;
  labels: string[];
  /** Whether native auto-merge is already armed, and for which method. */
  autoMerge: { mergeMethod: string } | null;
  checks: CheckFacts[];
  /**
   * Checks the base branch requires, reported or not: rulesets' with their App binding, classic
   * protection's with appId null until getBranchProtectionChecks reads the binding.
   */
  requiredChecks: RequiredCheck[];
  /** Why the rulesets could not be read (a token without the permission), or null. */
  requiredChecksProblem: string | null;
  /** Text of the root package.json at the head commit, fetched with the snapshot to save a request. */
  rootManifestAtHead: string | null;
  /** The repository's default branch, whose config's `base-branches` gates every other base. */
  defaultBranch: string;
  commitCount: number;
  changedFiles: number;
}

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export type MergeOutcome =
  | { kind: 'merged'; sha: string }
  | { kind: 'head-moved'; message: string }
  | { kind: 'not-mergeable'; message: string };

export type UpsertOutcome = { id: number; action: 'created' | 'updated' | 'unchanged' };

/** An inline review comment already on a pull request, as much as dedupe needs of it. */
export interface ReviewCommentFacts {
  id: number;
  body: string;
  path: string;
  /** Null when the comment is outdated: its line is no longer in the diff. */
  line: number | null;
  /** "Bot" or "User". */
  userType: string | null;
  /** The author's REST login (`github-actions[bot]`); null for a deleted account. */
  authorLogin: string | null;
  /** Written by the account the client's token acts as: only these can carry Steward's markers. */
  ours: boolean;
}

/** A comment Steward wrote earlier, found by its hidden marker. */
export interface MarkedComment {
  id: number;
  body: string;
  /**
   * The author's type. The comment is always by the client's own account and opens with the
   * marker: a person's or another bot's comment quoting it is never taken for Steward's.
   */
  userType: string;
}

/** One inline comment of a review to post; `startLine..line` is a multi-line range on `side`. */
export interface ReviewCommentDraft {
  path: string;
  line: number;
  startLine?: number;
  side: 'LEFT' | 'RIGHT';
  body: string;
}

/**
 * How posting a review went. GitHub answers a review with any comment off the diff with 422 and
 * stores nothing, without saying which comment it was: that answer is data, not an exception.
 */
export type CreateReviewOutcome =
  { kind: 'created'; id: number } | { kind: 'rejected'; message: string };
