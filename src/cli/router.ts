import { parseArgs } from 'node:util';
import { suggest } from '../settings/suggest.ts';
import { PROGRAM, UsageError, isCommandGroup } from './command.ts';
import type { Command, CommandEntry, CommandGroup, CommandIO } from './command.ts';

export interface CliOptions {
  /** The registry: every top-level command (see commands.ts). */
  readonly commands: readonly CommandEntry[];
  /** Printed by `--version`. */
  readonly version: string;
}

/**
 * Run `steward` with `argv` (the arguments after the program name) and return its exit code. The
 * router owns help, `--version`, unknown commands (exit 2, with the nearest name) and usage
 * errors; commands only do their work.
 */
export async function runCli(
  argv: readonly string[],
  io: CommandIO,
  options: CliOptions,
): Promise<number> {
  const top: CommandGroup = { name: PROGRAM, summary: '', subcommands: options.commands };
  return dispatch([PROGRAM], top, argv, io, options.version);
}

const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

async function dispatch(
  names: readonly string[],
  group: CommandGroup,
  argv: readonly string[],
  io: CommandIO,
  version: string,
): Promise<number> {
  const invocation = names.join(' ');
  const { tokens } = parseArgs({
    args: [...argv],
    options: GLOBAL_OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const first = tokens.find((token) => token.kind === 'positional');
  const before = argv.slice(0, first?.index ?? argv.length).filter((arg) => arg !== '--');

  let wanted: { help?: boolean | undefined; version?: boolean | undefined };
  try {
    wanted = parseArgs({ args: before, options: GLOBAL_OPTIONS, strict: true }).values;
  } catch (error: unknown) {
    io.stderr(`${invocation}: ${error instanceof Error ? error.message : String(error)}\n`);
    io.stderr(`Run "${invocation} --help" for usage.\n`);
    return 2;
  }
  if (wanted.version) {
    io.stdout(`${version}\n`);
    return 0;
  }
  if (wanted.help || first === undefined) {
    io.stdout(groupUsage(invocation, group, names.length === 1));
    return 0;
  }

  const name = first.value;
  const entry = group.subcommands.find((candidate) => candidate.name === name);
  if (!entry) {
    const nearest = suggest(
      name,
      group.subcommands.map((candidate) => candidate.name),
    );
    const hint = nearest === undefined ? '' : ` Did you mean "${nearest}"?`;
    io.stderr(`${invocation}: unknown command "${name}".${hint}\n`);
    io.stderr(`Run "${invocation} --help" for the list of commands.\n`);
    return 2;
  }

  const rest = argv.slice(first.index + 1);
  const path = [...names, entry.name];
  if (isCommandGroup(entry)) return dispatch(path, entry, rest, io, version);
  return runCommand(path.join(' '), entry, rest, io);
}

async function runCommand(
  invocation: string,
  command: Command,
  argv: readonly string[],
  io: CommandIO,
): Promise<number> {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  const code = await command.load();
  if (options.includes('--help') || options.includes('-h')) {
    io.stdout(code.usage.endsWith('\n') ? code.usage : `${code.usage}\n`);
    return 0;
  }
  try {
    return await code.run(argv, io);
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${invocation}: ${error.message}\n`);
    io.stderr(`Run "${invocation} --help" for usage.\n`);
    return 2;
  }
}

function groupUsage(invocation: string, group: CommandGroup, isTop: boolean): string {
  const width = Math.max(...group.subcommands.map((entry) => entry.name.length));
  const list = group.subcommands
    .map((entry) => `  ${entry.name.padEnd(width)}  ${entry.summary}`)
    .join('\n');
  const options = isTop
    ? '  -h, --help  Show this help\n  --version   Print the version of Steward\n'
    : '  -h, --help  Show this help\n';
  return [
    `Usage: ${invocation} <command> [options]`,
    '',
    'Commands:',
    list,
    '',
    'Options:',
    options,
    `Run "${invocation} <command> --help" for the usage of a command.`,
    '',
  ].join('\n');
}
