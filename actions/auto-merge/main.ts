import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { resolveEventTarget } from '../../src/automerge/event.ts';
import { handleAutoMerge } from '../../src/automerge/handle.ts';
import { summaryMarkdown } from '../../src/automerge/report.ts';
import type { Decision } from '../../src/automerge/decision.ts';
import type { AutoMergeConfig } from '../../src/automerge/settings.ts';
import { InvalidConfigError, readActionConfig } from '../shared/config.ts';
import { GitHubAnswerError } from '../../src/github/errors.ts';
import { actionsClient, actionsOctokit } from '../shared/runner-env.ts';
import { createNpmRegistry } from '../../src/registry/npm-registry.ts';
import { parseActionEnv } from './inputs.ts';

/** Least favourable first: the step's single `decision` output speaks for the worst pull request. */
const SEVERITY: readonly Decision['outcome'][] = [
  'refused',
  'head-moved',
  'pending',
  'would-arm',
  'would-merge',
  'armed',
  'merged',
];

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = parseActionEnv(env);
  const payload = JSON.parse(readFileSync(inputs.eventPath, 'utf8')) as Record<string, unknown>;
  const target = resolveEventTarget(inputs.eventName, payload, inputs.pullRequest);
  if (target.kind === 'ignore') {
    core.notice(`Steward auto-merge did nothing: ${target.reason}.`);
    core.setOutput('decision', '');
    return;
  }

  const octokit = actionsOctokit(inputs, core.warning);
  const client = actionsClient(inputs, octokit);
  const configs = new Map<string, Promise<AutoMergeConfig>>();
  const decisions = await handleAutoMerge({
    client,
    // Read once per branch: the default branch's (which gates other bases) and each base's. Never a
    // dispatched ref: what may be merged is decided by the branches themselves. A read GitHub could
    // not answer refuses this run (handleAutoMerge); an invalid config fails the step.
    configFor: (branch) => {
      let config = configs.get(branch);
      if (!config) {
        config = readActionConfig(octokit, inputs.repo, branch).then(
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
    },
    registryFor: (config) => createNpmRegistry(config.registry),
    target,
    dryRun: inputs.dryRun,
    now: () => new Date(),
    ...(inputs.runId && inputs.job ? { self: { runId: inputs.runId, job: inputs.job } } : {}),
    onProgress: core.info,
  });

  for (const decision of decisions) {
    core.info(
      `#${decision.number} at ${decision.headSha.slice(0, 7)}: ${decision.outcome} (${decision.reason})`,
    );
  }
  const worst = [...decisions].sort(
    (a, b) => SEVERITY.indexOf(a.outcome) - SEVERITY.indexOf(b.outcome),
  )[0];
  core.setOutput('decision', worst?.outcome ?? '');
  core.setOutput('reason', worst?.reason ?? 'no open pull request has this head');
  core.setOutput('update-type', worst?.updateType ?? '');
  core.setOutput('dependencies', JSON.stringify(worst?.dependencies ?? []));
  core.setOutput(
    'decisions',
    JSON.stringify(
      decisions.map(({ number, headSha, outcome, reason, updateType }) => ({
        number,
        headSha,
        outcome,
        reason,
        updateType,
      })),
    ),
  );
  await core.summary.addRaw(summaryMarkdown(decisions)).write();
}

try {
  await run();
} catch (error: unknown) {
  core.setFailed(error instanceof Error ? error.message : String(error));
  if (error instanceof Error && error.stack) core.debug(error.stack);
}
