import type { FileHealthDelta } from '../../health/delta.ts';
import type { Smell } from '../../health/types.ts';
import { codeSpan, inlineMarkdown } from '../../markdown/untrusted.ts';
import { formatHealth } from './format.ts';

export interface HealthReportData {
  /** The base as given, resolved. */
  base: string;
  /** What head is compared with, when known: the merge base of base and head. */
  mergeBase?: string;
  head: string;
  files: FileHealthDelta[];
}

const short = (sha: string) => sha.slice(0, 7);
const value = (health: number | null, missing: string) =>
  health === null ? missing : formatHealth(health);
const signed = (delta: number | null) =>
  delta === null ? '' : delta > 0 ? `+${delta.toFixed(1)}` : delta.toFixed(1);
const where = (smell: Smell) => `${smell.function ?? 'file'}:${smell.line}`;

/**
 * What head is compared with: the merge base, which is the base itself when the base is an
 * ancestor of head ("def5678 compared with abc1234"), else named with the base it came from
 * ("def5678 compared with 1a2b3c4, its merge base with abc1234"). A report from a pull request's
 * files alone knows the base's tip but not the merge base its diff was taken against, and says so.
 */
function comparison(report: HealthReportData, code: (sha: string) => string): string {
  const [head, base] = [code(short(report.head)), code(short(report.base))];
  if (report.mergeBase === undefined) return `${head} compared with its merge base with ${base}`;
  if (report.mergeBase === report.base) return `${head} compared with ${base}`;
  return `${head} compared with ${code(short(report.mergeBase))}, its merge base with ${base}`;
}

/** "  (hotspot #3 of 120)" when the file's rank is known. */
const rankOf = (file: FileHealthDelta) =>
  file.hotspot ? `  (hotspot #${file.hotspot.rank} of ${file.hotspot.of})` : '';

/** Worst change first, so the file that lost most health leads. */
function ranked(files: readonly FileHealthDelta[]): FileHealthDelta[] {
  const key = (f: FileHealthDelta) => f.delta ?? (f.after === null ? 0 : f.after - 10);
  return [...files].sort((a, b) => key(a) - key(b) || a.path.localeCompare(b.path));
}

/** For a terminal: one line per file, then its introduced (+) and fixed (−) smells. */
export function renderHealthTable(report: HealthReportData): string {
  const lines = [
    `Code health of ${comparison(report, (sha) => sha)}: ${report.files.length} changed file(s) analysed`,
  ];
  if (report.files.length === 0) return `${lines[0]}\n`;
  const width = Math.min(60, Math.max(...report.files.map((f) => f.path.length)));
  for (const file of ranked(report.files)) {
    lines.push(
      `  ${file.path.padEnd(width)}  ${value(file.before, 'new').padStart(4)} → ${value(file.after, 'deleted').padEnd(7)} ${signed(file.delta)}${rankOf(file)}`,
    );
    for (const smell of file.introduced)
      lines.push(`      + ${smell.kind} (${where(smell)}): ${smell.detail}`);
    for (const smell of file.fixed)
      lines.push(`      − ${smell.kind} (${where(smell)}): ${smell.detail}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * For a PR comment or job summary: a short table, the smells folded. Paths, function names and
 * details come from the pull request's files, so they go through the untrusted-text renderer.
 */
export function renderHealthMarkdown(report: HealthReportData): string {
  const files = ranked(report.files);
  const introduced = files.reduce((n, f) => n + f.introduced.length, 0);
  const fixed = files.reduce((n, f) => n + f.fixed.length, 0);
  const out = [
    `### Code health of ${comparison(report, (sha) => `\`${sha}\``)}`,
    '',
    `${files.length} changed file(s) · ${introduced} smell(s) introduced · ${fixed} fixed`,
    '',
  ];
  if (files.length === 0) return `${out.join('\n')}\n`;
  out.push(
    '| File | Before | After | Δ | Introduced | Fixed |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const f of files) {
    out.push(
      `| ${codeSpan(f.path, { table: true })} | ${value(f.before, 'new')} | ${value(f.after, 'deleted')} | ${signed(f.delta)} | ${f.introduced.length} | ${f.fixed.length} |`,
    );
  }
  const smelly = files.filter((f) => f.introduced.length + f.fixed.length > 0);
  if (smelly.length > 0) {
    out.push('', '<details><summary>Smells introduced and fixed</summary>', '');
    for (const f of smelly) {
      out.push(`**${codeSpan(f.path)}**`, '');
      const item = (sign: string, s: Smell) =>
        `- ${sign} ${s.kind} in ${codeSpan(where(s))}: ${inlineMarkdown(s.detail)}`;
      for (const s of f.introduced) out.push(item('➕', s));
      for (const s of f.fixed) out.push(item('➖', s));
      out.push('');
    }
    out.push('</details>');
  }
  return `${out.join('\n')}\n`;
}
