import { SEVERITIES, type Severity } from '../severity.ts';
import type { ReviewResult } from '../result.ts';

export const ICONS: Readonly<Record<Severity, string>> = {
  critical: '🛑',
  major: '🔴',
  minor: '🟡',
  info: '🔵',
};

/** Findings by severity, inline and off-diff together, most severe first. */
export function countBySeverity(review: ReviewResult): [Severity, number][] {
  const all = [...review.findings, ...review.offDiff];
  return SEVERITIES.map((s) => [s, all.filter((f) => f.severity === s).length]);
}

/** "1 major, 2 minor" (only severities that occur), or "no findings". */
export function countLine(review: ReviewResult, icons = false): string {
  const parts = countBySeverity(review)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${icons ? `${ICONS[s]} ` : ''}${n} ${s}`);
  return parts.length ? parts.join(', ') : 'no findings';
}

/** A health score; null is the side where the file does not exist (before: new, after: deleted). */
export function formatHealth(value: number | null, missing = '—'): string {
  return value === null ? missing : value.toFixed(1);
}

export function formatDelta(delta: number | null): string {
  if (delta === null) return '—';
  return delta > 0 ? `+${delta.toFixed(1)}` : delta.toFixed(1);
}

export function short(sha: string): string {
  return sha.slice(0, 7);
}

/**
 * What the base side of a review is: the merge base head is compared with ("merge base abc1234")
 * when it is not the base's tip, the base's SHA when it is, and, when the merge base is not known
 * (a pull request whose comparison GitHub did not answer), the tip named as only that
 * ("base tip abc1234"), never as what was compared with.
 */
export function comparedWith(review: Pick<ReviewResult, 'baseSha' | 'mergeBaseSha'>): string {
  const { mergeBaseSha, baseSha } = review;
  if (mergeBaseSha === undefined) return `base tip ${short(baseSha)}`;
  return mergeBaseSha !== baseSha ? `merge base ${short(mergeBaseSha)}` : short(baseSha);
}
