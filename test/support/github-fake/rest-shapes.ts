import type { components } from '@octokit/openapi-types';
import { mergeStateStatus } from './checks.ts';
import { actorId, blobSha, nodeId, stableId } from './ids.ts';
import { headSha } from './state.ts';
import type {
  CommentRecord,
  CommitRecord,
  DeploymentRecord,
  FileRecord,
  IssueEventRecord,
  IssueRecord,
  PullRecord,
  RepoRecord,
} from './state.ts';
import type { Actor } from './types.ts';

/**
 * REST bodies typed against @octokit/openapi-types, so field names and value types are GitHub's.
 * Large nested objects (full repositories) are cut down with Pick to what clients read.
 */

type Schemas = components['schemas'];

export const HTML = 'https://github.com';

export function simpleUser(actor: Actor, api: string): Schemas['simple-user'] {
  const id = actorId(actor.login);
  const login = actor.login;
  const userUrl = `${api}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId(actor.type === 'Bot' ? 'BOT' : 'U', String(id)),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: userUrl,
    html_url:
      actor.type === 'Bot' ? `${HTML}/apps/${login.replace(/\[bot\]$/, '')}` : `${HTML}/${login}`,
    followers_url: `${userUrl}/followers`,
    following_url: `${userUrl}/following{/other_user}`,
    gists_url: `${userUrl}/gists{/gist_id}`,
    starred_url: `${userUrl}/starred{/owner}{/repo}`,
    subscriptions_url: `${userUrl}/subscriptions`,
    organizations_url: `${userUrl}/orgs`,
    repos_url: `${userUrl}/repos`,
    events_url: `${userUrl}/events{/privacy}`,
    received_events_url: `${userUrl}/received_events`,
    type: actor.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

function gitUser(actor: Actor | null, date: string): Schemas['git-user'] {
  if (!actor) return { name: 'Unknown Author', email: 'unknown@example.invalid', date };
  const id = actorId(actor.login);
  return { name: actor.login, email: `${id}+${actor.login}@users.noreply.github.com`, date };
}

export function repoApi(repo: RepoRecord, api: string): string {
  return `${api}/repos/${repo.owner}/${repo.repo}`;
}

export function commitJson(repo: RepoRecord, commit: CommitRecord, api: string): Schemas['commit'] {
  const base = repoApi(repo, api);
  const verification = commit.verification.verified
    ? {
        ...commit.verification,
        signature: '-----BEGIN PGP SIGNATURE-----\n\nfake\n-----END PGP SIGNATURE-----\n',
        payload: `tree ${commit.sha}\n\n${commit.message}\n`,
        verified_at: commit.date,
      }
    : { ...commit.verification, signature: null, payload: null, verified_at: null };
  return {
    url: `${base}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: nodeId('C', `${repo.id}:${commit.sha}`),
    html_url: `${HTML}/${repo.owner}/${repo.repo}/commit/${commit.sha}`,
    comments_url: `${base}/commits/${commit.sha}/comments`,
    commit: {
      url: `${base}/git/commits/${commit.sha}`,
      author: gitUser(commit.author, commit.date),
      committer: gitUser(commit.committer, commit.date),
      message: commit.message,
      comment_count: 0,
      tree: { sha: blobSha(`tree:${commit.sha}`), url: `${base}/git/trees/${commit.sha}` },
      verification,
    },
    author: commit.author ? simpleUser(commit.author, api) : null,
    committer: commit.committer ? simpleUser(commit.committer, api) : null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${base}/commits/${sha}`,
      html_url: `${HTML}/${repo.owner}/${repo.repo}/commit/${sha}`,
    })),
  };
}

export function diffEntryJson(
  repo: RepoRecord,
  file: FileRecord,
  head: string,
  api: string,
): Schemas['diff-entry'] {
  const path = file.path.split('/').map(encodeURIComponent).join('/');
  const entry: Schemas['diff-entry'] = {
    sha: file.status === 'removed' ? null : blobSha(`${head}:${file.path}`),
    filename: file.path,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${HTML}/${repo.owner}/${repo.repo}/blob/${head}/${path}`,
    raw_url: `${HTML}/${repo.owner}/${repo.repo}/raw/${head}/${path}`,
    contents_url: `${repoApi(repo, api)}/contents/${path}?ref=${head}`,
  };
  if (file.patch !== null) entry.patch = file.patch;
  if (file.previous_filename !== undefined) entry.previous_filename = file.previous_filename;
  return entry;
}

export function labelJson(repo: RepoRecord, name: string, api: string): Schemas['label'] {
  const id = stableId(`label:${repo.id}:${name}`);
  const color = id.toString(16).padStart(6, '0').slice(-6);
  return {
    id,
    node_id: nodeId('LA', `${repo.id}:${name}`),
    url: `${repoApi(repo, api)}/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color,
    default: false,
  };
}

export function commentJson(
  repo: RepoRecord,
  comment: CommentRecord,
  api: string,
): Schemas['issue-comment'] {
  return {
    id: comment.id,
    node_id: comment.nodeId,
    url: `${repoApi(repo, api)}/issues/comments/${comment.id}`,
    html_url: `${HTML}/${repo.owner}/${repo.repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: simpleUser(comment.user, api),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${repoApi(repo, api)}/issues/${comment.issueNumber}`,
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'MEMBER',
  };
}

type PullSimple = Schemas['pull-request-simple'];
type RefJson = Pick<PullSimple['head'], 'label' | 'ref' | 'sha' | 'user'> & {
  repo: Pick<PullSimple['head']['repo'], 'id' | 'node_id' | 'name' | 'full_name' | 'url' | 'fork'>;
};
export type PullRequestSimpleJson = Pick<
  PullSimple,
  | 'url'
  | 'id'
  | 'node_id'
  | 'html_url'
  | 'number'
  | 'state'
  | 'locked'
  | 'title'
  | 'user'
  | 'body'
  | 'labels'
  | 'created_at'
  | 'updated_at'
  | 'closed_at'
  | 'merged_at'
  | 'merge_commit_sha'
  | 'author_association'
  | 'auto_merge'
  | 'draft'
> & { head: RefJson; base: RefJson };
export type PullRequestJson = PullRequestSimpleJson &
  Pick<
    Schemas['pull-request'],
    | 'merged'
    | 'mergeable'
    | 'rebaseable'
    | 'mergeable_state'
    | 'merged_by'
    | 'comments'
    | 'review_comments'
    | 'maintainer_can_modify'
    | 'commits'
    | 'additions'
    | 'deletions'
    | 'changed_files'
  >;

const REST_MERGE_METHOD = { MERGE: 'merge', SQUASH: 'squash', REBASE: 'rebase' } as const;

function refJson(repo: RepoRecord, ref: string, sha: string, api: string): RefJson {
  const owner: Actor = { login: repo.owner, type: 'User' };
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: simpleUser(owner, api),
    repo: {
      id: repo.id,
      node_id: repo.nodeId,
      name: repo.repo,
      full_name: `${repo.owner}/${repo.repo}`,
      url: repoApi(repo, api),
      fork: false,
    },
  };
}

export function pullSimpleJson(
  repo: RepoRecord,
  pr: PullRecord,
  api: string,
): PullRequestSimpleJson {
  const base = repoApi(repo, api);
  return {
    url: `${base}/pulls/${pr.number}`,
    id: pr.id,
    node_id: pr.nodeId,
    html_url: `${HTML}/${repo.owner}/${repo.repo}/pull/${pr.number}`,
    number: pr.number,
    state: pr.state === 'OPEN' ? 'open' : 'closed',
    locked: false,
    title: pr.title,
    user: pr.author ? simpleUser(pr.author, api) : null,
    body: pr.body === '' ? null : pr.body,
    // The OpenAPI description says string; GitHub sends null for labels without one.
    labels: pr.labels.map((name) => labelJson(repo, name, api)) as PullSimple['labels'],
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    author_association: 'CONTRIBUTOR',
    auto_merge: pr.autoMerge
      ? {
          enabled_by: simpleUser(pr.autoMerge.enabledBy, api),
          merge_method: REST_MERGE_METHOD[pr.autoMerge.mergeMethod],
          commit_title: pr.autoMerge.commitHeadline ?? pr.title,
          commit_message: '',
        }
      : null,
    draft: pr.isDraft,
    head: refJson(repo, pr.headRefName, headSha(pr), api),
    base: refJson(
      repo,
      pr.baseRefName,
      pr.baseSha ?? repo.branches.get(pr.baseRefName) ?? headSha(pr),
      api,
    ),
  };
}

export function pullJson(repo: RepoRecord, pr: PullRecord, api: string): PullRequestJson {
  return {
    ...pullSimpleJson(repo, pr, api),
    merged: pr.state === 'MERGED',
    mergeable: pr.mergeable === 'UNKNOWN' ? null : pr.mergeable === 'MERGEABLE',
    rebaseable: pr.mergeable === 'MERGEABLE',
    mergeable_state: mergeStateStatus(repo, pr).toLowerCase(),
    merged_by: pr.mergedBy ? simpleUser(pr.mergedBy, api) : null,
    comments: repo.comments.filter((c) => c.issueNumber === pr.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.commitShas.length,
    additions: pr.files.reduce((n, f) => n + f.additions, 0),
    deletions: pr.files.reduce((n, f) => n + f.deletions, 0),
    changed_files: pr.files.length,
  };
}

function issueLabels(
  repo: RepoRecord,
  names: readonly string[],
  api: string,
): Schemas['issue']['labels'] {
  return names.map((name) => labelJson(repo, name, api)) as Schemas['issue']['labels'];
}

/** REST `issue` for a real issue. */
export function issueJson(repo: RepoRecord, issue: IssueRecord, api: string): Schemas['issue'] {
  const base = repoApi(repo, api);
  const url = `${base}/issues/${issue.number}`;
  const assignees = issue.assignees.map((a) => simpleUser(a, api));
  return {
    id: issue.id,
    node_id: issue.nodeId,
    url,
    repository_url: base,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${HTML}/${repo.owner}/${repo.repo}/issues/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body === '' ? null : issue.body,
    user: issue.author ? simpleUser(issue.author, api) : null,
    labels: issueLabels(repo, issue.labels, api),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: repo.comments.filter((c) => c.issueNumber === issue.number).length,
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_by: issue.closedBy ? simpleUser(issue.closedBy, api) : null,
    timeline_url: `${url}/timeline`,
    author_association: issue.author?.type === 'Bot' ? 'NONE' : 'MEMBER',
  };
}

/** REST `issue` for a pull request, as the issue routes answer one: it carries `pull_request`. */
export function pullIssueJson(repo: RepoRecord, pr: PullRecord, api: string): Schemas['issue'] {
  const base = repoApi(repo, api);
  const url = `${base}/issues/${pr.number}`;
  const html = `${HTML}/${repo.owner}/${repo.repo}/pull/${pr.number}`;
  return {
    id: pr.id,
    node_id: pr.nodeId,
    url,
    repository_url: base,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: html,
    number: pr.number,
    state: pr.state === 'OPEN' ? 'open' : 'closed',
    state_reason: null,
    title: pr.title,
    body: pr.body === '' ? null : pr.body,
    user: pr.author ? simpleUser(pr.author, api) : null,
    labels: issueLabels(repo, pr.labels, api),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: repo.comments.filter((c) => c.issueNumber === pr.number).length,
    pull_request: {
      merged_at: pr.mergedAt,
      diff_url: `${html}.diff`,
      html_url: html,
      patch_url: `${html}.patch`,
      url: `${base}/pulls/${pr.number}`,
    },
    closed_at: pr.closedAt,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    draft: pr.isDraft,
    timeline_url: `${url}/timeline`,
    author_association: 'CONTRIBUTOR',
  };
}

/** REST `issue-event`. */
export function issueEventJson(
  repo: RepoRecord,
  event: IssueEventRecord,
  api: string,
): Schemas['issue-event'] {
  const json: Schemas['issue-event'] = {
    id: event.id,
    node_id: nodeId('E', `${repo.id}:${event.id}`),
    url: `${repoApi(repo, api)}/issues/events/${event.id}`,
    actor: event.actor ? simpleUser(event.actor, api) : null,
    event: event.event,
    commit_id: null,
    commit_url: null,
    created_at: event.createdAt,
  };
  if (event.assignee) {
    json.assignee = simpleUser(event.assignee, api);
    json.assigner = event.actor ? simpleUser(event.actor, api) : null;
  }
  if (event.label !== undefined) {
    const label = labelJson(repo, event.label, api);
    json.label = { name: label.name, color: label.color };
  }
  return json;
}

/** REST `deployment`. */
export function deploymentJson(
  repo: RepoRecord,
  deployment: DeploymentRecord,
  api: string,
): Schemas['deployment'] {
  const base = repoApi(repo, api);
  const url = `${base}/deployments/${deployment.id}`;
  return {
    url,
    id: deployment.id,
    node_id: nodeId('DE', `${repo.id}:${deployment.id}`),
    sha: deployment.sha,
    ref: deployment.ref,
    task: 'deploy',
    payload: {},
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: deployment.creator ? simpleUser(deployment.creator, api) : null,
    created_at: deployment.createdAt,
    updated_at: deployment.createdAt,
    statuses_url: `${url}/statuses`,
    repository_url: base,
    transient_environment: false,
    production_environment: deployment.environment === 'production',
  };
}
