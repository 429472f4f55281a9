import { readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { MutationRunner } from '../mutation/runner.ts';
import { countMutants, restrictToRanges } from '../mutation/report.ts';
import type {
  ApiVerdict,
  RefactorProofPort,
  TestVerdict,
  TypeCheckVerdict,
} from '../refactor/proof-port.ts';
import { createStrykerRunner } from '../stryker/runner.ts';
import { frameworkOfPackage, frameworkOfTest } from '../testgen/framework.ts';
import { testsReaching } from '../refactor/test-reach.ts';
import { testFilesOf } from '../testgen/project.ts';
import type { SourceText } from '../testgen/types.ts';
import { runJestFiles } from './jest.ts';
import { firstLines, MESSAGE_LINES, withoutColours } from './messages.ts';
import { overlayProblem, withFilesInPlace } from './placement.ts';
import { runGroup } from './process.ts';
import { createTypeScriptProcess } from './typecheck.ts';
import { runVitestFiles, type FilesRunResult } from './vitest.ts';

/**
 * The RefactorProofPort over a repository checkout (src/refactor/proof-port.ts). The type-check
 * and the API comparison run in the TypeScript process (typecheck-child.ts, the repository's
 * TypeScript with the allow-listed environment) with the overlay served from memory: nothing is
 * written. The tests and Stryker run with the overlay written in place, restored byte for byte
 * after (on a throw, a timeout or a signal too): the configured test command, split into words
 * and started without a shell, or the detected runner (the repository's vitest or jest) on the test
 * files that import the module. Every process gets the allow-listed environment only and is killed
 * with its process group at the timeout.
 */

export interface RefactorProofPortOptions {
  /** The repository checkout, its dependencies installed. */
  root: string;
  /** `refactor.test-command`: run as is (no shell) instead of the detected runner; null to detect. */
  testCommand: string | null;
  /** The runner of the related tests; detected from package.json and the test files when absent. */
  framework?: 'vitest' | 'jest' | undefined;
  /** Variables the repository's tests need; nothing else of Steward's environment reaches them. */
  env?: Readonly<Record<string, string>> | undefined;
  /** One test run or one type-check (its processes killed after); 10 minutes by default. */
  timeoutMs?: number | undefined;
  /** `refactor.mutation`: whether mutationScore runs Stryker (else it answers null). */
  mutation: boolean;
  /** Stryker; `createStrykerRunner()` by default. */
  mutationRunner?: MutationRunner | undefined;
  /** One Stryker run; 30 minutes by default. */
  mutationTimeoutMs?: number | undefined;
  /** The TypeScript process's entry; the bundle passes its own copy. */
  typeScriptChildScript?: string | undefined;
}

/** Shell syntax a command run without a shell cannot mean. */
const SHELL_SYNTAX = /[|&;<>()`$]/;

/**
 * A command line as words, the way a POSIX shell splits it without expanding anything: quotes
 * (single, double) and backslashes group and escape; leading `NAME=value` words set variables.
 * Pipes, redirections, `&&`, `;`, `$…` and backticks outside quotes are refused: there is no shell.
 */
export function splitCommand(
  command: string,
): { argv: string[]; env: Record<string, string> } | { problem: string } {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && /["\\$`]/.test(command.charAt(i + 1))) word += command.charAt(++i);
      else if (c === '$' || c === '`')
        return { problem: `the test command uses shell expansion (${c}) inside quotes` };
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      word ??= '';
      quote = c;
    } else if (c === '\\') {
      word = (word ?? '') + command.charAt(++i);
    } else if (SHELL_SYNTAX.test(c)) {
      return {
        problem: `the test command uses shell syntax (${c}): Steward runs it without a shell; put the pipeline in a package script and name that (npm test)`,
      };
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote !== undefined) return { problem: `the test command has an unclosed ${quote} quote` };
  if (word !== undefined) words.push(word);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? '')) {
    const assignment = words.shift() ?? '';
    const at = assignment.indexOf('=');
    env[assignment.slice(0, at)] = assignment.slice(at + 1);
  }
  if (words.length === 0) return { problem: 'the test command names no program' };
  return { argv: words, env };
}

/** Folders never walked for test files. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage']);
/** Most files looked at for the project's test files. */
const MAX_FILES = 100_000;

/** The checkout's files (repository-relative, `/`), without node_modules, .git and dot folders. */
function filesOf(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (out.length >= MAX_FILES) return;
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.'))
          walk(join(dir, entry.name), path);
      } else if (entry.isFile()) out.push(path);
    }
  };
  walk(root, '');
  return out.sort();
}

/** Reads a checkout file, the overlay's text first; null when it cannot be read. */
function reader(root: string, overlay: ReadonlyMap<string, string>) {
  return (path: string): string | null => {
    const served = overlay.get(path);
    if (served !== undefined) return served;
    try {
      return readFileSync(join(root, path), 'utf8');
    } catch {
      // Gone or unreadable: a file that says nothing (a test it could be is not run).
      return null;
    }
  };
}

/**
 * The test files that reach `path`: they load it, directly or through the modules they load (a
 * barrel, an entry module), so running them runs its code (src/refactor/test-reach.ts, the rule
 * selection chose the target by).
 */
export function testFilesImporting(
  root: string,
  path: string,
  overlay: ReadonlyMap<string, string> = new Map(),
): string[] {
  const paths = filesOf(root);
  const known = new Set(paths);
  const read = reader(root, overlay);
  const reach = testsReaching({
    tests: testFilesOf({ paths, read }),
    read,
    exists: (p) => known.has(p),
  });
  return reach.get(path) ?? [];
}

/** vitest or jest, as the root package.json or else the test files' imports say; null for neither. */
function detectRunner(
  tests: readonly string[],
  read: (path: string) => string | null,
): 'vitest' | 'jest' | null {
  const fromTests = tests.map((t) => frameworkOfTest(read(t) ?? '')).find((f) => f !== null);
  const found = fromTests ?? frameworkOfPackage(read('package.json'));
  return found === 'vitest' || found === 'jest' ? found : null;
}

/** The first lines of a command's output from its first line that reads like a failure. */
export function failureLines(log: string): string {
  const lines = withoutColours(log).split('\n');
  const at = lines.findIndex((line) =>
    /\b(?:FAIL|FAILED|fail|failed|Error|AssertionError|not ok|Expected)\b|[✗×]/.test(line),
  );
  const kept = at < 0 ? lines.slice(-MESSAGE_LINES) : lines.slice(at);
  return firstLines(kept.join('\n')) || 'no output';
}

function verdictOfFiles(result: FilesRunResult, tests: readonly string[]): TestVerdict {
  if (result.kind === 'failed') return { kind: 'failed', detail: firstLines(result.message) };
  if (result.failures.length > 0)
    return { kind: 'failed', detail: firstLines(result.failures.join('\n')) };
  if (result.passed === 0)
    return { kind: 'unavailable', reason: `no test ran in ${tests.join(', ')}` };
  return {
    kind: 'passed',
    detail: `${String(result.passed)} tests passed in ${tests.join(', ')}`,
  };
}

function overlayFiles(root: string, overlay: ReadonlyMap<string, string>): SourceText[] {
  const files = [...overlay].map(([path, text]) => ({ path, text }));
  for (const file of files) {
    const problem = overlayProblem(root, file.path);
    if (problem !== undefined) throw new Error(problem);
  }
  return files;
}

export function createRefactorProofPort(options: RefactorProofPortOptions): RefactorProofPort {
  const { root } = options;
  const env = options.env ?? {};
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const typescript = createTypeScriptProcess({
    root,
    env,
    timeoutMs,
    childScript: options.typeScriptChildScript,
  });

  const runCommand = async (command: string): Promise<TestVerdict> => {
    const split = splitCommand(command);
    if ('problem' in split) return { kind: 'unavailable', reason: split.problem };
    const [program = '', ...args] = split.argv;
    // The repository's tools by name, as `npm test` finds them.
    const path = [join(root, 'node_modules', '.bin'), process.env['PATH'] ?? ''].join(delimiter);
    try {
      const run = await runGroup(
        program,
        args,
        { root, timeoutMs },
        { PATH: path, ...env, ...split.env },
      );
      if (run.timedOut) {
        return {
          kind: 'failed',
          detail: `\`${command}\` was stopped after ${String(timeoutMs)} ms (a test that never ends?)`,
        };
      }
      if (run.exitCode === 0) return { kind: 'passed', detail: `\`${command}\` passed` };
      return {
        kind: 'failed',
        detail: `\`${command}\` exited with ${String(run.exitCode ?? 'a signal')}:\n${failureLines(run.log)}`,
      };
    } catch (error: unknown) {
      if ((error as { code?: string }).code === 'ENOENT')
        return {
          kind: 'unavailable',
          reason: `the test command's program ${program} was not found`,
        };
      throw error;
    }
  };

  return {
    async typecheck(overlay): Promise<TypeCheckVerdict> {
      // Served from memory only, but held to the same paths as what is written.
      overlayFiles(root, overlay);
      return (await typescript.request(
        { kind: 'project', overlay: [...overlay] },
        'the type-check of the project',
      )) as TypeCheckVerdict;
    },

    async compareApi(path, before, after): Promise<ApiVerdict> {
      overlayFiles(root, new Map([[path, after]]));
      return (await typescript.request(
        { kind: 'api', path, before, after },
        `the declaration emit of ${path}`,
      )) as ApiVerdict;
    },

    async runTests(overlay, path): Promise<TestVerdict> {
      const files = overlayFiles(root, overlay);
      if (options.testCommand !== null) {
        const command = options.testCommand;
        return withFilesInPlace(root, files, () => runCommand(command));
      }
      const read = reader(root, overlay);
      const tests = testFilesImporting(root, path, overlay);
      if (tests.length === 0)
        return { kind: 'unavailable', reason: `no test file imports ${path}` };
      const runner = options.framework ?? detectRunner(tests, read);
      if (runner === null) {
        return {
          kind: 'unavailable',
          reason: `the tests of ${path} use neither vitest nor jest: set refactor.test-command to run them`,
        };
      }
      const request = { root, paths: tests, timeoutMs, env };
      return withFilesInPlace(root, files, async () =>
        verdictOfFiles(
          runner === 'vitest' ? await runVitestFiles(request) : await runJestFiles(request),
          tests,
        ),
      );
    },

    async mutationScore(overlay, path, lines): Promise<number | null> {
      if (!options.mutation) return null;
      const files = overlayFiles(root, overlay);
      const runner = options.mutationRunner ?? createStrykerRunner();
      const ranges = [{ path, startLine: lines.start, endLine: lines.end }];
      const outcome = await withFilesInPlace(root, files, () =>
        runner.run({
          root,
          ranges,
          env,
          timeoutMs: options.mutationTimeoutMs ?? 30 * 60_000,
        }),
      );
      switch (outcome.kind) {
        case 'report':
          if (outcome.partial) {
            throw new Error(
              `Stryker stopped before testing every mutant of ${path}:${String(lines.start)}-${String(lines.end)}${outcome.reason === undefined ? '' : ` (${outcome.reason})`}: no score to compare`,
            );
          }
          return countMutants(restrictToRanges(outcome.report, ranges)).score;
        case 'dry-run-failed':
          throw new Error(`Stryker's initial test run failed: ${outcome.message}`);
        case 'setup-failed':
          throw new Error(`${outcome.message} (${outcome.hint})`);
        case 'crashed':
          throw new Error(`Stryker crashed: ${outcome.message}`);
      }
    },

    close: () => typescript.close(),
  };
}
