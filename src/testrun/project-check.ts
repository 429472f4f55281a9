import { statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type * as stewardTs from 'typescript';
import type { ApiVerdict, ProjectDiagnostic, TypeCheckVerdict } from '../refactor/proof-port.ts';
import { loadTypeScript } from './typecheck.ts';

/**
 * What proving a refactoring asks of the repository's TypeScript, in the type-check process
 * (typecheck-child.ts): every diagnostic of the project (its root tsconfig.json) with changed files
 * served from memory, and the declaration emit of one file before and after a change. Two
 * language services over one document registry: one with the project's own options (the
 * diagnostics `tsc --noEmit` gives) and one that emits declarations, reused for every comparison,
 * so the project's other files are parsed and bound once, not per call.
 */

type Ts = typeof stewardTs;

export interface ProjectChecker {
  diagnostics(overlay: ReadonlyMap<string, string>): TypeCheckVerdict;
  compareApi(path: string, before: string, after: string): ApiVerdict;
}

const CONFIG = 'tsconfig.json';
/** How deep a solution's references are followed, and how many projects are checked at most. */
const MAX_REFERENCE_DEPTH = 3;
const MAX_PROJECTS = 16;

function diagnosticKey(d: stewardTs.Diagnostic): string {
  return `${d.file?.fileName ?? ''}\0${String(d.start ?? -1)}\0${String(d.code)}`;
}

/** Repository-relative with `/`, as the port's paths are. */
function repositoryPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/** The first line where the two texts differ (1-based), with each side's line there. */
export function firstDifference(
  before: string,
  after: string,
): { line: number; before: string; after: string } | undefined {
  const a = before.split('\n');
  const b = after.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { line: i + 1, before: a[i] ?? '', after: b[i] ?? '' };
  }
  return undefined;
}

interface Service {
  service: stewardTs.LanguageService;
  /** The texts served in place of the disk's, by absolute path. */
  overlay: Map<string, string>;
}

export function createProjectChecker(root: string, stewards?: Ts): ProjectChecker {
  const { ts } = loadTypeScript(root, stewards);
  const absoluteRoot = resolve(root);
  const configPath = join(absoluteRoot, CONFIG);
  const problems: stewardTs.Diagnostic[] = [];
  const readConfig = (path: string): stewardTs.ParsedCommandLine | undefined =>
    ts.getParsedCommandLineOfConfigFile(
      path,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          problems.push(d);
        },
      },
    );
  const parsed = ts.sys.fileExists(configPath) ? readConfig(configPath) : undefined;
  const unavailable =
    parsed === undefined
      ? problems.length > 0
        ? `${CONFIG} cannot be read: ${problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`
        : `the repository has no ${CONFIG} at its root: there is no TypeScript project to check`
      : undefined;
  /**
   * The projects to check: the root tsconfig.json, or, for a "solution" config that lists no files
   * of its own and only `references` (`"files": []`), the projects it references (and theirs), each
   * checked from its sources.
   */
  const projects: stewardTs.ParsedCommandLine[] = [];
  const seen = new Set<string>();
  const collect = (project: stewardTs.ParsedCommandLine, depth: number): void => {
    const references = project.projectReferences ?? [];
    if (project.fileNames.length > 0 || references.length === 0 || depth >= MAX_REFERENCE_DEPTH) {
      projects.push(project);
      return;
    }
    for (const reference of references) {
      const path = ts.resolveProjectReferencePath(reference);
      if (seen.has(path) || projects.length >= MAX_PROJECTS || !ts.sys.fileExists(path)) continue;
      seen.add(path);
      const referenced = readConfig(path);
      if (referenced !== undefined) collect(referenced, depth + 1);
    }
  };
  if (parsed !== undefined) collect(parsed, 0);
  const registry = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, absoluteRoot);

  const serviceWith = (options: stewardTs.CompilerOptions, roots: () => string[]): Service => {
    const overlay = new Map<string, string>();
    const host: stewardTs.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...new Set([...roots(), ...overlay.keys()])],
      getScriptVersion: (file) => {
        const served = overlay.get(resolve(file));
        // The text is its own version: a changed overlay is never taken for the last one.
        if (served !== undefined) return `overlay:${served}`;
        try {
          return `disk:${String(statSync(file).mtimeMs)}`;
        } catch {
          // Gone from disk: TypeScript reads it as missing (getScriptSnapshot answers undefined).
          return 'missing';
        }
      },
      getScriptSnapshot: (file) => {
        const text = overlay.get(resolve(file)) ?? ts.sys.readFile(file);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      fileExists: (file) => overlay.has(resolve(file)) || ts.sys.fileExists(file),
      readFile: (file, encoding) => overlay.get(resolve(file)) ?? ts.sys.readFile(file, encoding),
      readDirectory: (...args) => ts.sys.readDirectory(...args),
      directoryExists: (dir) => ts.sys.directoryExists(dir),
      getDirectories: (dir) => ts.sys.getDirectories(dir),
      realpath: (path) => (ts.sys.realpath === undefined ? path : ts.sys.realpath(path)),
      getCurrentDirectory: () => absoluteRoot,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    return { service: ts.createLanguageService(host, registry), overlay };
  };

  const optionsOf = (
    project: stewardTs.ParsedCommandLine | undefined,
  ): stewardTs.CompilerOptions => {
    const options: stewardTs.CompilerOptions = { ...(project?.options ?? {}) };
    // Incremental state would be read from and written next to the project: neither is wanted.
    delete options.incremental;
    delete options.tsBuildInfoFile;
    return options;
  };
  const checkings = projects.map((project) =>
    serviceWith(optionsOf(project), () => project.fileNames),
  );
  const fileNames = projects.flatMap((project) => project.fileNames);
  /** The API is emitted with the options of the first project with files (a solution's build config). */
  const projectOptions = optionsOf(projects.find((p) => p.fileNames.length > 0) ?? parsed);

  /**
   * The API's program: the project's ambient declarations (globals.d.ts and the like) and the file
   * compared, with what it imports: not the whole project, whose other files its declarations do
   * not depend on.
   */
  const ambient = [...new Set(fileNames)].filter((f) => /\.d\.[cm]?ts$/.test(f));
  let apiRoots: string[] = [];
  const emitting = serviceWith(
    {
      ...projectOptions,
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      declarationMap: false,
      sourceMap: false,
      inlineSourceMap: false,
      // A changed doc comment is not a changed API.
      removeComments: true,
      composite: false,
      outDir: undefined,
      declarationDir: undefined,
      outFile: undefined,
    },
    () => [...ambient, ...apiRoots],
  );

  const relativeDiagnostic = (d: stewardTs.Diagnostic): ProjectDiagnostic => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file === undefined) return { path: '', line: 0, code: d.code, message };
    const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
    return { path: repositoryPath(absoluteRoot, d.file.fileName), line, code: d.code, message };
  };

  const emitOf = (absolute: string, text: string): string | { problem: string } => {
    emitting.overlay.clear();
    emitting.overlay.set(absolute, text);
    const output = emitting.service.getEmitOutput(absolute, true);
    const dts = output.outputFiles.find((f) => /\.d\.[cm]?ts$/.test(f.name));
    if (dts === undefined) {
      return {
        problem: output.emitSkipped
          ? 'TypeScript skipped its declaration emit'
          : 'TypeScript emitted no declarations',
      };
    }
    return dts.text;
  };

  return {
    diagnostics(overlay) {
      if (unavailable !== undefined) return { kind: 'unavailable', reason: unavailable };
      const found = new Map<string, stewardTs.Diagnostic>();
      for (const d of [...problems, ...projects.flatMap((p) => p.errors)])
        found.set(diagnosticKey(d), d);
      for (const checking of checkings) {
        checking.overlay.clear();
        for (const [path, text] of overlay) checking.overlay.set(resolve(absoluteRoot, path), text);
        const program = checking.service.getProgram();
        if (program === undefined)
          return { kind: 'unavailable', reason: 'TypeScript made no program' };
        // A file in two projects (a solution's build and spec configs) reports its errors once.
        for (const d of ts.getPreEmitDiagnostics(program)) found.set(diagnosticKey(d), d);
      }
      const diagnostics = [...found.values()].filter(
        (d) => d.category === ts.DiagnosticCategory.Error,
      );
      return { kind: 'checked', diagnostics: diagnostics.map(relativeDiagnostic) };
    },
    compareApi(path, before, after) {
      if (unavailable !== undefined) return { kind: 'unavailable', reason: unavailable };
      const absolute = resolve(absoluteRoot, path);
      apiRoots = [absolute];
      try {
        const first = emitOf(absolute, before);
        if (typeof first !== 'string')
          return { kind: 'unavailable', reason: `${path}: ${first.problem}` };
        const second = emitOf(absolute, after);
        if (typeof second !== 'string')
          return { kind: 'unavailable', reason: `${path} after the change: ${second.problem}` };
        const difference = firstDifference(first, second);
        return difference === undefined
          ? { kind: 'same' }
          : { kind: 'changed', before: difference.before, after: difference.after };
      } finally {
        // Back to the disk's text, so the next comparison starts from the project as it is.
        emitting.overlay.clear();
      }
    },
  };
}
