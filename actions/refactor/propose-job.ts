import { checkoutKeepsToken, PERSISTED_TOKEN } from '../shared/checkout.ts';
import type { StepLog, StepMessage, StepReport } from '../shared/step.ts';
import type { StewardConfig } from '../../src/config/schema.ts';
import type { GitHubClient } from '../../src/github/client.ts';
import { checkoutProject } from '../../src/git/checkout-project.ts';
import { openGitRevisionReader } from '../../src/git/revision-reader.ts';
import { modelClientFor } from '../../src/llm/model-client-for.ts';
import { createPrettierFormatter } from '../../src/prettier/format.ts';
import type { checkArtifact } from '../../src/refactor/artifact.ts';
import { parseTargetSpec, type TargetSpec } from '../../src/refactor/target-spec.ts';
import { planRefactor, type Selector } from '../../src/refactor/plan.ts';
import type { deliverRefactor, tendRefactorPullRequests } from '../../src/refactor/deliver.ts';
import { refactorPullRequests } from '../../src/refactor/pull-requests.ts';
import { runRefactor } from '../../src/refactor/run-refactor.ts';
import type { RefactorProofPort } from '../../src/refactor/proof-port.ts';
import { calendarDurationBefore } from '../../src/settings/duration.ts';
import type { TestFileFormatter } from '../../src/testgen/formatter.ts';
import {
  createRefactorProofPort,
  type RefactorProofPortOptions,
} from '../../src/testrun/refactor-proofs.ts';
import type { RefactorInputs } from './inputs.ts';
import { maxOpenReport, nothingChosenReport, proposeStepReport } from './outputs.ts';

/** What the propose job starts (injectable, each at the contract's boundary, so tests see what it was given). */
export interface RefactorActionDependencies {
  /** src/testrun's createRefactorProofPort when absent. */
  proofPort?: (options: RefactorProofPortOptions) => RefactorProofPort;
  /** src/prettier's when absent. */
  formatter?: (root: string) => TestFileFormatter;
  /** The selection rules over the real hotspots; src/refactor/choose.ts's when absent. */
  selector?: Selector;
  /** The use case; src/refactor/run-refactor.ts when absent. */
  runRefactor?: typeof runRefactor;
  /** Steward's open and closed refactoring pull requests; src/refactor/pull-requests.ts when absent. */
  refactorPullRequests?: typeof refactorPullRequests;
  /** The deliver job's pieces; src/refactor's when absent. */
  checkArtifact?: typeof checkArtifact;
  deliverRefactor?: typeof deliverRefactor;
  tendRefactorPullRequests?: typeof tendRefactorPullRequests;
}

/**
 * The variables the repository's tests, TypeScript and Stryker get beside the allow-listed ones:
 * none of Steward's, so neither the token nor the key.
 */
export const TEST_ENV: Readonly<Record<string, string>> = { CI: 'true' };

/** One test run (and one type check) of the proofs, all its processes killed after. */
export const PROOF_TIMEOUT_MS = 10 * 60_000;

/** The documented workflow shape: the key and the repository's code in one job, the write token in another. */
export const TWO_JOB_HINT =
  'Use the two-job workflow from the README ("Refactoring pull requests"): a propose job with `permissions: contents: read`, ' +
  '`persist-credentials: false` on actions/checkout and this action (it uploads the artifact with actions/upload-artifact), ' +
  'then a deliver job with `permissions: contents: write, pull-requests: write` that runs this action with `mode: deliver` and no checkout.';

/**
 * The propose job (the key, a read-only token, the default branch's code): the hotspots of the
 * checkout, the worst functions in them, one refactoring proven by types, tests, the public API
 * and a health rise, and the artifact for the deliver job.
 */
export async function proposeJob(input: {
  github: GitHubClient;
  inputs: RefactorInputs;
  config: StewardConfig;
  defaultBranch: string;
  deps: RefactorActionDependencies;
  log: StepLog;
}): Promise<StepReport> {
  const { github, inputs, deps, log } = input;
  const config = input.config.refactor;
  const reader = await openGitRevisionReader(inputs.workspace);
  if (await checkoutKeepsToken(reader)) throw new Error(`${PERSISTED_TOKEN} ${TWO_JOB_HINT}`);
  const root = reader.repository.root;
  const baseSha = reader.repository.head;
  const notes: StepMessage[] = [];

  // Open refactoring pull requests count against max-open before anything is measured or asked.
  const pulls = await (deps.refactorPullRequests ?? refactorPullRequests)(github);
  const room = config.maxOpen - pulls.open.length;
  if (room <= 0) return maxOpenReport(config.maxOpen, pulls.open);

  const only = targetOf(inputs.target);
  log.info('Ranking the hotspots of the checkout …');
  const project = await checkoutProject(root, baseSha);
  const plan = await planRefactor({
    reader,
    project,
    config,
    hotspots: input.config.hotspots,
    since: calendarDurationBefore(new Date(), input.config.hotspots.since),
    repoLabel: `${inputs.repo.owner}/${inputs.repo.repo}`,
    ...(only === undefined ? {} : { only }),
    openPullRequestPaths: pulls.openPaths,
    rejectedFingerprints: pulls.rejected,
    onProgress: throttled(log),
    ...(deps.selector === undefined ? {} : { selector: deps.selector }),
  });
  for (const warning of plan.warnings)
    notes.push({ level: 'warning', text: `${warning.message} ${warning.hint}` });
  if (plan.targets.length === 0)
    return nothingChosenReport({ target: inputs.target, skipped: plan.skipped, notes });

  const model = await modelClientFor(
    { model: config.model },
    { apiKey: inputs.apiKey, baseUrl: inputs.baseUrl },
  );
  if (model === null) throw new Error('unreachable: the propose job runs only with a key');
  const proofs = (deps.proofPort ?? createRefactorProofPort)({
    root,
    testCommand: config.testCommand,
    env: TEST_ENV,
    timeoutMs: PROOF_TIMEOUT_MS,
    mutation: config.mutation,
  });
  const formatter = (deps.formatter ?? defaultFormatter)(root);
  let run;
  try {
    run = await (deps.runRefactor ?? runRefactor)({
      config,
      targets: plan.targets,
      skipped: plan.skipped,
      thresholds: input.config.hotspots.thresholds,
      readText: async (path) => {
        const text = project.read(path);
        if (text === null) throw new Error(`${path} cannot be read from the checkout`);
        return text;
      },
      model,
      proofs,
      // One refactoring per run: the artifact holds one, and each run opens at most one pull request.
      wanted: 1,
      formatText: async (path, text) => (await formatter.format({ path, text })).text,
      onProgress: (message) => log.info(`refactor: ${oneLine(message)}`),
    });
  } finally {
    proofs.close();
  }
  return proposeStepReport({ inputs, run, baseSha, notes });
}

function defaultFormatter(root: string): TestFileFormatter {
  return createPrettierFormatter({ root });
}

/** The target input as the selection reads it. */
function targetOf(text: string | undefined): TargetSpec | undefined {
  if (text === undefined) return undefined;
  const parsed = parseTargetSpec(text);
  if (!parsed.ok) throw new Error(`Input target: ${parsed.message}`);
  return parsed.target;
}

/** Hotspots' progress in the log, at most one line in twenty. */
function throttled(log: StepLog): (message: string) => void {
  let count = 0;
  return (message) => {
    if (count++ % 20 === 0) log.info(`hotspots: ${oneLine(message)}`);
  };
}

/** Text of the repository's (a path, a name, a test's output) as one line of the log. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001F\u007F\u2028\u2029]/g, '?');
}
