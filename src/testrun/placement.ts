import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import type { SourceText } from '../testgen/types.ts';

/**
 * Puts a candidate test file at its path in the checkout for one run and restores what was there
 * byte for byte afterwards (or removes it, and the folders made for it). In place rather than in a
 * copy of the repository: vitest's `include`, Stryker's sandbox and every relative import see the
 * file where it will live, and copying a checkout (node_modules included) per run would cost more
 * than the run. Restored in `finally`, and on exit or SIGINT/SIGTERM/SIGHUP while a run is on.
 */

/** A path test generation may write: a test file by its name, or any script under `__tests__/`. */
const TEST_FILE =
  /(?:^|[/\\])(?:[^/\\]+[._-](?:test|spec)\.[cm]?[jt]sx?|__tests__[/\\].+\.[cm]?[jt]sx?)$/;

/** Why `path` cannot hold a candidate test file inside `root`, or undefined. */
export function placementProblem(root: string, path: string): string | undefined {
  if (path === '' || isAbsolute(path) || path.split(/[\\/]/).includes('..')) {
    return `test file path "${path}" must be relative to the repository root and stay inside it`;
  }
  if (!TEST_FILE.test(path)) {
    return `"${path}" is not a test file (name.test.ts, name.spec.ts or under __tests__/): test generation writes only test files`;
  }
  return overlayProblem(root, path, 'test file path');
}

/**
 * Why `path` cannot be written in place inside `root` (any file: a refactoring's source), or
 * undefined: it must stay inside the checkout, out of node_modules and .git, and reach no
 * symbolic link on the way.
 */
export function overlayProblem(root: string, path: string, what = 'path'): string | undefined {
  if (path === '' || isAbsolute(path) || path.split(/[\\/]/).includes('..')) {
    return `${what} "${path}" must be relative to the repository root and stay inside it`;
  }
  if (path.split(/[\\/]/).includes('node_modules') || path.split(/[\\/]/).includes('.git')) {
    return `${what} "${path}" is inside node_modules or .git`;
  }
  // A symlinked folder or file on the way could lead outside the checkout.
  const realRoot = realpathSync(root);
  let dir = dirname(join(root, path));
  while (!existsSync(dir)) dir = dirname(dir);
  const realDir = realpathSync(dir);
  if (realDir !== realRoot && !realDir.startsWith(realRoot + sep)) {
    return `${what} "${path}" leads outside the repository through a symbolic link`;
  }
  const file = join(root, path);
  if (existsSync(file) && lstatSync(file).isSymbolicLink()) {
    return `${what} "${path}" is a symbolic link`;
  }
  return undefined;
}

interface Placed {
  file: string;
  original: Buffer | null;
  madeDirs: string[];
}

const active = new Set<Placed>();
const queues = new Map<string, Promise<unknown>>();

function restore(placed: Placed): void {
  if (placed.original === null) {
    if (existsSync(placed.file)) unlinkSync(placed.file);
    for (const dir of placed.madeDirs) {
      try {
        rmdirSync(dir);
      } catch (error: unknown) {
        // The run left something in it (a snapshot folder): keep the folder, not the candidate.
        if ((error as { code?: string }).code !== 'ENOTEMPTY') throw error;
      }
    }
  } else {
    writeFileSync(placed.file, placed.original);
  }
  active.delete(placed);
}

function restoreAll(): void {
  for (const placed of [...active]) restore(placed);
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function onSignal(signal: NodeJS.Signals): void {
  restoreAll();
  uninstall();
  process.kill(process.pid, signal); // the default action, now that the checkout is back
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', restoreAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed || active.size > 0) return;
  installed = false;
  process.off('exit', restoreAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/**
 * Runs `fn` with `file` written at its path under `root`; runs on the same file wait for each
 * other (the second would otherwise take the first's candidate for the original).
 */
export async function withFileInPlace<T>(
  root: string,
  file: SourceText,
  fn: (absolutePath: string) => Promise<T>,
): Promise<T> {
  const problem = placementProblem(root, file.path);
  if (problem !== undefined) throw new Error(problem);
  return inPlace(root, file, fn);
}

/**
 * Runs `fn` with every file written at its path under `root` (a refactoring's overlay: any file
 * inside the checkout, not only tests), each restored byte for byte after, on a throw too. Every
 * path is checked before anything is written.
 */
export async function withFilesInPlace<T>(
  root: string,
  files: readonly SourceText[],
  fn: () => Promise<T>,
): Promise<T> {
  for (const file of files) {
    const problem = overlayProblem(root, file.path);
    if (problem !== undefined) throw new Error(problem);
  }
  const [first, ...rest] = files;
  if (first === undefined) return fn();
  return inPlace(root, first, () => withFilesInPlace(root, rest, fn));
}

async function inPlace<T>(
  root: string,
  file: SourceText,
  fn: (absolutePath: string) => Promise<T>,
): Promise<T> {
  const absolute = join(root, file.path);
  const previous = queues.get(absolute) ?? Promise.resolve();
  const turn = previous.then(
    () => placeAndRun(absolute, file.text, fn),
    () => placeAndRun(absolute, file.text, fn),
  );
  const settled = turn.then(
    () => undefined,
    () => undefined,
  );
  queues.set(absolute, settled);
  try {
    return await turn;
  } finally {
    if (queues.get(absolute) === settled) queues.delete(absolute);
  }
}

async function placeAndRun<T>(
  absolute: string,
  text: string,
  fn: (absolutePath: string) => Promise<T>,
): Promise<T> {
  const original = existsSync(absolute) ? readFileSync(absolute) : null;
  const madeDirs: string[] = [];
  if (original === null) {
    for (let dir = dirname(absolute); !existsSync(dir); dir = dirname(dir)) madeDirs.push(dir);
    if (madeDirs.length > 0) mkdirSync(dirname(absolute), { recursive: true });
  }
  const placed: Placed = { file: absolute, original, madeDirs };
  install();
  active.add(placed);
  try {
    writeFileSync(absolute, text);
    return await fn(absolute);
  } finally {
    restore(placed);
    uninstall();
  }
}
