import picomatch from 'picomatch';
import type { ReviewFile } from '../diff/review-file.ts';
import { skipReason } from '../health/skip.ts';

/**
 * Which lines of a pull request Stryker mutates: the added and changed lines of its source files,
 * as Stryker `mutate` ranges (`path:startLine-endLine`, both lines inclusive; see Stryker's
 * `mutate` option). Only files the project's own `mutate` patterns (or Stryker's defaults) would
 * mutate, and never tests, type declarations, generated, minified, vendored or deleted files.
 */

/** Lines `startLine..endLine` (1-based, inclusive) of `path`, as Stryker mutates them. */
export interface MutateRange {
  path: string;
  startLine: number;
  endLine: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export type MutationScope =
  | { kind: 'ranges'; ranges: MutateRange[]; skipped: SkippedFile[] }
  | { kind: 'nothing-to-mutate'; message: string; skipped: SkippedFile[] };

/**
 * Stryker's own default `mutate` (the `mutate` default of @stryker-mutator/api's
 * stryker-core.json, Stryker 10): JavaScript-like files under src/ or lib/, but test and spec
 * files and `__tests__` folders.
 */
export const STRYKER_DEFAULT_MUTATE: readonly string[] = [
  '{src,lib}/**/!(*.+(s|S)pec|*.+(t|T)est).+(cjs|mjs|js|ts|mts|cts|jsx|tsx|html|vue|svelte)',
  '!{src,lib}/**/__tests__/**/*.+(cjs|mjs|js|ts|mts|cts|jsx|tsx|html|vue|svelte)',
];

/** The file kinds Stryker has a mutator for. */
const MUTABLE = /\.(?:[cm]?js|[cm]?ts|jsx|tsx|html|vue|svelte)$/i;

/** Tests, fixtures and mocks, whatever the project's patterns say: mutating a test tests nothing. */
const TEST_PATH =
  /(?:^|\/)(?:__tests__|__mocks__|__snapshots__|__fixtures__|fixtures?|tests?|specs?|e2e|cypress|playwright)\/|\.(?:test|spec|e2e|cy|bench|stories)\.[^/]*$/i;

/** Code a tool writes: mutating it tests the generator, and no one edits it by hand. */
const GENERATED_PATH = /(?:^|\/)(?:__generated__|generated)\/|\.(?:generated|gen|pb)\.[^/]*$/i;

/** Stryker's range syntax, as its MUTATION_RANGE_REGEX reads a `mutate` entry. */
const RANGE_SUFFIX = /(.*?):((\d+)(?::(\d+))?-(\d+)(?::(\d+))?)$/;

/**
 * A path Stryker (minimatch) would not read as itself: a wildcard, a character class or an
 * extglob makes the range an error ("cannot combine a glob expression with a mutation range");
 * braces expand, a backslash escapes, and a leading `!` or `#` makes an exclusion or a comment.
 * `@`, `+`, `!` and parentheses on their own are plain characters (`src/@core/a.ts` is fine).
 */
const GLOB_MAGIC = /[*?[\]{}\\]|[@+!](?=\()|^[!#]/;

/** `path:startLine-endLine`, the entry Stryker's `mutate` takes for a range. */
export function mutateRangeSpec(range: MutateRange): string {
  return `${range.path}:${range.startLine}-${range.endLine}`;
}

/**
 * A matcher with Stryker's reading of a `mutate` list: patterns apply in order, a `!` pattern
 * takes back the files it matches, hidden files never match. A pattern the project wrote with a
 * range counts for its whole file here (the changed lines are the range Steward writes).
 */
export function mutateMatcher(patterns: readonly string[]): (path: string) => boolean {
  const rules = patterns.map((pattern) => {
    const exclude = pattern.startsWith('!');
    const body = exclude ? pattern.slice(1) : pattern;
    const glob = RANGE_SUFFIX.exec(body)?.[1] ?? body;
    return { exclude, matches: picomatch(glob.replace(/^\.\//, ''), { dot: false }) };
  });
  return (path) => {
    let mutate = false;
    for (const rule of rules) if (rule.matches(path)) mutate = !rule.exclude;
    return mutate;
  };
}

/** Whether a path is a test, spec, fixture or mock file (or inside a folder of them). */
export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

/**
 * Why a changed file is not source code worth testing (deleted, outside the repository, binary,
 * not JavaScript or TypeScript, a test, generated, a declaration, vendored or minified by name);
 * null when it is. Mutation and test generation both start from these rules.
 */
export function sourceSkipReason(
  file: Pick<ReviewFile, 'path' | 'status' | 'binary'>,
): string | null {
  const path = file.path;
  if (file.status === 'removed') return 'deleted';
  if (path.startsWith('/') || path.split('/').some((part) => part === '..' || part === ''))
    return 'not a path inside the repository';
  if (file.binary) return 'binary';
  if (!MUTABLE.test(path)) return 'not a JavaScript or TypeScript source file';
  if (TEST_PATH.test(path)) return 'a test file';
  if (GENERATED_PATH.test(path)) return 'generated code';
  return skipReason({ path, size: 0 }, () => false);
}

/** Why a changed file is not mutated; null when its changed lines are. */
export function scopeSkipReason(
  file: ReviewFile,
  inMutate: (path: string) => boolean,
): string | null {
  const path = file.path;
  const source = sourceSkipReason(file);
  if (source !== null) return source;
  if (!inMutate(path)) return 'not matched by the Stryker mutate patterns';
  if (GLOB_MAGIC.test(path)) return 'its name holds glob characters, which Stryker cannot range';
  if (file.patchOmitted) return 'the diff is too large for GitHub to show its lines';
  return null;
}

/** The new-side lines the diff adds or changes (a changed line is a delete and an add). */
export function changedLines(file: ReviewFile): number[] {
  const lines = new Set<number>();
  for (const hunk of file.hunks)
    for (const line of hunk.lines)
      if (line.kind === 'add' && line.newLine !== null) lines.add(line.newLine);
  return [...lines].sort((a, b) => a - b);
}

/** Sorted, distinct lines as the fewest ranges: adjacent lines merge. */
export function mergeLines(lines: readonly number[]): { startLine: number; endLine: number }[] {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: { startLine: number; endLine: number }[] = [];
  for (const line of sorted) {
    const last = out.at(-1);
    if (last !== undefined && line === last.endLine + 1) last.endLine = line;
    else out.push({ startLine: line, endLine: line });
  }
  return out;
}

/**
 * The mutate ranges of a diff. `mutate` is the `mutation.mutate` setting, else the project's own
 * Stryker `mutate`, else null for Stryker's defaults. Ranges are sorted by path, then line.
 */
export function scopeFromDiff(
  files: readonly ReviewFile[],
  mutate: readonly string[] | null,
): MutationScope {
  const inMutate = mutateMatcher(mutate ?? STRYKER_DEFAULT_MUTATE);
  const ranges: MutateRange[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const reason = scopeSkipReason(file, inMutate);
    if (reason !== null) {
      skipped.push({ path: file.path, reason });
      continue;
    }
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    for (const range of mergeLines(changedLines(file))) ranges.push({ path: file.path, ...range });
  }
  ranges.sort(compareRanges);
  skipped.sort((a, b) => compareText(a.path, b.path));
  if (ranges.length > 0) return { kind: 'ranges', ranges, skipped };
  const message =
    files.length === 0
      ? 'nothing to mutate: the pull request changes no files'
      : skipped.length === files.length
        ? 'nothing to mutate: no changed file is source code Stryker mutates'
        : 'nothing to mutate: the changed source files add or change no lines';
  return { kind: 'nothing-to-mutate', message, skipped };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareRanges(a: MutateRange, b: MutateRange): number {
  return compareText(a.path, b.path) || a.startLine - b.startLine;
}

/** Whether `line` of `path` is inside one of the ranges. */
export function inRanges(ranges: readonly MutateRange[], path: string, line: number): boolean {
  return ranges.some((r) => r.path === path && line >= r.startLine && line <= r.endLine);
}

/**
 * Shard `index` (1-based) of `count`: the ranges dealt out so the shards hold about as many
 * changed lines each, the same way on every runner (the input order is the scope's sorted order).
 */
export function shardRanges(
  ranges: readonly MutateRange[],
  index: number,
  count: number,
): MutateRange[] {
  if (
    !Number.isInteger(count) ||
    count < 1 ||
    !Number.isInteger(index) ||
    index < 1 ||
    index > count
  )
    throw new RangeError(`expected a shard I/N with 1 ≤ I ≤ N, got ${index}/${count}`);
  const load = Array.from({ length: count }, () => 0);
  const shards: MutateRange[][] = Array.from({ length: count }, () => []);
  const bySize = [...ranges].sort(
    (a, b) => b.endLine - b.startLine - (a.endLine - a.startLine) || compareRanges(a, b),
  );
  for (const range of bySize) {
    let lightest = 0;
    for (let i = 1; i < count; i++) if (load[i]! < load[lightest]!) lightest = i;
    shards[lightest]!.push(range);
    load[lightest]! += range.endLine - range.startLine + 1;
  }
  return shards[index - 1]!.sort(compareRanges);
}
