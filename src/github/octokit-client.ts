import { createCheckMethods } from './checks.ts';
import type { GitHubClient, RepoRef } from './client.ts';
import { createCollaborationMethods } from './collaboration.ts';
import { createCommentMethods } from './comments.ts';
import { createCommitMethods } from './commits.ts';
import { createContentMethods } from './contents.ts';
import { createIssueMethods } from './issues.ts';
import { createLabelMethods } from './labels.ts';
import { createMergeMethods } from './merge.ts';
import { createPullMethods } from './pulls.ts';
import { createReviewMethods } from './reviews.ts';
import { createSnapshotMethods } from './snapshot.ts';
import { createTransport, type GitHubClientOptions, type OctokitLike } from './transport.ts';

export type { GitHubClientOptions, OctokitLike } from './transport.ts';

/**
 * The GitHub client over an Octokit: the faces build it from @actions/github's Octokit (an action,
 * the CLI) or Probot's context.octokit (the app). Each area answers for its own methods over one
 * shared transport, which checks every answer against GitHub's documented shape.
 */
export function createGitHubClient(
  octokit: OctokitLike,
  repo: RepoRef,
  options: GitHubClientOptions = {},
): GitHubClient {
  const transport = createTransport(octokit, repo, options);
  return {
    repo,
    ...createContentMethods(transport),
    ...createSnapshotMethods(transport),
    ...createPullMethods(transport),
    ...createCheckMethods(transport),
    ...createCommentMethods(transport),
    ...createLabelMethods(transport),
    ...createReviewMethods(transport),
    ...createMergeMethods(transport),
    ...createCollaborationMethods(transport),
    ...createCommitMethods(transport),
    ...createIssueMethods(transport),
  };
}
