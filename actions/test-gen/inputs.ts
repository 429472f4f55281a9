import { resolve } from 'node:path';
import type { RepoRef } from '../../src/github/client.ts';
import { booleanInput, pullRequestInput, readRunnerEnv } from '../shared/runner-env.ts';

export const MODES = ['generate', 'deliver'] as const;
export type TestGenMode = (typeof MODES)[number];

/** The patch file's name when the input is empty, in RUNNER_TEMP (or the workspace outside a runner). */
export const DEFAULT_PATCH_FILE = 'steward-tests.json';

export interface TestGenInputs {
  token: string;
  mode: TestGenMode;
  /** Empty when no key was given: offline generation (property tests from types), if the config allows. */
  apiKey: string;
  baseUrl: string | undefined;
  pullRequest: number | undefined;
  /** Absolute: generate writes the patch here, deliver reads it. */
  patchFile: string;
  /** Absolute path of the mutation-report action's mutation.json for the head; undefined to measure. */
  mutationReport: string | undefined;
  /** Deliver: true pushes onto the head branch, false opens a pull request; undefined follows test-gen.delivery. */
  push: boolean | undefined;
  workspace: string;
  eventName: string;
  eventPath: string;
  apiUrl: string;
  repo: RepoRef;
}

/** Reads the action's inputs and the runner's variables once; each error names the input. */
export function parseTestGenEnv(env: NodeJS.ProcessEnv): TestGenInputs {
  const runner = readRunnerEnv(env);
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const mode = runner.input('mode') || 'generate';
  if (!(MODES as readonly string[]).includes(mode))
    throw new Error(`Input mode must be generate or deliver, got "${mode}"`);
  const report = runner.input('mutation-report');
  if (report && mode === 'deliver')
    throw new Error(
      'Input mutation-report is for the generate job (mode: generate); the deliver job runs nothing, leave it empty there',
    );
  const pushText = runner.input('push');
  if (pushText && mode === 'generate')
    throw new Error(
      'Input push is for the deliver job (mode: deliver); the generate job writes nothing to the repository, leave it empty there',
    );
  const apiKey = runner.input('anthropic-api-key') || (env.ANTHROPIC_API_KEY ?? '').trim();
  if (apiKey && mode === 'deliver')
    throw new Error(
      'Input anthropic-api-key is for the generate job; the deliver job holds the write token and must not hold the key too: remove it from the deliver step',
    );
  const patchDir = env.RUNNER_TEMP ? resolve(env.RUNNER_TEMP) : workspace;
  const patchText = runner.input('patch-file');
  return {
    token: runner.token,
    mode: mode as TestGenMode,
    apiKey,
    baseUrl: runner.input('anthropic-base-url') || env.ANTHROPIC_BASE_URL?.trim() || undefined,
    pullRequest: pullRequestInput(runner),
    patchFile: patchText ? resolve(workspace, patchText) : resolve(patchDir, DEFAULT_PATCH_FILE),
    mutationReport: report ? resolve(workspace, report) : undefined,
    push: pushText ? booleanInput(runner, 'push', false) : undefined,
    workspace,
    eventName: runner.eventName,
    eventPath: runner.eventPath,
    apiUrl: runner.apiUrl,
    repo: runner.repo,
  };
}
