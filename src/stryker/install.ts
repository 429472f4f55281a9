import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Steward's own, pinned Stryker for a repository that has none: installed with npm into a tool
 * directory outside the repository (never into it: the checkout stays as the pull request left it)
 * and reused by every later run on the machine.
 */

/** The Stryker release Steward installs: the one in Steward's own devDependencies. */
export const STRYKER_VERSION = '10.1.1';

/**
 * What one install holds. Each set is installed into a directory of its own
 * (`<tool root>/stryker/<version>/<runner>`). The runner plugins import their framework
 * (`vitest/node`, `mocha`) and the TypeScript checker imports `typescript` statically, so npm
 * installs those peers beside them; the vitest and mocha runners then load the repository's own
 * framework from the working directory (the repository), and the bundled copy stays unused.
 * vitest and typescript are pinned to Steward's own versions; mocha is left to npm (`>=7.2 <13`).
 * jest: @stryker-mutator/jest-runner has no 10.1.1 release (its latest is 10.0.0, whose peer is
 * core 10.0.0 exactly), so the jest set is the whole 10.0.0 release line.
 */
export interface StrykerToolSet {
  /** The Stryker release (the directory name). */
  version: string;
  /** Stryker's test runner name: vitest, jest, mocha or command. */
  runner: string;
  /** The runner plugin package, none for `command` (built into core). */
  runnerPlugin: string | undefined;
  /** Exact `name@version` specs npm installs. */
  packages: readonly string[];
}

const VITEST_VERSION = '5.1.1';
const TYPESCRIPT_VERSION = '5.9.3';
/** The latest @stryker-mutator/jest-runner (its peer is @stryker-mutator/core at the same version). */
export const JEST_RUNNER_VERSION = '10.0.0';

function strykerSet(version: string, runner: string, extra: readonly string[]): StrykerToolSet {
  const runnerPlugin = runner === 'command' ? undefined : `@stryker-mutator/${runner}-runner`;
  return {
    version,
    runner,
    runnerPlugin,
    packages: [
      `@stryker-mutator/core@${version}`,
      ...(runnerPlugin === undefined ? [] : [`${runnerPlugin}@${version}`]),
      `@stryker-mutator/typescript-checker@${version}`,
      `typescript@${TYPESCRIPT_VERSION}`,
      ...extra,
    ],
  };
}

const TOOL_SETS: Readonly<Record<string, StrykerToolSet>> = {
  vitest: strykerSet(STRYKER_VERSION, 'vitest', [`vitest@${VITEST_VERSION}`]),
  jest: strykerSet(JEST_RUNNER_VERSION, 'jest', []),
  mocha: strykerSet(STRYKER_VERSION, 'mocha', []),
  command: strykerSet(STRYKER_VERSION, 'command', []),
};

/** The set Steward installs for a test runner; undefined for runners it does not install (karma, …). */
export function toolSetFor(testRunner: string): StrykerToolSet | undefined {
  return Object.hasOwn(TOOL_SETS, testRunner) ? TOOL_SETS[testRunner] : undefined;
}

export const TOOL_DIR_ENV = 'STEWARD_TOOL_DIR';

/**
 * Where Steward keeps installed tools: `$STEWARD_TOOL_DIR`, else the Actions tool cache
 * (`$RUNNER_TOOL_CACHE/steward`), else `$XDG_CACHE_HOME/steward`, else `~/.cache/steward`.
 * Only Steward's own environment decides it, never the repository.
 */
export function defaultToolRoot(env: NodeJS.ProcessEnv): string {
  const set = (name: string): string | undefined =>
    env[name] !== undefined && env[name] !== '' ? env[name] : undefined;
  const explicit = set(TOOL_DIR_ENV);
  if (explicit !== undefined) return explicit;
  const runnerCache = set('RUNNER_TOOL_CACHE');
  if (runnerCache !== undefined) return join(runnerCache, 'steward');
  const xdg = set('XDG_CACHE_HOME');
  return join(xdg ?? join(set('HOME') ?? homedir(), '.cache'), 'steward');
}

export function toolDirFor(toolRoot: string, set: StrykerToolSet): string {
  return join(toolRoot, 'stryker', set.version, set.runner);
}

/** The command a person runs to do what Steward tried: install the set into the tool directory. */
export function installCommand(dir: string, set: StrykerToolSet): string {
  return `npm install --prefix ${JSON.stringify(dir)} --no-save --ignore-scripts ${set.packages.join(' ')}`;
}

export interface NpmResult {
  code: number | null;
  /** The tail of npm's output. */
  output: string;
}

/** Runs npm with these arguments; injectable so a test can see whether npm ran at all. */
export type NpmRun = (
  args: readonly string[],
  options: { cwd: string; env: Record<string, string> },
) => Promise<NpmResult>;

export interface ToolInstallOptions {
  /** The tool root (`<root>/stryker/<version>/<runner>`); default {@link defaultToolRoot}. */
  toolRoot?: string | undefined;
  /** The npm registry to install from, instead of the one npm's own config names. */
  registry?: string | undefined;
  /** npm's cache directory, instead of the one npm's own config names. */
  npmCache?: string | undefined;
  /** Steward's environment: npm gets only what it needs from it. Default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  runNpm?: NpmRun | undefined;
  /** npm's retries of a failed fetch (npm's default: 2, with back-off of up to a minute). */
  fetchRetries?: number | undefined;
}

export type ToolInstallResult =
  { ok: true; dir: string; installedNow: boolean } | { ok: false; message: string; hint: string };

const MARKER = 'steward-tools.json';

/**
 * What npm may see of Steward's environment: how to reach and authenticate to the registry the
 * machine is set up for (npm's user config, proxies, CA), never Steward's tokens or keys.
 * `npm_config_*` is limited to the settings that say where and how npm fetches; a repository's
 * `.npmrc` is never read (npm runs in the tool directory with it as the prefix).
 */
const NPM_ENV = [
  'PATH',
  'HOME',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'SystemRoot',
  'ComSpec',
  'PATHEXT',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LC_ALL',
  'CI',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
];
const NPM_CONFIG = new Set([
  'registry',
  'cache',
  'userconfig',
  'globalconfig',
  'proxy',
  'https_proxy',
  'noproxy',
  'cafile',
  'strict_ssl',
  'prefer_offline',
  'offline',
]);

/**
 * Under `npm run` / `npx` (npm_config_local_prefix or npm_lifecycle_event set), npm exports the
 * settings of the project it runs in, its `.npmrc` included, as npm_config_*: `npx steward mutate`
 * in a repository whose `.npmrc` names its own registry would hand that registry to Steward's
 * install. There, no npm_config_* is passed on, and npm reads the user's and the global config
 * files itself.
 */
export function npmEnvironment(from: NodeJS.ProcessEnv): Record<string, string> {
  const underNpm =
    from.npm_config_local_prefix !== undefined || from.npm_lifecycle_event !== undefined;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined) continue;
    const config = /^npm_config_(.+)$/i.exec(name)?.[1];
    if (
      NPM_ENV.includes(name) ||
      (!underNpm && config !== undefined && NPM_CONFIG.has(config.toLowerCase()))
    )
      env[name] = value;
  }
  return env;
}

export const runNpm: NpmRun = (args, { cwd, env }) =>
  new Promise((resolve) => {
    const child = spawn('npm', [...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => resolve({ code: null, output: `${output}${error.message}` }));
    child.on('close', (code) => resolve({ code, output }));
  });

function markerHolds(dir: string, set: StrykerToolSet): boolean {
  try {
    const marker = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as { packages?: unknown };
    return JSON.stringify(marker.packages) === JSON.stringify(set.packages);
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT' || error instanceof SyntaxError)
      return false;
    throw error;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * An exclusive lock beside the tool directory: a file created with O_EXCL holding the owner's
 * pid. A lock whose owner is gone (killed mid-install) is taken over; a live owner is waited for,
 * until its lock file disappears or it dies (a watch on the directory, re-checked every second
 * in case the watch misses an event).
 */
async function withLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error: unknown) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(readLock(lockFile) ?? '', 10);
    // An empty file is an owner between creating and writing it: wait like for a live one.
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    await lockReleased(lockFile, owner);
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function readLock(lockFile: string): string | undefined {
  try {
    return readFileSync(lockFile, 'utf8');
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

function lockReleased(lockFile: string, owner: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      watcher.close();
      clearInterval(timer);
      resolve();
    };
    const check = (): void => {
      if (!existsSync(lockFile) || (Number.isInteger(owner) && owner > 0 && !alive(owner))) done();
    };
    const watcher = watch(dirname(lockFile), check);
    const timer = setInterval(check, 1000);
    check();
  });
}

/** Resolves `pkg`'s ESM entry inside `dir`'s node_modules (what Stryker imports as a plugin). */
export function packageEntry(dir: string, pkg: string): string | undefined {
  const root = join(dir, 'node_modules', ...pkg.split('/'));
  let manifest: { exports?: unknown; main?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as typeof manifest;
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  const dot: unknown =
    typeof manifest.exports === 'object' && manifest.exports !== null
      ? (manifest.exports as Record<string, unknown>)['.']
      : manifest.exports;
  const entry: unknown =
    typeof dot === 'string'
      ? dot
      : typeof dot === 'object' && dot !== null
        ? ((dot as Record<string, unknown>).import ?? (dot as Record<string, unknown>).default)
        : manifest.main;
  const file = join(root, typeof entry === 'string' ? entry : 'index.js');
  return existsSync(file) ? file : undefined;
}

function packageName(spec: string): string {
  return spec.slice(0, spec.lastIndexOf('@'));
}

/**
 * Makes sure `set` is installed in its tool directory: reused when the marker (written last)
 * names exactly these packages, else installed again under the lock (a half-finished install has
 * no marker). npm runs with the tool directory as prefix and working directory, so it reads no
 * repository's `.npmrc`, and with --ignore-scripts, so installing runs no package's code.
 */
export async function ensureStrykerTools(
  set: StrykerToolSet,
  options: ToolInstallOptions = {},
): Promise<ToolInstallResult> {
  const env = options.env ?? process.env;
  const dir = toolDirFor(options.toolRoot ?? defaultToolRoot(env), set);
  if (markerHolds(dir, set)) return { ok: true, dir, installedNow: false };
  const failed = (why: string): ToolInstallResult => ({
    ok: false,
    message: `Steward could not install Stryker (${set.packages.join(', ')}) into ${dir}: ${why}`,
    hint: `run \`${installCommand(dir, set)}\` by hand, or add @stryker-mutator/core${set.runnerPlugin === undefined ? '' : ` and ${set.runnerPlugin}`} to the repository's devDependencies`,
  });
  try {
    mkdirSync(dirname(dir), { recursive: true });
  } catch (error: unknown) {
    return failed(error instanceof Error ? error.message : String(error));
  }
  return withLock(`${dir}.lock`, async () => {
    if (markerHolds(dir, set)) return { ok: true, dir, installedNow: false };
    // Whatever an interrupted install left is redone from scratch.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const args = [
      'install',
      '--prefix',
      dir,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--prefer-offline',
      '--no-update-notifier',
      ...(options.registry === undefined ? [] : ['--registry', options.registry]),
      ...(options.npmCache === undefined ? [] : ['--cache', options.npmCache]),
      ...(options.fetchRetries === undefined
        ? []
        : ['--fetch-retries', String(options.fetchRetries)]),
      ...set.packages,
    ];
    const result = await (options.runNpm ?? runNpm)(args, { cwd: dir, env: npmEnvironment(env) });
    if (result.code !== 0) {
      const tail = result.output.trim().split(/\r?\n/).slice(-6).join(' ').slice(-1500);
      return failed(`npm exited with code ${String(result.code)}: ${tail || 'no output'}`);
    }
    const missing = set.packages
      .map(packageName)
      .filter((pkg) => !existsSync(join(dir, 'node_modules', ...pkg.split('/'), 'package.json')));
    if (missing.length > 0) return failed(`npm finished but ${missing.join(', ')} is missing`);
    const marker = join(dir, `${MARKER}.${String(process.pid)}`);
    writeFileSync(marker, JSON.stringify({ packages: set.packages }));
    renameSync(marker, join(dir, MARKER));
    return { ok: true, dir, installedNow: true };
  });
}
