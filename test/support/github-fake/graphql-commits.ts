import { commitModel, refModel } from './graphql-models.ts';
import { GitHubGraphQLError } from './graphql-support.ts';
import type { Args, GraphQLContext, Model } from './graphql-support.ts';
import { isoNow, randomSha } from './ids.ts';

/**
 * GraphQL createCommitOnBranch as GitHub runs it: the branch named by repository and branch name
 * (or its node id), refused with STALE_DATA when it no longer points at expectedHeadOid, file
 * contents base64-decoded, the commit authored by the token's account and signed by GitHub.
 */
export function createCommitOnBranch(ctx: GraphQLContext, input: Args): Model {
  const branchInput = (input['branch'] ?? {}) as Args;
  const nameWithOwner = branchInput['repositoryNameWithOwner'];
  const branchName = branchInput['branchName'];
  if (typeof nameWithOwner !== 'string' || typeof branchName !== 'string') {
    throw new GitHubGraphQLError(
      'UNPROCESSABLE',
      'A branch must be specified by id or by repositoryNameWithOwner and branchName',
      'createCommitOnBranch without repositoryNameWithOwner and branchName (the fake takes no branch id)',
    );
  }
  const [owner = '', name = ''] = nameWithOwner.split('/');
  const repo = ctx.state.repo(owner, name);
  if (!repo) {
    throw new GitHubGraphQLError(
      'NOT_FOUND',
      `Could not resolve to a Repository with the name '${nameWithOwner}'.`,
      `unknown repository ${nameWithOwner} (seed it with fake.addRepo)`,
    );
  }
  const branch = branchName.replace(/^refs\/heads\//, '');
  const tip = repo.branches.get(branch);
  if (tip === undefined) {
    throw new GitHubGraphQLError(
      'NOT_FOUND',
      `A ref named "refs/heads/${branch}" does not exist for the repository "${nameWithOwner}".`,
    );
  }
  const expected = String(input['expectedHeadOid']);
  if (expected !== tip) {
    throw new GitHubGraphQLError(
      'STALE_DATA',
      `Expected branch to point to "${expected}" but it did not. Pull and try again.`,
    );
  }
  const changes = (input['fileChanges'] ?? {}) as Args;
  const additions = (changes['additions'] ?? []) as Args[];
  const deletions = (changes['deletions'] ?? []) as Args[];
  const tree = ctx.state.treeOf(repo, tip);
  for (const addition of additions) {
    const path = String(addition['path']);
    const contents = String(addition['contents']);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(contents) || contents.length % 4 !== 0) {
      throw new GitHubGraphQLError('UNPROCESSABLE', `The contents of ${path} are not valid base64`);
    }
    tree.set(path, Buffer.from(contents, 'base64').toString('utf8'));
  }
  for (const deletion of deletions) tree.delete(String(deletion['path']));

  const message = (input['message'] ?? {}) as Args;
  const headline = String(message['headline'] ?? '');
  const body = typeof message['body'] === 'string' ? message['body'] : '';
  const sha = randomSha();
  const commit = ctx.state.ensureCommit(repo, {
    sha,
    message: body === '' ? headline : `${headline}\n\n${body}`,
    author: ctx.actor,
    committer: { login: 'web-flow', type: 'User' },
    verification: { verified: true, reason: 'valid' },
    date: isoNow(),
  });
  commit.parents = [tip];
  repo.files.set(sha, tree);
  ctx.state.moveBranch(repo, branch, sha, false);
  ctx.state.branchCommits.push({
    owner: repo.owner,
    repo: repo.repo,
    branch,
    sha,
    expectedHeadOid: expected,
    headline,
    body,
    files: additions.map((a) => String(a['path'])),
  });
  return {
    __typename: 'CreateCommitOnBranchPayload',
    clientMutationId: input['clientMutationId'] ?? null,
    commit: commitModel(ctx, repo, sha),
    ref: refModel(ctx, repo, branch),
  };
}
