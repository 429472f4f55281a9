import type { HealthBand } from './format.ts';
import {
  formatCount,
  formatHealth,
  formatPercent,
  healthBand,
  rankFiles,
  sanitize,
  scoreFormatter,
  scoreParts,
  shortHead,
  smellLocation,
  smellSummary,
  strongestCouplings,
  totals,
  windowLabel,
} from './format.ts';
import type { HotspotsReport } from '../types.ts';

export interface MarkdownOptions {
  /** Files in the ranked table, highest score first. */
  top: number;
  /** Coupled pairs in the folded coupling section; 20 unless told. */
  couplings?: number;
  /** Smells listed per file in the folded section before "… and N more"; 8 unless told. */
  smellsPerFile?: number;
}

const bandMark: Record<HealthBand, string> = { alert: '🔴', warning: '🟡', healthy: '🟢' };

/**
 * For job summaries and PR comments: one table to scan, everything longer folded in <details>
 * so a comment stays short on the page.
 */
export function renderHotspotsMarkdown(report: HotspotsReport, options: MarkdownOptions): string {
  const ranked = rankFiles(report.files);
  const shown = ranked.slice(0, Math.max(0, Math.floor(options.top)));
  const score = scoreFormatter(report.files);
  const { loc, meanHealth, alerts } = totals(report.files);

  const out: string[] = [];
  out.push(
    `### Hotspots in ${code(report.repo)} at ${code(shortHead(report.head))} ` +
      `(${text(windowLabel(report.since))})`,
    '',
  );
  if (ranked.length === 0) {
    out.push('No files to report: nothing in the window is analysed source.', '');
    return out.join('\n');
  }
  const facts = [
    `**${formatCount(ranked.length)}** files`,
    `**${formatCount(loc)}** lines of code`,
  ];
  if (meanHealth !== null) facts.push(`mean health **${formatHealth(meanHealth)}**`);
  facts.push(`**${formatCount(alerts)}** in ${bandMark.alert} alert (health < 4)`);
  out.push(facts.join(' · '), '');

  out.push('| # | File | Score | Score from | Health | Revisions | Fixes | LOC | Smells |');
  out.push('| --: | :-- | --: | :-- | --: | --: | --: | --: | :-- |');
  shown.forEach((file, i) => {
    const cells = [
      String(i + 1),
      code(file.path),
      score(file.score),
      text(scoreParts(file)) || '—',
      `${bandMark[healthBand(file.health)]} ${formatHealth(file.health)}`,
      formatCount(file.revisions),
      formatCount(file.fixes ?? 0),
      formatCount(file.loc),
      text(smellSummary(file.smells, 2)) || '—',
    ];
    out.push(`| ${cells.map(cell).join(' | ')} |`);
  });
  out.push('');
  if (shown.length < ranked.length)
    out.push(`Top ${shown.length} of ${formatCount(ranked.length)} files by hotspot score.`, '');

  const smelly = shown.filter((f) => f.smells.length > 0);
  if (smelly.length > 0) {
    const perFile = options.smellsPerFile ?? 8;
    out.push(`<details><summary>Code smells in the top ${shown.length}</summary>`, '');
    for (const file of smelly) {
      const rank = shown.indexOf(file) + 1;
      out.push(`**${rank}. ${code(file.path)}**: health ${formatHealth(file.health)}`, '');
      for (const smell of file.smells.slice(0, perFile)) {
        const where = smell.function
          ? `${code(smell.function)} line ${smell.line}`
          : text(smellLocation(smell));
        out.push(`- **${text(smell.kind)}** in ${where}: ${text(smell.detail)}`);
      }
      if (file.smells.length > perFile) out.push(`- … and ${file.smells.length - perFile} more`);
      out.push('');
    }
    out.push('</details>', '');
  }

  const couplings = strongestCouplings(report.coupling, options.couplings ?? 20);
  if (couplings.length > 0) {
    const more =
      report.coupling.length > couplings.length ? `, strongest ${couplings.length} shown` : '';
    out.push(
      `<details><summary>Change coupling: ${formatCount(report.coupling.length)} ${report.coupling.length === 1 ? 'pair' : 'pairs'}${more}</summary>`,
      '',
      '| Degree | Shared revisions | File | Changes with |',
      '| --: | --: | :-- | :-- |',
    );
    for (const c of couplings) {
      const cells = [formatPercent(c.degree), formatCount(c.shared), code(c.a), code(c.b)];
      out.push(`| ${cells.map(cell).join(' | ')} |`);
    }
    out.push('', '</details>', '');
  }

  out.push(
    `<sub>Score: change frequency × complexity. Health 1–10: ${bandMark.alert} < 4, ` +
      `${bandMark.warning} 4–8.9, ${bandMark.healthy} ≥ 9.</sub>`,
    '',
  );
  return out.join('\n');
}

/** Inline code that survives any content: a fence longer than any backtick run inside it. */
function code(value: string): string {
  const clean = sanitize(value);
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = clean.startsWith('`') || clean.endsWith('`') ? ` ${clean} ` : clean;
  return `${fence}${padded}${fence}`;
}

/** Repository text outside code spans: no markdown, no HTML (a `</details>` in it stays text). */
function text(value: string): string {
  return sanitize(value)
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_[\]<>#~!]/g, (ch) => `\\${ch}`);
}

/** A table cell: a pipe ends the cell even inside a code span unless escaped (GFM). */
function cell(value: string): string {
  return value.replace(/\|/g, '\\|');
}
