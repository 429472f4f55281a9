import { isAbsolute, relative, sep } from 'node:path';
import type { MutantResult, MutationTestResult } from 'mutation-testing-report-schema';
import type { MutationRunner } from '../mutation/runner.ts';
import type {
  MutantTarget,
  MutantsKilledResult,
  TestMutantEffect,
} from '../testgen/test-runner.ts';
import type { TargetMutant } from '../testgen/types.ts';

/**
 * Which surviving mutants the candidate tests kill, from one Stryker run over the targets' lines
 * with the candidate file in place: a target's mutant is found again in the new report by file,
 * line, mutator and replacement (ids are per run), and credited to the tests Stryker names in
 * `killedBy` (kills) and `coveredBy` (a NoCoverage mutant now covered).
 */

const SEED_SUFFIX = / \(with seed=-?\d+\)$/;

export interface MutantsRequest {
  root: string;
  runner: MutationRunner;
  targets: readonly MutantTarget[];
  names: readonly string[];
  env: Readonly<Record<string, string>>;
  /** Setup files for Stryker's jest runner (fast-check's seed); see MutationRunRequest. */
  jestSetupFiles?: readonly string[] | undefined;
  timeoutMs: number;
  concurrency?: number | undefined;
  /** What joins the describe titles and the title in the framework's test names. */
  separator: TitleSeparator;
}

/**
 * vitest names a test `outer > inner > title`; jest `outer inner title` (Stryker's jest runner
 * reports jest's full name).
 */
export type TitleSeparator = ' > ' | ' ';

/** The separator of a framework's full test names. */
export function titleSeparator(framework: 'vitest' | 'jest'): TitleSeparator {
  return framework === 'jest' ? ' ' : ' > ';
}

function repositoryPath(root: string, path: string): string {
  return (isAbsolute(path) ? relative(root, path) : path).split(sep).join('/');
}

/**
 * The candidate a Stryker test name belongs to: its title, after the describe chain. With jest's
 * space the chain's end is not marked, so the longest name that ends the full name wins
 * (`isAdult is adult` is "is adult" rather than "adult" when both are candidates).
 */
export function candidateOf(
  testName: string,
  names: ReadonlySet<string>,
  separator: TitleSeparator = ' > ',
): string | undefined {
  const title = testName.replace(SEED_SUFFIX, '');
  if (names.has(title)) return title;
  let found: string | undefined;
  for (const name of names) {
    if (title.endsWith(`${separator}${name}`) && name.length > (found?.length ?? -1)) found = name;
  }
  return found;
}

function sameMutant(found: MutantResult, wanted: TargetMutant): boolean {
  return (
    found.location.start.line === wanted.line &&
    found.mutatorName === wanted.mutator &&
    (found.replacement === undefined || found.replacement === wanted.replacement)
  );
}

export function effectsOf(
  root: string,
  report: MutationTestResult,
  targets: readonly MutantTarget[],
  names: readonly string[],
  separator: TitleSeparator = ' > ',
): Map<string, TestMutantEffect> {
  const wanted = new Set(names);
  const testOwner = new Map<string, string>();
  for (const testFile of Object.values(report.testFiles ?? {})) {
    for (const test of testFile.tests) {
      const owner = candidateOf(test.name, wanted, separator);
      if (owner !== undefined) testOwner.set(test.id, owner);
    }
  }
  const effects = new Map(names.map((n) => [n, { kills: [] as string[], covers: [] as string[] }]));
  const byPath = new Map<string, MutantResult[]>();
  for (const [path, file] of Object.entries(report.files)) {
    byPath.set(repositoryPath(root, path), file.mutants);
  }
  for (const target of targets) {
    const mutants = byPath.get(target.path) ?? [];
    for (const wantedMutant of target.mutants) {
      const found = mutants.filter((m) => sameMutant(m, wantedMutant));
      for (const mutant of found) {
        if (mutant.status === 'Killed') {
          for (const id of mutant.killedBy ?? []) {
            const owner = testOwner.get(id);
            if (owner !== undefined) effects.get(owner)?.kills.push(wantedMutant.id);
          }
        }
        if (wantedMutant.status === 'NoCoverage' && mutant.status !== 'NoCoverage') {
          for (const id of [...(mutant.coveredBy ?? []), ...(mutant.killedBy ?? [])]) {
            const owner = testOwner.get(id);
            if (owner !== undefined) effects.get(owner)?.covers.push(wantedMutant.id);
          }
        }
      }
    }
  }
  return new Map(
    [...effects].map(([name, e]) => [
      name,
      { kills: [...new Set(e.kills)], covers: [...new Set(e.covers)] },
    ]),
  );
}

export async function measureMutants(request: MutantsRequest): Promise<MutantsKilledResult> {
  const outcome = await request.runner.run({
    root: request.root,
    ranges: request.targets.map((t) => ({
      path: t.path,
      startLine: t.startLine,
      endLine: t.endLine,
    })),
    env: request.env,
    ...(request.jestSetupFiles === undefined ? {} : { jestSetupFiles: request.jestSetupFiles }),
    timeoutMs: request.timeoutMs,
    ...(request.concurrency === undefined ? {} : { concurrency: request.concurrency }),
  });
  switch (outcome.kind) {
    case 'report':
      // A partial report (timeout) still proves the kills it holds; untested mutants credit nobody.
      return {
        kind: 'measured',
        byTest: effectsOf(
          request.root,
          outcome.report,
          request.targets,
          request.names,
          request.separator,
        ),
      };
    case 'dry-run-failed':
      return { kind: 'failed', message: outcome.message };
    case 'setup-failed':
      return { kind: 'failed', message: `${outcome.message} (${outcome.hint})` };
    case 'crashed':
      return { kind: 'failed', message: `Stryker crashed: ${outcome.message}` };
  }
}
