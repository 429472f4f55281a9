import { z } from 'zod';
import { restAccount, restCommitUser } from './accounts.ts';
import type { CommitComparison, CommitFacts, GitHubClient, PullRequestFile } from './client.ts';
import { explainGitHubError, isRequestError } from './errors.ts';
import type { Transport } from './transport.ts';

/** A pull request's commits and files, a comparison of two commits, and the pull requests of a SHA. */

type PullMethods = Pick<
  GitHubClient,
  | 'listPullRequestCommits'
  | 'listPullRequestFiles'
  | 'compareCommits'
  | 'findOpenPullRequestsForSha'
>;

/** GitHub lists at most this many files of a comparison, on its first page, however many changed. */
export const COMPARE_MAX_FILES = 300;

/** REST `diff-entry`: a changed file of a pull request or a comparison. */
const diffEntry = z.object({
  filename: z.string(),
  status: z.enum(['added', 'removed', 'modified', 'renamed', 'copied', 'changed', 'unchanged']),
  additions: z.number(),
  deletions: z.number(),
  // Absent for binary files and for patches GitHub finds too large.
  patch: z.string().nullish(),
  previous_filename: z.string().nullish(),
});

/** REST `commit`, as much as identity checks read. `verification` is optional in GitHub's description. */
const commit = z.object({
  sha: z.string(),
  author: restCommitUser,
  committer: restCommitUser,
  commit: z.object({
    message: z.string(),
    verification: z.object({ verified: z.boolean(), reason: z.string() }).optional(),
  }),
});

/** REST `commit-comparison`; `files` is optional in GitHub's description. */
const comparison = z.object({
  status: z.string(),
  ahead_by: z.number(),
  behind_by: z.number(),
  merge_base_commit: z.object({ sha: z.string() }),
  files: z.array(diffEntry).optional(),
});

/** REST `pull-request-simple`, as much as "which open pull requests does this SHA head" reads. */
const pullRequestSimple = z.object({
  number: z.number(),
  state: z.string(),
  head: z.object({ sha: z.string() }),
});

const COMPARISON_STATUSES: readonly string[] = ['ahead', 'behind', 'diverged', 'identical'];

export function createPullMethods(t: Transport): PullMethods {
  return {
    async listPullRequestCommits(number) {
      const what = `the commits of pull request #${number}`;
      const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits';
      const items = await t.read(what, () =>
        t.paginate(what, route, { pull_number: number }, 250, commit),
      );
      return items.map(toCommitFacts);
    },

    async listPullRequestFiles(number) {
      const what = `the files of pull request #${number}`;
      const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files';
      const items = await t.read(what, () =>
        t.paginate(what, route, { pull_number: number }, 3000, diffEntry),
      );
      return items.map(toPullRequestFile);
    },

    async compareCommits(baseRef, headRef) {
      const basehead = `${baseRef}...${headRef}`;
      try {
        const data = await t.request(
          `the comparison ${basehead}`,
          'GET /repos/{owner}/{repo}/compare/{basehead}',
          // Paging walks commits, which Steward does not read; the files all come on page 1 anyway.
          { basehead, per_page: 1 },
          comparison,
        );
        return toCommitComparison(data);
      } catch (error: unknown) {
        if (isRequestError(error) && error.status === 404) return null;
        throw explainGitHubError(error, 'compare commits', 'contents=read');
      }
    },

    async findOpenPullRequestsForSha(sha) {
      const what = `the pull requests of commit ${sha.slice(0, 7)}`;
      const route = 'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls';
      const items = await t.read(what, () =>
        t.paginate(what, route, { commit_sha: sha }, 300, pullRequestSimple),
      );
      return items
        .filter((pr) => pr.state === 'open' && pr.head.sha === sha)
        .map((pr) => pr.number);
    },
  };
}

function toCommitFacts(raw: z.output<typeof commit>): CommitFacts {
  const verification = raw.commit.verification;
  return {
    sha: raw.sha,
    author: restAccount(raw.author),
    committer: restAccount(raw.committer),
    verified: verification?.verified === true,
    verificationReason: verification?.reason || 'unknown',
    message: raw.commit.message,
  };
}

function toPullRequestFile(raw: z.output<typeof diffEntry>): PullRequestFile {
  return {
    path: raw.filename,
    previousPath: raw.previous_filename || null,
    status: raw.status,
    additions: raw.additions,
    deletions: raw.deletions,
    patch: raw.patch ?? null,
  };
}

function toCommitComparison(raw: z.output<typeof comparison>): CommitComparison {
  const files = (raw.files ?? []).map(toPullRequestFile);
  return {
    // An unknown status claims nothing about order: diverged sends the caller down the safe path.
    status: COMPARISON_STATUSES.includes(raw.status)
      ? (raw.status as CommitComparison['status'])
      : 'diverged',
    aheadBy: raw.ahead_by,
    behindBy: raw.behind_by,
    mergeBaseSha: raw.merge_base_commit.sha,
    files,
    filesTruncated: files.length >= COMPARE_MAX_FILES,
  };
}
