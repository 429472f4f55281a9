/**
 * What the model review takes in: files with hunks, the enclosing function of each hunk, and a risk
 * key per file. The caller (diff, filter and health stages) fills these; this folder only reads them.
 */

export interface HunkContext {
  /** e.g. "function parseInputs" — shown to the model as a label. */
  readonly name?: string;
  /** New-side line number of the first line of `text`. */
  readonly startLine: number;
  /** The enclosing function or class on the head side, as the caller extracted it. */
  readonly text: string;
}

export interface ReviewHunk {
  readonly oldStart: number;
  readonly newStart: number;
  /** Patch lines with their prefix: '+', '-', ' ', or '\' for "No newline at end of file". */
  readonly lines: readonly string[];
  readonly context?: HunkContext;
}

export const FILE_STATUSES = ['added', 'modified', 'renamed', 'deleted'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/** Risk order: larger health drop first, then more relevant language, then larger change. */
export interface FileRisk {
  /** How much code health falls with this change; 0 when it does not, higher is riskier. */
  readonly healthDrop: number;
  /** 0 for the repository's main language(s); higher ranks come later. */
  readonly languageRank: number;
  /** Added plus removed lines. */
  readonly changedLines: number;
}

/** A changed file as the model review packs it (built from a diff ReviewFile by model/input.ts). */
export interface ModelFile {
  readonly path: string;
  readonly previousPath?: string;
  readonly status: FileStatus;
  readonly language?: string;
  readonly hunks: readonly ReviewHunk[];
  readonly risk: FileRisk;
}

export const FOCUS_AREAS = [
  'security',
  'correctness',
  'performance',
  'maintainability',
  'tests',
] as const;
export type FocusArea = (typeof FOCUS_AREAS)[number];
