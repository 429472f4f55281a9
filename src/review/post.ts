import type { GitHubClient } from '../github/client.ts';
import type { ReviewCommentDraft, ReviewCommentFacts } from '../github/client.ts';
import type { AnchoredFinding } from './anchor.ts';
import { blockMarkdown, inlineMarkdown } from '../markdown/untrusted.ts';
import { formatReviewMarker, hiddenMarker, partitionPosted } from './fingerprint.ts';

/** Marks Steward's one summary comment on a pull request; the review marker rides beside it. */
export const SUMMARY_MARKER = '<!-- steward:review -->';

/**
 * Review calls allowed to find the comments GitHub rejects. Bisection isolates one bad comment
 * among n in about 1 + 2·log2(n) calls (n = 64: 13) and k of them in roughly k times that, so 33
 * covers a few bad comments in a batch of dozens while keeping a broken run well under GitHub's 80
 * content-creating requests a minute.
 */
export const DEFAULT_MAX_REVIEW_CALLS = 33;

const DEFAULT_REVIEW_BODY = 'Steward review: see the summary comment for the whole picture.';

export interface PostReviewInput {
  pullNumber: number;
  /** The head the findings' lines refer to; recorded in the summary as the last reviewed SHA. */
  headSha: string;
  /** Findings anchored inside the diff (AnchorResult.inline). */
  findings: readonly AnchoredFinding[];
  /**
   * The summary comment's text, or a function of how posting went, so the summary can list the
   * comments GitHub rejected. Markers are added here.
   */
  summaryBody: string | ((posting: Omit<PostReviewResult, 'summary'>) => string);
  reviewBody?: string;
  maxReviewCalls?: number;
}

export interface RejectedFinding {
  finding: AnchoredFinding;
  message: string;
}

export interface PostReviewResult {
  posted: number;
  alreadyPosted: number;
  rejected: RejectedFinding[];
  reviewCalls: number;
  summary: 'created' | 'updated' | 'unchanged';
}

export interface ReviewPlan {
  /** Findings to post, each with its comment; empty means no review call at all. */
  comments: { finding: AnchoredFinding; draft: ReviewCommentDraft }[];
  alreadyPosted: AnchoredFinding[];
}

/**
 * Which findings still need a comment. A finding counts as posted when a review comment by
 * Steward's own account (the client knows which: `ours`) opens with its fingerprint marker,
 * wherever that comment now sits: the fingerprint leaves out the line number, so code that moved
 * is not commented twice. A marker anywhere else, or in anyone else's comment, counts for nothing.
 */
export function planReview(
  findings: readonly AnchoredFinding[],
  existing: readonly ReviewCommentFacts[],
): ReviewPlan {
  const ours = existing.filter((c) => c.ours).map((c) => c.body);
  const { fresh, alreadyPosted } = partitionPosted(findings, ours);
  return {
    comments: fresh.map((finding) => ({ finding, draft: toDraft(finding) })),
    alreadyPosted,
  };
}

export function toDraft(finding: AnchoredFinding): ReviewCommentDraft {
  const range = finding.endLine > finding.line ? { startLine: finding.line } : {};
  return {
    path: finding.path,
    line: finding.endLine,
    ...range,
    side: finding.side,
    body: commentBody(finding),
  };
}

/** GitHub refuses a comment body longer than this with a 422. */
export const MAX_COMMENT_LENGTH = 65_536;

const CUT_BODY = '\n\n*(Steward cut this text here: GitHub takes at most 65,536 characters.)*';
const SUGGESTION_TOO_LONG =
  '*(The suggested change was left out: with it the comment would be longer than GitHub takes.)*';

/**
 * The hidden fingerprint marker as the first line (the only place the reader looks for it), the
 * title, the body, and the committable suggestion, which comes only from the finding's
 * `suggestion` field: the model's title and body are rendered as inert text, so nothing it writes
 * can open a suggestion block, a comment or a mention. The whole stays within GitHub's limit.
 */
export function commentBody(finding: AnchoredFinding): string {
  const head = `${hiddenMarker(finding.fingerprint)}\n**${inlineMarkdown(finding.title)}** (${finding.severity})`;
  let tail = finding.suggestion === undefined ? '' : `\n\n${suggestionBlock(finding.suggestion)}`;
  if (head.length + tail.length + CUT_BODY.length + 2 > MAX_COMMENT_LENGTH)
    tail = `\n\n${SUGGESTION_TOO_LONG}`;
  const room = MAX_COMMENT_LENGTH - head.length - tail.length - 2;
  const body = fitted(finding.body.trim(), room);
  return `${head}${body === '' ? '' : `\n\n${body}`}${tail}`;
}

/**
 * The body rendered, cut (before rendering, so no escape or fence is split) to the longest start
 * whose rendering fits `room` with the note that says it was cut.
 */
function fitted(text: string, room: number): string {
  const whole = blockMarkdown(text);
  if (whole.length <= room) return whole;
  const render = (length: number) =>
    blockMarkdown(text.slice(0, length).replace(/[\uD800-\uDBFF]$/, '')) + CUT_BODY;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (render(mid).length <= room) low = mid;
    else high = mid - 1;
  }
  return render(low);
}

/** A suggestion block whose fence is longer than any backtick run inside (fenceFor). */
export function suggestionBlock(suggestion: string): string {
  const code = suggestion.replace(/\r?\n$/, '');
  const fence = fenceFor(code);
  return `${fence}suggestion\n${code}\n${fence}`;
}

/** A backtick fence longer than any backtick run in `text`, so the text cannot close it early. */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

const CLIPPED = '\n\n… (the summary was cut here: GitHub takes at most 65,536 characters)';

/**
 * The summary comment: the marker Steward finds it by (first line), the text, and the last
 * reviewed SHA (last line). A text too long for GitHub is cut short at a line's end, a code block
 * left open by the cut is closed, and both markers stay in place, rather than failing the post.
 */
export function summaryText(summaryBody: string, headSha: string): string {
  const head = `${SUMMARY_MARKER}\n`;
  const tail = `\n\n${formatReviewMarker(headSha)}`;
  let text = summaryBody.trim();
  const room = MAX_COMMENT_LENGTH - head.length - tail.length;
  let keep = room - CLIPPED.length;
  while (text.length > room) {
    const cut = text.slice(0, keep);
    const kept = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
    const fence = openFence(kept);
    const clipped = `${kept}${fence === null ? '' : `\n${fence}`}${CLIPPED}`;
    if (clipped.length <= room) text = clipped;
    else keep -= clipped.length - room;
  }
  return head + text + tail;
}

/**
 * The fence of a code block still open at the end of `markdown`, or null. Steward's renderer puts
 * fences at the start of a line; a run of backticks with more backticks after it on the line is a
 * code span, not a fence.
 */
function openFence(markdown: string): string | null {
  let open: string | null = null;
  for (const line of markdown.split('\n')) {
    if (open === null) open = /^(`{3,})[^`]*$/.exec(line)?.[1] ?? null;
    else if (line.startsWith(open) && /^`+\s*$/.test(line)) open = null;
  }
  return open;
}

/**
 * Posts the new findings as one COMMENT review and upserts the summary comment. When GitHub turns
 * the batch down (422, naming no comment), the batch is halved and each half posted as its own
 * review, down to single comments, within `maxReviewCalls`: the good comments get posted and the
 * rejected ones come back for the summary. Comments not isolated before the budget ran out are
 * reported as rejected too, with that reason, rather than posted blindly.
 */
export async function postReview(
  client: GitHubClient,
  input: PostReviewInput,
): Promise<PostReviewResult> {
  const plan = planReview(input.findings, await client.listReviewComments(input.pullNumber));
  const maxCalls = input.maxReviewCalls ?? DEFAULT_MAX_REVIEW_CALLS;
  const result = { posted: 0, rejected: [] as RejectedFinding[], reviewCalls: 0 };

  type Batch = ReviewPlan['comments'];
  const reject = (batch: Batch, message: string) => {
    for (const { finding } of batch) result.rejected.push({ finding, message });
  };
  // `knownBad` carries GitHub's message when the batch is already known to hold a bad comment:
  // a rejected parent whose first half went through. Such a batch is split without a call, and a
  // single known-bad comment is rejected without one.
  const attempt = async (batch: Batch, knownBad?: string): Promise<boolean> => {
    if (batch.length === 0) return true;
    let message = knownBad;
    if (message === undefined) {
      if (result.reviewCalls >= maxCalls) {
        reject(batch, `not posted: the limit of ${maxCalls} review calls was reached first`);
        return false;
      }
      result.reviewCalls++;
      const outcome = await client.createReview({
        number: input.pullNumber,
        commitId: input.headSha,
        body: input.reviewBody ?? DEFAULT_REVIEW_BODY,
        comments: batch.map((c) => c.draft),
      });
      if (outcome.kind === 'created') {
        result.posted += batch.length;
        return true;
      }
      message = outcome.message;
    }
    if (batch.length === 1) {
      reject(batch, message);
      return false;
    }
    if (result.reviewCalls >= maxCalls) {
      reject(
        batch,
        `GitHub rejected a review holding this comment (${message}); not retried alone: the limit of ${maxCalls} review calls was reached`,
      );
      return false;
    }
    const half = Math.ceil(batch.length / 2);
    const firstPosted = await attempt(batch.slice(0, half));
    await attempt(batch.slice(half), firstPosted ? message : undefined);
    return false;
  };
  await attempt(plan.comments);

  const posting = { ...result, alreadyPosted: plan.alreadyPosted.length };
  const body =
    typeof input.summaryBody === 'string' ? input.summaryBody : input.summaryBody(posting);
  const summary = await client.upsertComment(
    input.pullNumber,
    SUMMARY_MARKER,
    summaryText(body, input.headSha),
  );
  return { ...posting, summary: summary.action };
}
