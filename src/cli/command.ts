import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/** The name users type; every usage line and message starts with it. */
export const PROGRAM = 'steward';

/**
 * What a command may touch: output writers and the directory it runs in. Commands never reach for
 * `process`, so tests run them in-process and read what they wrote.
 */
export interface CommandIO {
  /** Writes text as given; commands end their lines with "\n". */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** The environment: GITHUB_TOKEN and the like, for reading what a config extends from GitHub. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Whether output may carry ANSI colours (stdout is a terminal and NO_COLOR is unset). */
  readonly color: boolean;
  /** stdout is a terminal: output for eyes only (a sparkline) may be drawn, NO_COLOR or not. */
  readonly terminal?: boolean;
  /**
   * Shows what a long run is doing, on one rewritten line of stderr; absent when stderr is not a
   * terminal (CI logs and pipes get no progress noise).
   */
  readonly progress?: (message: string) => void;
}

/**
 * A subcommand as the registry lists it: its name and summary are known without loading its code,
 * so `steward --help` and `steward --version` load almost nothing; `load` imports the command's
 * module only when that command runs (or shows its own usage).
 */
export interface Command {
  readonly name: string;
  /** One line for the list of commands. */
  readonly summary: string;
  load(): Promise<CommandCode>;
}

/**
 * What a command's module exports: `usage` is the full text `--help` prints; `run` gets the
 * arguments after the command's name and returns the exit code (0 done, 1 the checked thing
 * failed, 2 bad usage).
 */
export interface CommandCode {
  readonly usage: string;
  run(argv: readonly string[], io: CommandIO): Promise<number>;
}

/** A command with subcommands of its own (`steward config check`). */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly CommandEntry[];
}

export type CommandEntry = Command | CommandGroup;

export function isCommandGroup(entry: CommandEntry): entry is CommandGroup {
  return 'subcommands' in entry;
}

/** Bad arguments: the router prints the message with a pointer to `--help` and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--format`: one of `formats`, `fallback` when not given. */
export function parseFormat<const F extends string>(
  value: string | undefined,
  formats: readonly F[],
  fallback: F,
): F {
  if (value === undefined) return fallback;
  if ((formats as readonly string[]).includes(value)) return value as F;
  throw new UsageError(`--format must be one of ${formats.join(', ')}, got "${value}"`);
}

/** node:util parseArgs, strict, with its complaints turned into UsageError. */
export function parseCommandArgs<const T extends Omit<ParseArgsConfig, 'args' | 'strict'>>(
  argv: readonly string[],
  config: T,
) {
  try {
    return parseArgs({ ...config, args: [...argv], strict: true as const });
  } catch (error: unknown) {
    // Node's advice on positionals that start with "-" is noise next to our --help pointer.
    if (isParseArgsError(error)) throw new UsageError(error.message.split('. To specify')[0]!);
    throw error;
  }
}

function isParseArgsError(error: unknown): error is Error {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS_')
  );
}
