import { analyseSource, isAnalysable } from '../../health/complexity/analyse.ts';
import { extensionOf } from '../../health/complexity/languages.ts';
import type { FileHealthDelta } from '../../health/delta.ts';
import { functionAt } from '../../health/smells.ts';
import type { FileAnalysis } from '../../health/types.ts';
import type { ReviewFile } from '../../diff/review-file.ts';
import type { FileStatus, HunkContext, ModelFile, ReviewHunk } from './types.ts';

/**
 * The bridge from the diff the review parsed to what the model packer takes: hunks as prefixed
 * patch lines, each with its enclosing function as context, and a risk key per file.
 */

/** An enclosing function longer than this is not shown whole: the hunk alone says more per token. */
export const MAX_CONTEXT_LINES = 120;

/** Languages ranked for risk: code the health engine reads first, other code, then the rest. */
const OTHER_CODE = new Set([
  'py',
  'go',
  'rs',
  'java',
  'kt',
  'rb',
  'php',
  'cs',
  'c',
  'h',
  'cpp',
  'cc',
  'hpp',
  'swift',
  'scala',
  'sh',
  'sql',
  'vue',
  'svelte',
]);

const LANGUAGE_NAMES: Record<string, string> = {
  ts: 'typescript',
  tsx: 'tsx',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'jsx',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  rb: 'ruby',
};

export function languageRank(path: string): number {
  if (isAnalysable(path)) return 0;
  return OTHER_CODE.has(extensionOf(path).replace(/^\./, '')) ? 1 : 2;
}

function statusOf(file: ReviewFile): FileStatus {
  switch (file.status) {
    case 'added':
    case 'copied':
      return 'added';
    case 'removed':
      return 'deleted';
    case 'renamed':
      return 'renamed';
    default:
      return 'modified';
  }
}

function prefixed(file: ReviewFile, hunkIndex: number): string[] {
  return file.hunks[hunkIndex]!.lines.map(
    (line) => `${line.kind === 'add' ? '+' : line.kind === 'delete' ? '-' : ' '}${line.text}`,
  );
}

/** The innermost function around the hunk's first changed new-side line, when it is small enough. */
function contextOf(
  analysis: FileAnalysis | null,
  lines: readonly string[],
  hunk: ReviewFile['hunks'][number],
): HunkContext | undefined {
  if (!analysis) return undefined;
  const changed = hunk.lines.find((l) => l.kind === 'add') ?? hunk.lines.find((l) => l.newLine);
  if (!changed?.newLine) return undefined;
  const fn = functionAt(analysis, changed.newLine);
  if (!fn || fn.endLine - fn.line + 1 > MAX_CONTEXT_LINES) return undefined;
  const hunkEnd = hunk.newStart + hunk.newLines - 1;
  // A function the hunk already shows whole adds nothing.
  if (fn.line >= hunk.newStart && fn.endLine <= hunkEnd) return undefined;
  return {
    name: `${fn.kind === 'method' ? 'method' : 'function'} ${fn.name}`,
    startLine: fn.line,
    text: lines.slice(fn.line - 1, fn.endLine).join('\n'),
  };
}

function analyse(path: string, text: string | undefined): FileAnalysis | null {
  if (text === undefined || !isAnalysable(path)) return null;
  try {
    return analyseSource(path, text);
  } catch {
    // A file the parser cannot read still gets reviewed, only without context.
    return null;
  }
}

export interface ModelInputOptions {
  /** New-side texts by path, for enclosing-function context. */
  contents: ReadonlyMap<string, string>;
  /** The change's health delta, for the risk order. */
  health: readonly FileHealthDelta[];
  /**
   * New-side lines changed since the last review, by path: when given, only hunks touching them
   * (and only those files) go to the model, so a new push is reviewed alone.
   */
  onlyLines?: ReadonlyMap<string, ReadonlySet<number>>;
}

export function toModelFiles(
  files: readonly ReviewFile[],
  options: ModelInputOptions,
): ModelFile[] {
  const healthByPath = new Map(options.health.map((h) => [h.path, h]));
  const out: ModelFile[] = [];
  for (const file of files) {
    const wanted = options.onlyLines?.get(file.path);
    if (options.onlyLines && !wanted) continue;
    const text = options.contents.get(file.path);
    const analysis = analyse(file.path, text);
    const lines = text?.split(/\r?\n/) ?? [];
    const hunks: ReviewHunk[] = [];
    file.hunks.forEach((hunk, index) => {
      if (wanted && !hunk.lines.some((l) => l.newLine !== null && wanted.has(l.newLine))) return;
      const context = contextOf(analysis, lines, hunk);
      hunks.push({
        oldStart: hunk.oldStart,
        newStart: hunk.newStart,
        lines: prefixed(file, index),
        ...(context ? { context } : {}),
      });
    });
    if (wanted && hunks.length === 0) continue;
    const health = healthByPath.get(file.path);
    const drop = health ? (health.before ?? 10) - (health.after ?? 10) : 0;
    const changedLines = file.hunks
      .flatMap((h) => h.lines)
      .filter((l) => l.kind !== 'context').length;
    const language = LANGUAGE_NAMES[extensionOf(file.path).replace(/^\./, '')];
    out.push({
      path: file.path,
      ...(file.previousPath ? { previousPath: file.previousPath } : {}),
      status: statusOf(file),
      ...(language ? { language } : {}),
      hunks,
      risk: { healthDrop: Math.max(0, drop), languageRank: languageRank(file.path), changedLines },
    });
  }
  return out;
}
