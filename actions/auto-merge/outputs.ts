import type { Decision } from '../../src/automerge/decision.ts';
import { summaryMarkdown } from '../../src/automerge/report.ts';
import { stepReport, type StepReport } from '../shared/step.ts';

/** Least favourable first: the step's single `decision` output speaks for the worst pull request. */
const SEVERITY: readonly Decision['outcome'][] = [
  'refused',
  'head-moved',
  'pending',
  'would-arm',
  'would-merge',
  'armed',
  'merged',
];

/** The least favourable of the decisions (the first of equals), or undefined for none. */
export function worstDecision(decisions: readonly Decision[]): Decision | undefined {
  return [...decisions].sort(
    (a, b) => SEVERITY.indexOf(a.outcome) - SEVERITY.indexOf(b.outcome),
  )[0];
}

/**
 * What the auto-merge step reports, from the decisions alone: one log line each, the outputs of
 * action.yml (the single ones for the worst decision, `decisions` for all), and the summary table.
 * An event that names nothing to decide ends with a notice and an empty `decision`.
 */
export function autoMergeReport(decisions: readonly Decision[] | { ignored: string }): StepReport {
  if ('ignored' in decisions)
    return stepReport({
      messages: [
        { level: 'notice', text: `Steward auto-merge did nothing: ${decisions.ignored}.` },
      ],
      outputs: { decision: '' },
    });
  const worst = worstDecision(decisions);
  return stepReport({
    messages: decisions.map((d) => ({
      level: 'info',
      text: `#${d.number} at ${d.headSha.slice(0, 7)}: ${d.outcome} (${d.reason})`,
    })),
    outputs: {
      decision: worst?.outcome ?? '',
      reason: worst?.reason ?? 'no open pull request has this head',
      'update-type': worst?.updateType ?? '',
      dependencies: JSON.stringify(worst?.dependencies ?? []),
      decisions: JSON.stringify(
        decisions.map(({ number, headSha, outcome, reason, updateType }) => ({
          number,
          headSha,
          outcome,
          reason,
          updateType,
        })),
      ),
    },
    summary: summaryMarkdown(decisions),
  });
}
