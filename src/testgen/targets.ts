import type { MutationTestResult } from 'mutation-testing-report-schema';
import picomatch from 'picomatch';
import type { ReviewFile } from '../diff/review-file.ts';
import { isAnalysable } from '../health/complexity/languages.ts';
import { minifiedReason } from '../health/minified.ts';
import { normaliseReportPath } from '../mutation/report.ts';
import { changedLines, sourceSkipReason, type SkippedFile } from '../mutation/scope.ts';
import { survivorsOf, type Survivor } from '../mutation/survivors.ts';
import { moduleFunctions, type ModuleFunction } from './functions.ts';
import type { TargetMutant, TestTarget } from './types.ts';

/**
 * What tests are generated for: the functions and methods whose lines a change touched, ranked
 * by what a new test can win there. First the mutants that survived on their lines (a test that
 * kills one is worth keeping, by the chain's own measure), then the changed lines no test runs
 * (NoCoverage mutants), then the changed lines. Tests, declarations, generated, vendored and
 * minified files are never targets (the rules mutation uses, src/mutation/scope.ts).
 */

export interface TargetOptions {
  /** `test-gen.max-targets`: most targets returned. */
  maxTargets: number;
  /** `test-gen.include`: when not empty, only files matching one of these. */
  include: readonly string[];
  /** `test-gen.exclude`: files never targeted. */
  exclude: readonly string[];
  /** The mutation report of the head revision, when one ran; its survivors rank the targets. */
  report?: MutationTestResult | null;
}

export interface TargetSelection {
  /** Best first, at most `maxTargets`. */
  targets: TestTarget[];
  /** Ranked targets past `maxTargets`, best first: what a larger cap would have added. */
  capped: TestTarget[];
  /** Changed files with no targets, and why, by path. */
  skipped: SkippedFile[];
}

/**
 * Most characters of a file parsed for targets. Larger than code health's 1 MB: one changed file
 * is parsed here, not a whole repository, and a long hand-written module still has functions a
 * test can call (a 50,000-line file of 80 columns is 4 million characters).
 */
export const MAX_TARGET_FILE_CHARS = 5_000_000;

/** Why a file's head text is not worth parsing: binary, over-large or minified; null when it is. */
export function textSkipReason(text: string): string | null {
  if (text.slice(0, 8000).includes('\0')) return 'binary';
  if (text.length > MAX_TARGET_FILE_CHARS)
    return `larger than ${MAX_TARGET_FILE_CHARS.toLocaleString('en-US')} characters`;
  return minifiedReason(text.slice(0, 64 * 1024).split('\n'));
}

/**
 * The mutants of a report no test detected (Survived, NoCoverage), by path, for the files whose
 * text in the report is their head text: a report of another revision would misplace them.
 */
export function undetectedByPath(
  report: MutationTestResult | null | undefined,
  headText: (path: string) => string | null,
): Map<string, Survivor[]> {
  const byPath = new Map<string, Survivor[]>();
  if (report === null || report === undefined) return byPath;
  const current = new Set<string>();
  for (const [key, file] of Object.entries(report.files)) {
    const path = normaliseReportPath(key);
    if (file.source === headText(path)) current.add(path);
  }
  for (const survivor of survivorsOf(report)) {
    if (!current.has(survivor.path)) continue;
    const list = byPath.get(survivor.path) ?? [];
    list.push(survivor);
    byPath.set(survivor.path, list);
  }
  return byPath;
}

function targetMutant(survivor: Survivor): TargetMutant {
  return {
    id: survivor.id,
    mutator: survivor.mutatorName,
    line: survivor.line,
    original: survivor.original,
    replacement: survivor.replacement,
    status: survivor.status,
  };
}

/**
 * A function as a target: the lines of `lines` inside it, the mutants that start inside it, and
 * the lines among those on which a NoCoverage mutant sits (no test runs them).
 */
export function targetOf(
  path: string,
  fn: Pick<ModuleFunction, 'name' | 'startLine' | 'endLine' | 'exported'>,
  lines: readonly number[],
  undetected: readonly Survivor[],
): TestTarget {
  const inside = (line: number) => line >= fn.startLine && line <= fn.endLine;
  const changed = lines.filter(inside);
  const mutants = undetected.filter((m) => inside(m.line));
  // Over the changed lines, not the mutants' spans: a report's end line is not to be trusted.
  const noCoverage = mutants.filter((m) => m.status === 'NoCoverage');
  const uncovered = changed.filter((line) =>
    noCoverage.some((m) => line >= m.line && line <= Math.max(m.line, m.endLine)),
  );
  return {
    path,
    name: fn.name,
    startLine: fn.startLine,
    endLine: fn.endLine,
    exported: fn.exported,
    changedLines: changed,
    uncoveredLines: uncovered,
    survivingMutants: mutants.map(targetMutant),
  };
}

function survivedCount(target: TestTarget): number {
  return target.survivingMutants.filter((m) => m.status === 'Survived').length;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Best target first: more surviving mutants, then more uncovered changed lines, then more changed
 * lines; then exported ones (a test can import them), then by path, line and name, so the order
 * is the same on every run whatever order the files came in.
 */
export function compareTargets(a: TestTarget, b: TestTarget): number {
  return (
    survivedCount(b) - survivedCount(a) ||
    b.uncoveredLines.length - a.uncoveredLines.length ||
    b.changedLines.length - a.changedLines.length ||
    Number(b.exported) - Number(a.exported) ||
    compareText(a.path, b.path) ||
    a.startLine - b.startLine ||
    compareText(a.name, b.name)
  );
}

/** Why a changed file has no targets before its text is read; null when it may have some. */
function fileSkipReason(
  file: ReviewFile,
  included: (path: string) => boolean,
  excluded: (path: string) => boolean,
): string | null {
  const reason = sourceSkipReason(file);
  if (reason !== null) return reason;
  if (!isAnalysable(file.path)) return 'not a JavaScript or TypeScript file the parser reads';
  if (excluded(file.path)) return 'excluded by test-gen.exclude';
  if (!included(file.path)) return 'not matched by test-gen.include';
  if (file.patchOmitted) return 'the diff is too large for GitHub to show its lines';
  return null;
}

/** Each function of a file that holds one of `lines`, as a target (the file's parse failing is a skip). */
export function targetsInText(
  path: string,
  text: string,
  lines: readonly number[] | 'all',
  undetected: readonly Survivor[] = [],
): { targets: TestTarget[] } | { skipped: string } {
  const content = textSkipReason(text);
  if (content !== null) return { skipped: content };
  const parsed = moduleFunctions(path, text);
  if (parsed.kind === 'syntax-error')
    return { skipped: `does not parse: line ${parsed.line}: ${parsed.message}` };
  const targets = parsed.functions
    .map((fn) => {
      const own =
        lines === 'all'
          ? Array.from({ length: fn.endLine - fn.startLine + 1 }, (_, i) => fn.startLine + i)
          : lines;
      return targetOf(path, fn, own, undetected);
    })
    .filter((target) => target.changedLines.length > 0);
  return { targets };
}

/**
 * The targets of a change: `files` as the diff gives them, `headText` the head revision's text of
 * a path (null when it cannot be read). Pure; the same input gives the same order.
 */
export function targetsOf(
  files: readonly ReviewFile[],
  headText: (path: string) => string | null,
  options: TargetOptions,
): TargetSelection {
  const included =
    options.include.length > 0 ? picomatch([...options.include], { dot: true }) : () => true;
  const excluded =
    options.exclude.length > 0 ? picomatch([...options.exclude], { dot: true }) : () => false;
  const undetected = undetectedByPath(options.report, headText);
  const all: TestTarget[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    const reason = fileSkipReason(file, included, excluded);
    if (reason !== null) {
      skipped.push({ path: file.path, reason });
      continue;
    }
    const lines = changedLines(file);
    if (lines.length === 0) continue;
    const text = headText(file.path);
    if (text === null) {
      skipped.push({ path: file.path, reason: 'its text at the head revision could not be read' });
      continue;
    }
    const found = targetsInText(file.path, text, lines, undetected.get(file.path) ?? []);
    if ('skipped' in found) skipped.push({ path: file.path, reason: found.skipped });
    else if (found.targets.length === 0)
      skipped.push({ path: file.path, reason: 'its changed lines are outside any function' });
    else all.push(...found.targets);
  }
  all.sort(compareTargets);
  skipped.sort((a, b) => compareText(a.path, b.path));
  const cap = Math.max(0, Math.floor(options.maxTargets));
  return { targets: all.slice(0, cap), capped: all.slice(cap), skipped };
}
