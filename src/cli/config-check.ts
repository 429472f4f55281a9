import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { formatConfigErrors } from '../config/format.ts';
import { CONFIG_PATH, ConfigInvalidError, loadConfigFromFile } from '../config/load.ts';
import type { AutoMergeConfig } from '../automerge/settings.ts';
import { colors, configErrorPalette } from './color.ts';
import { UsageError, parseCommandArgs } from './command.ts';
import type { Command, CommandIO } from './command.ts';

const USAGE = `Usage: steward config check [FILE] [--repo DIR]

Validate a Steward config file and report every problem with its line, column and key.

Arguments:
  FILE        The file to check, relative to the repository
              (default: ${CONFIG_PATH}; when that is missing the defaults apply)

Options:
  --repo DIR  The repository to look in (default: the current directory)
  -h, --help  Show this help

Exit status: 0 valid or absent, 1 invalid or FILE not found, 2 bad usage.
`;

/** `steward config check [FILE] [--repo DIR]` */
export const configCheckCommand: Command = {
  name: 'check',
  summary: `Validate ${CONFIG_PATH} and report each problem by line`,
  usage: USAGE,
  run: checkConfig,
};

async function checkConfig(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    options: { repo: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 1) {
    throw new UsageError(`expected at most one FILE, got ${positionals.length}`);
  }
  const c = colors(io.color);
  const repo = resolve(io.cwd, values.repo ?? '.');
  if (values.repo !== undefined && !(await isDirectory(repo))) {
    io.stderr(`steward config check: no such directory: ${values.repo}\n`);
    return 1;
  }
  const explicit = positionals[0];
  const path = explicit === undefined ? join(repo, CONFIG_PATH) : resolve(repo, explicit);
  const shown = displayPath(path, io.cwd);

  let loaded;
  try {
    loaded = await loadConfigFromFile(path);
  } catch (error: unknown) {
    if (error instanceof ConfigInvalidError) {
      io.stderr(`${formatConfigErrors(error.errors, shown, configErrorPalette(c))}\n`);
      const count = error.errors.length === 1 ? '1 error' : `${error.errors.length} errors`;
      io.stderr(`${c.red('✗')} ${shown} has ${count}\n`);
      return 1;
    }
    io.stderr(`steward config check: cannot read ${shown}: ${describeError(error)}\n`);
    return 1;
  }

  if (!loaded.found) {
    if (explicit !== undefined) {
      io.stderr(`steward config check: no such file: ${shown}\n`);
      return 1;
    }
    io.stdout(`no ${shown}; using defaults\n`);
    return 0;
  }
  io.stdout(
    `${c.green('✓')} ${shown} is valid (auto-merge: ${describeAutoMerge(loaded.config.autoMerge)})\n`,
  );
  return 0;
}

/** The settings a user most wants confirmed: how Steward merges and whose pull requests. */
export function describeAutoMerge(config: AutoMergeConfig): string {
  const how = config.mode === 'native' ? 'GitHub auto-merge' : 'merge';
  const bots = config.bots.length === 0 ? 'no bots' : `bots ${config.bots.join(', ')}`;
  return `${how} via ${config.mergeMethod}, ${bots}`;
}

/** Relative to where the user stands when that is inside it, so lines are short and clickable. */
function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error: unknown) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false;
    throw error;
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'EISDIR')
    return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}
