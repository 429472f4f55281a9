import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as stewardTs from 'typescript';
import type { TypeCheckResult, TypeDiagnostic } from '../testgen/test-runner.ts';
import type { SourceText } from '../testgen/types.ts';
import { untrustedEnvironment } from '../stryker/environment.ts';
import { killGroup } from './process.ts';
import { packageDir } from './resolve.ts';

/**
 * Type-checks a candidate test file in memory against the project's tsconfig (in the process
 * typecheck-child.ts starts, since the repository's TypeScript is its code): a compiler host
 * that serves the candidate's text at its path (nothing is written), the repository's own
 * TypeScript when it has one (else Steward's), and diagnostics for that file only, each given to
 * the test (`it`/`test` call) it falls in so one bad candidate does not sink the others.
 */

type Ts = typeof stewardTs;

export interface TypeChecker {
  check(file: SourceText): TypeCheckResult;
  /** Where the TypeScript used came from, for messages. */
  readonly typescript: string;
}

const TEST_CALLEES = new Set(['it', 'test']);

/** Whether the repository has its own TypeScript package (else Steward's checks its tests). */
export function hasOwnTypeScript(root: string): boolean {
  return packageDir(root, 'typescript') !== undefined;
}

export function loadTypeScript(root: string, stewards: Ts | undefined): { ts: Ts; from: string } {
  if (!hasOwnTypeScript(root)) {
    if (stewards === undefined)
      throw new Error(
        `${root} has no TypeScript package and Steward's was not given: install the repository's dependencies (npm ci)`,
      );
    return { ts: stewards, from: `Steward's TypeScript ${stewards.version}` };
  }
  const ts = createRequire(join(root, 'package.json'))('typescript') as Ts;
  return { ts, from: `the repository's TypeScript ${ts.version}` };
}

/** `it`, `test.only`, `test.prop([...])`, `it.each(table)`: a callee that names a test. */
function isTestCallee(ts: Ts, node: stewardTs.Expression): boolean {
  let current: stewardTs.Expression = node;
  for (;;) {
    if (ts.isIdentifier(current)) return TEST_CALLEES.has(current.text);
    if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else if (ts.isCallExpression(current)) current = current.expression;
    else if (ts.isTaggedTemplateExpression(current)) current = current.tag;
    else return false;
  }
}

interface TestSpan {
  name: string;
  start: number;
  end: number;
}

/** The tests of a file: the title (a plain string) and the span of the whole call. */
export function testSpans(ts: Ts, source: stewardTs.SourceFile): TestSpan[] {
  const spans: TestSpan[] = [];
  const visit = (node: stewardTs.Node): void => {
    if (ts.isCallExpression(node) && isTestCallee(ts, node.expression)) {
      const title = node.arguments[0];
      if (
        title !== undefined &&
        (ts.isStringLiteral(title) || ts.isNoSubstitutionTemplateLiteral(title))
      ) {
        spans.push({ name: title.text, start: node.getStart(source), end: node.getEnd() });
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return spans;
}

export function configFor(
  ts: Ts,
  root: string,
  file: string,
): stewardTs.ParsedCommandLine | undefined {
  const found = ts.findConfigFile(dirname(file), (path) => ts.sys.fileExists(path));
  if (found === undefined) return undefined;
  const rel = relative(resolve(root), resolve(found));
  if (rel.startsWith('..') || rel.split(sep)[0] === '..') return undefined; // above the repository
  const problems: stewardTs.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    found,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        problems.push(d);
      },
    },
  );
  if (parsed === undefined) {
    const why = problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ');
    throw new Error(`${relative(root, found)} cannot be read: ${why}`);
  }
  return parsed;
}

/** Options when the project has no tsconfig: what a modern ESM TypeScript project compiles with. */
export function defaultOptions(ts: Ts): stewardTs.CompilerOptions {
  return {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    esModuleInterop: true,
  };
}

/**
 * A checker for the repository at `root`, with its TypeScript; `stewards` is Steward's own, for a
 * repository that has none (a JavaScript project), loaded only then.
 */
export function createTypeChecker(root: string, stewards?: Ts): TypeChecker {
  const { ts, from } = loadTypeScript(root, stewards);
  let previous: stewardTs.Program | undefined;
  const sources = new Map<string, stewardTs.SourceFile>();
  return {
    typescript: from,
    check(file: SourceText): TypeCheckResult {
      const absolute = resolve(root, file.path);
      const parsed = configFor(ts, root, absolute);
      const options: stewardTs.CompilerOptions = {
        ...(parsed?.options ?? defaultOptions(ts)),
        noEmit: true,
      };
      delete options.incremental;
      delete options.composite;
      delete options.tsBuildInfoFile;
      const host = ts.createCompilerHost(options, true);
      const same = (path: string): boolean => resolve(path) === absolute;
      const getSourceFile = host.getSourceFile.bind(host);
      host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
        if (same(path)) return ts.createSourceFile(path, file.text, languageVersion, true);
        // The project's other files do not change between checks: parsed once, reused.
        const key = `${path}\0${JSON.stringify(languageVersion)}`;
        const cached = sources.get(key);
        if (cached !== undefined) return cached;
        const parsedFile = getSourceFile(path, languageVersion, onError, shouldCreate);
        if (parsedFile !== undefined) sources.set(key, parsedFile);
        return parsedFile;
      };
      const fileExists = host.fileExists.bind(host);
      host.fileExists = (path) => same(path) || fileExists(path);
      const readFile = host.readFile.bind(host);
      host.readFile = (path) => (same(path) ? file.text : readFile(path));
      // Ambient declarations of the project (globals.d.ts and the like) and the file itself.
      const ambient = (parsed?.fileNames ?? []).filter((f) => /\.d\.[cm]?ts$/.test(f));
      const program = ts.createProgram({
        rootNames: [...ambient, absolute],
        options,
        host,
        ...(previous === undefined ? {} : { oldProgram: previous }),
      });
      previous = program;
      const source = program.getSourceFile(absolute);
      if (source === undefined) {
        return {
          byTest: new Map(),
          fileErrors: [{ line: 1, message: `TypeScript could not read ${file.path}` }],
        };
      }
      const diagnostics = [
        ...program.getSyntacticDiagnostics(source),
        ...program.getSemanticDiagnostics(source),
      ].filter((d) => d.category === ts.DiagnosticCategory.Error);
      const spans = testSpans(ts, source);
      const byTest = new Map<string, TypeDiagnostic[]>();
      const fileErrors: TypeDiagnostic[] = [];
      for (const d of diagnostics) {
        const start = d.start ?? 0;
        const diagnostic: TypeDiagnostic = {
          line: source.getLineAndCharacterOfPosition(start).line + 1,
          message: `TS${String(d.code)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
        };
        const span = spans.find((s) => start >= s.start && start < s.end);
        if (span === undefined) fileErrors.push(diagnostic);
        else byTest.set(span.name, [...(byTest.get(span.name) ?? []), diagnostic]);
      }
      return { byTest, fileErrors };
    },
  };
}

export interface TypeCheckProcessOptions {
  root: string;
  env: Readonly<Record<string, string>>;
  /** One check; the process is killed (and started again for the next) after it. */
  timeoutMs: number;
  /** The child's entry; the bundle passes its own copy. */
  childScript?: string | undefined;
}

export interface TypeCheckProcess {
  check(file: SourceText): Promise<TypeCheckResult>;
  /** Stops the process; a later check starts a new one. */
  close(): void;
}

/** Whether the idle child (its process, IPC channel and stderr pipe) keeps Steward's event loop alive. */
function hold(child: ChildProcess, on: boolean): void {
  const stderr = child.stderr as
    (NodeJS.ReadableStream & { ref?: () => void; unref?: () => void }) | null;
  if (on) {
    child.ref();
    child.channel?.ref();
    stderr?.ref?.();
  } else {
    child.unref();
    child.channel?.unref();
    stderr?.unref?.();
  }
}

/** What the child answers one request with. */
export type ChildAnswer =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

/** The requests typecheck-child.ts serves (`kind` picks the handler; a candidate by default). */
export type ChildRequest =
  | { kind: 'candidate'; file: SourceText }
  | { kind: 'project'; overlay: [string, string][] }
  | { kind: 'api'; path: string; before: string; after: string };

interface Running {
  child: ChildProcess;
  stderr: string;
  onExit: () => void;
}

/** A process of the repository's TypeScript serving requests one at a time (typecheck-child.ts). */
export interface TypeScriptProcess {
  /** `what` names the request in errors ("the type-check of test/a.test.ts"). */
  request(request: ChildRequest, what: string): Promise<unknown>;
  close(): void;
}

/**
 * Runs TypeScript in a child process (typecheck-child.ts) that lives across requests, so the
 * project's files and TypeScript's libraries are parsed once. Requests run one at a time; between
 * them the child does not keep Steward alive, and it is killed when Steward exits.
 */
export function createTypeScriptProcess(options: TypeCheckProcessOptions): TypeScriptProcess {
  const script =
    options.childScript ??
    fileURLToPath(
      new URL(
        import.meta.url.endsWith('.ts') ? './typecheck-child.ts' : './typecheck-child.mjs',
        import.meta.url,
      ),
    );
  let running: Running | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let nextId = 0;

  const stop = (): void => {
    if (running === undefined) return;
    process.off('exit', running.onExit);
    killGroup(running.child.pid);
    running = undefined;
  };
  const start = (): Running => {
    const child = spawn(process.execPath, [script], {
      cwd: options.root,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: process.platform !== 'win32',
      env: untrustedEnvironment(process.env, options.env),
    });
    const started: Running = { child, stderr: '', onExit: () => killGroup(child.pid) };
    child.stderr?.on('data', (chunk: Buffer) => {
      started.stderr = (started.stderr + chunk.toString('utf8')).slice(-8192);
    });
    process.on('exit', started.onExit);
    return started;
  };
  const once = (request: ChildRequest, what: string): Promise<unknown> =>
    new Promise((resolvePromise, reject) => {
      running ??= start();
      const current = running;
      const { child } = current;
      const id = (nextId += 1);
      hold(child, true);
      const settle = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('close', onClose);
        child.off('error', onError);
        hold(child, false);
      };
      const onMessage = (answer: ChildAnswer): void => {
        if (answer.id !== id) return;
        settle();
        if (answer.ok) resolvePromise(answer.value);
        else reject(new Error(`${what} could not run: ${answer.message}`));
      };
      const onClose = (code: number | null, signal: NodeJS.Signals | null): void => {
        settle();
        if (running === current) stop();
        const why = timedOut
          ? `it was stopped after ${String(options.timeoutMs)} ms`
          : `the process exited with ${String(code ?? signal)}: ${current.stderr.trim().split('\n').slice(-5).join(' ')}`;
        reject(new Error(`${what} could not run: ${why}`));
      };
      const onError = (error: Error): void => {
        settle();
        if (running === current) stop();
        reject(error);
      };
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, options.timeoutMs);
      child.on('message', onMessage);
      child.on('close', onClose);
      child.on('error', onError);
      child.send({ ...request, id, root: options.root });
    });

  return {
    request(request, what) {
      const turn = queue.then(
        () => once(request, what),
        () => once(request, what),
      );
      queue = turn.catch(() => undefined);
      return turn;
    },
    close: stop,
  };
}

/** Type-checks candidate test files in the TypeScript process (see createTypeScriptProcess). */
export function createTypeCheckProcess(options: TypeCheckProcessOptions): TypeCheckProcess {
  const typescript = createTypeScriptProcess(options);
  return {
    async check(file) {
      const value = (await typescript.request(
        { kind: 'candidate', file },
        `the type-check of ${file.path}`,
      )) as { byTest: [string, TypeDiagnostic[]][]; fileErrors: TypeDiagnostic[] };
      return { byTest: new Map(value.byTest), fileErrors: value.fileErrors };
    },
    close: () => typescript.close(),
  };
}
