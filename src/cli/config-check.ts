import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeSources, formatLocatedConfigErrors } from '../config/format.ts';
import type { ConfigOutcome } from '../config/loader.ts';
import { CONFIG_PATH } from '../config/path.ts';
import { parseFormat } from './analysis-args.ts';
import { loadCliConfig, shown } from './config-source.ts';
import type { AutoMergeConfig } from '../automerge/settings.ts';
import { colors, configErrorPalette } from './color.ts';
import { UsageError, parseCommandArgs } from './command.ts';
import type { CommandCode, CommandIO } from './command.ts';

const USAGE = `Usage: steward config check [FILE] [--repo DIR] [--format text|json]

Validate the repository's Steward config, and what it extends, and report every problem with its
file, line, column and key. Run from anywhere in the repository: the config is looked for at the
top level of the git checkout.

Arguments:
  FILE        The file to check, relative to the repository
              (default: ${CONFIG_PATH}; when that is missing the organisation's
              .github repository is consulted, then the defaults apply)

Options:
  --repo DIR       The repository to look in (default: the current directory)
  --format FORMAT  text (default) or json: the effective config and the files it came from
  -h, --help       Show this help

What the config extends (_extends), and the organisation's .github repository, are read from
GitHub with GITHUB_TOKEN (or GH_TOKEN); without a token they are not requested.

Exit status: 0 valid or absent, 1 invalid or FILE not found, 2 bad usage.
`;

const FORMATS = ['text', 'json'] as const;

/** `steward config check [FILE] [--repo DIR] [--format text|json]` */
export const configCheckCommand: CommandCode = {
  usage: USAGE,
  run: checkConfig,
};

async function checkConfig(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    options: { repo: { type: 'string' }, format: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 1) {
    throw new UsageError(`expected at most one FILE, got ${positionals.length}`);
  }
  const format = parseFormat(values.format, FORMATS, 'text');
  const dir = resolve(io.cwd, values.repo ?? '.');
  if (values.repo !== undefined && !(await isDirectory(dir))) {
    io.stderr(`steward config check: no such directory: ${values.repo}\n`);
    return 1;
  }
  const explicit = positionals[0];
  const file = explicit === undefined ? undefined : resolve(dir, explicit);
  if (file !== undefined) {
    const problem = await unreadable(file);
    if (problem !== null) {
      const name = shown(file, io.cwd);
      io.stderr(
        `steward config check: ${problem === 'missing' ? `no such file: ${name}` : `cannot read ${name}: it is a directory`}\n`,
      );
      return 1;
    }
  }

  let loaded;
  try {
    loaded = await loadCliConfig({
      dir,
      cwd: io.cwd,
      env: io.env ?? {},
      ...(file === undefined ? {} : { file }),
    });
  } catch (error: unknown) {
    const where = file === undefined ? CONFIG_PATH : shown(file, io.cwd);
    io.stderr(`steward config check: cannot read ${where}: ${describeError(error)}\n`);
    return 1;
  }
  const { outcome, label } = loaded;
  for (const note of outcome.notes) io.stderr(`note: ${note}\n`);
  return format === 'json' ? printJson(io, outcome) : printText(io, outcome, label);
}

/** The effective config and the files it came from, or the errors: for scripts and CI. */
function printJson(io: CommandIO, outcome: ConfigOutcome): number {
  const sources = outcome.sources.filter((source) => source.found).map((source) => source.label);
  const report = outcome.ok
    ? { valid: true, sources, settings: outcome.merged, config: outcome.config }
    : { valid: false, sources, errors: outcome.errors };
  io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  return outcome.ok ? 0 : 1;
}

function printText(io: CommandIO, outcome: ConfigOutcome, label: string): number {
  const c = colors(io.color);
  if (!outcome.ok) {
    io.stderr(`${formatLocatedConfigErrors(outcome.errors, configErrorPalette(c))}\n`);
    const count = outcome.errors.length === 1 ? '1 error' : `${outcome.errors.length} errors`;
    const files = [...new Set(outcome.errors.map((e) => e.file))];
    io.stderr(
      `${c.red('✗')} ${files.join(', ')} ${files.length === 1 ? 'has' : 'have'} ${count}\n`,
    );
    return 1;
  }
  const read = outcome.sources.filter((source) => source.found);
  if (read.length === 0) {
    io.stdout(`no ${label}; using defaults\n`);
    return 0;
  }
  const first = read[0]!.label;
  const subject = first === label ? first : `no ${label}; ${first}`;
  io.stdout(
    `${c.green('✓')} ${subject} is valid (auto-merge: ${describeAutoMerge(outcome.config.autoMerge)})\n`,
  );
  if (read.length > 1) io.stdout(`${describeSources(outcome.sources)}\n`);
  return 0;
}

/** The settings a user most wants confirmed: how Steward merges and whose pull requests. */
export function describeAutoMerge(config: AutoMergeConfig): string {
  const how = config.mode === 'native' ? 'GitHub auto-merge' : 'merge';
  const bots = config.bots.length === 0 ? 'no bots' : `bots ${config.bots.join(', ')}`;
  return `${how} via ${config.mergeMethod}, ${bots}`;
}

/** Why FILE cannot be checked, or null when it is a file. */
async function unreadable(path: string): Promise<'missing' | 'directory' | null> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : null;
  } catch (error: unknown) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'missing';
    throw error;
  }
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
  return error instanceof Error ? error.message : String(error);
}
