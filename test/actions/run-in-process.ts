import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { ActionRun, StepMessage, StepReport } from '../../actions/shared/step.ts';
import type { GitHubWorld } from '../support/github-world.ts';

export interface InProcessRun {
  /** What the step ends with: what runStep would write. */
  report: StepReport;
  /** What the step logged while it ran, in order. */
  log: StepMessage[];
  /** Job-summary parts written while it ran (the config's), before the report's. */
  summary: string[];
  /** GITHUB_WORKSPACE of the run, a temp dir removed after the test. */
  workspace: string;
}

export interface InProcessOptions {
  eventName: string;
  payload: unknown;
  /** `with:` values, by input name (hyphens kept); github-token is the world's unless given. */
  inputs?: Record<string, string>;
  /** More runner variables, or ones to replace. */
  env?: Record<string, string>;
}

/**
 * Calls an action's `run` in this process as the runner would start it: INPUT_* variables, the
 * event in a file at GITHUB_EVENT_PATH, GITHUB_API_URL at the world's GitHub fake. Nothing reads
 * process.env; the log is recorded instead of written.
 */
export async function runInProcess(
  run: ActionRun,
  world: Pick<GitHubWorld, 'fake' | 'owner' | 'repo' | 'token'>,
  options: InProcessOptions,
): Promise<InProcessRun> {
  const workspace = mkdtempSync(join(tmpdir(), 'steward-run-'));
  onTestFinished(() => rmSync(workspace, { recursive: true, force: true }));
  const eventPath = join(workspace, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  const env: NodeJS.ProcessEnv = {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: world.fake.url,
    GITHUB_REPOSITORY: `${world.owner}/${world.repo}`,
    GITHUB_WORKSPACE: workspace,
    ...options.env,
  };
  for (const [name, value] of Object.entries({
    'github-token': world.token,
    ...options.inputs,
  }))
    env[`INPUT_${name.toUpperCase()}`] = value;
  const log: StepMessage[] = [];
  const summary: string[] = [];
  const report = await run(env, {
    info: (text) => log.push({ level: 'info', text }),
    notice: (text) => log.push({ level: 'notice', text }),
    warning: (text) => log.push({ level: 'warning', text }),
    summary: async (markdown) => {
      summary.push(markdown);
    },
  });
  return { report, log, summary, workspace };
}

/** The texts of messages at a level, from the run's log and its report. */
export function messages(run: InProcessRun, level: StepMessage['level']): string[] {
  return [...run.log, ...run.report.messages].filter((m) => m.level === level).map((m) => m.text);
}
