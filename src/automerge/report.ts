import { inlineMarkdown } from '../markdown/untrusted.ts';
import type { Decision, Verdict } from './decision.ts';

/** Hidden marker of the one refusal comment Steward keeps per pull request. */
export const COMMENT_MARKER = '<!-- steward:auto-merge -->';

const ICON: Record<Verdict['status'], string> = {
  pass: '✅',
  fail: '❌',
  pending: '⏳',
  skipped: '➖',
};

const HEADLINE: Record<Decision['outcome'], string> = {
  merged: '✅ Merged',
  armed: '✅ Auto-merge armed',
  pending: '⏳ Waiting',
  refused: '❌ Not merged',
  'head-moved': '↻ Head moved: not merged',
  'would-merge': '🧪 Dry run: would merge',
  'would-arm': '🧪 Dry run: would arm auto-merge',
};

/** A table of every check made and its verdict, for the job summary. */
export function summaryMarkdown(decisions: readonly Decision[]): string {
  if (decisions.length === 0)
    return '### Steward auto-merge\n\nNo open pull request to decide on.\n';
  return decisions.map(decisionSection).join('\n');
}

function decisionSection(decision: Decision): string {
  const rows = decision.verdicts.map(
    (v) =>
      `| ${v.check} | ${ICON[v.status]} ${v.status} | ${v.details.map(escapeCell).join('<br>')} |`,
  );
  return [
    `### Steward auto-merge · #${decision.number} · ${HEADLINE[decision.outcome]}`,
    '',
    `${escapeCell(decision.reason)} · head \`${decision.headSha.slice(0, 7)}\`${decision.updateType ? ` · ${decision.updateType} update` : ''}`,
    '',
    ...decision.warnings.map((w) => `> ⚠️ ${escapeInline(w)}\n`),
    '| Check | Verdict | Details |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/**
 * The refusal comment: the reasons first, the full table folded. Its text depends only on the
 * decision for this head, so a rerun produces the same body and the upsert writes nothing.
 */
export function refusalComment(decision: Decision): string {
  const failed = decision.verdicts.filter((v) => v.status === 'fail');
  const reasons = failed.flatMap((v) =>
    v.details.map((d) => `- **${v.check}:** ${escapeInline(d)}`),
  );
  return [
    COMMENT_MARKER,
    `**Steward did not merge this pull request** (head \`${decision.headSha.slice(0, 7)}\`).`,
    '',
    ...reasons,
    ...decision.warnings.map((w) => `- ⚠️ ${escapeInline(w)}`),
    '',
    '<details><summary>Every check</summary>',
    '',
    '| Check | Verdict | Details |',
    '| --- | --- | --- |',
    ...decision.verdicts.map(
      (v) =>
        `| ${v.check} | ${ICON[v.status]} ${v.status} | ${v.details.map(escapeCell).join('<br>')} |`,
    ),
    '',
    '</details>',
    '',
    'Steward re-evaluates on the next push or check result. Merge by hand if the update is wanted anyway.',
  ].join('\n');
}

/** A table cell: one line, pipes escaped, nothing live (the one renderer, src/markdown/untrusted.ts). */
function escapeCell(text: string): string {
  return inlineMarkdown(text, { table: true });
}

/**
 * Titles, file names and dependency names come from the pull request: shown as the text they are,
 * with no markup, HTML, entity or mention (`&#64;user` included) live.
 */
function escapeInline(text: string): string {
  return inlineMarkdown(text);
}

/** What the refusal comment becomes once a later head of the same pull request qualifies. */
export function resolvedComment(decision: Decision, armed: boolean): string {
  const what = armed ? 'armed GitHub auto-merge for' : 'merged';
  return [
    COMMENT_MARKER,
    `**Steward ${what} this pull request** at head \`${decision.headSha.slice(0, 7)}\`: every check passed${armed ? ' but still-running checks, which GitHub now waits for' : ''}.`,
    '',
    'An earlier head was refused; that refusal no longer applies.',
  ].join('\n');
}
