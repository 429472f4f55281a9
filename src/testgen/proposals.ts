import type { CallUsage, ModelClient } from '../llm/model-call.ts';
import { offlineCandidates } from './offline/index.ts';
import type { ProjectView } from './project.ts';
import type { PreviousFailure } from './prompt.ts';
import { proposeTests } from './propose.ts';
import type { TestGenConfig } from './settings.ts';
import type { TargetContext, TestCandidate } from './types.ts';

/**
 * Where a target's candidates come from: Claude, within the run's call and cost caps (one budget
 * for the whole run), or the offline generator's properties derived from the types.
 */

/** What the model may still do in this run, and what the user should hear about it. */
export interface ModelBudget {
  calls: number;
  spentUsd: number;
  usage: CallUsage | null;
  /** Set when the model stopped answering (or the caps were met): no more calls this run. */
  modelStopped: string | null;
  notices: string[];
}

export function freshBudget(): ModelBudget {
  return { calls: 0, spentUsd: 0, usage: null, modelStopped: null, notices: [] };
}

/** A round's candidates as proposed, and the ones that never reached the chain (with why). */
export interface Proposal {
  candidates: TestCandidate[];
  refused: {
    candidate: Pick<TestCandidate, 'name' | 'code' | 'kind' | 'origin'>;
    reason: string;
  }[];
}

export function mergeProposals(into: Proposal, from: Proposal): void {
  into.candidates.push(...from.candidates);
  into.refused.push(...from.refused);
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

/** Candidates from Claude for one target, within the run's call and cost caps. */
export async function fromModel(
  context: TargetContext,
  model: ModelClient,
  config: TestGenConfig,
  budget: ModelBudget,
  notes: string[],
  retry?: { failures: PreviousFailure[]; kept: string[] },
): Promise<Proposal> {
  const none: Proposal = { candidates: [], refused: [] };
  if (budget.modelStopped !== null) return none;
  if (budget.calls >= config.maxCalls) {
    stopModel(
      budget,
      `test-gen.max-calls (${config.maxCalls}) is reached: the remaining targets get no model call`,
    );
    return none;
  }
  const outcome = await proposeTests(context, model, {
    maxCandidates: config.maxCandidates,
    maxCostUsd: Math.max(0, config.maxCostUsd - budget.spentUsd),
    ...(retry ? { failures: retry.failures, kept: retry.kept } : {}),
  });
  if (outcome.kind !== 'over-budget') {
    budget.calls += 1;
    budget.usage = addUsage(budget.usage, outcome.usage);
    budget.spentUsd += outcome.usage.costUsd ?? 0;
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
      stopModel(budget, `the model is unavailable: ${outcome.reason}`);
      return none;
    case 'over-budget':
      stopModel(budget, `the cost cap is reached: ${outcome.reason}`);
      return none;
  }
}

function stopModel(budget: ModelBudget, reason: string): void {
  budget.modelStopped = reason;
  budget.notices.push(`${reason}.`);
}

/** Property tests derived from the target's types, with no model. */
export async function fromTypes(
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
