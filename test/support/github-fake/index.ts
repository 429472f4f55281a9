import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addCheckRun, addStatus, mergeStateStatus } from './checks.ts';
import { isoNow, nodeId } from './ids.ts';
import type { FieldFault } from './graphql-support.ts';
import { addReviewCommentReaction, hunkOf, reviewCommentReactions } from './rest-reviews.ts';
import { createRequestListener } from './server.ts';
import { GitHubState, headSha } from './state.ts';
import type { IssueRecord, PullRecord, RepoRecord, ReviewCommentRecord } from './state.ts';
import type {
  Actor,
  AnswerDrift,
  AutoMergeArm,
  BranchCommit,
  CheckRunSeed,
  CommentView,
  CommitSeed,
  ComparisonSeed,
  DeploymentSeed,
  DispatchView,
  FileSeed,
  HistoryCommitSeed,
  IssueSeed,
  IssueView,
  IncomingRequest,
  Mergeable,
  Outage,
  MergeRecord,
  MergeStateStatus,
  PermissionDenial,
  PermissionLevel,
  PullRequestSeed,
  PullRequestState,
  ReactionView,
  RecordedRequest,
  ReviewCommentSeed,
  RepoSeed,
  RequiredChecksSeed,
  ReviewCommentView,
  ReviewView,
  StatusSeed,
  UnexpectedRequest,
  WriteFault,
} from './types.ts';

export type * from './types.ts';

export interface GitHubFakeOptions {
  /** Token clients must send as `token X` or `Bearer X`; also what installation tokens return. */
  token?: string;
  /** Account that writes comments, labels, merges and auto-merge arms. */
  botLogin?: string;
  installationId?: number;
  /**
   * Further installations the fake mints tokens for (the same token), so one fake can stand for
   * several installations of an app, each throttled on its own.
   */
  moreInstallationIds?: readonly number[];
}

/** Live view of a seeded pull request, with the few changes tests make after seeding. */
export interface PullRequestHandle {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly nodeId: string;
  readonly headSha: string;
  readonly state: PullRequestState;
  readonly labels: readonly string[];
  readonly mergeStateStatus: MergeStateStatus;
  readonly autoMerge: { mergeMethod: 'MERGE' | 'SQUASH' | 'REBASE' } | null;
  /** Moves the head; returns the new head SHA. */
  pushCommit(commit?: CommitSeed): string;
  update(patch: PullRequestPatch): void;
}

export interface PullRequestPatch {
  title?: string;
  body?: string;
  state?: PullRequestState;
  isDraft?: boolean;
  mergeable?: Mergeable;
  /** null goes back to deriving it from draft, conflicts and checks. */
  mergeStateStatus?: MergeStateStatus | null;
  labels?: string[];
  files?: FileSeed[];
}

/** A commit as the fake holds it. */
export interface CommitView {
  sha: string;
  message: string;
  author: Actor | null;
  parents: string[];
  verification: { verified: boolean; reason: string };
}

/** A pull request as the fake holds it. */
export interface PullRequestView {
  number: number;
  title: string;
  body: string;
  state: PullRequestState;
  author: Actor | null;
  headRefName: string;
  baseRefName: string;
  headSha: string;
}

export interface GitHubFake {
  /** REST base (GITHUB_API_URL, Octokit baseUrl). */
  readonly url: string;
  /** GITHUB_GRAPHQL_URL. */
  readonly graphqlUrl: string;
  /** `127.0.0.1:PORT` for Probot's GHE_HOST (with GHE_PROTOCOL=http); served under /api/v3. */
  readonly host: string;
  readonly token: string;
  readonly botLogin: string;

  addRepo(seed: RepoSeed): void;
  setRequiredChecks(owner: string, repo: string, branch: string, checks: RequiredChecksSeed): void;
  addPullRequest(seed: PullRequestSeed): PullRequestHandle;
  /**
   * A real issue (not a pull request), numbered in the repository's one sequence shared with pull
   * requests; by octocat unless `author` says (the token's bot is `{ login: fake.botLogin, type: 'Bot' }`).
   */
  addIssue(owner: string, repo: string, seed?: IssueSeed): IssueView;
  /** An issue as the fake holds it now (those the client opened too); throws when there is none. */
  issue(owner: string, repo: string, number: number): IssueView;
  /** Every issue of a repository (never pull requests), by number. */
  issues(owner: string, repo: string): IssueView[];
  /** A person assigns `login` to an issue at `at` (now when omitted): recorded as an `assigned` event. */
  assignIssue(owner: string, repo: string, number: number, login: string, at?: string): void;
  /** A deployment (GET /repos/:o/:r/deployments lists them newest first). */
  addDeployment(owner: string, repo: string, seed?: DeploymentSeed): { id: number; sha: string };
  /**
   * A commit on a branch's history with the paths it touched, for GET /repos/:o/:r/commits and its
   * `sha`, `path` and `since` filters. The branch's tip does not move.
   */
  addCommit(owner: string, repo: string, seed: HistoryCommitSeed): string;
  /** Files at a commit SHA or on a branch (e.g. `.github/steward.yml` on `main`); merges per ref. */
  setFileContents(owner: string, repo: string, ref: string, files: Record<string, string>): void;
  /**
   * What GitHub answers for `base...head` (SHAs or branches, resolved now). The fake has no commit
   * graph, so a comparison of two different commits must be seeded; an unseeded pair of known
   * commits is an unexpected request, and a full SHA the fake never saw is GitHub's plain 404.
   */
  setComparison(
    owner: string,
    repo: string,
    base: string,
    head: string,
    comparison: ComparisonSeed,
  ): void;
  addCheckRun(owner: string, repo: string, sha: string, run: CheckRunSeed): void;
  addStatus(owner: string, repo: string, sha: string, status: StatusSeed): void;
  pushCommit(owner: string, repo: string, prNumber: number, commit?: CommitSeed): string;
  /** A comment on a pull request or an issue, by octocat unless `user` says. */
  addComment(
    owner: string,
    repo: string,
    issueNumber: number,
    body: string,
    user?: Actor,
  ): CommentView;
  /**
   * An inline review comment by someone else (octocat unless `user` says), posted as a COMMENT
   * review of its own on the head commit; its line must be in the diff, as GitHub requires.
   */
  addReviewComment(
    owner: string,
    repo: string,
    number: number,
    comment: ReviewCommentSeed,
  ): ReviewCommentView;
  /** A reaction to a review comment by anyone (the token's bot reacts through the REST route). */
  addReviewCommentReaction(
    owner: string,
    repo: string,
    commentId: number,
    content: '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes',
    user: Actor,
  ): void;
  setPermission(owner: string, repo: string, username: string, level: PermissionLevel): void;
  denyPermission(denial: PermissionDenial): void;
  /** Does the next matching write, then answers 5xx as GitHub sometimes does (see WriteFault). */
  failAfterWriting(fault: WriteFault): void;
  /** Answer matching requests with a 5xx from now on (GraphQL: method POST, path /graphql). */
  failRequests(outage: Outage): void;
  /**
   * Make a GraphQL field (`Type.field`, e.g. `Ref.rules`) fail with GitHub's error `type`
   * (FORBIDDEN, TIMEOUT): the answer carries null there and an error, a partial answer.
   */
  failGraphQLField(coordinate: string, type: string, message: string): void;
  /** Reshape matching successful answers from now on, as GitHub drifting would (see AnswerDrift). */
  driftAnswers(drift: AnswerDrift): void;
  /**
   * A workflow file under .github/workflows; `dispatchInputs` lists the inputs its
   * `workflow_dispatch` trigger declares (null: no such trigger, so dispatching it fails with 422).
   */
  addWorkflow(owner: string, repo: string, file: string, dispatchInputs?: string[] | null): void;
  /**
   * Runs before every authenticated request (REST and GraphQL) is routed; may be async, so a hook
   * that awaits a timer delays the answer (setLatency is that hook).
   */
  beforeRequest(hook: (req: IncomingRequest) => void | Promise<void>): void;
  /**
   * Delay every authenticated request (REST and GraphQL) by `ms` before it is routed, from now
   * on, as a GitHub far away would (0 turns it off). For benches; tests never depend on timing.
   */
  setLatency(ms: number): void;

  readonly requests: readonly RecordedRequest[];
  readonly merges: readonly MergeRecord[];
  readonly autoMergeArms: readonly AutoMergeArm[];
  /** Commits made through createCommitOnBranch, oldest first. */
  readonly branchCommits: readonly BranchCommit[];
  /** The head SHA of a branch; undefined when there is none. */
  branch(owner: string, repo: string, branch: string): string | undefined;
  /** A file's text at a ref (branch or SHA) as the fake holds it; null when absent. */
  fileAt(owner: string, repo: string, ref: string, path: string): string | null;
  /** A commit's message, author, parents and verification. */
  commit(owner: string, repo: string, sha: string): CommitView | undefined;
  /** Every pull request of a repository, oldest first (those the client opened too). */
  pullRequests(owner: string, repo: string): PullRequestView[];
  readonly unexpected: readonly UnexpectedRequest[];
  comments(owner: string, repo: string, issueNumber: number): CommentView[];
  labels(owner: string, repo: string, issueNumber: number): string[];
  /** Reactions to one issue comment, oldest first. */
  reactions(owner: string, repo: string, commentId: number): ReactionView[];
  /** Workflow and repository dispatches received, oldest first. */
  dispatches(owner: string, repo: string): DispatchView[];
  /** Reviews of a pull request, oldest first, each with its inline comments. */
  reviews(owner: string, repo: string, number: number): ReviewView[];
  /** Every inline review comment of a pull request, oldest first. */
  reviewComments(owner: string, repo: string, number: number): ReviewCommentView[];
  pullRequest(owner: string, repo: string, number: number): PullRequestHandle;
  /** Throws, listing every request the fake was not set up for. */
  assertNoUnexpected(): void;
  close(): Promise<void>;
}

export async function startGitHubFake(options: GitHubFakeOptions = {}): Promise<GitHubFake> {
  const state = new GitHubState();
  const token = options.token ?? 'ghs_fakeInstallationToken';
  const actor: Actor = { login: options.botLogin ?? 'github-actions[bot]', type: 'Bot' };
  const hooks: ((req: IncomingRequest) => void | Promise<void>)[] = [];
  const denials: PermissionDenial[] = [];
  const faults: WriteFault[] = [];
  const outages: Outage[] = [];
  const fieldFaults: FieldFault[] = [];
  const drifts: AnswerDrift[] = [];
  const requests: RecordedRequest[] = [];
  const unexpected: UnexpectedRequest[] = [];
  let origin = '';
  let latency = 0;
  hooks.push(async () => {
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
  });

  const server = createServer(
    createRequestListener({
      state,
      token,
      actor,
      installationId: options.installationId ?? 1,
      moreInstallationIds: options.moreInstallationIds ?? [],
      origin: () => origin,
      hooks,
      denials,
      faults,
      outages,
      fieldFaults,
      drifts,
      requests,
      unexpected,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  const seededPull = (owner: string, repo: string, number: number) => {
    const record = state.seededRepo(owner, repo);
    const pr = record.pulls.get(number);
    if (!pr)
      throw new Error(
        `GitHub fake: no pull request ${owner}/${repo}#${number}; call fake.addPullRequest first`,
      );
    return { record, pr };
  };

  const seededIssue = (owner: string, repo: string, number: number) => {
    const issue = state.seededRepo(owner, repo).issues.get(number);
    if (!issue)
      throw new Error(`GitHub fake: no issue ${owner}/${repo}#${number}; call fake.addIssue first`);
    return issue;
  };

  return {
    url: origin,
    graphqlUrl: `${origin}/graphql`,
    host: `127.0.0.1:${port}`,
    token,
    botLogin: actor.login,
    addRepo: (seed) => void state.addRepo(seed),
    setRequiredChecks: (owner, repo, branch, checks) => {
      const record = state.seededRepo(owner, repo);
      const bound = (list: RequiredChecksSeed['classic']) =>
        list?.map((c) => (typeof c === 'string' ? { context: c, appId: null } : { ...c }));
      record.required.set(branch, {
        classic: bound(checks.classic),
        rulesets: bound(checks.rulesets),
      });
      if (!record.branches.has(branch))
        record.branches.set(branch, state.ensureCommit(record, {}).sha);
    },
    addPullRequest: (seed) => {
      const pr = state.addPullRequest(seed);
      return handle(state, state.seededRepo(seed.owner, seed.repo), pr);
    },
    addIssue: (owner, repo, seed = {}) =>
      issueView(state.addIssue(state.seededRepo(owner, repo), seed)),
    issue: (owner, repo, number) => issueView(seededIssue(owner, repo, number)),
    issues: (owner, repo) =>
      [...state.seededRepo(owner, repo).issues.values()]
        .sort((a, b) => a.number - b.number)
        .map(issueView),
    assignIssue: (owner, repo, number, login, at) => {
      const issue = seededIssue(owner, repo, number);
      const when = at ?? isoNow();
      const assignee: Actor = { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
      if (!issue.assignees.some((a) => a.login.toLowerCase() === login.toLowerCase()))
        issue.assignees.push(assignee);
      state.issueEvent(issue, 'assigned', assignee, when, { assignee });
      issue.events.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
      if (Date.parse(when) > Date.parse(issue.updatedAt)) issue.updatedAt = when;
    },
    addDeployment: (owner, repo, seed = {}) => {
      const d = state.addDeployment(state.seededRepo(owner, repo), seed);
      return { id: d.id, sha: d.sha };
    },
    addCommit: (owner, repo, seed) =>
      state.addHistoryCommit(state.seededRepo(owner, repo), seed).sha,
    setFileContents: (owner, repo, ref, files) =>
      state.setFileContents(state.seededRepo(owner, repo), ref, files),
    setComparison: (owner, repo, base, head, comparison) =>
      state.setComparison(state.seededRepo(owner, repo), base, head, comparison),
    addCheckRun: (owner, repo, sha, run) =>
      void addCheckRun(state, state.seededRepo(owner, repo), sha, run),
    addStatus: (owner, repo, sha, status) =>
      void addStatus(state, state.seededRepo(owner, repo), sha, status),
    pushCommit: (owner, repo, number, commit = {}) => {
      const { record, pr } = seededPull(owner, repo, number);
      return state.pushCommit(record, pr, commit).sha;
    },
    addComment: (owner, repo, number, body, user = { login: 'octocat', type: 'User' }) => {
      const record = state.seededRepo(owner, repo);
      const issue = record.issues.get(number);
      if (issue) {
        const comment = state.addComment(record, number, body, user);
        issue.updatedAt = comment.createdAt;
        return commentView(comment);
      }
      const { pr } = seededPull(owner, repo, number);
      return commentView(state.addComment(record, pr.number, body, user));
    },
    addReviewComment: (owner, repo, number, seed) => {
      const { record, pr } = seededPull(owner, repo, number);
      const side = seed.side ?? 'RIGHT';
      const hunk = hunkOf(pr, { path: seed.path, line: seed.line, startLine: null, side });
      if (hunk === undefined) {
        throw new Error(
          `GitHub fake: ${seed.path}:${seed.line} (${side}) is not in the diff of ${owner}/${repo}#${number}`,
        );
      }
      const user = seed.user ?? { login: 'octocat', type: 'User' };
      const now = isoNow();
      const reviewId = state.newId();
      const commitId = headSha(pr);
      record.reviews.push({
        id: reviewId,
        nodeId: nodeId('PRR', `${record.id}:${reviewId}`),
        pullNumber: pr.number,
        commitId,
        body: '',
        state: 'COMMENTED',
        user,
        submittedAt: now,
      });
      const id = state.newId();
      const comment: ReviewCommentRecord = {
        id,
        nodeId: nodeId('PRRC', `${record.id}:${id}`),
        reviewId,
        pullNumber: pr.number,
        commitId,
        path: seed.path,
        line: seed.line,
        startLine: null,
        side,
        body: seed.body,
        diffHunk: hunk,
        user,
        createdAt: now,
        updatedAt: now,
        threadResolved: false,
        resolvedBy: null,
      };
      record.reviewComments.push(comment);
      return reviewCommentView(record, comment);
    },
    addReviewCommentReaction: (owner, repo, commentId, content, user) => {
      const record = state.seededRepo(owner, repo);
      if (!record.reviewComments.some((c) => c.id === commentId))
        throw new Error(`GitHub fake: no review comment ${commentId} in ${owner}/${repo}`);
      const mine = reviewCommentReactions(record, commentId).some(
        (r) => r.content === content && r.user.login === user.login,
      );
      if (!mine) addReviewCommentReaction(state, record, commentId, content, user);
    },
    setPermission: (owner, repo, username, level) =>
      void state.seededRepo(owner, repo).permissions.set(username.toLowerCase(), level),
    denyPermission: (denial) => void denials.push(denial),
    failAfterWriting: (fault) => void faults.push({ ...fault }),
    failRequests: (outage) => void outages.push(outage),
    failGraphQLField: (coordinate, type, message) =>
      void fieldFaults.push({ coordinate, type, message }),
    driftAnswers: (drift) => void drifts.push(drift),
    addWorkflow: (owner, repo, file, dispatchInputs = []) => {
      const record = state.seededRepo(owner, repo);
      const id = state.newId();
      record.workflows.push({ id, file, dispatchInputs: dispatchInputs && [...dispatchInputs] });
    },
    beforeRequest: (hook) => void hooks.push(hook),
    setLatency: (ms) => {
      latency = Math.max(0, ms);
    },
    requests,
    merges: state.merges,
    autoMergeArms: state.autoMergeArms,
    branchCommits: state.branchCommits,
    branch: (owner, repo, branch) => state.seededRepo(owner, repo).branches.get(branch),
    fileAt: (owner, repo, ref, path) => {
      const record = state.seededRepo(owner, repo);
      const sha = state.resolveRef(record, ref);
      return sha === undefined ? null : (state.treeOf(record, sha).get(path) ?? null);
    },
    commit: (owner, repo, sha) => {
      const commit = state.seededRepo(owner, repo).commits.get(sha);
      return commit && structuredClone(commit);
    },
    pullRequests: (owner, repo) =>
      [...state.seededRepo(owner, repo).pulls.values()].map((pr) => ({
        number: pr.number,
        title: pr.title,
        body: pr.body,
        state: pr.state,
        author: pr.author,
        headRefName: pr.headRefName,
        baseRefName: pr.baseRefName,
        headSha: headSha(pr),
      })),
    unexpected,
    comments: (owner, repo, number) =>
      state
        .seededRepo(owner, repo)
        .comments.filter((c) => c.issueNumber === number)
        .map(commentView),
    labels: (owner, repo, number) => {
      const issue = state.seededRepo(owner, repo).issues.get(number);
      return [...(issue ?? seededPull(owner, repo, number).pr).labels];
    },
    reactions: (owner, repo, commentId) =>
      state
        .seededRepo(owner, repo)
        .reactions.filter((r) => r.subject === 'issue-comment' && r.commentId === commentId)
        .map((r) => ({ content: r.content, user: r.user })),
    dispatches: (owner, repo) => structuredClone(state.seededRepo(owner, repo).dispatches),
    reviews: (owner, repo, number) => {
      const { record, pr } = seededPull(owner, repo, number);
      const comments = record.reviewComments.filter((c) => c.pullNumber === pr.number);
      return record.reviews
        .filter((r) => r.pullNumber === pr.number)
        .map((r) => ({
          id: r.id,
          commit_id: r.commitId,
          body: r.body,
          state: r.state,
          user: r.user,
          comments: comments
            .filter((c) => c.reviewId === r.id)
            .map((c) => reviewCommentView(record, c)),
        }));
    },
    reviewComments: (owner, repo, number) => {
      const { record, pr } = seededPull(owner, repo, number);
      return record.reviewComments
        .filter((c) => c.pullNumber === pr.number)
        .map((c) => reviewCommentView(record, c));
    },
    pullRequest: (owner, repo, number) => {
      const { record, pr } = seededPull(owner, repo, number);
      return handle(state, record, pr);
    },
    assertNoUnexpected: () => {
      if (unexpected.length === 0) return;
      const lines = unexpected.map((u) => {
        const op = u.graphql ? ` (${u.graphql.operationName ?? 'anonymous operation'})` : '';
        return `  - ${u.method} ${u.path}${op}: ${u.reason}`;
      });
      throw new Error(
        `GitHub fake received ${unexpected.length} request(s) it was not set up for:\n${lines.join('\n')}`,
      );
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function commentView(c: {
  id: number;
  nodeId: string;
  body: string;
  user: Actor;
  createdAt: string;
  updatedAt: string;
}): CommentView {
  return {
    id: c.id,
    node_id: c.nodeId,
    body: c.body,
    user: c.user,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

function issueView(issue: IssueRecord): IssueView {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    stateReason: issue.stateReason,
    author: issue.author,
    labels: [...issue.labels],
    assignees: issue.assignees.map((a) => a.login),
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    closedAt: issue.closedAt,
    events: issue.events.map((e) => ({
      event: e.event,
      actor: e.actor?.login ?? null,
      createdAt: e.createdAt,
      ...(e.assignee ? { assignee: e.assignee.login } : {}),
    })),
  };
}

function reviewCommentView(repo: RepoRecord, c: ReviewCommentRecord): ReviewCommentView {
  return {
    id: c.id,
    review_id: c.reviewId,
    path: c.path,
    line: c.line,
    start_line: c.startLine,
    side: c.side,
    body: c.body,
    user: c.user,
    resolved: c.threadResolved,
    reactions: reviewCommentReactions(repo, c.id).map((r) => ({
      content: r.content,
      user: r.user,
    })),
  };
}

function handle(state: GitHubState, repo: RepoRecord, pr: PullRecord): PullRequestHandle {
  return {
    owner: repo.owner,
    repo: repo.repo,
    number: pr.number,
    nodeId: pr.nodeId,
    get headSha() {
      return headSha(pr);
    },
    get state() {
      return pr.state;
    },
    get labels() {
      return [...pr.labels];
    },
    get mergeStateStatus() {
      return mergeStateStatus(repo, pr);
    },
    get autoMerge() {
      return pr.autoMerge ? { mergeMethod: pr.autoMerge.mergeMethod } : null;
    },
    pushCommit: (commit = {}) => state.pushCommit(repo, pr, commit).sha,
    update: (patch) => {
      const { mergeStateStatus: status, files, labels, ...rest } = patch;
      Object.assign(pr, rest, { updatedAt: isoNow() });
      if (rest.state !== undefined) {
        pr.closedAt = rest.state === 'OPEN' ? null : (pr.closedAt ?? pr.updatedAt);
        pr.mergedAt = rest.state === 'MERGED' ? (pr.mergedAt ?? pr.updatedAt) : null;
      }
      if (status !== undefined) pr.explicitMergeStateStatus = status ?? undefined;
      if (labels) pr.labels = [...new Set(labels)];
      if (files) state.replaceFiles(pr, files);
    },
  };
}
