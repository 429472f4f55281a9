import type { CallUsage, ModelClient } from '../llm/model-call.ts';
import { contextOf } from './context.ts';
import type { FormatOutcome, TestFileFormatter } from './formatter.ts';
import { frameworkOfCommand, frameworkOfTest } from './framework.ts';
import type { DeliveryReport, KeptTestReport, PatchFile, PossibleBugReport } from './patch.ts';
import type { ProjectView } from './project.ts';
import {
  freshBudget,
  fromModel,
  fromTypes,
  mergeProposals,
  type ModelBudget,
  type Proposal,
} from './proposals.ts';
import {
  addFunnels,
  checkRound,
  ZERO_FUNNEL,
  type CandidateReport,
  type RoundResult,
} from './round.ts';
import type { OfflineMode, TestGenConfig } from './settings.ts';
import type { TestRunPort } from './test-runner.ts';
import type {
  CandidateVerdict,
  Funnel,
  TargetContext,
  TestFramework,
  TestTarget,
} from './types.ts';

export type { CandidateReport } from './round.ts';

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

/** Per-run state: the model's budget, and the test files as kept tests change them. */
interface RunState {
  budget: ModelBudget;
  /** Test file path → its text with the tests kept so far (unformatted). */
  files: Map<string, string>;
  /**
   * Offline properties already tried, by test file and title: an encode/decode pair's round-trip
   * comes up under both functions, and is checked (and kept) once.
   */
  offlineTried: Set<string>;
}

export async function generateTests(
  request: GenerationRequest,
  ports: GenerationPorts,
): Promise<GenerationResult> {
  const state: RunState = { budget: freshBudget(), files: new Map(), offlineTried: new Set() };
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
  const files = await formattedFiles(state.files, ports, state.budget.notices);
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
    usage: state.budget.usage,
    notices: state.budget.notices,
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

async function generateForTarget(
  target: TestTarget,
  request: GenerationRequest,
  ports: GenerationPorts,
  state: RunState,
  progress: (step: GenerationProgress['step']) => void,
): Promise<TargetOutcome> {
  const { config } = request;
  const view = projectWithFiles(ports.project, state.files);
  const context = withConfiguredFramework(contextOf(target, view), config.testCommand, view);
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
  const chainOptions = { runs: config.runs, nextSeed: request.nextSeed };

  // Round 1: the model's candidates and, when asked, the offline properties.
  const first: Proposal = { candidates: [], refused: [] };
  if (ports.model !== null) {
    progress('proposing');
    mergeProposals(first, await fromModel(context, ports.model, config, state.budget, notes));
  }
  const offline =
    request.offline || (state.budget.modelStopped !== null && config.offline !== 'never');
  if (offline) {
    progress('offline');
    const derived = await fromTypes(context, ports.project, notes);
    derived.candidates = derived.candidates.filter((c) => {
      const key = `${context.testPath}\0${c.name}`;
      if (state.offlineTried.has(key)) return false;
      state.offlineTried.add(key);
      return true;
    });
    mergeProposals(first, derived);
  }
  progress('checking');
  const round1 = await checkRound(
    first,
    1,
    context,
    runner,
    chainOptions,
    state.files,
    view,
    notes,
  );
  applyRound(round1, outcome, context);

  // Round 2: one retry with the model's failures fed back.
  const failures = round1.failures.filter((f) => f.origin === 'model');
  if (ports.model !== null && failures.length > 0 && state.budget.modelStopped === null) {
    progress('retrying');
    const remaining = remainingAfter(target, round1.keptVerdicts);
    const retryView = projectWithFiles(ports.project, state.files);
    const retryContext = { ...contextOf(remaining, retryView), framework: context.framework };
    const second = await fromModel(retryContext, ports.model, config, state.budget, notes, {
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
      chainOptions,
      state.files,
      retryView,
      notes,
    );
    applyRound(round2, outcome, retryContext);
  }
  return outcome;
}

/**
 * The framework the test file's own imports name wins; else the one `test-gen.test-command` runs,
 * when it names one, over what the package.json files suggest.
 */
function withConfiguredFramework(
  context: TargetContext,
  testCommand: string | null,
  project: ProjectView,
): TargetContext {
  const configured = frameworkOfCommand(testCommand);
  if (configured === null || configured === context.framework) return context;
  const own = frameworkOfTest(project.read(context.testPath) ?? '');
  return own === null ? { ...context, framework: configured } : context;
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
