import type { GitHubClient } from '../src/github/client.ts';
import type { RepoRef } from '../src/github/client.ts';
import type { Leases } from './leases.ts';
import type { ConfigOutcome } from '../src/config/loader.ts';
import type { Delivery } from './deliveries.ts';
import type { AppMetrics } from './metrics.ts';

/**
 * Everything a handler gets for one webhook. Handlers see the narrow GitHubClient, never Probot's
 * context, so the work they do is the work an action does.
 */
export interface EventScope {
  delivery: Delivery;
  repo: RepoRef;
  /** From the payload's repository: where dispatched workflows run, and commands read config. */
  defaultBranch: string;
  /** The repository's web page from the payload (`https://host/owner/repo`); null when it gave none. */
  webUrl: string | null;
  client: GitHubClient;
  /**
   * The repository's config at `ref` (and what it extends, or the organisation's), read once per
   * event and ref through the one loader every face uses. Pull request events pass the base branch.
   */
  config(ref: string): Promise<ConfigOutcome>;
  leases: Leases;
  metrics: AppMetrics;
}

export function repoName(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`;
}
