import type { ReviewRunConfig } from './settings.ts';
import { parseHunks } from '../diff/hunks.ts';
import type { GitHubClient } from '../github/client.ts';
import { MissingPermissionError } from '../github/errors.ts';
import type { PullRequestSnapshot } from '../github/client.ts';
import { healthDeltaOfTexts } from '../health/assess-texts.ts';
import { changedTexts, readMergeBase } from '../health/pull-request.ts';
import type { ModelClient } from '../llm/model-call.ts';
import { fileChanges, fromPullRequestFiles } from '../diff/review-file.ts';
import { filterFiles } from './filter.ts';
import { parseReviewMarker, reviewRange } from './fingerprint.ts';
import { postReview, SUMMARY_MARKER } from './post.ts';
import type { PostReviewResult } from './post.ts';
import { renderReviewMarkdown } from './report/markdown.ts';
import type { PostingNotes } from './report/markdown.ts';
import { emptyReview } from './result.ts';
import type { ReviewResult } from './result.ts';
import { reviewChange } from './review-change.ts';

/**
 * The review of a pull request through the GitHub API alone: no checkout, so no pull-request code
 * is ever on disk, and the same handler runs in the action and in the app. The diff is GitHub's
 * own (the lines it accepts comments on), head texts come from the API, base texts are rebuilt by
 * reverse-applying each patch, and the health delta is taken from those texts.
 */

export interface PullRequestReviewOptions {
  pullNumber: number;
  /** The pull request as read for this run; fetched when absent. */
  snapshot?: PullRequestSnapshot;
  /** From the base branch (never the head): the caller loads and validates it. */
  config: ReviewRunConfig;
  /** Review every change, not only the commits since the last reviewed one. */
  full: boolean;
  /** null: the offline review, for `offlineReason`. */
  model: ModelClient | null;
  offlineReason?: string;
  onProgress?: (message: string) => void;
}

export interface PullRequestReviewOutcome {
  result: ReviewResult;
  /** null when nothing was posted: the head was already reviewed. */
  posting: PostReviewResult | null;
  range: 'full' | 'since' | 'unchanged';
  /** Why the review covered every change (first review, force-push, asked for). */
  rangeReason: string | null;
  /** Why the review could not be posted (a read-only token); null when it was, or had no need. */
  notPosted: string | null;
}

export async function reviewPullRequest(
  client: GitHubClient,
  options: PullRequestReviewOptions,
): Promise<PullRequestReviewOutcome> {
  const progress = options.onProgress ?? (() => undefined);
  const pull = options.snapshot ?? (await client.getPullRequestSnapshot(options.pullNumber));
  const { headSha } = pull;
  const summary = await client.findMarkedComment(options.pullNumber, SUMMARY_MARKER);
  const lastReviewed = summary ? parseReviewMarker(summary.body) : null;
  const range = reviewRange({ lastReviewedSha: lastReviewed, headSha, full: options.full });
  const offlineReason = options.model ? null : (options.offlineReason ?? 'no ANTHROPIC_API_KEY');
  const result: ReviewResult = emptyReview({
    base: pull.baseRefName,
    head: pull.headRefName,
    baseSha: pull.baseSha,
    headSha,
    model: options.model?.model ?? null,
    reason: offlineReason,
  });
  if (range.kind === 'unchanged') {
    progress(`${headSha.slice(0, 7)} was already reviewed: nothing to post`);
    return { result, posting: null, range: 'unchanged', rangeReason: null, notPosted: null };
  }

  progress('reading the merge base');
  const mergeBase = await readMergeBase(client, pull.baseSha, headSha, progress);
  if (mergeBase) result.mergeBaseSha = mergeBase;
  progress('reading the pull request files');
  const files = fromPullRequestFiles(await client.listPullRequestFiles(options.pullNumber));
  const increment = range.kind === 'since' ? await changedSince(client, range.base, headSha) : null;
  const rangeReason =
    range.kind === 'full'
      ? range.reason
      : increment === null
        ? `the last reviewed commit ${range.base.slice(0, 7)} is not behind the head any more (force-push or rebase)`
        : null;

  if (files.length > 0) {
    const { reviewed, skipped } = filterFiles(files, {
      include: options.config.review.include,
      exclude: options.config.review.exclude,
    });
    progress(`reading ${reviewed.length} changed file(s) at ${headSha.slice(0, 7)}`);
    const present = reviewed.filter((f) => f.status !== 'removed' && !f.binary).map((f) => f.path);
    const texts = await client.getFileTexts(present, headSha);
    const contents = new Map<string, string>();
    for (const [path, text] of texts) if (text !== null) contents.set(path, text);
    const health = healthDeltaOfTexts(changedTexts(reviewed, contents), options.config.hotspots);
    const change = await reviewChange({
      reviewed,
      skipped,
      changes: fileChanges(files),
      contents,
      health: health.files,
      settings: options.config.review,
      healthFloor: options.config.hotspots.healthFloor,
      model: options.model,
      offlineReason: offlineReason ?? '',
      ...(increment ? { onlyLines: increment, since: lastReviewed! } : {}),
      onProgress: progress,
    });
    Object.assign(result, change);
    if (files.length < pull.changedFiles) {
      result.notReviewed.push({
        path: `${pull.changedFiles - files.length} more file(s)`,
        reason: 'GitHub lists at most 3,000 files of a pull request',
      });
    }
  }

  progress('posting the review');
  const covered = increment ? 'since' : 'full';
  try {
    const posting = await postReview(client, {
      pullNumber: options.pullNumber,
      headSha,
      findings: result.findings,
      summaryBody: (posted) => renderReviewMarkdown(result, postingNotes(posted)),
    });
    return { result, posting, range: covered, rangeReason, notPosted: null };
  } catch (error: unknown) {
    // A read-only token (a fork's pull_request run) cannot comment: the review is still whole,
    // and the face reports it where it can (job summary, SARIF, CLI output).
    if (!(error instanceof MissingPermissionError)) throw error;
    return { result, posting: null, range: covered, rangeReason, notPosted: error.message };
  }
}

/** What the summary says about posting: the comments GitHub refused, those posted before. */
export function postingNotes(posted: Omit<PostReviewResult, 'summary'>): PostingNotes {
  return {
    alreadyPosted: posted.alreadyPosted,
    rejected: posted.rejected.map(({ finding, message }) => ({
      path: finding.path,
      line: finding.line,
      title: finding.title,
      message,
    })),
  };
}

/**
 * New-side lines each file changed since `base`, or null when the comparison cannot stand for the
 * increment: `base` is gone or no longer behind the head (a force-push), or GitHub truncated it.
 */
async function changedSince(
  client: GitHubClient,
  base: string,
  head: string,
): Promise<Map<string, Set<number>> | null> {
  const comparison = await client.compareCommits(base, head);
  if (!comparison || comparison.status !== 'ahead' || comparison.filesTruncated) return null;
  const lines = new Map<string, Set<number>>();
  for (const file of comparison.files) {
    if (file.patch === null) continue;
    const added = new Set<number>();
    for (const hunk of parseHunks(file.patch))
      for (const line of hunk.lines)
        if (line.kind === 'add' && line.newLine) added.add(line.newLine);
    if (added.size) lines.set(file.path, added);
  }
  return lines;
}
