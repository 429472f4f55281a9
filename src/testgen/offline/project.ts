import { posix } from 'node:path';
import { Project, ts, type SourceFile } from 'ts-morph';
import type { SourceText } from '../types.ts';

/**
 * The in-memory TypeScript program the offline generator reads types from: the module's head text
 * plus the project files it imports (relative specifiers only, followed transitively), each read
 * through the `readFile` port. Nothing touches the disk; the reads are bounded.
 */

/** Reads a repository-relative path at the head revision; null when there is no such file. */
export type ReadProjectFile = (path: string) => Promise<string | null>;

/** Longest module the generator loads (a 10,000-line module is about 400,000 characters). */
export const MAX_MODULE_CHARS = 4_000_000;
/** Most project files read besides the module itself. */
export const MAX_IMPORTED_FILES = 48;
/** Most characters read across those files. */
export const MAX_IMPORTED_CHARS = 4_000_000;

export interface LoadedModule {
  sourceFile: SourceFile;
  /** Imports that could not be read (missing, outside the repository, over the limits, failed). */
  unresolved: string[];
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  allowJs: true,
  noEmit: true,
  skipLibCheck: true,
  lib: ['lib.es2023.d.ts'],
};

/** `/src/a.ts` for `src/a.ts`; null for an absolute path or one that leaves the repository. */
function virtualPath(path: string): string | null {
  const slashed = path.replaceAll('\\', '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return null;
  const normal = posix.normalize(slashed);
  return normal === '..' || normal.startsWith('../') ? null : `/${normal}`;
}

/** The files a relative specifier may name, in the order TypeScript's resolution tries them. */
function candidatesFor(fromPath: string, specifier: string): string[] {
  // Joined relative to the repository root, so `../` past it stays visible (and is refused).
  const base = posix.join(posix.dirname(fromPath.slice(1)), specifier);
  const js = /\.(m|c)?jsx?$/.exec(base);
  if (js) {
    const stem = base.slice(0, -js[0].length);
    const ts = js[0].replace('js', 'ts');
    return [`${stem}${ts}`, base];
  }
  if (/\.(m|c)?tsx?$/.test(base)) return [base];
  return ['.ts', '.tsx', '.d.ts', '/index.ts', '/index.tsx'].map((ext) => `${base}${ext}`);
}

function relativeSpecifiers(text: string): string[] {
  const info = ts.preProcessFile(text, true, false);
  return info.importedFiles.map((f) => f.fileName).filter((name) => name.startsWith('.'));
}

/**
 * Loads the module and what it imports from the project into an in-memory program. Throws when
 * the module's own path leaves the repository.
 */
export async function loadModule(
  module: SourceText,
  readFile: ReadProjectFile,
): Promise<LoadedModule> {
  if (module.text.length > MAX_MODULE_CHARS)
    throw new Error(
      `${module.path}: ${module.text.length} characters, over the ${MAX_MODULE_CHARS} the offline generator reads`,
    );
  const root = virtualPath(module.path);
  if (root === null)
    throw new Error(
      `${module.path}: the module's path is absolute or leaves the repository; give it relative to the repository root`,
    );
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: COMPILER_OPTIONS,
    skipAddingFilesFromTsConfig: true,
  });
  const sourceFile = project.createSourceFile(root, module.text, { overwrite: true });
  const seen = new Set<string>([root]);
  const missing = new Set<string>();
  const unresolved: string[] = [];
  const queue: { path: string; text: string }[] = [{ path: root, text: module.text }];
  let files = 0;
  let chars = 0;
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next) break;
    for (const specifier of relativeSpecifiers(next.text)) {
      if (files >= MAX_IMPORTED_FILES) {
        unresolved.push(`${next.path.slice(1)}: ${specifier} (over ${MAX_IMPORTED_FILES} files)`);
        continue;
      }
      const found = await readFirst(
        candidatesFor(next.path, specifier),
        seen,
        missing,
        unresolved,
        readFile,
      );
      if (found === 'seen') continue;
      if (found === null || chars + found.text.length > MAX_IMPORTED_CHARS) {
        unresolved.push(`${next.path.slice(1)}: ${specifier}`);
        continue;
      }
      files += 1;
      chars += found.text.length;
      seen.add(found.path);
      project.createSourceFile(found.path, found.text, { overwrite: true });
      queue.push(found);
    }
  }
  return { sourceFile, unresolved };
}

async function readFirst(
  candidates: string[],
  seen: Set<string>,
  missing: Set<string>,
  failures: string[],
  readFile: ReadProjectFile,
): Promise<{ path: string; text: string } | 'seen' | null> {
  for (const candidate of candidates) {
    const path = virtualPath(candidate);
    if (path === null) return null;
    if (seen.has(path)) return 'seen';
    if (missing.has(path)) continue;
    let text: unknown;
    try {
      text = await readFile(path.slice(1));
    } catch (error: unknown) {
      // A read that fails is a file the program does without: its types become `any`, and the
      // functions using them are skipped with that reason.
      text = null;
      failures.push(`${path.slice(1)}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof text === 'string') return { path, text };
    missing.add(path);
  }
  return null;
}
