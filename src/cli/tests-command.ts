import { resolve } from 'node:path';
import type { MutationTestResult } from 'mutation-testing-report-schema';
import { parseGitDiff } from '../diff/git-diff.ts';
import { DiffParseError, type ReviewFile } from '../diff/review-file.ts';
import { openGitRevisionReader } from '../git/revision-reader.ts';
import { sanitize } from '../hotspots/report/format.ts';
import type { ModelClient } from '../llm/model-call.ts';
import { modelClientFor } from '../llm/model-client-for.ts';
import { MutationReportError } from '../mutation/report.ts';
import type { MutationRunner } from '../mutation/runner.ts';
import type { SkippedFile } from '../mutation/scope.ts';
import type { RevisionReader } from '../revision/reader.ts';
import { defaultBase, NoReviewBaseError } from '../review/local-review.ts';
import type { Baseline, BaselineInput } from '../testgen/baseline.ts';
import type { GenerationProgress } from '../testgen/generate.ts';
import type { PatchFile } from '../testgen/patch.ts';
import type { TestGenConfig } from '../testgen/settings.ts';
import type { TestRunPort } from '../testgen/test-runner.ts';
import type { TestFramework, TestTarget } from '../testgen/types.ts';
import { analysisContext, exitOnGitError, parseFormat } from './analysis-args.ts';
import { colors } from './color.ts';
import { UsageError, parseCommandArgs, type CommandCode, type CommandIO } from './command.ts';
import { processModelKey } from './model-key.ts';
import { changedSinceHead, readReportFile } from './mutate-files.ts';
import { changesOf, checkoutView, writeTestFiles, type CheckoutView } from './tests-checkout.ts';
import { unifiedDiff } from './tests-diff.ts';
import {
  testsJson,
  testsMarkdown,
  testsText,
  type BaselineSummary,
  type TestsRun,
} from './tests-report.ts';

const FORMATS = ['text', 'json', 'markdown'] as const;

const USAGE = `Usage: steward tests [--repo DIR] [--base REF | --file PATH[:FUNCTION]] [--write]
                     [--format text|json|markdown] [--offline] [--report FILE]

Generate unit tests for a change and keep only those that earn their place: each must
type-check, pass every run (shuffled, fresh seeds), and kill a mutant that survived on the
change's lines or cover a changed line no test covered. The targets are the functions and
methods whose lines HEAD changed since its merge base with the base, ranked by the mutants
that survive on them (Stryker measures them first, unless --report gives them), at most
test-gen.max-targets of them. With ANTHROPIC_API_KEY set (ANTHROPIC_BASE_URL honoured)
Claude proposes the tests, within test-gen.max-calls and max-cost-usd; without it (or with
--offline) property tests are derived from the types. The test-gen section of
.github/steward.yml applies. Claude's tests that fail on an assertion every time are
reported as possible bugs, never written.

Without --write the kept tests are printed as a patch (git apply takes it); nothing in the
repository changes. vitest and jest projects run candidate tests (node:test not yet).

Options:
  --base REF          The revision to compare with (default: the current branch's upstream
                      unless it is the branch's own remote copy, else the default branch:
                      origin/HEAD, main or master)
  --file PATH[:FN]    Generate for the functions of PATH (relative to the repository root),
                      or for the one named FN (a method as Class.method), instead of a diff
  --write             Write the test files into the working tree (only test files, only
                      inside the repository, none that changed while the tests were made)
  --format F          text (default), json or markdown
  --offline           Derive property tests from the types even when ANTHROPIC_API_KEY is set
  --report FILE       A Stryker mutation.json of the checked-out code: its survivors rank the
                      targets, and Stryker is not run first
  --repo DIR          The repository (default: the current directory)
  -h, --help          Show this help

JSON (--format json), version 1: { version, base, file, mode: { model, offline },
baseline: { kind: report|measured|failed|none, … }, funnel: { candidates, typeChecks,
passes, stable, addsValue, kept, possibleBugs }, kept: [{ name, target, sourcePath,
testPath, kills: [{ id, mutator, line, original, replacement }], covers }], possibleBugs:
[{ name, target, sourcePath, assertion }], targets: [{ path, name, startLine, endLine,
exported, changedLines, survivingMutants, framework, testPath, funnel, candidates: [{ name,
kind, origin, round, verdict }], notes }], capped, skipped, files: [{ path, status:
added|modified, text }], patch, written, usage, notices }.

Exit status: 0 done, whether tests were kept or not (possible bugs are reported, they do
not fail it), 1 the repository, a revision or the config could not be read, the changed
files differ from HEAD in the work tree, or --write refused a file, 2 bad usage (a bad
--file, --report or --format).
`;

export interface TestsCommandEnvironment {
  /** ANTHROPIC_API_KEY, read by the caller; empty when unset. */
  apiKey(): string;
  /** ANTHROPIC_BASE_URL; undefined for the Anthropic API. */
  baseUrl(): string | undefined;
  /** The Stryker runner; loaded from src/stryker when absent. */
  runner?: () => Promise<MutationRunner>;
  /** The test-run port for a framework; src/testrun's over the checkout when absent. */
  testRunner?: OpenTestRunner;
}

export type ClosableTestRunPort = TestRunPort & { close(): void };
export type OpenTestRunner = (root: string, framework: TestFramework) => ClosableTestRunPort;

/** `steward tests`, with the key and the edges injectable (tests pass their own). */
export function createTestsCommand(env: TestsCommandEnvironment): CommandCode {
  return { usage: USAGE, run: (argv, io) => tests(argv, io, env) };
}

/** `steward tests` as the CLI registers it: the key from the process environment. */
export const testsCommand = createTestsCommand(processModelKey);

const OPTIONS = {
  base: { type: 'string' },
  repo: { type: 'string' },
  format: { type: 'string' },
  file: { type: 'string' },
  write: { type: 'boolean' },
  offline: { type: 'boolean' },
  report: { type: 'string' },
} as const;

interface Selection {
  targets: TestTarget[];
  capped: TestTarget[];
  skipped: SkippedFile[];
}

async function tests(
  argv: readonly string[],
  io: CommandIO,
  env: TestsCommandEnvironment,
): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    options: OPTIONS,
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new UsageError(
      `unexpected argument "${positionals[0]}" (name a file with --file PATH[:FUNCTION])`,
    );
  if (values.file !== undefined && values.base !== undefined)
    throw new UsageError('--file names the targets itself, so --base means nothing with it');
  if (values.file?.trim() === '')
    throw new UsageError('--file needs a path, such as --file src/args.ts:parse');
  const format = parseFormat(values.format, FORMATS, 'text');
  const context = await analysisContext(values, io);
  if (!context) return 1;
  const config = context.config.testGen;
  // The parsers and the generator load only when the command runs, not for its --help.
  const [{ generateTests, usesOffline }, testgen, { measureBaseline }] = await Promise.all([
    import('../testgen/generate.ts'),
    loadTargetFinders(),
    import('../testgen/baseline.ts'),
  ]);

  let report: MutationTestResult | null = null;
  if (values.report !== undefined) {
    try {
      report = await readReportFile(resolve(io.cwd, values.report), values.report);
    } catch (error: unknown) {
      if (!(error instanceof MutationReportError)) throw error;
      io.stderr(`steward tests: --report ${error.message}\n`);
      return 2;
    }
  }

  const notices: string[] = [];
  const source = await proposalSource(config, env, values.offline === true, usesOffline, io);
  if (source === null) return 1;
  const { model, offline } = source;
  if (source.notice !== null) notices.push(source.notice);

  return exitOnGitError('tests', io, async () => {
    const reader = await openGitRevisionReader(context.repoDir);
    const root = reader.repository.root;
    const view = await checkoutView(root);

    const selected = await selectTargets(values, { reader, view, config, report, io }, testgen);
    if (typeof selected === 'number') return selected;
    const { selection, base } = selected;

    const loadRunner =
      env.runner ?? (async () => (await import('../stryker/runner.ts')).createStrykerRunner());
    const { targets, capped, baseline } = await survivors(selection, measureBaseline, {
      report: values.report === undefined ? null : values.report,
      config,
      root,
      view,
      io,
      loadRunner,
      notices,
    });

    const ports = await generationPorts(root, env, loadRunner, targets.length > 0);
    let result;
    try {
      result = await generateTests(
        { targets, config, offline },
        {
          project: view,
          testRunner: ports.testRunner,
          formatter: ports.formatter,
          model,
          progress: io.progress ? (event) => io.progress!(progressLine(event)) : undefined,
        },
      );
    } finally {
      ports.close();
    }

    const changes = changesOf(root, result.files);
    const written =
      values.write === true && result.files.length > 0
        ? await writeOrRefuse(root, view, result.files, io)
        : false;
    const patch = unifiedDiff(changes);
    const run: TestsRun = {
      base,
      file: values.file ?? null,
      mode: { model: model === null ? null : config.model, offline },
      baseline,
      result,
      capped,
      skipped: selection.skipped,
      changes,
      written,
      notices: [...notices, ...result.notices],
    };
    io.stdout(
      format === 'json'
        ? `${JSON.stringify(testsJson(run, patch), null, 2)}\n`
        : format === 'markdown'
          ? testsMarkdown(run, patch)
          : testsText(run, colors(io.color), patch),
    );
    if (written) for (const change of changes) io.stderr(`wrote ${sanitize(change.path)}\n`);
    return values.write === true && result.files.length > 0 && !written ? 1 : 0;
  });
}

async function loadTargetFinders() {
  const [{ targetsOf }, { targetsForFileSpec }] = await Promise.all([
    import('../testgen/targets.ts'),
    import('../testgen/file-spec.ts'),
  ]);
  return { targetsOf, targetsForFileSpec };
}

/**
 * The targets: the functions `--file` names, or those whose lines HEAD changed since the base.
 * A number is the exit code when they cannot be found (the reason is on stderr).
 */
async function selectTargets(
  values: { file?: string | undefined; base?: string | undefined },
  input: {
    reader: RevisionReader;
    view: CheckoutView;
    config: TestGenConfig;
    report: MutationTestResult | null;
    io: CommandIO;
  },
  finders: Awaited<ReturnType<typeof loadTargetFinders>>,
): Promise<{ selection: Selection; base: string | null } | number> {
  const { reader, view, config, report, io } = input;
  if (values.file !== undefined) {
    const pick = finders.targetsForFileSpec(values.file, view.read, {
      maxTargets: config.maxTargets,
      report,
    });
    if (!pick.ok) {
      io.stderr(`steward tests: --file ${pick.message}\n`);
      return 2;
    }
    return { selection: { targets: pick.targets, capped: pick.capped, skipped: [] }, base: null };
  }
  const base = values.base ?? (await defaultTestsBase(reader, io));
  if (base === null) return 1;
  const files = await changedFiles(reader, base, io);
  if (files === null) return 1;
  const selection = finders.targetsOf(files, view.read, {
    maxTargets: config.maxTargets,
    include: config.include,
    exclude: config.exclude,
    report,
  });
  if (!(await targetsMatchHead(reader, selection, io))) return 1;
  return { selection, base };
}

/** `--write`: true when the files were written; false (each refusal on stderr) when none was. */
async function writeOrRefuse(
  root: string,
  view: CheckoutView,
  files: readonly PatchFile[],
  io: CommandIO,
): Promise<boolean> {
  const refusals = await writeTestFiles(root, view, files);
  for (const r of refusals)
    io.stderr(`steward tests: --write refused ${sanitize(r.path)}: ${r.reason}\n`);
  if (refusals.length === 0) return true;
  io.stderr('steward tests: nothing was written; the patch is printed instead\n');
  return false;
}

/**
 * Where candidates come from: Claude with a key (unless --offline), the types offline when
 * test-gen.offline says so. Null (why on stderr) when neither may propose anything.
 */
async function proposalSource(
  config: TestGenConfig,
  env: TestsCommandEnvironment,
  offlineFlag: boolean,
  usesOffline: (mode: TestGenConfig['offline'], hasModel: boolean, forced: boolean) => boolean,
  io: CommandIO,
): Promise<{ model: ModelClient | null; offline: boolean; notice: string | null } | null> {
  const model = await modelClientFor(config, {
    apiKey: offlineFlag ? '' : env.apiKey(),
    baseUrl: env.baseUrl(),
  });
  const offline = usesOffline(config.offline, model !== null, offlineFlag);
  if (model !== null || offlineFlag) return { model, offline, notice: null };
  if (!offline) {
    io.stderr(
      'steward tests: no ANTHROPIC_API_KEY, and test-gen.offline is never: nothing can propose tests.\n  Set ANTHROPIC_API_KEY, or pass --offline for property tests derived from the types.\n',
    );
    return null;
  }
  return {
    model,
    offline,
    notice:
      'no ANTHROPIC_API_KEY: only property tests derived from the types (test-gen.offline: auto); set the key for Claude to propose tests',
  };
}

/** The default base as review finds it, told in this command's words when there is none. */
async function defaultTestsBase(reader: RevisionReader, io: CommandIO): Promise<string | null> {
  try {
    return (await defaultBase(reader)).ref;
  } catch (error: unknown) {
    if (!(error instanceof NoReviewBaseError)) throw error;
    io.stderr(
      `steward tests: ${reader.repository.root}: no base to compare with: the current branch has no upstream, and neither origin/HEAD, main nor master exists.\n  Pass the revision to compare with (steward tests --base <branch|tag|sha>), or name a file: steward tests --file PATH[:FUNCTION]\n`,
    );
    return null;
  }
}

/** The diff of `base...HEAD`; null (the reason on stderr) when it cannot be read. */
async function changedFiles(
  reader: RevisionReader,
  base: string,
  io: CommandIO,
): Promise<ReviewFile[] | null> {
  const [baseSha, headSha] = await Promise.all([
    reader.resolveCommit(base, '--base'),
    reader.resolveCommit('HEAD', 'HEAD'),
  ]);
  try {
    return parseGitDiff(await reader.diff(`${baseSha}...${headSha}`));
  } catch (error: unknown) {
    if (!(error instanceof DiffParseError)) throw error;
    io.stderr(`steward tests: could not read the diff: ${error.message}\n`);
    return null;
  }
}

/**
 * The changed lines come from the commits while the tests run against the files on disk: a target's
 * file that differs from HEAD would put them on the wrong code. False (why, on stderr) when one does.
 */
async function targetsMatchHead(
  reader: RevisionReader,
  selection: Selection,
  io: CommandIO,
): Promise<boolean> {
  const paths = new Set([...selection.targets, ...selection.capped].map((t) => t.path));
  if (paths.size === 0) return true;
  const dirty = (await changedSinceHead(reader)).filter((path) => paths.has(path));
  if (dirty.length === 0) return true;
  io.stderr(
    `steward tests: ${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ` and ${dirty.length - 5} more` : ''} ${dirty.length === 1 ? 'differs' : 'differ'} from HEAD: the changed lines come from the commits, the tests run against the files on disk.\n  Commit the changes or set them aside (git stash), or name the function instead: steward tests --file PATH:FUNCTION\n`,
  );
  return false;
}

/** The targets with the mutants that survive on them: from `--report`, or measured by Stryker. */
async function survivors(
  selection: Selection,
  measureBaseline: (input: BaselineInput) => Promise<Baseline>,
  input: {
    report: string | null;
    config: TestGenConfig;
    root: string;
    view: CheckoutView;
    io: CommandIO;
    loadRunner: () => Promise<MutationRunner>;
    notices: string[];
  },
): Promise<{ targets: TestTarget[]; capped: TestTarget[]; baseline: BaselineSummary }> {
  const { targets, capped } = selection;
  if (input.report !== null)
    return { targets, capped, baseline: { kind: 'report', path: input.report } };
  if (targets.length === 0) return { targets, capped, baseline: { kind: 'none' } };
  const progress = input.io.progress;
  progress?.('measuring the mutants that survive on the targets (Stryker)');
  const measured = await measureBaseline({
    targets: [...targets, ...capped],
    maxTargets: Math.max(targets.length, input.config.maxTargets),
    runner: await input.loadRunner(),
    request: {
      root: input.root,
      ...(progress
        ? {
            onProgress: ({ tested, total }) =>
              progress(
                `measuring survivors: ${tested}${total === undefined ? '' : `/${total}`} mutants tested`,
              ),
          }
        : {}),
    },
    headText: input.view.read,
  });
  if (measured.kind === 'failed') {
    input.notices.push(
      `no surviving mutants measured, so the targets are ranked by their changed lines: ${measured.message}`,
    );
    return {
      targets: measured.targets,
      capped: measured.capped,
      baseline: { kind: 'failed', message: measured.message },
    };
  }
  if (measured.notice !== null) input.notices.push(measured.notice);
  return {
    targets: measured.targets,
    capped: measured.capped,
    baseline: { kind: 'measured', partial: measured.partial },
  };
}

/** The edges generation runs on: a test-run port per framework (closed at the end), prettier. */
async function generationPorts(
  root: string,
  env: TestsCommandEnvironment,
  loadRunner: () => Promise<MutationRunner>,
  needed: boolean,
) {
  const { createPrettierFormatter } = await import('../prettier/format.ts');
  const formatter = createPrettierFormatter({ root });
  let open: OpenTestRunner = () => {
    throw new Error('no target, so no test runner');
  };
  if (needed) {
    if (env.testRunner !== undefined) open = env.testRunner;
    else {
      const mutationRunner = await loadRunner();
      const { createTestRunPort } = await import('../testrun/port.ts');
      open = (at, framework) => createTestRunPort({ root: at, framework, mutationRunner });
    }
  }
  const opened = new Map<TestFramework, ClosableTestRunPort>();
  return {
    formatter,
    testRunner(framework: TestFramework): TestRunPort {
      let port = opened.get(framework);
      if (port === undefined) {
        port = open(root, framework);
        opened.set(framework, port);
      }
      return port;
    },
    close() {
      for (const port of opened.values()) port.close();
    },
  };
}

function progressLine(event: GenerationProgress): string {
  const step = {
    proposing: 'asking Claude',
    offline: 'deriving property tests',
    checking: 'checking candidates',
    retrying: 'retrying with the failures',
    done: 'done',
  }[event.step];
  return sanitize(
    `tests: ${event.index}/${event.total} ${event.target.name} (${event.target.path}): ${step}`,
  );
}
