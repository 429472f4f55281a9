import type { CommandIO } from '../../src/cli/command.ts';

/** A CommandIO that keeps what a command wrote, for running commands in-process. */
export function memoryIO(
  cwd: string,
  color = false,
): CommandIO & { out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd,
    color,
    out: () => stdout,
    err: () => stderr,
  };
}
