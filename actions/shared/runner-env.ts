import { createActionsOctokit } from '../../src/github/actions-octokit.ts';
import type { GitHubClient } from '../../src/github/client.ts';
import { createGitHubClient } from '../../src/github/octokit-client.ts';
import type { OctokitLike } from '../../src/github/octokit-client.ts';
import type { RepoRef } from '../../src/github/client.ts';
import { pullRequestNumberOf } from '../../src/github/event-subject.ts';

/**
 * What every Steward action reads from the runner: its inputs (INPUT_<NAME>, hyphens kept, as the
 * runner sets them), the variables GitHub Actions always sets, and the token. Each error names the
 * input or variable and what to do.
 */
export interface RunnerEnv {
  /** The trimmed value of an input; '' when unset. */
  input(name: string): string;
  token: string;
  eventName: string;
  eventPath: string;
  apiUrl: string;
  repo: RepoRef;
}

export function readRunnerEnv(env: NodeJS.ProcessEnv): RunnerEnv {
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
  const [owner, repo] = required('GITHUB_REPOSITORY').split('/');
  if (!owner || !repo)
    throw new Error(`GITHUB_REPOSITORY must be owner/repo, got "${env.GITHUB_REPOSITORY}"`);
  return {
    input,
    token,
    eventName: required('GITHUB_EVENT_NAME'),
    eventPath: required('GITHUB_EVENT_PATH'),
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    repo: { owner, repo },
  };
}

/**
 * The pages a run links to: its own (`runUrl`, https only, null when unknown) and the
 * repository's (`repoUrl`), from GITHUB_SERVER_URL (github.com unless set) and GITHUB_RUN_ID.
 */
export function runLinks(
  env: NodeJS.ProcessEnv,
  repo: RepoRef,
): { runUrl: string | null; repoUrl: string | null } {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  if (!/^https:\/\/[^\s/?#]+$/.test(server)) return { runUrl: null, repoUrl: null };
  const repoUrl = `${server}/${repo.owner}/${repo.repo}`;
  const runId = env.GITHUB_RUN_ID ?? '';
  return { runUrl: /^\d+$/.test(runId) ? `${repoUrl}/actions/runs/${runId}` : null, repoUrl };
}

/** A true/false input, with the error naming it. */
export function booleanInput(runner: RunnerEnv, name: string, fallback: boolean): boolean {
  const text = runner.input(name) || String(fallback);
  if (!/^(true|false)$/i.test(text))
    throw new Error(`Input ${name} must be true or false, got "${text}"`);
  return text.toLowerCase() === 'true';
}

/** A pull request number input; undefined when empty. */
export function pullRequestInput(runner: RunnerEnv, name = 'pull-request'): number | undefined {
  const text = runner.input(name);
  if (!text) return undefined;
  const number = pullRequestNumberOf(text);
  if (number === null)
    throw new Error(`Input ${name} must be a pull request number, got "${text}"`);
  return number;
}

/** The Octokit an action uses: the runner's token and API URL, with retry and throttling. */
export function actionsOctokit(
  runner: Pick<RunnerEnv, 'token' | 'apiUrl'>,
  warn: (message: string) => void,
): OctokitLike {
  return createActionsOctokit({ token: runner.token, baseUrl: runner.apiUrl, warn });
}

/** The GitHub client an action uses, over {@link actionsOctokit}. */
export function actionsClient(runner: Pick<RunnerEnv, 'repo'>, octokit: OctokitLike): GitHubClient {
  return createGitHubClient(octokit, runner.repo);
}

/**
 * The ref the app read the config at, when it dispatched this run (workflow_dispatch input
 * `config-ref`, repository_dispatch `client_payload.config_ref`); undefined otherwise.
 * @throws Error naming the value when it is not a plain branch name or SHA.
 */
export function dispatchedConfigRef(
  eventName: string,
  payload: Record<string, unknown>,
): string | undefined {
  const pick = (value: unknown): Record<string, unknown> =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const value =
    eventName === 'workflow_dispatch'
      ? pick(payload['inputs'])['config-ref']
      : eventName === 'repository_dispatch'
        ? pick(payload['client_payload'])['config_ref']
        : undefined;
  if (value === undefined || value === null || value === '') return undefined;
  if (
    typeof value !== 'string' ||
    !/^[\w./-]{1,255}$/.test(value) ||
    /(^|\/)\.\.?(\/|$)/.test(value)
  )
    throw new Error(
      `The dispatch's config ref must be a branch name or commit SHA, got ${JSON.stringify(value).slice(0, 80)}`,
    );
  return value;
}
