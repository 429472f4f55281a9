import type { RepoRef } from '../github/client.ts';

/** One config file: a path in a repository, at a ref (the repository's default branch when absent). */
export interface ConfigLocation {
  /** Null for a local checkout whose GitHub repository is not known (no GitHub remote). */
  repo: RepoRef | null;
  path: string;
  ref?: string;
}

export type ConfigRead =
  | { kind: 'text'; text: string }
  /** The file, or the repository holding it, does not exist (GitHub answers both with 404). */
  | { kind: 'missing' }
  /** Over MAX_CONFIG_BYTES, found without reading it all; `bytes` null when the size is unknown. */
  | { kind: 'too-large'; bytes: number | null }
  /** The reader cannot reach it, for a reason the user can act on (no token for GitHub). */
  | { kind: 'unavailable'; reason: string };

/**
 * How the config loader reads files: the GitHub API for a repository at a ref (the app and the
 * actions), the filesystem for a local checkout and GitHub for what it extends (the CLI).
 * Failures other than a missing file are thrown.
 */
export interface ConfigReader {
  read(location: ConfigLocation): Promise<ConfigRead>;
  /** How errors and the list of sources name the file: `owner/repo:path`, or a local path. */
  label(location: ConfigLocation): string;
}

/** `owner/repo:path`, how a file in a GitHub repository is named in reports. */
export function repositoryLabel(location: ConfigLocation): string {
  return location.repo === null
    ? location.path
    : `${location.repo.owner}/${location.repo.repo}:${location.path}`;
}
