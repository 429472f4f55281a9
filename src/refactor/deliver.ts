// CONTRACT STUB (owner r-deliver)
import type { GitHubClient } from '../github/client.ts';
import type { ArtifactCheck } from './artifact.ts';

export type CheckedRefactorArtifact = Extract<ArtifactCheck, { ok: true }>;

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

export function deliverRefactor(
  github: GitHubClient,
  artifact: CheckedRefactorArtifact,
  options: { defaultBranch: string; maxOpen: number },
): Promise<RefactorDelivery> {
  void github;
  void artifact;
  void options;
  throw new Error('not integrated');
}

/** What became of one open refactoring pull request whose base moved. */
export interface TendedPullRequest {
  number: number;
  action: 'rebased' | 'closed' | 'current';
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
