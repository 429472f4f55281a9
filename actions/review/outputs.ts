import type { StepMessage, StepReport } from '../shared/step.ts';
import { stepReport } from '../shared/step.ts';
import type { PullRequestJobOutcome } from '../../src/review/pull-request-job.ts';
import { postingNotes } from '../../src/review/pull-request-review.ts';
import { renderReviewMarkdown } from '../../src/review/report/markdown.ts';
import { renderReviewSarif } from '../../src/review/report/sarif.ts';

/** The event named no pull request to review. */
export interface ReviewIgnored {
  kind: 'ignored';
  reason: string;
}

/**
 * What the review step reports, from the use case's outcome alone: its outputs (action.yml), log
 * lines, the SARIF file, the review in the job summary, and the fail-on gate as the step's error.
 */
export function reviewReport(
  outcome: PullRequestJobOutcome | ReviewIgnored,
  sarifFile?: string,
): StepReport {
  if (outcome.kind === 'ignored')
    return stepReport({ messages: [notice(`Steward review did nothing: ${outcome.reason}.`)] });
  const { pull } = outcome;
  if (outcome.kind === 'draft')
    return stepReport({
      messages: [
        notice(
          `Steward review skipped #${pull.number}: it is a draft (set review.drafts: true to review drafts).`,
        ),
      ],
      outputs: { mode: 'skipped' },
    });
  const { review, gate } = outcome;
  if (review.range === 'unchanged')
    return stepReport({
      messages: [info(`${pull.headSha.slice(0, 7)} was already reviewed; nothing new to post.`)],
      outputs: { mode: 'unchanged' },
    });

  const { result, posting } = review;
  const messages: StepMessage[] = [];
  if (review.rangeReason) messages.push(info(`Reviewed every change: ${review.rangeReason}.`));
  if (result.reason) messages.push(warning(`Steward review: ${result.reason}`));
  if (review.notPosted) {
    const fork = pull.isCrossRepository
      ? ' A pull request from a fork gets a read-only GITHUB_TOKEN on `pull_request`.'
      : '';
    messages.push(
      warning(
        `Steward could not post the review: ${review.notPosted}${fork} The review is in this job's summary.`,
      ),
    );
  }
  if (posting)
    messages.push(
      info(
        `Posted ${posting.posted} comment(s); ${posting.alreadyPosted} already posted; ${posting.rejected.length} rejected by GitHub; summary ${posting.summary}.`,
      ),
    );

  const all = [...result.findings, ...result.offDiff];
  const deltas = result.health.files.flatMap((f) => (f.delta === null ? [] : [f.delta]));
  return {
    messages,
    files: sarifFile ? [{ path: sarifFile, text: renderReviewSarif(result) }] : [],
    outputs: {
      findings: String(all.length),
      critical: String(all.filter((f) => f.severity === 'critical').length),
      'health-delta': deltas.length ? Math.min(...deltas).toFixed(1) : '',
      mode: result.mode,
      'cost-usd': (result.usage.costUsd ?? 0).toFixed(4),
      ...(sarifFile ? { 'sarif-file': sarifFile } : {}),
    },
    summary: renderReviewMarkdown(result, posting ? postingNotes(posting) : undefined),
    failure: gate
      ? `${gate.failing} finding(s) at ${gate.threshold} or above (fail-on: ${gate.threshold}).`
      : null,
  };
}

const info = (text: string): StepMessage => ({ level: 'info', text });
const notice = (text: string): StepMessage => ({ level: 'notice', text });
const warning = (text: string): StepMessage => ({ level: 'warning', text });
