import type { CommandEntry, CommandIO } from '../../src/cli/command.ts';
import { commands } from '../../src/cli/commands.ts';
import { runCli } from '../../src/cli/router.ts';

/** A CommandIO that keeps what a command wrote, for running commands in-process. */
export function memoryIO(
  cwd: string,
  color = false,
  env?: CommandIO['env'],
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
    ...(env === undefined ? {} : { env }),
    out: () => stdout,
    err: () => stderr,
  };
}

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `steward ARGV` run in-process in `cwd`: its exit code and what it wrote. */
export async function steward(
  argv: string[],
  cwd: string,
  options: { env?: CommandIO['env']; color?: boolean; commands?: readonly CommandEntry[] } = {},
): Promise<InProcessRun> {
  const io = memoryIO(cwd, options.color, options.env);
  const code = await runCli(argv, io, {
    commands: options.commands ?? commands,
    version: 'test',
  });
  return { code, stdout: io.out(), stderr: io.err() };
}
