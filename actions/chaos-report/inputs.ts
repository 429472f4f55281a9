import { resolve } from 'node:path';
import type { RepoRef } from '../../src/github/client.ts';
import { booleanInput, pullRequestInput, readRunnerEnv, runLinks } from '../shared/runner-env.ts';

export const FAIL_ON_VERDICT = ['fail', 'never'] as const;
export type FailOnVerdict = (typeof FAIL_ON_VERDICT)[number];

/** The most patterns the `files` input may hold. */
export const MAX_PATTERNS = 50;

export interface ChaosInputs {
  token: string;
  /** The `files` patterns, as given (relative to the workspace, or absolute inside it). */
  patterns: string[];
  failOnVerdict: FailOnVerdict;
  comment: boolean;
  pullRequest: number | undefined;
  /** Absolute: where the files may be (the workspace, and RUNNER_TEMP when set). */
  roots: string[];
  workspace: string;
  eventName: string;
  eventPath: string;
  apiUrl: string;
  repo: RepoRef;
  /** GITHUB_REF: the branch a push or schedule ran on. */
  ref: string;
  /** The page of this workflow run (https only); null when unknown. */
  runUrl: string | null;
  /** The repository's page (https only), for incidents when the run's page is unknown. */
  repoUrl: string | null;
}

/** Reads the action's inputs and the runner's variables once; each error names the input. */
export function parseChaosEnv(env: NodeJS.ProcessEnv): ChaosInputs {
  const runner = readRunnerEnv(env);
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const patterns = filesInput(runner.input('files'));
  const failOn = runner.input('fail-on-verdict') || 'fail';
  if (!(FAIL_ON_VERDICT as readonly string[]).includes(failOn))
    throw new Error(`Input fail-on-verdict must be fail or never, got "${failOn.slice(0, 40)}"`);
  const temp = env.RUNNER_TEMP ? resolve(env.RUNNER_TEMP) : null;
  return {
    token: runner.token,
    patterns,
    failOnVerdict: failOn as FailOnVerdict,
    comment: booleanInput(runner, 'comment', true),
    pullRequest: pullRequestInput(runner),
    roots: temp === null || temp === workspace ? [workspace] : [workspace, temp],
    workspace,
    eventName: runner.eventName,
    eventPath: runner.eventPath,
    apiUrl: runner.apiUrl,
    repo: runner.repo,
    ref: env.GITHUB_REF ?? '',
    ...runLinks(env, runner.repo),
  };
}

/** The `files` input: patterns one per line or separated by commas; at least one. */
export function filesInput(text: string): string[] {
  const patterns = text
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('#'));
  if (patterns.length === 0)
    throw new Error(
      'Input files is empty: name the result files your chaos step wrote, such as `chaos/*.yaml`',
    );
  if (patterns.length > MAX_PATTERNS)
    throw new Error(`Input files holds ${patterns.length} patterns; at most ${MAX_PATTERNS}`);
  return patterns;
}
