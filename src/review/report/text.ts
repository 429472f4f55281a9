import type { LocalReview } from '../local-review.ts';
import { countLine, formatDelta, formatHealth, ICONS, short } from './counts.ts';

/** The terminal report: findings grouped by file, a severity icon each, counts at the end. */
export function renderReviewText(review: LocalReview): string {
  const range = `${review.base} (${short(review.baseSha)}) … ${review.head} (${short(review.headSha)})`;
  const lines = [`steward review ${range}, offline (${review.reason})`];
  if (review.nothingToReview) return `${lines[0]}\nNothing to review: the diff is empty.\n`;
  const byPath = new Map<string, LocalReview['findings']>();
  for (const finding of review.findings) {
    byPath.set(finding.path, [...(byPath.get(finding.path) ?? []), finding]);
  }
  for (const [path, findings] of byPath) {
    const health = review.health.files.find((f) => f.path === path);
    lines.push(
      '',
      health
        ? `${path}  (health ${formatHealth(health.before)} → ${formatHealth(health.after)}, ${formatDelta(health.delta)})`
        : path,
    );
    for (const f of findings) {
      lines.push(`  ${ICONS[f.severity]} ${f.severity} :${f.line}  ${f.title}`);
      for (const row of f.body.split('\n').filter(Boolean)) lines.push(`      ${row}`);
    }
  }
  if (review.offDiff.length) {
    lines.push('', 'Outside the diff:');
    for (const f of review.offDiff) {
      lines.push(`  ${ICONS[f.severity]} ${f.severity} ${f.path}:${f.line}  ${f.title}`);
    }
  }
  if (review.skipped.length) {
    lines.push('', `Skipped ${review.skipped.length} file(s):`);
    for (const s of review.skipped) lines.push(`  ${s.path}: ${s.reason}`);
  }
  lines.push('', `${countLine(review)}; ${review.health.files.length} changed file(s) analysed`);
  return `${lines.join('\n')}\n`;
}
