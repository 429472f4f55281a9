import type { AnchoredFinding } from '../anchor.ts';
import type { ReviewResult } from '../result.ts';
import { countLine, formatDelta, formatHealth, ICONS, comparedWith, short } from './counts.ts';
import { plainText } from '../../markdown/untrusted.ts';

function fileHeading(review: ReviewResult, path: string): string {
  const health = review.health.files.find((f) => f.path === path);
  if (!health) return path;
  const delta = health.delta === null ? '' : `, ${formatDelta(health.delta)}`;
  return `${path}  (health ${formatHealth(health.before, 'new')} → ${formatHealth(health.after, 'deleted')}${delta})`;
}

function findingLines(f: AnchoredFinding): string[] {
  const body = f.body.split('\n').filter(Boolean);
  return [
    `  ${ICONS[f.severity]} ${f.severity} :${f.line}  ${f.title}`,
    ...body.map((r) => `      ${r}`),
  ];
}

function groupByPath(findings: readonly AnchoredFinding[]): Map<string, AnchoredFinding[]> {
  const byPath = new Map<string, AnchoredFinding[]>();
  for (const f of findings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  return byPath;
}

function section(title: string, rows: string[]): string[] {
  return rows.length ? ['', title, ...rows] : [];
}

/**
 * The terminal report: findings grouped by file, a severity icon each, counts at the end. What the
 * model or the diff wrote goes through plainText: no control character reaches the terminal.
 */
export function renderReviewText(review: ReviewResult): string {
  return plainText(textReport(review));
}

function textReport(review: ReviewResult): string {
  const range = `${review.base} (${comparedWith(review)}) … ${review.head} (${short(review.headSha)})`;
  const how =
    review.mode === 'model'
      ? `reviewed by ${review.model}${review.reason ? ` (partial: ${review.reason})` : ''}`
      : `offline (${review.reason})`;
  const title = `steward review ${range}, ${how}`;
  if (review.nothingToReview) return `${title}\nNothing to review: the diff is empty.\n`;
  const lines = [title];
  for (const [path, findings] of groupByPath(review.findings)) {
    lines.push('', fileHeading(review, path), ...findings.flatMap(findingLines));
  }
  lines.push(
    ...section(
      'Outside the diff:',
      review.offDiff.map(
        (f) => `  ${ICONS[f.severity]} ${f.severity} ${f.path}:${f.line}  ${f.title}`,
      ),
    ),
    ...section(
      `Skipped ${review.skipped.length} file(s):`,
      review.skipped.map((s) => `  ${s.path}: ${s.reason}`),
    ),
    '',
    `${countLine(review)}; ${review.health.files.length} changed file(s) analysed`,
  );
  return `${lines.join('\n')}\n`;
}
