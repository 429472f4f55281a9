import { isAbsolute, relative, resolve } from 'node:path';
import type { RepoRef } from '../../src/github/client.ts';
import { booleanInput, pullRequestInput, readRunnerEnv } from '../shared/runner-env.ts';

export const MODES = ['run', 'merge'] as const;
export type MutationMode = (typeof MODES)[number];

export interface MutationInputs {
  token: string;
  mode: MutationMode;
  /** This job's share of a matrix (run mode); it writes its report and comments on nothing. */
  shard: { index: number; count: number } | undefined;
  pullRequest: number | undefined;
  /** Absolute: where the run writes mutation.json, the HTML report and the shard record. */
  reportDir: string;
  /** Absolute: where merge mode finds the shards' artifacts (searched below it). */
  shardsDir: string;
  /** Absolute: Stryker's incremental file (restore and save it with actions/cache). */
  incrementalFile: string;
  /** Absolute path of a base branch's mutation.json; undefined for none. */
  baseReport: string | undefined;
  /** Overrides mutation.fail-under when set. */
  failUnder: number | undefined;
  /** Overrides mutation.fail-on-survivors when set. */
  failOnSurvivors: boolean | undefined;
  /** Stryker is interrupted after this; what it tested is reported as partial. */
  timeoutMs: number | undefined;
  workspace: string;
  eventName: string;
  eventPath: string;
  apiUrl: string;
  repo: RepoRef;
  /** The page of this workflow run (https only), where the uploaded artifacts are; null when unknown. */
  runUrl: string | null;
}

/** Reads the action's inputs and the runner's variables once; each error names the input. */
export function parseMutationEnv(env: NodeJS.ProcessEnv): MutationInputs {
  const runner = readRunnerEnv(env);
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const mode = runner.input('mode') || 'run';
  if (!(MODES as readonly string[]).includes(mode))
    throw new Error(`Input mode must be run or merge, got "${mode}"`);
  const shard = shardInput(runner.input('shard'));
  if (shard !== undefined && mode === 'merge')
    throw new Error(
      'Input shard is for the matrix jobs (mode: run); the merge job reads every shard, leave shard empty there',
    );
  const path = (name: string, fallback: string) =>
    insideWorkspace(workspace, name, runner.input(name) || fallback);
  const failOnText = runner.input('fail-on-survivors');
  const baseReport = runner.input('base-report');
  return {
    token: runner.token,
    mode: mode as MutationMode,
    shard,
    pullRequest: pullRequestInput(runner),
    reportDir: path('report-dir', '.steward/mutation'),
    shardsDir: path('shards-dir', '.steward/shards'),
    incrementalFile: path('incremental-file', '.steward/mutation-incremental.json'),
    baseReport: baseReport ? resolve(workspace, baseReport) : undefined,
    failUnder: failUnderInput(runner.input('fail-under')),
    failOnSurvivors: failOnText ? booleanInput(runner, 'fail-on-survivors', false) : undefined,
    timeoutMs: timeoutInput(runner.input('timeout-minutes')),
    workspace,
    eventName: runner.eventName,
    eventPath: runner.eventPath,
    apiUrl: runner.apiUrl,
    repo: runner.repo,
    runUrl: runUrlOf(env, runner.repo),
  };
}

/** `I/N` with 1 ≤ I ≤ N; undefined when empty. */
export function shardInput(text: string): { index: number; count: number } | undefined {
  if (text === '') return undefined;
  const match = /^(\d{1,4})\s*\/\s*(\d{1,4})$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count)
    throw new Error(
      `Input shard must be I/N with 1 ≤ I ≤ N, such as \${{ matrix.shard }}/4, got "${text}"`,
    );
  return { index, count };
}

function failUnderInput(text: string): number | undefined {
  if (text === '') return undefined;
  const bare = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text)?.[1];
  const value = Number(bare);
  if (bare === undefined || !(value >= 0 && value <= 100))
    throw new Error(
      `Input fail-under must be a mutation score from 0 to 100 such as 80, got "${text}"`,
    );
  return value;
}

function timeoutInput(text: string): number | undefined {
  if (text === '') return undefined;
  const minutes = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(minutes > 0) || minutes > 6 * 60)
    throw new Error(`Input timeout-minutes must be a number of minutes from 1 to 360, got "${text}"`);
  return Math.round(minutes * 60_000);
}

/** A path input, resolved against the workspace; one outside it is refused. */
function insideWorkspace(workspace: string, name: string, value: string): string {
  const absolute = resolve(workspace, value);
  const rel = relative(workspace, absolute);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
    throw new Error(
      `Input ${name} must be a path inside the workspace (such as .steward/…), got "${value}"`,
    );
  return absolute;
}

function runUrlOf(env: NodeJS.ProcessEnv, repo: RepoRef): string | null {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const id = env.GITHUB_RUN_ID ?? '';
  if (!/^https:\/\/[^\s/?#]+$/.test(server) || !/^\d+$/.test(id)) return null;
  return `${server}/${repo.owner}/${repo.repo}/actions/runs/${id}`;
}
