import { describe, expect, it } from 'vitest';
import { parseGitDiff } from '../../src/diff/git-diff.ts';
import {
  mergeShards,
  parseShardRecord,
  shardRecordOf,
  type ShardInput,
} from '../../src/mutation/merge-shards.ts';
import { MutationReportError, restrictToRanges } from '../../src/mutation/report.ts';
import { runMutation, type MutationRun } from '../../src/mutation/run-mutation.ts';
import type { MutationRunOutcome, MutationRunner } from '../../src/mutation/runner.ts';
import { defaultMutationConfig } from '../../src/mutation/settings.ts';
import { MATH_PR_DIFF, realMathReport } from './report-fixtures.ts';

const HEAD = 'a'.repeat(40);
const files = parseGitDiff(MATH_PR_DIFF);
const config = { ...defaultMutationConfig(), failUnder: 60 };

/** A runner that answers what Stryker would for the ranges it is given: the real report, restricted. */
const strykerLike: MutationRunner = {
  run: (request) =>
    Promise.resolve({
      kind: 'report',
      report: restrictToRanges(realMathReport, request.ranges),
      partial: false,
      strykerMs: 1000 + request.ranges.length,
      mutantsTested: 4,
      mutantsNotRun: 1,
    }),
};

function oneRun(runner: MutationRunner, shard?: { index: number; count: number }) {
  return runMutation({
    files,
    mutate: null,
    config,
    runner,
    shard,
    request: { root: '/repo' },
  });
}

/** What the shard job writes, read back as the merge job reads it. */
function asShard(run: MutationRun, index: number, count: number): ShardInput {
  const record = parseShardRecord(
    JSON.stringify(shardRecordOf(run, { index, count }, HEAD, null)),
    `shard-${index}`,
  );
  return { record, report: run.kind === 'report' ? run.report : null, where: `shard-${index}` };
}

async function shards(count: number, runner = strykerLike): Promise<ShardInput[]> {
  const out: ShardInput[] = [];
  for (let i = 1; i <= count; i++)
    out.push(asShard(await oneRun(runner, { index: i, count }), i, count));
  return out;
}

describe('mergeShards', () => {
  it('gives the same result as one run: counts, survivors, comments, gate and summary', async () => {
    const whole = await oneRun(strykerLike);
    const merged = await mergeShards({ shards: await shards(2), files, config });
    if (whole.kind !== 'report' || merged.kind !== 'report') throw new Error('expected reports');
    expect(merged.ranges).toEqual(whole.ranges);
    expect(merged.result.analysis.counts).toEqual(whole.result.analysis.counts);
    expect(merged.result.comments).toEqual(whole.result.comments);
    expect([...merged.result.surviving].sort()).toEqual([...whole.result.surviving].sort());
    expect(merged.gate).toEqual(whole.gate);
    expect(merged.summary).toBe(whole.summary);
    // Side by side: as long as the longest shard; every shard's tested mutants counted.
    expect(merged.mutantsTested).toBe(8);
  });

  it('also with more shards than ranges (an empty shard found nothing to mutate)', async () => {
    const whole = await oneRun(strykerLike);
    const merged = await mergeShards({ shards: await shards(3), files, config });
    if (whole.kind !== 'report' || merged.kind !== 'report') throw new Error('expected reports');
    expect(merged.result.analysis.counts).toEqual(whole.result.analysis.counts);
  });

  it('reports a shard whose dry run failed as the run’s failure, naming the tests', async () => {
    const failing: MutationRunOutcome = {
      kind: 'dry-run-failed',
      message: 'There were failed tests in the initial test run.',
      failingTests: ['adds badly'],
    };
    const runner: MutationRunner = {
      run: (r) => (r.ranges[0]!.startLine === 9 ? Promise.resolve(failing) : strykerLike.run(r)),
    };
    const merged = await mergeShards({ shards: await shards(2, runner), files, config });
    expect(merged).toMatchObject({ kind: 'dry-run-failed', failingTests: ['adds badly'] });
    expect(merged.summary).toContain('adds badly');
    expect(merged.gate.fail).toBe(true);
  });

  it('refuses a missing shard, a shard twice and shards of different commits', async () => {
    const [one, two] = await shards(2);
    await expect(mergeShards({ shards: [one!], files, config })).rejects.toThrow(
      /shard 2\/2 missing/,
    );
    await expect(mergeShards({ shards: [one!, one!, two!], files, config })).rejects.toThrow(
      /shard 1\/2 is also in/,
    );
    const moved = { ...two!, record: { ...two!.record, headSha: 'b'.repeat(40) } };
    await expect(mergeShards({ shards: [one!, moved], files, config })).rejects.toThrow(
      /different commits/,
    );
    await expect(mergeShards({ shards: [], files, config })).rejects.toThrow(/no shard found/);
  });
});

describe('parseShardRecord', () => {
  const good = () => ({
    ...shardRecordOf(
      {
        kind: 'nothing-to-mutate',
        message: 'nothing',
        ranges: [],
        skipped: [],
        notice: null,
        summary: '',
        gate: { fail: false },
      },
      { index: 1, count: 1 },
      HEAD,
      null,
    ),
  });

  it.each([
    ['not JSON', 'nope', /is not JSON/],
    ['an array', '[]', /must be a JSON object/],
    [
      'shard index above the count',
      JSON.stringify({ ...good(), shard: { index: 3, count: 2 } }),
      /at shard: must be/,
    ],
    [
      'a head that is no SHA',
      JSON.stringify({ ...good(), headSha: 'main' }),
      /at headSha: must be a full commit SHA/,
    ],
    ['an unknown kind', JSON.stringify({ ...good(), kind: 'approved' }), /at kind: must be one of/],
    [
      'a huge message',
      JSON.stringify({ ...good(), message: 'x'.repeat(5000) }),
      /at message: must be text/,
    ],
    ['negative counts', JSON.stringify({ ...good(), mutantsTested: -1 }), /at mutantsTested/],
  ])('names the field of %s', (_, text, error) => {
    expect(() => parseShardRecord(text, 'shard-1/steward-shard.json')).toThrow(MutationReportError);
    expect(() => parseShardRecord(text, 'shard-1/steward-shard.json')).toThrow(error);
  });

  it('reads back what shardRecordOf wrote', () => {
    expect(parseShardRecord(JSON.stringify(good()))).toEqual(good());
  });
});
