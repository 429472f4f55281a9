import { existsSync, readFileSync } from 'node:fs';
import {
  checkoutKeepsToken,
  diffFromCheckout,
  inertLog,
  mergedBase,
  payloadBaseSha,
  PERSISTED_TOKEN,
  pinCheckout,
} from '../shared/checkout.ts';
import type { StepLog, StepMessage, StepReport } from '../shared/step.ts';
import type { PullRequestSnapshot } from '../../src/github/client.ts';
import { checkoutProject } from '../../src/git/checkout-project.ts';
import { openGitRevisionReader } from '../../src/git/revision-reader.ts';
import { modelClientFor } from '../../src/llm/model-client-for.ts';
import { parseMutationReportText } from '../../src/mutation/report.ts';
import type { MutationRunner } from '../../src/mutation/runner.ts';
import type { RevisionReader } from '../../src/revision/reader.ts';
import { measureBaseline } from '../../src/testgen/baseline.ts';
import type { TestFileFormatter } from '../../src/testgen/formatter.ts';
import { generateTests, usesOffline } from '../../src/testgen/generate.ts';
import { createTestPatch, serializeTestPatch } from '../../src/testgen/patch.ts';
import type { TestGenConfig } from '../../src/testgen/settings.ts';
import { targetsOf } from '../../src/testgen/targets.ts';
import type { TestRunPort } from '../../src/testgen/test-runner.ts';
import { ZERO_FUNNEL } from '../../src/testgen/round.ts';
import type { TestFramework, TestTarget } from '../../src/testgen/types.ts';
import type { MutationTestResult } from 'mutation-testing-report-schema';
import {
  createTestRunPort,
  type RepositoryTestRunPort,
  type TestRunPortOptions,
} from '../../src/testrun/port.ts';
import { createPrettierFormatter } from '../../src/prettier/format.ts';
import type { TestGenInputs } from './inputs.ts';
import { generateStepReport, nothingToGenerateReport, type Measured } from './outputs.ts';

/** What the generate job starts for the checkout (injectable so tests see what it was given). */
export interface TestGenActionDependencies {
  /** Stryker for the baseline; src/stryker's when absent. */
  runner?: () => Promise<MutationRunner>;
  /** src/testrun's createTestRunPort when absent. */
  testRunPort?: (options: TestRunPortOptions) => RepositoryTestRunPort;
  /** src/prettier's when absent. */
  formatter?: (root: string) => TestFileFormatter;
  /** The use case; src/testgen/generate.ts when absent. */
  generate?: typeof generateTests;
}

/** The documented workflow shape: the key and the pull request's code in one job, the write token in another. */
export const TWO_JOB_HINT =
  'Use the two-job workflow from the README ("Test generation"): a generate job with `permissions: contents: read`, ' +
  '`persist-credentials: false` on actions/checkout and this action (it uploads the patch with actions/upload-artifact), ' +
  'then a deliver job with `permissions: contents: write, pull-requests: write` that runs this action with `mode: deliver` and no checkout.';

/**
 * The variables the pull request's tests, TypeScript and Stryker get beside the allow-listed ones
 * (PATH, HOME, …; src/stryker/environment.ts): none of Steward's, so neither the token nor the key.
 */
export const TEST_ENV: Readonly<Record<string, string>> = { CI: 'true' };

/**
 * The model key must never meet the pull request's code when that code comes from outside the
 * repository: on pull_request_target (the base's secrets, any head) and for a fork's pull request
 * (on a dispatch, or where a repository sends secrets to forks), the code run before this step
 * (npm ci) could rewrite this action's files and read the key when it starts. Without a key the
 * offline generation is fine there.
 */
export function refuseKeyBesideUntrustedCode(
  inputs: TestGenInputs,
  pull: PullRequestSnapshot,
): void {
  if (!inputs.apiKey) return;
  if (inputs.eventName !== 'pull_request_target' && !pull.isCrossRepository) return;
  const why =
    inputs.eventName === 'pull_request_target'
      ? 'on pull_request_target the checkout and install run code the pull request chose'
      : `#${pull.number} comes from a fork, whose code this job checks out and runs`;
  throw new Error(
    `Steward will not hold the Anthropic API key beside the pull request's code: ${why}, and it could read the key. ` +
      'Pass anthropic-api-key only for pull requests from this repository ' +
      "(`${{ github.event.pull_request.head.repo.full_name == github.repository && secrets.ANTHROPIC_API_KEY || '' }}`); " +
      `without a key Steward derives property tests from the types (test-gen.offline: auto). ${TWO_JOB_HINT}`,
  );
}

/**
 * The generate job (the key, a read-only token, the pull request's code): the change's targets in
 * the checkout, their surviving mutants, generation, and the patch for the deliver job.
 */
export async function generateJob(input: {
  inputs: TestGenInputs;
  payload: Record<string, unknown>;
  config: TestGenConfig;
  pull: PullRequestSnapshot;
  deps: TestGenActionDependencies;
  log: StepLog;
}): Promise<StepReport> {
  const { inputs, payload, config, pull, deps, log } = input;
  const reader = await openGitRevisionReader(inputs.workspace);
  if (await checkoutKeepsToken(reader)) throw new Error(`${PERSISTED_TOKEN} ${TWO_JOB_HINT}`);
  const checkedOut = reader.repository.head;
  const root = reader.repository.root;
  // On the merge commit of the head into its base, the change is what the merge adds to its base.
  const mergedInto = await mergedBase(reader, checkedOut, pull.headSha);
  const baseSha = payloadBaseSha(payload) ?? pull.baseSha;
  const files = await diffFromCheckout(reader, mergedInto ?? baseSha, checkedOut, pull.number);
  const project = await checkoutProject(root, checkedOut);
  const notes: StepMessage[] = [];
  const report = readMutationReport(inputs.mutationReport, notes);
  const selection = targetsOf(files, project.read, {
    maxTargets: config.maxTargets,
    include: config.include,
    exclude: config.exclude,
    report,
  });
  const measured = await survivorsOf(selection, report, config, deps, root, log, project.read);
  if (measured.kind === 'failed')
    notes.push(
      {
        level: 'warning',
        text: 'Steward could not measure the surviving mutants on the targets (the reason is in the log): tests are ranked and judged by the changed lines they cover.',
      },
      // Stryker's message quotes the pull request's tests: workflow commands stay off in it.
      {
        level: 'info',
        text: inertLog('Why the mutants were not measured:', measured.message.slice(-4000)),
      },
    );
  else if (measured.notice) notes.push({ level: 'notice', text: measured.notice });
  if (measured.targets.length === 0) {
    // The deliver job always finds a patch: this one names the pull request and holds no file.
    const empty = createTestPatch({
      repository: `${inputs.repo.owner}/${inputs.repo.repo}`,
      pullRequest: pull.number,
      headSha: checkedOut,
      files: [],
      report: { funnel: { ...ZERO_FUNNEL }, kept: [], possibleBugs: [] },
    });
    return nothingToGenerateReport({
      inputs,
      pull,
      skipped: selection.skipped,
      notes,
      patchText: serializeTestPatch(empty),
    });
  }

  const model = await modelClientFor(
    { model: config.model },
    { apiKey: inputs.apiKey, baseUrl: inputs.baseUrl },
  );
  const offline = usesOffline(config.offline, model !== null);
  const openPort = deps.testRunPort ?? createTestRunPort;
  const ports = new Map<TestFramework, RepositoryTestRunPort>();
  const testRunner = (framework: TestFramework): TestRunPort => {
    let port = ports.get(framework);
    if (port === undefined) {
      port = openPort({ root, framework, env: TEST_ENV });
      ports.set(framework, port);
    }
    return port;
  };
  let result;
  try {
    result = await (deps.generate ?? generateTests)(
      { targets: measured.targets, config, offline },
      {
        project,
        testRunner,
        formatter: (deps.formatter ?? defaultFormatter)(root),
        model,
        progress: (event) => {
          if (event.step !== 'checking' && event.step !== 'retrying')
            log.info(
              // A path may hold a line break (git allows it): a new line could start a workflow command.
              `test generation: ${event.index}/${event.total} ${oneLine(event.target.path)} ${oneLine(event.target.name)}: ${event.step}`,
            );
        },
      },
    );
  } finally {
    for (const port of ports.values()) port.close();
  }
  const headSha = await pinnedHead(
    reader,
    pull,
    [...files.map((f) => f.path), ...result.files.map((f) => f.path)],
    mergedInto !== null,
    notes,
  );
  const patch = createTestPatch({
    repository: `${inputs.repo.owner}/${inputs.repo.repo}`,
    pullRequest: pull.number,
    headSha,
    files: result.files,
    report: result.report,
  });
  return generateStepReport({
    inputs,
    pull,
    result,
    measured,
    offline,
    hasModel: model !== null,
    patchText: serializeTestPatch(patch),
    headSha,
    notes,
  });
}

function defaultFormatter(root: string): TestFileFormatter {
  return createPrettierFormatter({ root });
}

/** The mutation-report action's mutation.json for the head: missing or malformed falls back to measuring. */
function readMutationReport(
  path: string | undefined,
  notes: StepMessage[],
): MutationTestResult | null {
  if (path === undefined) return null;
  if (!existsSync(path)) {
    notes.push({
      level: 'notice',
      text: `Input mutation-report ${path} does not exist: Steward measures the surviving mutants itself.`,
    });
    return null;
  }
  try {
    return parseMutationReportText(readFileSync(path, 'utf8'), `mutation-report ${path}`);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    notes.push({
      level: 'warning',
      text: `Input mutation-report is not a usable mutation report, so Steward measures the surviving mutants itself: ${message}`,
    });
    return null;
  }
}

/** The targets with the mutants that survive on them: from the report, or from one Stryker run. */
async function survivorsOf(
  selection: { targets: TestTarget[]; capped: TestTarget[] },
  report: MutationTestResult | null,
  config: TestGenConfig,
  deps: TestGenActionDependencies,
  root: string,
  log: StepLog,
  headText: (path: string) => string | null,
): Promise<Measured> {
  if (report !== null)
    return { kind: 'report', targets: selection.targets, notice: null, partial: false };
  if (selection.targets.length === 0)
    return { kind: 'report', targets: [], notice: null, partial: false };
  const runner = await (
    deps.runner ?? (async () => (await import('../../src/stryker/runner.ts')).createStrykerRunner())
  )();
  log.info('Measuring the surviving mutants on the targets (Stryker, once) …');
  const baseline = await measureBaseline({
    targets: [...selection.targets, ...selection.capped],
    maxTargets: config.maxTargets,
    runner,
    request: { root, env: TEST_ENV, onProgress: progressLogger(log) },
    headText,
  });
  return baseline.kind === 'measured'
    ? {
        kind: 'measured',
        targets: baseline.targets,
        notice: baseline.notice,
        partial: baseline.partial,
      }
    : { kind: 'failed', targets: baseline.targets, message: baseline.message };
}

/** The commit the patch is pinned to, which the deliver job checks against the pull request's head, and a note saying why. */
async function pinnedHead(
  reader: RevisionReader,
  pull: PullRequestSnapshot,
  paths: readonly string[],
  merge: boolean,
  notes: StepMessage[],
): Promise<string> {
  const pin = await pinCheckout(reader, pull.headSha, paths, merge);
  if (pin.kind === 'head') return pin.sha;
  const checkedOut = pin.checkedOut.slice(0, 7);
  const head = pin.head.slice(0, 7);
  notes.push(
    pin.kind === 'merge-same'
      ? {
          level: 'info',
          text: `The checkout is the merge commit ${checkedOut} of the pull request's head ${head} into its base; the changed files and the test files are the same in both, so the tests are pinned to ${head}.`,
        }
      : pin.kind === 'merge-differs'
        ? {
            level: 'warning',
            text: `The checkout is the merge commit ${checkedOut}, where the base also changed this pull request's files: the tests cannot be delivered onto ${head}. Check out the head instead: actions/checkout with \`ref: \${{ github.event.pull_request.head.sha }}\`.`,
          }
        : {
            level: 'notice',
            text: `The checkout is ${checkedOut}, not the pull request's head ${head} (pushed since): the tests are made for ${checkedOut}, and the deliver job delivers them only while that is the head.`,
          },
  );
  return pin.sha;
}

/** Text of the pull request's (a path, a name) as one line of the log: control characters shown as `?`. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001F\u007F\u2028\u2029]/g, '?');
}

/** Progress in the log, at each tenth of the mutants. */
function progressLogger(log: StepLog) {
  let lastTenth = -1;
  return ({ tested, total }: { tested: number; total: number | undefined }) => {
    if (total === undefined || total === 0) return;
    const tenth = Math.floor((tested / total) * 10);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    log.info(`baseline: ${tested}/${total} mutants tested`);
  };
}
