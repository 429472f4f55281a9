import type { MutationTestResult } from 'mutation-testing-report-schema';
import type { MutateRange, MutationRunner, MutationRunRequest } from '../mutation/runner.ts';
import { compareTargets, targetOf, undetectedByPath } from './targets.ts';
import type { TestTarget } from './types.ts';

/**
 * The mutants that survive on the targets before any new test: what "adds value" is measured
 * against. When the mutation report ran on the head (the mutation-report action's artifact, or
 * `--report`), its survivors are already on the targets; otherwise this runs Stryker once, scoped
 * to the targets' lines, and ranks the targets again by what it found.
 */

export interface BaselineInput {
  /** Every candidate target, ranked or not: the cap applies after the survivors are known. */
  targets: readonly TestTarget[];
  maxTargets: number;
  runner: MutationRunner;
  /** Root, timeout, environment, progress: passed to the runner as they are. */
  request: Omit<MutationRunRequest, 'ranges'>;
  /** The head revision's text of a path (the report's sources are checked against it). */
  headText: (path: string) => string | null;
}

export type Baseline =
  | {
      kind: 'measured';
      /** Best first, at most `maxTargets`, with the survivors Stryker found on their lines. */
      targets: TestTarget[];
      capped: TestTarget[];
      report: MutationTestResult;
      /** Stryker stopped before testing every mutant: the survivors are those it reached. */
      partial: boolean;
      /** What the runner wants the user to hear (it installed Steward's pinned Stryker). */
      notice: string | null;
    }
  /** Stryker could not give survivors (the suite fails, no runner): the targets as they were. */
  | { kind: 'failed'; targets: TestTarget[]; capped: TestTarget[]; message: string };

/** The targets' lines, one range per target, in a stable order. */
export function baselineRanges(targets: readonly TestTarget[]): MutateRange[] {
  const seen = new Set<string>();
  const ranges: MutateRange[] = [];
  for (const t of targets) {
    const key = `${t.path}:${t.startLine}-${t.endLine}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ranges.push({ path: t.path, startLine: t.startLine, endLine: t.endLine });
  }
  return ranges;
}

/** The targets with a report's survivors on their lines, ranked best first. */
export function withSurvivors(
  targets: readonly TestTarget[],
  report: MutationTestResult,
  headText: (path: string) => string | null,
): TestTarget[] {
  const undetected = undetectedByPath(report, headText);
  return targets
    .map((t) =>
      targetOf(
        t.path,
        { name: t.name, startLine: t.startLine, endLine: t.endLine, exported: t.exported },
        t.changedLines,
        undetected.get(t.path) ?? [],
      ),
    )
    .sort(compareTargets);
}

export async function measureBaseline(input: BaselineInput): Promise<Baseline> {
  const cap = Math.max(0, Math.floor(input.maxTargets));
  const split = (list: TestTarget[]) => ({ targets: list.slice(0, cap), capped: list.slice(cap) });
  const ranked = [...input.targets].sort(compareTargets);
  if (ranked.length === 0)
    return { kind: 'failed', ...split(ranked), message: 'there is no target to measure' };
  let outcome;
  try {
    outcome = await input.runner.run({
      ...input.request,
      ranges: baselineRanges(ranked),
      allTests: true,
    });
  } catch (error: unknown) {
    const why = error instanceof Error ? error.message : String(error);
    return { kind: 'failed', ...split(ranked), message: `Stryker failed: ${why}` };
  }
  if (outcome.kind === 'report') {
    return {
      kind: 'measured',
      ...split(withSurvivors(ranked, outcome.report, input.headText)),
      report: outcome.report,
      partial: outcome.partial,
      notice: outcome.notice ?? null,
    };
  }
  const message =
    outcome.kind === 'dry-run-failed'
      ? `the tests fail before any change, so no mutant can be measured: ${outcome.message}`
      : outcome.kind === 'setup-failed'
        ? `Stryker could not start: ${outcome.message} (${outcome.hint})`
        : `Stryker stopped without a result: ${outcome.message}`;
  return { kind: 'failed', ...split(ranked), message };
}
