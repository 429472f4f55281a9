// CONTRACT STUB (owner r-deliver): the signatures of r-deliver's deliver.ts as the faces use them.
import type { GitHubClient } from '../github/client.ts';
import type { CheckedRefactorArtifact } from './artifact.ts';

export type RefactorDelivery =
  /** `opened` now, or `existing`: a rerun found the pull request an earlier run opened. */
  | {
      kind: 'opened' | 'existing';
      number: number;
      url: string;
      branch: string;
      commitSha: string;
    }
  /** The base moved, the file changed, max-open reached, the fingerprint rejected: why. */
  | { kind: 'not-delivered'; reason: string };

export interface DeliverOptions {
  defaultBranch: string;
  maxOpen: number;
}

export function deliverRefactor(
  github: GitHubClient,
  checked: CheckedRefactorArtifact,
  options: DeliverOptions,
): Promise<RefactorDelivery> {
  void github;
  void checked;
  void options;
  throw new Error('not integrated');
}

/** What became of one open refactoring pull request. */
export interface TendedPullRequest {
  number: number;
  action: 'current' | 'rebased' | 'closed' | 'left';
  reason: string;
}

export function tendRefactorPullRequests(
  github: GitHubClient,
  defaultBranchTip: string,
): Promise<TendedPullRequest[]> {
  void github;
  void defaultBranchTip;
  throw new Error('not integrated');
}
