import { mergeStateStatus } from './checks.ts';
import { createCommitOnBranch } from './graphql-commits.ts';
import {
  actorModel,
  pullRequestModel,
  repositoryModel,
  reviewThreadId,
  reviewThreadModel,
} from './graphql-models.ts';
import { GitHubGraphQLError } from './graphql-support.ts';
import type { Args, GraphQLContext, Model } from './graphql-support.ts';
import { isoNow } from './ids.ts';
import { headSha } from './state.ts';
import type { PullRecord, RepoRecord } from './state.ts';

/** States in which GitHub merges at once, so it refuses to arm auto-merge instead. */
const IMMEDIATELY_MERGEABLE = new Set(['CLEAN', 'UNSTABLE', 'HAS_HOOKS']);

type MergeMethodEnum = 'MERGE' | 'SQUASH' | 'REBASE';

/** Root fields of Query and Mutation the fake implements. */
export function rootValue(ctx: GraphQLContext): Record<string, unknown> {
  return {
    repository: (args: Args) => {
      const repo = ctx.state.repo(String(args['owner']), String(args['name']));
      if (!repo) {
        const name = `${String(args['owner'])}/${String(args['name'])}`;
        throw new GitHubGraphQLError(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${name}'.`,
          `unknown repository ${name} (seed it with fake.addRepo)`,
        );
      }
      return repositoryModel(ctx, repo);
    },
    // `viewer` is a User: for an installation token GitHub answers with the App's bot user, named
    // as REST names it (`github-actions[bot]`), unlike a Bot object's `login` (`github-actions`).
    viewer: () => ({ ...actorModel(ctx.actor), __typename: 'User', login: ctx.actor.login }),
    enablePullRequestAutoMerge: (args: Args) => enableAutoMerge(ctx, input(args)),
    createCommitOnBranch: (args: Args) => createCommitOnBranch(ctx, input(args)),
    resolveReviewThread: (args: Args) =>
      setThreadResolved(ctx, input(args), true, 'ResolveReviewThreadPayload'),
    unresolveReviewThread: (args: Args) =>
      setThreadResolved(ctx, input(args), false, 'UnresolveReviewThreadPayload'),
    disablePullRequestAutoMerge: (args: Args) => {
      const { repo, pr } = pullFor(ctx, input(args));
      pr.autoMerge = null;
      return payload('DisablePullRequestAutoMergePayload', ctx, repo, pr, input(args));
    },
  };
}

function input(args: Args): Args {
  return (args['input'] ?? {}) as Args;
}

function pullFor(ctx: GraphQLContext, input: Args): { repo: RepoRecord; pr: PullRecord } {
  const id = String(input['pullRequestId']);
  const pr = ctx.state.pullByNodeId(id);
  const repo = pr && ctx.state.repo(pr.owner, pr.repo);
  if (!pr || !repo) {
    throw new GitHubGraphQLError(
      'NOT_FOUND',
      `Could not resolve to a node with the global id of '${id}'`,
      `no pull request with node id ${id}`,
    );
  }
  return { repo, pr };
}

function enableAutoMerge(ctx: GraphQLContext, input: Args): Model {
  const { repo, pr } = pullFor(ctx, input);
  const refuse = (message: string) => new GitHubGraphQLError('UNPROCESSABLE', message);
  if (!repo.allowAutoMerge)
    throw refuse('Pull request Auto merge is not allowed for this repository');
  if (pr.state !== 'OPEN') throw refuse('Pull request Pull request is closed');
  const expected = input['expectedHeadOid'];
  if (typeof expected === 'string' && expected !== headSha(pr)) {
    throw refuse('Head branch was modified. Review and try the merge again.');
  }
  const status = mergeStateStatus(repo, pr);
  if (IMMEDIATELY_MERGEABLE.has(status) || status === 'DRAFT') {
    throw refuse(`Pull request Pull request is in ${status.toLowerCase()} status`);
  }
  const mergeMethod = (input['mergeMethod'] ?? 'MERGE') as MergeMethodEnum;
  const commitHeadline =
    typeof input['commitHeadline'] === 'string' ? input['commitHeadline'] : null;
  pr.autoMerge = { mergeMethod, enabledAt: isoNow(), enabledBy: ctx.actor, commitHeadline };
  ctx.state.autoMergeArms.push({
    owner: repo.owner,
    repo: repo.repo,
    number: pr.number,
    pullRequestId: pr.nodeId,
    expectedHeadOid: typeof expected === 'string' ? expected : null,
    mergeMethod,
    commitHeadline,
  });
  return payload('EnablePullRequestAutoMergePayload', ctx, repo, pr, input);
}

function payload(
  typename: string,
  ctx: GraphQLContext,
  repo: RepoRecord,
  pr: PullRecord,
  input: Args,
): Model {
  return {
    __typename: typename,
    clientMutationId: input['clientMutationId'] ?? null,
    actor: actorModel(ctx.actor),
    pullRequest: pullRequestModel(ctx, repo, pr),
  };
}

function setThreadResolved(
  ctx: GraphQLContext,
  input: Args,
  resolved: boolean,
  typename: string,
): Model {
  const id = String(input['threadId']);
  for (const repo of ctx.state.repos.values()) {
    const comment = repo.reviewComments.find((c) => reviewThreadId(repo, c) === id);
    const pr = comment && repo.pulls.get(comment.pullNumber);
    if (!comment || !pr) continue;
    comment.threadResolved = resolved;
    comment.resolvedBy = resolved ? ctx.actor : null;
    return {
      __typename: typename,
      clientMutationId: input['clientMutationId'] ?? null,
      thread: reviewThreadModel(ctx, repo, pr, comment),
    };
  }
  throw new GitHubGraphQLError(
    'NOT_FOUND',
    `Could not resolve to a node with the global id of '${id}'`,
    `no review thread with node id ${id}`,
  );
}
