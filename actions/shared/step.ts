import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as core from '@actions/core';

/** What a step says while it runs: progress lines, and job-summary parts written at once. */
export interface StepLog {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  /** Appended to the job summary now, so a run that stops early still says what it read. */
  summary(markdown: string): Promise<void>;
}

export interface StepMessage {
  level: 'info' | 'notice' | 'warning';
  text: string;
  /** Where GitHub shows it as an annotation (notice and warning only): the file's line. */
  annotation?: { file: string; startLine: number; endLine?: number; title: string };
}

/**
 * How a step ends, computed from the use case's result by the action's pure outputs function and
 * written by {@link runStep}: messages, files, outputs, the rest of the job summary, and why the
 * step fails (the exit code), in that order.
 */
export interface StepReport {
  messages: StepMessage[];
  /** Files to write (absolute paths), before the outputs that name them. */
  files: { path: string; text: string }[];
  outputs: Record<string, string>;
  /** Markdown appended to the job summary; '' for none. */
  summary: string;
  /** The step's error when it fails (exit code 1); null when it succeeds. */
  failure: string | null;
}

/** An action's `run`: the runner's variables in, a report out; only `log` is written meanwhile. */
export type ActionRun = (env: NodeJS.ProcessEnv, log: StepLog) => Promise<StepReport>;

/** A report with only the parts given; the rest empty, and the step succeeds. */
export function stepReport(parts: Partial<StepReport>): StepReport {
  return { messages: [], files: [], outputs: {}, summary: '', failure: null, ...parts };
}

/** The runner's log: workflow commands on stdout, the summary file GitHub shows. */
export const runnerLog: StepLog = {
  info: (message) => core.info(message),
  notice: (message) => core.notice(message),
  warning: (message) => core.warning(message),
  summary: async (markdown) => {
    await core.summary.addRaw(markdown).write();
  },
};

/**
 * What an action's entry calls: runs `run` with the process's environment and writes its report
 * as the runner expects. Whatever `run` throws fails the step with its message (the stack goes to
 * the debug log).
 */
export async function runStep(run: ActionRun, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await writeReport(await run(env, runnerLog));
  } catch (error: unknown) {
    core.setFailed(error instanceof Error ? error.message : String(error));
    if (error instanceof Error && error.stack) core.debug(error.stack);
  }
}

async function writeReport(report: StepReport): Promise<void> {
  for (const { level, text, annotation } of report.messages) {
    if (annotation !== undefined && level !== 'info') core[level](text, annotation);
    else runnerLog[level](text);
  }
  for (const file of report.files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.text);
  }
  for (const [name, value] of Object.entries(report.outputs)) core.setOutput(name, value);
  if (report.summary) await runnerLog.summary(report.summary);
  if (report.failure !== null) core.setFailed(report.failure);
}
