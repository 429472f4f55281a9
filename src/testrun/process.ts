import { spawn } from 'node:child_process';
import { untrustedEnvironment } from '../stryker/environment.ts';

/** Kills a detached child's whole process group (vitest's workers with it); gone already is fine. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch (error: unknown) {
    if ((error as { code?: string }).code !== 'ESRCH') throw error;
  }
}

/**
 * One node process of the repository's test tools (vitest, jest): in the repository, in a process
 * group of its own killed whole when it ends or at the timeout, with the allow-listed environment
 * only.
 */

const LOG_TAIL = 64 * 1024;
/** `jest --showConfig` of a large monorepo is big, but never this big. */
const STDOUT_LIMIT = 16 * 1024 * 1024;

export interface NodeRun {
  /** The tail of stdout and stderr together. */
  log: string;
  /** stdout whole (up to 16 MiB), for a command that answers there. */
  stdout: string;
  timedOut: boolean;
  /** The exit code; null when a signal ended the process (the timeout's kill among them). */
  exitCode: number | null;
}

export function runNodeGroup(
  args: readonly string[],
  request: { root: string; timeoutMs: number },
  env: Readonly<Record<string, string>>,
): Promise<NodeRun> {
  return runGroup(process.execPath, args, request, env);
}

/**
 * Like runNodeGroup, for any program (a configured test command's first word): no shell, looked up
 * on the allow-listed environment's PATH.
 */
export function runGroup(
  command: string,
  args: readonly string[],
  request: { root: string; timeoutMs: number },
  env: Readonly<Record<string, string>>,
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: request.root,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      env: untrustedEnvironment(process.env, { ...env, FORCE_COLOR: '0', NO_COLOR: '1' }),
    });
    let log = '';
    let stdout = '';
    const keep = (chunk: Buffer): void => {
      log = (log + chunk.toString('utf8')).slice(-LOG_TAIL);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (stdout.length < STDOUT_LIMIT) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, request.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode: number | null) => {
      clearTimeout(timer);
      killGroup(child.pid); // workers the run left behind
      resolve({ log, stdout, timedOut, exitCode });
    });
  });
}
