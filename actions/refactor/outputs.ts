import { inertLog } from '../shared/checkout.ts';
import type { StepMessage, StepReport } from '../shared/step.ts';
import { stepReport } from '../shared/step.ts';
import { codeSpan, inlineMarkdown } from '../../src/markdown/untrusted.ts';
import { renderArtifact, type CheckedRefactorArtifact } from '../../src/refactor/artifact.ts';
import type { RefactorDelivery, TendedPullRequest } from '../../src/refactor/deliver.ts';
import type { OpenRefactorPullRequest } from '../../src/refactor/pull-requests.ts';
import type { RefactorRun } from '../../src/refactor/run-refactor.ts';
import type { SkippedTarget, TargetOutcome } from '../../src/refactor/types.ts';
import type { RefactorInputs } from './inputs.ts';

/** The propose job's outputs when no refactoring was proven (no artifact is written). */
export const NOT_PROVEN: Readonly<Record<string, string>> = {
  proven: 'false',
  path: '',
  function: '',
  'artifact-file': '',
};

/** The deliver job's outputs when no pull request was opened or found. */
export const NOT_DELIVERED: Readonly<Record<string, string>> = {
  'pull-request-number': '',
  'pull-request-url': '',
  delivered: 'false',
};

const TITLE = '## Steward refactoring';

/** No key: a model is needed; the step ends green and nothing was read or run. */
export function noKeyReport(): StepReport {
  const text =
    'Steward proposed no refactoring: a model is needed. Pass `anthropic-api-key: ${{ secrets.ANTHROPIC_API_KEY }}` to the propose job (the deliver job needs no key).';
  return stepReport({
    messages: [{ level: 'notice', text }],
    outputs: { ...NOT_PROVEN },
    summary: `${TITLE}\n\n${text}\n`,
  });
}

/** An event the workflow is not meant for: it runs on a schedule or a dispatch. */
export function notScheduledReport(eventName: string): StepReport {
  return stepReport({
    messages: [
      {
        level: 'notice',
        text: `Steward refactoring did nothing on ${eventName}: it runs on a schedule, workflow_dispatch or repository_dispatch (what /steward refactor sends).`,
      },
    ],
    outputs: { ...NOT_PROVEN },
  });
}

/** max-open refactoring pull requests are open already: nothing is measured or asked. */
export function maxOpenReport(
  maxOpen: number,
  open: readonly OpenRefactorPullRequest[],
): StepReport {
  const list = open.map((p) => `#${p.number}`).join(', ');
  const text = `Steward proposed no refactoring: ${plural(open.length, 'refactoring pull request')} open (${list}), and refactor.max-open is ${maxOpen}. Merge or close ${open.length === 1 ? 'it' : 'one'} to get the next.`;
  return stepReport({
    messages: [{ level: 'notice', text }],
    outputs: { ...NOT_PROVEN },
    summary: `${TITLE}\n\n${text}\n`,
  });
}

/** No function qualified (or the one named did not): why each was passed over. */
export function nothingChosenReport(input: {
  target: string | undefined;
  skipped: readonly SkippedTarget[];
  notes: StepMessage[];
}): StepReport {
  const what =
    input.target === undefined
      ? 'no function in the top hotspot files qualifies'
      : `the target ${codeSpan(input.target)} does not qualify`;
  return stepReport({
    messages: [
      ...input.notes,
      { level: 'notice', text: `Steward proposed no refactoring: ${plainOf(what)}.` },
    ],
    outputs: { ...NOT_PROVEN },
    summary: [TITLE, '', `Nothing to propose: ${what}.`, '', ...skippedList(input.skipped)].join(
      '\n',
    ),
  });
}

export interface ProposeStepInput {
  inputs: Pick<RefactorInputs, 'artifactFile'>;
  run: RefactorRun;
  /** The checked-out commit of the default branch: what the refactoring was made on. */
  baseSha: string;
  notes: StepMessage[];
}

type Proven = Extract<TargetOutcome, { kind: 'proven' }>;

/**
 * How the propose step ends: the artifact of the first proven refactoring (none when nothing was
 * proven), the outputs, what became of each target (in the log with workflow commands off: the
 * reasons quote the repository's test output), and a job summary.
 */
export function proposeStepReport(input: ProposeStepInput): StepReport {
  const { run, inputs } = input;
  const messages: StepMessage[] = [...input.notes];
  if (!run.baseline.ok)
    messages.push({
      level: 'warning',
      text: `Steward proposed no refactoring: ${run.baseline.reason}. Every target was skipped; fix the tests on the default branch first.`,
    });
  const lines = run.outcomes.map(outcomeLine);
  if (lines.length > 0)
    messages.push({
      level: 'info',
      text: inertLog('What became of each target:', lines.join('\n')),
    });
  const proven = run.outcomes.find((o): o is Proven => o.kind === 'proven');
  const summary = proposeSummary(input, proven);
  if (proven === undefined) return stepReport({ messages, outputs: { ...NOT_PROVEN }, summary });
  messages.push({
    level: 'info',
    text: `Proved a refactoring of ${oneLine(proven.target.function)} in ${oneLine(proven.target.path)}; wrote it to ${inputs.artifactFile}: upload it with actions/upload-artifact for the deliver job.`,
  });
  return stepReport({
    messages,
    files: [
      {
        path: inputs.artifactFile,
        text: renderArtifact(proven, input.baseSha),
      },
    ],
    outputs: {
      proven: 'true',
      path: proven.target.path,
      function: proven.target.function,
      'artifact-file': inputs.artifactFile,
    },
    summary,
  });
}

function proposeSummary(input: ProposeStepInput, proven: Proven | undefined): string {
  const { run } = input;
  const cost = run.usage.costUsd === null ? '' : ` · $${run.usage.costUsd.toFixed(2)}`;
  const head = proven
    ? `**Proved a refactoring** of ${codeSpan(proven.target.function)} in ${codeSpan(proven.target.path)} at ${input.baseSha.slice(0, 7)}: file health ${proven.health.before.fileHealth.toFixed(1)} → ${proven.health.after.fileHealth.toFixed(1)}, cognitive complexity ${proven.health.before.cognitive} → ${proven.health.after.cognitive}.`
    : run.baseline.ok
      ? `**No refactoring proven** at ${input.baseSha.slice(0, 7)}.`
      : `**No refactoring proven**: ${inlineMarkdown(run.baseline.reason)}.`;
  const lines = [
    TITLE,
    '',
    `${head} ${plural(run.outcomes.length, 'target')} tried · ${plural(run.usage.calls, 'model call')}${cost}`,
    '',
  ];
  if (run.outcomes.length > 0) {
    lines.push('| Target | Outcome | Attempts |', '| --- | --- | --- |');
    for (const o of run.outcomes)
      lines.push(
        `| ${codeSpan(`${o.target.path}:${o.target.function}`, { table: true })} | ${
          o.kind === 'proven'
            ? 'proven'
            : `skipped: ${inlineMarkdown(o.reason.slice(0, 300), { table: true })}`
        } | ${o.attempts} |`,
      );
    lines.push('');
  }
  if (proven) {
    lines.push(
      '<details><summary>Proof log</summary>',
      '',
      ...proven.proofs.map(
        (p) =>
          `- ${p.ok ? '✅' : '❌'} ${p.name} (${(p.durationMs / 1000).toFixed(1)} s): ${inlineMarkdown(p.detail.slice(0, 500))}`,
      ),
      '',
      '</details>',
      '',
      'The deliver job (`mode: deliver`) opens the pull request from the artifact.',
      '',
    );
  }
  lines.push(...skippedList(run.skipped));
  return lines.join('\n');
}

/** How the deliver step ended, before it is rendered. */
export type DeliverResult =
  | { kind: 'none'; tended: readonly TendedPullRequest[] }
  | { kind: 'refused'; problems: readonly string[]; tended: readonly TendedPullRequest[] }
  | {
      kind: 'delivered';
      artifact: CheckedRefactorArtifact;
      delivery: RefactorDelivery;
      tended: readonly TendedPullRequest[];
    };

/** How the deliver step ends: the outputs, the summary, and a refused artifact as the step's failure. */
export function deliverStepReport(result: DeliverResult): StepReport {
  const tended = tendedLines(result.tended);
  const messages: StepMessage[] = result.tended
    .filter((t) => t.action !== 'current')
    .map((t) => ({
      level: 'notice',
      text: `Refactoring pull request #${t.number} ${t.action}: ${oneLine(t.reason)}.`,
    }));
  if (result.kind === 'none') {
    const text =
      'No refactoring to deliver: the propose job proved none (it uploads an artifact only when it proves one).';
    return stepReport({
      messages: [...messages, { level: 'notice', text }],
      outputs: { ...NOT_DELIVERED },
      summary: [`${TITLE}: delivery`, '', text, '', ...tended].join('\n'),
    });
  }
  if (result.kind === 'refused') {
    const problems = result.problems.slice(0, 20).map(oneLine);
    return stepReport({
      messages: [
        ...messages,
        { level: 'info', text: inertLog('The problems of the artifact:', problems.join('\n')) },
      ],
      outputs: { ...NOT_DELIVERED },
      summary: [
        `${TITLE}: delivery`,
        '',
        `**Refused the artifact**: ${plural(result.problems.length, 'problem')}.`,
        '',
        ...problems.map((p) => `- ${codeSpan(p)}`),
        '',
        ...tended,
      ].join('\n'),
      failure: `Steward refused the refactoring artifact and delivered nothing: ${plural(result.problems.length, 'problem')}, listed in the job summary. The artifact comes from the job that ran the repository's code; make it again with the same Steward version.`,
    });
  }
  const { delivery, artifact } = result;
  const what = `${codeSpan(artifact.artifact.function)} in ${codeSpan(artifact.artifact.path)}`;
  if (delivery.kind === 'not-delivered') {
    return stepReport({
      messages: [
        ...messages,
        {
          level: 'notice',
          text: `Steward delivered no refactoring pull request: ${oneLine(delivery.reason)}.`,
        },
      ],
      outputs: { ...NOT_DELIVERED },
      summary: [
        `${TITLE}: delivery`,
        '',
        `The refactoring of ${what} was not delivered: ${inlineMarkdown(delivery.reason)}.`,
        '',
        ...tended,
      ].join('\n'),
    });
  }
  const verb = delivery.kind === 'opened' ? 'Opened' : 'Already open:';
  return stepReport({
    messages: [
      ...messages,
      {
        level: 'info',
        text: `${verb} refactoring pull request #${delivery.number} (${delivery.url}).`,
      },
    ],
    outputs: {
      'pull-request-number': String(delivery.number),
      'pull-request-url': delivery.url,
      delivered: 'true',
    },
    summary: [
      `${TITLE}: delivery`,
      '',
      `${verb} [#${delivery.number}](${delivery.url}): the refactoring of ${what} (health ${artifact.health.before.fileHealth.toFixed(1)} → ${artifact.health.after.fileHealth.toFixed(1)}, recomputed here).`,
      '',
      ...tended,
    ].join('\n'),
  });
}

function tendedLines(tended: readonly TendedPullRequest[]): string[] {
  const moved = tended.filter((t) => t.action !== 'current');
  if (moved.length === 0) return [];
  return [
    'Open refactoring pull requests whose base moved:',
    '',
    ...moved.map((t) => `- #${t.number} ${t.action}: ${inlineMarkdown(t.reason)}`),
    '',
  ];
}

function skippedList(skipped: readonly SkippedTarget[]): string[] {
  if (skipped.length === 0) return [];
  return [
    '<details><summary>Passed over</summary>',
    '',
    ...skipped.map(
      (s) =>
        `- ${codeSpan(s.function === null ? s.path : `${s.path}:${s.function}`)}: ${inlineMarkdown(s.reason)}`,
    ),
    '',
    '</details>',
    '',
  ];
}

function outcomeLine(outcome: TargetOutcome): string {
  const where = `${outcome.target.path} ${outcome.target.function}`;
  const proofs = outcome.proofs
    .map((p) => `${p.name} ${p.ok ? 'ok' : 'failed'}: ${p.detail}`)
    .join('; ');
  return outcome.kind === 'proven'
    ? `${where}: proven (attempt ${outcome.attempts}) · ${proofs}`
    : `${where}: skipped (${outcome.reason}) · ${proofs}`;
}

/** Markdown of Steward's own sentence as a plain log line (code spans kept as they read). */
function plainOf(markdown: string): string {
  return oneLine(markdown);
}

/** Text of the repository's as one line of the log: control characters shown as `?`. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001F\u007F\u2028\u2029]/g, '?');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
