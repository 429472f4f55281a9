import type { ReviewResult } from '../result.ts';
import { blockMarkdown, codeSpan, inlineMarkdown } from '../../markdown/untrusted.ts';
import { severityRank } from '../severity.ts';
import {
  countBySeverity,
  countLine,
  formatDelta,
  formatHealth,
  ICONS,
  comparedWith,
  short,
} from './counts.ts';

/** Untrusted text in a table cell: one line, pipes escaped, nothing live (src/markdown/untrusted.ts). */
function cell(text: string): string {
  return inlineMarkdown(text, { table: true });
}

/** A path or ref in a table cell, as code nothing inside can break out of. */
function cellCode(text: string): string {
  return codeSpan(text, { table: true });
}

/** A path (and line) in a list item, as unbreakable code. */
function at(path: string, line?: number): string {
  return codeSpan(line === undefined ? path : `${path}:${line}`);
}

function details(summary: string, body: string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>'];
}

/**
 * Files whose health moved or whose smells changed; the rest are counted, not listed, so a wide
 * change keeps a short table.
 */
function healthTable(review: ReviewResult): string[] {
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
              `| ${cellCode(f.path)} | ${formatHealth(f.before, 'new')} | ${formatHealth(f.after, 'deleted')} | ${formatDelta(f.delta)} | ${f.introduced.length} | ${f.fixed.length} |`,
          ),
        ]
      : []),
    ...(still
      ? ['', `${still} other changed file(s): health unchanged, no smells added or fixed.`]
      : []),
  ];
}

const STATUS_WORDS: Readonly<Record<string, string>> = {
  added: 'new',
  removed: 'deleted',
  modified: 'modified',
  renamed: 'renamed',
  copied: 'copied',
  changed: 'changed',
  unchanged: 'unchanged',
};

/** Per changed file: what changed, its health, and its worst finding; folded, one row a file. */
function changesTable(review: ReviewResult): string[] {
  if (!review.changes.length) return [];
  const skipped = new Map(review.skipped.map((s) => [s.path, s.reason]));
  const health = new Map(review.health.files.map((h) => [h.path, h]));
  const findings = [...review.findings, ...review.offDiff];
  const rows = review.changes.map((change) => {
    const name = change.previousPath
      ? `${cellCode(change.previousPath)} → ${cellCode(change.path)}`
      : cellCode(change.path);
    const counts = change.additions === null ? '' : ` +${change.additions} −${change.deletions}`;
    const why = skipped.get(change.path);
    const what = `${STATUS_WORDS[change.status] ?? change.status}${counts}${why ? `; skipped: ${cell(why)}` : ''}`;
    const h = health.get(change.path);
    const score = h ? `${formatHealth(h.before, 'new')} → ${formatHealth(h.after, 'deleted')}` : '';
    const own = findings.filter((f) => f.path === change.path);
    const worst = own.reduce<ReviewResult['findings'][number] | undefined>(
      (a, f) => (a && severityRank(a.severity) <= severityRank(f.severity) ? a : f),
      undefined,
    );
    const found = worst ? `${ICONS[worst.severity]} ${own.length}` : '';
    return `| ${name} | ${what} | ${score} | ${found} |`;
  });
  return [
    '',
    ...details(`Changed files (${review.changes.length})`, [
      '| File | Change | Health | Findings |',
      '| --- | --- | --- | ---: |',
      ...rows,
    ]),
  ];
}

/** How the comment was posted, when it is a pull request's summary: what GitHub refused. */
export interface PostingNotes {
  /** Inline comments GitHub rejected, listed here so nothing is lost. */
  rejected: { path: string; line: number; title: string; message: string }[];
  /** Findings already posted by an earlier run, not posted again. */
  alreadyPosted: number;
}

function usageLine(review: ReviewResult): string {
  if (review.mode === 'offline')
    return `offline review: ${inlineMarkdown(review.reason ?? 'no model')}`;
  const { calls, inputTokens, outputTokens, costUsd } = review.usage;
  const cost = costUsd === null ? 'cost unknown' : `$${costUsd.toFixed(2)}`;
  return `${inlineMarkdown(review.model ?? 'no model')} · ${calls} call(s) · ${tokens(inputTokens)} in / ${tokens(outputTokens)} out tokens · ${cost}`;
}

function tokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

function list<T>(title: string, items: readonly T[], line: (item: T) => string): string[] {
  return items.length ? ['', ...details(`${title} (${items.length})`, items.map(line))] : [];
}

/**
 * The summary comment: counts by severity first, then what the model said and the health delta,
 * with the long lists (findings, off-diff notes, files not reviewed, skipped) folded so the comment
 * stays scannable.
 */
export function renderReviewMarkdown(review: ReviewResult, posting?: PostingNotes): string {
  const since = review.since ? ` · new commits since ${short(review.since)}` : '';
  const lines = [
    '## Steward review',
    '',
    `${codeSpan(review.base)} (${comparedWith(review)}) … ${codeSpan(review.head)} (${short(review.headSha)})${since} · ${usageLine(review)}`,
    '',
  ];
  if (review.nothingToReview)
    return `${[...lines, 'Nothing to review: the diff is empty.'].join('\n')}\n`;
  if (review.mode === 'model' && review.reason)
    lines.push(`> [!WARNING]`, `> Partial review: ${inlineMarkdown(review.reason)}`, '');
  if (review.mode === 'offline' && review.model)
    lines.push(
      `> [!NOTE]`,
      `> Reviewed offline: ${inlineMarkdown(review.reason ?? 'the model was not used')}`,
      '',
    );
  lines.push(
    `**${countLine(review, true)}**`,
    '',
    '| Severity | Findings |',
    '| --- | ---: |',
    ...countBySeverity(review).map(([s, n]) => `| ${ICONS[s]} ${s} | ${n} |`),
  );
  if (review.walkthrough.length || review.changes.length) lines.push('', '### Walkthrough');
  if (review.walkthrough.length)
    lines.push('', review.walkthrough.map(blockMarkdown).filter(Boolean).join('\n\n'));
  lines.push(...changesTable(review));
  lines.push(...healthTable(review));
  lines.push(
    ...list(
      'Findings',
      review.findings,
      (f) =>
        `- ${ICONS[f.severity]} ${at(f.path, f.line)} **${inlineMarkdown(f.title)}**: ${inlineMarkdown(f.body)}`,
    ),
    ...list(
      'Outside the diff',
      review.offDiff,
      (f) =>
        `- ${ICONS[f.severity]} ${at(f.path, f.line)} **${inlineMarkdown(f.title)}**${f.offDiffReason ? ` (${inlineMarkdown(f.offDiffReason)})` : ''}: ${inlineMarkdown(f.body)}`,
    ),
    ...list(
      'Not reviewed by the model',
      review.notReviewed,
      (n) => `- ${at(n.path)}: ${inlineMarkdown(n.reason)}`,
    ),
    ...list('Skipped files', review.skipped, (s) => `- ${at(s.path)}: ${inlineMarkdown(s.reason)}`),
    ...list(
      'Comments GitHub rejected',
      posting?.rejected ?? [],
      (r) => `- ${at(r.path, r.line)} **${inlineMarkdown(r.title)}**: ${inlineMarkdown(r.message)}`,
    ),
  );
  if (posting?.alreadyPosted)
    lines.push(
      '',
      `${posting.alreadyPosted} finding(s) already posted by an earlier run were not repeated.`,
    );
  return `${lines.join('\n')}\n`;
}
