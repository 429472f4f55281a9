import { readFileSync } from 'node:fs';
import { resolveEventTarget } from '../../src/automerge/event.ts';
import { handleAutoMerge } from '../../src/automerge/handle.ts';
import type { AutoMergeConfig } from '../../src/automerge/settings.ts';
import { InvalidConfigError, readActionConfig } from '../shared/config.ts';
import { GitHubAnswerError } from '../../src/github/errors.ts';
import type { OctokitLike } from '../../src/github/octokit-client.ts';
import type { RepoRef } from '../../src/github/client.ts';
import { actionsClient, actionsOctokit } from '../shared/runner-env.ts';
import type { StepLog, StepReport } from '../shared/step.ts';
import { createNpmRegistry } from '../../src/registry/npm-registry.ts';
import { parseActionEnv } from './inputs.ts';
import { autoMergeReport } from './outputs.ts';

/** The auto-merge action: its inputs, the auto-merge use case, and the step's report of it. */
export async function run(env: NodeJS.ProcessEnv, log: StepLog): Promise<StepReport> {
  const inputs = parseActionEnv(env);
  const payload = JSON.parse(readFileSync(inputs.eventPath, 'utf8')) as Record<string, unknown>;
  const target = resolveEventTarget(inputs.eventName, payload, inputs.pullRequest);
  if (target.kind === 'ignore') return autoMergeReport({ ignored: target.reason });

  const octokit = actionsOctokit(inputs, log.warning);
  const decisions = await handleAutoMerge({
    client: actionsClient(inputs, octokit),
    configFor: branchConfigs(octokit, inputs.repo, log),
    registryFor: (config) => createNpmRegistry(config.registry),
    target,
    dryRun: inputs.dryRun,
    now: () => new Date(),
    ...(inputs.runId && inputs.job ? { self: { runId: inputs.runId, job: inputs.job } } : {}),
    onProgress: (message) => log.info(message),
  });
  return autoMergeReport(decisions);
}

/**
 * The auto-merge settings of a branch, read once per branch: the default branch's (which gates
 * other bases) and each base's. Never a dispatched ref: what may be merged is decided by the
 * branches themselves. A read GitHub could not answer refuses this run (handleAutoMerge); an
 * invalid config fails the step.
 */
function branchConfigs(
  octokit: OctokitLike,
  repo: RepoRef,
  log: StepLog,
): (branch: string) => Promise<AutoMergeConfig> {
  const configs = new Map<string, Promise<AutoMergeConfig>>();
  return (branch) => {
    let config = configs.get(branch);
    if (!config) {
      config = readActionConfig(octokit, repo, branch, log).then(
        (c) => c.autoMerge,
        (error: unknown) => {
          if (error instanceof InvalidConfigError) throw error;
          const why = error instanceof Error ? error.message : String(error);
          throw new GitHubAnswerError(`the config at ${branch}`, why);
        },
      );
      configs.set(branch, config);
    }
    return config;
  };
}
