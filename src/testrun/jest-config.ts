import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { runNodeGroup } from './process.ts';
import { esmEntry, packageDir } from './resolve.ts';
import { FAST_CHECK_SEED_ENV } from './vitest.ts';

/**
 * What Steward needs to know of a repository's jest before running it: where its bin is, whether
 * it can shuffle, whether its tests need Node's VM modules (native ESM), and the setup files its
 * config already has (a `--setupFiles` on the command line replaces them, so Steward's fast-check
 * setup is passed after them).
 */

export interface JestInstall {
  bin: string;
  version: string;
  /** `--randomize` and `--seed` came with jest 29.2. */
  canShuffle: boolean;
  /** Node flags the repository runs jest with (`--experimental-vm-modules` for ESM tests). */
  nodeArgs: readonly string[];
}

export const MIN_SHUFFLE_VERSION = '29.2.0';

function manifest(dir: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

/**
 * The repository's jest, or why it cannot run. A package script that starts jest with
 * `--experimental-vm-modules` (how ESM projects run jest) makes Steward start it the same way.
 */
export function findJest(root: string): JestInstall | { problem: string } {
  const dir = packageDir(root, 'jest');
  const bin = dir === undefined ? undefined : join(dir, 'bin', 'jest.js');
  if (dir === undefined || bin === undefined || !existsSync(bin)) {
    return {
      problem:
        'jest is not installed in the repository: install its dependencies (npm ci) before generating tests',
    };
  }
  const version = String(manifest(dir).version ?? '0.0.0');
  const scripts = existsSync(join(root, 'package.json')) ? manifest(root).scripts : undefined;
  const esm =
    typeof scripts === 'object' &&
    scripts !== null &&
    Object.values(scripts).some(
      (script) =>
        typeof script === 'string' &&
        script.includes('jest') &&
        script.includes('--experimental-vm-modules'),
    );
  return {
    bin,
    version,
    canShuffle: semver.valid(version) !== null && semver.gte(version, MIN_SHUFFLE_VERSION),
    nodeArgs: esm ? ['--experimental-vm-modules'] : [],
  };
}

const FAST_CHECK_PACKAGES = ['@fast-check/jest', 'fast-check'];

/** Whether the repository has fast-check (or @fast-check/jest) for the setup file to seed. */
export function hasFastCheck(root: string): boolean {
  return FAST_CHECK_PACKAGES.some((name) => packageDir(root, name) !== undefined);
}

/**
 * The setup file jest runs before the test file, in the test's own module registry: it seeds the
 * fast-check the test file itself loads (resolved from its folder) with the run's seed. Under
 * `--experimental-vm-modules` the tests import fast-check's ES module, a module instance apart
 * from the CommonJS one, so the setup is an ES module that imports the same file jest resolves.
 */
export function fastCheckSetup(
  root: string,
  testDir: string,
  esm: boolean,
): { fileName: string; source: string } {
  const seedEach = (
    load: string,
  ): string => `const seed = Number(process.env.${FAST_CHECK_SEED_ENV});
if (Number.isInteger(seed)) {
${load}
    const fc = m.fc ?? m.default ?? m;
    if (typeof fc.configureGlobal === 'function') {
      fc.configureGlobal({ ...(typeof fc.readConfigureGlobal === 'function' ? fc.readConfigureGlobal() : {}), seed });
    }
  }
}
`;
  if (!esm) {
    return {
      fileName: 'fast-check-seed.cjs',
      source: seedEach(`  for (const name of ${JSON.stringify(FAST_CHECK_PACKAGES)}) {
    let path;
    try {
      path = require.resolve(name, { paths: [${JSON.stringify(testDir)}] });
    } catch {
      continue;
    }
    const m = require(path);`),
    };
  }
  const entries = FAST_CHECK_PACKAGES.map((name) =>
    packageDir(root, name, join(testDir, 'index.js')),
  )
    .filter((dir) => dir !== undefined)
    .map(esmEntry)
    .filter((entry) => entry !== undefined);
  return {
    fileName: 'fast-check-seed.mjs',
    source: seedEach(`  for (const entry of ${JSON.stringify(entries)}) {
    const m = await import(entry);`),
  };
}

export type ProjectSetupFiles =
  | { kind: 'one-project'; setupFiles: readonly string[]; rootDir: string }
  /** A `projects` config: a command-line `--setupFiles` would give every project the same list. */
  | { kind: 'several-projects' }
  | { kind: 'failed'; message: string };

/** The setup files of the repository's jest config, from `jest --showConfig` (its config is its code). */
export async function readProjectSetupFiles(
  jest: JestInstall,
  request: { root: string; timeoutMs: number; env: Readonly<Record<string, string>> },
): Promise<ProjectSetupFiles> {
  const { stdout, log, timedOut } = await runNodeGroup(
    [...jest.nodeArgs, jest.bin, '--showConfig', '--ci', '--watchman=false'],
    request,
    request.env,
  );
  if (timedOut) {
    return {
      kind: 'failed',
      message: `jest --showConfig was stopped after ${String(request.timeoutMs)} ms`,
    };
  }
  // The config is the repository's code: what it logs while loading comes before jest's JSON.
  const start = stdout.startsWith('{') ? 0 : stdout.indexOf('\n{\n') + 1;
  let shown: unknown;
  try {
    shown = JSON.parse(stdout.slice(start));
  } catch {
    return {
      kind: 'failed',
      message: `jest could not read the repository's config: ${log.trim().split('\n').slice(-10).join('\n') || 'no output'}`,
    };
  }
  const configs =
    typeof shown === 'object' && shown !== null
      ? (shown as { configs?: unknown }).configs
      : undefined;
  if (!Array.isArray(configs) || configs.length === 0) {
    return { kind: 'failed', message: 'jest --showConfig named no project config' };
  }
  if (configs.length > 1) return { kind: 'several-projects' };
  const { setupFiles = [], rootDir } = configs[0] as { setupFiles?: unknown; rootDir?: unknown };
  if (
    !Array.isArray(setupFiles) ||
    !setupFiles.every((f) => typeof f === 'string') ||
    typeof rootDir !== 'string'
  ) {
    return {
      kind: 'failed',
      message: 'jest --showConfig gave a rootDir or setupFiles that are not paths',
    };
  }
  return { kind: 'one-project', setupFiles, rootDir };
}
