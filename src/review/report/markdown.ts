import type { ReviewResult } from '../result.ts';
import { withoutMentions } from './mentions.ts';
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

/** Table cells must not break the row: pipes escaped, newlines flattened. */
function cell(text: string): string {
  return withoutMentions(text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' '));
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
              `| \`${cell(f.path)}\` | ${formatHealth(f.before, 'new')} | ${formatHealth(f.after, 'deleted')} | ${formatDelta(f.delta)} | ${f.introduced.length} | ${f.fixed.length} |`,
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
      ? `\`${cell(change.previousPath)}\` → \`${cell(change.path)}\``
      : `\`${cell(change.path)}\``;
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
  if (review.mode === 'offline') return `offline review: ${review.reason ?? 'no model'}`;
  const { calls, inputTokens, outputTokens, costUsd } = review.usage;
  const cost = costUsd === null ? 'cost unknown' : `$${costUsd.toFixed(2)}`;
  return `${review.model ?? 'no model'} · ${calls} call(s) · ${tokens(inputTokens)} in / ${tokens(outputTokens)} out tokens · ${cost}`;
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
    `\`${cell(review.base)}\` (${comparedWith(review)}) … \`${cell(review.head)}\` (${short(review.headSha)})${since} · ${usageLine(review)}`,
    '',
  ];
  if (review.nothingToReview)
    return `${[...lines, 'Nothing to review: the diff is empty.'].join('\n')}\n`;
  if (review.mode === 'model' && review.reason)
    lines.push(`> [!WARNING]`, `> Partial review: ${cell(review.reason)}`, '');
  if (review.mode === 'offline' && review.model)
    lines.push(
      `> [!NOTE]`,
      `> Reviewed offline: ${cell(review.reason ?? 'the model was not used')}`,
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
  if (review.walkthrough.length) lines.push('', withoutMentions(review.walkthrough.join('\n\n')));
  lines.push(...changesTable(review));
  lines.push(...healthTable(review));
  lines.push(
    ...list(
      'Findings',
      review.findings,
      (f) => `- ${ICONS[f.severity]} \`${f.path}:${f.line}\` **${cell(f.title)}**: ${cell(f.body)}`,
    ),
    ...list(
      'Outside the diff',
      review.offDiff,
      (f) =>
        `- ${ICONS[f.severity]} \`${f.path}:${f.line}\` **${cell(f.title)}**${f.offDiffReason ? ` (${f.offDiffReason})` : ''}: ${cell(f.body)}`,
    ),
    ...list(
      'Not reviewed by the model',
      review.notReviewed,
      (n) => `- \`${n.path}\`: ${cell(n.reason)}`,
    ),
    ...list('Skipped files', review.skipped, (s) => `- \`${s.path}\`: ${cell(s.reason)}`),
    ...list(
      'Comments GitHub rejected',
      posting?.rejected ?? [],
      (r) => `- \`${r.path}:${r.line}\` **${cell(r.title)}**: ${cell(r.message)}`,
    ),
  );
  if (posting?.alreadyPosted)
    lines.push(
      '',
      `${posting.alreadyPosted} finding(s) already posted by an earlier run were not repeated.`,
    );
  return `${lines.join('\n')}\n`;
}
