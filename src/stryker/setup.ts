import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { untrustedEnvironment } from './environment.ts';

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

export async function findStrykerSetup(root: string): Promise<SetupResult> {
  const coreEntry = resolveFrom(root, '@stryker-mutator/core');
  if (coreEntry === undefined) {
    return {
      ok: false,
      message: `@stryker-mutator/core is not installed in ${root}`,
      hint: 'add it with `npm install --save-dev @stryker-mutator/core` and the runner for your tests (e.g. @stryker-mutator/vitest-runner)',
    };
  }
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
      hint: `add it with \`npm install --save-dev ${plugin}\` (the same version as @stryker-mutator/core)`,
    };
  }
  const tsconfig = typeof config.tsconfigFile === 'string' ? config.tsconfigFile : 'tsconfig.json';
  const useTypeScriptChecker =
    config.checkers === undefined &&
    existsSync(join(root, tsconfig)) &&
    (resolveFrom(root, TYPESCRIPT_CHECKER) !== undefined ||
      resolveFrom(coreDir, TYPESCRIPT_CHECKER) !== undefined);
  return {
    ok: true,
    setup: {
      coreEntry,
      configFile,
      config,
      testRunner,
      testRunnerDetected: configured === undefined,
      useTypeScriptChecker,
    },
  };
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
