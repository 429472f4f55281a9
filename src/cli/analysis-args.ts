import { writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { formatLocatedConfigErrors } from '../config/format.ts';
import type { StewardConfig } from '../config/schema.ts';
import { GitError } from '../revision/errors.ts';
import { UsageError, type CommandIO } from './command.ts';
import { loadCliConfig } from './config-source.ts';

/**
 * The repository's config, from the top level of the checkout `repoDir` is in (and what it
 * extends); on errors they are printed and null returned (exit 1).
 */
/** The options every command that analyses a local revision range takes (parseCommandArgs). */
export const REVISION_RANGE_OPTIONS = {
  base: { type: 'string' },
  head: { type: 'string' },
  repo: { type: 'string' },
  format: { type: 'string' },
  threads: { type: 'string' },
} as const;

export async function loadRepoConfig(
  repoDir: string,
  io: CommandIO,
): Promise<StewardConfig | null> {
  const { outcome } = await loadCliConfig({ dir: repoDir, cwd: io.cwd, env: io.env ?? {} });
  // Notes (an organisation layer not consulted without a token) are `config check`'s to tell.
  if (outcome.ok) return outcome.config;
  io.stderr(`${formatLocatedConfigErrors(outcome.errors)}\n`);
  io.stderr(`fix the config (steward config check) and run again\n`);
  return null;
}

// Lives with UsageError, so commands that load no config (anomalies) check --format cheaply.
export { parseFormat } from './command.ts';

export function parsePositiveInt(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`${option} must be a whole number ≥ 1, got "${value}"`);
  return number;
}

/** What every repository analysis command reads the same way: where, how many threads, which config. */
export interface AnalysisContext {
  repoDir: string;
  config: StewardConfig;
  /** Spread into the run's options: threads and progress, only when given. */
  runOptions: { threads?: number; onProgress?: (message: string) => void };
}

/** Null when the config is invalid (the errors are printed; exit 1). */
export async function analysisContext(
  values: { repo?: string | undefined; threads?: string | undefined },
  io: CommandIO,
): Promise<AnalysisContext | null> {
  const threads =
    values.threads === undefined ? undefined : parsePositiveInt(values.threads, '--threads');
  const repoDir = resolve(io.cwd, values.repo ?? '.');
  const config = await loadRepoConfig(repoDir, io);
  if (!config) return null;
  return {
    repoDir,
    config,
    runOptions: {
      ...(threads ? { threads } : {}),
      ...(io.progress ? { onProgress: io.progress } : {}),
    },
  };
}

/**
 * Runs a repository analysis; a git problem (not a repository, a missing revision, a partial
 * clone) is printed with its hint and gives exit 1 instead of a stack trace.
 */
export async function exitOnGitError(
  command: string,
  io: CommandIO,
  run: () => Promise<number>,
): Promise<number> {
  try {
    return await run();
  } catch (error: unknown) {
    if (!(error instanceof GitError)) throw error;
    io.stderr(`steward ${command}: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
    return 1;
  }
}

/** A report to stdout, or to `out` (relative to the working directory) with a line saying where. */
export async function writeReport(
  io: CommandIO,
  output: string,
  out: string | undefined,
): Promise<void> {
  if (out === undefined) {
    io.stdout(output);
    return;
  }
  const path = resolve(io.cwd, out);
  await writeFile(path, output);
  io.stderr(`wrote ${relative(io.cwd, path) || path}\n`);
}
