import picomatch from 'picomatch';
import type { AutoMergeConfig } from './settings.ts';
import type { GitHubClient } from '../github/client.ts';
import { GitHubAnswerError } from '../github/errors.ts';
import type { PullRequestSnapshot } from '../github/client.ts';
import { CheckName, type Decision } from './decision.ts';
import { evaluatePullRequest, type EvaluateInput, type PublishTimeSource } from './evaluate.ts';
import type { EventTarget } from './event.ts';
import { executeDecision } from './execute.ts';

export interface HandleOptions {
  client: GitHubClient;
  /**
   * The auto-merge settings at a branch, read by the face through the config loader. A pull
   * request is judged by its BASE branch's settings (it cannot loosen its own rules), and only the
   * default branch's `base-branches` says which other bases may be auto-merged at all.
   */
  configFor: (branch: string) => Promise<AutoMergeConfig>;
  /** Built per pull request: the registry URL comes from that pull request's base-branch config. */
  registryFor: (config: AutoMergeConfig) => PublishTimeSource;
  target: Exclude<EventTarget, { kind: 'ignore' }>;
  dryRun: boolean;
  now: () => Date;
  /** The job making the decision, whose own check run is ignored (the action sets it). */
  self?: EvaluateInput['self'];
  onProgress?: (message: string) => void;
}

/**
 * The auto-merge use case: the action calls it with the workflow's token (the app does not run
 * auto-merge). Each pull request is decided on its own snapshot and its base branch config;
 * a base branch other than the default one must be listed in the default branch's `base-branches`.
 *
 * GitHub answers that cannot be decided on (GraphQL errors, partial answers, 5xx after retries)
 * end in a refusal for this run that writes nothing, never in a merge or a crash.
 */
export async function handleAutoMerge(options: HandleOptions): Promise<Decision[]> {
  const { client, target } = options;
  let numbers: number[];
  if (target.kind === 'pull-requests') numbers = target.numbers;
  else {
    try {
      numbers = await client.findOpenPullRequestsForSha(target.sha);
    } catch (error: unknown) {
      if (!(error instanceof GitHubAnswerError)) throw error;
      return [unreadableDecision(0, target.sha, error)];
    }
    options.onProgress?.(
      numbers.length > 0
        ? `commit ${target.sha.slice(0, 7)} is the head of #${numbers.join(', #')}`
        : `no open pull request has head ${target.sha.slice(0, 7)}`,
    );
  }
  const decisions: Decision[] = [];
  for (const number of numbers) {
    let headSha = target.kind === 'sha' ? target.sha : '';
    try {
      const snapshot = await client.getPullRequestSnapshot(number);
      headSha = snapshot.headSha;
      decisions.push(await decide(options, snapshot));
    } catch (error: unknown) {
      if (!(error instanceof GitHubAnswerError)) throw error;
      decisions.push(unreadableDecision(number, headSha, error));
    }
  }
  return decisions;
}

async function decide(options: HandleOptions, snapshot: PullRequestSnapshot): Promise<Decision> {
  const { client } = options;
  if (snapshot.defaultBranch === '') {
    throw new GitHubAnswerError(
      `the default branch of #${snapshot.number}`,
      'no name in the answer',
    );
  }
  // Read from the base branch: the pull request cannot loosen its own rules, and only the default
  // branch's config decides which other branches may be auto-merged at all.
  const defaultConfig = await options.configFor(snapshot.defaultBranch);
  const onDefault = snapshot.baseRefName === snapshot.defaultBranch;
  if (!onDefault && !matchesAny(defaultConfig.baseBranches, snapshot.baseRefName)) {
    const refused = baseBranchRefusal(snapshot, defaultConfig);
    return executeDecision(client, snapshot, refused, defaultConfig, options.dryRun);
  }
  const config = onDefault ? defaultConfig : await options.configFor(snapshot.baseRefName);
  const evaluated = await evaluatePullRequest({
    client,
    registry: options.registryFor(config),
    config,
    snapshot,
    now: options.now(),
    ...(options.self ? { self: options.self } : {}),
  });
  return executeDecision(client, snapshot, evaluated, config, options.dryRun);
}

function matchesAny(globs: readonly string[], branch: string): boolean {
  return globs.length > 0 && picomatch([...globs])(branch);
}

function baseBranchRefusal(pr: PullRequestSnapshot, config: AutoMergeConfig): Decision {
  const detail = `the base branch ${pr.baseRefName} is not the default branch (${pr.defaultBranch}) and is not listed in base-branches of ${pr.defaultBranch}'s .github/steward.yml`;
  return {
    number: pr.number,
    headSha: pr.headSha,
    outcome: 'refused',
    reason: `${CheckName.baseBranch}: ${detail}`,
    updateType: null,
    dependencies: [],
    verdicts: [{ check: CheckName.baseBranch, status: 'fail', details: [detail] }],
    warnings: [],
    isBotPullRequest: pr.author !== null && config.bots.includes(pr.author.login),
  };
}

function unreadableDecision(number: number, headSha: string, error: GitHubAnswerError): Decision {
  const detail = error.duringWrite
    ? `${error.message}; nothing was labelled or commented, and the next event decides again`
    : `${error.message}; nothing was merged, labelled or commented, and the next event decides again`;
  return {
    number,
    headSha,
    outcome: 'refused',
    reason: `${CheckName.github}: ${detail}`,
    updateType: null,
    dependencies: [],
    verdicts: [{ check: CheckName.github, status: 'fail', details: [detail] }],
    warnings: [],
    isBotPullRequest: false,
    unreadable: true,
  };
}
