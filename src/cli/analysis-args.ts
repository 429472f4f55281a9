import { join } from 'node:path';
import { formatConfigErrors } from '../config/format.ts';
import { CONFIG_PATH, ConfigInvalidError, loadConfigFromFile } from '../config/load.ts';
import type { StewardConfig } from '../config/schema.ts';
import { UsageError, type CommandIO } from './command.ts';

/** The repository's own config; on errors they are printed and null returned (exit 1). */
export async function loadRepoConfig(
  repoDir: string,
  io: CommandIO,
): Promise<StewardConfig | null> {
  try {
    return (await loadConfigFromFile(join(repoDir, CONFIG_PATH))).config;
  } catch (error: unknown) {
    if (!(error instanceof ConfigInvalidError)) throw error;
    io.stderr(`${formatConfigErrors(error.errors, CONFIG_PATH)}\n`);
    io.stderr(`fix ${CONFIG_PATH} (steward config check) and run again\n`);
    return null;
  }
}

export function parseFormat<const F extends string>(
  value: string | undefined,
  formats: readonly F[],
  fallback: F,
): F {
  if (value === undefined) return fallback;
  if ((formats as readonly string[]).includes(value)) return value as F;
  throw new UsageError(`--format must be one of ${formats.join(', ')}, got "${value}"`);
}

export function parsePositiveInt(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`${option} must be a whole number ≥ 1, got "${value}"`);
  return number;
}
