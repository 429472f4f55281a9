import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MutantResult, MutationTestResult } from 'mutation-testing-report-schema';
import type {
  MutateRange,
  MutationRunner,
  MutationRunOutcome,
  MutationRunRequest,
} from '../mutation/runner.ts';
import {
  ARID_CALLS_ENV,
  ARID_IGNORER_NAME,
  PROGRESS_REPORTER_NAME,
  aridPatternProblem,
} from './plugins.ts';
import { untrustedEnvironment } from './environment.ts';
import { findStrykerSetup, type StrykerSetup } from './setup.ts';
import { ensureStrykerTools, type ToolInstallOptions } from './install.ts';

export interface StrykerRunnerOptions {
  /** The Stryker process entry; the bundle passes its own copy. */
  childScript?: string;
  /** Steward's plugin module Stryker imports; the bundle passes its own copy. */
  pluginsModule?: string;
  /** How long Stryker may take to write its partial report after an interrupt. */
  interruptGraceMs?: number;
  /**
   * When the repository has no Stryker: where and how Steward installs its pinned one (see
   * ensureStrykerTools); `false` makes that a setup failure naming the npm command instead.
   */
  tools?: ToolInstallOptions | false;
}

const LOG_TAIL = 256 * 1024;

const DRY_RUN_FAILED = 'There were failed tests in the initial test run';
const DRY_RUN_ERROR = 'Something went wrong in the initial test run';

/** Why a range cannot become a Stryker `mutate` entry, or undefined. */
export function rangeProblem(range: MutateRange): string | undefined {
  const { path, startLine, endLine } = range;
  if (path === '' || isAbsolute(path) || path.split(/[\\/]/).includes('..')) {
    return `mutate range path "${path}" must be relative to the repository root and stay inside it`;
  }
  // Stryker reads `path:start-end`; a glob character or a colon in the path would change its meaning.
  if (/[:*?[\]{}!]/.test(path))
    return `mutate range path "${path}" contains a character Stryker reads as a glob or range`;
  if (
    !Number.isInteger(startLine) ||
    !Number.isInteger(endLine) ||
    startLine < 1 ||
    endLine < startLine
  ) {
    return `mutate range ${path}:${startLine}-${endLine} must have whole line numbers with 1 <= start <= end`;
  }
  return undefined;
}

/** The failing test names Stryker logs after "One or more tests failed in the initial test run:". */
export function parseFailingTests(log: string): string[] {
  const lines = log.split(/\r?\n/);
  const start = lines.findIndex((line) =>
    line.includes('One or more tests failed in the initial test run:'),
  );
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\d\d:\d\d:\d\d /.test(line)) break; // the next log record
    if (/^\t[^\t]/.test(line)) names.push(line.slice(1).trim());
  }
  return names;
}

/** The error Stryker logs after "One or more tests resulted in an error:" (a suite that cannot load). */
export function parseDryRunError(log: string): string | undefined {
  const lines = log.split(/\r?\n/);
  const start = lines.findIndex((line) => line.includes('One or more tests resulted in an error:'));
  if (start < 0) return undefined;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\d\d:\d\d:\d\d /.test(line)) break;
    body.push(line.trim());
  }
  return (
    body
      .filter((line) => line !== '')
      .slice(0, 5)
      .join(' ') || undefined
  );
}

function readReport(file: string): MutationTestResult {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as { files?: unknown }).files !== 'object'
  ) {
    throw new Error(`${file} is not a mutation-testing report: it has no "files" object`);
  }
  return parsed as MutationTestResult;
}

function strykerOptions(
  setup: StrykerSetup,
  request: MutationRunRequest,
  files: { json: string; incremental: string; plugins: string },
): Record<string, unknown> {
  const { config } = setup;
  const userPlugins = Array.isArray(config.plugins)
    ? (config.plugins as unknown[])
    : setup.toolPlugins === undefined
      ? ['@stryker-mutator/*']
      : [];
  // Stryker from the tool directory: its runner and checker by absolute path, unless the
  // config's own list already loads them (by name or `@stryker-mutator/*`, resolved beside core).
  const toolPlugins = (setup.toolPlugins ?? []).filter(
    (file) =>
      !userPlugins.some(
        (p) =>
          p === '@stryker-mutator/*' ||
          (typeof p === 'string' && p.startsWith('@stryker-mutator/') && file.includes(`/${p}/`)),
      ),
  );
  const userIgnorers = Array.isArray(config.ignorers) ? (config.ignorers as unknown[]) : [];
  const setupFiles = setup.testRunner === 'jest' ? request.jestSetupFiles : undefined;
  return {
    ...(setupFiles === undefined ? {} : { jest: { config: { setupFiles } } }),
    ...(setup.configFile === undefined ? {} : { configFile: setup.configFile }),
    ...(setup.testRunnerDetected ? { testRunner: setup.testRunner } : {}),
    ...(setup.useTypeScriptChecker ? { checkers: ['typescript'] } : {}),
    mutate: request.ranges.map((r) => `${r.path}:${r.startLine}-${r.endLine}`),
    reporters: [
      'json',
      PROGRESS_REPORTER_NAME,
      ...(request.htmlReportFile === undefined ? [] : ['html']),
    ],
    jsonReporter: { fileName: files.json },
    ...(request.htmlReportFile === undefined
      ? {}
      : { htmlReporter: { fileName: resolve(request.root, request.htmlReportFile) } }),
    incremental: true,
    incrementalFile: files.incremental,
    // Merged into the config file's own `vitest`/`jest` options by Stryker (a deep merge).
    ...(request.allTests === true
      ? { vitest: { related: false }, jest: { enableFindRelatedTests: false } }
      : {}),
    concurrency: request.concurrency ?? Math.max(1, availableParallelism() - 1),
    plugins: [...userPlugins, ...toolPlugins, files.plugins],
    ignorers: [...userIgnorers, ARID_IGNORER_NAME],
    logLevel: 'info',
    fileLogLevel: 'off',
    allowConsoleColors: false,
  };
}

/** Runs the repository's own Stryker in a child process (Stryker works in process.cwd()). */
/**
 * A file shipped beside this module: the TypeScript source when running from sources, the `.mjs`
 * build.ts emits beside the CLI's chunks when bundled (they stay separate files: the child runs as
 * its own process and Stryker imports the plugin module by path).
 */
function besideThisModule(source: string, bundled: string): string {
  return fileURLToPath(
    new URL(import.meta.url.endsWith('.ts') ? source : bundled, import.meta.url),
  );
}

export function createStrykerRunner(options: StrykerRunnerOptions = {}): MutationRunner {
  const childScript = options.childScript ?? besideThisModule('./child.ts', './stryker-child.mjs');
  const pluginsModule =
    options.pluginsModule ?? besideThisModule('./plugins.ts', './stryker-plugins.mjs');
  const grace = options.interruptGraceMs ?? 60_000;
  return {
    async run(request: MutationRunRequest): Promise<MutationRunOutcome> {
      const bad = request.ranges.map(rangeProblem).find((p) => p !== undefined);
      if (bad !== undefined)
        return {
          kind: 'setup-failed',
          message: bad,
          hint: 'this is a bug in the caller: pass ranges from the diff',
        };
      if (request.ranges.length === 0) {
        return {
          kind: 'setup-failed',
          message: 'no mutate ranges',
          hint: 'an empty scope ends as "nothing to mutate" before Stryker starts',
        };
      }
      const patternProblem = (request.ignoreCalls ?? [])
        .map(aridPatternProblem)
        .find((p) => p !== undefined);
      if (patternProblem !== undefined)
        return {
          kind: 'setup-failed',
          message: `mutation.ignore-calls: ${patternProblem}`,
          hint: 'fix the pattern in the config',
        };
      const tools = options.tools;
      const found = await findStrykerSetup(request.root, {
        installTools: tools === false ? undefined : (set) => ensureStrykerTools(set, tools),
      });
      if (!found.ok) return { kind: 'setup-failed', message: found.message, hint: found.hint };
      const work = mkdtempSync(join(tmpdir(), 'steward-stryker-'));
      try {
        const outcome = await runChild(
          found.setup,
          request,
          work,
          childScript,
          pluginsModule,
          grace,
        );
        const { notice } = found.setup;
        return notice === undefined || outcome.kind === 'setup-failed'
          ? outcome
          : { ...outcome, notice };
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  };
}

async function runChild(
  setup: StrykerSetup,
  request: MutationRunRequest,
  work: string,
  childScript: string,
  pluginsModule: string,
  grace: number,
): Promise<MutationRunOutcome> {
  const files = {
    json: join(work, 'mutation.json'),
    // Relative paths are the repository's, as they would be for Stryker in it.
    incremental:
      request.incrementalFile === undefined
        ? join(work, 'incremental.json')
        : resolve(request.root, request.incrementalFile),
    plugins: pluginsModule,
  };
  const optionsFile = join(work, 'options.json');
  writeFileSync(optionsFile, JSON.stringify(strykerOptions(setup, request, files)));
  const started = Date.now();
  const child = spawn(process.execPath, [childScript, optionsFile, setup.coreEntry], {
    cwd: request.root,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: process.platform !== 'win32',
    env: untrustedEnvironment(process.env, {
      ...request.env,
      [ARID_CALLS_ENV]: JSON.stringify(request.ignoreCalls ?? []),
      FORCE_COLOR: '0',
    }),
  });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-LOG_TAIL);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let end: { type: 'done' } | { type: 'error'; name: string; message: string } | undefined;
  let planned = { run: 0, early: 0 };
  const results = new Map<string, ReportedMutant>();
  let testedResults = 0;
  child.on('message', (message: { type?: string; [key: string]: unknown }) => {
    if (message.type === 'result') {
      const mutant = message.mutant as ReportedMutant;
      if (typeof mutant.id === 'string' && !results.has(mutant.id)) {
        results.set(mutant.id, mutant);
        if (message.planned === true) testedResults += 1;
      }
    } else if (message.type === 'plan') {
      planned = { run: Number(message.run), early: Number(message.early) };
      request.onProgress?.({ tested: 0, total: planned.run });
    } else if (message.type === 'tested') {
      request.onProgress?.({ tested: Number(message.tested), total: Number(message.total) });
    } else if (message.type === 'done' || message.type === 'error') {
      end = message as typeof end;
    }
  });
  let stopped: string | undefined;
  const timers: NodeJS.Timeout[] = [];
  const interrupt = (why: string): void => {
    if (stopped !== undefined) return;
    stopped = why;
    child.kill('SIGINT'); // Stryker saves what it tested to the incremental file on SIGINT
    timers.push(setTimeout(() => killGroup(child.pid), grace));
  };
  if (request.timeoutMs !== undefined) {
    const ms = request.timeoutMs;
    timers.push(setTimeout(() => interrupt(`Stryker was stopped after ${String(ms)} ms`), ms));
  }
  const onAbort = (): void => interrupt('Stryker was interrupted');
  if (request.signal?.aborted === true) onAbort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const exitCode = await new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  timers.forEach(clearTimeout);
  request.signal?.removeEventListener('abort', onAbort);
  killGroup(child.pid); // leftover test-runner workers
  const strykerMs = Date.now() - started;
  const counts = { mutantsTested: planned.run, mutantsNotRun: planned.early };

  try {
    const keptReport =
      end?.type !== 'done' && testedResults > 0
        ? reportOf(request.root, results.values())
        : undefined;
    const kept =
      keptReport === undefined
        ? undefined
        : {
            report: keptReport,
            mutantsTested: testedResults,
            mutantsNotRun: results.size - testedResults,
          };
    return (
      outcomeOf(end, exitCode, log, files, started, stopped, strykerMs, counts, kept) ??
      crashed(end, exitCode, log, stopped)
    );
  } catch (error: unknown) {
    // A report Stryker wrote but that is not JSON (a crash mid-write, a hostile reporter).
    return {
      kind: 'crashed',
      message: clip(error instanceof Error ? error.message : String(error)),
      log: log.slice(-16 * 1024),
    };
  }
}

type End = { type: 'done' } | { type: 'error'; name: string; message: string } | undefined;

function crashed(
  end: End,
  exitCode: number | null,
  log: string,
  stopped: string | undefined,
): MutationRunOutcome {
  const failure =
    end?.type === 'error' ? end.message : `Stryker exited with code ${String(exitCode)}`;
  return {
    kind: 'crashed',
    message: stopped === undefined ? clip(failure) : `${stopped} before it tested any mutant`,
    log: log.slice(-16 * 1024),
  };
}

function outcomeOf(
  end: End,
  exitCode: number | null,
  log: string,
  files: { json: string; incremental: string },
  started: number,
  stopped: string | undefined,
  strykerMs: number,
  counts: { mutantsTested: number; mutantsNotRun: number },
  kept: { report: MutationTestResult; mutantsTested: number; mutantsNotRun: number } | undefined,
): MutationRunOutcome | undefined {
  if (end?.type === 'done' && existsSync(files.json)) {
    return { kind: 'report', report: readReport(files.json), partial: false, strykerMs, ...counts };
  }
  const failure =
    end?.type === 'error' ? end.message : `Stryker exited with code ${String(exitCode)}`;
  if (failure.includes(DRY_RUN_ERROR)) {
    const error = parseDryRunError(log);
    return {
      kind: 'dry-run-failed',
      failingTests: [],
      message: `the test suite could not run at head, so mutation could not start: ${clip(error ?? 'see the Stryker log')}`,
    };
  }
  if (failure.includes(DRY_RUN_FAILED)) {
    const failingTests = parseFailingTests(log);
    return {
      kind: 'dry-run-failed',
      failingTests,
      message: `the test suite fails at head, so mutation could not start: ${failingTests.join('; ') || 'see the Stryker log'}`,
    };
  }
  if (existsSync(files.incremental) && statSync(files.incremental).mtimeMs >= started) {
    return {
      kind: 'report',
      report: readReport(files.incremental),
      partial: true,
      reason: stopped ?? `Stryker stopped early: ${failure}`,
      strykerMs,
      ...counts,
    };
  }
  if (kept !== undefined) {
    // Stryker died without saving (an exception, a kill): the results it reported as it went.
    return {
      kind: 'report',
      partial: true,
      reason: stopped ?? `Stryker stopped early: ${clip(failure)}`,
      strykerMs,
      ...kept,
    };
  }
  if (end?.type === 'error' && end.message.includes('initialization of the "typescript" checker')) {
    return {
      kind: 'setup-failed',
      message: `the TypeScript checker could not start: ${clip(end.message)}`,
      hint: 'the project must type-check at head for the checker; fix the errors, or set "checkers": [] in the Stryker config to run without it',
    };
  }
  if (
    end?.type === 'error' &&
    /plugin|Cannot find|ConfigError|Invalid config/i.test(`${end.name} ${end.message}`)
  ) {
    return {
      kind: 'setup-failed',
      message: clip(end.message),
      hint: 'check the Stryker config and the installed Stryker plugins',
    };
  }
  return undefined;
}

/** A result as the steward-progress reporter sends it: the schema's mutant and its file. */
type ReportedMutant = MutantResult & { fileName: string };

/**
 * A report in the mutation-testing schema built from the results Stryker reported before it died:
 * each file's source as it is on disk (Stryker mutated a sandbox copy), files outside the
 * repository dropped.
 */
function reportOf(root: string, results: Iterable<ReportedMutant>): MutationTestResult | undefined {
  const files: MutationTestResult['files'] = {};
  for (const { fileName, ...mutant } of results) {
    if (typeof fileName !== 'string') continue;
    const path = relative(root, resolve(root, fileName));
    if (path === '' || path.startsWith('..') || isAbsolute(path)) continue;
    const key = path.split(sep).join('/');
    if (files[key] === undefined) {
      let source: string;
      try {
        source = readFileSync(join(root, path), 'utf8');
      } catch (error: unknown) {
        if ((error as { code?: string }).code === 'ENOENT') continue;
        throw error;
      }
      files[key] = {
        language: /\.[cm]?tsx?$/.test(key) ? 'typescript' : 'javascript',
        source,
        mutants: [],
      };
    }
    files[key].mutants.push(mutant);
  }
  return Object.keys(files).length === 0
    ? undefined
    : { schemaVersion: '2', thresholds: { high: 80, low: 60 }, files };
}

/** Stryker repeats nested errors whole; a message is for people, the log tail has the rest. */
function clip(message: string): string {
  return message.length > 2000 ? `${message.slice(0, 2000)}…` : message;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch (error: unknown) {
    if ((error as { code?: string }).code !== 'ESRCH') throw error;
  }
}
