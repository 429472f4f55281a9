import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunOptions, RunResult, TestOutcome } from '../testgen/test-runner.ts';
import { esmEntry, packageDir } from './resolve.ts';
import { escapeRegExp, firstLines, MESSAGE_LINES } from './messages.ts';
import { runNodeGroup } from './process.ts';

/**
 * Runs vitest, the repository's own, on one test file in a child process: only the named tests
 * (`--testNamePattern`), in shuffled order when asked (`--sequence.shuffle`, `--sequence.seed`),
 * fast-check seeded from the run's seed, with the allow-listed environment and a timeout that
 * kills the whole process group. Results come from a reporter Steward writes for the run.
 */

export interface VitestRunRequest extends RunOptions {
  root: string;
  /** Repository-relative path of the test file (already in place). */
  path: string;
  timeoutMs: number;
  env: Readonly<Record<string, string>>;
}

/** The variable the fast-check preload reads its seed from. */
export const FAST_CHECK_SEED_ENV = 'STEWARD_FC_SEED';

/** @fast-check/vitest appends the seed to a property's title. */
const SEED_SUFFIX = / \(with seed=-?\d+\)$/;

/** Vitest 5 matches the pattern against the suite chain joined with " > " and the title. */
export function testNamePattern(names: readonly string[]): string {
  return `^(?:.* > )?(?:${names.map(escapeRegExp).join('|')})(?: \\(with seed=-?\\d+\\))?$`;
}

/** The reporter module: writes what Steward needs (error names, causes) to `out` at the end. */
function reporterSource(out: string): string {
  return `import { writeFileSync } from 'node:fs';
const plain = (e) => e == null ? undefined : ({ name: String(e.name ?? 'Error'), message: String(e.message ?? e), cause: e.cause == null ? undefined : { name: String(e.cause.name ?? 'Error'), message: String(e.cause.message ?? e.cause) } });
export default class StewardReporter {
  onTestRunEnd(modules, unhandled) {
    const result = { unhandled: (unhandled ?? []).map(plain), modules: [] };
    for (const m of modules) {
      const tests = [];
      for (const t of m.children.allTests()) {
        const r = t.result();
        tests.push({ name: t.name, state: r.state, errors: (r.errors ?? []).map(plain) });
      }
      result.modules.push({ id: m.moduleId, errors: m.errors().map(plain), tests });
    }
    writeFileSync(${JSON.stringify(out)}, JSON.stringify(result));
  }
}
`;
}

/** Preloaded in every vitest process: fast-check's global seed from the run's (fresh per run). */
function preloadSource(entries: readonly string[]): string {
  return `const seed = Number(process.env.${FAST_CHECK_SEED_ENV});
if (Number.isInteger(seed)) {
  for (const entry of ${JSON.stringify(entries.map((e) => pathToFileURL(e).href))}) {
    const m = await import(entry);
    const fc = m.fc ?? m.default ?? m;
    if (typeof fc.configureGlobal === 'function') {
      fc.configureGlobal({ ...(typeof fc.readConfigureGlobal === 'function' ? fc.readConfigureGlobal() : {}), seed });
    }
  }
}
`;
}

interface PlainError {
  name: string;
  message: string;
  cause?: { name: string; message: string } | undefined;
}

interface Reported {
  unhandled: PlainError[];
  modules: {
    id: string;
    errors: PlainError[];
    tests: { name: string; state: string; errors: PlainError[] }[];
  }[];
}

function describeError(error: PlainError): string {
  return firstLines(`${error.name}: ${error.message}`);
}

/** A failure is an assertion when the error (or, for a fast-check property, its cause) is an AssertionError. */
export function outcomeOfErrors(errors: readonly PlainError[]): TestOutcome {
  const error = errors[0] ?? { name: 'Error', message: 'failed without an error' };
  const property = error.message.startsWith('Property failed') && error.cause !== undefined;
  const effective = property && error.cause !== undefined ? error.cause : error;
  const failure = /AssertionError/.test(effective.name) ? 'assertion' : 'exception';
  const message = property
    ? `${describeError(effective)}\n${firstLines(error.message)}`
    : describeError(effective);
  return { status: 'failed', failure, message };
}

/**
 * Writes the fast-check preload into `work` for the repository's fast-check (and
 * @fast-check/vitest's); undefined when it has neither.
 */
export function fastCheckPreload(root: string, work: string): string | undefined {
  const entries = ['@fast-check/vitest', 'fast-check']
    .map((name) => packageDir(root, name))
    .filter((dir) => dir !== undefined)
    .map(esmEntry)
    .filter((entry) => entry !== undefined);
  if (entries.length === 0) return undefined;
  const preload = join(work, 'preload.mjs');
  writeFileSync(preload, preloadSource(entries));
  return preload;
}

type VitestReport = { kind: 'reported'; reported: Reported } | { kind: 'failed'; message: string };

/**
 * One `vitest run` of the repository's vitest on `paths` with Steward's reporter (and the
 * fast-check preload seeded with `seed` when given), read back: what runVitest and
 * runVitestFiles share.
 */
async function reportOfVitest(
  request: { root: string; timeoutMs: number; env: Readonly<Record<string, string>> },
  paths: readonly string[],
  options: readonly string[],
  seed: number | undefined,
): Promise<VitestReport> {
  const vitestDir = packageDir(request.root, 'vitest');
  const bin = vitestDir === undefined ? undefined : join(vitestDir, 'vitest.mjs');
  if (bin === undefined || !existsSync(bin)) {
    return {
      kind: 'failed',
      message:
        'vitest is not installed in the repository: install its dependencies (npm ci) before running its tests',
    };
  }
  const work = mkdtempSync(join(tmpdir(), 'steward-testrun-'));
  try {
    const out = join(work, 'results.json');
    const reporter = join(work, 'reporter.mjs');
    writeFileSync(reporter, reporterSource(out));
    const preload = seed === undefined ? undefined : fastCheckPreload(request.root, work);
    const args = [
      bin,
      'run',
      ...paths,
      `--reporter=${reporter}`,
      ...options,
      '--coverage.enabled=false',
      '--watch=false',
    ];
    const { log, timedOut } = await runNodeGroup(args, request, {
      ...request.env,
      ...(preload === undefined
        ? {}
        : {
            [FAST_CHECK_SEED_ENV]: String(seed),
            NODE_OPTIONS: `--import=${pathToFileURL(preload).href}`,
          }),
      FORCE_COLOR: '0',
      NO_COLOR: '1',
    });
    if (timedOut) {
      return {
        kind: 'failed',
        message: `the test run was stopped after ${String(request.timeoutMs)} ms (a test that never ends?)`,
      };
    }
    if (!existsSync(out)) {
      return {
        kind: 'failed',
        message: `vitest stopped before reporting: ${firstLines(log.trim().split('\n').slice(-MESSAGE_LINES).join('\n')) || 'no output'}`,
      };
    }
    return { kind: 'reported', reported: JSON.parse(readFileSync(out, 'utf8')) as Reported };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function runVitest(request: VitestRunRequest): Promise<RunResult> {
  const report = await reportOfVitest(
    request,
    [request.path],
    [
      `--testNamePattern=${testNamePattern(request.names)}`,
      `--sequence.shuffle=${String(request.shuffle)}`,
      `--sequence.seed=${String(request.seed)}`,
    ],
    request.seed,
  );
  if (report.kind === 'failed') return report;
  return resultsOf(
    report.reported,
    realpathSync(join(request.root, request.path)),
    request.path,
    request.names,
  );
}

/** What a run of whole test files found: the failures' first lines, or why it could not run. */
export type FilesRunResult =
  { kind: 'ran'; passed: number; failures: string[] } | { kind: 'failed'; message: string };

/**
 * Every test of `paths` (repository-relative, in place) with the repository's vitest: passed when
 * each file loaded and no test failed; a file vitest did not run is a failure, never a pass.
 */
export async function runVitestFiles(request: {
  root: string;
  paths: readonly string[];
  timeoutMs: number;
  env: Readonly<Record<string, string>>;
}): Promise<FilesRunResult> {
  const report = await reportOfVitest(request, request.paths, [], undefined);
  if (report.kind === 'failed') return report;
  const { reported } = report;
  const failures: string[] = [];
  let passed = 0;
  for (const path of request.paths) {
    const absolute = realpathSync(join(request.root, path));
    const modules = reported.modules.filter((m) => sameFile(m.id, absolute));
    if (modules.length === 0) {
      failures.push(
        `vitest did not run ${path}: it does not match the project's test include patterns`,
      );
      continue;
    }
    for (const error of modules.flatMap((m) => m.errors))
      failures.push(`${path} could not run: ${describeError(error)}`);
    for (const test of modules.flatMap((m) => m.tests)) {
      if (test.state === 'passed') passed++;
      else if (test.state === 'failed')
        failures.push(`${path} > ${test.name}: ${outcomeMessage(test.errors)}`);
    }
  }
  for (const error of reported.unhandled)
    failures.push(`an error escaped the tests: ${describeError(error)}`);
  return { kind: 'ran', passed, failures };
}

function outcomeMessage(errors: readonly PlainError[]): string {
  const outcome = outcomeOfErrors(errors);
  return outcome.status === 'failed' ? outcome.message : '';
}

function sameFile(reported: string, absolute: string): boolean {
  try {
    return realpathSync(reported) === absolute;
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT') return false;
    throw error;
  }
}

function resultsOf(
  reported: Reported,
  absolute: string,
  path: string,
  names: readonly string[],
): RunResult {
  const modules = reported.modules.filter((m) => sameFile(m.id, absolute));
  if (modules.length === 0) {
    return {
      kind: 'failed',
      message: `vitest did not run ${path}: it does not match the project's test include patterns`,
    };
  }
  const loadErrors = modules.flatMap((m) => m.errors);
  if (loadErrors.length > 0) {
    return {
      kind: 'failed',
      message: `${path} could not run: ${loadErrors.map(describeError).join('; ')}`,
    };
  }
  if (reported.unhandled.length > 0) {
    // An error no test caught (a rejected promise, a timer that throws): vitest fails the run and
    // cannot say whose it was.
    return {
      kind: 'failed',
      message: `an error escaped the tests: ${reported.unhandled.map(describeError).join('; ')}`,
    };
  }
  const wanted = new Set(names);
  const tests = new Map<string, TestOutcome>();
  for (const test of modules.flatMap((m) => m.tests)) {
    const name = test.name.replace(SEED_SUFFIX, '');
    if (!wanted.has(name)) continue;
    if (test.state === 'passed') {
      if (!tests.has(name)) tests.set(name, { status: 'passed' });
    } else if (test.state === 'failed') {
      if (tests.get(name)?.status !== 'failed') tests.set(name, outcomeOfErrors(test.errors));
    }
  }
  return { kind: 'ran', tests };
}
