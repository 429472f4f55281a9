import type { LocalReview } from '../local-review.ts';
import { countBySeverity, countLine, formatDelta, formatHealth, ICONS, short } from './counts.ts';

/** Table cells must not break the row: pipes escaped, newlines flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function details(summary: string, body: string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>'];
}

/**
 * Files whose health moved or whose smells changed; the rest are counted, not listed, so a wide
 * change keeps a short table.
 */
function healthTable(review: LocalReview): string[] {
  const files = review.health.files;
  if (!files.length) return [];
  const moved = files.filter((f) => f.delta !== 0 || f.introduced.length > 0 || f.fixed.length > 0);
  const still = files.length - moved.length;
  return [
    '',
    '### Code health',
    '',
    ...(moved.length
      ? [
          '| File | Before | After | Δ | Introduced | Fixed |',
          '| --- | ---: | ---: | ---: | ---: | ---: |',
          ...moved.map(
            (f) =>
              `| \`${cell(f.path)}\` | ${formatHealth(f.before, 'new')} | ${formatHealth(f.after, 'deleted')} | ${formatDelta(f.delta)} | ${f.introduced.length} | ${f.fixed.length} |`,
          ),
        ]
      : []),
    ...(still
      ? ['', `${still} other changed file(s): health unchanged, no smells added or fixed.`]
      : []),
  ];
}

/**
 * The summary comment: counts by severity first, then the health delta, with the long lists
 * (findings, off-diff notes, skipped files) folded so the comment stays scannable.
 */
export function renderReviewMarkdown(review: LocalReview): string {
  const lines = [
    '## Steward review',
    '',
    `\`${review.base}\` (${short(review.baseSha)}) … \`${review.head}\` (${short(review.headSha)}) · offline review: ${review.reason}`,
    '',
  ];
  if (review.nothingToReview)
    return `${[...lines, 'Nothing to review: the diff is empty.'].join('\n')}\n`;
  lines.push(
    `**${countLine(review, true)}**`,
    '',
    '| Severity | Findings |',
    '| --- | ---: |',
    ...countBySeverity(review).map(([s, n]) => `| ${ICONS[s]} ${s} | ${n} |`),
  );
  lines.push(...healthTable(review));
  if (review.findings.length) {
    lines.push(
      '',
      ...details(
        `Findings (${review.findings.length})`,
        review.findings.map(
          (f) =>
            `- ${ICONS[f.severity]} \`${f.path}:${f.line}\` **${cell(f.title)}**: ${cell(f.body)}`,
        ),
      ),
    );
  }
  if (review.offDiff.length) {
    lines.push(
      '',
      ...details(
        `Outside the diff (${review.offDiff.length})`,
        review.offDiff.map(
          (f) =>
            `- ${ICONS[f.severity]} \`${f.path}:${f.line}\` **${cell(f.title)}**${f.offDiffReason ? ` (${f.offDiffReason})` : ''}`,
        ),
      ),
    );
  }
  if (review.skipped.length) {
    lines.push(
      '',
      ...details(
        `Skipped files (${review.skipped.length})`,
        review.skipped.map((s) => `- \`${s.path}\`: ${cell(s.reason)}`),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
