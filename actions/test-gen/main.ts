import { existsSync, readFileSync, statSync } from 'node:fs';
import {
  checkoutKeepsToken,
  diffFromCheckout,
  inertLog,
  mergedBase,
  payloadBaseSha,
  PERSISTED_TOKEN,
} from '../shared/checkout.ts';
import { readActionConfig } from '../shared/config.ts';
import { actionsClient, actionsOctokit, dispatchedConfigRef } from '../shared/runner-env.ts';
import type { StepLog, StepMessage, StepReport } from '../shared/step.ts';
import { stepReport } from '../shared/step.ts';
import type { PullRequestSnapshot } from '../../src/github/client.ts';
import { checkoutProject } from '../../src/git/checkout-project.ts';
import { openGitRevisionReader } from '../../src/git/revision-reader.ts';
import { modelClientFor } from '../../src/llm/model-client-for.ts';
import { parseMutationReportText } from '../../src/mutation/report.ts';
import type { MutationRunner } from '../../src/mutation/runner.ts';
import type { RevisionReader } from '../../src/revision/reader.ts';
import { reviewTargetOf } from '../../src/review/event.ts';
import { measureBaseline } from '../../src/testgen/baseline.ts';
import { deliverArtifact, type DeliveryMode } from '../../src/testgen/deliver.ts';
import type { TestFileFormatter } from '../../src/testgen/formatter.ts';
import { generateTests, usesOffline } from '../../src/testgen/generate.ts';
import {
  createTestPatch,
  PATCH_LIMITS,
  serializeTestPatch,
  type PatchCheck,
} from '../../src/testgen/patch.ts';
import type { TestGenConfig } from '../../src/testgen/settings.ts';
import { targetsOf } from '../../src/testgen/targets.ts';
import type { TestRunPort } from '../../src/testgen/test-runner.ts';
import type { Funnel, TestFramework, TestTarget } from '../../src/testgen/types.ts';
import type { MutationTestResult } from 'mutation-testing-report-schema';
import {
  createTestRunPort,
  type RepositoryTestRunPort,
  type TestRunPortOptions,
} from '../../src/testrun/port.ts';
import { createPrettierFormatter } from '../../src/prettier/format.ts';
import { parseTestGenEnv, type TestGenInputs } from './inputs.ts';
import {
  deliverStepReport,
  generateStepReport,
  nothingToGenerateReport,
  type Measured,
} from './outputs.ts';
import { testFileRule } from './test-file-rule.ts';

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

const EMPTY_FUNNEL: Funnel = {
  candidates: 0,
  typeChecks: 0,
  passes: 0,
  stable: 0,
  addsValue: 0,
  kept: 0,
  possibleBugs: 0,
};

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

/** The test-gen action: `generate` (the key, the pull request's code) or `deliver` (the write token, no code). */
export function createTestGenAction(deps: TestGenActionDependencies = {}) {
  return async (env: NodeJS.ProcessEnv, log: StepLog): Promise<StepReport> => {
    const inputs = parseTestGenEnv(env);
    const payload = JSON.parse(readFileSync(inputs.eventPath, 'utf8')) as Record<string, unknown>;
    const target = reviewTargetOf(inputs.eventName, payload, inputs.pullRequest);
    if ('ignore' in target)
      return stepReport({
        messages: [
          { level: 'notice', text: `Steward test generation did nothing: ${target.ignore}.` },
        ],
      });
    const configRef = dispatchedConfigRef(inputs.eventName, payload);
    const octokit = actionsOctokit(inputs, log.warning);
    const github = actionsClient(inputs, octokit);
    const pull = await github.getPullRequestSnapshot(target.number);
    if (inputs.mode === 'generate') refuseKeyBesideUntrustedCode(inputs, pull);
    // The config is read from the base branch (or the ref the app dispatched with), never the head.
    const loaded = await readActionConfig(octokit, inputs.repo, configRef ?? pull.baseRefName, log);
    const config = loaded.testGen;

    if (inputs.mode === 'deliver') {
      const mode = deliveryMode(inputs, config);
      if (mode === null)
        return stepReport({
          messages: [
            {
              level: 'notice',
              text: 'Steward delivered nothing: test-gen.delivery is none (the kept tests are in the generate job summary and the patch artifact).',
            },
          ],
          outputs: { delivered: 'false' },
        });
      const artifact = readPatchFile(inputs.patchFile);
      if (typeof artifact !== 'string') return deliverStepReport(artifact, pull.number);
      if (keptNothing(artifact)) return deliverStepReport({ kind: 'empty' }, pull.number);
      const outcome = await deliverArtifact(github, {
        artifact,
        pullRequest: pull.number,
        mode,
        testFile: testFileRule(config, artifact),
      });
      // A patch for an earlier head of this pull request is stale (a push raced the run); one for
      // a commit the pull request never had is forged.
      if (outcome.kind === 'head-moved' && 'madeFor' in outcome) {
        const commits = await github.listPullRequestCommits(pull.number);
        if (!commits.some((c) => c.sha === outcome.madeFor))
          return deliverStepReport(
            {
              kind: 'refused',
              problems: [
                {
                  field: 'headSha',
                  message: `is ${outcome.madeFor.slice(0, 12)}, which is not a commit of #${pull.number}`,
                },
              ],
            },
            pull.number,
          );
      }
      return deliverStepReport(outcome, pull.number);
    }

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
        report: { funnel: EMPTY_FUNNEL, kept: [], possibleBugs: [] },
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
                `test generation: ${event.index}/${event.total} ${event.target.path} ${event.target.name}: ${event.step}`,
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
  };
}

export const run = createTestGenAction();

function defaultFormatter(root: string): TestFileFormatter {
  return createPrettierFormatter({ root });
}

/**
 * The model key must never meet the pull request's code when that code comes from outside the
 * repository: on pull_request_target (the base's secrets, any head) and for a fork's pull request
 * (on a dispatch, or where a repository sends secrets to forks), the code run before this step
 * (npm ci) could rewrite this action's files and read the key when it starts. Without a key the
 * offline generation is fine there.
 */
function refuseKeyBesideUntrustedCode(inputs: TestGenInputs, pull: PullRequestSnapshot): void {
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

/** `push` over the config; null when the config says `none` and no input overrides it. */
function deliveryMode(inputs: TestGenInputs, config: TestGenConfig): DeliveryMode | null {
  if (inputs.push !== undefined) return inputs.push ? 'push' : 'pull-request';
  return config.delivery === 'none' ? null : config.delivery;
}

/** The artifact's text, or the refusal of a file over the cap (never read whole). */
function readPatchFile(path: string): string | PatchCheck {
  if (!existsSync(path))
    throw new Error(
      `Input patch-file ${path} does not exist: download the generate job's artifact there (actions/download-artifact with path: the folder of patch-file)`,
    );
  const size = statSync(path).size;
  if (size > PATCH_LIMITS.artifactBytes)
    return {
      kind: 'refused',
      problems: [
        {
          field: '(artifact)',
          message: `is ${size} bytes, over the ${PATCH_LIMITS.artifactBytes}-byte cap`,
        },
      ],
    };
  return readFileSync(path, 'utf8');
}

/** The generate job kept no test: its patch names this pull request and holds no file. */
function keptNothing(artifact: string): boolean {
  try {
    const value = JSON.parse(artifact) as { files?: unknown };
    return Array.isArray(value.files) && value.files.length === 0;
  } catch {
    // Not JSON: checkPatchText says so, problem by problem.
    return false;
  }
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

/**
 * The commit the patch is pinned to, which the deliver job checks against the pull request's head:
 * the checkout's HEAD, or the pull request's head when the checkout is the merge commit
 * actions/checkout makes and the changed files and the test files are the same in both.
 */
async function pinnedHead(
  reader: RevisionReader,
  pull: PullRequestSnapshot,
  paths: readonly string[],
  merge: boolean,
  notes: StepMessage[],
): Promise<string> {
  const checkedOut = reader.repository.head;
  if (checkedOut === pull.headSha) return checkedOut;
  const short = (sha: string) => sha.slice(0, 7);
  if (merge) {
    const same =
      (
        await reader.run(['diff', '--quiet', pull.headSha, checkedOut, '--', ...new Set(paths)], {
          acceptExitCodes: [0, 1],
        })
      ).exitCode === 0;
    if (same) {
      notes.push({
        level: 'info',
        text: `The checkout is the merge commit ${short(checkedOut)} of the pull request's head ${short(pull.headSha)} into its base; the changed files and the test files are the same in both, so the tests are pinned to ${short(pull.headSha)}.`,
      });
      return pull.headSha;
    }
    notes.push({
      level: 'warning',
      text: `The checkout is the merge commit ${short(checkedOut)}, where the base also changed this pull request's files: the tests cannot be delivered onto ${short(pull.headSha)}. Check out the head instead: actions/checkout with \`ref: \${{ github.event.pull_request.head.sha }}\`.`,
    });
    return checkedOut;
  }
  notes.push({
    level: 'notice',
    text: `The checkout is ${short(checkedOut)}, not the pull request's head ${short(pull.headSha)} (pushed since): the tests are made for ${short(checkedOut)}, and the deliver job delivers them only while that is the head.`,
  });
  return checkedOut;
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
