import { formatScore } from './markdown.ts';
import type { MutationCounts } from './report.ts';
import type { MutationConfig } from './settings.ts';

/**
 * Whether the mutation step fails, by `mutation.fail-under` and `mutation.fail-on-survivors`, and
 * why in a sentence. A score of n/a (no valid mutant on the changed lines) never fails the score
 * gate: there was nothing to score.
 */

export type GateResult = { fail: false } | { fail: true; reasons: string[] };

export function mutationGate(
  counts: MutationCounts,
  config: Pick<MutationConfig, 'failUnder' | 'failOnSurvivors'>,
  /** Survivors left after arid and suppressed ones: a 👎 must not fail a build. */
  survivors: number = counts.survived + counts.noCoverage,
): GateResult {
  const reasons: string[] = [];
  if (config.failUnder !== null && counts.score !== null && counts.score < config.failUnder)
    reasons.push(
      `the changed-lines mutation score ${formatScore(counts.score)} is below fail-under ${config.failUnder}%`,
    );
  if (config.failOnSurvivors && survivors > 0)
    reasons.push(
      `${survivors} mutant${survivors === 1 ? '' : 's'} on changed lines survived and fail-on-survivors is on`,
    );
  return reasons.length > 0 ? { fail: true, reasons } : { fail: false };
}
