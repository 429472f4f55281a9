import type {
  CheckFacts,
  CommitComparison,
  CommitFacts,
  MergeMethod,
  MarkedComment,
  MergeOutcome,
  PullRequestFile,
  PullRequestSnapshot,
  RepoRef,
  RequiredCheck,
  ReviewCommentDraft,
  ReviewCommentFacts,
  CreateReviewOutcome,
  UpsertOutcome,
} from './types.ts';
import type { CollaboratorPermission, Reaction } from './collaboration.ts';

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
}
