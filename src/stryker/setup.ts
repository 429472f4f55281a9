import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { untrustedEnvironment } from './environment.ts';
import {
  JEST_RUNNER_VERSION,
  TOOL_DIR_ENV,
  packageEntry,
  toolSetFor,
  type StrykerToolSet,
  type ToolInstallResult,
} from './install.ts';

/**
 * What Steward finds in a repository before starting Stryker: the Stryker to run (the repository's
 * own), its config file, the test runner and whether its plugin and the TypeScript checker resolve.
 */

/** The file names Stryker itself looks for, in its order (core/src/config/config-file-formats.ts). */
export const STRYKER_CONFIG_FILES: readonly string[] = ['', '.'].flatMap((prefix) =>
  ['.conf', '.config'].flatMap((suffix) =>
    ['json', 'js', 'mjs', 'cjs'].map((ext) => `${prefix}stryker${suffix}.${ext}`),
  ),
);

/** The plugin package of each Stryker test runner; `command` is built into core. */
export const RUNNER_PLUGINS: Readonly<Record<string, string>> = {
  vitest: '@stryker-mutator/vitest-runner',
  jest: '@stryker-mutator/jest-runner',
  mocha: '@stryker-mutator/mocha-runner',
  karma: '@stryker-mutator/karma-runner',
  jasmine: '@stryker-mutator/jasmine-runner',
  tap: '@stryker-mutator/tap-runner',
  cucumber: '@stryker-mutator/cucumber-runner',
};

export const TYPESCRIPT_CHECKER = '@stryker-mutator/typescript-checker';

export interface StrykerSetup {
  /** Absolute path of @stryker-mutator/core's entry, resolved from the repository. */
  coreEntry: string;
  /** The repository's Stryker config file name, if any, and what it holds. */
  configFile: string | undefined;
  config: Record<string, unknown>;
  testRunner: string;
  /** Whether Steward chose the runner (no `testRunner` in the config). */
  testRunnerDetected: boolean;
  useTypeScriptChecker: boolean;
  /**
   * Absolute paths of the plugin modules (runner, TypeScript checker) when Stryker comes from
   * Steward's tool directory; undefined when it is the repository's own.
   */
  toolPlugins: string[] | undefined;
  /** What the faces tell the user about how Stryker was found (Steward installed it). */
  notice: string | undefined;
}

export interface SetupOptions {
  /**
   * Installs (or reuses) Steward's pinned Stryker for a test runner when the repository has none.
   * Absent: a repository without Stryker is a setup failure naming the npm command.
   */
  installTools?: ((set: StrykerToolSet) => Promise<ToolInstallResult>) | undefined;
}

export type SetupResult =
  { ok: true; setup: StrykerSetup } | { ok: false; message: string; hint: string };

function resolveFrom(root: string, specifier: string): string | undefined {
  try {
    return createRequire(join(root, 'package.json')).resolve(specifier);
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') return undefined;
    if ((error as { code?: string }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return specifier;
    throw error;
  }
}

function readPackageJson(root: string): Record<string, unknown> {
  const file = join(root, 'package.json');
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

/** vitest, jest or mocha from the package's dependencies (in that order), else Stryker's `command` runner. */
export function detectTestRunner(packageJson: Record<string, unknown>): string {
  const deps = new Set<string>();
  for (const key of ['dependencies', 'devDependencies']) {
    const section = packageJson[key];
    if (typeof section === 'object' && section !== null)
      Object.keys(section).forEach((d) => deps.add(d));
  }
  return ['vitest', 'jest', 'mocha'].find((runner) => deps.has(runner)) ?? 'command';
}

/** The options Steward reads from a config: JSON-safe values are enough for these. */
const READ_KEYS = ['testRunner', 'checkers', 'tsconfigFile', 'plugins', 'ignorers', 'mutate'];

/**
 * A JavaScript config is the repository's code: it is evaluated in a process of its own with the
 * untrusted environment (never in Steward's process, which holds the tokens), and only the options
 * Steward needs come back, as JSON.
 */
function readJavaScriptConfig(root: string, name: string): Promise<unknown> {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(join(root, name)).href)});
const c = m.default;
const out = c !== null && typeof c === 'object' && !Array.isArray(c)
  ? Object.fromEntries(${JSON.stringify(READ_KEYS)}.filter((k) => k in c).map((k) => [k, c[k]]))
  : null;
process.stdout.write(JSON.stringify(out));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env: untrustedEnvironment(process.env, {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0)
        reject(new Error(`it failed to load: ${err.trim() || `exit code ${String(code)}`}`));
      else resolve(JSON.parse(out) as unknown);
    });
  });
}

async function readConfig(root: string, name: string): Promise<Record<string, unknown>> {
  const value: unknown = name.endsWith('.json')
    ? JSON.parse(readFileSync(join(root, name), 'utf8'))
    : await readJavaScriptConfig(root, name);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('it must hold (or export as default) one object of Stryker options');
  }
  return value as Record<string, unknown>;
}

export async function findStrykerSetup(
  root: string,
  options: SetupOptions = {},
): Promise<SetupResult> {
  const configFile = STRYKER_CONFIG_FILES.find((name) => existsSync(join(root, name)));
  let config: Record<string, unknown> = {};
  let packageJson: Record<string, unknown>;
  try {
    packageJson = readPackageJson(root);
  } catch (error: unknown) {
    return {
      ok: false,
      message: `package.json in ${root} is not valid JSON: ${String(error)}`,
      hint: 'fix package.json',
    };
  }
  if (configFile !== undefined) {
    try {
      config = await readConfig(root, configFile);
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        message: `${configFile}: ${reason}`,
        hint: `fix ${configFile} so Stryker can read it`,
      };
    }
  }
  const configured = config.testRunner;
  if (configured !== undefined && typeof configured !== 'string') {
    return {
      ok: false,
      message: `${configFile}: testRunner must be a string`,
      hint: 'set testRunner to e.g. "vitest"',
    };
  }
  const testRunner = configured ?? detectTestRunner(packageJson);
  const tsconfig = typeof config.tsconfigFile === 'string' ? config.tsconfigFile : 'tsconfig.json';
  const wantsChecker = config.checkers === undefined && existsSync(join(root, tsconfig));
  const base = {
    configFile,
    config,
    testRunner,
    testRunnerDetected: configured === undefined,
  };
  const coreEntry = resolveFrom(root, '@stryker-mutator/core');
  if (coreEntry === undefined) {
    if (options.installTools === undefined) {
      return {
        ok: false,
        message: `@stryker-mutator/core is not installed in ${root}`,
        hint: 'add it with `npm install --save-dev @stryker-mutator/core` and the runner for your tests (e.g. @stryker-mutator/vitest-runner)',
      };
    }
    const tools = await installedTools(root, testRunner, packageJson, options.installTools);
    if (!tools.ok) return tools;
    return {
      ok: true,
      setup: {
        ...base,
        coreEntry: tools.coreEntry,
        useTypeScriptChecker: wantsChecker,
        toolPlugins: [
          ...(tools.runnerEntry === undefined ? [] : [tools.runnerEntry]),
          ...(wantsChecker ? [tools.checkerEntry] : []),
        ],
        notice: tools.notice,
      },
    };
  }
  const plugin = RUNNER_PLUGINS[testRunner];
  const coreDir = join(coreEntry, '..');
  if (
    plugin !== undefined &&
    resolveFrom(root, plugin) === undefined &&
    resolveFrom(coreDir, plugin) === undefined
  ) {
    return {
      ok: false,
      message: `Stryker's ${testRunner} test runner plugin ${plugin} is not installed in ${root}`,
      hint:
        testRunner === 'jest'
          ? `add it with \`npm install --save-dev --save-exact ${plugin}@${JEST_RUNNER_VERSION} @stryker-mutator/core@${JEST_RUNNER_VERSION}\` (the jest runner has no release past ${JEST_RUNNER_VERSION} and needs core at its own version), or remove @stryker-mutator/core so Steward installs that pair itself`
          : `add it with \`npm install --save-dev ${plugin}\` (the same version as @stryker-mutator/core)`,
    };
  }
  const useTypeScriptChecker =
    wantsChecker &&
    (resolveFrom(root, TYPESCRIPT_CHECKER) !== undefined ||
      resolveFrom(coreDir, TYPESCRIPT_CHECKER) !== undefined);
  return {
    ok: true,
    setup: { ...base, coreEntry, useTypeScriptChecker, toolPlugins: undefined, notice: undefined },
  };
}

type InstalledTools =
  | {
      ok: true;
      coreEntry: string;
      runnerEntry: string | undefined;
      checkerEntry: string;
      notice: string;
    }
  | { ok: false; message: string; hint: string };

/**
 * The repository has no Stryker: Steward's pinned one for its test runner, installed into the
 * tool directory (or reused from it). The framework itself stays the repository's: without it
 * installed (dependencies not installed yet) there is nothing for Stryker to run.
 */
async function installedTools(
  root: string,
  testRunner: string,
  packageJson: Record<string, unknown>,
  install: (set: StrykerToolSet) => Promise<ToolInstallResult>,
): Promise<InstalledTools> {
  const missing = `@stryker-mutator/core is not installed in ${root}`;
  const ownHint =
    'or add it with `npm install --save-dev @stryker-mutator/core` and the runner for your tests (e.g. @stryker-mutator/vitest-runner)';
  const set = toolSetFor(testRunner);
  if (set === undefined) {
    return {
      ok: false,
      message: `${missing}, and Steward installs Stryker itself only for vitest, jest, mocha or a test script, not for the ${testRunner} runner`,
      hint: `add it with \`${['npm install --save-dev @stryker-mutator/core', RUNNER_PLUGINS[testRunner]].filter((p) => p !== undefined).join(' ')}\``,
    };
  }
  if (set.runner === 'command') {
    const scripts = packageJson.scripts;
    const test =
      typeof scripts === 'object' && scripts !== null
        ? (scripts as Record<string, unknown>).test
        : undefined;
    if (typeof test !== 'string' || test.trim() === '') {
      return {
        ok: false,
        message: `${missing}, and the package uses none of vitest, jest or mocha and has no \`test\` script for Stryker's command runner`,
        hint: `add a \`test\` script to package.json, ${ownHint}`,
      };
    }
  } else if (resolveFrom(root, `${set.runner}/package.json`) === undefined) {
    return {
      ok: false,
      message: `${missing}, and neither is the repository's ${set.runner}, which Stryker would run: install the project's dependencies first (e.g. \`npm ci\`)`,
      hint: `install the dependencies so Steward can add its pinned Stryker, ${ownHint}`,
    };
  }
  const installed = await install(set);
  if (!installed.ok) return installed;
  const entry = (pkg: string): string | undefined => packageEntry(installed.dir, pkg);
  const coreEntry = entry('@stryker-mutator/core');
  const runnerEntry = set.runnerPlugin === undefined ? undefined : entry(set.runnerPlugin);
  const checkerEntry = entry(TYPESCRIPT_CHECKER);
  if (
    coreEntry === undefined ||
    checkerEntry === undefined ||
    (set.runnerPlugin !== undefined && runnerEntry === undefined)
  ) {
    return {
      ok: false,
      message: `Steward's Stryker in ${installed.dir} is incomplete`,
      hint: `delete ${installed.dir} so the next run installs it again`,
    };
  }
  const what = [
    `Stryker ${set.version}`,
    ...(set.runnerPlugin === undefined
      ? [`its command runner (the \`test\` script)`]
      : [set.runnerPlugin]),
  ].join(' and ');
  const verb = installed.installedNow ? 'Installed' : 'Used the';
  return {
    ok: true,
    coreEntry,
    runnerEntry,
    checkerEntry,
    notice: `${verb} ${what} ${installed.installedNow ? 'into' : 'installed in'} ${installed.dir} (the repository has none; ${TOOL_DIR_ENV} moves it); add @stryker-mutator/core${set.runnerPlugin === undefined ? '' : ` and ${set.runnerPlugin}`} to devDependencies to pin your own`,
  };
}

/**
 * The files a run may mutate, as every face chooses them: `mutation.mutate` from Steward's config,
 * else the project's own Stryker `mutate` (read as Stryker reads its config), else null for
 * Stryker's defaults.
 */
export async function mutatePatterns(
  configured: readonly string[] | null,
  root: string,
): Promise<readonly string[] | null> {
  return configured ?? (await projectMutatePatterns(root));
}

/**
 * The repository's Stryker `mutate` patterns (which files Stryker may mutate), read the way
 * findStrykerSetup reads the config; null when there is no config, it names no `mutate` list, or it
 * cannot be read (the run then reports that as setup-failed).
 */
export async function projectMutatePatterns(root: string): Promise<string[] | null> {
  const configFile = STRYKER_CONFIG_FILES.find((name) => existsSync(join(root, name)));
  if (configFile === undefined) return null;
  // An unreadable config is findStrykerSetup's to report when the run starts.
  const mutate: unknown = await readConfig(root, configFile).then(
    (config) => config.mutate,
    () => null,
  );
  return Array.isArray(mutate) && mutate.every((p) => typeof p === 'string') ? mutate : null;
}
