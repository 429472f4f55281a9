/**
 * The one bundler configuration, for every face that runs outside this repository:
 *
 * - each action's entry becomes one committed ESM file, so `uses: OWNER/steward/actions/<name>@<sha>`
 *   runs with no install step (mutation-report, test-gen and refactor also ship the Stryker child
 *   process and plugin module beside it, test-gen and refactor the type-check process);
 * - the GitHub App becomes one committed file, app/dist/main.mjs, so `npm ci --omit=dev && npm run
 *   app` (no dev dependencies, hence no TypeScript-stripping Node 24) runs on any Node `engines`
 *   admits;
 * - the CLI becomes dist/cli/ (built by `npm run prepare`, which npm runs on `npm ci` and before
 *   `npm pack`; not committed): an entry that loads each command's code only when it runs, the
 *   parse worker hotspots start, the Stryker child process and plugin module `steward mutate`
 *   uses, the type-check process test generation starts, and the chunks they share.
 *
 * The test suite rebuilds the committed bundles into a temp directory and fails when one differs.
 */
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const ACTIONS_DIR = 'actions';
/** The app's bundle, relative to the repository root; `npm run app` runs it. */
export const APP_BUNDLE = join('app', 'dist', 'main.mjs');
/** The CLI's output directory; package.json's `bin` is its main.mjs. */
export const CLI_DIR = join('dist', 'cli');

/** The oldest Node the CLI and the app run on (package.json `engines`); actions run on node24. */
const PORTABLE_TARGET = 'node20';

/** What every bundle shares: ESM for Node with everything inlined, readable, licences kept. */
function baseOptions(root: string): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: false,
    legalComments: 'eof',
    // CommonJS dependencies call require() and read __filename / __dirname (TypeScript's sys
    // does at load); ESM output has none of them, so the banner defines them in every file.
    banner: {
      js: [
        "import { createRequire as __stewardCreateRequire } from 'node:module';",
        "import { dirname as __stewardDirname } from 'node:path';",
        "import { fileURLToPath as __stewardFileURLToPath } from 'node:url';",
        'const require = __stewardCreateRequire(import.meta.url);',
        'const __filename = __stewardFileURLToPath(import.meta.url);',
        'const __dirname = __stewardDirname(__filename);',
      ].join('\n'),
    },
    logLevel: 'warning',
    absWorkingDir: join(process.cwd(), root),
  };
}

export function actionNames(root = '.'): string[] {
  return readdirSync(join(root, ACTIONS_DIR)).filter((name) =>
    existsSync(join(root, ACTIONS_DIR, name, 'index.ts')),
  );
}

/**
 * The Stryker process and the plugin module Stryker imports by path: src/stryker/runner.ts looks
 * for them beside its own bundle, so every bundle that runs Stryker ships them as files of their own.
 */
function strykerEntries(root: string): Record<string, string> {
  return {
    'stryker-child': join(root, 'src', 'stryker', 'child.ts'),
    'stryker-plugins': join(root, 'src', 'stryker', 'plugins.ts'),
  };
}

/** The actions that run Stryker (and so ship {@link strykerEntries} beside their bundle). */
export const STRYKER_ACTIONS: readonly string[] = ['mutation-report', 'test-gen', 'refactor'];

/**
 * The type-check process of src/testrun (the repository's TypeScript, loaded away from the key):
 * src/testrun/typecheck.ts looks for it beside its own bundle, like the Stryker files.
 */
function typeCheckEntries(root: string): Record<string, string> {
  return { 'typecheck-child': join(root, 'src', 'testrun', 'typecheck-child.ts') };
}

/** The actions that type-check a changed project (and so ship {@link typeCheckEntries} beside their bundle). */
export const TYPECHECK_ACTIONS: readonly string[] = ['test-gen', 'refactor'];

/**
 * The hotspots engine's parse worker: src/health/parse-pool.ts starts it from beside its own bundle,
 * so a bundle that ranks hotspots ships it as a file of its own.
 */
function parseWorkerEntries(root: string): Record<string, string> {
  return { 'parse-worker': join(root, 'src', 'health', 'parse-worker.ts') };
}

/** The actions that rank hotspots (and so ship {@link parseWorkerEntries} beside their bundle). */
export const HOTSPOTS_ACTIONS: readonly string[] = ['refactor'];

export async function buildActions(root = '.', outRoot = root): Promise<string[]> {
  const outputs: string[] = [];
  for (const name of actionNames(root)) outputs.push(...(await buildAction(name, root, outRoot)));
  return outputs;
}

/** One action's bundle (and the files it ships beside it) under `outRoot`/actions/`name`/dist. */
export async function buildAction(name: string, root = '.', outRoot = root): Promise<string[]> {
  const outputs: string[] = [];
  const outdir = join(outRoot, ACTIONS_DIR, name, 'dist');
  const outfile = join(outdir, 'index.mjs');
  await build({
    ...baseOptions(root),
    entryPoints: [join(root, ACTIONS_DIR, name, 'index.ts')],
    outfile,
    target: 'node24',
  });
  outputs.push(outfile);
  const beside = {
    ...(STRYKER_ACTIONS.includes(name) ? strykerEntries(root) : {}),
    ...(TYPECHECK_ACTIONS.includes(name) ? typeCheckEntries(root) : {}),
    ...(HOTSPOTS_ACTIONS.includes(name) ? parseWorkerEntries(root) : {}),
  };
  if (Object.keys(beside).length > 0) {
    await build({
      ...baseOptions(root),
      entryPoints: beside,
      outdir,
      outExtension: { '.js': '.mjs' },
      target: 'node24',
    });
    outputs.push(...Object.keys(beside).map((file) => join(outdir, `${file}.mjs`)));
  }
  return outputs;
}

/** app/main.ts as one file; its dynamic imports (the review) are inlined and run when first used. */
export async function buildApp(root = '.', outRoot = root): Promise<string> {
  const outfile = join(outRoot, APP_BUNDLE);
  await build({
    ...baseOptions(root),
    entryPoints: [join(root, 'app', 'main.ts')],
    outfile,
    target: PORTABLE_TARGET,
  });
  return outfile;
}

/**
 * src/cli/main.ts with code splitting: each command's dynamic import becomes its own chunk, so
 * `steward --version` reads a few kilobytes, not the TypeScript parser. parse-worker.mjs sits
 * beside the chunks, where src/health/parse-pool.ts looks for it.
 */
export async function buildCli(root = '.', outRoot = root): Promise<string> {
  const outdir = join(outRoot, CLI_DIR);
  // Chunk names carry content hashes: without emptying the folder, stale chunks would be packed.
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...baseOptions(root),
    entryPoints: {
      main: join(root, 'src', 'cli', 'main.ts'),
      'parse-worker': join(root, 'src', 'health', 'parse-worker.ts'),
      // `steward mutate` and `steward tests`: see strykerEntries and typeCheckEntries.
      ...strykerEntries(root),
      ...typeCheckEntries(root),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunk-[hash]',
    target: PORTABLE_TARGET,
  });
  return join(outdir, 'main.mjs');
}

/** `node build.ts [actions|app|cli]…`: the named faces, or all of them. */
export async function buildFaces(faces: readonly string[]): Promise<string[]> {
  const builders: Record<string, () => Promise<string | string[]>> = {
    actions: () => buildActions(),
    app: () => buildApp(),
    cli: () => buildCli(),
  };
  const unknown = faces.filter((face) => !(face in builders));
  if (unknown.length > 0) {
    throw new Error(`unknown build target ${unknown.join(', ')}; use actions, app or cli`);
  }
  const outputs: string[] = [];
  for (const face of faces.length === 0 ? Object.keys(builders) : faces) {
    outputs.push(...[await builders[face]!()].flat());
  }
  return outputs;
}

if (import.meta.main) {
  const outputs = await buildFaces(process.argv.slice(2));
  for (const file of outputs) console.log(`built ${file}`);
}
