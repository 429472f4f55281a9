import type { RepoRef } from '../../src/github/types.ts';

export interface AutoMergeInputs {
  token: string;
  dryRun: boolean;
  pullRequest: number | undefined;
  eventName: string;
  eventPath: string;
  apiUrl: string;
  repo: RepoRef;
  runId: string | undefined;
}

/** Reads the action's inputs and the runner's variables once; each error names the input. */
export function parseActionEnv(env: NodeJS.ProcessEnv): AutoMergeInputs {
  const input = (name: string) =>
    (env[`INPUT_${name.replaceAll(' ', '_').toUpperCase()}`] ?? '').trim();
  const required = (name: string) => {
    const value = env[name];
    if (!value)
      throw new Error(`${name} is not set: run this action inside a GitHub Actions workflow`);
    return value;
  };

  const token = input('github-token');
  if (!token)
    throw new Error(
      'Input github-token is empty: pass `github-token: ${{ github.token }}` or an App token',
    );
  const dryRunText = input('dry-run') || 'false';
  if (!/^(true|false)$/i.test(dryRunText)) {
    throw new Error(`Input dry-run must be true or false, got "${dryRunText}"`);
  }
  const pullRequestText = input('pull-request');
  const pullRequest = pullRequestText ? Number(pullRequestText) : undefined;
  if (pullRequest !== undefined && !(Number.isInteger(pullRequest) && pullRequest > 0)) {
    throw new Error(`Input pull-request must be a pull request number, got "${pullRequestText}"`);
  }
  const [owner, repo] = required('GITHUB_REPOSITORY').split('/');
  if (!owner || !repo)
    throw new Error(`GITHUB_REPOSITORY must be owner/repo, got "${env.GITHUB_REPOSITORY}"`);
  return {
    token,
    dryRun: dryRunText.toLowerCase() === 'true',
    pullRequest,
    eventName: required('GITHUB_EVENT_NAME'),
    eventPath: required('GITHUB_EVENT_PATH'),
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    repo: { owner, repo },
    runId: env.GITHUB_RUN_ID || undefined,
  };
}
