/**
 * Public vocabulary of the GitHub fake: what a test seeds and what it observes. Seed values use the
 * REST spelling (lowercase states, `dependabot[bot]` logins); the GraphQL side maps them to GitHub's
 * enums and, like GitHub, drops the `[bot]` suffix from Bot logins.
 */

export type ActorType = 'Bot' | 'User';

export interface Actor {
  /** REST login, e.g. `renovate[bot]` for a GitHub App. */
  login: string;
  type: ActorType;
}

export interface CommitVerification {
  verified: boolean;
  /** GitHub's reason, e.g. `valid`, `unsigned`, `unknown_key`, `bad_email`. */
  reason: string;
}

export interface CommitSeed {
  /** Generated when omitted. */
  sha?: string;
  message?: string;
  /** GitHub account the author email resolves to; null when it resolves to none. */
  author?: Actor | null;
  committer?: Actor | null;
  verification?: CommitVerification;
  /** ISO timestamp of authoring and committing. */
  date?: string;
  /** Parent SHAs (the fake keeps no graph: only what a test states). */
  parents?: string[];
}

/** A commit on a branch's history, for GET /repos/:o/:r/commits (`sha`, `path`, `since`). */
export interface HistoryCommitSeed {
  sha?: string;
  message?: string;
  author?: Actor | null;
  /** ISO time of authoring and committing; now when omitted. */
  date?: string;
  /** Paths the commit touched. */
  paths?: string[];
  /** The branch whose history holds it; the default branch when omitted. */
  branch?: string;
}

export interface IssueSeed {
  /** Next free number (shared with pull requests) when omitted. */
  number?: number;
  title?: string;
  body?: string;
  state?: 'open' | 'closed';
  stateReason?: 'completed' | 'reopened' | 'not_planned' | 'duplicate' | null;
  /** octocat when omitted; null for a deleted account. */
  author?: Actor | null;
  labels?: string[];
  assignees?: Actor[];
  /** ISO time; now when omitted. */
  createdAt?: string;
  updatedAt?: string;
  closedAt?: string | null;
}

/** An issue as the fake holds it. */
export interface IssueView {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  stateReason: string | null;
  author: Actor | null;
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Its history, oldest first. */
  events: { event: string; actor: string | null; createdAt: string; assignee?: string }[];
}

export interface DeploymentSeed {
  /** A generated SHA when omitted. */
  sha?: string;
  /** The default branch when omitted. */
  ref?: string;
  environment?: string;
  description?: string | null;
  /** octocat when omitted. */
  creator?: Actor | null;
  /** ISO time; now when omitted. */
  createdAt?: string;
}

export type FileStatus =
  'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface FileSeed {
  path: string;
  previous_filename?: string;
  status?: FileStatus;
  additions?: number;
  deletions?: number;
  /** null for binary files and patches GitHub finds too large: the field is then absent. */
  patch?: string | null;
}

export type ComparisonStatus = 'ahead' | 'behind' | 'diverged' | 'identical';

/**
 * What GitHub answers for `base...head`. The fake keeps no commit graph, so a test says it; any
 * commit named here that the fake does not know yet is added.
 */
export interface ComparisonSeed {
  status: ComparisonStatus;
  aheadBy: number;
  behindBy: number;
  mergeBaseSha: string;
  /** The diff from the merge base to head; GitHub lists at most 300 of them. */
  files?: FileSeed[];
  /** Commits head has that base lacks, oldest first; `total_commits` is `aheadBy` either way. */
  commits?: CommitSeed[];
}

export type Mergeable = 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN';
export type MergeStateStatus =
  'BEHIND' | 'BLOCKED' | 'CLEAN' | 'DIRTY' | 'DRAFT' | 'HAS_HOOKS' | 'UNKNOWN' | 'UNSTABLE';
export type PullRequestState = 'OPEN' | 'CLOSED' | 'MERGED';

export interface PullRequestSeed {
  owner: string;
  repo: string;
  /** Next free issue number when omitted. */
  number?: number;
  nodeId?: string;
  title?: string;
  body?: string;
  state?: PullRequestState;
  isDraft?: boolean;
  author?: Actor | null;
  headRefName?: string;
  /** Head commit; defaults to the last of `commits`, or a generated SHA. */
  headSha?: string;
  baseRefName?: string;
  isCrossRepository?: boolean;
  mergeable?: Mergeable;
  /** Derived from draft, mergeability and checks when omitted (as GitHub computes it). */
  mergeStateStatus?: MergeStateStatus;
  labels?: string[];
  /** ISO times; now when omitted (`mergedAt` and `closedAt` only for a merged or closed one). */
  createdAt?: string;
  updatedAt?: string;
  closedAt?: string;
  mergedAt?: string;
  /** The merge commit of a MERGED pull request; generated when omitted. */
  mergeCommitSha?: string;
  /** `base.sha`: the base commit last compared against; the base branch's tip when omitted. */
  baseSha?: string;
  /** Oldest first; the last one is the head. */
  commits?: CommitSeed[];
  files?: FileSeed[];
}

export type CheckRunStatus =
  'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type CheckRunConclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required'
  | 'stale'
  | 'startup_failure';

export interface CheckRunSeed {
  name: string;
  status: CheckRunStatus;
  conclusion?: CheckRunConclusion;
  detailsUrl?: string;
  /** The GitHub App whose check suite holds the run; GitHub Actions (15368) when omitted. */
  app?: AppSeed;
}

export interface AppSeed {
  id: number;
  slug: string;
}

/** GitHub Actions' App, which owns the check runs of workflow jobs. */
export const GITHUB_ACTIONS_APP: AppSeed = { id: 15368, slug: 'github-actions' };

/** A required context, optionally bound to the one App whose check satisfies it. */
export type RequiredContextSeed = string | { context: string; appId: number | null };

export type StatusSeedState = 'pending' | 'success' | 'failure' | 'error';

export interface StatusSeed {
  context: string;
  state: StatusSeedState;
  targetUrl?: string;
  description?: string;
}

export interface RequiredChecksSeed {
  /** Classic branch protection contexts (`required_status_checks.checks[].app_id`). */
  classic?: RequiredContextSeed[];
  /** Contexts of a repository ruleset's required_status_checks rule (`integration_id`). */
  rulesets?: RequiredContextSeed[];
}

export type PermissionLevel = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';
export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface RepoSeed {
  owner: string;
  repo: string;
  defaultBranch?: string;
  /** Repository setting "Allow auto-merge"; enablePullRequestAutoMerge fails without it. */
  allowAutoMerge?: boolean;
  /**
   * Whether the App is installed here (true unless told): GET /repos/:o/:r/installation answers
   * 404 otherwise, as it does for a repository the fake does not hold.
   */
  installed?: boolean;
}

/** What a `beforeRequest` hook sees; GraphQL requests arrive as path `/graphql`. */
export interface IncomingRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface GraphQLCall {
  operationName: string | null;
  variables: Record<string, unknown>;
  document: string;
}

export interface RecordedRequest {
  method: string;
  /** Without the `/api/v3` prefix GitHub Enterprise clients add. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  graphql?: GraphQLCall;
}

export interface UnexpectedRequest {
  method: string;
  path: string;
  reason: string;
  graphql?: Pick<GraphQLCall, 'operationName' | 'variables'>;
}

export interface MergeRecord {
  owner: string;
  repo: string;
  number: number;
  /** The head SHA the request pinned (`sha` parameter), null when it pinned none. */
  sha: string | null;
  /** The head that was merged. */
  headSha: string;
  mergeCommitSha: string;
  merge_method: MergeMethod;
  commit_title: string | null;
  commit_message: string | null;
}

export interface AutoMergeArm {
  owner: string;
  repo: string;
  number: number;
  pullRequestId: string;
  expectedHeadOid: string | null;
  mergeMethod: 'MERGE' | 'SQUASH' | 'REBASE';
  commitHeadline: string | null;
}

/** A commit made through GraphQL createCommitOnBranch. */
export interface BranchCommit {
  owner: string;
  repo: string;
  branch: string;
  sha: string;
  expectedHeadOid: string;
  headline: string;
  body: string;
  /** Paths the commit added or replaced. */
  files: string[];
}

export interface CommentView {
  id: number;
  node_id: string;
  body: string;
  user: Actor;
  created_at: string;
  updated_at: string;
}

/** A review as the fake stored it; `state` is GitHub's name for the event it was posted with. */
export interface ReviewView {
  id: number;
  commit_id: string;
  body: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING';
  user: Actor;
  comments: ReviewCommentView[];
}

export interface ReviewCommentView {
  id: number;
  review_id: number;
  path: string;
  line: number;
  start_line: number | null;
  side: 'LEFT' | 'RIGHT';
  body: string;
  user: Actor;
  /** Whether the thread the comment opened is resolved. */
  resolved: boolean;
  /** Reactions to the comment, oldest first. */
  reactions: ReactionView[];
}

/** An inline review comment someone else posted (a person, another bot), as its own review. */
export interface ReviewCommentSeed {
  path: string;
  line: number;
  body: string;
  side?: 'LEFT' | 'RIGHT';
  /** octocat when omitted. */
  user?: Actor;
}

/** Requests GitHub answers with a server error, every time (so retries do not help). */
export interface Outage {
  method: string;
  pathPattern: RegExp;
  status: 500 | 502 | 503 | 504;
}

/**
 * GitHub answering in another shape than the fake's (GraphQL: method POST, path /graphql): the
 * successful answer's JSON body goes through `reshape` (it gets a copy) before it is sent. For
 * tests of what the client makes of drift, and of answers GitHub may legally give that the fake's
 * seeds do not produce (a null author, extra fields).
 */
export interface AnswerDrift {
  method: string;
  pathPattern: RegExp;
  reshape(body: unknown): unknown;
}

export type PermissionDenial =
  | { method: string; pathPattern: RegExp; permission: string }
  | { mutation: string; permission: string };

export interface ReactionView {
  content: string;
  user: Actor;
}

/** A dispatch the fake accepted: a workflow_dispatch or a repository_dispatch. */
export type DispatchView =
  | { kind: 'workflow'; workflow: string; ref: string; inputs: Record<string, string> }
  | { kind: 'repository'; eventType: string; clientPayload: Record<string, unknown> };

/**
 * GitHub doing a write and still answering 5xx: the route runs (the comment exists), then the
 * answer is replaced. `times` matching requests are hit (1 unless given).
 */
export interface WriteFault {
  method: string;
  pathPattern: RegExp;
  status?: number;
  times?: number;
}
