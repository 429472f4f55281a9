import type { BacktestReport } from '../backtest/run-backtest.ts';
import { formatCount, sanitize, shortHead } from './format.ts';

/**
 * `steward hotspots --backtest` as text for a terminal or as Markdown: one row per method (Steward
 * first, then the baselines), the figures as percentages, then Steward's top files with the fixes
 * they received. Paths come from the repository and are sanitised like every other report.
 */
export function renderBacktest(report: BacktestReport, format: 'table' | 'markdown'): string {
  const percent = (value: number) => `${(100 * value).toFixed(1)} %`;
  const rows = report.methods.map((m) => [
    m.name,
    percent(m.recall),
    percent(m.effortRecall),
    m.spearman.toFixed(2),
  ]);
  const header = ['method', 'recall, top 20 % of files', 'top files with 20 % of code', 'Spearman'];
  const day = (iso: string) => iso.slice(0, 10);
  const summary =
    `Backtest of ${sanitize(report.repo)}: ranked ${formatCount(report.files)} files as of ` +
    `${day(report.cutoff)} (commit ${sanitize(shortHead(report.cutoffCommit))}, history ` +
    `${report.since === null ? 'all of it' : `from ${day(report.since)}`}); ` +
    `${formatCount(report.fixCommits)} bug-fix commits until ${day(report.horizonEnd)} touched ` +
    `${formatCount(report.filesFixed)} of them ${formatCount(report.fixTouches)} times.`;
  const verdict = verdictOf(report);
  const topHeader = ['#', 'score', 'fixes after', 'file'];
  const topRows = report.top.map((file, i) => [
    String(i + 1),
    file.score.toFixed(1),
    String(file.fixes),
    sanitize(file.path),
  ]);
  if (format === 'markdown') {
    const cell = (text: string) => text.replace(/\|/g, '\\|');
    const table = (head: string[], body: string[][], right: boolean[]) =>
      [
        `| ${head.join(' | ')} |`,
        `|${right.map((r) => (r ? '---:' : '---')).join('|')}|`,
        ...body.map((row) => `| ${row.map(cell).join(' | ')} |`),
      ].join('\n');
    return [
      `### Hotspots backtest: ${cell(sanitize(report.repo))}`,
      '',
      summary,
      '',
      table(header, rows, [false, true, true, true]),
      '',
      verdict,
      '',
      `Steward's top ${report.top.length} at the cut-off:`,
      '',
      table(
        topHeader,
        topRows.map((row) => [row[0]!, row[1]!, row[2]!, `\`${row[3]!.replace(/`/g, "'")}\``]),
        [true, true, true, false],
      ),
      ...report.warnings.map((w) => `\n> **Warning:** ${sanitize(w.message)} ${sanitize(w.hint)}`),
      '',
    ].join('\n');
  }
  return [
    summary,
    '',
    ...aligned(header, rows, [false, true, true, true]),
    '',
    verdict,
    '',
    `Steward's top ${report.top.length} at the cut-off:`,
    ...aligned(topHeader, topRows, [true, true, true, false]),
    '',
  ].join('\n');
}

/** One sentence: where Steward's score won and lost against each baseline. */
function verdictOf(report: BacktestReport): string {
  if (report.fixTouches === 0) {
    return 'No bug fix touched a ranked file in the horizon, so no ranking can be judged: pick another cut-off, a longer --horizon, or check hotspots.bug-fix.';
  }
  const [steward, ...others] = report.methods;
  if (!steward) return '';
  const baselines = others.filter((m) => m.name !== 'random');
  const lostRecall = baselines.filter((m) => m.recall > steward.recall).map((m) => m.name);
  const lostEffort = baselines
    .filter((m) => m.effortRecall > steward.effortRecall)
    .map((m) => m.name);
  if (lostRecall.length === 0 && lostEffort.length === 0) {
    return "Steward's score found at least as many of the later fixes as every baseline, on both measures.";
  }
  const parts: string[] = [];
  if (lostRecall.length > 0) parts.push(`on recall by ${lostRecall.join(', ')}`);
  if (lostEffort.length > 0) parts.push(`on effort-aware recall by ${lostEffort.join(', ')}`);
  return `Steward's score was beaten ${parts.join(' and ')} on this history.`;
}

function aligned(head: string[], rows: string[][], right: boolean[]): string[] {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((text, c) => (right[c] ? text.padStart(widths[c]!) : text.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}
