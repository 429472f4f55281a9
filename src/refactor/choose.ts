import picomatch from 'picomatch';
import { analyseSource } from '../health/complexity/analyse.ts';
import { isAnalysable } from '../health/complexity/languages.ts';
import { SCOPE_SEPARATOR } from '../health/complexity/walk.ts';
import { healthOf } from '../health/score.ts';
import { findSmells, type MeasuredSmell } from '../health/smells.ts';
import { DEFAULT_THRESHOLDS, type HealthThresholds } from '../health/thresholds.ts';
import { SmellKind, type FunctionMetrics, type Smell } from '../health/types.ts';
import type { HotspotEntry, HotspotsReport } from '../hotspots/types.ts';
import { sourceSkipReason } from '../mutation/scope.ts';
import { quote } from '../settings/describe-value.ts';
import { listNames, matchFunctionName } from '../testgen/file-spec.ts';
import { moduleFunctions, type ModuleFunction } from '../testgen/functions.ts';
import { textSkipReason } from '../testgen/targets.ts';
import { fingerprintAt } from './fingerprint.ts';
import { testsReaching } from './test-reach.ts';
import type { TargetSpec } from './target-spec.ts';
import type { RefactorConfig } from './settings.ts';
import type { RefactorTarget, SkippedTarget } from './types.ts';

/**
 * Which functions Steward tries to refactor: the worst functions of the top hotspot files, the
 * ones whose smells cost their file the most health first. A function is passed over, with the
 * reason for the report, when a refactoring of it could not be proven or is not wanted: its file
 * is a test, declarations, generated or vendored, outside `refactor.include`/`exclude` or changed
 * by an open pull request (a refactoring would conflict); no test imports its module (nothing
 * would check the change); its earlier refactoring pull request was closed unmerged (its
 * fingerprint); it is a getter, setter or constructor, nested in another function, anonymous, not
 * a form the AST rewrite replaces, or even without all its smells its file could not gain
 * `refactor.min-health-gain`. Pure: texts in, targets out, the same order on every run.
 */

/** The function-level smells a refactoring of one function removes. */
export const TARGET_SMELLS: readonly SmellKind[] = [
  SmellKind.complexMethod,
  SmellKind.deepNesting,
  SmellKind.bumpyRoad,
  SmellKind.largeMethod,
  SmellKind.complexConditional,
];

export interface ChooseInput {
  report: HotspotsReport;
  /** The texts of the files `filesToRead` names (the report's top files), by path. */
  texts: ReadonlyMap<string, string>;
  /** Path → text of the repository's test files. */
  testFiles: ReadonlyMap<string, string>;
  /**
   * Path → text of the project's other source files, to follow a test's imports through them (a
   * barrel, an entry module); without them only a test's direct imports of `texts` count.
   */
  sources?: ReadonlyMap<string, string>;
  config: RefactorConfig;
  /** Files changed by any open pull request. */
  openPullRequestPaths: ReadonlySet<string>;
  /** Fingerprints of functions whose refactoring pull request was closed unmerged. */
  rejectedFingerprints: ReadonlySet<string>;
  /** `--target PATH[:FUNCTION]`: that file (ranked or not), that function. */
  only?: TargetSpec;
  /**
   * The smell thresholds the file's health is measured with (`hotspots.thresholds`), the same the
   * health proof uses; the defaults when left out.
   */
  thresholds?: HealthThresholds;
}

export interface TargetChoice {
  /** Worst first, at most `refactor.max-targets`. */
  targets: RefactorTarget[];
  /** Files and functions passed over, in rank order, each with its reason. */
  skipped: SkippedTarget[];
  /** Targets past `refactor.max-targets`, worst first: what a larger cap would have tried. */
  capped: RefactorTarget[];
}

/** A hotspot file whose functions are looked at, with its 1-based rank in the report. */
interface RankedFile {
  entry: HotspotEntry;
  rank: number;
}

/** Why a file is never refactored, from its path alone; null when it may be. */
function pathSkipReason(path: string): string | null {
  const reason = sourceSkipReason({ path, status: 'modified', binary: false });
  if (reason !== null) return reason;
  if (!isAnalysable(path)) return 'not a JavaScript or TypeScript file the parser reads';
  return null;
}

/**
 * The files whose functions are looked at: the `refactor.top-files` highest-ranked hotspot files
 * that are source code inside `include`/`exclude` (files passed over by path do not count), or the
 * one file `only` names, whatever its rank (include/exclude do not apply: the user named it).
 */
function rankedFiles(
  report: HotspotsReport,
  config: RefactorConfig,
  only: TargetSpec | undefined,
): { files: RankedFile[]; skipped: SkippedTarget[] } {
  const skipped: SkippedTarget[] = [];
  if (only !== undefined) {
    const reason = pathSkipReason(only.path);
    const index = report.files.findIndex((entry) => entry.path === only.path);
    const entry = report.files[index];
    if (reason === null && entry !== undefined)
      return { files: [{ entry, rank: index + 1 }], skipped };
    skipped.push({
      path: only.path,
      function: only.function ?? null,
      reason:
        reason ??
        'not in the hotspots report: not a file of the repository, or one hotspots does not analyse (hotspots.exclude, too large, minified)',
    });
    return { files: [], skipped };
  }
  const included =
    config.include.length > 0 ? picomatch([...config.include], { dot: true }) : () => true;
  const excluded =
    config.exclude.length > 0 ? picomatch([...config.exclude], { dot: true }) : () => false;
  const files: RankedFile[] = [];
  for (const [index, entry] of report.files.entries()) {
    if (files.length >= config.topFiles) break;
    // Not changed in the history window: not a hotspot, however smelly.
    if (entry.revisions === 0) continue;
    const reason =
      pathSkipReason(entry.path) ??
      (excluded(entry.path) ? 'excluded by refactor.exclude' : null) ??
      (included(entry.path) ? null : 'not matched by refactor.include');
    if (reason !== null) skipped.push({ path: entry.path, function: null, reason });
    else files.push({ entry, rank: index + 1 });
  }
  return { files, skipped };
}

/**
 * The paths whose texts `chooseTargets` reads from `texts`: what a face reads at the report's
 * revision before choosing.
 */
export function filesToRead(
  report: HotspotsReport,
  config: RefactorConfig,
  only?: TargetSpec,
): string[] {
  return rankedFiles(report, config, only).files.map((file) => file.entry.path);
}

/** The forms the AST rewrite replaces: a declaration, a method, a variable's arrow or function. */
const REWRITABLE_FORMS: ReadonlySet<ModuleFunction['form']> = new Set([
  'declaration',
  'variable',
  'method',
]);

const FORM_WORDS: Record<ModuleFunction['form'], string> = {
  declaration: 'a function declaration',
  variable: 'a function assigned to a variable',
  method: 'a class method',
  getter: 'a getter',
  setter: 'a setter',
  constructor: 'a constructor',
  property: 'a function-valued class property',
  'object-member': 'a method of an object literal',
  'default-export': 'a default export without a name',
  'commonjs-export': 'a CommonJS export',
};

/** A smell as the target carries it: what the report shows, without the measurement behind it. */
function plainSmell(smell: MeasuredSmell): Smell {
  return { kind: smell.kind, function: smell.function, line: smell.line, detail: smell.detail };
}

function oneDecimal(value: number): string {
  return (Math.round(value * 10) / 10).toFixed(1);
}

/** A function with target smells, and what it could win its file. */
interface Candidate {
  metrics: FunctionMetrics;
  index: number;
  smells: MeasuredSmell[];
}

interface FileContext {
  path: string;
  text: string;
  ranked: RankedFile;
  functions: readonly FunctionMetrics[];
  units: readonly ModuleFunction[];
  smells: readonly MeasuredSmell[];
  fileHealth: number;
}

/** A target of one candidate, or why it is passed over. */
function candidateTarget(
  file: FileContext,
  candidate: Candidate,
  input: ChooseInput,
): { target: RefactorTarget; gain: number } | { reason: string } {
  const fn = candidate.metrics;
  if (fn.kind === 'getter' || fn.kind === 'setter' || fn.kind === 'constructor')
    return { reason: `a ${fn.kind}: Steward refactors functions and methods only` };
  if (fn.name === '<anonymous>' || fn.name.endsWith('.<anonymous>'))
    return { reason: 'an anonymous function: it has no name to be replaced by' };
  const scope = (fn.qualifiedName ?? fn.name).split(SCOPE_SEPARATOR);
  if (scope.length > 1)
    return {
      reason: `nested in ${scope.slice(0, -1).join(SCOPE_SEPARATOR)}: the enclosing function is the one to refactor`,
    };
  const sameName = file.functions.filter((other) => other.name === fn.name).length;
  if (sameName > 1)
    return { reason: `${sameName} functions of the file are named ${fn.name}: ambiguous` };
  // The top-level unit it is (an object's method is `api.run` there, `run` to code health).
  const unit = file.units.find(
    (u) =>
      (u.name === fn.name || u.name.endsWith(`.${fn.name}`)) &&
      u.startLine <= fn.line &&
      fn.endLine <= u.endLine,
  );
  // `export default function () {}` is a declaration named `default`, which no function can be.
  const anonymousDefault = unit?.form === 'declaration' && unit.name === 'default';
  if (
    unit === undefined ||
    unit.name !== fn.name ||
    anonymousDefault ||
    !REWRITABLE_FORMS.has(unit.form)
  )
    return {
      reason: `${unit === undefined ? 'not a top-level function' : FORM_WORDS[anonymousDefault ? 'default-export' : unit.form]}: Steward rewrites named function declarations, functions assigned to a variable and class methods`,
    };
  const fingerprint = fingerprintAt(file.path, fn.name, file.text, fn.line, fn.endLine);
  if (input.rejectedFingerprints.has(fingerprint))
    return {
      reason: `its refactoring pull request was closed unmerged (fingerprint ${fingerprint}); it is proposed again only once its code changes`,
    };
  // At best every smell of the function goes, and the file's Overall Complexity with it (helpers
  // lower the mean); if even that cannot raise the health enough, no proposal will.
  const best = healthOf(
    file.smells.filter(
      (smell) => smell.owner !== candidate.index && smell.kind !== SmellKind.overallComplexity,
    ),
  );
  const gain = best - file.fileHealth;
  const wanted = input.config.minHealthGain;
  if (gain + 1e-9 < wanted)
    return {
      reason: `even without any of its smells the file's health would rise by at most ${oneDecimal(gain)} (${oneDecimal(file.fileHealth)} → ${oneDecimal(best)}), less than refactor.min-health-gain ${wanted}`,
    };
  return {
    gain,
    target: {
      path: file.path,
      function: fn.name,
      line: fn.line,
      endLine: fn.endLine,
      fingerprint,
      hotspotRank: file.ranked.rank,
      revisions: file.ranked.entry.revisions,
      fileHealth: file.fileHealth,
      smells: candidate.smells.map(plainSmell),
      metrics: { ...fn },
    },
  };
}

/**
 * The functions of a file worth a look: those with a target smell, or the one `only` names. A
 * string when there are none, saying why.
 */
function candidatesOf(
  file: FileContext,
  only: TargetSpec | undefined,
): Candidate[] | { function: string | null; reason: string } {
  const all = file.functions.map((metrics, index) => ({
    metrics,
    index,
    smells: file.smells.filter(
      (smell) => smell.owner === index && TARGET_SMELLS.includes(smell.kind),
    ),
  }));
  if (only?.function === undefined) {
    const smelly = all.filter((candidate) => candidate.smells.length > 0);
    if (smelly.length > 0) return smelly;
    return { function: null, reason: `no function has a ${TARGET_SMELLS.join(', ')} smell` };
  }
  const names = [...new Set(file.functions.map((fn) => fn.name))];
  const match = matchFunctionName(names, only.function);
  if (match.kind === 'missing')
    return {
      function: only.function,
      reason: `no function or method is named ${quote(only.function)}${names.length > 0 ? `; the file has ${listNames(names)}` : ''}`,
    };
  if (match.kind === 'ambiguous')
    return {
      function: only.function,
      reason: `several methods are named ${quote(only.function)}: ${listNames(match.names)}; name one with its class`,
    };
  const name = match.names[0]!;
  const named = all.filter((candidate) => candidate.metrics.name === name);
  if (named.length > 1)
    return {
      function: name,
      reason: `${named.length} functions of the file are named ${name}: ambiguous`,
    };
  if (named[0]!.smells.length > 0) return named;
  return {
    function: name,
    reason: `it has none of the smells a refactoring removes (${TARGET_SMELLS.join(', ')}): its file's health could not rise`,
  };
}

/** The marks code generators leave at the top of what they write: `@generated`, "DO NOT EDIT". */
const GENERATED_HEADER = /@generated\b|\bdo not edit\b|\b(?:auto-?)?generated by\b/i;

/** The comment lines a file starts with (a `#!` line and blank lines included), at most 40. */
function leadingComments(text: string): string {
  const lines: string[] = [];
  let inBlock = false;
  for (const line of text.slice(0, 8000).split('\n', 40)) {
    const trimmed = line.trim();
    const comment =
      inBlock || trimmed === '' || /^(?:\/\/|\/\*|#!)/.test(trimmed) || trimmed.startsWith('*');
    if (!comment) break;
    if (trimmed.startsWith('/*')) inBlock = true;
    if (inBlock && trimmed.includes('*/')) inBlock = false;
    lines.push(trimmed);
  }
  return lines.join('\n');
}

/** Why a ranked file gives no targets before its functions are looked at; null when it may. */
function fileSkipReason(
  path: string,
  text: string | undefined,
  input: ChooseInput,
  tested: ReadonlyMap<string, string[]>,
): string | null {
  if (input.testFiles.has(path)) return 'a test file';
  if (input.openPullRequestPaths.has(path))
    return 'an open pull request changes it: a refactoring would conflict';
  if (text === undefined) return 'its text was not read';
  const content = textSkipReason(text);
  if (content !== null) return content;
  if (GENERATED_HEADER.test(leadingComments(text))) return 'generated code (its header says so)';
  if ((tested.get(path) ?? []).length === 0)
    return 'no test reaches it (no test file loads it, directly or through the modules it loads): nothing would prove a refactoring keeps its behaviour';
  return null;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The targets of one run, worst first: the function whose smells cost its file the most health
 * (what a refactoring of it can win), then the higher cognitive complexity, then the hotter file,
 * then by path and line. Every passed-over file and function comes with its reason.
 */
export function chooseTargets(input: ChooseInput): TargetChoice {
  const { report, config, only } = input;
  const thresholds = input.thresholds ?? DEFAULT_THRESHOLDS;
  const { files, skipped } = rankedFiles(report, config, only);
  const known = new Set([...report.files.map((entry) => entry.path), ...input.texts.keys()]);
  const tested = testsReaching({
    tests: [...input.testFiles.keys()],
    read: (path) =>
      input.testFiles.get(path) ?? input.texts.get(path) ?? input.sources?.get(path) ?? null,
    exists: (path) =>
      known.has(path) || input.testFiles.has(path) || (input.sources?.has(path) ?? false),
  });
  const found: { target: RefactorTarget; gain: number }[] = [];
  for (const ranked of files) {
    const path = ranked.entry.path;
    const text = input.texts.get(path);
    const skip = (reason: string) =>
      skipped.push({ path, function: only?.function ?? null, reason });
    const reason = fileSkipReason(path, text, input, tested);
    if (reason !== null || text === undefined) {
      skip(reason ?? 'its text was not read');
      continue;
    }
    const analysis = analyseSource(path, text);
    const units = moduleFunctions(path, text);
    const error = analysis.syntaxErrors[0];
    if (error !== undefined || units.kind === 'syntax-error') {
      // Both parse with the same parser: a file that fails one fails the other.
      skip(`does not parse: line ${error?.line ?? 0}: ${error?.message ?? ''}`);
      continue;
    }
    const smells = findSmells(analysis, thresholds);
    const file: FileContext = {
      path,
      text,
      ranked,
      functions: analysis.functions,
      units: units.functions,
      smells,
      fileHealth: healthOf(smells),
    };
    const candidates = candidatesOf(file, only);
    if (!Array.isArray(candidates)) {
      skipped.push({ path, ...candidates });
      continue;
    }
    for (const candidate of candidates) {
      const chosen = candidateTarget(file, candidate, input);
      if ('reason' in chosen)
        skipped.push({ path, function: candidate.metrics.name, reason: chosen.reason });
      else found.push(chosen);
    }
  }
  found.sort(
    (a, b) =>
      b.gain - a.gain ||
      b.target.metrics.cognitive - a.target.metrics.cognitive ||
      a.target.hotspotRank - b.target.hotspotRank ||
      compareText(a.target.path, b.target.path) ||
      a.target.line - b.target.line,
  );
  const ordered = found.map((f) => f.target);
  const cap = Math.max(0, Math.floor(config.maxTargets));
  return { targets: ordered.slice(0, cap), skipped, capped: ordered.slice(cap) };
}
