import { formatPath } from '../src/config/format.ts';
import { CONFIG_PATH } from '../src/config/load.ts';
import { parseConfig } from '../src/config/parse.ts';
import type { ConfigError } from '../src/config/parse.ts';
import { stewardConfigSchema } from '../src/config/schema.ts';
import type { StewardConfig } from '../src/config/schema.ts';
import { mergeConfigLayers } from '../src/app/config-layers.ts';
import type { RepoRef } from '../src/github/types.ts';

/**
 * The repository's Steward config as Probot reads app configs: `.github/steward.yml` on the
 * default branch (never a pull request's head), else the owner's `.github` repository, following
 * `_extends`. It is the call `context.config()` makes, kept whole because the list of files it
 * read is what lets an invalid config be reported by file, line and column.
 */

/** One file the config was read from, or looked for. */
export interface ConfigSource {
  owner: string;
  repo: string;
  path: string;
  found: boolean;
}

export interface LocatedConfigError {
  /** `owner/repo:path`, as the error list shows it. */
  file: string;
  error: ConfigError;
}

export type RepoConfigOutcome =
  | {
      ok: true;
      config: StewardConfig;
      /** The files' settings merged, as written (before defaults): what `/steward config` shows. */
      merged: object;
      sources: ConfigSource[];
    }
  | { ok: false; errors: LocatedConfigError[]; sources: ConfigSource[] };

interface ConfigFile {
  owner: string;
  repo: string;
  path: string;
  url: string;
  config: unknown;
}

/** What this module uses of Probot's context.octokit: the config plugin and plain requests. */
export interface ConfigOctokit {
  config: {
    get(options: {
      owner: string;
      repo: string;
      path: string;
      defaults: (configs: object[]) => object;
    }): Promise<{ config: object; files: ConfigFile[] }>;
  };
  request(route: string, parameters?: Record<string, unknown>): Promise<{ data: unknown }>;
}

const PLUGIN_PREFIX = /^\[@probot\/octokit-plugin-config\]\s*/;

export async function loadRepoConfig(
  octokit: ConfigOctokit,
  repo: RepoRef,
): Promise<RepoConfigOutcome> {
  let read: { config: object; files: ConfigFile[] };
  try {
    read = await octokit.config.get({
      owner: repo.owner,
      repo: repo.repo,
      path: CONFIG_PATH,
      defaults: (configs) => mergeConfigLayers(configs),
    });
  } catch (error: unknown) {
    if (error instanceof Error && PLUGIN_PREFIX.test(error.message))
      return { ok: false, errors: await pluginErrors(octokit, error), sources: [] };
    throw error;
  }
  const sources = read.files.map((f) => ({
    owner: f.owner,
    repo: f.repo,
    path: f.path,
    found: f.config !== null,
  }));
  const found = read.files.filter((f) => f.config !== null);
  const parsed = stewardConfigSchema.safeParse(read.config);
  if (parsed.success && found.every((f) => isMap(f.config))) {
    return { ok: true, config: parsed.data, merged: read.config, sources };
  }
  const errors: LocatedConfigError[] = [];
  for (const file of found) errors.push(...(await fileErrors(octokit, file)));
  if (errors.length === 0 && !parsed.success) {
    // Each file is valid alone but not together: say so without a position.
    const file = found.map(label).join(' + ');
    for (const issue of parsed.error.issues) {
      errors.push({
        file,
        error: { path: formatPath(issue.path), line: 0, column: 0, message: issue.message },
      });
    }
  }
  return { ok: false, errors, sources };
}

function isMap(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function label(file: { owner: string; repo: string; path: string }): string {
  return `${file.owner}/${file.repo}:${file.path}`;
}

/** The file's own errors, by line, from its text; `_extends` is the plugin's key, not ours. */
async function fileErrors(
  octokit: ConfigOctokit,
  file: Omit<ConfigFile, 'config' | 'url'>,
): Promise<LocatedConfigError[]> {
  const text = await fileText(octokit, file);
  if (text === null) return [];
  const result = parseConfig(text, file.path);
  if (result.ok) return [];
  return result.errors
    .filter((error) => !(error.path === '_extends' && error.message.startsWith('unknown key')))
    .map((error) => ({ file: label(file), error }));
}

async function fileText(
  octokit: ConfigOctokit,
  file: { owner: string; repo: string; path: string },
): Promise<string | null> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: file.owner,
      repo: file.repo,
      path: file.path,
      mediaType: { format: 'raw' },
    });
    return typeof data === 'string' ? data : null;
  } catch (error: unknown) {
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
}

/**
 * The plugin stops at the first file it cannot use (YAML it cannot parse, a bad `_extends`, a
 * loop) and names that file by its API URL; parse that file's text for the line, or pass the
 * plugin's own words on.
 */
async function pluginErrors(octokit: ConfigOctokit, error: Error): Promise<LocatedConfigError[]> {
  const message = error.message.replace(PLUGIN_PREFIX, '');
  const match = /\/repos\/([^/\s]+)\/([^/\s]+)\/contents\/(\S+?)(?:\?\S*)?(?:\s|$)/.exec(message);
  const file = match
    ? {
        owner: decodeURIComponent(match[1]!),
        repo: decodeURIComponent(match[2]!),
        path: decodeURIComponent(match[3]!),
      }
    : null;
  if (file) {
    const located = await fileErrors(octokit, file);
    if (located.length > 0) return located;
  }
  const where = file ? label(file) : `${CONFIG_PATH} (or what it extends)`;
  const readable = message.replace(/\s*(?:from|in)\s+\S+\/repos\/\S+/, '');
  return [{ file: where, error: { path: '', line: 0, column: 0, message: readable } }];
}
