/**
 * The one narrow door between Steward's core and GitHub, and every type it names: plain data that
 * the edges read from GitHub and the core decides on. Nothing here knows about Octokit; the shapes
 * are Steward's own, checked and normalised from REST and GraphQL answers by the files beside it
 * (createGitHubClient in octokit-client.ts composes them).
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
  /**
   * The 👍 and 👎 of GitHub's `reactions` rollup: by anyone at all, so a decision that an outsider
   * must not sway lists who reacted (listReviewCommentReactions). 0 when GitHub leaves it out.
   */
  thumbsUp: number;
  thumbsDown: number;
}

/** One reaction to a review comment, with who gave it. */
export interface ReactionFacts {
  content: Reaction;
  /** The REST login; null for a deleted account. */
  login: string | null;
  userType: string | null;
}

/** A review thread of a pull request, named by the REST id of the comment that opened it. */
export interface ReviewThreadFacts {
  /** The GraphQL node id resolveReviewThread takes. */
  id: string;
  isResolved: boolean;
  /** The REST id of the thread's first comment; null when GitHub did not say. */
  firstCommentId: number | null;
}

/** How many of the repository's newest review comments listRepositoryReviewComments reads. */
export const REPOSITORY_REVIEW_COMMENTS_LIMIT = 1000;

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

/** A file of any repository the token can read, at a ref (its default branch when absent). */
export interface RepositoryFile {
  owner: string;
  repo: string;
  path: string;
  ref?: string;
}

/** A file's raw text, read only up to a size limit. */
export type RepositoryFileRead =
  | { kind: 'text'; text: string }
  /** The file, or the repository holding it, does not exist or the token cannot see it (404). */
  | { kind: 'missing' }
  /** Over the limit, found without reading it all; `bytes` null when the size is unknown. */
  | { kind: 'too-large'; bytes: number | null };

/** A person's standing on a repository, from the collaborator permission endpoint. */
export interface CollaboratorPermission {
  login: string;
  /** GitHub's `user.permissions` booleans: the highest grant across repo, team, org, enterprise. */
  flags: { admin: boolean; maintain: boolean; push: boolean; triage: boolean; pull: boolean };
  /** The role's name (`write`, `triage`, or a custom role), for messages only. */
  roleName: string;
}

/** A branch's tip commit, with what tells a commit Steward made apart from anyone else's. */
export interface BranchTip {
  sha: string;
  /** Parent SHAs, oldest first. */
  parents: string[];
  message: string;
  /** Authored by the account the client's token acts as (a commit made through the API is). */
  ours: boolean;
  /** GitHub's verification of the commit's signature. */
  verified: boolean;
}

/** A file a commit adds or replaces, as text. */
export interface CommitFile {
  path: string;
  text: string;
}

/**
 * How a commit through createCommitOnBranch went. GitHub refuses one whose branch no longer points
 * at `expectedHeadSha` (STALE_DATA): that answer is data, the head moved, never a retry.
 */
export type CommitOnBranchOutcome =
  { kind: 'committed'; sha: string; url: string } | { kind: 'head-moved'; message: string };

/** A pull request found by its head branch. */
export interface HeadPullRequestFacts {
  number: number;
  /** Closed covers merged too. */
  state: 'open' | 'closed';
  url: string;
  title: string;
  body: string;
  headSha: string;
  baseRefName: string;
  /** Opened by the account the client's token acts as: only these can carry Steward's markers. */
  ours: boolean;
}

/** A pull request of this repository as the pull request list gives it. */
export interface ListedPullRequest {
  number: number;
  /** Closed covers merged too. */
  state: 'open' | 'closed';
  merged: boolean;
  url: string;
  title: string;
  body: string;
  headRefName: string;
  baseRefName: string;
  headSha: string;
  labels: string[];
  /** The head branch is in a fork. */
  isCrossRepository: boolean;
  /** Opened by the account the client's token acts as: only these can carry Steward's markers. */
  ours: boolean;
}

/** How opening a pull request went; GitHub's 422 for one already open from the branch is data. */
export type CreatePullRequestOutcome =
  { kind: 'created'; number: number; url: string } | { kind: 'exists'; message: string };

/** An issue (never a pull request) of this repository. */
export interface IssueFacts {
  number: number;
  url: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  /** Opened by the account the client's token acts as: only these can carry Steward's markers. */
  ours: boolean;
  /** ISO 8601 times as GitHub gives them. */
  createdAt: string;
  closedAt: string | null;
  /** Logins of the assignees now. */
  assignees: string[];
}

/** A comment of an issue, with who wrote it and when (acknowledgement is a person's first one). */
export interface IssueCommentFacts {
  id: number;
  body: string;
  /** The REST login; null for a deleted account. */
  login: string | null;
  /** "Bot" or "User"; null when GitHub did not say. */
  userType: string | null;
  /** Written by the account the client's token acts as. */
  ours: boolean;
  createdAt: string;
}

/** One event of an issue's history (REST issue events): `assigned`, `closed`, `reopened`, … */
export interface IssueEventFacts {
  event: string;
  /** Who acted; null for a deleted account. */
  login: string | null;
  userType: string | null;
  createdAt: string;
}

/** A deployment (REST Deployments API), newest first where listed. */
export interface DeploymentFacts {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  description: string | null;
  creator: string | null;
  createdAt: string;
  /** The deployment's API URL (GitHub gives deployments no web page of their own). */
  url: string;
}

/** A pull request merged into a branch, as an incident's suspicious change. */
export interface MergedPullRequest {
  number: number;
  url: string;
  title: string;
  author: string | null;
  mergedAt: string;
  mergeCommitSha: string | null;
  baseRefName: string;
  /** The base commit the pull request was last compared against (REST `base.sha`). */
  baseSha: string;
}

export const REACTIONS = [
  '+1',
  '-1',
  'laugh',
  'confused',
  'heart',
  'hooray',
  'rocket',
  'eyes',
] as const;
export type Reaction = (typeof REACTIONS)[number];

/**
 * The one narrow door between Steward's core and GitHub. Built from @actions/github's Octokit in an
 * action and from Probot's context.octokit in the app (see createGitHubClient). Every write is
 * idempotent: comments are upserted by a hidden marker and merges are pinned to a head SHA.
 */
export interface GitHubClient {
  readonly repo: RepoRef;

  /** A file's text at a ref, or null when the file does not exist there. */
  getFileText(path: string, ref: string): Promise<string | null>;
  /** Several files' text at one commit in a single request; missing files map to null. */
  getFileTexts(paths: readonly string[], ref: string): Promise<Map<string, string | null>>;
  /**
   * A file of this or any other repository the token can read (a config's `_extends`, the
   * organisation's `.github`), its body read only up to `maxBytes`. A directory at the path is
   * `missing`; failures other than 404 throw, a missing permission named.
   */
  readRepositoryFile(file: RepositoryFile, maxBytes: number): Promise<RepositoryFileRead>;

  /** Pull request, labels, head commit checks and the base branch's required checks. */
  getPullRequestSnapshot(number: number): Promise<PullRequestSnapshot>;
  /** Every commit of a pull request (GitHub lists at most 250). */
  listPullRequestCommits(number: number): Promise<CommitFacts[]>;
  /** Every changed file with its patch (GitHub lists at most 3,000). */
  listPullRequestFiles(number: number): Promise<PullRequestFile[]>;
  /**
   * What changed from `base` to `head` (GitHub's three-dot `base...head`: the diff from their merge
   * base), to review only the commits pushed since the last reviewed one. GitHub lists at most 300
   * files of a comparison, all on its first page, and pages only through commits: at 300 files the
   * answer says `filesTruncated`. Null when GitHub answers 404, as it does for a SHA it no longer
   * has (force-pushed away) or two commits without a common ancestor: then review everything.
   */
  compareCommits(base: string, head: string): Promise<CommitComparison | null>;
  /** Open pull requests whose head commit is this SHA. */
  findOpenPullRequestsForSha(sha: string): Promise<number[]>;
  /** The check runs and commit statuses of a commit, folded together (its status check rollup). */
  getCommitChecks(sha: string): Promise<CheckFacts[]>;
  /** Checks a branch requires through classic protection and rulesets (rulesets with their App). */
  getRequiredChecks(branch: string): Promise<RequiredCheck[]>;
  /**
   * Classic branch protection's required checks with the App each is bound to (REST
   * `required_status_checks.checks[].app_id`); null when the token may not read the protection.
   */
  getBranchProtectionChecks(branch: string): Promise<RequiredCheck[] | null>;

  /**
   * The first comment of an issue or pull request written by the token's own account (learnt once
   * from GraphQL `viewer`) that opens with this hidden marker on its first line, found the same way
   * upsertComment finds the comment to rewrite; null when there is none.
   */
  findMarkedComment(issueNumber: number, marker: string): Promise<MarkedComment | null>;
  /** Create, update or leave alone the one comment of ours opening with this hidden marker. */
  upsertComment(issueNumber: number, marker: string, body: string): Promise<UpsertOutcome>;
  addLabels(issueNumber: number, labels: readonly string[]): Promise<void>;
  removeLabel(issueNumber: number, label: string): Promise<void>;

  /** Every inline review comment of a pull request, across pages; `ours` marks our own account's. */
  listReviewComments(number: number): Promise<ReviewCommentFacts[]>;
  /**
   * The newest review comments of the whole repository, across pull requests (REST
   * `GET /pulls/comments`, sorted by creation, newest first), at most
   * REPOSITORY_REVIEW_COMMENTS_LIMIT (10 pages of 100): feedback given on other pull requests.
   */
  listRepositoryReviewComments(): Promise<ReviewCommentFacts[]>;
  /** Who reacted to a review comment, and how (every page). */
  listReviewCommentReactions(commentId: number): Promise<ReactionFacts[]>;
  /**
   * Rewrite one review comment of our own account; `unchanged` when it already reads `body`.
   * @throws Error when the comment is anyone else's: Steward edits only what it wrote.
   * @throws MissingPermissionError when the token may not write pull requests.
   */
  updateReviewComment(commentId: number, body: string): Promise<'updated' | 'unchanged'>;
  /** Every review thread of a pull request (GraphQL `reviewThreads`, every page). */
  listReviewThreads(number: number): Promise<ReviewThreadFacts[]>;
  /**
   * Resolve or unresolve a review thread (GraphQL resolveReviewThread / unresolveReviewThread).
   * @throws MissingPermissionError when the token may not write pull requests.
   */
  setReviewThreadResolved(threadId: string, resolved: boolean): Promise<void>;
  /**
   * Post one review with these inline comments. Its event is always COMMENT: Steward never approves
   * and never requests changes, so no caller can ask for either. A 422 (a comment off the diff, a
   * range across hunks) comes back as `rejected` with GitHub's message; other failures throw.
   */
  createReview(input: {
    number: number;
    /** The head the comments' lines refer to; a moved head makes GitHub reject or misplace them. */
    commitId: string;
    body: string;
    comments: readonly ReviewCommentDraft[];
  }): Promise<CreateReviewOutcome>;

  /** Merge only if the head is still `sha`; a moved head is reported, not retried. */
  mergePullRequest(input: {
    number: number;
    sha: string;
    method: MergeMethod;
    commitTitle?: string;
  }): Promise<MergeOutcome>;
  /** Arm GitHub's native auto-merge, pinned to the evaluated head. */
  enableAutoMerge(input: {
    pullRequestId: string;
    expectedHeadSha: string;
    method: MergeMethod;
  }): Promise<MergeOutcome>;
  /** Disarm native auto-merge, when a new head no longer deserves it. */
  disableAutoMerge(pullRequestId: string): Promise<void>;

  /** A person's permission on the repository; no grant at all (404) comes back as `none`. */
  getCollaboratorPermission(username: string): Promise<CollaboratorPermission>;
  /** React to an issue or pull-request comment; reacting twice leaves one reaction. */
  addReaction(commentId: number, content: Reaction): Promise<void>;
  /**
   * Start a workflow that has an `on: workflow_dispatch` trigger, at `ref`, with string inputs.
   * @throws DispatchError naming the workflow file to add when GitHub has none, or the inputs.
   */
  dispatchWorkflow(input: {
    workflow: string;
    ref: string;
    inputs: Readonly<Record<string, string>>;
  }): Promise<void>;
  /** Send a repository_dispatch event; workflows on the default branch with that type run. */
  dispatchRepositoryEvent(input: {
    eventType: string;
    clientPayload: Readonly<Record<string, unknown>>;
  }): Promise<void>;

  /** The tip commit of a branch of this repository; null when there is no such branch. */
  getBranchTip(branch: string): Promise<BranchTip | null>;
  /**
   * Create a branch at `sha` (REST `POST /git/refs`). GitHub's 422 "Reference already exists" is
   * `exists`, so a rerun finds its branch rather than failing.
   * @throws MissingPermissionError when the token may not write contents.
   */
  createBranch(branch: string, sha: string): Promise<'created' | 'exists'>;
  /**
   * Point a branch at `sha`, whatever it held (a forced update): only for Steward's own branches.
   * @throws MissingPermissionError when the token may not write contents.
   */
  resetBranch(branch: string, sha: string): Promise<void>;
  /**
   * One commit on a branch through GraphQL createCommitOnBranch, which GitHub signs, pinned to the
   * branch's current head: a branch that moved comes back as `head-moved`.
   * @throws MissingPermissionError when the token may not write contents.
   */
  createCommitOnBranch(input: {
    branch: string;
    expectedHeadSha: string;
    headline: string;
    body: string;
    files: readonly CommitFile[];
  }): Promise<CommitOnBranchOutcome>;
  /** Pull requests of this repository, open and closed, whose head is `branch` of this repository, newest first. */
  findPullRequestsByHead(branch: string): Promise<HeadPullRequestFacts[]>;
  /**
   * Open a pull request from `head` into `base`, both branches of this repository. GitHub's 422
   * for a pull request already open from `head` comes back as `exists`.
   * @throws MissingPermissionError when the token may not write pull requests.
   */
  createPullRequest(input: {
    head: string;
    base: string;
    title: string;
    body: string;
  }): Promise<CreatePullRequestOutcome>;
  /**
   * Rewrite the title and body of a pull request our account opened.
   * @throws MissingPermissionError when the token may not write pull requests.
   */
  updatePullRequest(input: { number: number; title: string; body: string }): Promise<void>;
  /**
   * The repository's pull requests in `state`, newest first, `maxPages` pages of 100 at most
   * (default 10): what remembering Steward's own pull requests reads.
   */
  listPullRequests(
    state: 'open' | 'closed',
    options?: { maxPages?: number },
  ): Promise<ListedPullRequest[]>;
  /**
   * Close a pull request (unmerged); closing one already closed changes nothing.
   * @throws MissingPermissionError when the token may not write pull requests.
   */
  closePullRequest(number: number): Promise<void>;
  /**
   * Delete one of Steward's branches (`steward/…`); `missing` when it is already gone.
   * @throws Error for any other branch: Steward deletes only what it made.
   * @throws MissingPermissionError when the token may not write contents.
   */
  deleteBranch(branch: string): Promise<'deleted' | 'missing'>;

  /**
   * Open an issue; labels that do not exist yet are created by GitHub.
   * @throws MissingPermissionError when the token may not write issues.
   */
  createIssue(input: {
    title: string;
    body: string;
    labels: readonly string[];
  }): Promise<{ number: number; url: string }>;
  /** An issue by number; null when there is none, it was deleted or transferred, or it is a pull request. */
  getIssue(number: number): Promise<IssueFacts | null>;
  /**
   * Change an issue our account opened: title, body, open or closed (with GitHub's state reason).
   * @throws MissingPermissionError when the token may not write issues.
   */
  updateIssue(input: {
    number: number;
    title?: string;
    body?: string;
    state?: 'open' | 'closed';
    stateReason?: 'completed' | 'not_planned' | 'reopened';
  }): Promise<void>;
  /**
   * Issues (never pull requests) our account opened that carry `label`, open and closed, newest
   * first, at most `maxPages` pages of 100 (default 10); with `since`, only those updated since.
   */
  listOurIssues(
    label: string,
    options?: { since?: string; maxPages?: number },
  ): Promise<IssueFacts[]>;
  /** Every comment of an issue, oldest first. */
  listIssueComments(number: number): Promise<IssueCommentFacts[]>;
  /**
   * Post a comment (no marker lookup: the caller has just listed the comments).
   * @throws MissingPermissionError when the token may not write issues.
   */
  createIssueComment(number: number, body: string): Promise<{ id: number }>;
  /** Every event of an issue's history, oldest first. */
  listIssueEvents(number: number): Promise<IssueEventFacts[]>;
  /** Deployments created at or after `since` (ISO 8601), newest first, at most `maxPages` of 100. */
  listDeployments(options: { since: string; maxPages?: number }): Promise<DeploymentFacts[]>;
  /**
   * Pull requests merged into `base` between `since` and `until` (ISO 8601), newest first, read
   * from the closed pull requests by last update, at most `maxPages` pages of 100 (default 5).
   */
  listMergedPullRequests(options: {
    base: string;
    since: string;
    until: string;
    maxPages?: number;
  }): Promise<MergedPullRequest[]>;
  /** How many commits on `ref` touched `path` since `since`, counted up to `cap` (one page). */
  countCommitsTouching(input: {
    path: string;
    ref: string;
    since: string;
    cap: number;
  }): Promise<number>;
}
