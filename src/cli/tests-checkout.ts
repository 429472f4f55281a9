import { lstat, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { checkoutProject, readRegularFile } from '../git/checkout-project.ts';
import { isTestFile, type ProjectView } from '../testgen/project.ts';
import type { PatchFile } from '../testgen/patch.ts';
import type { FileChange } from './tests-diff.ts';

/**
 * The working tree as `steward tests` sees it and writes to it. Each text generation reads is read
 * once and kept, so `--write` checks against exactly what the tests were made from.
 */

export interface CheckoutView extends ProjectView {
  /** The text each path had when generation first read it (null: absent or unreadable). */
  readonly seen: ReadonlyMap<string, string | null>;
}

/** Whether `path` is a plain repository-relative path (no `..`, not absolute, no NUL). */
export function plainRelativePath(path: string): boolean {
  if (path === '' || path.includes('\0') || path.includes('\\')) return false;
  if (isAbsolute(path) || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * The checkout at `root` as generation reads it (src/git's checkoutProject: HEAD's files, read
 * from the working tree, never through a link), with what each read returned kept for `--write`.
 */
export async function checkoutView(root: string): Promise<CheckoutView> {
  const project = await checkoutProject(root);
  const seen = new Map<string, string | null>();
  return {
    paths: project.paths,
    seen,
    read(path) {
      if (!seen.has(path)) seen.set(path, project.read(path));
      return seen.get(path) ?? null;
    },
  };
}

/** The generated files beside what the working tree holds for them now. */
export function changesOf(root: string, files: readonly PatchFile[]): FileChange[] {
  return files.map((file) => ({
    path: file.path,
    before: plainRelativePath(file.path) ? currentText(root, file.path) : null,
    after: file.text,
  }));
}

/** The working tree's text now: absent, a link, binary or over-large reads as null (a new file). */
function currentText(root: string, path: string): string | null {
  return readRegularFile(root, path);
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** A file `--write` will not write, and why. */
export interface WriteRefusal {
  path: string;
  reason: string;
}

/**
 * Why a generated file may not be written: a path outside the repository, not a test file, a
 * symbolic link (or a folder on the way that is one), or a file that changed since generation read
 * it (or appeared since). Null when it may be written.
 */
async function refusalOf(
  root: string,
  view: CheckoutView,
  file: PatchFile,
): Promise<string | null> {
  if (!plainRelativePath(file.path))
    return 'not a plain path inside the repository; nothing is written outside it';
  if (!isTestFile(file.path, (path) => (path === file.path ? file.text : view.read(path))))
    return 'not a test file; --write writes only test files';
  const target = join(root, file.path);
  const realRoot = await realpath(root);
  // The nearest folder that exists must be inside the repository, not reached through a link.
  for (let dir = dirname(target); ; dir = dirname(dir)) {
    const real = await realpath(dir).catch((error: unknown) => {
      if (isMissing(error)) return null;
      throw error;
    });
    if (real === null) continue;
    if (real !== realRoot && !inside(realRoot, real))
      return 'its folder leads out of the repository through a symbolic link';
    break;
  }
  const stat = await lstat(target).catch((error: unknown) => {
    if (isMissing(error)) return null;
    throw error;
  });
  if (stat !== null && !stat.isFile()) return 'it is not a regular file (a link or a folder)';
  const read = view.seen.has(file.path);
  const was = read ? (view.seen.get(file.path) ?? null) : null;
  const now = stat === null ? null : await readFile(target, 'utf8');
  if (now === was) return null;
  if (was !== null) return 'it changed after the tests were generated; run again';
  if (!view.paths.includes(file.path))
    return "it exists but is not among HEAD's files (new and uncommitted, or ignored), so the tests were made without it; commit it and run again";
  if (read) return 'it was created after the tests were generated; run again';
  return 'it exists, but the tests were generated without reading it; run again';
}

/**
 * Writes the generated test files into the working tree, all or none: every file is checked first
 * (see refusalOf), and one refusal writes nothing. Returns the refusals (empty when written).
 */
export async function writeTestFiles(
  root: string,
  view: CheckoutView,
  files: readonly PatchFile[],
): Promise<WriteRefusal[]> {
  const refusals: WriteRefusal[] = [];
  for (const file of files) {
    const reason = await refusalOf(root, view, file);
    if (reason !== null) refusals.push({ path: file.path, reason });
  }
  if (refusals.length > 0) return refusals;
  for (const file of files) {
    const target = join(root, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.text);
  }
  return [];
}
