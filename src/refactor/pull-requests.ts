// CONTRACT STUB (owner r-deliver)
import type { GitHubClient } from '../github/client.ts';

export interface OpenRefactorPullRequest {
  number: number;
  path: string;
  function: string;
  fingerprint: string;
}

export interface RefactorPullRequests {
  /** Ours, with the marker and the label. */
  open: OpenRefactorPullRequest[];
  /** Fingerprints of ours closed unmerged: "not wanted". */
  rejected: Set<string>;
  /** Files changed by any open pull request. */
  openPaths: Set<string>;
}

export function refactorPullRequests(github: GitHubClient): Promise<RefactorPullRequests> {
  void github;
  throw new Error('not integrated');
}
