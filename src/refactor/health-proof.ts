import { analyseSource } from '../health/complexity/analyse.ts';
import { findDuplicates } from '../health/duplication.ts';
import { assessFile } from '../health/score.ts';
import type { HealthThresholds } from '../health/thresholds.ts';
import type { FileAnalysis, FunctionMetrics, Smell } from '../health/types.ts';
import type { FunctionMeasures, HealthComparison, RefactorTarget } from './types.ts';

/**
 * The health proof of a refactoring: the file's code health before and after, measured the way
 * `steward health` and the hotspots report measure it (src/health: the complexity analysis, the
 * smells against the thresholds, duplication within the file), and three rules:
 *
 * - the file's health rises by at least `minHealthGain`;
 * - the function's cognitive complexity falls;
 * - no new smell: a smell whose kind and function were not there before is new, so a helper that
 *   takes the target's Deep Nesting with it counts, and so does a file-level smell (Overall
 *   Complexity) the change brings. A smell the target had and still has is not new, even when it
 *   weighs less or more (the health figure already says which).
 *
 * Pure and in process: the deliver job recomputes it from the artifact's texts rather than trusting
 * the numbers the propose job wrote.
 */

export interface HealthProof {
  ok: boolean;
  /** One line for the proof log: the figures, and what failed. */
  detail: string;
  comparison: HealthComparison;
}

export function compareHealth(
  path: string,
  before: string,
  after: string,
  target: Pick<RefactorTarget, 'function' | 'line'>,
  thresholds: Readonly<HealthThresholds>,
  minHealthGain: number,
): HealthProof {
  const old = measure(path, before, thresholds);
  const now = measure(path, after, thresholds);
  const wasFn = find(old.analysis, target.function, target.line);
  const isFn = find(now.analysis, target.function, wasFn?.line ?? target.line);
  const helperSmells = helpersOf(old.analysis, now.analysis, isFn);
  const comparison: HealthComparison = {
    before: measures(old.health, old.smells, wasFn, target.function, new Set()),
    after: measures(now.health, now.smells, isFn, target.function, helperSmells),
  };

  const failures: string[] = [];
  if (now.analysis.syntaxErrors.length > 0) {
    const first = now.analysis.syntaxErrors[0]!;
    failures.push(`the refactored file does not parse (line ${first.line}: ${first.message})`);
  }
  if (wasFn === null) failures.push(`no function ${target.function} in the file before`);
  if (isFn === null) failures.push(`no function ${target.function} in the refactored file`);
  const gain = Math.round((now.health - old.health) * 10) / 10;
  if (!(gain >= minHealthGain - 1e-9))
    failures.push(
      `health ${gain >= 0 ? 'rose' : 'fell'} by ${Math.abs(gain).toFixed(1)}, under the ${minHealthGain.toFixed(1)} asked for`,
    );
  if (wasFn && isFn && !(isFn.cognitive < wasFn.cognitive))
    failures.push(`cognitive complexity did not fall (${wasFn.cognitive} → ${isFn.cognitive})`);
  const known = new Set(old.smells.map(smellKey));
  const fresh = now.smells.filter((smell) => !known.has(smellKey(smell)));
  if (fresh.length > 0)
    failures.push(
      `new smell${fresh.length === 1 ? '' : 's'}: ${fresh.map((s) => `${s.kind}${s.function ? ` in ${s.function}` : ''}`).join(', ')}`,
    );

  const figures =
    `health ${old.health.toFixed(1)} → ${now.health.toFixed(1)}` +
    (wasFn && isFn ? `, cognitive complexity ${wasFn.cognitive} → ${isFn.cognitive}` : '');
  return {
    ok: failures.length === 0,
    detail:
      failures.length === 0 ? `${figures}, no new smell` : `${figures}: ${failures.join('; ')}`,
    comparison,
  };
}

interface Measured {
  analysis: FileAnalysis;
  health: number;
  smells: Smell[];
}

function measure(path: string, text: string, thresholds: Readonly<HealthThresholds>): Measured {
  const analysis = analyseSource(path, text);
  const duplicates = findDuplicates([analysis], thresholds.codeDuplication).get(path) ?? [];
  const health = assessFile(analysis, { ...thresholds }, duplicates);
  return { analysis, health: health.health, smells: health.smells };
}

/** The function of that name; of several (overloads, a nested namesake), the one nearest `line`. */
function find(analysis: FileAnalysis, name: string, line: number): FunctionMetrics | null {
  const named = analysis.functions.filter((fn) => fn.name === name);
  if (named.length === 0) return null;
  const distance = (fn: FunctionMetrics) =>
    fn.line <= line && line <= fn.endLine
      ? 0
      : Math.min(Math.abs(fn.line - line), Math.abs(fn.endLine - line));
  return named.reduce((best, fn) => (distance(fn) < distance(best) ? fn : best));
}

/**
 * Names of the functions the change added outside the target (its helpers and what they nest):
 * every name the after side has more often than the before side.
 */
function helpersOf(
  old: FileAnalysis,
  now: FileAnalysis,
  target: FunctionMetrics | null,
): Set<string> {
  const count = (analysis: FileAnalysis) => {
    const counts = new Map<string, number>();
    for (const fn of analysis.functions)
      if (fn !== target) counts.set(fn.name, (counts.get(fn.name) ?? 0) + 1);
    return counts;
  };
  const was = count(old);
  const names = new Set<string>();
  for (const [name, n] of count(now)) if (n > (was.get(name) ?? 0)) names.add(name);
  return names;
}

function measures(
  fileHealth: number,
  smells: readonly Smell[],
  fn: FunctionMetrics | null,
  name: string,
  helpers: ReadonlySet<string>,
): FunctionMeasures {
  return {
    fileHealth,
    cognitive: fn?.cognitive ?? 0,
    cyclomatic: fn?.cyclomatic ?? 0,
    nesting: fn?.nesting ?? 0,
    length: fn?.length ?? 0,
    smells: smells
      .filter((s) => s.function === null || s.function === name || helpers.has(s.function))
      .map((s) => ({ kind: s.kind, function: s.function, line: s.line, detail: s.detail })),
  };
}

function smellKey(smell: Smell): string {
  return `${smell.kind}\u0000${smell.function ?? ''}`;
}
