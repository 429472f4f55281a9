import type { CallUsage, ModelClient } from '../llm/model-call.ts';
import { runChain, type ChainResult, type FilePlacement } from './chain.ts';
import { contextOf } from './context.ts';
import type { FormatOutcome, TestFileFormatter } from './formatter.ts';
import { insertTests, removeTests } from './insert.ts';
import { offlineCandidates } from './offline/index.ts';
import type { DeliveryReport, KeptTestReport, PatchFile, PossibleBugReport } from './patch.ts';
import type { ProjectView } from './project.ts';
import type { PreviousFailure } from './prompt.ts';
import { proposeTests } from './propose.ts';
import { reseeded } from './reseed.ts';
import type { OfflineMode, TestGenConfig } from './settings.ts';
import type { TestRunPort } from './test-runner.ts';
import type {
  CandidateVerdict,
  ChainStage,
  Funnel,
  TargetContext,
  TestCandidate,
  TestFramework,
  TestTarget,
} from './types.ts';

/**
 * Test generation from end to end, for every face: for each target (best first), the context,
 * candidates from Claude or from the types (offline), inserted by syntax tree into the test file,
 * through the filter chain, one retry with the failures fed back, the dropped tests taken out
 * again, the file formatted. What comes out is the test files with only the kept tests in them and
 * the report the pull request body and the CLI show. Nothing here writes to the repository or to
 * GitHub; the faces do, from the result.
 */

export interface GenerationPorts {
  /** The head revision's files (the checkout). */
  project: ProjectView;
  /** Runs a framework's candidate test files (src/testrun's `createTestRunPort` in production). */
  testRunner(framework: TestFramework): TestRunPort;
  formatter: TestFileFormatter;
  /** Claude through the shared client; null when there is no key or the run is offline. */
  model: ModelClient | null;
  /** Where each target is, for a progress line or the job log. */
  progress?: ((event: GenerationProgress) => void) | undefined;
}

export interface GenerationProgress {
  /** 1-based position of the target, of `total`. */
  index: number;
  total: number;
  target: TestTarget;
  step: 'proposing' | 'offline' | 'checking' | 'retrying' | 'done';
}

export interface GenerationRequest {
  /** Best first (targets.ts ranks them); each gets its own candidates and chain. */
  targets: readonly TestTarget[];
  config: TestGenConfig;
  /** Derive property tests from the types (see {@link usesOffline}). */
  offline: boolean;
  /** A fresh seed per chain run; random by default. */
  nextSeed?: (() => number) | undefined;
}

/** One candidate and what became of it. */
export interface CandidateReport {
  name: string;
  kind: TestCandidate['kind'];
  origin: TestCandidate['origin'];
  /** 1: the first proposal; 2: the retry with the failures fed back. */
  round: 1 | 2;
  verdict: CandidateVerdict;
}

export interface TargetReport {
  target: TestTarget;
  framework: TestFramework;
  /** The test file its tests went (or would have gone) into. */
  testPath: string;
  funnel: Funnel;
  candidates: CandidateReport[];
  /** Why it got fewer candidates than it could: the model unavailable, over budget, an offline skip. */
  notes: string[];
}

export interface GenerationResult {
  /** Summed over every target and both rounds. */
  funnel: Funnel;
  /** The test files holding the kept tests (formatted), one per path; empty when none was kept. */
  files: PatchFile[];
  /** What the pull request body and the CLI report: the funnel, the kept tests, the possible bugs. */
  report: DeliveryReport;
  targets: TargetReport[];
  /** The model's usage summed over the run; null when no call was made. */
  usage: CallUsage | null;
  /** What the user should hear about the run as a whole (the model stopped, the cost cap was met). */
  notices: string[];
}

/**
 * Whether the run derives property tests from types: `--offline` forces it, `always` adds them
 * beside the model's, `auto` uses them only when there is no model, `never` not at all.
 */
export function usesOffline(mode: OfflineMode, hasModel: boolean, forced = false): boolean {
  if (forced) return true;
  if (mode === 'always') return true;
  return mode === 'auto' && !hasModel;
}

/** Per-run state: what the model may still spend, and the test files as kept tests change them. */
interface RunState {
  calls: number;
  spentUsd: number;
  usage: CallUsage | null;
  /** Set when the model stopped answering (or the caps were met): no more calls this run. */
  modelStopped: string | null;
  /** Test file path → its text with the tests kept so far (unformatted). */
  files: Map<string, string>;
  notices: string[];
}

const ZERO_FUNNEL: Funnel = {
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

function addUsage(a: CallUsage | null, b: CallUsage): CallUsage {
  if (a === null) return { ...b };
  return {
    requests: a.requests + b.requests,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    costUsd: a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd,
  };
}

export async function generateTests(
  request: GenerationRequest,
  ports: GenerationPorts,
): Promise<GenerationResult> {
  const state: RunState = {
    calls: 0,
    spentUsd: 0,
    usage: null,
    modelStopped: null,
    files: new Map(),
    notices: [],
  };
  const reports: TargetReport[] = [];
  const kept: KeptTestReport[] = [];
  const possibleBugs: PossibleBugReport[] = [];
  const total = request.targets.length;
  for (const [i, target] of request.targets.entries()) {
    const progress = (step: GenerationProgress['step']) =>
      ports.progress?.({ index: i + 1, total, target, step });
    const report = await generateForTarget(target, request, ports, state, progress);
    progress('done');
    reports.push(report.target);
    kept.push(...report.kept);
    possibleBugs.push(...report.possibleBugs);
  }
  const funnel = reports.reduce((sum, r) => addFunnels(sum, r.funnel), ZERO_FUNNEL);
  const files = await formattedFiles(state.files, ports, state.notices);
  // A test file the formatter or a later target emptied of kept tests is not delivered.
  const delivered = new Set(files.map((f) => f.path));
  return {
    funnel,
    files,
    report: {
      funnel,
      kept: kept.filter((k) => delivered.has(k.testPath)),
      possibleBugs,
    },
    targets: reports,
    usage: state.usage,
    notices: state.notices,
  };
}

/** The test files that gained kept tests, each formatted by the project's formatter when it has one. */
async function formattedFiles(
  texts: ReadonlyMap<string, string>,
  ports: GenerationPorts,
  notices: string[],
): Promise<PatchFile[]> {
  const files: PatchFile[] = [];
  for (const [path, text] of [...texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (text === (ports.project.read(path) ?? '')) continue;
    let outcome: FormatOutcome;
    try {
      outcome = await ports.formatter.format({ path, text });
    } catch (error: unknown) {
      const why = error instanceof Error ? error.message : String(error);
      outcome = { kind: 'unformatted', text, reason: `the formatter failed: ${why}` };
    }
    if (outcome.kind === 'unformatted')
      notices.push(`${path} is written as Steward printed it: ${outcome.reason}`);
    files.push({ path, text: outcome.text });
  }
  return files;
}

interface TargetOutcome {
  target: TargetReport;
  kept: KeptTestReport[];
  possibleBugs: PossibleBugReport[];
}

/** A round's candidates as proposed, and the ones that never reached the chain (with why). */
interface Proposal {
  candidates: TestCandidate[];
  refused: {
    candidate: Pick<TestCandidate, 'name' | 'code' | 'kind' | 'origin'>;
    reason: string;
  }[];
}

async function generateForTarget(
  target: TestTarget,
  request: GenerationRequest,
  ports: GenerationPorts,
  state: RunState,
  progress: (step: GenerationProgress['step']) => void,
): Promise<TargetOutcome> {
  const { config } = request;
  const view = projectWithFiles(ports.project, state.files);
  const context = contextOf(target, view);
  const notes: string[] = [];
  const report: TargetReport = {
    target,
    framework: context.framework,
    testPath: context.testPath,
    funnel: { ...ZERO_FUNNEL },
    candidates: [],
    notes,
  };
  const outcome: TargetOutcome = { target: report, kept: [], possibleBugs: [] };
  const runner = ports.testRunner(context.framework);

  // Round 1: the model's candidates and, when asked, the offline properties.
  const first: Proposal = { candidates: [], refused: [] };
  if (ports.model !== null) {
    progress('proposing');
    merge(first, await fromModel(context, ports.model, config, state, notes));
  }
  const offline = request.offline || (state.modelStopped !== null && config.offline !== 'never');
  if (offline) {
    progress('offline');
    merge(first, await fromTypes(context, ports.project, notes));
  }
  progress('checking');
  const round1 = await checkRound(first, 1, context, runner, request, state, view, notes);
  applyRound(round1, outcome, context);

  // Round 2: one retry with the model's failures fed back.
  const failures = round1.failures.filter((f) => f.origin === 'model');
  if (ports.model !== null && failures.length > 0 && state.modelStopped === null) {
    progress('retrying');
    const remaining = remainingAfter(target, round1.keptVerdicts);
    const retryView = projectWithFiles(ports.project, state.files);
    const retryContext = contextOf(remaining, retryView);
    const second = await fromModel(retryContext, ports.model, config, state, notes, {
      failures: failures.map((f) => ({
        candidate: { name: f.name, code: f.code },
        stage: f.stage,
        reason: f.reason,
      })),
      kept: round1.keptNames,
    });
    const round2 = await checkRound(
      second,
      2,
      retryContext,
      runner,
      request,
      state,
      retryView,
      notes,
    );
    applyRound(round2, outcome, retryContext);
  }
  return outcome;
}

function merge(into: Proposal, from: Proposal): void {
  into.candidates.push(...from.candidates);
  into.refused.push(...from.refused);
}

/** The view the context reads: the project, with the test files as the kept tests left them. */
function projectWithFiles(project: ProjectView, files: ReadonlyMap<string, string>): ProjectView {
  if (files.size === 0) return project;
  const paths = [...new Set([...project.paths, ...files.keys()])];
  return { paths, read: (path) => files.get(path) ?? project.read(path) };
}

/** The target with the mutants the kept tests kill and the lines they cover taken off. */
function remainingAfter(target: TestTarget, verdicts: readonly CandidateVerdict[]): TestTarget {
  const killed = new Set(verdicts.flatMap((v) => (v.kind === 'kept' ? v.kills : [])));
  const covered = new Set(verdicts.flatMap((v) => (v.kind === 'kept' ? v.covers : [])));
  return {
    ...target,
    // A NoCoverage mutant a kept test now runs is a survivor like the others: killing it is
    // still worth a test, covering it no longer is.
    survivingMutants: target.survivingMutants
      .filter((m) => !killed.has(m.id))
      .map((m) =>
        m.status === 'NoCoverage' && covered.has(m.line) ? { ...m, status: 'Survived' } : m,
      ),
    uncoveredLines: target.uncoveredLines.filter((line) => !covered.has(line)),
  };
}

interface Failure {
  name: string;
  code: string;
  stage: ChainStage;
  reason: string;
  origin: TestCandidate['origin'];
}

interface RoundResult {
  funnel: Funnel;
  candidates: CandidateReport[];
  failures: Failure[];
  keptVerdicts: CandidateVerdict[];
  keptNames: string[];
}

/** Candidates from Claude for one target, within the run's call and cost caps. */
async function fromModel(
  context: TargetContext,
  model: ModelClient,
  config: TestGenConfig,
  state: RunState,
  notes: string[],
  retry?: { failures: PreviousFailure[]; kept: string[] },
): Promise<Proposal> {
  const none: Proposal = { candidates: [], refused: [] };
  if (state.modelStopped !== null) return none;
  if (state.calls >= config.maxCalls) {
    stopModel(
      state,
      `test-gen.max-calls (${config.maxCalls}) is reached: the remaining targets get no model call`,
    );
    return none;
  }
  const outcome = await proposeTests(context, model, {
    maxCandidates: config.maxCandidates,
    maxCostUsd: Math.max(0, config.maxCostUsd - state.spentUsd),
    ...(retry ? { failures: retry.failures, kept: retry.kept } : {}),
  });
  if (outcome.kind !== 'over-budget') {
    state.calls += 1;
    state.usage = addUsage(state.usage, outcome.usage);
    state.spentUsd += outcome.usage.costUsd ?? 0;
  }
  const refused = (
    outcome.kind === 'candidates' || outcome.kind === 'no-candidates' ? outcome.rejected : []
  ).map((r) => ({
    candidate: { name: r.name, code: '', kind: 'example' as const, origin: 'model' as const },
    reason: `refused before it ran: ${r.reason}`,
  }));
  switch (outcome.kind) {
    case 'candidates':
      return {
        // Each is written for this target, whatever name the model put in `target`.
        candidates: outcome.candidates.map((c) => ({ ...c, target: context.target.name })),
        refused,
      };
    case 'no-candidates':
      notes.push(outcome.reason);
      return { candidates: [], refused };
    case 'unavailable':
      stopModel(state, `the model is unavailable: ${outcome.reason}`);
      return none;
    case 'over-budget':
      stopModel(state, `the cost cap is reached: ${outcome.reason}`);
      return none;
  }
}

function stopModel(state: RunState, reason: string): void {
  state.modelStopped = reason;
  state.notices.push(`${reason}.`);
}

/** Property tests derived from the target's types, with no model. */
async function fromTypes(
  context: TargetContext,
  project: ProjectView,
  notes: string[],
): Promise<Proposal> {
  const { target } = context;
  const text = project.read(target.path);
  if (text === null) {
    notes.push(`offline: ${target.path} could not be read`);
    return { candidates: [], refused: [] };
  }
  const result = await offlineCandidates({ path: target.path, text }, [target], {
    framework: context.framework,
    importPath: context.importPath,
    readFile: (path) => Promise.resolve(project.read(path)),
  });
  for (const skip of result.skipped) notes.push(`offline: ${skip.name}: ${skip.reason}`);
  return { candidates: result.candidates, refused: [] };
}

/** One round: the candidates inserted into the test file, through the chain, the kept ones left in. */
async function checkRound(
  proposal: Proposal,
  round: 1 | 2,
  context: TargetContext,
  runner: TestRunPort,
  request: GenerationRequest,
  state: RunState,
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
  let chain: ChainResult;
  try {
    chain = await runChain(placed, placement, runner, {
      targets: [target],
      runs: request.config.runs,
      ...(request.nextSeed ? { nextSeed: request.nextSeed } : {}),
    });
  } catch (error: unknown) {
    const why = error instanceof Error ? error.message : String(error);
    notes.push(`the tests could not be checked: ${why}`);
    result.funnel.candidates += placed.length;
    for (const candidate of placed)
      record(candidate, { kind: 'dropped', stage: 'type-check', reason: `not checked: ${why}` });
    return result;
  }
  result.funnel = addFunnels(result.funnel, chain.funnel);
  const dropped: string[] = [];
  for (const candidate of placed) {
    const verdict = chain.verdicts.get(candidate.name) ?? {
      kind: 'dropped' as const,
      stage: 'type-check' as const,
      reason: 'the chain gave no verdict (an empty or repeated name)',
    };
    record(candidate, verdict);
    if (verdict.kind === 'kept') {
      result.keptVerdicts.push(verdict);
      result.keptNames.push(candidate.name);
    } else dropped.push(candidate.name);
  }
  if (result.keptNames.length > 0)
    state.files.set(testPath, removeTests(insertion, dropped).file.text);
  return result;
}

/** Adds a round's counts, candidates, kept tests and possible bugs to the target's outcome. */
function applyRound(round: RoundResult, outcome: TargetOutcome, context: TargetContext): void {
  const { target, testPath } = context;
  const report = outcome.target;
  report.funnel = addFunnels(report.funnel, round.funnel);
  report.candidates.push(...round.candidates);
  const mutants = new Map(target.survivingMutants.map((m) => [m.id, m]));
  for (const candidate of round.candidates) {
    const { verdict } = candidate;
    if (verdict.kind === 'kept') {
      outcome.kept.push({
        name: candidate.name,
        target: target.name,
        sourcePath: target.path,
        testPath,
        kills: verdict.kills.flatMap((id) => {
          const m = mutants.get(id);
          return m === undefined
            ? []
            : [
                {
                  id,
                  mutator: m.mutator,
                  line: m.line,
                  original: m.original,
                  replacement: m.replacement,
                },
              ];
        }),
        covers: verdict.covers,
      });
    } else if (verdict.kind === 'possible-bug') {
      outcome.possibleBugs.push({
        name: candidate.name,
        target: target.name,
        sourcePath: target.path,
        assertion: verdict.assertion,
      });
    }
  }
}
