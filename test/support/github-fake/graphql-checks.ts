import { isRequired, rollup, rollupState } from './checks.ts';
import type { RollupEntry } from './checks.ts';
import { GitHubGraphQLError, connection } from './graphql-support.ts';
import type { Args, ConnectionArgs, GraphQLContext, Model } from './graphql-support.ts';
import { nodeId } from './ids.ts';
import { HTML } from './rest-shapes.ts';
import type { PullRecord, RepoRecord } from './state.ts';

/** A commit's status check rollup: check runs and commit statuses, each able to say if it is required. */

export function rollupModel(ctx: GraphQLContext, repo: RepoRecord, sha: string): Model | null {
  const entries = rollup(repo, sha);
  if (entries.length === 0) return null;
  return {
    __typename: 'StatusCheckRollup',
    id: nodeId('SCR', `${repo.id}:${sha}`),
    state: rollupState(entries),
    contexts: (args: ConnectionArgs) => ({
      ...connection(
        entries.map((entry) => contextModel(ctx, repo, entry)),
        args,
        'contexts',
      ),
      checkRunCount: entries.filter((e) => e.kind === 'check-run').length,
      statusContextCount: entries.filter((e) => e.kind === 'status').length,
    }),
  };
}

function contextModel(ctx: GraphQLContext, repo: RepoRecord, entry: RollupEntry): Model {
  const required = (args: Args) => isRequired(repo, requiringPull(ctx, repo, args), entry);
  if (entry.kind === 'status') {
    const s = entry.status;
    return {
      __typename: 'StatusContext',
      id: nodeId('SC', `${repo.id}:${s.id}`),
      context: s.context,
      state: s.state.toUpperCase(),
      targetUrl: s.targetUrl ?? null,
      description: s.description ?? null,
      createdAt: s.createdAt,
      isRequired: required,
    };
  }
  const run = entry.run;
  return {
    __typename: 'CheckRun',
    id: nodeId('CR', `${repo.id}:${run.id}`),
    databaseId: run.id,
    name: run.name,
    status: run.status.toUpperCase(),
    conclusion: run.conclusion?.toUpperCase() ?? null,
    detailsUrl: run.detailsUrl ?? `${HTML}/${repo.owner}/${repo.repo}/runs/${run.id}`,
    url: `${HTML}/${repo.owner}/${repo.repo}/runs/${run.id}`,
    startedAt: run.startedAt,
    completedAt: run.status === 'completed' ? run.startedAt : null,
    isRequired: required,
    checkSuite: {
      __typename: 'CheckSuite',
      id: nodeId('CS', `${repo.id}:${run.app.id}`),
      databaseId: run.app.id * 1000 + repo.id,
      app: {
        __typename: 'App',
        id: nodeId('A', String(run.app.id)),
        databaseId: run.app.id,
        slug: run.app.slug,
        name: run.app.slug,
      },
    },
  };
}

/** The pull request `isRequired(pullRequestNumber | pullRequestId)` asks about. */
function requiringPull(ctx: GraphQLContext, repo: RepoRecord, args: Args): PullRecord | undefined {
  const number = args['pullRequestNumber'];
  const id = args['pullRequestId'];
  if (number == null && id == null) {
    throw new GitHubGraphQLError(
      'UNPROCESSABLE',
      'One of pullRequestId or pullRequestNumber must be provided.',
      'isRequired without pullRequestId or pullRequestNumber',
    );
  }
  const pr = number != null ? repo.pulls.get(Number(number)) : ctx.state.pullByNodeId(String(id));
  if (!pr) ctx.unexpected(`isRequired asked about unknown pull request ${String(number ?? id)}`);
  return pr;
}
