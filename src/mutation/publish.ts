import type {
  GitHubClient,
  ReviewCommentFacts,
  ReviewThreadFacts,
  UpsertOutcome,
} from '../github/client.ts';
import { MissingPermissionError } from '../github/errors.ts';
import { planComments, suppressionsFrom, type PostedComment } from './comments.ts';
import {
  isResolvedSurvivorComment,
  parseMutantMarker,
  reopenedSurvivorComment,
  resolvedSurvivorComment,
  SUMMARY_MARKER,
  sameSummaryApartFromDuration,
} from './markdown.ts';
import type { MutationRun } from './run-mutation.ts';
import type { MutateRange } from './scope.ts';
import type { Suppressions } from './survivors.ts';

/**
 * The mutation report on the pull request, as every face publishes it over the GitHub port:
 * before the run, what reviewers said (👍 / 👎 on Steward's survivor comments, repository-wide);
 * after it, one upserted summary, the new survivors as one COMMENT review pinned to the head
 * that was tested, and the comments whose mutant no longer survives marked resolved. Every write
 * is idempotent: a rerun or a redelivery with the same run writes nothing.
 */

export interface MutationFeedback {
  /** This pull request's review comments (Steward's and anyone's), reactions counted as below. */
  posted: PostedComment[];
  /**
   * What 👎 turned down: Steward's survivor comments anywhere in the repository (its newest
   * REPOSITORY_REVIEW_COMMENTS_LIMIT review comments) with more 👎 than 👍 from people with write
   * access. An outsider's reaction on a public repository counts for nothing.
   */
  suppressed: Suppressions;
  /** 👍 and 👎 that count, on Steward's survivor comments read. */
  thumbsUp: number;
  thumbsDown: number;
}

export type PublishOutcome =
  | {
      kind: 'published';
      summary: UpsertOutcome['action'];
      /** Survivor comments posted by this run (0 when GitHub rejected the review). */
      posted: number;
      /** Comments this run marked resolved: their mutant no longer survives. */
      resolved: number;
      /** Resolved comments whose mutant survives again, restored and unresolved. */
      reopened: number;
      /** Steward's survivor comments left as they were. */
      kept: number;
      /** GitHub's message when it refused the review (a line off the diff); null otherwise. */
      rejected: string | null;
    }
  /** The token may not write (a fork's read-only GITHUB_TOKEN): the face reports elsewhere. */
  | { kind: 'not-permitted'; message: string };

/** Comments whose reactions are read at most, newest first: bounds the requests of one run. */
export const MAX_REACTION_LOOKUPS = 100;

/** Permissions whose holders' 👍 / 👎 count: people who may push to the repository. */
function canWrite(flags: { admin: boolean; maintain: boolean; push: boolean }): boolean {
  return flags.push || flags.maintain || flags.admin;
}

/** Before the run: Steward's survivor comments on this PR and the repository's 👎 suppressions. */
export async function readMutationFeedback(
  github: GitHubClient,
  pullRequest: number,
): Promise<MutationFeedback> {
  const [here, elsewhere] = await Promise.all([
    github.listReviewComments(pullRequest),
    github.listRepositoryReviewComments(),
  ]);
  const seen = new Set<number>();
  const all: ReviewCommentFacts[] = [];
  for (const comment of [...here, ...elsewhere]) {
    if (seen.has(comment.id)) continue;
    seen.add(comment.id);
    all.push(comment);
  }
  const counts = await countedReactions(github, all);
  const toPosted = (c: ReviewCommentFacts): PostedComment => ({
    id: c.id,
    body: c.body,
    bySteward: c.ours,
    thumbsUp: counts.get(c.id)?.up ?? 0,
    thumbsDown: counts.get(c.id)?.down ?? 0,
    path: c.path,
    line: c.line,
  });
  let thumbsUp = 0;
  let thumbsDown = 0;
  for (const { up, down } of counts.values()) {
    thumbsUp += up;
    thumbsDown += down;
  }
  return {
    posted: here.map(toPosted),
    suppressed: suppressionsFrom(all.map(toPosted)),
    thumbsUp,
    thumbsDown,
  };
}

/**
 * 👍 and 👎 on Steward's survivor comments, from people with write access only. GitHub's rollup
 * counts anyone's reactions, so for each comment with any, who reacted is listed and each person's
 * permission asked (once per login per run). Another bot's reaction never counts.
 */
async function countedReactions(
  github: GitHubClient,
  comments: readonly ReviewCommentFacts[],
): Promise<Map<number, { up: number; down: number }>> {
  const writers = new Map<string, Promise<boolean>>();
  const isWriter = (login: string): Promise<boolean> => {
    const key = login.toLowerCase();
    let known = writers.get(key);
    if (known === undefined) {
      known = github.getCollaboratorPermission(login).then(
        (permission) => canWrite(permission.flags),
        (error: unknown) => {
          // A token that may not read permissions counts nobody: nothing gets suppressed.
          if (error instanceof MissingPermissionError) return false;
          throw error;
        },
      );
      writers.set(key, known);
    }
    return known;
  };
  const reacted = comments
    .filter((c) => c.ours && parseMutantMarker(c.body) !== null)
    .filter((c) => c.thumbsUp > 0 || c.thumbsDown > 0)
    .slice(0, MAX_REACTION_LOOKUPS);
  const counts = new Map<number, { up: number; down: number }>();
  for (const comment of reacted) {
    const up = new Set<string>();
    const down = new Set<string>();
    for (const reaction of await github.listReviewCommentReactions(comment.id)) {
      if (reaction.content !== '+1' && reaction.content !== '-1') continue;
      if (reaction.login === null || reaction.userType !== 'User') continue;
      if (!(await isWriter(reaction.login))) continue;
      (reaction.content === '+1' ? up : down).add(reaction.login.toLowerCase());
    }
    counts.set(comment.id, { up: up.size, down: down.size });
  }
  return counts;
}

export interface PublishInput {
  github: GitHubClient;
  pullRequest: number;
  /** The head the run tested: the review's comments are pinned to it. */
  headSha: string;
  run: MutationRun;
  feedback: MutationFeedback;
}

/**
 * After the run: upsert the summary, post new survivor comments as ONE review with event COMMENT
 * pinned to headSha, mark resolved the comments whose mutant a test now kills.
 */
export async function publishMutationRun(input: PublishInput): Promise<PublishOutcome> {
  try {
    return await publish(input);
  } catch (error: unknown) {
    if (error instanceof MissingPermissionError)
      return { kind: 'not-permitted', message: error.message };
    throw error;
  }
}

async function publish({
  github,
  pullRequest,
  headSha,
  run,
  feedback,
}: PublishInput): Promise<PublishOutcome> {
  const previous = await github.findMarkedComment(pullRequest, SUMMARY_MARKER);
  const summary =
    previous !== null && sameSummaryApartFromDuration(previous.body, run.summary)
      ? { action: 'unchanged' as const }
      : await github.upsertComment(pullRequest, SUMMARY_MARKER, run.summary);
  const outcome = {
    kind: 'published' as const,
    summary: summary.action,
    posted: 0,
    resolved: 0,
    reopened: 0,
    kept: 0,
    rejected: null as string | null,
  };
  // A run without a report says nothing about which mutants survive: the comments stay as they are.
  if (run.kind !== 'report') return outcome;

  // Listed again now, not taken from before the run: a run that posted meanwhile (a redelivery,
  // two pushes close together) is seen, and nothing is posted twice.
  const reactions = new Map(feedback.posted.map((c) => [c.id, c]));
  const posted: PostedComment[] = (await github.listReviewComments(pullRequest)).map((c) => ({
    id: c.id,
    body: c.body,
    bySteward: c.ours,
    thumbsUp: reactions.get(c.id)?.thumbsUp ?? 0,
    thumbsDown: reactions.get(c.id)?.thumbsDown ?? 0,
    path: c.path,
    line: c.line,
  }));
  const byId = new Map(posted.map((c) => [c.id, c]));
  const plan = planComments(run.result.comments, posted, run.result.surviving);

  if (plan.post.length > 0) {
    const review = await github.createReview({
      number: pullRequest,
      commitId: headSha,
      body: reviewBody(plan.post.length),
      comments: plan.post.map((c) => ({ path: c.path, line: c.line, side: 'RIGHT', body: c.body })),
    });
    if (review.kind === 'created') outcome.posted = plan.post.length;
    else outcome.rejected = review.message;
  }

  // A partial run did not test every mutant, and a comment outside this run's ranges was not
  // tested at all: neither says its mutant is gone. A comment already in resolved form was
  // resolved thread first, body last, so it is done; a thread a person reopened since is theirs.
  const isResolved = (id: number) => isResolvedSurvivorComment(byId.get(id)?.body ?? '');
  const resolve = run.partial
    ? []
    : plan.resolve.filter((id) => wasTested(byId.get(id), run.ranges) && !isResolved(id));
  const reopen = plan.kept.filter(isResolved);
  outcome.kept = plan.kept.length - reopen.length + plan.resolve.length - resolve.length;
  if (resolve.length === 0 && reopen.length === 0) return outcome;

  const threads = new Map<number, ReviewThreadFacts>();
  for (const thread of await github.listReviewThreads(pullRequest))
    if (thread.firstCommentId !== null) threads.set(thread.firstCommentId, thread);
  const wanted = new Map(run.result.comments.map((c) => [c.fingerprint, c.body]));

  for (const id of resolve) {
    const thread = threads.get(id);
    if (thread && !thread.isResolved) await github.setReviewThreadResolved(thread.id, true);
    await github.updateReviewComment(id, resolvedSurvivorComment(byId.get(id)!.body));
    outcome.resolved++;
  }
  for (const id of reopen) {
    const body = byId.get(id)!.body;
    const thread = threads.get(id);
    if (thread?.isResolved) await github.setReviewThreadResolved(thread.id, false);
    const print = parseMutantMarker(body)?.fingerprint ?? '';
    await github.updateReviewComment(id, wanted.get(print) ?? reopenedSurvivorComment(body));
    outcome.reopened++;
  }
  return outcome;
}

/** Whether the run mutated where the comment is: its file, and its line when not outdated. */
function wasTested(comment: PostedComment | undefined, ranges: readonly MutateRange[]): boolean {
  if (comment?.path === undefined) return false;
  const line = comment.line ?? null;
  return ranges.some(
    (r) => r.path === comment.path && (line === null || (line >= r.startLine && line <= r.endLine)),
  );
}

function reviewBody(count: number): string {
  const mutants = count === 1 ? 'a surviving mutant' : `${count} surviving mutants`;
  return `**Steward mutation report**: ${mutants} on the changed lines, each in a comment below. A 👍 or 👎 on a comment from someone with write access tells Steward whether it helped; after a 👎 it stops reporting that kind of mutant in this repository.`;
}
