import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  checkoutKeepsToken,
  diffFromCheckout,
  mergedBase,
  payloadBaseSha,
  PERSISTED_TOKEN,
  pinCheckout,
} from '../shared/checkout.ts';
import { readActionConfig } from '../shared/config.ts';
import { actionsClient, actionsOctokit, dispatchedConfigRef } from '../shared/runner-env.ts';
import type { StepLog, StepMessage, StepReport } from '../shared/step.ts';
import { stepReport } from '../shared/step.ts';
import { fromPullRequestFiles, type ReviewFile } from '../../src/diff/review-file.ts';
import type { GitHubClient, PullRequestSnapshot } from '../../src/github/client.ts';
import { openGitRevisionReader } from '../../src/git/revision-reader.ts';
import {
  mergeShards,
  parseShardRecord,
  SHARD_RECORD_FILE,
  SHARD_REPORT_FILE,
  shardRecordOf,
  type ShardInput,
} from '../../src/mutation/merge-shards.ts';
import { MutationReportError, parseMutationReportText } from '../../src/mutation/report.ts';
import { runMutation, type MutationRun } from '../../src/mutation/run-mutation.ts';
import type { MutationRunner } from '../../src/mutation/runner.ts';
import type { MutationConfig } from '../../src/mutation/settings.ts';
import type { RevisionReader } from '../../src/revision/reader.ts';
import { reviewTargetOf } from '../../src/review/event.ts';
import type { MutationTestResult } from 'mutation-testing-report-schema';
import {
  publishMutationRun,
  readMutationFeedback,
  type MutationFeedback,
  type PublishOutcome,
} from '../../src/mutation/publish.ts';
import { parseMutationEnv, type MutationInputs } from './inputs.ts';
import { HTML_REPORT_FILE, mutationStepReport, type Published } from './outputs.ts';

/** How the action reads feedback and publishes (src/mutation/publish.ts; injectable for tests). */
export interface MutationPublisher {
  readFeedback(github: GitHubClient, pullRequest: number): Promise<MutationFeedback>;
  publish(input: {
    github: GitHubClient;
    pullRequest: number;
    headSha: string;
    run: MutationRun;
    feedback: MutationFeedback;
  }): Promise<PublishOutcome>;
}

export interface MutationActionDependencies {
  /** The Stryker runner; src/stryker's when absent. */
  runner?: () => Promise<MutationRunner>;
  publisher?: MutationPublisher;
}

const PUBLISHER: MutationPublisher = {
  readFeedback: readMutationFeedback,
  publish: publishMutationRun,
};

/** The documented workflow shape for code Steward must not run beside a write token. */
export const TWO_JOB_HINT =
  'Use the two-job workflow from the README ("Pull requests from forks"): a mutation job with `permissions: contents: read`, ' +
  '`persist-credentials: false` on actions/checkout and this action with `shard: 1/1` (it comments on nothing and uploads its report ' +
  'with actions/upload-artifact), then a publish job with `permissions: pull-requests: write` that runs this action with ' +
  '`mode: merge` and no checkout.';

/** The mutation-report action: run (or one shard of) Stryker on the change, or merge shards; then publish. */
export function createMutationAction(deps: MutationActionDependencies = {}) {
  const publisher = deps.publisher ?? PUBLISHER;
  const loadRunner =
    deps.runner ??
    (async () => (await import('../../src/stryker/runner.ts')).createStrykerRunner());
  return async (env: NodeJS.ProcessEnv, log: StepLog): Promise<StepReport> => {
    const inputs = parseMutationEnv(env);
    const payload = JSON.parse(readFileSync(inputs.eventPath, 'utf8')) as Record<string, unknown>;
    const target = reviewTargetOf(inputs.eventName, payload, inputs.pullRequest);
    if ('ignore' in target)
      return stepReport({
        messages: [
          { level: 'notice', text: `Steward mutation report did nothing: ${target.ignore}.` },
        ],
      });

    const configRef = dispatchedConfigRef(inputs.eventName, payload);
    const octokit = actionsOctokit(inputs, log.warning);
    const github = actionsClient(inputs, octokit);
    const pull = await github.getPullRequestSnapshot(target.number);
    if (inputs.mode === 'run') refuseUntrustedRun(inputs, pull);
    // The config is read from the base branch (or the ref the app dispatched with), never the head.
    const loaded = await readActionConfig(octokit, inputs.repo, configRef ?? pull.baseRefName, log);
    const config = withInputOverrides(loaded.mutation, inputs);
    const notes: StepMessage[] = [];
    const base = readBaseReport(inputs.baseReport, notes);
    const baseSha = payloadBaseSha(payload) ?? pull.baseSha;

    if (inputs.mode === 'run') {
      const reader = await openGitRevisionReader(inputs.workspace);
      await refusePersistedToken(reader, inputs, pull);
      const checkedOut = reader.repository.head;
      // On the merge commit of the head into its base, the change is what the merge adds to its base.
      const mergedInto = await mergedBase(reader, checkedOut, pull.headSha);
      const files = await diffFromCheckout(reader, mergedInto ?? baseSha, checkedOut, pull.number);
      const headSha = await pinnedHead(reader, pull, files, mergedInto !== null, notes);
      const mutate = await (
        await import('../../src/stryker/setup.ts')
      ).mutatePatterns(config.mutate, reader.repository.root);
      const publishing = inputs.shard === undefined;
      const feedback = publishing ? await publisher.readFeedback(github, pull.number) : null;
      await mkdir(inputs.reportDir, { recursive: true });
      const htmlReport = join(inputs.reportDir, HTML_REPORT_FILE);
      const run = await runMutation({
        files,
        mutate,
        config,
        runner: await loadRunner(),
        shard: inputs.shard,
        base,
        suppressed: feedback?.suppressed,
        reportUrl: inputs.runUrl,
        request: {
          root: reader.repository.root,
          incrementalFile: inputs.incrementalFile,
          htmlReportFile: htmlReport,
          timeoutMs: inputs.timeoutMs,
          onProgress: progressLogger(log),
        },
      });
      if (run.notice !== null) notes.push({ level: 'notice', text: run.notice });
      const published =
        feedback === null
          ? null
          : await publishOrSay(publisher, {
              github,
              pullRequest: pull.number,
              headSha,
              run,
              feedback,
            });
      return mutationStepReport({
        run,
        inputs,
        pull,
        headSha,
        published,
        notes,
        record: shardRecordOf(run, inputs.shard ?? { index: 1, count: 1 }, headSha, mutate),
        htmlReport: run.kind === 'report' && existsSync(htmlReport) ? htmlReport : null,
      });
    }

    // merge: the shards' reports (artifacts of jobs that ran the pull request's code) are hostile.
    const shards = readShards(inputs.shardsDir);
    const headSha = shards[0]?.record.headSha ?? pull.headSha;
    if (shards.length > 0 && headSha !== pull.headSha) {
      // The records come from jobs that ran the pull request's code: the commit must be the PR's.
      const commits = await github.listPullRequestCommits(pull.number);
      if (!commits.some((c) => c.sha === headSha))
        throw new Error(
          `The shards say they mutated ${headSha.slice(0, 12)}, which is not a commit of #${pull.number}: nothing is published for it`,
        );
      notes.push({
        level: 'notice',
        text: `The shards mutated ${headSha.slice(0, 7)}, not the pull request's head ${pull.headSha.slice(0, 7)} (pushed since): what they found is pinned to ${headSha.slice(0, 7)}.`,
      });
    }
    const files = shards.length > 0 ? await diffFromGitHub(github, baseSha, headSha) : [];
    const feedback = await publisher.readFeedback(github, pull.number);
    const run = await mergeShards({
      shards,
      files,
      config,
      base,
      suppressed: feedback.suppressed,
      reportUrl: inputs.runUrl,
    });
    const published = await publishOrSay(publisher, {
      github,
      pullRequest: pull.number,
      headSha,
      run,
      feedback,
    });
    return mutationStepReport({
      run,
      inputs,
      pull,
      headSha,
      published,
      notes,
      record: null,
      htmlReport: null,
    });
  };
}

export const run = createMutationAction();

/**
 * Running Stryker runs the pull request's code. Where the job holds a token that can write (on
 * pull_request_target, or a dispatch of a fork's head), that code could read it from the job's
 * processes or the checkout: such a job only writes a report, and another job publishes it.
 */
function refuseUntrustedRun(inputs: MutationInputs, pull: PullRequestSnapshot): void {
  if (!untrustedWithToken(inputs.eventName, pull) || inputs.shard !== undefined) return;
  const why =
    inputs.eventName === 'pull_request_target'
      ? 'on pull_request_target the job holds a token that can write to this repository'
      : `#${pull.number} comes from a fork and this ${inputs.eventName} job holds this repository's token`;
  throw new Error(
    `Steward will not run the pull request's code in a job that publishes (mode: run): ${why}, and the code Stryker runs could read it. ${TWO_JOB_HINT}`,
  );
}

function untrustedWithToken(eventName: string, pull: PullRequestSnapshot): boolean {
  if (eventName === 'pull_request_target') return true;
  return (
    (eventName === 'workflow_dispatch' || eventName === 'repository_dispatch') &&
    pull.isCrossRepository
  );
}

/**
 * actions/checkout leaves the token in the repository's git config unless told not to; the
 * pull request's code would find it there.
 */
async function refusePersistedToken(
  reader: RevisionReader,
  inputs: MutationInputs,
  pull: PullRequestSnapshot,
): Promise<void> {
  if (!untrustedWithToken(inputs.eventName, pull)) return;
  if (await checkoutKeepsToken(reader)) throw new Error(`${PERSISTED_TOKEN} ${TWO_JOB_HINT}`);
}

/**
 * The commit what the run found is pinned to (GitHub takes comments only on the pull request's
 * commits), and a note saying why when it is not simply the checkout's HEAD.
 */
async function pinnedHead(
  reader: RevisionReader,
  pull: PullRequestSnapshot,
  files: readonly ReviewFile[],
  merge: boolean,
  notes: StepMessage[],
): Promise<string> {
  const paths = files.filter((f) => f.status !== 'removed').map((f) => f.path);
  const pin = await pinCheckout(reader, pull.headSha, paths, merge);
  if (pin.kind === 'head') return pin.sha;
  const checkedOut = pin.checkedOut.slice(0, 7);
  const head = pin.head.slice(0, 7);
  notes.push(
    pin.kind === 'merge-same'
      ? {
          level: 'info',
          text: `The checkout is the merge commit ${checkedOut} of the pull request's head ${head} into its base; the changed files are the same in both, so comments are pinned to ${head}.`,
        }
      : pin.kind === 'merge-differs'
        ? {
            level: 'warning',
            text: `The checkout is the merge commit ${checkedOut}, where the base also changed this pull request's files: comments are pinned to it and GitHub may refuse them. Check out the head instead: actions/checkout with \`ref: \${{ github.event.pull_request.head.sha }}\`.`,
          }
        : {
            level: 'notice',
            text: `The checkout is ${checkedOut}, not the pull request's head ${head} (pushed since): Steward mutated ${checkedOut} and pins what it reports there.`,
          },
  );
  return pin.sha;
}

/**
 * Publishing after the run: a GitHub failure (an outage, an answer the port cannot read) does not
 * lose the report, which still goes to the files, the outputs and the job summary.
 */
async function publishOrSay(
  publisher: MutationPublisher,
  input: Parameters<MutationPublisher['publish']>[0],
): Promise<Published> {
  try {
    return await publisher.publish(input);
  } catch (error: unknown) {
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

function withInputOverrides(config: MutationConfig, inputs: MutationInputs): MutationConfig {
  return {
    ...config,
    ...(inputs.failUnder === undefined ? {} : { failUnder: inputs.failUnder }),
    ...(inputs.failOnSurvivors === undefined ? {} : { failOnSurvivors: inputs.failOnSurvivors }),
  };
}

async function diffFromGitHub(
  github: GitHubClient,
  baseSha: string,
  headSha: string,
): Promise<ReviewFile[]> {
  const comparison = await github.compareCommits(baseSha, headSha);
  if (comparison === null)
    throw new Error(
      `GitHub cannot compare ${baseSha.slice(0, 12)}...${headSha.slice(0, 12)} (the shards' commit is gone or unrelated to the base): rerun the workflow on the pull request's head`,
    );
  if (comparison.filesTruncated)
    throw new Error(
      'GitHub lists only the first 300 files of this comparison: the merge job cannot see the whole change',
    );
  return fromPullRequestFiles(comparison.files);
}

/** A base branch's report for the base score: missing is fine, malformed is a warning naming the field. */
function readBaseReport(path: string | undefined, notes: StepMessage[]): MutationTestResult | null {
  if (path === undefined || !existsSync(path)) return null;
  try {
    return parseMutationReportText(readFileSync(path, 'utf8'), `base-report ${path}`);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    notes.push({
      level: 'warning',
      text: `Input base-report is not a usable mutation report, so no base score is shown: ${message}`,
    });
    return null;
  }
}

/** A shard's mutation.json at most: a 240,000-mutant report is 46 MB. */
const MAX_REPORT_BYTES = 500_000_000;

/** Every shard's record and report below `dir` (download-artifact puts each artifact in its own folder). */
function readShards(dir: string): ShardInput[] {
  if (!existsSync(dir))
    throw new Error(
      `Input shards-dir ${dir} does not exist: download the shards' artifacts there (actions/download-artifact with path: ${dir})`,
    );
  const shards: ShardInput[] = [];
  const visit = (folder: string, depth: number) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && depth < 4) visit(path, depth + 1);
      else if (entry.isFile() && entry.name === SHARD_RECORD_FILE) {
        const where = relative(dir, folder) || '.';
        const reportPath = join(folder, SHARD_REPORT_FILE);
        if (statSync(path).size > 1_000_000)
          throw new MutationReportError(where, '', `${SHARD_RECORD_FILE} is larger than 1 MB`);
        if (existsSync(reportPath) && statSync(reportPath).size > MAX_REPORT_BYTES)
          throw new MutationReportError(
            where,
            '',
            `${SHARD_REPORT_FILE} is larger than ${MAX_REPORT_BYTES / 1_000_000} MB`,
          );
        shards.push({
          where,
          record: parseShardRecord(readFileSync(path, 'utf8'), `${where}/${SHARD_RECORD_FILE}`),
          report: existsSync(reportPath)
            ? parseMutationReportText(
                readFileSync(reportPath, 'utf8'),
                `${where}/${SHARD_REPORT_FILE}`,
              )
            : null,
        });
      }
    }
  };
  visit(dir, 0);
  return shards.sort((a, b) => a.where.localeCompare(b.where));
}

/** Progress in the log, at each tenth of the mutants. */
function progressLogger(log: StepLog) {
  let lastTenth = -1;
  return ({ tested, total }: { tested: number; total: number | undefined }) => {
    if (total === undefined || total === 0) return;
    const tenth = Math.floor((tested / total) * 10);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    log.info(`mutating: ${tested}/${total} mutants tested`);
  };
}
