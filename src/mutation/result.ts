import type { MutationTestResult } from 'mutation-testing-report-schema';
import { mutationGate } from './gate.ts';
import type { GateResult } from './gate.ts';
import { summaryComment, survivorComment } from './markdown.ts';
import { analyseChangedLines } from './report.ts';
import type { ChangedLinesAnalysis } from './report.ts';
import type { MutateRange } from './scope.ts';
import type { MutationConfig } from './settings.ts';
import { selectSurvivors, survivorsOf } from './survivors.ts';
import type { Suppressions, SurvivorSelection } from './survivors.ts';

/**
 * Everything Steward concludes from one Stryker run on a pull request's changed lines, as plain
 * data the faces post: the scores, the survivors chosen for comments, the gate and the bodies.
 * The faces find what is already posted by the markers in these bodies (markdown.ts).
 */

export interface MutationResultInput {
  ranges: readonly MutateRange[];
  /** The run's report (one run's, or the shards' merged with mergeReports). */
  head: MutationTestResult;
  /** A report of the base branch, for the same files' score at base; null for none. */
  base?: MutationTestResult | null;
  config: MutationConfig;
  /** What 👎 reactions on earlier survivor comments turned down. */
  suppressed?: Suppressions;
  durationMs?: number | null;
  reportUrl?: string | null;
}

export interface InlineComment {
  path: string;
  line: number;
  body: string;
  fingerprint: string;
}

export interface MutationResult {
  analysis: ChangedLinesAnalysis;
  selection: SurvivorSelection;
  gate: GateResult;
  summary: string;
  comments: InlineComment[];
  /**
   * The fingerprint of every undetected mutant on the changed lines (capped, arid and suppressed
   * ones too), for planComments: a comment is resolved only when its mutant is gone.
   */
  surviving: Set<string>;
}

export function mutationResult(input: MutationResultInput): MutationResult {
  const analysis = analyseChangedLines(input.head, input.ranges, input.base ?? null);
  const selection = selectSurvivors(analysis.report, {
    maxPerLine: input.config.maxCommentsPerLine,
    maxComments: input.config.maxComments,
    ignore: input.config.ignore,
    ...(input.suppressed === undefined ? {} : { suppressed: input.suppressed }),
  });
  return {
    analysis,
    selection,
    gate: mutationGate(analysis.counts, input.config, selection.survivors.length),
    summary: summaryComment({
      analysis,
      selection,
      ranges: input.ranges,
      durationMs: input.durationMs ?? null,
      reportUrl: input.reportUrl ?? null,
    }),
    comments: selection.comment.map((s) => ({
      path: s.path,
      line: s.line,
      body: survivorComment(s),
      fingerprint: s.fingerprint,
    })),
    surviving: new Set(survivorsOf(analysis.report).map((s) => s.fingerprint)),
  };
}
