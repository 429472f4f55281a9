import type {
  AppSeed,
  Actor,
  CheckRunSeed,
  CommitVerification,
  ComparisonStatus,
  FileStatus,
  Mergeable,
  MergeStateStatus,
  PermissionLevel,
  PullRequestState,
  StatusSeed,
} from './types.ts';

/** The fake's stored state, one record per GitHub object; seed types are in types.ts. */

export interface CommitRecord {
  sha: string;
  message: string;
  author: Actor | null;
  committer: Actor | null;
  verification: CommitVerification;
  date: string;
  /** Parent SHAs, oldest first: known only for commits made through the fake's write routes. */
  parents: string[];
  /** Paths the commit touched, for the commit list's `path` filter (seeded with addCommit). */
  paths: string[];
  /** Branches whose history holds the commit, for the commit list's `sha` (seeded with addCommit). */
  onBranches: string[];
}

export interface FileRecord {
  path: string;
  previous_filename: string | undefined;
  status: FileStatus;
  additions: number;
  deletions: number;
  patch: string | null;
}

/** A comparison a test seeded, keyed in its repository by `baseSha...headSha`. */
export interface ComparisonRecord {
  baseSha: string;
  headSha: string;
  status: ComparisonStatus;
  aheadBy: number;
  behindBy: number;
  mergeBaseSha: string;
  files: FileRecord[];
  commitShas: string[];
}

export interface PullRecord {
  owner: string;
  repo: string;
  number: number;
  id: number;
  nodeId: string;
  title: string;
  body: string;
  state: PullRequestState;
  isDraft: boolean;
  author: Actor | null;
  headRefName: string;
  baseRefName: string;
  isCrossRepository: boolean;
  mergeable: Mergeable;
  explicitMergeStateStatus: MergeStateStatus | undefined;
  labels: string[];
  commitShas: string[];
  files: FileRecord[];
  autoMerge: {
    mergeMethod: 'MERGE' | 'SQUASH' | 'REBASE';
    enabledAt: string;
    enabledBy: Actor;
    commitHeadline: string | null;
  } | null;
  mergeCommitSha: string | null;
  mergedBy: Actor | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  /** The base commit GitHub last compared against (`base.sha`); the base branch's tip when unset. */
  baseSha?: string;
}

/** A real issue (not a pull request); numbered in one sequence with the pull requests. */
export interface IssueRecord {
  number: number;
  id: number;
  nodeId: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'reopened' | 'not_planned' | 'duplicate' | null;
  author: Actor | null;
  labels: string[];
  assignees: Actor[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: Actor | null;
  events: IssueEventRecord[];
}

/** One event of an issue's history (`assigned`, `closed`, `reopened`, `labeled`, …). */
export interface IssueEventRecord {
  id: number;
  event: string;
  actor: Actor | null;
  createdAt: string;
  /** For `assigned` and `unassigned`. */
  assignee?: Actor;
  /** For `labeled` and `unlabeled`. */
  label?: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  description: string | null;
  creator: Actor | null;
  createdAt: string;
}

export interface CommentRecord {
  id: number;
  nodeId: string;
  issueNumber: number;
  body: string;
  user: Actor;
  createdAt: string;
  updatedAt: string;
}

/** A submitted pull request review; `state` is what GitHub shows for its event. */
export interface ReviewRecord {
  id: number;
  nodeId: string;
  pullNumber: number;
  commitId: string;
  body: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING';
  user: Actor;
  submittedAt: string;
}

/** An inline comment of a review, anchored by line (and start line) on one side of the diff. */
export interface ReviewCommentRecord {
  id: number;
  nodeId: string;
  reviewId: number;
  pullNumber: number;
  commitId: string;
  path: string;
  line: number;
  startLine: number | null;
  side: 'LEFT' | 'RIGHT';
  body: string;
  /** The hunk the comment sits in, as GitHub returns it in `diff_hunk`. */
  diffHunk: string;
  user: Actor;
  createdAt: string;
  updatedAt: string;
  /** Every review comment opens a thread in the fake (no replies): its resolution is here. */
  threadResolved: boolean;
  resolvedBy: Actor | null;
}

export interface CheckRunRecord extends CheckRunSeed {
  id: number;
  startedAt: string;
  app: AppSeed;
}

export interface RequiredContextRecord {
  context: string;
  appId: number | null;
}

export interface RequiredRecord {
  classic?: RequiredContextRecord[];
  rulesets?: RequiredContextRecord[];
}

export interface StatusRecord extends StatusSeed {
  id: number;
  createdAt: string;
}

/** A reaction to an issue comment or a review comment (the token's bot, or a seeded person). */
export interface ReactionRecord {
  id: number;
  /** Issue comments and review comments are numbered apart on GitHub, so the kind is kept. */
  subject: 'issue-comment' | 'review-comment';
  commentId: number;
  content: string;
  user: Actor;
  createdAt: string;
}

/** A workflow the repository has, with the inputs its `workflow_dispatch` trigger declares. */
export interface WorkflowRecord {
  id: number;
  /** File name under .github/workflows, e.g. `steward.yml`. */
  file: string;
  /** Declared inputs; null when the workflow has no `workflow_dispatch` trigger. */
  dispatchInputs: string[] | null;
}

export type DispatchRecord =
  | { kind: 'workflow'; workflow: string; ref: string; inputs: Record<string, string> }
  | { kind: 'repository'; eventType: string; clientPayload: Record<string, unknown> };

export interface RepoRecord {
  owner: string;
  repo: string;
  id: number;
  nodeId: string;
  defaultBranch: string;
  allowAutoMerge: boolean;
  /** Branch name to head SHA. */
  branches: Map<string, string>;
  required: Map<string, RequiredRecord>;
  commits: Map<string, CommitRecord>;
  /** Seeded comparisons by `baseSha...headSha`. */
  comparisons: Map<string, ComparisonRecord>;
  /** File texts by ref: a commit SHA or a branch name. */
  files: Map<string, Map<string, string>>;
  checkRuns: Map<string, CheckRunRecord[]>;
  statuses: Map<string, StatusRecord[]>;
  pulls: Map<number, PullRecord>;
  comments: CommentRecord[];
  reviews: ReviewRecord[];
  reviewComments: ReviewCommentRecord[];
  permissions: Map<string, PermissionLevel>;
  reactions: ReactionRecord[];
  workflows: WorkflowRecord[];
  dispatches: DispatchRecord[];
  /** Issues by number; pull requests share the sequence (see GitHubState.nextIssueNumber). */
  issues: Map<number, IssueRecord>;
  /** Labels the repository has (created on first use, as POST /issues does). */
  labels: Set<string>;
  deployments: DeploymentRecord[];
  /** Whether the App is installed on the repository (GET /repos/:o/:r/installation). */
  installed: boolean;
}
