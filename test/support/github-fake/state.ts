import { isFullSha, isoNow, nodeId, randomSha, stableId } from './ids.ts';
import type {
  CommentRecord,
  CommitRecord,
  ComparisonRecord,
  DeploymentRecord,
  IssueRecord,
  FileRecord,
  PullRecord,
  RepoRecord,
} from './records.ts';
import type {
  Actor,
  AutoMergeArm,
  BranchCommit,
  CommitSeed,
  CommitVerification,
  ComparisonSeed,
  DeploymentSeed,
  HistoryCommitSeed,
  IssueSeed,
  FileSeed,
  MergeRecord,
  PullRequestSeed,
  RepoSeed,
} from './types.ts';

/** The records, for the route files that read the state. */
export type * from './records.ts';

const UNSIGNED: CommitVerification = { verified: false, reason: 'unsigned' };

/** Everything the fake knows, with the seeding rules that keep it consistent. */
export class GitHubState {
  readonly repos = new Map<string, RepoRecord>();
  readonly merges: MergeRecord[] = [];
  readonly autoMergeArms: AutoMergeArm[] = [];
  readonly branchCommits: BranchCommit[] = [];
  private nextId = 1000;

  newId(): number {
    return this.nextId++;
  }

  repo(owner: string, repo: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${repo}`.toLowerCase());
  }

  /** For seeding calls: a missing repository is a mistake in the test, so say how to fix it. */
  seededRepo(owner: string, repo: string): RepoRecord {
    const found = this.repo(owner, repo);
    if (!found)
      throw new Error(`GitHub fake: no repository ${owner}/${repo}; call fake.addRepo first`);
    return found;
  }

  addRepo(seed: RepoSeed): RepoRecord {
    const key = `${seed.owner}/${seed.repo}`;
    if (this.repo(seed.owner, seed.repo)) throw new Error(`GitHub fake: ${key} already exists`);
    const defaultBranch = seed.defaultBranch ?? 'main';
    const record: RepoRecord = {
      owner: seed.owner,
      repo: seed.repo,
      id: stableId(`repo:${key}`),
      nodeId: nodeId('R', key),
      defaultBranch,
      allowAutoMerge: seed.allowAutoMerge ?? true,
      branches: new Map(),
      required: new Map(),
      commits: new Map(),
      comparisons: new Map(),
      files: new Map(),
      checkRuns: new Map(),
      statuses: new Map(),
      pulls: new Map(),
      comments: [],
      reviews: [],
      reviewComments: [],
      permissions: new Map(),
      reactions: [],
      workflows: [],
      dispatches: [],
      issues: new Map(),
      labels: new Set(),
      deployments: [],
      installed: seed.installed ?? true,
    };
    this.repos.set(key.toLowerCase(), record);
    record.branches.set(defaultBranch, this.ensureCommit(record, {}).sha);
    return record;
  }

  ensureCommit(repo: RepoRecord, seed: CommitSeed): CommitRecord {
    const sha = seed.sha ?? randomSha();
    const existing = repo.commits.get(sha);
    if (existing && Object.keys(seed).length <= 1) return existing;
    const commit: CommitRecord = {
      sha,
      message: seed.message ?? `Commit ${sha.slice(0, 7)}`,
      author: seed.author === undefined ? { login: 'octocat', type: 'User' } : seed.author,
      committer:
        seed.committer === undefined ? { login: 'web-flow', type: 'User' } : seed.committer,
      verification: seed.verification ?? UNSIGNED,
      date: seed.date ?? isoNow(),
      parents: [...(seed.parents ?? [])],
      paths: existing?.paths ?? [],
      onBranches: existing?.onBranches ?? [],
    };
    repo.commits.set(sha, commit);
    return commit;
  }

  /** Full SHA for a SHA (or a 7+ character prefix), branch name or `refs/heads/…`; undefined if unknown. */
  resolveRef(repo: RepoRecord, ref: string): string | undefined {
    const branch = ref.replace(/^refs\/heads\//, '');
    const head = repo.branches.get(branch);
    if (head) return head;
    if (repo.commits.has(ref)) return ref;
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const matches = [...repo.commits.keys()].filter((sha) => sha.startsWith(ref));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  /** Text of a file; null when the ref exists but the file does not, undefined when the ref is unknown. */
  fileText(repo: RepoRecord, ref: string, path: string): string | null | undefined {
    const key = ref.replace(/^refs\/heads\//, '');
    const sha = this.resolveRef(repo, key);
    if (sha === undefined && !repo.files.has(key)) return undefined;
    // Files seeded on a branch name are that branch's tip, so its head commit shows them too.
    const tips = [...repo.branches].filter(([, head]) => head === sha).map(([branch]) => branch);
    for (const source of [key, sha, ...tips]) {
      const text = source === undefined ? undefined : repo.files.get(source)?.get(path);
      if (text !== undefined) return text;
    }
    return null;
  }

  setFileContents(repo: RepoRecord, ref: string, files: Record<string, string>): void {
    const key = ref.replace(/^refs\/heads\//, '');
    if (isFullSha(key)) this.ensureCommit(repo, { sha: key });
    else if (!repo.branches.has(key)) repo.branches.set(key, this.ensureCommit(repo, {}).sha);
    const map = repo.files.get(key) ?? new Map<string, string>();
    for (const [path, text] of Object.entries(files)) map.set(path.replace(/^\//, ''), text);
    repo.files.set(key, map);
  }

  /** Seeds GitHub's answer for `base...head`; a full SHA the fake does not know becomes a commit. */
  setComparison(repo: RepoRecord, base: string, head: string, seed: ComparisonSeed): void {
    const baseSha = this.seededCommit(repo, base);
    const headSha = this.seededCommit(repo, head);
    const record: ComparisonRecord = {
      baseSha,
      headSha,
      status: seed.status,
      aheadBy: seed.aheadBy,
      behindBy: seed.behindBy,
      mergeBaseSha: this.seededCommit(repo, seed.mergeBaseSha),
      files: (seed.files ?? []).map(toFileRecord),
      commitShas: (seed.commits ?? []).map((c) => this.ensureCommit(repo, c).sha),
    };
    repo.comparisons.set(`${baseSha}...${headSha}`, record);
  }

  /** A ref a seeding call names: known, or a full SHA to add; anything else is a test mistake. */
  private seededCommit(repo: RepoRecord, ref: string): string {
    const known = this.resolveRef(repo, ref);
    if (known !== undefined) return known;
    if (isFullSha(ref)) return this.ensureCommit(repo, { sha: ref }).sha;
    throw new Error(
      `GitHub fake: ${ref} is neither a branch nor a commit of ${repo.owner}/${repo.repo}; name a full SHA`,
    );
  }

  addPullRequest(seed: PullRequestSeed): PullRecord {
    const repo = this.seededRepo(seed.owner, seed.repo);
    const number = seed.number ?? this.nextIssueNumber(repo);
    if (this.numberTaken(repo, number)) {
      throw new Error(`GitHub fake: ${seed.owner}/${seed.repo}#${number} already exists`);
    }
    const commitSeeds = seed.commits ?? [{ sha: seed.headSha ?? randomSha() }];
    const commits = commitSeeds.map((c) => this.ensureCommit(repo, c));
    const last = commits.at(-1);
    if (seed.headSha !== undefined && last?.sha !== seed.headSha) {
      throw new Error(`GitHub fake: headSha ${seed.headSha} is not the last of the seeded commits`);
    }
    const now = isoNow();
    const state = seed.state ?? 'OPEN';
    const mergedAt = state === 'MERGED' ? (seed.mergedAt ?? now) : null;
    const closedAt = state === 'OPEN' ? null : (seed.closedAt ?? mergedAt ?? now);
    // A pull request seeded as closed at some time was opened by then, not now.
    const createdAt = seed.createdAt ?? closedAt ?? now;
    const pr: PullRecord = {
      owner: repo.owner,
      repo: repo.repo,
      number,
      id: stableId(`pull:${repo.owner}/${repo.repo}#${number}`),
      nodeId: seed.nodeId ?? nodeId('PR', `${repo.id}:${number}`),
      title: seed.title ?? `Pull request #${number}`,
      body: seed.body ?? '',
      state,
      isDraft: seed.isDraft ?? false,
      author: seed.author === undefined ? { login: 'octocat', type: 'User' } : seed.author,
      headRefName: seed.headRefName ?? `feature-${number}`,
      baseRefName: seed.baseRefName ?? repo.defaultBranch,
      isCrossRepository: seed.isCrossRepository ?? false,
      mergeable: seed.mergeable ?? 'MERGEABLE',
      explicitMergeStateStatus: seed.mergeStateStatus,
      labels: [...new Set(seed.labels ?? [])],
      commitShas: commits.map((c) => c.sha),
      files: (seed.files ?? []).map(toFileRecord),
      autoMerge: null,
      // Only a seed that speaks of the merge gets a merge commit: older seeds stay as they were.
      mergeCommitSha:
        state === 'MERGED' && (seed.mergedAt !== undefined || seed.mergeCommitSha !== undefined)
          ? this.ensureCommit(repo, { sha: seed.mergeCommitSha ?? randomSha() }).sha
          : null,
      mergedBy: null,
      createdAt,
      updatedAt:
        seed.updatedAt ??
        (closedAt !== null && Date.parse(closedAt) > Date.parse(createdAt) ? closedAt : createdAt),
      closedAt,
      mergedAt,
      ...(seed.baseSha === undefined ? {} : { baseSha: seed.baseSha }),
    };
    repo.pulls.set(number, pr);
    if (!pr.isCrossRepository && last) repo.branches.set(pr.headRefName, last.sha);
    if (!repo.branches.has(pr.baseRefName)) {
      repo.branches.set(pr.baseRefName, this.ensureCommit(repo, {}).sha);
    }
    return pr;
  }

  pushCommit(repo: RepoRecord, pr: PullRecord, seed: CommitSeed): CommitRecord {
    const commit = this.ensureCommit(repo, seed);
    pr.commitShas.push(commit.sha);
    pr.updatedAt = isoNow();
    if (!pr.isCrossRepository) repo.branches.set(pr.headRefName, commit.sha);
    return commit;
  }

  /**
   * Moves a branch to `sha`, as a push (`reset: false`: the commit follows the old tip) or a forced
   * update. Open pull requests from the branch get the new head; files seeded on the branch's name
   * stay with the commit they were the tip of.
   */
  moveBranch(repo: RepoRecord, branch: string, sha: string, reset: boolean): void {
    const old = repo.branches.get(branch);
    const seeded = repo.files.get(branch);
    if (old !== undefined && seeded) {
      const atOld = repo.files.get(old) ?? new Map<string, string>();
      for (const [path, text] of seeded) if (!atOld.has(path)) atOld.set(path, text);
      repo.files.set(old, atOld);
      repo.files.delete(branch);
    }
    repo.branches.set(branch, sha);
    for (const pr of repo.pulls.values()) {
      if (pr.state !== 'OPEN' || pr.isCrossRepository || pr.headRefName !== branch) continue;
      pr.commitShas = reset ? [sha] : [...pr.commitShas, sha];
      pr.updatedAt = isoNow();
    }
  }

  /** Every file of a commit: those seeded at its SHA and on branches whose tip it is. */
  treeOf(repo: RepoRecord, sha: string): Map<string, string> {
    const tree = new Map<string, string>();
    const tips = [...repo.branches].filter(([, head]) => head === sha).map(([branch]) => branch);
    for (const source of [...tips, sha]) {
      for (const [path, text] of repo.files.get(source) ?? []) tree.set(path, text);
    }
    return tree;
  }

  replaceFiles(pr: PullRecord, files: readonly FileSeed[]): void {
    pr.files = files.map(toFileRecord);
  }

  pullByNodeId(id: string): PullRecord | undefined {
    for (const repo of this.repos.values()) {
      for (const pr of repo.pulls.values()) if (pr.nodeId === id) return pr;
    }
    return undefined;
  }

  addComment(repo: RepoRecord, issueNumber: number, body: string, user: Actor): CommentRecord {
    const id = this.newId();
    const now = isoNow();
    const comment: CommentRecord = {
      id,
      nodeId: nodeId('IC', `${repo.id}:${id}`),
      issueNumber,
      body,
      user,
      createdAt: now,
      updatedAt: now,
    };
    repo.comments.push(comment);
    return comment;
  }

  /** Issues and pull requests share one sequence of numbers per repository, as on GitHub. */
  nextIssueNumber(repo: RepoRecord): number {
    return Math.max(0, ...repo.pulls.keys(), ...repo.issues.keys()) + 1;
  }

  /** Whether #number is taken by an issue or a pull request. */
  numberTaken(repo: RepoRecord, number: number): boolean {
    return repo.pulls.has(number) || repo.issues.has(number);
  }

  addIssue(repo: RepoRecord, seed: IssueSeed): IssueRecord {
    const number = seed.number ?? this.nextIssueNumber(repo);
    if (this.numberTaken(repo, number)) {
      throw new Error(`GitHub fake: ${repo.owner}/${repo.repo}#${number} already exists`);
    }
    const now = isoNow();
    const createdAt = seed.createdAt ?? now;
    const state = seed.state ?? 'open';
    const closedAt = state === 'open' ? null : (seed.closedAt ?? createdAt);
    const labels = [...new Set(seed.labels ?? [])];
    for (const name of labels) repo.labels.add(name);
    const issue: IssueRecord = {
      number,
      id: stableId(`issue:${repo.owner}/${repo.repo}#${number}`),
      nodeId: nodeId('I', `${repo.id}:${number}`),
      title: seed.title ?? `Issue #${number}`,
      body: seed.body ?? '',
      state,
      stateReason: seed.stateReason ?? (state === 'closed' ? 'completed' : null),
      author: seed.author === undefined ? { login: 'octocat', type: 'User' } : seed.author,
      labels,
      assignees: [...(seed.assignees ?? [])],
      createdAt,
      updatedAt: seed.updatedAt ?? closedAt ?? createdAt,
      closedAt,
      closedBy: null,
      events: [],
    };
    repo.issues.set(number, issue);
    return issue;
  }

  /** Appends an event to an issue's history. */
  issueEvent(
    issue: IssueRecord,
    event: string,
    actor: Actor | null,
    createdAt: string,
    extra: { assignee?: Actor; label?: string } = {},
  ): void {
    issue.events.push({ id: this.newId(), event, actor, createdAt, ...extra });
  }

  addDeployment(repo: RepoRecord, seed: DeploymentSeed): DeploymentRecord {
    const ref = seed.ref ?? repo.defaultBranch;
    const record: DeploymentRecord = {
      id: this.newId(),
      sha: this.ensureCommit(repo, { sha: seed.sha }).sha,
      ref,
      environment: seed.environment ?? 'production',
      description: seed.description === undefined ? null : seed.description,
      creator: seed.creator === undefined ? { login: 'octocat', type: 'User' } : seed.creator,
      createdAt: seed.createdAt ?? isoNow(),
    };
    repo.deployments.push(record);
    return record;
  }

  /** A commit on a branch's history, with the paths it touched (the branch tip does not move). */
  addHistoryCommit(repo: RepoRecord, seed: HistoryCommitSeed): CommitRecord {
    const branch = seed.branch ?? repo.defaultBranch;
    const commit = this.ensureCommit(repo, {
      sha: seed.sha,
      message: seed.message,
      author: seed.author,
      date: seed.date,
    });
    commit.paths = [...new Set([...commit.paths, ...(seed.paths ?? [])])];
    if (!commit.onBranches.includes(branch)) commit.onBranches.push(branch);
    if (!repo.branches.has(branch)) repo.branches.set(branch, commit.sha);
    return commit;
  }
}

function toFileRecord(seed: FileSeed): FileRecord {
  return {
    path: seed.path,
    previous_filename: seed.previous_filename,
    status: seed.status ?? (seed.previous_filename ? 'renamed' : 'modified'),
    additions: seed.additions ?? 0,
    deletions: seed.deletions ?? 0,
    patch: seed.patch === undefined ? null : seed.patch,
  };
}

export function headSha(pr: PullRecord): string {
  const sha = pr.commitShas.at(-1);
  if (sha === undefined)
    throw new Error(`GitHub fake: ${pr.owner}/${pr.repo}#${pr.number} has no commits`);
  return sha;
}
