import type { MutationTestResult } from 'mutation-testing-report-schema';
import type { ReviewFile } from '../diff/review-file.ts';
import { inlineMarkdown } from '../markdown/untrusted.ts';
import type { GateResult } from './gate.ts';
import { notStartedComment, nothingToMutateComment, runFailedComment } from './markdown.ts';
import { mutationResult, type MutationResult } from './result.ts';
import type { MutationRunner, MutationRunRequest } from './runner.ts';
import { scopeFromDiff, shardRanges, type MutateRange, type SkippedFile } from './scope.ts';
import type { MutationConfig } from './settings.ts';
import type { Suppressions } from './survivors.ts';

/**
 * One mutation run on a change, as every face runs it: the diff's changed lines become Stryker
 * ranges, the runner (a port: the Stryker edge in production) mutates them, and its outcome
 * becomes one result with the summary to show and the gate's verdict. Nothing runs when the diff
 * leaves nothing to mutate.
 */

export interface RunMutationInput {
  /** The change's files, as src/diff reads them. */
  files: readonly ReviewFile[];
  /** `mutation.mutate`, else the project's own Stryker `mutate`, else null for Stryker's defaults. */
  mutate: readonly string[] | null;
  config: MutationConfig;
  runner: MutationRunner;
  /** Options passed through to the runner (root, incremental file, timeout, progress…). */
  request: Omit<MutationRunRequest, 'ranges' | 'ignoreCalls'>;
  /** Shard `index` of `count` (1-based): only that share of the ranges runs. */
  shard?: { index: number; count: number } | undefined;
  /** A base branch report, for the same files' score at base. */
  base?: MutationTestResult | null | undefined;
  suppressed?: Suppressions | undefined;
  reportUrl?: string | null | undefined;
}

interface RunCommon {
  /** The ranges Stryker was asked to mutate (this shard's, when sharded). */
  ranges: MutateRange[];
  /** Changed files left out of the scope, with why. */
  skipped: SkippedFile[];
  /** The summary comment (markdown) for this run. */
  summary: string;
  gate: GateResult;
  /**
   * What the runner did that the user should hear about (it installed Steward's pinned Stryker
   * because the repository has none, and what to add to pin their own); null when nothing.
   */
  notice: string | null;
}

export type MutationRun =
  | (RunCommon & { kind: 'nothing-to-mutate'; message: string })
  | (RunCommon & {
      kind: 'report';
      result: MutationResult;
      /** The whole report Stryker wrote (every mutant it placed, not only the changed lines'). */
      report: MutationTestResult;
      partial: boolean;
      reason: string | null;
      strykerMs: number;
      mutantsTested: number;
      mutantsNotRun: number;
    })
  | (RunCommon & { kind: 'dry-run-failed'; message: string; failingTests: string[] })
  | (RunCommon & { kind: 'setup-failed'; message: string; hint: string })
  | (RunCommon & { kind: 'crashed'; message: string; log: string });

const PASS: GateResult = { fail: false };

export async function runMutation(input: RunMutationInput): Promise<MutationRun> {
  const scope = scopeFromDiff(input.files, input.mutate);
  const skipped = scope.skipped;
  const ranges =
    scope.kind === 'ranges' && input.shard !== undefined
      ? shardRanges(scope.ranges, input.shard.index, input.shard.count)
      : scope.kind === 'ranges'
        ? scope.ranges
        : [];
  if (scope.kind === 'nothing-to-mutate' || ranges.length === 0) {
    const message =
      scope.kind === 'nothing-to-mutate'
        ? scope.message
        : `nothing to mutate: shard ${input.shard?.index}/${input.shard?.count} got none of the changed lines`;
    return {
      kind: 'nothing-to-mutate',
      message,
      ranges: [],
      skipped,
      summary: nothingToMutateComment(message, skipped),
      gate: PASS,
      notice: null,
    };
  }
  const outcome = await input.runner.run({
    ...input.request,
    ranges,
    ...(input.config.ignore.length > 0 ? { ignoreCalls: input.config.ignore } : {}),
  });
  const notice = ('notice' in outcome ? outcome.notice : undefined) ?? null;
  switch (outcome.kind) {
    case 'report': {
      const result = mutationResult({
        ranges,
        head: outcome.report,
        base: input.base ?? null,
        config: input.config,
        ...(input.suppressed === undefined ? {} : { suppressed: input.suppressed }),
        durationMs: outcome.strykerMs,
        reportUrl: input.reportUrl ?? null,
      });
      const reason = outcome.reason ?? null;
      // A run stopped early may leave no Pending mutant behind (the untested ones are simply absent).
      const summary =
        outcome.partial && !result.analysis.partial
          ? withPartialNote(result.summary, reason)
          : result.summary;
      return {
        kind: 'report',
        ranges,
        skipped,
        notice,
        result,
        report: outcome.report,
        partial: outcome.partial || result.analysis.partial,
        reason,
        strykerMs: outcome.strykerMs,
        mutantsTested: outcome.mutantsTested,
        mutantsNotRun: outcome.mutantsNotRun,
        summary,
        gate: result.gate,
      };
    }
    case 'dry-run-failed':
      return {
        kind: 'dry-run-failed',
        ranges,
        skipped,
        notice,
        message: outcome.message,
        failingTests: outcome.failingTests,
        summary: notStartedComment({ reason: outcome.message, failingTests: outcome.failingTests }),
        gate: {
          fail: true,
          reasons: [`mutation testing could not start: ${outcome.message}`],
        },
      };
    case 'setup-failed':
      return {
        kind: 'setup-failed',
        ranges,
        skipped,
        notice,
        message: outcome.message,
        hint: outcome.hint,
        summary: runFailedComment(
          'Mutation testing could not be set up',
          outcome.message,
          outcome.hint,
        ),
        gate: { fail: true, reasons: [`mutation testing could not be set up: ${outcome.message}`] },
      };
    case 'crashed':
      return {
        kind: 'crashed',
        ranges,
        skipped,
        notice,
        message: outcome.message,
        log: outcome.log,
        summary: runFailedComment('Stryker stopped without a result', outcome.message, null),
        gate: { fail: true, reasons: [`Stryker stopped without a result: ${outcome.message}`] },
      };
  }
}

function withPartialNote(summary: string, reason: string | null): string {
  const [first = '', second = '', ...rest] = summary.split('\n');
  const why = reason === null ? 'Stryker stopped early' : reason;
  const note = [
    '',
    '> [!WARNING]',
    `> Partial result (${inlineMarkdown(why.replace(/\s+/g, ' '))}): mutants Stryker did not reach are not counted.`,
  ];
  return [first, second, ...note, ...rest].join('\n');
}
