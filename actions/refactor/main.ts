import { readFileSync } from 'node:fs';
import { readActionConfig } from '../shared/config.ts';
import { actionsClient, actionsOctokit, dispatchedConfigRef } from '../shared/runner-env.ts';
import type { StepLog, StepReport } from '../shared/step.ts';
import { deliverJob } from './deliver-job.ts';
import { parseRefactorEnv, type RefactorInputs } from './inputs.ts';
import { noKeyReport, notScheduledReport } from './outputs.ts';
import { proposeJob, type RefactorActionDependencies } from './propose-job.ts';

/** The events the refactoring workflow runs on: a schedule, or a dispatch (`/steward refactor`). */
const EVENTS: readonly string[] = ['schedule', 'workflow_dispatch', 'repository_dispatch'];

/**
 * The refactor action: `propose` (the model key, a read-only token, the default branch's code and
 * tests) proves one refactoring and writes it as an artifact; `deliver` (the write token, no key,
 * no checkout, runs no repository code) checks that artifact as hostile, opens the pull request
 * and tends the refactoring pull requests already open.
 */
export function createRefactorAction(deps: RefactorActionDependencies = {}) {
  return async (env: NodeJS.ProcessEnv, log: StepLog): Promise<StepReport> => {
    const inputs = parseRefactorEnv(env);
    if (!EVENTS.includes(inputs.eventName)) return notScheduledReport(inputs.eventName);
    // No key: nothing to propose with, and nothing read or run (the step stays green).
    if (inputs.mode === 'propose' && !inputs.apiKey) return noKeyReport();
    const payload = JSON.parse(readFileSync(inputs.eventPath, 'utf8')) as Record<string, unknown>;
    const defaultBranch = defaultBranchOf(payload, inputs);
    const configRef = dispatchedConfigRef(inputs.eventName, payload);
    const octokit = actionsOctokit(inputs, log.warning);
    const github = actionsClient(inputs, octokit);
    // The config is the default branch's (or the ref the app dispatched with).
    const config = await readActionConfig(octokit, inputs.repo, configRef ?? defaultBranch, log);
    return inputs.mode === 'deliver'
      ? deliverJob({ github, inputs, config, defaultBranch, deps })
      : proposeJob({ github, inputs, config, defaultBranch, deps, log });
  };
}

export const run = createRefactorAction();

/**
 * The repository's default branch, where refactorings are made and proposed: the event's
 * `repository.default_branch`, or on a schedule (which always runs on the default branch) the
 * branch checked out.
 */
function defaultBranchOf(payload: Record<string, unknown>, inputs: RefactorInputs): string {
  const repository = payload['repository'];
  const named =
    typeof repository === 'object' && repository !== null
      ? (repository as Record<string, unknown>)['default_branch']
      : undefined;
  if (typeof named === 'string' && named !== '') return named;
  if (inputs.eventName === 'schedule' && inputs.refName !== undefined) return inputs.refName;
  throw new Error(
    `The ${inputs.eventName} event names no repository.default_branch: run the refactor action on a schedule or a dispatch`,
  );
}
