import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative as relativePath, resolve, sep } from 'node:path';
import type { RunOptions, RunResult, TestOutcome } from '../testgen/test-runner.ts';
import {
  fastCheckSetup,
  findJest,
  hasFastCheck,
  MIN_SHUFFLE_VERSION,
  readProjectSetupFiles,
  type JestInstall,
  type ProjectSetupFiles,
} from './jest-config.ts';
import { runNodeGroup } from './process.ts';
import { escapeRegExp, firstLines, MESSAGE_LINES } from './messages.ts';
import {
  describeError,
  isReported,
  outcomeOfJestErrors,
  parsed,
  reporterSource,
  type Reported,
} from './jest-report.ts';
import { FAST_CHECK_SEED_ENV, type FilesRunResult } from './vitest.ts';

/**
 * Runs jest, the repository's own, on one test file in a child process: only that file
 * (`--runTestsByPath`), only the named tests (`--testNamePattern`), in shuffled order when asked
 * (`--randomize --seed`), fast-check seeded from the run's seed by a setup file, with the
 * allow-listed environment and a timeout that kills the whole process group. Results come from a
 * reporter Steward writes for the run: jest's `--json` drops what tells an assertion from an
 * exception (the error's stack, fast-check's cause).
 */

export interface JestRunRequest extends RunOptions {
  root: string;
  /** Repository-relative path of the test file (already in place). */
  path: string;
  timeoutMs: number;
  env: Readonly<Record<string, string>>;
  jest: JestInstall;
  /** The config's own setup files (read once per port: `jest --showConfig`). */
  projectSetupFiles: () => Promise<ProjectSetupFiles>;
}

/** @fast-check/jest appends the seed to a property's title. */
const SEED_SUFFIX = / \(with seed=-?\d+\)$/;

/**
 * Jest matches the pattern (case-insensitive) against the describe titles and the title joined
 * with spaces. A space does not mark where the describe chain ends, so a test whose full name
 * merely ends with " <name>" runs too; its result is not taken (results go by title).
 */
export function jestTestNamePattern(names: readonly string[]): string {
  return `^(?:.* )?(?:${names.map(escapeRegExp).join('|')})(?: \\(with seed=-?\\d+\\))?$`;
}

/**
 * The setup files of a run that seeds fast-check: the config's own, then Steward's (empty when
 * the repository has no fast-check, or has several jest projects, where fast-check keeps its own
 * random seeds: runs still differ, but cannot be replayed). `relative`: the config's files as
 * `<rootDir>/…`, for a run in Stryker's sandbox.
 */
async function fastCheckSetupFiles(
  request: Pick<JestRunRequest, 'root' | 'path' | 'jest' | 'projectSetupFiles'>,
  work: string,
  relative: boolean,
): Promise<readonly string[] | { problem: string }> {
  if (!hasFastCheck(request.root)) return [];
  const project = await request.projectSetupFiles();
  if (project.kind === 'failed') return { problem: project.message };
  if (project.kind === 'several-projects') return [];
  const { fileName, source } = fastCheckSetup(
    request.root,
    dirname(resolve(request.root, request.path)),
    request.jest.nodeArgs.includes('--experimental-vm-modules'),
  );
  const setup = join(work, fileName);
  writeFileSync(setup, source);
  const own = project.setupFiles.map((file) => {
    const inside = relativePath(project.rootDir, file);
    return relative && !inside.startsWith('..') && !isAbsolute(inside)
      ? `<rootDir>/${inside.split(sep).join('/')}`
      : file;
  });
  return [...own, setup];
}

export interface JestRunner {
  /** Runs a test file (in place already) with the repository's jest, found anew each time. */
  run(path: string, runOptions: RunOptions): Promise<RunResult>;
  /**
   * The variables that make Stryker's jest runner seed fast-check (with `seed`) in the test
   * contexts: the config's setup files (as `<rootDir>/…`, which is the sandbox under Stryker) and
   * Steward's after them, written into `work`. None when there is no fast-check to seed.
   */
  mutationEnv(
    work: string,
    path: string,
    seed: number,
  ): Promise<MutationSeeding | { problem: string }>;
}

/** What seeds fast-check in the tests under Stryker: variables, and for jest its setup files. */
export interface MutationSeeding {
  env: Record<string, string>;
  jestSetupFiles?: readonly string[];
}

/** What a jest run reported, or why there is nothing to read: it timed out, stopped, or was tampered with. */
function readReport(run: {
  timedOut: boolean;
  log: string;
  out: string;
  timeoutMs: number;
}): Reported | { kind: 'failed'; message: string } {
  if (run.timedOut) {
    return {
      kind: 'failed',
      message: `the test run was stopped after ${String(run.timeoutMs)} ms (a test that never ends?)`,
    };
  }
  if (!existsSync(run.out)) {
    return {
      kind: 'failed',
      message: `jest stopped before reporting: ${firstLines(run.log.trim().split('\n').slice(-MESSAGE_LINES).join('\n')) || 'no output'}`,
    };
  }
  const reported = parsed(readFileSync(run.out, 'utf8'));
  if (!isReported(reported)) {
    // The tests run in the process that writes the report, and can overwrite it.
    return { kind: 'failed', message: "jest's results could not be read: the report was changed" };
  }
  return reported;
}

/**
 * The jest side of the TestRunPort. The config's setup files are read once (they do not change
 * with the candidate file); a failure to read them (a timeout on a busy machine) is not kept.
 */
export function createJestRunner(options: {
  root: string;
  env: Readonly<Record<string, string>>;
  timeoutMs: number;
}): JestRunner {
  let setupFiles: Promise<ProjectSetupFiles> | undefined;
  const projectSetupFiles = (jest: JestInstall) => (): Promise<ProjectSetupFiles> =>
    (setupFiles ??= readProjectSetupFiles(jest, options).then((read) => {
      if (read.kind === 'failed') setupFiles = undefined;
      return read;
    }));
  return {
    async run(path, runOptions) {
      const jest = findJest(options.root);
      if ('problem' in jest) return { kind: 'failed', message: jest.problem };
      return runJest({
        ...options,
        ...runOptions,
        path,
        jest,
        projectSetupFiles: projectSetupFiles(jest),
      });
    },
    async mutationEnv(work, path, seed): Promise<MutationSeeding | { problem: string }> {
      const jest = findJest(options.root);
      // Without jest, Stryker's jest runner says so itself.
      if ('problem' in jest) return { env: {} };
      const files = await fastCheckSetupFiles(
        { root: options.root, path, jest, projectSetupFiles: projectSetupFiles(jest) },
        work,
        true,
      );
      if ('problem' in files) return files;
      if (files.length === 0) return { env: {} };
      return { env: { [FAST_CHECK_SEED_ENV]: String(seed) }, jestSetupFiles: files };
    },
  };
}

export async function runJest(request: JestRunRequest): Promise<RunResult> {
  const { jest } = request;
  if (request.shuffle && !jest.canShuffle) {
    return {
      kind: 'failed',
      message: `the repository's jest ${jest.version} cannot run tests in random order (--randomize came with jest ${MIN_SHUFFLE_VERSION}): upgrade jest to check that candidate tests are stable`,
    };
  }
  const work = mkdtempSync(join(tmpdir(), 'steward-testrun-'));
  try {
    const setupFiles = await fastCheckSetupFiles(request, work, false);
    if ('problem' in setupFiles) return { kind: 'failed', message: setupFiles.problem };
    const out = join(work, 'results.json');
    const reporter = join(work, 'reporter.cjs');
    writeFileSync(reporter, reporterSource(out));
    const absolute = resolve(request.root, request.path);
    const args = [
      ...jest.nodeArgs,
      jest.bin,
      '--ci',
      '--watchman=false',
      '--coverage=false',
      '--runInBand',
      '--forceExit',
      '--passWithNoTests',
      `--reporters=${reporter}`,
      `--testNamePattern=${jestTestNamePattern(request.names)}`,
      ...(request.shuffle ? ['--randomize', `--seed=${String(request.seed)}`] : []),
      ...setupFiles.map((file) => `--setupFiles=${file}`),
      '--runTestsByPath',
      absolute,
    ];
    const { log, timedOut } = await runNodeGroup(args, request, {
      ...request.env,
      ...(setupFiles.length === 0 ? {} : { [FAST_CHECK_SEED_ENV]: String(request.seed) }),
    });
    const reported = readReport({ timedOut, log, out, timeoutMs: request.timeoutMs });
    if ('message' in reported) return reported;
    return resultsOf(reported, realpathSync(absolute), request.path, request.names);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function samePath(reported: string, absolute: string): boolean {
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
  const files = reported.files.filter((f) => samePath(f.path, absolute));
  if (files.length === 0) {
    return {
      kind: 'failed',
      message: `jest did not run ${path}: it does not match the project's testMatch, testRegex, roots or testPathIgnorePatterns`,
    };
  }
  const loadErrors = files.flatMap((f) => (f.execError === undefined ? [] : [f.execError]));
  if (loadErrors.length > 0) {
    return {
      kind: 'failed',
      message: `${path} could not run: ${loadErrors.map((e) => describeError(e, e.text)).join('; ')}`,
    };
  }
  const wanted = new Set(names);
  const tests = new Map<string, TestOutcome>();
  for (const test of files.flatMap((f) => f.tests)) {
    const name = test.title.replace(SEED_SUFFIX, '');
    if (!wanted.has(name)) continue;
    if (test.status === 'passed') {
      if (!tests.has(name)) tests.set(name, { status: 'passed' });
    } else if (test.status === 'failed') {
      if (tests.get(name)?.status !== 'failed') tests.set(name, outcomeOfJestErrors(test.errors));
    }
  }
  return { kind: 'ran', tests };
}

/**
 * Every test of `paths` (repository-relative, in place) with the repository's jest, in band:
 * passed when each file ran and no test failed; a file jest did not run is a failure.
 */
export async function runJestFiles(request: {
  root: string;
  paths: readonly string[];
  timeoutMs: number;
  env: Readonly<Record<string, string>>;
}): Promise<FilesRunResult> {
  const jest = findJest(request.root);
  if ('problem' in jest) return { kind: 'failed', message: jest.problem };
  const work = mkdtempSync(join(tmpdir(), 'steward-testrun-'));
  try {
    const out = join(work, 'results.json');
    const reporter = join(work, 'reporter.cjs');
    writeFileSync(reporter, reporterSource(out));
    const absolutes = request.paths.map((path) => resolve(request.root, path));
    const args = [
      ...jest.nodeArgs,
      jest.bin,
      '--ci',
      '--watchman=false',
      '--coverage=false',
      '--runInBand',
      '--forceExit',
      `--reporters=${reporter}`,
      '--runTestsByPath',
      ...absolutes,
    ];
    const { log, timedOut } = await runNodeGroup(args, request, request.env);
    const reported = readReport({ timedOut, log, out, timeoutMs: request.timeoutMs });
    if ('message' in reported) return reported;
    const failures: string[] = [];
    let passed = 0;
    request.paths.forEach((path, i) => {
      const absolute = realpathSync(absolutes[i] ?? path);
      const files = reported.files.filter((f) => samePath(f.path, absolute));
      if (files.length === 0) {
        failures.push(
          `jest did not run ${path}: it does not match the project's testMatch, testRegex, roots or testPathIgnorePatterns`,
        );
        return;
      }
      for (const file of files) {
        if (file.execError !== undefined)
          failures.push(
            `${path} could not run: ${describeError(file.execError, file.execError.text)}`,
          );
        for (const test of file.tests) {
          if (test.status === 'passed') passed++;
          else if (test.status === 'failed') {
            const outcome = outcomeOfJestErrors(test.errors);
            failures.push(
              `${path} > ${test.title}: ${outcome.status === 'failed' ? outcome.message : ''}`,
            );
          }
        }
      }
    });
    return { kind: 'ran', passed, failures };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
