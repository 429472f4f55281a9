import type { RepoRef } from '../github/client.ts';
import { parseExtends } from './extends.ts';
import { mergeConfigLayers } from './layers.ts';
import { MAX_EXTENDS_DEPTH, tooLargeMessage } from './limits.ts';
import { parseConfig } from './parse.ts';
import type { ConfigError } from './parse.ts';
import { CONFIG_PATH } from './path.ts';
import type { ConfigLocation, ConfigReader } from './reader.ts';
import { stewardConfigSchema } from './schema.ts';
import type { StewardConfig } from './schema.ts';
import { formatPath } from './format.ts';

/**
 * The one config loader every face uses. It reads the repository's `.github/steward.yml` at a ref
 * (for pull-request events the base branch, never the head), falls back to the organisation's
 * `.github` repository when the repository has none, follows `_extends` (checked before anything
 * is requested, at most MAX_EXTENDS_DEPTH files deep, loops refused), validates each file on its
 * own so every error carries its file, line and column, and merges the files nearest first: maps
 * key by key, anything else (a list, a number) taken whole from the nearer file.
 */

/** One file the config was read from, or looked for. */
export interface ConfigSource {
  /** How reports name it: `owner/repo:path`, or a local path for the CLI's own checkout. */
  label: string;
  repo: RepoRef | null;
  path: string;
  /** The ref it was read at; absent for a repository's default branch or a local file. */
  ref?: string;
  found: boolean;
}

export interface LocatedConfigError {
  /** The file's label; several joined by " + " when only their combination is wrong. */
  file: string;
  error: ConfigError;
}

export type ConfigOutcome =
  | {
      ok: true;
      config: StewardConfig;
      /** The files' settings merged, as written (before defaults): what `/steward config` shows. */
      merged: Record<string, unknown>;
      /** Nearest first: the files looked for, found or not. */
      sources: ConfigSource[];
      /** Said to the user beside the result (a layer that could not be consulted). */
      notes: string[];
    }
  | { ok: false; errors: LocatedConfigError[]; sources: ConfigSource[]; notes: string[] };

export interface LoadConfigOptions {
  reader: ConfigReader;
  /** The repository whose config this is; null for a local checkout with no GitHub remote. */
  repo: RepoRef | null;
  /** Where the repository's config is read: the pull request's base branch or a SHA. */
  ref?: string;
  /** The repository's config file (default `.github/steward.yml`). */
  path?: string;
}

/** The organisation-wide settings live in this repository of the owner. */
const ORG_REPO = '.github';

interface Layer {
  location: ConfigLocation;
  data: Record<string, unknown>;
}

export async function loadConfig(options: LoadConfigOptions): Promise<ConfigOutcome> {
  const { reader } = options;
  const path = options.path ?? CONFIG_PATH;
  const sources: ConfigSource[] = [];
  const notes: string[] = [];
  const errors: LocatedConfigError[] = [];
  const layers: Layer[] = [];

  const source = (location: ConfigLocation, found: boolean): void => {
    sources.push({
      label: reader.label(location),
      repo: location.repo,
      path: location.path,
      ...(location.ref === undefined ? {} : { ref: location.ref }),
      found,
    });
  };

  const home: ConfigLocation = {
    repo: options.repo,
    path,
    ...(options.ref === undefined ? {} : { ref: options.ref }),
  };
  let first = home;
  let read = await reader.read(home);
  if (read.kind === 'unavailable') {
    // The repository's own file is what everything else hangs on: no fallback past it.
    source(home, false);
    errors.push({ file: reader.label(home), error: whole(`cannot be read: ${read.reason}`) });
    return { ok: false, errors, sources, notes };
  }
  if (read.kind === 'missing') {
    source(home, false);
    const org = options.repo;
    if (org === null || org.repo.toLowerCase() === ORG_REPO) {
      return finish();
    }
    first = { repo: { owner: org.owner, repo: ORG_REPO }, path };
    read = await reader.read(first);
    if (read.kind === 'unavailable') {
      notes.push(
        `the organisation's settings (${reader.label(first)}) were not consulted: ${read.reason}`,
      );
      return finish();
    }
    if (read.kind === 'missing') {
      source(first, false);
      return finish();
    }
  }

  // Follow the chain from the first file found, each file's `_extends` naming the next.
  const chain: string[] = [];
  let location = first;
  let current = read;
  for (;;) {
    source(location, true);
    chain.push(keyOf(location));
    const label = reader.label(location);
    if (current.kind === 'too-large') {
      errors.push({ file: label, error: whole(tooLargeMessage(current.bytes)) });
      break;
    }
    const parsed = parseConfig(current.text, label);
    if (!parsed.ok) {
      errors.push(...parsed.errors.map((error) => ({ file: label, error })));
      break;
    }
    const { _extends: extendsValue, ...data } = parsed.data;
    layers.push({ location, data });
    if (typeof extendsValue !== 'string') break;

    const at = (message: string) => ({
      file: label,
      error: { ...parsed.extendsAt!, path: '_extends', message },
    });
    const target = parseExtends(extendsValue);
    if (!target.ok) {
      // parseConfig has reported it already; kept for the type's sake.
      errors.push(at(target.message));
      break;
    }
    const owner = target.target.owner ?? location.repo?.owner;
    if (owner === undefined) {
      errors.push(
        at(
          `${JSON.stringify(extendsValue)} names no owner, and this checkout has no GitHub remote to take it from; write owner/${target.target.repo}, or add the GitHub remote`,
        ),
      );
      break;
    }
    const repo = { owner, repo: target.target.repo };
    const sameRepo = location.repo !== null && sameRepository(location.repo, repo);
    const next: ConfigLocation = {
      repo,
      path: target.target.path ?? location.path,
      // A file in the same repository is read at the same ref; another repository at its default branch.
      ...(sameRepo && location.ref !== undefined ? { ref: location.ref } : {}),
    };
    const nextKey = keyOf(next);
    if (chain.includes(nextKey)) {
      errors.push(
        at(
          `extends ${reader.label(next)}, which is already in the chain (${[...chain, nextKey].join(' → ')}); remove the _extends that loops back`,
        ),
      );
      break;
    }
    if (chain.length > MAX_EXTENDS_DEPTH) {
      errors.push(
        at(
          `extends ${reader.label(next)}, one more than the ${MAX_EXTENDS_DEPTH} files an _extends chain may add to the first (${chain.join(' → ')}); extend a file nearer the end of the chain`,
        ),
      );
      break;
    }
    const nextRead = await reader.read(next);
    if (nextRead.kind === 'missing' || nextRead.kind === 'unavailable') {
      source(next, false);
      errors.push(
        at(
          nextRead.kind === 'missing'
            ? `extends ${reader.label(next)}, which does not exist (or Steward cannot see that repository); fix _extends or remove it`
            : `extends ${reader.label(next)}, which cannot be read: ${nextRead.reason}`,
        ),
      );
      break;
    }
    location = next;
    current = nextRead;
  }
  return finish();

  function finish(): ConfigOutcome {
    if (errors.length > 0) return { ok: false, errors, sources, notes };
    const merged = mergeConfigLayers(layers.map((layer) => layer.data).reverse());
    const result = stewardConfigSchema.safeParse(merged);
    if (result.success) return { ok: true, config: result.data, merged, sources, notes };
    // Each file is valid alone but not together: say so without a position.
    const file = layers.map((layer) => reader.label(layer.location)).join(' + ');
    for (const issue of result.error.issues) {
      errors.push({ file, error: { ...whole(issue.message), path: formatPath(issue.path) } });
    }
    return { ok: false, errors, sources, notes };
  }
}

function whole(message: string): ConfigError {
  return { path: '', line: 0, column: 0, message };
}

function sameRepository(a: RepoRef, b: RepoRef): boolean {
  return (
    a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase()
  );
}

/** GitHub's names are case-insensitive: `Acme/Shared` and `acme/shared` are one repository. */
function keyOf(location: ConfigLocation): string {
  const repo =
    location.repo === null ? '' : `${location.repo.owner}/${location.repo.repo}`.toLowerCase();
  return `${repo}:${location.path}${location.ref === undefined ? '' : `@${location.ref}`}`;
}
