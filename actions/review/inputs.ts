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

type Payload = Record<string, unknown>;

/**
 * The pull request an event asks to review, or why there is none. On dispatch events the number
 * comes from the input, the dispatch inputs or the repository_dispatch client payload.
 */
export function pullRequestOf(
  eventName: string,
  payload: Payload,
  fromInput: number | undefined,
): { number: number; action: string | null; full: boolean } | { ignore: string } {
  const pick = (value: unknown): Payload =>
    typeof value === 'object' && value !== null ? (value as Payload) : {};
  // A dispatch (from the app, or by hand) carries its own number and whether to review everything.
  const dispatched =
    eventName === 'workflow_dispatch'
      ? { number: pick(payload.inputs)['pull-request'], full: pick(payload.inputs)['full'] }
      : eventName === 'repository_dispatch'
        ? {
            number: pick(payload.client_payload)['pull_request'],
            full: pick(payload.client_payload)['full'],
          }
        : null;
  const full = String(dispatched?.full ?? 'false').toLowerCase() === 'true';
  if (fromInput !== undefined) return { number: fromInput, action: null, full };
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const number = Number(pick(payload.pull_request).number);
    const action = typeof payload.action === 'string' ? payload.action : null;
    if (action === 'closed') return { ignore: 'the pull request was closed' };
    return Number.isInteger(number)
      ? { number, action, full: false }
      : { ignore: 'the event names no pull request' };
  }
  const number = Number(dispatched?.number);
  if (Number.isInteger(number) && number > 0) return { number, action: null, full };
  return {
    ignore: `the ${eventName} event names no pull request; run on pull_request, or pass the pull-request input`,
  };
}
