import { mergeStateStatus } from './checks.ts';
import { rollupModel } from './graphql-checks.ts';
import { GitHubGraphQLError, connection } from './graphql-support.ts';
import type { Args, ConnectionArgs, GraphQLContext, Model } from './graphql-support.ts';
import { actorId, blobSha, nodeId } from './ids.ts';
import { HTML } from './rest-shapes.ts';
import { headSha } from './state.ts';
import type { PullRecord, RepoRecord, ReviewCommentRecord } from './state.ts';
import type { Actor } from './types.ts';

/**
 * GraphQL objects over the fake's state. Every field a query may select is either a plain property
 * or a function of (args, context); anything else is reported as not implemented by the executor.
 */

export function actorModel(actor: Actor): Model {
  const id = actorId(actor.login);
  const isBot = actor.type === 'Bot';
  // GraphQL names an App's bot by its slug: `renovate`, where REST says `renovate[bot]`.
  const login = isBot ? actor.login.replace(/\[bot\]$/, '') : actor.login;
  const url = isBot ? `${HTML}/apps/${login}` : `${HTML}/${login}`;
  return {
    __typename: isBot ? 'Bot' : 'User',
    id: nodeId(isBot ? 'BOT' : 'U', String(id)),
    databaseId: id,
    login,
    url,
    resourcePath: new URL(url).pathname,
    avatarUrl: () => `https://avatars.githubusercontent.com/u/${id}?v=4`,
  };
}

export function repositoryModel(ctx: GraphQLContext, repo: RepoRecord): Model {
  const name = `${repo.owner}/${repo.repo}`;
  return {
    __typename: 'Repository',
    id: repo.nodeId,
    databaseId: repo.id,
    name: repo.repo,
    nameWithOwner: name,
    url: `${HTML}/${name}`,
    autoMergeAllowed: repo.allowAutoMerge,
    defaultBranchRef: () => refModel(ctx, repo, repo.defaultBranch),
    pullRequest: (args: Args) => {
      const pr = repo.pulls.get(Number(args['number']));
      if (!pr) {
        throw new GitHubGraphQLError(
          'NOT_FOUND',
          `Could not resolve to a PullRequest with the number of ${String(args['number'])}.`,
          `no pull request #${String(args['number'])} in ${name} (seed it with fake.addPullRequest)`,
        );
      }
      return pullRequestModel(ctx, repo, pr);
    },
    ref: (args: Args) => {
      const branch = String(args['qualifiedName']).replace(/^refs\/heads\//, '');
      if (repo.branches.has(branch)) return refModel(ctx, repo, branch);
      ctx.unexpected(`unknown ref ${String(args['qualifiedName'])} in ${name}`);
      return null;
    },
    object: (args: Args) => objectModel(ctx, repo, args),
  };
}

function objectModel(ctx: GraphQLContext, repo: RepoRecord, args: Args): Model | null {
  const expression = typeof args['oid'] === 'string' ? args['oid'] : String(args['expression']);
  const colon = expression.indexOf(':');
  const rev = colon < 0 ? expression : expression.slice(0, colon) || 'HEAD';
  const ref = rev === 'HEAD' ? repo.defaultBranch : rev;
  if (colon < 0) {
    const sha = ctx.state.resolveRef(repo, ref);
    if (sha !== undefined) return commitModel(ctx, repo, sha);
    ctx.unexpected(`unknown commit or ref "${expression}" in ${repo.owner}/${repo.repo}`);
    return null;
  }
  const text = ctx.state.fileText(repo, ref, expression.slice(colon + 1));
  if (text === undefined) ctx.unexpected(`unknown ref "${rev}" in ${repo.owner}/${repo.repo}`);
  return typeof text === 'string' ? blobModel(text) : null;
}

export function pullRequestModel(ctx: GraphQLContext, repo: RepoRecord, pr: PullRecord): Model {
  const head = headSha(pr);
  return {
    __typename: 'PullRequest',
    id: pr.nodeId,
    databaseId: pr.id,
    number: pr.number,
    url: `${HTML}/${repo.owner}/${repo.repo}/pull/${pr.number}`,
    title: pr.title,
    body: pr.body,
    state: pr.state,
    closed: pr.state !== 'OPEN',
    merged: pr.state === 'MERGED',
    isDraft: pr.isDraft,
    isCrossRepository: pr.isCrossRepository,
    headRefOid: head,
    headRefName: pr.headRefName,
    baseRefName: pr.baseRefName,
    baseRefOid: repo.branches.get(pr.baseRefName) ?? null,
    mergeable: pr.mergeable,
    mergeStateStatus: () => mergeStateStatus(repo, pr),
    changedFiles: pr.files.length,
    additions: pr.files.reduce((n, f) => n + f.additions, 0),
    deletions: pr.files.reduce((n, f) => n + f.deletions, 0),
    createdAt: pr.createdAt,
    updatedAt: pr.updatedAt,
    mergedAt: pr.mergedAt,
    closedAt: pr.closedAt,
    author: pr.author ? actorModel(pr.author) : null,
    labels: (args: ConnectionArgs) =>
      connection(
        pr.labels.map((name) => ({
          __typename: 'Label',
          id: nodeId('LA', `${repo.id}:${name}`),
          name,
        })),
        args,
        'labels',
      ),
    autoMergeRequest: pr.autoMerge
      ? {
          __typename: 'AutoMergeRequest',
          mergeMethod: pr.autoMerge.mergeMethod,
          enabledAt: pr.autoMerge.enabledAt,
          enabledBy: actorModel(pr.autoMerge.enabledBy),
          commitHeadline: pr.autoMerge.commitHeadline,
        }
      : null,
    commits: (args: ConnectionArgs) =>
      connection(
        pr.commitShas.map((sha) => ({
          __typename: 'PullRequestCommit',
          id: nodeId('PURC', `${pr.nodeId}:${sha}`),
          url: `${HTML}/${repo.owner}/${repo.repo}/pull/${pr.number}/commits/${sha}`,
          commit: commitModel(ctx, repo, sha),
        })),
        args,
        'commits',
      ),
    statusCheckRollup: () => rollupModel(ctx, repo, head),
    // The fake has no replies: every review comment opens a thread of its own.
    reviewThreads: (args: ConnectionArgs) =>
      connection(
        repo.reviewComments
          .filter((c) => c.pullNumber === pr.number)
          .map((c) => reviewThreadModel(ctx, repo, pr, c)),
        args,
        'reviewThreads',
      ),
    baseRef: () => refModel(ctx, repo, pr.baseRefName),
    headRef: () => (pr.isCrossRepository ? null : refModel(ctx, repo, pr.headRefName)),
    repository: () => repositoryModel(ctx, repo),
  };
}

export function commitModel(ctx: GraphQLContext, repo: RepoRecord, sha: string): Model {
  const commit = repo.commits.get(sha);
  const message = commit?.message ?? '';
  const [headline = '', ...rest] = message.split('\n');
  return {
    __typename: 'Commit',
    id: nodeId('C', `${repo.id}:${sha}`),
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    message,
    messageHeadline: headline,
    messageBody: rest.join('\n').trim(),
    committedDate: commit?.date ?? null,
    authoredDate: commit?.date ?? null,
    url: `${HTML}/${repo.owner}/${repo.repo}/commit/${sha}`,
    file: (args: Args) => {
      const path = String(args['path']);
      const text = ctx.state.fileText(repo, sha, path);
      if (typeof text !== 'string') return null;
      return {
        __typename: 'TreeEntry',
        name: path.split('/').at(-1) ?? path,
        path,
        oid: blobSha(text),
        type: 'blob',
        mode: 33188,
        size: Buffer.byteLength(text),
        object: blobModel(text),
      };
    },
    // GitHub answers null, not an empty rollup, for a commit nobody reported on.
    statusCheckRollup: () => rollupModel(ctx, repo, sha),
  };
}

function blobModel(text: string): Model {
  const oid = blobSha(text);
  const isBinary = text.includes('\0');
  return {
    __typename: 'Blob',
    id: nodeId('B', oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    byteSize: Buffer.byteLength(text),
    isBinary,
    isTruncated: false,
    text: isBinary ? null : text,
  };
}

export function refModel(ctx: GraphQLContext, repo: RepoRecord, branch: string): Model {
  const required = repo.required.get(branch);
  const classic = required?.classic;
  const rulesets = required?.rulesets;
  const sha = repo.branches.get(branch);
  return {
    __typename: 'Ref',
    id: nodeId('REF', `${repo.id}:refs/heads/${branch}`),
    name: branch,
    prefix: 'refs/heads/',
    target: () => (sha === undefined ? null : commitModel(ctx, repo, sha)),
    repository: () => repositoryModel(ctx, repo),
    refUpdateRule: classic
      ? {
          __typename: 'RefUpdateRule',
          pattern: branch,
          requiredStatusCheckContexts: classic.map((c) => c.context),
          requiredApprovingReviewCount: 0,
          allowsDeletions: false,
          allowsForcePushes: false,
          blocksCreations: false,
          requiresCodeOwnerReviews: false,
          requiresConversationResolution: false,
          requiresLinearHistory: false,
          requiresSignatures: false,
          viewerAllowedToDismissReviews: false,
          viewerCanPush: true,
        }
      : null,
    rules: (args: ConnectionArgs) =>
      connection(
        rulesets
          ? [
              {
                __typename: 'RepositoryRule',
                id: nodeId('RR', `${repo.id}:${branch}`),
                type: 'REQUIRED_STATUS_CHECKS',
                parameters: {
                  __typename: 'RequiredStatusChecksParameters',
                  requiredStatusChecks: rulesets.map((r) => ({
                    __typename: 'StatusCheckConfiguration',
                    context: r.context,
                    integrationId: r.appId,
                  })),
                  strictRequiredStatusChecksPolicy: false,
                  doNotEnforceOnCreate: false,
                },
              },
            ]
          : [],
        args,
        'rules',
      ),
  };
}

export function reviewThreadId(repo: RepoRecord, comment: ReviewCommentRecord): string {
  return nodeId('PRRT', `${repo.id}:${comment.id}`);
}

export function reviewThreadModel(
  ctx: GraphQLContext,
  repo: RepoRecord,
  pr: PullRecord,
  comment: ReviewCommentRecord,
): Model {
  const multiLine = comment.startLine !== null;
  return {
    __typename: 'PullRequestReviewThread',
    id: reviewThreadId(repo, comment),
    isResolved: comment.threadResolved,
    isCollapsed: comment.threadResolved,
    isOutdated: false,
    path: comment.path,
    line: comment.line,
    originalLine: comment.line,
    startLine: comment.startLine,
    originalStartLine: comment.startLine,
    diffSide: comment.side,
    startDiffSide: multiLine ? comment.side : null,
    subjectType: 'LINE',
    // `resolvedBy` is a User: GitHub has no User for an App's bot, so it answers null then.
    resolvedBy:
      comment.resolvedBy && comment.resolvedBy.type === 'User'
        ? actorModel(comment.resolvedBy)
        : null,
    viewerCanReply: true,
    viewerCanResolve: !comment.threadResolved,
    viewerCanUnresolve: comment.threadResolved,
    comments: (args: ConnectionArgs) =>
      connection([reviewCommentModel(repo, comment)], args, 'comments'),
    pullRequest: () => pullRequestModel(ctx, repo, pr),
    repository: () => repositoryModel(ctx, repo),
  };
}

function reviewCommentModel(repo: RepoRecord, comment: ReviewCommentRecord): Model {
  return {
    __typename: 'PullRequestReviewComment',
    id: comment.nodeId,
    databaseId: comment.id,
    // BigInt: GitHub encodes it as a string.
    fullDatabaseId: String(comment.id),
    body: comment.body,
    path: comment.path,
    line: comment.line,
    author: actorModel(comment.user),
    createdAt: comment.createdAt,
    updatedAt: comment.updatedAt,
    url: `${HTML}/${repo.owner}/${repo.repo}/pull/${comment.pullNumber}#discussion_r${comment.id}`,
  };
}
