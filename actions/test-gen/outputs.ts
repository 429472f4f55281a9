import type { StepMessage, StepReport } from '../shared/step.ts';
import { stepReport } from '../shared/step.ts';
import { inertLog } from '../shared/checkout.ts';
import type { PullRequestSnapshot } from '../../src/github/client.ts';
import { codeSpan } from '../../src/markdown/untrusted.ts';
import type { SkippedFile } from '../../src/mutation/scope.ts';
import type { DeliveryOutcome } from '../../src/testgen/deliver.ts';
import type { GenerationResult, TargetReport } from '../../src/testgen/generate.ts';
import {
  renderDeliverySummary,
  renderFunnelTable,
  renderKeptAndBugs,
} from '../../src/testgen/markdown.ts';
import type { PatchCheck } from '../../src/testgen/patch.ts';
import type { TestTarget } from '../../src/testgen/types.ts';
import type { TestGenInputs } from './inputs.ts';

/** Where the targets' surviving mutants came from. */
export type Measured =
  /** The mutation-report input: its survivors are already on the targets. */
  | { kind: 'report'; targets: TestTarget[]; notice: null; partial: false }
  /** One Stryker run on the targets' lines. */
  | { kind: 'measured'; targets: TestTarget[]; notice: string | null; partial: boolean }
  /** Stryker gave nothing: the targets are ranked and judged by the lines they cover. */
  | { kind: 'failed'; targets: TestTarget[]; message: string };

export interface GenerateStepInput {
  inputs: Pick<TestGenInputs, 'patchFile'>;
  pull: Pick<PullRequestSnapshot, 'number'>;
  result: GenerationResult;
  measured: Measured;
  /** Property tests derived from the types. */
  offline: boolean;
  hasModel: boolean;
  /** The serialized patch, for the deliver job (through actions/upload-artifact). */
  patchText: string;
  /** The commit the patch is pinned to. */
  headSha: string;
  notes: StepMessage[];
}

/**
 * How the generate step ends: the patch file, the outputs, annotations on the possible bugs, what
 * each candidate became (in the log with workflow commands off: the reasons quote the pull
 * request's test output), and a job summary with the funnel beside TestGen-LLM's, the kept tests,
 * the possible bugs and every target folded.
 */
export function generateStepReport(input: GenerateStepInput): StepReport {
  const { result, inputs } = input;
  const { report } = result;
  const messages: StepMessage[] = [...input.notes];
  for (const notice of result.notices) messages.push({ level: 'notice', text: notice });
  const lines = result.targets.flatMap(candidateLines);
  if (lines.length > 0)
    messages.push({
      level: 'info',
      text: inertLog('What became of each candidate:', lines.join('\n')),
    });
  for (const bug of report.possibleBugs) {
    const target = result.targets.find(
      (t) => t.target.name === bug.target && t.target.path === bug.sourcePath,
    )?.target;
    messages.push({
      level: 'warning',
      text: `${bug.name}: fails on this code every time: ${bug.assertion.slice(0, 500)}`,
      ...(target === undefined
        ? {}
        : {
            annotation: {
              file: target.path,
              startLine: target.startLine,
              endLine: target.endLine,
              title: `Possible bug in ${target.name}`,
            },
          }),
    });
  }
  messages.push({
    level: 'info',
    text: `Wrote the patch (${plural(result.files.length, 'test file')}) to ${inputs.patchFile}: upload it with actions/upload-artifact for the deliver job.`,
  });
  return stepReport({
    messages,
    files: [{ path: inputs.patchFile, text: input.patchText }],
    outputs: {
      kept: String(report.kept.length),
      candidates: String(report.funnel.candidates),
      'possible-bugs': String(report.possibleBugs.length),
      'patch-file': inputs.patchFile,
    },
    summary: generateSummary(input),
  });
}

/** No target: nothing ran, and no patch is written (the deliver job has nothing to read). */
export function nothingToGenerateReport(input: {
  inputs: Pick<TestGenInputs, 'patchFile'>;
  pull: Pick<PullRequestSnapshot, 'number'>;
  skipped: readonly SkippedFile[];
  notes: StepMessage[];
  patchText: string;
}): StepReport {
  const skipped = input.skipped.map((s) => `- ${codeSpan(s.path)}: ${s.reason}`);
  return stepReport({
    messages: [
      ...input.notes,
      {
        level: 'notice',
        text: `Steward generated no tests for #${input.pull.number}: the change touches no function a test can be written for.`,
      },
    ],
    files: [{ path: input.inputs.patchFile, text: input.patchText }],
    outputs: {
      kept: '0',
      candidates: '0',
      'possible-bugs': '0',
      'patch-file': input.inputs.patchFile,
    },
    summary: [
      '## Steward test generation',
      '',
      `Nothing to generate: the change of #${input.pull.number} touches no function of a source file tests are generated for.`,
      '',
      ...(skipped.length > 0
        ? [
            '<details><summary>Changed files skipped</summary>',
            '',
            ...skipped,
            '',
            '</details>',
            '',
          ]
        : []),
    ].join('\n'),
  });
}

/** The deliver job's outputs when nothing is on the branch. */
export const NOT_DELIVERED: Readonly<Record<string, string>> = {
  'pull-request-number': '',
  'pull-request-url': '',
  'commit-sha': '',
  delivered: 'false',
};

/** How the deliver step ends: the outputs, the summary, and a refused patch as the step's failure. */
export function deliverStepReport(
  outcome: PatchCheck | DeliveryOutcome | { kind: 'empty' },
  pullRequest: number,
): StepReport {
  const outputs = { ...NOT_DELIVERED };
  if (outcome.kind === 'empty')
    return stepReport({
      messages: [
        {
          level: 'notice',
          text: `The generate job kept no test for #${pullRequest}: nothing to deliver.`,
        },
      ],
      outputs,
      summary: `## Steward test delivery\n\nThe generate job kept no test for #${pullRequest}: nothing to deliver.\n`,
    });
  const summary = `## Steward test delivery\n\n${renderDeliverySummary(outcome)}\n`;
  if (outcome.kind === 'pull-request') {
    return stepReport({
      messages: [
        { level: 'info', text: `Tests for #${pullRequest}: ${outcome.action} #${outcome.number}.` },
      ],
      outputs: {
        'pull-request-number': String(outcome.number),
        'pull-request-url': outcome.url,
        'commit-sha': outcome.commitSha,
        delivered: 'true',
      },
      summary,
    });
  }
  if (outcome.kind === 'pushed')
    return stepReport({
      outputs: { ...outputs, 'commit-sha': outcome.commitSha, delivered: 'true' },
      summary,
    });
  if (outcome.kind === 'refused') {
    const problems = outcome.problems
      .slice(0, 20)
      .map((p) => `${p.field}${p.path === undefined ? '' : ` (${p.path})`}: ${p.message}`);
    return stepReport({
      messages: [
        {
          level: 'info',
          text: inertLog('The problems of the patch:', problems.join('\n')),
        },
      ],
      outputs,
      summary,
      failure: `Steward refused the patch and delivered nothing: ${plural(outcome.problems.length, 'problem')}, listed in the job summary. The artifact comes from the job that ran the pull request's code; regenerate it with the same Steward version.`,
    });
  }
  // head-moved, not-delivered, or (never from deliverArtifact) ok: said, and the step succeeds.
  const why = 'message' in outcome ? outcome.message : 'reason' in outcome ? outcome.reason : '';
  return stepReport({
    messages: [
      { level: 'notice', text: `Steward delivered no tests for #${pullRequest}: ${why}.` },
    ],
    outputs,
    summary,
  });
}

function generateSummary(input: GenerateStepInput): string {
  const { result, measured } = input;
  const { report, funnel } = result;
  const how =
    input.hasModel && input.offline
      ? "Claude's tests and property tests from the types"
      : input.hasModel
        ? "Claude's tests"
        : input.offline
          ? 'property tests from the types (no model key)'
          : 'no candidates (no model key, and test-gen.offline is never)';
  const cost =
    result.usage?.costUsd === null || result.usage === null
      ? ''
      : ` · $${result.usage.costUsd.toFixed(2)}`;
  const bugs =
    report.possibleBugs.length > 0
      ? ` · ${plural(report.possibleBugs.length, 'possible bug')}`
      : '';
  const lines = [
    '## Steward test generation',
    '',
    `**Kept ${plural(report.kept.length, 'test')}** of ${plural(funnel.candidates, 'candidate')} for ${plural(result.targets.length, 'target')} of #${input.pull.number} at ${input.headSha.slice(0, 7)}: ${how}${bugs}${cost}`,
    '',
    survivorsLine(measured),
    '',
    renderFunnelTable(funnel),
    '',
  ];
  lines.push(renderKeptAndBugs(report), '');
  if (result.targets.length > 0)
    lines.push(
      '<details><summary>Every target and what became of its candidates</summary>',
      '',
      ...result.targets.flatMap(targetDetails),
      '</details>',
      '',
    );
  lines.push(
    report.kept.length > 0
      ? 'The deliver job (`mode: deliver`) commits the kept tests from the patch artifact.'
      : 'No test was kept: the deliver job has nothing to commit.',
    '',
  );
  return lines.join('\n');
}

function survivorsLine(measured: Measured): string {
  switch (measured.kind) {
    case 'report':
      return 'Surviving mutants: from the mutation report given (input `mutation-report`).';
    case 'measured':
      return `Surviving mutants: measured by Stryker on the targets' lines before any new test${measured.partial ? ' (**partial**: Stryker stopped early)' : ''}.`;
    case 'failed':
      return 'Surviving mutants: **not measured** (see the log); tests were judged by the changed lines they cover.';
  }
}

function targetDetails(report: TargetReport): string[] {
  const { target } = report;
  const survived = target.survivingMutants.filter((m) => m.status === 'Survived').length;
  const lines = [
    `- ${codeSpan(target.name)} in ${codeSpan(target.path)} (lines ${target.startLine}–${target.endLine}; ${plural(survived, 'surviving mutant')}, ${plural(target.uncoveredLines.length, 'uncovered changed line')}) → ${codeSpan(report.testPath)}: ${report.funnel.kept} of ${plural(report.funnel.candidates, 'candidate')} kept`,
  ];
  for (const note of report.notes) lines.push(`  - ${codeSpan(note)}`);
  for (const c of report.candidates)
    lines.push(
      `  - ${codeSpan(c.name)} (${c.origin}, ${c.kind}, round ${c.round}): ${verdictText(c.verdict)}`,
    );
  lines.push('');
  return lines;
}

function verdictText(verdict: TargetReport['candidates'][number]['verdict']): string {
  switch (verdict.kind) {
    case 'kept':
      return `kept (kills ${verdict.kills.length}, covers ${verdict.covers.length})`;
    case 'dropped':
      return `dropped at ${verdict.stage}: ${codeSpan(verdict.reason.slice(0, 300))}`;
    case 'possible-bug':
      return `possible bug: ${codeSpan(verdict.assertion.slice(0, 300))}`;
  }
}

/** One log line per candidate: the reasons quote the pull request's test output. */
function candidateLines(report: TargetReport): string[] {
  return report.candidates.map((c) => {
    const verdict =
      c.verdict.kind === 'kept'
        ? `kept (kills ${c.verdict.kills.length}, covers ${c.verdict.covers.length})`
        : c.verdict.kind === 'dropped'
          ? `dropped at ${c.verdict.stage}: ${c.verdict.reason}`
          : `possible bug: ${c.verdict.assertion}`;
    return `${report.target.path} ${report.target.name} · ${c.name} (${c.origin}, round ${c.round}): ${verdict}`;
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
