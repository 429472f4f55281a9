import type { AutoMergeConfig } from './settings.ts';
import type { GitHubClient } from '../github/client.ts';
import type { PullRequestSnapshot } from '../github/types.ts';
import type { Decision } from './decision.ts';
import { evaluatePullRequest, type PublishTimeSource } from './evaluate.ts';
import type { EventTarget } from './event.ts';
import { executeDecision } from './execute.ts';

export interface HandleOptions {
  client: GitHubClient;
  /**
   * The auto-merge settings a pull request is judged by, read by the face through the config
   * loader from its BASE branch: the pull request cannot loosen its own rules.
   */
  configFor: (snapshot: PullRequestSnapshot) => Promise<AutoMergeConfig>;
  /** Built per pull request: the registry URL comes from that pull request's base-branch config. */
  registryFor: (config: AutoMergeConfig) => PublishTimeSource;
  target: Exclude<EventTarget, { kind: 'ignore' }>;
  dryRun: boolean;
  now: () => Date;
  selfRunId?: string;
  onProgress?: (message: string) => void;
}

/**
 * The auto-merge handler every face calls: the action with the workflow's token, the app with an
 * installation token. Each pull request is decided on its own snapshot and its base branch config.
 */
export async function handleAutoMerge(options: HandleOptions): Promise<Decision[]> {
  const { client, target } = options;
  const numbers =
    target.kind === 'pull-requests'
      ? target.numbers
      : await client.findOpenPullRequestsForSha(target.sha);
  if (target.kind === 'sha') {
    options.onProgress?.(
      numbers.length > 0
        ? `commit ${target.sha.slice(0, 7)} is the head of #${numbers.join(', #')}`
        : `no open pull request has head ${target.sha.slice(0, 7)}`,
    );
  }
  const decisions: Decision[] = [];
  for (const number of numbers) {
    const snapshot = await client.getPullRequestSnapshot(number);
    const config = await options.configFor(snapshot);
    const evaluated = await evaluatePullRequest({
      client,
      registry: options.registryFor(config),
      config,
      snapshot,
      now: options.now(),
      ...(options.selfRunId ? { selfRunId: options.selfRunId } : {}),
    });
    decisions.push(await executeDecision(client, snapshot, evaluated, config, options.dryRun));
  }
  return decisions;
}
