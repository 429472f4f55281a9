import type { GitHubClient, ListedPullRequest } from '../github/client.ts';
import { readRefactorMarker, type RefactorMarker } from './markdown.ts';

/**
 * What Steward remembers of its refactoring pull requests, read from GitHub each run (no state of
 * its own): the open ones (max-open, tending, idempotency), the fingerprints of those a person
 * closed without merging ("not wanted"), and the files any open pull request changes (a refactor
 * there would conflict). Only a pull request opened by the token's own account and opening with
 * the refactor marker counts as Steward's: a person's pull request with a copied marker is nobody's.
 */

export type RefactorPullRequestsPort = Pick<
  GitHubClient,
  'listPullRequests' | 'listPullRequestFiles'
>;

export interface RefactorPullRequest extends ListedPullRequest {
  marker: RefactorMarker;
  /** The marker's, at hand. */
  path: string;
  function: string;
  fingerprint: string;
}

/** The name the faces use. */
export type OpenRefactorPullRequest = RefactorPullRequest;

export interface RefactorPullRequests {
  /** Steward's open refactoring pull requests, newest first. */
  open: RefactorPullRequest[];
  /** Fingerprints of Steward's refactoring pull requests closed unmerged, not by Steward as stale. */
  rejected: Set<string>;
  /** Files changed by any open pull request, Steward's or anyone's (empty when not asked for). */
  openPaths: Set<string>;
}

export interface RefactorPullRequestsOptions {
  /** Read the files of every open pull request (one request each); default true. */
  paths?: boolean;
  /** Pages of 100 closed pull requests read for rejections (default the client's, 10). */
  closedPages?: number;
}

/** A listed pull request as Steward's refactoring one, or null when it is not. */
export function asRefactorPullRequest(pr: ListedPullRequest): RefactorPullRequest | null {
  if (!pr.ours || pr.isCrossRepository) return null;
  const marker = readRefactorMarker(pr.body);
  return marker
    ? {
        ...pr,
        marker,
        path: marker.path,
        function: marker.function,
        fingerprint: marker.fingerprint,
      }
    : null;
}

export async function refactorPullRequests(
  github: RefactorPullRequestsPort,
  options: RefactorPullRequestsOptions = {},
): Promise<RefactorPullRequests> {
  const [openAll, closedAll] = await Promise.all([
    github.listPullRequests('open'),
    github.listPullRequests(
      'closed',
      options.closedPages === undefined ? {} : { maxPages: options.closedPages },
    ),
  ]);
  const open = openAll.flatMap((pr) => asRefactorPullRequest(pr) ?? []);
  const rejected = new Set(
    closedAll
      .flatMap((pr) => asRefactorPullRequest(pr) ?? [])
      .filter((pr) => !pr.merged && !pr.marker.stale)
      .map((pr) => pr.marker.fingerprint),
  );
  const openPaths = new Set<string>();
  if (options.paths !== false) {
    for (const pr of openAll) {
      for (const file of await github.listPullRequestFiles(pr.number)) {
        openPaths.add(file.path);
        if (file.previousPath !== null) openPaths.add(file.previousPath);
      }
    }
  }
  return { open, rejected, openPaths };
}
