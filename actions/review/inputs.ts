import { resolve } from 'node:path';
import type { RepoRef } from '../../src/github/client.ts';
import { booleanInput, pullRequestInput, readRunnerEnv } from '../shared/runner-env.ts';
import { isSeverity, SEVERITIES, type Severity } from '../../src/review/severity.ts';

export interface ReviewInputs {
  token: string;
  /** Empty when no key was given: the offline review runs. */
  apiKey: string;
  baseUrl: string | undefined;
  pullRequest: number | undefined;
  full: boolean;
  failOn: Severity | undefined;
  /** Absolute path, or undefined for no SARIF file. */
  sarifFile: string | undefined;
  eventName: string;
  eventPath: string;
  apiUrl: string;
  repo: RepoRef;
}

/** Reads the action's inputs and the runner's variables once; each error names the input. */
export function parseReviewEnv(env: NodeJS.ProcessEnv): ReviewInputs {
  const runner = readRunnerEnv(env);
  const failOnText = runner.input('fail-on');
  if (failOnText && !isSeverity(failOnText))
    throw new Error(
      `Input fail-on must be one of ${SEVERITIES.join(', ')} (or empty), got "${failOnText}"`,
    );
  const sarif = runner.input('sarif-file');
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  return {
    token: runner.token,
    apiKey: runner.input('anthropic-api-key') || (env.ANTHROPIC_API_KEY ?? '').trim(),
    baseUrl: runner.input('anthropic-base-url') || env.ANTHROPIC_BASE_URL?.trim() || undefined,
    pullRequest: pullRequestInput(runner),
    full: booleanInput(runner, 'full', false),
    failOn: failOnText && isSeverity(failOnText) ? failOnText : undefined,
    sarifFile: sarif ? resolve(workspace, sarif) : undefined,
    eventName: runner.eventName,
    eventPath: runner.eventPath,
    apiUrl: runner.apiUrl,
    repo: runner.repo,
  };
}
