import type { CommitFacts, PullRequestSnapshot } from '../github/client.ts';

/** GitHub's committer for commits it creates and signs on an account's behalf (API or web). */
const GITHUB_COMMITTER = 'web-flow';
/** GitHub lists at most 250 commits of a pull request; beyond that they cannot all be checked. */
export const MAX_LISTED_COMMITS = 250;

/**
 * The pull request's author is a configured bot account, and every commit is authored by that
 * same bot, committed by it or by GitHub on its behalf, with a signature GitHub verified. Never the
 * event's sender or `github.actor`: whoever triggered the event says nothing about who wrote the
 * code (the Dependabot confused-deputy attack).
 */
export function checkIdentity(
  pr: Pick<PullRequestSnapshot, 'author' | 'isCrossRepository' | 'commitCount'>,
  commits: readonly CommitFacts[],
  bots: readonly string[],
): string[] {
  const author = pr.author;
  if (!author) return ['the pull request has no author (deleted account)'];
  if (!bots.includes(author.login)) {
    return [`author ${author.login} is not one of the configured bots (${bots.join(', ')})`];
  }
  if (author.type !== 'Bot')
    return [`author ${author.login} is a ${author.type} account, not a Bot`];
  const problems: string[] = [];
  if (pr.isCrossRepository) problems.push('the head branch is in a fork');
  if (pr.commitCount > MAX_LISTED_COMMITS) {
    problems.push(
      `${pr.commitCount} commits, over the ${MAX_LISTED_COMMITS} GitHub lists: the commits past the ${MAX_LISTED_COMMITS}th cannot be verified`,
    );
  } else if (commits.length !== pr.commitCount) {
    problems.push(
      `${pr.commitCount} commits, of which GitHub listed ${commits.length}; every commit must be checked`,
    );
  }
  if (commits.length === 0) problems.push('the pull request has no commits');
  for (const commit of commits) problems.push(...checkCommit(commit, author.login));
  return problems;
}

function checkCommit(commit: CommitFacts, bot: string): string[] {
  const short = commit.sha.slice(0, 7);
  const problems: string[] = [];
  if (commit.author?.login !== bot || commit.author.type !== 'Bot') {
    problems.push(
      `commit ${short} is authored by ${commit.author?.login ?? 'an unknown account'}, not ${bot}`,
    );
  }
  const committer = commit.committer?.login;
  if (committer !== bot && committer !== GITHUB_COMMITTER) {
    problems.push(
      `commit ${short} is committed by ${committer ?? 'an unknown account'}, not ${bot}`,
    );
  }
  if (!commit.verified) {
    problems.push(`commit ${short} has no verified signature (${commit.verificationReason})`);
  }
  return problems;
}
