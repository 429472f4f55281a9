import type { CandidateVerdict, ChainStage, Funnel, TestCandidate, TestTarget } from './types.ts';
import type {
  MutantTarget,
  RunResult,
  TestOutcome,
  TestRunPort,
  TypeDiagnostic,
} from './test-runner.ts';

/**
 * The filter chain (issue 16, step 5), pure over the TestRunPort: every candidate type-checks,
 * passes, passes again `runs` times in shuffled order with fresh seeds, and kills a surviving
 * mutant or covers an uncovered changed line, or it leaves at the first stage it fails. A
 * candidate that fails on an assertion the first time and the same way on every rerun is a
 * possible bug in the code under test: reported apart, never kept.
 */

/** Where the candidates go: the test file's path and its text holding a given set of them. */
export interface FilePlacement {
  path: string;
  /**
   * The whole test file with exactly these candidates inserted (none: the file as it is, or
   * empty). With `seed`, a stability rerun: property tests run with that seed instead of the one
   * they pin, so each rerun tries other inputs; without it, as they will be committed.
   */
  build(candidates: readonly TestCandidate[], seed?: number): string | Promise<string>;
}

export interface ChainOptions {
  /** The targets the candidates test (`TestCandidate.target` names one); their mutants decide "adds value". */
  targets: readonly TestTarget[];
  /** Stability reruns after the first pass; 5 by default. */
  runs?: number;
  /** A fresh seed per run (order and fast-check); random by default. */
  nextSeed?: () => number;
}

export interface ChainResult {
  /** By candidate name; a duplicate name keeps the first candidate's verdict. */
  verdicts: Map<string, CandidateVerdict>;
  funnel: Funnel;
}

const DEFAULT_RUNS = 5;
const MESSAGE_LIMIT = 2000;

function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

function clip(text: string): string {
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text;
}

function describeErrors(errors: readonly TypeDiagnostic[]): string {
  return clip(
    `does not type-check: ${errors.map((e) => `line ${String(e.line)}: ${e.message}`).join('; ')}`,
  );
}

/** The first line of a failure: what "fails the same way" compares (stack and counterexample vary). */
function failureKey(message: string): string {
  return message.split('\n')[0]?.trim() ?? '';
}

export async function runChain(
  candidates: readonly TestCandidate[],
  placement: FilePlacement,
  port: TestRunPort,
  options: ChainOptions,
): Promise<ChainResult> {
  const runs = options.runs ?? DEFAULT_RUNS;
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`test-gen runs must be a whole number of at least 1, got ${String(runs)}`);
  }
  const nextSeed = options.nextSeed ?? randomSeed;
  const verdicts = new Map<string, CandidateVerdict>();
  const funnel: Funnel = {
    candidates: candidates.length,
    typeChecks: 0,
    passes: 0,
    stable: 0,
    addsValue: 0,
    kept: 0,
    possibleBugs: 0,
  };
  const drop = (candidate: TestCandidate, stage: ChainStage, reason: string): void => {
    verdicts.set(candidate.name, { kind: 'dropped', stage, reason: clip(reason) });
  };
  const fileWith = async (list: readonly TestCandidate[], seed?: number) => ({
    path: placement.path,
    text: await (seed === undefined ? placement.build(list) : placement.build(list, seed)),
  });

  // 1. Type-check.
  const unique: TestCandidate[] = [];
  for (const candidate of candidates) {
    if (candidate.name.trim() === '') {
      // No verdict key to hold it by; counted in `candidates` only.
      continue;
    }
    if (unique.some((c) => c.name === candidate.name)) continue;
    unique.push(candidate);
  }
  const typed = await typeCheckStage(unique, fileWith, port, drop);
  funnel.typeChecks = typed.length;

  // 2. Passes (once, in file order).
  const passing: TestCandidate[] = [];
  const suspects = new Map<TestCandidate, string>(); // failed on an assertion: possible bugs
  if (typed.length > 0) {
    const first = await runIsolating(typed, fileWith, port, false, nextSeed());
    for (const candidate of typed) {
      const outcome = outcomeOf(first, candidate);
      if (outcome.status === 'passed') passing.push(candidate);
      else if (outcome.failure === 'assertion') suspects.set(candidate, outcome.message);
      else drop(candidate, 'pass', `fails: ${outcome.message}`);
    }
  }
  funnel.passes = passing.length;

  // 3. Stable: `runs` more times, shuffled, fresh seeds. The suspects run too: a possible bug
  // must fail the same way every time; one that passes sometimes is merely flaky.
  const stableSet = new Set(passing);
  const bugSet = new Set(suspects.keys());
  const rerun = [...typed].filter((c) => stableSet.has(c) || bugSet.has(c));
  for (let run = 1; run <= runs && (stableSet.size > 0 || bugSet.size > 0); run += 1) {
    const list = rerun.filter((c) => stableSet.has(c) || bugSet.has(c));
    const result = await runIsolating(list, fileWith, port, true, nextSeed());
    const label = `run ${String(run)} of ${String(runs)}`;
    for (const candidate of list) {
      const outcome = outcomeOf(result, candidate);
      if (stableSet.has(candidate) && outcome.status !== 'passed') {
        stableSet.delete(candidate);
        drop(
          candidate,
          'stable',
          `flaky: passed once, then failed on ${label}: ${outcome.message}`,
        );
      } else if (bugSet.has(candidate)) {
        const firstMessage = suspects.get(candidate) ?? '';
        const same =
          outcome.status === 'failed' &&
          outcome.failure === 'assertion' &&
          (candidate.kind === 'property' ||
            failureKey(outcome.message) === failureKey(firstMessage));
        if (!same) {
          bugSet.delete(candidate);
          drop(
            candidate,
            'stable',
            outcome.status === 'passed'
              ? `flaky: failed on an assertion once (${failureKey(firstMessage)}), then passed on ${label}`
              : `flaky: failed differently on ${label}: ${outcome.message}`,
          );
        }
      }
    }
  }
  for (const candidate of bugSet) {
    verdicts.set(candidate.name, {
      kind: 'possible-bug',
      assertion: clip(suspects.get(candidate) ?? ''),
    });
  }
  funnel.possibleBugs = bugSet.size;
  const stable = rerun.filter((c) => stableSet.has(c));
  funnel.stable = stable.length;

  // 4. Adds value: one mutation run over every target's lines with all the stable tests in.
  const kept = await addsValueStage(stable, options.targets, fileWith, port, drop, verdicts);
  funnel.addsValue = kept;
  funnel.kept = kept;
  return { verdicts, funnel };
}

type Drop = (candidate: TestCandidate, stage: ChainStage, reason: string) => void;
type FileWith = (
  list: readonly TestCandidate[],
  seed?: number,
) => Promise<{ path: string; text: string }>;

/**
 * Errors inside a candidate's test are its own. Errors outside every test that the file without
 * candidates does not have (a wrong import, an unused one under noUnusedLocals) belong to some
 * candidate: then each is checked alone, so one bad import does not sink the others.
 */
async function typeCheckStage(
  candidates: readonly TestCandidate[],
  fileWith: FileWith,
  port: TestRunPort,
  drop: Drop,
): Promise<TestCandidate[]> {
  if (candidates.length === 0) return [];
  const baseline = await port.typeCheck(await fileWith([]));
  const known = new Set(baseline.fileErrors.map((e) => e.message));
  const fresh = (errors: readonly TypeDiagnostic[]): TypeDiagnostic[] =>
    errors.filter((e) => !known.has(e.message));
  const together = await port.typeCheck(await fileWith(candidates));
  const ok: TestCandidate[] = [];
  if (fresh(together.fileErrors).length === 0) {
    for (const candidate of candidates) {
      const errors = together.byTest.get(candidate.name) ?? [];
      if (errors.length === 0) ok.push(candidate);
      else drop(candidate, 'type-check', describeErrors(errors));
    }
    return ok;
  }
  for (const candidate of candidates) {
    const alone = await port.typeCheck(await fileWith([candidate]));
    const errors = [...fresh(alone.fileErrors), ...(alone.byTest.get(candidate.name) ?? [])];
    if (errors.length === 0) ok.push(candidate);
    else drop(candidate, 'type-check', describeErrors(errors));
  }
  return ok;
}

/**
 * One run of `list`. When the file as a whole fails (an error no test caught, a run that never
 * ends), vitest cannot say whose it was: each candidate then runs alone, with the same seed, so
 * one bad candidate does not sink the others.
 */
async function runIsolating(
  list: readonly TestCandidate[],
  fileWith: FileWith,
  port: TestRunPort,
  shuffle: boolean,
  seed: number,
): Promise<RunResult> {
  // The first pass runs the tests as committed; reruns (shuffled) with fresh property seeds.
  const reseed = shuffle ? seed : undefined;
  const together = await port.run(await fileWith(list, reseed), {
    names: list.map((c) => c.name),
    shuffle,
    seed,
  });
  if (together.kind === 'ran' || list.length < 2) return together;
  const tests = new Map<string, TestOutcome>();
  for (const candidate of list) {
    const alone = await port.run(await fileWith([candidate], reseed), {
      names: [candidate.name],
      shuffle,
      seed,
    });
    tests.set(candidate.name, outcomeOf(alone, candidate));
  }
  return { kind: 'ran', tests };
}

function outcomeOf(result: RunResult, candidate: TestCandidate): TestOutcome {
  if (result.kind === 'failed') {
    return { status: 'failed', failure: 'exception', message: result.message };
  }
  return (
    result.tests.get(candidate.name) ?? {
      status: 'failed',
      failure: 'exception',
      message: `the test "${candidate.name}" did not run (not found in the file's results)`,
    }
  );
}

async function addsValueStage(
  stable: readonly TestCandidate[],
  targets: readonly TestTarget[],
  fileWith: FileWith,
  port: TestRunPort,
  drop: Drop,
  verdicts: Map<string, CandidateVerdict>,
): Promise<number> {
  const measurable: TestCandidate[] = [];
  for (const candidate of stable) {
    const target = targets.find((t) => t.name === candidate.target);
    if (target === undefined)
      drop(candidate, 'adds-value', `no target named "${candidate.target}"`);
    else measurable.push(candidate);
  }
  const used = targets.filter(
    (t) => measurable.some((c) => c.target === t.name) && t.survivingMutants.length > 0,
  );
  const mutantTargets: MutantTarget[] = used.map((t) => ({
    path: t.path,
    startLine: t.startLine,
    endLine: t.endLine,
    mutants: t.survivingMutants,
  }));
  const nothing =
    'adds nothing: it kills no mutant that survived without it and covers no changed line that no test covered';
  if (measurable.length === 0) return 0;
  if (mutantTargets.length === 0) {
    for (const candidate of measurable) drop(candidate, 'adds-value', nothing);
    return 0;
  }
  const measured = await port.mutantsKilled(
    await fileWith(measurable),
    mutantTargets,
    measurable.map((c) => c.name),
  );
  if (measured.kind === 'failed') {
    for (const candidate of measurable) {
      drop(candidate, 'adds-value', `could not be measured: ${measured.message}`);
    }
    return 0;
  }
  const byId = new Map(used.flatMap((t) => t.survivingMutants.map((m) => [m.id, m] as const)));
  let kept = 0;
  for (const candidate of measurable) {
    const effect = measured.byTest.get(candidate.name);
    const kills = [...new Set(effect?.kills ?? [])].filter((id) => byId.has(id)).sort();
    const covers = [
      ...new Set(
        (effect?.covers ?? [])
          .map((id) => byId.get(id))
          .filter((m) => m !== undefined && m.status === 'NoCoverage')
          .map((m) => m?.line ?? 0),
      ),
    ].sort((a, b) => a - b);
    if (kills.length === 0 && covers.length === 0) {
      drop(candidate, 'adds-value', nothing);
      continue;
    }
    verdicts.set(candidate.name, { kind: 'kept', kills, covers });
    kept += 1;
  }
  return kept;
}
