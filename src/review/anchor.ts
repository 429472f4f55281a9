import { hunkAt, rightText } from '../diff/review-file.ts';
import type { ReviewFile } from '../diff/review-file.ts';
import { fingerprint } from './fingerprint.ts';
import { checkSuggestion, normaliseSuggestion } from './suggestion.ts';

import { severityRank, type Severity } from './severity.ts';

/** A finding as a reviewer (model or health delta) reports it, on new-side line numbers. */
export interface Finding {
  path: string;
  line: number;
  endLine?: number;
  severity: Severity;
  category: string;
  title: string;
  body: string;
  suggestion?: string;
}

export interface AnchoredFinding extends Finding {
  endLine: number;
  side: 'RIGHT';
  fingerprint: string;
  /** Why the suggestion was taken off, when it was: the body is still posted. */
  suggestionDropped?: string;
  /** Set on off-diff notes: why the finding could not go inline. */
  offDiffReason?: string;
}

export interface AnchorResult {
  /** Safe to post as review comments: every line of each range is in one hunk on the right side. */
  inline: AnchoredFinding[];
  /** For the summary comment. */
  offDiff: AnchoredFinding[];
  dropped: { finding: Finding; reason: string }[];
}

export interface AnchorOptions {
  /** New-side contents by path, to verify suggestions and fingerprint lines outside the diff. */
  contents?: ReadonlyMap<string, string>;
  /** Cap on inline comments; the most severe are kept. */
  maxComments?: number;
}

/**
 * Decides where each finding goes. GitHub rejects a whole review batch (422) for one comment off
 * the diff, or a multi-line range spanning hunks, so inline placement is checked here against the
 * parsed hunks rather than left to the API. Findings are taken most severe first (ties in their
 * given order), so the one-per-line rule and `maxComments` both keep the most severe.
 */
export function anchorFindings(
  findings: readonly Finding[],
  files: readonly ReviewFile[],
  options: AnchorOptions = {},
): AnchorResult {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const maxComments = options.maxComments ?? Infinity;
  const result: AnchorResult = { inline: [], offDiff: [], dropped: [] };
  const taken = new Map<string, Set<number>>(); // path → lines holding an inline finding
  const seen = new Set<string>();
  const baselines = new Map<string, Map<number, number>>();
  const ordered = findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        severityRank(a.finding.severity) - severityRank(b.finding.severity) || a.index - b.index,
    );

  for (const { finding } of ordered) {
    const invalid = invalidRange(finding);
    if (invalid) {
      result.dropped.push({ finding, reason: invalid });
      continue;
    }
    const endLine = finding.endLine ?? finding.line;
    const file = byPath.get(finding.path);
    const content = options.contents?.get(finding.path);
    const code = codeAt(file, content, finding.line, endLine);
    const fp = fingerprint({ path: finding.path, title: finding.title, code: code ?? '' });
    if (seen.has(fp)) {
      result.dropped.push({ finding, reason: 'the same finding was reported twice' });
      continue;
    }
    let offDiffReason = whyNotInline(file, finding.line, endLine);
    if (offDiffReason === null) {
      const lines = range(finding.line, endLine); // bounded: the range lies within one hunk
      const used = taken.get(finding.path) ?? new Set<number>();
      const clash = lines.find((n) => used.has(n));
      if (clash !== undefined) {
        result.dropped.push({
          finding,
          reason: `line ${clash} already has an inline finding at least as severe`,
        });
        continue;
      }
      // Past the cap a finding is still reported, in the summary: less noise, nothing hidden.
      if (result.inline.length >= maxComments) offDiffReason = `over max-comments (${maxComments})`;
      else {
        for (const n of lines) used.add(n);
        taken.set(finding.path, used);
      }
    }
    seen.add(fp);
    const anchored = withSuggestion(
      { ...finding, endLine, side: 'RIGHT', fingerprint: fp },
      content,
      baselines,
    );
    if (offDiffReason === null) result.inline.push(anchored);
    else result.offDiff.push({ ...anchored, offDiffReason });
  }
  result.inline.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  return result;
}

function invalidRange(finding: Finding): string | null {
  const { line, endLine } = finding;
  if (!Number.isInteger(line) || line < 1) return `line ${line} is not a line number`;
  if (endLine !== undefined && (!Number.isInteger(endLine) || endLine < line))
    return `endLine ${endLine} is not a line number at or after line ${line}`;
  return null;
}

/** Null when every line of the range is commentable on the right side within one hunk. */
function whyNotInline(file: ReviewFile | undefined, line: number, endLine: number): string | null {
  if (file === undefined) return 'the file is not in the reviewed diff';
  const span = endLine === line ? `line ${line}` : `lines ${line}-${endLine}`;
  const hunk = hunkAt(file, line);
  if (hunk === undefined)
    return `${span} of the new file ${line === endLine ? 'is' : 'are'} outside the diff`;
  // Checked against the hunk's end first, so a model's absurd endLine costs nothing to reject.
  if (endLine >= hunk.newStart + hunk.newLines) {
    return hunkAt(file, endLine) === undefined
      ? `${span} of the new file run past the hunk, outside the diff`
      : `${span} span more than one hunk`;
  }
  if (!range(line, endLine).every((n) => file.commentable.RIGHT.has(n)))
    return `${span} are not all commentable`;
  return null;
}

function codeAt(
  file: ReviewFile | undefined,
  content: string | undefined,
  line: number,
  endLine: number,
): string[] | null {
  if (content !== undefined) {
    const rows = content.split('\n').slice(line - 1, endLine);
    if (rows.length === endLine - line + 1) return rows;
  }
  return file ? rightText(file, line, endLine) : null;
}

function withSuggestion(
  finding: AnchoredFinding,
  content: string | undefined,
  baselines: Map<string, Map<number, number>>,
): AnchoredFinding {
  if (finding.suggestion === undefined) return finding;
  const check = checkSuggestion({
    path: finding.path,
    content,
    line: finding.line,
    endLine: finding.endLine,
    suggestion: finding.suggestion,
    baselines,
  });
  if (check.ok) {
    const suggestion = normaliseSuggestion(finding.suggestion);
    // A range shortened by its blank tail still starts at `line`, inside the same hunk.
    return { ...finding, endLine: Math.max(finding.line, check.endLine), suggestion };
  }
  const kept: AnchoredFinding = { ...finding, suggestionDropped: check.reason };
  delete kept.suggestion;
  return kept;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
