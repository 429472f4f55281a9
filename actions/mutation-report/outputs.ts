import { join } from 'node:path';
import { inertLog } from '../shared/checkout.ts';
import type { StepMessage, StepReport } from '../shared/step.ts';
import type { PullRequestSnapshot } from '../../src/github/client.ts';
import {
  SHARD_RECORD_FILE,
  SHARD_REPORT_FILE,
  type ShardRecord,
} from '../../src/mutation/merge-shards.ts';
import { formatScore } from '../../src/mutation/markdown.ts';
import type { MutationRun } from '../../src/mutation/run-mutation.ts';
import type { MutationInputs } from './inputs.ts';
import type { PublishOutcome } from '../../src/mutation/publish.ts';

/** Stryker's HTML report, beside mutation.json in the report directory. */
export const HTML_REPORT_FILE = 'mutation.html';

/** What publishing did, or why it failed (GitHub's error); null when the job publishes nothing. */
export type Published = PublishOutcome | { kind: 'failed'; message: string } | null;

export interface MutationStepInput {
  run: MutationRun;
  inputs: Pick<MutationInputs, 'mode' | 'shard' | 'reportDir' | 'runUrl'>;
  pull: Pick<PullRequestSnapshot, 'number' | 'isCrossRepository'>;
  /** The commit mutated, where everything is pinned. */
  headSha: string;
  /** What publishing did; null when this job publishes nothing (a shard). */
  published: Published;
  /** Said before the report: the head moved, the base report was unusable. */
  notes: StepMessage[];
  /** The shard record to write (run mode); null in merge mode. */
  record: ShardRecord | null;
  /** Stryker's HTML report, when it wrote one. */
  htmlReport: string | null;
}

/**
 * How the step ends, from the run alone: the report files (for upload-artifact and the merge job),
 * the outputs, annotations on the survivors chosen for comments, a short job summary with the
 * whole report folded, and the gate as the step's error, after everything else is written.
 */
export function mutationStepReport(input: MutationStepInput): StepReport {
  const { run, inputs, published } = input;
  const messages: StepMessage[] = [...input.notes];
  const files: StepReport['files'] = [];
  const reportPath = join(inputs.reportDir, SHARD_REPORT_FILE);
  const hasReport = run.kind === 'report';
  if (hasReport) files.push({ path: reportPath, text: JSON.stringify(run.report) });
  if (input.record !== null)
    files.push({
      path: join(inputs.reportDir, SHARD_RECORD_FILE),
      text: `${JSON.stringify(input.record, null, 2)}\n`,
    });

  if (published?.kind === 'not-permitted') {
    const fork = input.pull.isCrossRepository
      ? ' A pull request from a fork gets a read-only GITHUB_TOKEN on `pull_request`.'
      : '';
    messages.push({
      level: 'notice',
      text: `Steward posted no comments: ${published.message}${fork} The whole report is in this job's summary.`,
    });
  } else if (published?.kind === 'failed') {
    messages.push({
      level: 'warning',
      text: `Steward could not publish the report on the pull request: ${published.message} The whole report is in this job's summary.`,
    });
  } else if (published?.kind === 'published') {
    messages.push({
      level: 'info',
      text: `Posted ${published.posted} survivor comment(s); ${published.kept} kept, ${published.resolved} resolved, ${published.reopened} reopened; summary ${published.summary}.`,
    });
    if (published.rejected !== null)
      messages.push({ level: 'warning', text: `GitHub rejected comments: ${published.rejected}` });
  }
  if (run.kind === 'report')
    for (const survivor of run.result.selection.comment)
      messages.push({
        level: 'warning',
        text: `${survivor.original.trim().slice(0, 200)} → ${survivor.replacement.trim().slice(0, 200)}: no test fails when this code is changed so.`,
        annotation: {
          file: survivor.path,
          startLine: survivor.line,
          endLine: survivor.endLine,
          title: `Surviving mutant (${survivor.mutatorName})`,
        },
      });
  if (run.kind === 'crashed' && run.log !== '')
    messages.push({
      level: 'info',
      text: inertLog("Stryker's log ended with:", run.log.slice(-4000)),
    });

  // A shard's share says nothing about the score of the change: the merge job's gate decides.
  // A shard that could not run fails, so the job that must be fixed is the red one.
  const gated = inputs.shard === undefined || run.kind !== 'report';
  const failure =
    published?.kind === 'failed'
      ? `Steward mutation report: could not publish on the pull request: ${published.message}`
      : run.gate.fail && gated
        ? failureOf(run, run.gate.reasons)
        : null;
  return {
    messages,
    files,
    outputs: {
      ...countsOf(run),
      'report-path': hasReport ? reportPath : '',
      'html-report': input.htmlReport ?? '',
    },
    summary: jobSummary(input, published?.kind === 'not-permitted' || published?.kind === 'failed'),
    failure,
  };
}

function countsOf(run: MutationRun): Record<string, string> {
  if (run.kind !== 'report')
    return {
      score: '',
      killed: '0',
      survived: '0',
      'no-coverage': '0',
      timeout: '0',
      'compile-errors': '0',
    };
  const c = run.result.analysis.counts;
  return {
    score: c.score === null ? '' : c.score.toFixed(1),
    killed: String(c.killed),
    survived: String(c.survived),
    'no-coverage': String(c.noCoverage),
    timeout: String(c.timeout),
    'compile-errors': String(c.compileErrors),
  };
}

function failureOf(run: MutationRun, reasons: readonly string[]): string {
  const failing =
    run.kind === 'dry-run-failed' && run.failingTests.length > 0
      ? ` Failing test${run.failingTests.length === 1 ? '' : 's'}: ${run.failingTests.slice(0, 10).join(', ')}.`
      : run.kind === 'setup-failed'
        ? ` ${run.hint}`
        : '';
  return `Steward mutation report: ${reasons.join('; ')}.${failing}`;
}

/** One scannable line of what happened, the report folded under it (open when nothing was posted). */
function jobSummary(input: MutationStepInput, notPosted: boolean): string {
  const { run, inputs } = input;
  const where =
    inputs.shard !== undefined
      ? ` (shard ${inputs.shard.index}/${inputs.shard.count})`
      : inputs.mode === 'merge'
        ? ' (shards merged)'
        : '';
  const lines = [`## Steward mutation report${where}`, '', headline(run), ''];
  if (inputs.runUrl !== null && run.kind === 'report')
    lines.push(
      `The HTML report and \`mutation.json\` are in [this run's artifacts](${inputs.runUrl}) when the workflow uploads the report directory.`,
      '',
    );
  const body = run.summary;
  if (notPosted || inputs.shard !== undefined) lines.push(body, '');
  else lines.push('<details><summary>The report</summary>', '', body, '', '</details>', '');
  return lines.join('\n');
}

function headline(run: MutationRun): string {
  switch (run.kind) {
    case 'nothing-to-mutate':
      return 'Nothing to mutate: the change adds or changes no line of a source file Stryker mutates.';
    case 'report': {
      const c = run.result.analysis.counts;
      const score = formatScore(c.score);
      const base =
        run.result.analysis.baseScore === null
          ? ''
          : ` (base ${formatScore(run.result.analysis.baseScore)})`;
      const partial = run.partial ? ' — **partial**' : '';
      return `**Changed-lines mutation score ${score}**${base}${partial} · ${c.killed} killed · ${c.survived} survived · ${c.noCoverage} no coverage · ${c.timeout} timed out · ${c.compileErrors} compile errors`;
    }
    case 'dry-run-failed':
      return '**Mutation testing could not start**: the test suite fails before any mutant (no score).';
    case 'setup-failed':
      return '**Mutation testing could not be set up** (no score).';
    case 'crashed':
      return '**Stryker stopped without a result** (no score).';
  }
}
