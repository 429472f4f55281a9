import { readFile } from 'node:fs/promises';
import type { GitHubClient } from '../github/client.ts';
import { formatConfigErrors } from './format.ts';
import { CONFIG_PATH } from './path.ts';
import { parseConfig } from './parse.ts';
import type { ConfigError } from './parse.ts';
import { defaultConfig } from './schema.ts';
import type { StewardConfig } from './schema.ts';

export { CONFIG_PATH };

/** A config file that exists but does not validate; the message lists every error by line. */
export class ConfigInvalidError extends Error {
  readonly errors: readonly ConfigError[];
  readonly file: string;

  constructor(errors: readonly ConfigError[], file: string) {
    const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
    super(`${file} has ${count}:\n${formatConfigErrors(errors, file)}`);
    this.name = 'ConfigInvalidError';
    this.errors = errors;
    this.file = file;
  }
}

/**
 * The config of a repository at `baseRef`; defaults when the file does not exist there.
 *
 * For pull-request events pass the pull request's BASE branch (or base SHA), never its head: the
 * config decides what may be merged, so a pull request must not be able to loosen the rules it is
 * judged by.
 *
 * @throws ConfigInvalidError when the file exists but does not validate.
 */
export async function loadConfigFromRepo(
  client: Pick<GitHubClient, 'getFileText'>,
  baseRef: string,
): Promise<StewardConfig> {
  return configFromText(await client.getFileText(CONFIG_PATH, baseRef));
}

/**
 * The config from the text of `.github/steward.yml` as already read (null when the file does not
 * exist), for callers that fetched it with other data in one request.
 *
 * @throws ConfigInvalidError when the text does not validate.
 */
export function configFromText(text: string | null, file = CONFIG_PATH): StewardConfig {
  return text === null ? defaultConfig() : parsedOrThrow(text, file);
}

export interface LoadedConfig {
  config: StewardConfig;
  /** False when the file does not exist and `config` is the defaults. */
  found: boolean;
  /** Said to the user when something about the load deserves a mention (a missing file). */
  note?: string;
}

/**
 * The config in a local file, for the CLI. A missing file means defaults, with a note saying so;
 * other read failures (a directory, no permission) are thrown as they are.
 *
 * @throws ConfigInvalidError when the file exists but does not validate.
 */
export async function loadConfigFromFile(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    if (isNotFound(error)) {
      return { config: defaultConfig(), found: false, note: `no ${path}; using defaults` };
    }
    throw error;
  }
  return { config: parsedOrThrow(text, path), found: true };
}

function parsedOrThrow(text: string, file: string): StewardConfig {
  const result = parseConfig(text, file);
  if (!result.ok) throw new ConfigInvalidError(result.errors, file);
  return result.config;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
