import { runChain, type ChainResult, type FilePlacement } from './chain.ts';
import { insertTests, removeTests } from './insert.ts';
import type { ProjectView } from './project.ts';
import type { Proposal } from './proposals.ts';
import { reseeded } from './reseed.ts';
import type { TestRunPort } from './test-runner.ts';
import type {
  CandidateVerdict,
  ChainStage,
  Funnel,
  TargetContext,
  TestCandidate,
} from './types.ts';

/**
 * One round of a target: its candidates inserted into the test file by syntax tree, through the
 * filter chain, and the file left holding only the tests the chain kept.
 */

/** One candidate and what became of it. */
export interface CandidateReport {
  name: string;
  kind: TestCandidate['kind'];
  origin: TestCandidate['origin'];
  /** 1: the first proposal; 2: the retry with the failures fed back. */
  round: 1 | 2;
  verdict: CandidateVerdict;
}

export const ZERO_FUNNEL: Funnel = {
  candidates: 0,
  typeChecks: 0,
  passes: 0,
  stable: 0,
  addsValue: 0,
  kept: 0,
  possibleBugs: 0,
};

export function addFunnels(a: Funnel, b: Funnel): Funnel {
  return {
    candidates: a.candidates + b.candidates,
    typeChecks: a.typeChecks + b.typeChecks,
    passes: a.passes + b.passes,
    stable: a.stable + b.stable,
    addsValue: a.addsValue + b.addsValue,
    kept: a.kept + b.kept,
    possibleBugs: a.possibleBugs + b.possibleBugs,
  };
}

export interface Failure {
  name: string;
  code: string;
  stage: ChainStage;
  reason: string;
  origin: TestCandidate['origin'];
}

export interface RoundResult {
  funnel: Funnel;
  candidates: CandidateReport[];
  failures: Failure[];
  keptVerdicts: CandidateVerdict[];
  keptNames: string[];
}

/** One round: the candidates inserted into the test file, through the chain, the kept ones left in. */
export async function checkRound(
  proposal: Proposal,
  round: 1 | 2,
  context: TargetContext,
  runner: TestRunPort,
  chain: { runs: number; nextSeed?: (() => number) | undefined },
  files: Map<string, string>,
  project: ProjectView,
  notes: string[],
): Promise<RoundResult> {
  const result: RoundResult = {
    funnel: { ...ZERO_FUNNEL, candidates: proposal.refused.length },
    candidates: [],
    failures: [],
    keptVerdicts: [],
    keptNames: [],
  };
  const record = (
    candidate: Pick<TestCandidate, 'name' | 'code' | 'kind' | 'origin'>,
    verdict: CandidateVerdict,
  ) => {
    result.candidates.push({
      name: candidate.name,
      kind: candidate.kind,
      origin: candidate.origin,
      round,
      verdict,
    });
    if (verdict.kind === 'dropped') {
      result.failures.push({
        name: candidate.name,
        code: candidate.code,
        stage: verdict.stage,
        reason: verdict.reason,
        origin: candidate.origin,
      });
    }
  };
  for (const { candidate, reason } of proposal.refused)
    record(candidate, { kind: 'dropped', stage: 'type-check', reason });
  if (proposal.candidates.length === 0) return result;

  const { testPath, framework, importPath, target } = context;
  const current = project.read(testPath);
  const insertion = insertTests({
    testFile: current === null ? null : { path: testPath, text: current },
    testPath,
    framework,
    target,
    importPath,
    candidates: proposal.candidates,
  });
  result.funnel.candidates += insertion.rejected.length;
  for (const rejected of insertion.rejected) {
    record(proposal.candidates[rejected.candidate]!, {
      kind: 'dropped',
      stage: 'type-check',
      reason: `could not be inserted: ${rejected.reason}`,
    });
  }
  // The chain knows each test by the title it has in the file (` (2)` when the name was taken).
  const placed = insertion.placed.map((p) => ({
    ...proposal.candidates[p.candidate]!,
    name: p.name,
  }));
  if (placed.length === 0) return result;
  const placement: FilePlacement = {
    path: testPath,
    build: (list, seed) =>
      insertTests({
        ...insertion.request,
        candidates: seed === undefined ? list : list.map((c) => reseeded(c, seed)),
      }).file.text,
  };
  let checked: ChainResult;
  try {
    checked = await runChain(placed, placement, runner, {
      targets: [target],
      runs: chain.runs,
      ...(chain.nextSeed ? { nextSeed: chain.nextSeed } : {}),
    });
  } catch (error: unknown) {
    const why = error instanceof Error ? error.message : String(error);
    notes.push(`the tests could not be checked: ${why}`);
    result.funnel.candidates += placed.length;
    for (const candidate of placed)
      record(candidate, { kind: 'dropped', stage: 'type-check', reason: `not checked: ${why}` });
    return result;
  }
  result.funnel = addFunnels(result.funnel, checked.funnel);
  const dropped: string[] = [];
  for (const candidate of placed) {
    let verdict: CandidateVerdict = checked.verdicts.get(candidate.name) ?? {
      kind: 'dropped',
      stage: 'type-check',
      reason: 'the chain gave no verdict (an empty or repeated name)',
    };
    if (verdict.kind === 'possible-bug' && candidate.origin === 'offline') {
      // A property guessed from names and types that fails says the guess is wrong as often as
      // the code: dropped with its counterexample, not reported as a bug in the pull request.
      result.funnel.possibleBugs -= 1;
      verdict = {
        kind: 'dropped',
        stage: 'pass',
        reason: `fails on every run: ${verdict.assertion}`,
      };
    }
    record(candidate, verdict);
    if (verdict.kind === 'kept') {
      result.keptVerdicts.push(verdict);
      result.keptNames.push(candidate.name);
    } else dropped.push(candidate.name);
  }
  if (result.keptNames.length > 0) files.set(testPath, removeTests(insertion, dropped).file.text);
  return result;
}
