import type {
  RequiredCheck,
  CheckFacts,
  CheckState,
  CommitComparison,
  CommitFacts,
  PullRequestFile,
  PullRequestSnapshot,
} from './client.ts';

/** GitHub answers in two dialects (REST snake_case, GraphQL enums); the core sees one. */

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  typeof value === 'object' && value !== null ? (value as Json) : {};
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const nodes = (connection: unknown): unknown[] => {
  const list = obj(connection).nodes;
  return Array.isArray(list) ? list.filter((n) => n !== null) : [];
};

function account(value: unknown): { login: string; type: string } | null {
  const raw = obj(value);
  const login = str(raw.login);
  if (!login) return null;
  // GraphQL names a GitHub App's bot "renovate" where REST and config say "renovate[bot]".
  if (raw.__typename === 'Bot')
    return { login: login.endsWith('[bot]') ? login : `${login}[bot]`, type: 'Bot' };
  return { login, type: str(raw.type) || str(raw.__typename) || 'User' };
}

const CHECK_RUN_STATE: Record<string, CheckState> = {
  SUCCESS: 'success',
  FAILURE: 'failure',
  CANCELLED: 'cancelled',
  TIMED_OUT: 'timed_out',
  ACTION_REQUIRED: 'action_required',
  STALE: 'stale',
  STARTUP_FAILURE: 'startup_failure',
  SKIPPED: 'skipped',
  NEUTRAL: 'neutral',
};
const STATUS_STATE: Record<string, CheckState> = {
  SUCCESS: 'success',
  PENDING: 'pending',
  EXPECTED: 'pending',
  FAILURE: 'failure',
  ERROR: 'error',
};

export function toCheckFacts(rollup: unknown): CheckFacts[] {
  const contexts = obj(obj(rollup).contexts);
  const facts = nodes(contexts).map((node): CheckFacts => {
    const raw = obj(node);
    if (raw.__typename === 'StatusContext') {
      return {
        name: str(raw.context),
        kind: 'status',
        state: STATUS_STATE[str(raw.state)] ?? 'error',
        required: raw.isRequired === true,
        url: str(raw.targetUrl) || null,
        app: null,
      };
    }
    const completed = str(raw.status) === 'COMPLETED';
    const app = obj(obj(raw.checkSuite).app);
    return {
      name: str(raw.name),
      kind: 'check-run',
      state: completed ? (CHECK_RUN_STATE[str(raw.conclusion)] ?? 'error') : 'pending',
      required: raw.isRequired === true,
      url: str(raw.detailsUrl) || null,
      app: typeof app.databaseId === 'number' ? { id: app.databaseId, slug: str(app.slug) } : null,
    };
  });
  // More contexts than one page: the unseen ones might be red, so say so as a failing entry.
  if (obj(contexts.pageInfo).hasNextPage === true) {
    facts.push({
      name: 'more than 100 checks',
      kind: 'status',
      state: 'error',
      required: false,
      url: null,
      app: null,
    });
  }
  return facts;
}

/**
 * What a branch requires: classic protection's contexts (their App binding is not in GraphQL's
 * refUpdateRule, so appId is null until the REST branch read fills it in) and rulesets' required
 * status checks with their `integrationId`.
 */
export function requiredFromRef(ref: unknown): RequiredCheck[] {
  const raw = obj(ref);
  const classic = obj(raw.refUpdateRule).requiredStatusCheckContexts;
  const required: RequiredCheck[] = [];
  const add = (check: RequiredCheck) => {
    if (check.context === '') return;
    if (required.some((r) => r.context === check.context && r.appId === check.appId)) return;
    required.push(check);
  };
  if (Array.isArray(classic))
    for (const context of classic)
      add({ context: str(context), appId: null, source: 'branch protection' });
  for (const rule of nodes(raw.rules)) {
    const checks = obj(obj(rule).parameters).requiredStatusChecks;
    if (!Array.isArray(checks)) continue;
    for (const check of checks) {
      const id = obj(check).integrationId;
      add({
        context: str(obj(check).context),
        appId: typeof id === 'number' ? id : null,
        source: 'ruleset',
      });
    }
  }
  return required.sort((a, b) => a.context.localeCompare(b.context));
}

/** REST branch protection's `required_status_checks.checks`: each context with its `app_id`. */
export function toProtectionChecks(branch: unknown): RequiredCheck[] {
  const checks = obj(obj(obj(branch).protection).required_status_checks).checks;
  if (!Array.isArray(checks)) return [];
  return checks
    .map((c): RequiredCheck => {
      const appId = obj(c).app_id;
      return {
        context: str(obj(c).context),
        appId: typeof appId === 'number' && appId > 0 ? appId : null,
        source: 'branch protection',
      };
    })
    .filter((c) => c.context !== '');
}

function blobText(treeEntry: unknown): string | null {
  const text = obj(obj(treeEntry).object).text;
  return typeof text === 'string' ? text : null;
}

export function toSnapshot(value: unknown): PullRequestSnapshot {
  const pr = obj(value);
  const commits = obj(pr.commits);
  const head = obj(obj(nodes(commits)[0]).commit);
  const autoMerge = pr.autoMergeRequest
    ? { mergeMethod: str(obj(pr.autoMergeRequest).mergeMethod) }
    : null;
  return {
    id: str(pr.id),
    number: Number(pr.number),
    url: str(pr.url),
    title: str(pr.title),
    body: str(pr.body),
    state: (str(pr.state) || 'OPEN') as PullRequestSnapshot['state'],
    isDraft: pr.isDraft === true,
    author: account(pr.author),
    isCrossRepository: pr.isCrossRepository === true,
    headSha: str(pr.headRefOid),
    headRefName: str(pr.headRefName),
    baseRefName: str(pr.baseRefName),
    baseSha: str(pr.baseRefOid),
    mergeable: (str(pr.mergeable) || 'UNKNOWN') as PullRequestSnapshot['mergeable'],
    mergeStateStatus: str(pr.mergeStateStatus),
    labels: nodes(pr.labels).map((l) => str(obj(l).name)),
    autoMerge,
    // The rollup belongs to the last listed commit; if that is not the head, it says nothing.
    checks: str(head.oid) === str(pr.headRefOid) ? toCheckFacts(head.statusCheckRollup) : [],
    requiredChecks: requiredFromRef(pr.baseRef),
    requiredChecksProblem: null,
    rootManifestAtHead: blobText(head.file),
    defaultBranch: str(obj(obj(pr.repository).defaultBranchRef).name),
    commitCount: Number(commits.totalCount ?? 0),
    changedFiles: Number(pr.changedFiles ?? 0),
  };
}

export function toCommitFacts(value: unknown): CommitFacts {
  const raw = obj(value);
  const commit = obj(raw.commit);
  const verification = obj(commit.verification);
  return {
    sha: str(raw.sha),
    author: account(raw.author),
    committer: account(raw.committer),
    verified: verification.verified === true,
    verificationReason: str(verification.reason) || 'unknown',
    message: str(commit.message),
  };
}

export function toPullRequestFile(value: unknown): PullRequestFile {
  const raw = obj(value);
  return {
    path: str(raw.filename),
    previousPath: str(raw.previous_filename) || null,
    status: (str(raw.status) || 'modified') as PullRequestFile['status'],
    additions: Number(raw.additions ?? 0),
    deletions: Number(raw.deletions ?? 0),
    patch: typeof raw.patch === 'string' ? raw.patch : null,
  };
}

/** GitHub lists at most this many files of a comparison, on its first page, however many changed. */
export const COMPARE_MAX_FILES = 300;

const COMPARISON_STATUSES: readonly string[] = ['ahead', 'behind', 'diverged', 'identical'];

export function toCommitComparison(value: unknown): CommitComparison {
  const raw = obj(value);
  const status = str(raw.status);
  const files = Array.isArray(raw.files) ? raw.files.map(toPullRequestFile) : [];
  return {
    // An unknown status claims nothing about order: diverged sends the caller down the safe path.
    status: COMPARISON_STATUSES.includes(status)
      ? (status as CommitComparison['status'])
      : 'diverged',
    aheadBy: Number(raw.ahead_by ?? 0),
    behindBy: Number(raw.behind_by ?? 0),
    mergeBaseSha: str(obj(raw.merge_base_commit).sha),
    files,
    filesTruncated: files.length >= COMPARE_MAX_FILES,
  };
}
