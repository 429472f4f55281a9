import { resolve } from 'node:path';
import type { RepoRef } from '../../src/github/client.ts';
import { refactorTargetProblem } from '../../src/commands/parse.ts';
import { readRunnerEnv } from '../shared/runner-env.ts';

export const MODES = ['propose', 'deliver'] as const;
export type RefactorMode = (typeof MODES)[number];

/** The artifact's name when the input is empty, in RUNNER_TEMP (or the workspace outside a runner). */
export const DEFAULT_ARTIFACT_FILE = 'steward-refactor.json';

export interface RefactorInputs {
  token: string;
  mode: RefactorMode;
  /** Empty when no key was given: the propose job ends green, saying a model is needed. */
  apiKey: string;
  baseUrl: string | undefined;
  /** `PATH[:FUNCTION]` (what `/steward refactor` sends), checked; undefined for the hotspots' worst. */
  target: string | undefined;
  /** Absolute: propose writes the artifact here, deliver reads it. */
  artifactFile: string;
  workspace: string;
  eventName: string;
  eventPath: string;
  apiUrl: string;
  repo: RepoRef;
  /** GITHUB_REF_NAME: the branch a scheduled run checks out (the default branch). */
  refName: string | undefined;
}

/** Reads the action's inputs and the runner's variables once; each error names the input. */
export function parseRefactorEnv(env: NodeJS.ProcessEnv): RefactorInputs {
  const runner = readRunnerEnv(env);
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const mode = runner.input('mode') || 'propose';
  if (!(MODES as readonly string[]).includes(mode))
    throw new Error(`Input mode must be propose or deliver, got "${mode}"`);
  const target = runner.input('target');
  if (target && mode === 'deliver')
    throw new Error(
      'Input target is for the propose job (mode: propose); the deliver job delivers what the artifact holds, leave it empty there',
    );
  const problem = target ? refactorTargetProblem(target) : null;
  if (problem !== null) throw new Error(`Input target: ${problem}`);
  const apiKey = runner.input('anthropic-api-key') || (env.ANTHROPIC_API_KEY ?? '').trim();
  if (apiKey && mode === 'deliver')
    throw new Error(
      'Input anthropic-api-key is for the propose job; the deliver job holds the write token and must not hold the key too: remove it from the deliver step',
    );
  const artifactDir = env.RUNNER_TEMP ? resolve(env.RUNNER_TEMP) : workspace;
  const artifactText = runner.input('artifact-file');
  return {
    token: runner.token,
    mode: mode as RefactorMode,
    apiKey,
    baseUrl: runner.input('anthropic-base-url') || env.ANTHROPIC_BASE_URL?.trim() || undefined,
    target: target || undefined,
    artifactFile: artifactText
      ? resolve(workspace, artifactText)
      : resolve(artifactDir, DEFAULT_ARTIFACT_FILE),
    workspace,
    eventName: runner.eventName,
    eventPath: runner.eventPath,
    apiUrl: runner.apiUrl,
    repo: runner.repo,
    refName: env.GITHUB_REF_NAME?.trim() || undefined,
  };
}
