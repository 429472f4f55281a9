import type { GitHubClient } from '../src/github/client.ts';
import type { RepoRef } from '../src/github/types.ts';
import type { Claims } from './claims.ts';
import type { RepoConfigOutcome } from './config.ts';
import type { Delivery } from './deliveries.ts';
import type { AppMetrics } from './metrics.ts';

/**
 * Everything a handler gets for one webhook. Handlers see the narrow GitHubClient, never Probot's
 * context, so the work they do is the work an action does.
 */
export interface EventScope {
  delivery: Delivery;
  repo: RepoRef;
  /** From the payload's repository: where config and dispatched workflows are read. */
  defaultBranch: string;
  client: GitHubClient;
  /** The repository's config from its default branch (and organisation), read once per event. */
  config(): Promise<RepoConfigOutcome>;
  claims: Claims;
  metrics: AppMetrics;
}

export function repoName(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`;
}
