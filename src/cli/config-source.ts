import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { loadConfig } from '../config/loader.ts';
import type { ConfigOutcome } from '../config/loader.ts';
import { CONFIG_PATH } from '../config/path.ts';
import { repositoryLabel } from '../config/reader.ts';
import type { ConfigLocation, ConfigRead, ConfigReader } from '../config/reader.ts';
import { GitError } from '../revision/errors.ts';
import { runGit } from '../git/process.ts';
import type { RepoRef } from '../github/client.ts';

/**
 * The CLI's side of the one config loader: the repository's own file from the checkout, found at
 * the git top level (so a command run from a subdirectory uses the repository's config), and
 * whatever it extends, or the organisation's `.github` fallback, from GitHub with GITHUB_TOKEN
 * (or GH_TOKEN). Without a token nothing is requested: a missing organisation layer is a note, an
 * `_extends` that cannot be followed is an error saying what to set.
 */

export interface CliConfig {
  outcome: ConfigOutcome;
  /** The top level of the checkout (the directory itself when it is not in a git repository). */
  root: string;
  /** The repository's own file, as the output names it. */
  label: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export async function loadCliConfig(options: {
  /** Where the command looks from (`--repo`, or the working directory). */
  dir: string;
  /** The working directory, to name files relative to it. */
  cwd: string;
  env: Env;
  /** A config file other than `.github/steward.yml`, absolute. */
  file?: string;
}): Promise<CliConfig> {
  const { root, remote } = await checkout(options.dir);
  const repo = repositoryOf(options.env, remote);
  const path = options.file === undefined ? CONFIG_PATH : relative(root, options.file);
  const reader = cliReader({ root, repo, cwd: options.cwd, env: options.env, remote });
  const outcome = await loadConfig({ reader, repo, path });
  return { outcome, root, label: reader.label({ repo, path }) };
}

async function checkout(dir: string): Promise<{ root: string; remote: string | null }> {
  try {
    const [top, url] = await Promise.all([
      runGit(['rev-parse', '--show-toplevel'], { cwd: dir, acceptExitCodes: [0, 128] }),
      runGit(['config', '--get', 'remote.origin.url'], { cwd: dir, acceptExitCodes: [0, 1, 128] }),
    ]);
    const root = top.exitCode === 0 && top.stdout.trim() !== '' ? top.stdout.trim() : dir;
    const remote = url.exitCode === 0 && url.stdout.trim() !== '' ? url.stdout.trim() : null;
    return { root, remote };
  } catch (error: unknown) {
    // No git at all: the directory is all there is, and the config is read from it.
    if (error instanceof GitError) return { root: dir, remote: null };
    throw error;
  }
}

const OWNER = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/;
const REPO = /^[\w.-]{1,100}$/;

/** GITHUB_REPOSITORY when set (in a workflow), else the origin remote's owner and name. */
function repositoryOf(env: Env, remote: string | null): RepoRef | null {
  const named = env['GITHUB_REPOSITORY']?.trim();
  const pair = named ? named : remote === null ? null : remotePath(remote);
  if (pair === null) return null;
  const [owner, repo, ...rest] = pair.split('/');
  if (rest.length > 0 || !owner || !repo || !OWNER.test(owner) || !REPO.test(repo)) return null;
  if (repo === '.' || repo === '..') return null;
  return { owner, repo };
}

/** `owner/repo` of a remote URL: https://host/owner/repo.git, git@host:owner/repo.git, ssh://… */
function remotePath(url: string): string | null {
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+?)(?:\.git)?\/?$/.exec(url);
  if (scp) return scp[2]!;
  if (!URL.canParse(url)) return null;
  return new URL(url).pathname.replace(/^\//, '').replace(/(?:\.git)?\/?$/, '');
}

/** The API of the remote's host: api.github.com, or GitHub Enterprise's /api/v3; GITHUB_API_URL wins. */
function apiUrl(env: Env, remote: string | null): string {
  const set = env['GITHUB_API_URL']?.trim();
  if (set) return set;
  const host = remote === null ? null : remoteHost(remote);
  return host === null || host === 'github.com'
    ? 'https://api.github.com'
    : `https://${host}/api/v3`;
}

function remoteHost(url: string): string | null {
  const scp = /^[\w.-]+@([\w.-]+):/.exec(url);
  if (scp) return scp[1]!;
  return URL.canParse(url) ? new URL(url).hostname : null;
}

function cliReader(options: {
  root: string;
  repo: RepoRef | null;
  cwd: string;
  env: Env;
  remote: string | null;
}): ConfigReader {
  const { root, repo, cwd, env } = options;
  const local = (location: ConfigLocation) =>
    location.ref === undefined &&
    (location.repo === null ||
      (repo !== null &&
        location.repo.owner.toLowerCase() === repo.owner.toLowerCase() &&
        location.repo.repo.toLowerCase() === repo.repo.toLowerCase()));
  const token = env['GITHUB_TOKEN']?.trim() || env['GH_TOKEN']?.trim() || '';
  let remoteReader: Promise<ConfigReader> | undefined;
  const github = () =>
    (remoteReader ??= (async () => {
      // Loaded only when a file lives on GitHub: most runs never need Octokit.
      const [{ createActionsOctokit }, { createGitHubConfigReader }] = await Promise.all([
        import('../github/actions-octokit.ts'),
        import('../github/config-reader.ts'),
      ]);
      const octokit = createActionsOctokit({
        token,
        baseUrl: apiUrl(env, options.remote),
        warn: () => undefined,
      });
      return createGitHubConfigReader(octokit);
    })());

  return {
    label: (location) =>
      local(location) ? shown(join(root, location.path), cwd) : repositoryLabel(location),
    async read(location): Promise<ConfigRead> {
      if (local(location)) return readLocal(resolve(root, location.path));
      if (token === '')
        return {
          kind: 'unavailable',
          reason: `it is on GitHub and no GITHUB_TOKEN (or GH_TOKEN) is set; set one that can read ${location.repo === null ? 'it' : `${location.repo.owner}/${location.repo.repo}`} (for example GITHUB_TOKEN=$(gh auth token))`,
        };
      return (await github()).read(location);
    },
  };
}

async function readLocal(path: string): Promise<ConfigRead> {
  try {
    return { kind: 'text', text: await readFile(path, 'utf8') };
  } catch (error: unknown) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT')
      return { kind: 'missing' };
    throw error;
  }
}

/** Relative to where the user stands when that is inside it, so lines are short and clickable. */
export function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !isAbsolute(rel) && !rel.startsWith('..') ? rel : path;
}
