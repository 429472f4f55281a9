import type { MutationTestResult } from 'mutation-testing-report-schema';
import type { ReviewFile } from '../diff/review-file.ts';
import { nothingToMutateComment } from './markdown.ts';
import { mergeReports, MutationReportError } from './report.ts';
import { runMutation, type MutationRun } from './run-mutation.ts';
import type { MutationRunOutcome } from './runner.ts';
import { scopeFromDiff } from './scope.ts';
import type { MutationConfig } from './settings.ts';
import type { Suppressions } from './survivors.ts';

/**
 * Shards of one mutation run, merged for publishing: each shard job writes its Stryker report
 * and a small record of how its run ended (this file's {@link ShardRecord}); the merge job reads
 * them back as the hostile input they are (the shard jobs ran the pull request's code), merges the
 * reports with mergeReports, and scores the whole change's scope once, exactly as one run would.
 */

/** The record each shard writes beside its `mutation.json`. */
export const SHARD_RECORD_FILE = 'steward-shard.json';
/** The Stryker report each shard writes (absent when Stryker wrote none). */
export const SHARD_REPORT_FILE = 'mutation.json';

export interface ShardRecord {
  /** Shard `index` of `count` (1-based); 1 of 1 for a run that was not sharded. */
  shard: { index: number; count: number };
  /** The commit the shard mutated. */
  headSha: string;
  kind: MutationRun['kind'];
  /** The `mutate` patterns the shard scoped with (the project's, when the config sets none). */
  mutate: string[] | null;
  /** Why the run ended as it did (failures, nothing to mutate); '' for a report. */
  message: string;
  failingTests: string[];
  hint: string;
  partial: boolean;
  reason: string | null;
  strykerMs: number;
  mutantsTested: number;
  mutantsNotRun: number;
}

/** What a shard writes, from its run. */
export function shardRecordOf(
  run: MutationRun,
  shard: { index: number; count: number },
  headSha: string,
  mutate: readonly string[] | null,
): ShardRecord {
  const record: ShardRecord = {
    shard,
    headSha,
    kind: run.kind,
    mutate: mutate === null ? null : [...mutate],
    message: 'message' in run ? run.message : '',
    failingTests: run.kind === 'dry-run-failed' ? run.failingTests : [],
    hint: run.kind === 'setup-failed' ? run.hint : '',
    partial: run.kind === 'report' && run.partial,
    reason: run.kind === 'report' ? run.reason : null,
    strykerMs: run.kind === 'report' ? run.strykerMs : 0,
    mutantsTested: run.kind === 'report' ? run.mutantsTested : 0,
    mutantsNotRun: run.kind === 'report' ? run.mutantsNotRun : 0,
  };
  return record;
}

const KINDS: readonly MutationRun['kind'][] = [
  'nothing-to-mutate',
  'report',
  'dry-run-failed',
  'setup-failed',
  'crashed',
];
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** Bounds on what a record may hold: a shard job is not trusted to keep its text short. */
const MAX_TEXT = 4000;
const MAX_LIST = 200;

/**
 * A shard's record, checked field by field.
 * @throws MutationReportError naming the field and what it must be.
 */
export function parseShardRecord(text: string, where = SHARD_RECORD_FILE): ShardRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new MutationReportError(
      where,
      '',
      `is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const fail = (field: string, expected: string): never => {
    throw new MutationReportError(where, field, `must be ${expected}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('', 'a JSON object');
  const o = value as Record<string, unknown>;
  const text_ = (field: string, max = MAX_TEXT): string => {
    const v = o[field];
    return typeof v === 'string' && v.length <= max
      ? v
      : fail(field, `text of at most ${max} characters`);
  };
  const count = (field: string): number => {
    const v = o[field];
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
      ? v
      : fail(field, 'a whole number ≥ 0');
  };
  const strings = (field: string): string[] => {
    const v = o[field];
    return Array.isArray(v) &&
      v.length <= MAX_LIST &&
      v.every((s) => typeof s === 'string' && s.length <= MAX_TEXT)
      ? (v as string[])
      : fail(field, `a list of at most ${MAX_LIST} texts`);
  };
  const shard = o['shard'] as Record<string, unknown> | undefined;
  const index = shard?.['index'];
  const total = shard?.['count'];
  if (
    typeof index !== 'number' ||
    typeof total !== 'number' ||
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(total) ||
    total < 1 ||
    total > 9999 ||
    index < 1 ||
    index > total
  )
    return fail('shard', '{ index, count } with 1 ≤ index ≤ count ≤ 9999');
  const headSha = text_('headSha', 64);
  if (!SHA.test(headSha)) fail('headSha', 'a full commit SHA');
  const kind = o['kind'];
  if (!KINDS.includes(kind as MutationRun['kind'])) fail('kind', `one of ${KINDS.join(', ')}`);
  const mutate = o['mutate'] === null ? null : strings('mutate');
  if (typeof o['partial'] !== 'boolean') fail('partial', 'true or false');
  const reason = o['reason'] === null ? null : text_('reason');
  return {
    shard: { index: index as number, count: total as number },
    headSha,
    kind: kind as MutationRun['kind'],
    mutate,
    message: text_('message'),
    failingTests: strings('failingTests'),
    hint: text_('hint'),
    partial: o['partial'] as boolean,
    reason,
    strykerMs: count('strykerMs'),
    mutantsTested: count('mutantsTested'),
    mutantsNotRun: count('mutantsNotRun'),
  };
}

/** One shard as the merge job read it: its record, and its report when it has one. */
export interface ShardInput {
  record: ShardRecord;
  report: MutationTestResult | null;
  /** Where it was read from, for errors (the artifact's directory). */
  where: string;
}

/**
 * The shards, checked to be one complete run: the same shard count everywhere, each index once,
 * one commit, a report wherever the record says Stryker wrote one.
 * @throws MutationReportError naming the shard and what is wrong.
 */
export function checkShards(shards: readonly ShardInput[]): {
  headSha: string;
  count: number;
} {
  const [first] = shards;
  if (first === undefined)
    throw new MutationReportError(
      'merge',
      '',
      `no shard found (no ${SHARD_RECORD_FILE}): download the shards' artifacts into the shards directory first`,
    );
  const count = first.record.shard.count;
  const seen = new Map<number, string>();
  for (const { record, report, where } of shards) {
    if (record.shard.count !== count)
      throw new MutationReportError(
        where,
        'shard.count',
        `is ${record.shard.count} but ${first.where} says ${count}: every shard of one run has the same count`,
      );
    const twice = seen.get(record.shard.index);
    if (twice !== undefined)
      throw new MutationReportError(
        where,
        'shard.index',
        `shard ${record.shard.index}/${count} is also in ${twice}: each shard's artifact once`,
      );
    seen.set(record.shard.index, where);
    if (record.headSha !== first.record.headSha)
      throw new MutationReportError(
        where,
        'headSha',
        `is ${record.headSha.slice(0, 12)} but ${first.where} mutated ${first.record.headSha.slice(0, 12)}: the shards ran on different commits`,
      );
    if (record.kind === 'report' && report === null)
      throw new MutationReportError(where, '', `has no ${SHARD_REPORT_FILE} although Stryker ran`);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new MutationReportError(
      'merge',
      '',
      `shard ${missing.map((i) => `${i}/${count}`).join(', ')} missing: did that job fail before uploading its report?`,
    );
  return { headSha: first.record.headSha, count };
}

/**
 * The shards' outcomes as one runner outcome: the first failure (by shard) when any shard could
 * not run, else their reports merged, partial when any was.
 */
export function mergedOutcome(shards: readonly ShardInput[]): MutationRunOutcome | null {
  const ordered = [...shards].sort((a, b) => a.record.shard.index - b.record.shard.index);
  const label = ({ record }: ShardInput) => `shard ${record.shard.index}/${record.shard.count}`;
  for (const shard of ordered) {
    const { record } = shard;
    const prefix = record.shard.count > 1 ? `${label(shard)}: ` : '';
    if (record.kind === 'dry-run-failed')
      return {
        kind: 'dry-run-failed',
        message: `${prefix}${record.message}`,
        failingTests: record.failingTests,
      };
    if (record.kind === 'setup-failed')
      return { kind: 'setup-failed', message: `${prefix}${record.message}`, hint: record.hint };
    if (record.kind === 'crashed')
      return { kind: 'crashed', message: `${prefix}${record.message}`, log: '' };
  }
  const ran = ordered.filter((s) => s.record.kind === 'report' && s.report !== null);
  if (ran.length === 0) return null;
  const reasons = ran.flatMap((s) =>
    s.record.partial ? [`${label(s)}: ${s.record.reason ?? 'Stryker stopped early'}`] : [],
  );
  return {
    kind: 'report',
    report: mergeReports(
      ran.map((s) => s.report!),
      'shard',
    ),
    partial: reasons.length > 0,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    // The shards run side by side: the run took as long as the longest.
    strykerMs: Math.max(...ran.map((s) => s.record.strykerMs)),
    mutantsTested: ran.reduce((sum, s) => sum + s.record.mutantsTested, 0),
    mutantsNotRun: ran.reduce((sum, s) => sum + s.record.mutantsNotRun, 0),
  };
}

export interface MergeShardsInput {
  shards: readonly ShardInput[];
  /** The change's files (base...the shards' head). */
  files: readonly ReviewFile[];
  config: MutationConfig;
  base?: MutationTestResult | null | undefined;
  suppressed?: Suppressions | undefined;
  reportUrl?: string | null | undefined;
}

/**
 * One run from its shards: the whole change's scope recomputed from the diff (with the patterns
 * the shards scoped by, unless the config names its own), every shard's mutants scored on it, one
 * summary and one set of comments. The same result as one unsharded run of the same commit.
 * @throws MutationReportError when the shards are not one complete run, or their reports clash.
 */
export async function mergeShards(input: MergeShardsInput): Promise<MutationRun> {
  checkShards(input.shards);
  const mutate = input.config.mutate ?? input.shards[0]!.record.mutate;
  const outcome = mergedOutcome(input.shards);
  if (outcome === null) {
    // Every shard found nothing to mutate: so is the whole change.
    const scope = scopeFromDiff(input.files, mutate);
    const message =
      scope.kind === 'nothing-to-mutate'
        ? scope.message
        : (input.shards[0]!.record.message ?? 'nothing to mutate');
    return {
      kind: 'nothing-to-mutate',
      message,
      ranges: [],
      skipped: scope.skipped,
      summary: nothingToMutateComment(message, scope.skipped),
      gate: { fail: false },
      notice: null,
    };
  }
  return runMutation({
    files: input.files,
    mutate,
    config: input.config,
    // The shards already ran: their merged outcome stands in for one Stryker run of the scope.
    runner: { run: () => Promise.resolve(outcome) },
    request: { root: '.' },
    base: input.base,
    suppressed: input.suppressed,
    reportUrl: input.reportUrl,
  });
}
