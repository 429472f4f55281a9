import type { ChaosReport } from '../../src/chaos/report.ts';
import type { UpsertOutcome } from '../../src/github/client.ts';
import type { ChaosIncidentSynced } from '../../src/chaos/sync.ts';
import { codeSpan } from '../../src/markdown/untrusted.ts';
import type { StepMessage, StepReport } from '../shared/step.ts';
import type { ChaosInputs } from './inputs.ts';
import type { ChaosTarget } from './main.ts';

/** What became of the pull request comment; null when none was asked for. */
export type Commented =
  | ({ kind: 'commented'; number: number } & UpsertOutcome)
  | { kind: 'not-permitted'; number: number; message: string }
  | null;

/** What became of the incidents on the default branch; null off it. */
export type IncidentsSynced =
  | { kind: 'off' }
  | { kind: 'synced'; results: ChaosIncidentSynced[] }
  | { kind: 'not-permitted' | 'failed'; message: string; results: ChaosIncidentSynced[] }
  | null;

export interface ChaosStepInput {
  report: ChaosReport;
  inputs: Pick<ChaosInputs, 'failOnVerdict' | 'comment'>;
  target: ChaosTarget;
  commented: Commented;
  incidents: IncidentsSynced;
  /** Patterns that matched nothing, files that could not be read. */
  problems: string[];
}

/** A hostile name (an experiment's, a target's) as inert markdown. */
function name(text: string): string {
  return codeSpan(text.length > 80 ? `${text.slice(0, 80)}…` : text, { padded: true }) || '—';
}

/** A hostile name in a log line: one line, bounded. */
function plain(text: string): string {
  const flat = text.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]+/gu, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}

/**
 * How the step ends: outputs (verdict, counts, the comment), the summary (the chaos table, then
 * what happened to the comment and the incidents), and the gate last.
 */
export function chaosStepReport(input: ChaosStepInput): StepReport {
  const { report, inputs, commented, incidents, problems } = input;
  const messages: StepMessage[] = [];
  const after: string[] = [];
  for (const problem of problems) messages.push({ level: 'warning', text: problem });

  if (commented?.kind === 'commented')
    messages.push({
      level: 'info',
      text: `The chaos summary on #${commented.number}: ${commented.action}.`,
    });
  else if (commented?.kind === 'not-permitted') {
    messages.push({
      level: 'notice',
      text: `Steward posted no comment on #${commented.number}: ${commented.message} A pull request from a fork gets a read-only GITHUB_TOKEN on \`pull_request\`. The summary is in this job's summary.`,
    });
    after.push(`No comment on #${commented.number}: the token may not write to it.`);
  }

  if (incidents?.kind === 'off')
    after.push('Incidents are off (`chaos.incident: false`): no incident issue was touched.');
  if (incidents !== null && incidents.kind !== 'off') {
    const lines = incidents.results.map(({ experiment, target, status, result }) => {
      const issue = result.issue === null ? 'no issue' : `#${result.issue.number}`;
      return `- ${name(experiment)} on ${name(target)}: ${status}, ${issue} (${result.action})`;
    });
    if (lines.length > 0) after.push('**Incidents**', '', ...lines);
    for (const { experiment, status, result } of incidents.results)
      if (result.issue !== null && result.action !== 'none')
        messages.push({
          level: 'info',
          text: `Incident #${result.issue.number} for ${plain(experiment)}: ${status}, ${result.action}.`,
        });
    if (incidents.kind === 'not-permitted')
      messages.push({
        level: 'warning',
        text: `Steward could not open or update the incident issues: ${incidents.message}`,
      });
    else if (incidents.kind === 'failed')
      messages.push({
        level: 'warning',
        text: `Steward could not open or update the incident issues: ${incidents.message}`,
      });
  }

  const failures: string[] = [];
  if (report.verdict === 'fail' && inputs.failOnVerdict === 'fail') {
    const names = report.rows
      .filter((r) => r.verdict === 'fail')
      .slice(0, 5)
      .map((r) => plain(r.experiment));
    failures.push(
      `${report.failed} of ${report.rows.length} chaos experiment${report.rows.length === 1 ? '' : 's'} failed (${names.join(', ')}${report.failed > names.length ? ', …' : ''})`,
    );
  }
  if (problems.length > 0)
    failures.push(`${problems.length} of the files given could not be read (see the warnings)`);
  if (incidents !== null && (incidents.kind === 'failed' || incidents.kind === 'not-permitted'))
    failures.push(`the incident issues could not be written: ${incidents.message}`);

  const summary = [
    '## Steward chaos report',
    '',
    report.markdown,
    ...(after.length > 0 ? ['', ...after, ''] : []),
  ].join('\n');
  return {
    messages,
    files: [],
    outputs: {
      verdict: report.verdict,
      failed: String(report.failed),
      passed: String(report.passed),
      'comment-id': commented?.kind === 'commented' ? String(commented.id) : '',
    },
    summary,
    failure: failures.length === 0 ? null : `Steward chaos report: ${failures.join('; ')}.`,
  };
}
