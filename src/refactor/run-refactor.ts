import { DEFAULT_THRESHOLDS, type HealthThresholds } from '../health/thresholds.ts';
import { callModelSafely, worstCaseCostUsd, type ModelClient } from '../llm/model-call.ts';
import { priceFor } from '../llm/prices.ts';
import { applyProposal } from './apply.ts';
import { compareHealth } from './health-proof.ts';
import { proposeCall } from './propose-tool.ts';
import type { ProjectDiagnostic, RefactorProofPort } from './proof-port.ts';
import type { RefactorConfig } from './settings.ts';
import type {
  HealthComparison,
  ProofName,
  ProofStep,
  RefactorProposal,
  RefactorTarget,
  SkippedTarget,
  TargetOutcome,
} from './types.ts';

/**
 * The refactoring use case both faces call: for each chosen target, Claude proposes the function's
 * new text, the AST puts it in place, and the proofs decide, cheapest first: health, the public API,
 * the types (no diagnostic the baseline did not have), the tests twice, and the mutation score when
 * configured. The first failure is told to the model once for a second proposal; a second failure
 * skips the target with its reason. The baseline comes first: tests that fail before any change
 * prove nothing, so then every target is skipped. The run stops once `wanted` targets are proven,
 * and within the caps on model calls and cost. Nothing here throws on what the model or a proof
 * says; every outcome carries why.
 */

/** The stages that are not ports: the model's call, the AST edit and the health comparison. */
export interface RefactorPieces {
  proposeCall: typeof proposeCall;
  applyProposal: typeof applyProposal;
  compareHealth: typeof compareHealth;
}

/** The real pieces, what the faces pass (tests pass fakes). */
export const REFACTOR_PIECES: RefactorPieces = { proposeCall, applyProposal, compareHealth };

export interface RefactorRunInput {
  config: RefactorConfig;
  /** Worst first, as chooseTargets ordered them. */
  targets: readonly RefactorTarget[];
  /** What selection passed over, passed through to the run's report. */
  skipped?: readonly SkippedTarget[];
  /** A source file's text as the proofs see it on disk (the working tree). */
  readText(path: string): Promise<string>;
  model: ModelClient;
  proofs: RefactorProofPort;
  /** Proven refactorings wanted; the run stops at that many. */
  wanted: number;
  /**
   * The project's formatter (prettier), a face concern. The refactored file is formatted only when
   * the formatter leaves the file as read unchanged: otherwise it would rewrite other functions too.
   */
  formatText?: (path: string, text: string) => Promise<string>;
  onProgress?: (message: string) => void;
  /** REFACTOR_PIECES unless given. */
  pieces?: RefactorPieces;
  /** The thresholds the health proof measures with; the hotspots' (the defaults) unless given. */
  thresholds?: HealthThresholds;
}

export interface RefactorRun {
  baseline: { ok: true } | { ok: false; reason: string };
  outcomes: TargetOutcome[];
  /** From selection, passed through. */
  skipped: SkippedTarget[];
  usage: { calls: number; costUsd: number | null };
}

/** Most characters of a failed proof's detail told to the model on the retry. */
const MAX_FEEDBACK = 4_000;

/** The reason every target gets when the tests fail on the unchanged checkout. */
export const RED_BASELINE = 'the tests fail before any change';

interface RunState {
  calls: number;
  costUsd: number | null;
  /** Set once the model may not be called again (caps met, the API unavailable): why. */
  stopped: string | null;
}

interface Baseline {
  /** Null when there was no TypeScript project to check. */
  diagnostics: ProjectDiagnostic[] | null;
}

type Context = Required<Pick<RefactorRunInput, 'pieces' | 'thresholds'>> &
  Omit<RefactorRunInput, 'pieces' | 'thresholds'> & {
    state: RunState;
    baseline: Baseline;
    /** Per path: whether the formatter keeps the file as read (asked once a run). */
    formatsClean: Map<string, Promise<boolean>>;
    progress: (step: string) => void;
  };

export async function runRefactor(input: RefactorRunInput): Promise<RefactorRun> {
  const state: RunState = {
    calls: 0,
    costUsd: priceFor(input.model.model) ? 0 : null,
    stopped: null,
  };
  const skipped = [...(input.skipped ?? [])];
  const usage = () => ({ calls: state.calls, costUsd: state.costUsd });
  const { targets } = input;
  if (targets.length === 0)
    return { baseline: { ok: true }, outcomes: [], skipped, usage: usage() };
  if (input.wanted < 1) {
    const reason = 'not tried: no refactoring is wanted in this run';
    return {
      baseline: { ok: true },
      outcomes: targets.map((target) => skip(target, reason)),
      skipped,
      usage: usage(),
    };
  }

  input.onProgress?.('refactor: running the type check and the tests before any change');
  const baseline = await measureBaseline(input);
  if (!baseline.ok) {
    return {
      baseline: { ok: false, reason: baseline.reason },
      outcomes: targets.map((target) => skip(target, `${RED_BASELINE}: ${baseline.reason}`)),
      skipped,
      usage: usage(),
    };
  }

  const outcomes: TargetOutcome[] = [];
  const formatsClean = new Map<string, Promise<boolean>>();
  const provenPaths = new Set<string>();
  for (const [index, target] of targets.entries()) {
    const proven = outcomes.filter((o) => o.kind === 'proven').length;
    const notTried =
      proven >= input.wanted
        ? `not tried: ${input.wanted} proven ${input.wanted === 1 ? 'refactoring was' : 'refactorings were'} wanted, and found`
        : provenPaths.has(target.path)
          ? 'not tried: another function of this file was refactored in this run (one change per file)'
          : state.stopped;
    if (notTried !== null) {
      outcomes.push(skip(target, notTried));
      continue;
    }
    const context: Context = {
      ...input,
      pieces: input.pieces ?? REFACTOR_PIECES,
      thresholds: input.thresholds ?? DEFAULT_THRESHOLDS,
      state,
      baseline: baseline.baseline,
      formatsClean,
      progress: (step) =>
        input.onProgress?.(
          `refactor ${index + 1}/${targets.length}: ${target.function} (${target.path}): ${step}`,
        ),
    };
    const outcome = await refactorTarget(target, context);
    if (outcome.kind === 'proven') provenPaths.add(target.path);
    outcomes.push(outcome);
  }
  return { baseline: { ok: true }, outcomes, skipped, usage: usage() };
}

function skip(
  target: RefactorTarget,
  reason: string,
  proofs: ProofStep[] = [],
  attempts = 0,
): TargetOutcome {
  return { kind: 'skipped', target, reason, proofs, attempts };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The type check's diagnostics, and one run of the tests of each target's file (of the configured
 * command once: it runs the same tests whatever the file), all on the unchanged checkout.
 */
async function measureBaseline(
  input: RefactorRunInput,
): Promise<{ ok: true; baseline: Baseline } | { ok: false; reason: string }> {
  const empty = new Map<string, string>();
  let diagnostics: ProjectDiagnostic[] | null;
  try {
    const checked = await input.proofs.typecheck(empty);
    diagnostics = checked.kind === 'checked' ? checked.diagnostics : null;
  } catch (error: unknown) {
    return { ok: false, reason: `the type check could not run: ${message(error)}` };
  }
  const paths = [...new Set(input.targets.map((t) => t.path))];
  for (const path of input.config.testCommand === null ? paths : paths.slice(0, 1)) {
    let verdict;
    try {
      verdict = await input.proofs.runTests(empty, path);
    } catch (error: unknown) {
      return { ok: false, reason: `the tests could not run: ${message(error)}` };
    }
    if (verdict.kind === 'failed') return { ok: false, reason: verdict.detail };
    if (verdict.kind === 'unavailable')
      return { ok: false, reason: `the tests could not run: ${verdict.reason}` };
  }
  return { ok: true, baseline: { diagnostics } };
}

type Proposed =
  | { ok: true; proposal: RefactorProposal }
  /** `stopped`: no model call may follow (the caps, the API); otherwise the answer was unusable. */
  | { ok: false; reason: string; stopped: boolean };

/** One call for a proposal, within the run's caps on calls and cost. */
async function propose(
  target: RefactorTarget,
  before: string,
  feedback: string | undefined,
  context: Context,
): Promise<Proposed> {
  const { config, model, state } = context;
  const stop = (reason: string): Proposed => {
    state.stopped = reason;
    return { ok: false, reason, stopped: true };
  };
  if (state.calls >= config.maxCalls)
    return stop(`refactor.max-calls (${config.maxCalls}) is reached: no more model calls`);
  const call = context.pieces.proposeCall(
    target,
    before,
    { minHealthGain: config.minHealthGain, thresholds: context.thresholds },
    feedback,
  );
  const left = Math.max(0, config.maxCostUsd - (state.costUsd ?? 0));
  const worst = worstCaseCostUsd(model.model, call);
  if (worst !== null && worst.usd > left)
    return stop(
      `refactor.max-cost-usd ($${config.maxCostUsd}) is reached: the next call may cost $${worst.usd.toFixed(4)}, $${left.toFixed(4)} is left`,
    );
  context.progress(feedback === undefined ? 'asking Claude' : 'asking Claude again');
  const result = await callModelSafely(model, {
    ...call,
    ...(worst === null ? {} : { costCeilingUsd: left }),
  });
  state.calls += 1;
  if (state.costUsd !== null)
    state.costUsd = result.usage.costUsd === null ? null : state.costUsd + result.usage.costUsd;
  switch (result.kind) {
    case 'ok':
      return { ok: true, proposal: result.value };
    case 'invalid':
      return { ok: false, reason: result.reason, stopped: false };
    case 'unavailable':
      return stop(`the model is unavailable: ${result.reason}`);
  }
}

async function refactorTarget(target: RefactorTarget, context: Context): Promise<TargetOutcome> {
  let before: string;
  try {
    before = await context.readText(target.path);
  } catch (error: unknown) {
    return skip(target, `${target.path} could not be read: ${message(error)}`);
  }
  let feedback: string | undefined;
  let last: { reason: string; proofs: ProofStep[] } | null = null;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const proposed = await propose(target, before, feedback, context);
    if (!proposed.ok) {
      if (proposed.stopped) {
        const reason =
          last === null
            ? proposed.reason
            : `${last.reason}; no second proposal: ${proposed.reason}`;
        return skip(target, reason, last?.proofs ?? [], attempt - 1);
      }
      last = { reason: `the model's answer could not be used: ${proposed.reason}`, proofs: [] };
      feedback = `Your previous answer could not be used: ${proposed.reason}`;
      continue;
    }
    const proved = await prove(target, before, proposed.proposal, context);
    if (proved.ok)
      return {
        kind: 'proven',
        target,
        proposal: proposed.proposal,
        before,
        after: proved.after,
        health: proved.health,
        proofs: proved.proofs,
        attempts: attempt,
      };
    const failed = proved.proofs.at(-1)!;
    last = { reason: `${failed.name}: ${failed.detail}`, proofs: proved.proofs };
    feedback = feedbackOf(failed);
  }
  return skip(target, `both proposals failed; the second: ${last!.reason}`, last!.proofs, 2);
}

/** What the model is told about a failed proof for its second proposal. */
function feedbackOf(step: ProofStep): string {
  const what: Record<ProofName, string> = {
    apply: 'could not be applied',
    health: 'did not improve the code health enough',
    api: 'changed the public API (the exported declarations)',
    types: 'broke the type check',
    tests: 'broke the tests',
    mutation: 'lowered the mutation score',
  };
  const detail =
    step.detail.length > MAX_FEEDBACK ? `${step.detail.slice(0, MAX_FEEDBACK)}…` : step.detail;
  return `Your previous proposal ${what[step.name]}: ${detail}`;
}

type Proved =
  | { ok: true; after: string; health: HealthComparison; proofs: ProofStep[] }
  | { ok: false; proofs: ProofStep[] };

interface Verdict {
  ok: boolean;
  detail: string;
}

/** Each proof in order, stopping at the first that fails. */
async function prove(
  target: RefactorTarget,
  before: string,
  proposal: RefactorProposal,
  context: Context,
): Promise<Proved> {
  const { proofs: port, pieces, config } = context;
  const path = target.path;
  const steps: ProofStep[] = [];
  const run = async (name: ProofName, check: () => Promise<Verdict>): Promise<boolean> => {
    context.progress(PROGRESS[name]);
    const started = performance.now();
    let verdict: Verdict;
    try {
      verdict = await check();
    } catch (error: unknown) {
      verdict = { ok: false, detail: `the ${name} proof could not run: ${message(error)}` };
    }
    steps.push({ name, ...verdict, durationMs: Math.round(performance.now() - started) });
    return verdict.ok;
  };

  let after = '';
  const applied = await run('apply', async () => {
    const result = pieces.applyProposal(before, target, proposal);
    if (!result.ok) return { ok: false, detail: result.reason };
    if (result.text === before) return { ok: false, detail: 'the proposal changes nothing' };
    const formatted = await formatIfClean(context, path, before, result.text);
    after = formatted.text;
    const helpers = result.helperNames.length
      ? ` and added ${result.helperNames.join(', ')} beside it`
      : '';
    return {
      ok: true,
      detail: `replaced ${target.function}${helpers}${formatted.formatted ? ', formatted as the project formats' : ''}`,
    };
  });
  if (!applied) return { ok: false, proofs: steps };

  const measured: { health?: HealthComparison } = {};
  const healthier = await run('health', () => {
    const compared = pieces.compareHealth(
      path,
      before,
      after,
      target,
      context.thresholds,
      config.minHealthGain,
    );
    measured.health = compared.comparison;
    return Promise.resolve({ ok: compared.ok, detail: compared.detail });
  });
  const health = measured.health;
  if (!healthier || health === undefined) return { ok: false, proofs: steps };

  const sameApi = await run('api', async () => {
    const api = await port.compareApi(path, before, after);
    if (api.kind === 'same') return { ok: true, detail: 'the exported declarations are unchanged' };
    if (api.kind === 'unavailable')
      return { ok: false, detail: `the public API could not be compared: ${api.reason}` };
    return {
      ok: false,
      detail: `the exported declarations changed: ${JSON.stringify(api.before)} became ${JSON.stringify(api.after)}`,
    };
  });
  if (!sameApi) return { ok: false, proofs: steps };

  const overlay: ReadonlyMap<string, string> = new Map([[path, after]]);
  const typed = await run('types', async () => {
    const checked = await port.typecheck(overlay);
    if (checked.kind === 'unavailable')
      return { ok: true, detail: `not checked: ${checked.reason}` };
    const added = newDiagnostics(context.baseline.diagnostics ?? [], checked.diagnostics);
    if (added.length === 0)
      return { ok: true, detail: 'the project type-checks with no new diagnostic' };
    const shown = added.slice(0, 5).map(describeDiagnostic).join('; ');
    const more = added.length > 5 ? ` and ${added.length - 5} more` : '';
    return {
      ok: false,
      detail: `${added.length} new ${added.length === 1 ? 'diagnostic' : 'diagnostics'}: ${shown}${more}`,
    };
  });
  if (!typed) return { ok: false, proofs: steps };

  const tested = await run('tests', async () => {
    let passed = '';
    for (const round of [1, 2]) {
      const verdict = await port.runTests(overlay, path);
      if (verdict.kind === 'unavailable')
        return { ok: false, detail: `the tests could not run: ${verdict.reason}` };
      if (verdict.kind === 'failed')
        return { ok: false, detail: `run ${round} of 2 failed: ${verdict.detail}` };
      passed = verdict.detail;
    }
    return { ok: true, detail: `passed twice${passed ? `: ${passed}` : ''}` };
  });
  if (!tested) return { ok: false, proofs: steps };

  if (config.mutation) {
    const kept = await run('mutation', () => mutationVerdict(target, before, after, port));
    if (!kept) return { ok: false, proofs: steps };
  }
  return { ok: true, after, health, proofs: steps };
}

const PROGRESS: Record<ProofName, string> = {
  apply: 'applying the proposal',
  health: 'measuring code health',
  api: 'comparing the public API',
  types: 'type-checking the project',
  tests: 'running the tests twice',
  mutation: 'measuring the mutation score',
};

/**
 * The formatted text, when the formatter keeps the file as read: then it formats only what the
 * refactoring changed. A formatter that would rewrite the file, or fails, leaves the text as is.
 */
async function formatIfClean(
  context: Context,
  path: string,
  before: string,
  text: string,
): Promise<{ text: string; formatted: boolean }> {
  const format = context.formatText;
  if (format === undefined) return { text, formatted: false };
  let clean = context.formatsClean.get(path);
  if (clean === undefined) {
    clean = format(path, before).then(
      (out) => out === before,
      () => false,
    );
    context.formatsClean.set(path, clean);
  }
  if (!(await clean)) return { text, formatted: false };
  try {
    const out = await format(path, text);
    return { text: out, formatted: out !== text };
  } catch {
    return { text, formatted: false };
  }
}

/** Diagnostics `after` has more of than `before`, matched by file, code and message (lines move). */
export function newDiagnostics(
  before: readonly ProjectDiagnostic[],
  after: readonly ProjectDiagnostic[],
): ProjectDiagnostic[] {
  const key = (d: ProjectDiagnostic) => `${d.path}\0${d.code}\0${d.message}`;
  const seen = new Map<string, number>();
  for (const d of before) seen.set(key(d), (seen.get(key(d)) ?? 0) + 1);
  const added: ProjectDiagnostic[] = [];
  for (const d of after) {
    const left = seen.get(key(d)) ?? 0;
    if (left > 0) seen.set(key(d), left - 1);
    else added.push(d);
  }
  return added;
}

function describeDiagnostic(d: ProjectDiagnostic): string {
  const where = d.path === '' ? '' : `${d.path}:${d.line} `;
  return `${where}TS${d.code} ${d.message.split('\n')[0]}`;
}

/**
 * The mutation score on the function's lines must not fall. After the change the function starts
 * on the same line and the file grew or shrank by the lines it gained or lost: the range after
 * spans the new function and the helpers placed after it.
 */
async function mutationVerdict(
  target: RefactorTarget,
  before: string,
  after: string,
  port: RefactorProofPort,
): Promise<Verdict> {
  const lines = (text: string) => text.split('\n').length;
  const start = target.line;
  const scoreBefore = await port.mutationScore(new Map(), target.path, {
    start,
    end: target.endLine,
  });
  const end = Math.max(start, target.endLine + lines(after) - lines(before));
  const scoreAfter = await port.mutationScore(new Map([[target.path, after]]), target.path, {
    start,
    end,
  });
  if (scoreBefore === null || scoreAfter === null)
    return { ok: true, detail: 'not measured: mutation testing is not configured' };
  const shown = (score: number) => `${score.toFixed(1)} %`;
  if (scoreAfter < scoreBefore)
    return {
      ok: false,
      detail: `the mutation score on the function's lines fell from ${shown(scoreBefore)} to ${shown(scoreAfter)}`,
    };
  return {
    ok: true,
    detail: `the mutation score on the function's lines: ${shown(scoreBefore)} before, ${shown(scoreAfter)} after`,
  };
}
