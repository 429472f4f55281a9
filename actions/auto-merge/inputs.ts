import type { RepoRef } from '../../src/github/client.ts';
import { booleanInput, pullRequestInput, readRunnerEnv } from '../shared/runner-env.ts';

export interface AutoMergeInputs {
  token: string;
  dryRun: boolean;
  pullRequest: number | undefined;
  eventName: string;
  eventPath: string;
  apiUrl: string;
  repo: RepoRef;
  runId: string | undefined;
  /** GITHUB_JOB: the job's id, which names its check run unless the job sets another `name:`. */
  job: string | undefined;
}

/** Reads the action's inputs and the runner's variables once; each error names the input. */
export function parseActionEnv(env: NodeJS.ProcessEnv): AutoMergeInputs {
  const runner = readRunnerEnv(env);
  return {
    token: runner.token,
    dryRun: booleanInput(runner, 'dry-run', false),
    pullRequest: pullRequestInput(runner),
    eventName: runner.eventName,
    eventPath: runner.eventPath,
    apiUrl: runner.apiUrl,
    repo: runner.repo,
    runId: env.GITHUB_RUN_ID || undefined,
    job: env.GITHUB_JOB || undefined,
  };
}
