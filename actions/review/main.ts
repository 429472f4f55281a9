import { readFileSync } from 'node:fs';
import { readActionConfig } from '../shared/config.ts';
import { actionsClient, actionsOctokit, dispatchedConfigRef } from '../shared/runner-env.ts';
import type { StepLog, StepReport } from '../shared/step.ts';
import { modelClientFor } from '../../src/llm/model-client-for.ts';
import { runPullRequestJob } from '../../src/review/pull-request-job.ts';
import { reviewTargetOf } from '../../src/review/event.ts';
import { parseReviewEnv } from './inputs.ts';
import { reviewReport } from './outputs.ts';

/** The review action: its inputs, the review use case, and the step's report of what it did. */
export async function run(env: NodeJS.ProcessEnv, log: StepLog): Promise<StepReport> {
  const inputs = parseReviewEnv(env);
  const payload = JSON.parse(readFileSync(inputs.eventPath, 'utf8')) as Record<string, unknown>;
  const target = reviewTargetOf(inputs.eventName, payload, inputs.pullRequest);
  if ('ignore' in target) return reviewReport({ kind: 'ignored', reason: target.ignore });

  // Checked before anything is read: the ref the app read the config at when it dispatched this.
  const configRef = dispatchedConfigRef(inputs.eventName, payload);
  const octokit = actionsOctokit(inputs, log.warning);
  const outcome = await runPullRequestJob(actionsClient(inputs, octokit), {
    pullNumber: target.number,
    // No event action: a dispatch or the pull-request input asked for this pull request by name.
    requested: target.action === null,
    full: inputs.full || target.full,
    failOn: inputs.failOn,
    configRef,
    readConfig: (ref) => readActionConfig(octokit, inputs.repo, ref, log),
    modelFor: (settings) =>
      modelClientFor(settings, { apiKey: inputs.apiKey, baseUrl: inputs.baseUrl }),
    offlineReason: (pull) =>
      pull.isCrossRepository
        ? 'no ANTHROPIC_API_KEY: a pull request from a fork gets no secrets'
        : 'no ANTHROPIC_API_KEY',
    onProgress: (message) => log.info(message),
  });
  return reviewReport(outcome, inputs.sarifFile);
}
