import { readFileSync } from 'node:fs';
import { readActionConfig } from '../shared/config.ts';
import { actionsClient, actionsOctokit, dispatchedConfigRef } from '../shared/runner-env.ts';
import type { StepLog, StepReport } from '../shared/step.ts';
import { stepReport } from '../shared/step.ts';
import { reviewTargetOf } from '../../src/review/event.ts';
import { deliverJob } from './deliver-job.ts';
import {
  generateJob,
  refuseKeyBesideUntrustedCode,
  type TestGenActionDependencies,
} from './generate-job.ts';
import { parseTestGenEnv } from './inputs.ts';

/** The test-gen action: `generate` (the key, the pull request's code) or `deliver` (the write token, no code). */
export function createTestGenAction(deps: TestGenActionDependencies = {}) {
  return async (env: NodeJS.ProcessEnv, log: StepLog): Promise<StepReport> => {
    const inputs = parseTestGenEnv(env);
    const payload = JSON.parse(readFileSync(inputs.eventPath, 'utf8')) as Record<string, unknown>;
    const target = reviewTargetOf(inputs.eventName, payload, inputs.pullRequest);
    if ('ignore' in target)
      return stepReport({
        messages: [
          { level: 'notice', text: `Steward test generation did nothing: ${target.ignore}.` },
        ],
      });
    const configRef = dispatchedConfigRef(inputs.eventName, payload);
    const octokit = actionsOctokit(inputs, log.warning);
    const github = actionsClient(inputs, octokit);
    const pull = await github.getPullRequestSnapshot(target.number);
    if (inputs.mode === 'generate') refuseKeyBesideUntrustedCode(inputs, pull);
    // The config is read from the base branch (or the ref the app dispatched with), never the head.
    const loaded = await readActionConfig(octokit, inputs.repo, configRef ?? pull.baseRefName, log);
    const config = loaded.testGen;
    return inputs.mode === 'deliver'
      ? deliverJob({ github, inputs, config, pull })
      : generateJob({ inputs, payload, config, pull, deps, log });
  };
}

export const run = createTestGenAction();
