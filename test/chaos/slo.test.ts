import { describe, expect, it } from 'vitest';
import type { ChaosSlo } from '../../src/chaos/settings.ts';
import type { SloResult, SloSeries } from '../../src/chaos/slo.ts';
import {
  chaosJudgementKey,
  experimentWindow,
  formatSeries,
  judgeChaosMesh,
} from '../../src/chaos/slo.ts';
import { readChaosObjects } from '../../src/chaos/read.ts';
import type { ChaosJudgement } from '../../src/chaos/slo.ts';
import { summariseChaos } from '../../src/chaos/summary.ts';
import { CHAOS_MARKER } from '../../src/chaos/summary.ts';
import { htmlNodes, mentionsOutsideCode } from '../support/gfm.ts';
import { fixture } from './fixtures.ts';

/** The HTML Steward itself writes: the marker, the fold and line breaks in a cell. */
const OURS = new Set([CHAOS_MARKER, '<details><summary>Details</summary>', '</details>', '<br>']);

const T0 = Date.parse('2025-05-01T10:00:00Z');
const MIN = 60_000;
const WINDOW = { start: T0, end: T0 + 5 * MIN };

const latency: ChaosSlo = { name: 'p99', query: 'p99_latency', max: 0.5, min: null };
const availability: ChaosSlo = { name: 'availability', query: 'ok_ratio', max: null, min: 0.99 };

function series(
  values: [minutes: number, value: number][],
  labels: Record<string, string> = { pod: 'a' },
): SloSeries {
  return { labels, samples: values.map(([m, value]) => ({ timeMs: T0 + m * MIN, value })) };
}

const ok = (slo: ChaosSlo, ...list: SloSeries[]): SloResult => ({
  slo,
  outcome: { ok: true, series: list },
});

describe('judgeChaosMesh', () => {
  it('passes when every SLO held with samples inside the window', () => {
    const judgement = judgeChaosMesh(WINDOW, [
      ok(
        latency,
        series([
          [0, 0.1],
          [1, 0.2],
          [5, 0.5],
        ]),
      ),
      ok(
        availability,
        series([
          [0, 0.999],
          [3, 0.99],
        ]),
      ),
    ]);
    expect(judgement.verdict).toBe('pass');
    expect(judgement.slos.map((s) => s.verdict)).toEqual(['pass', 'pass']);
    expect(judgement.reasons[0]).toBe(
      'SLO "p99" (at most 0.5): held, values from 0.1 to 0.5 over 3 samples',
    );
  });

  it('fails when a value goes above max inside the window, naming the worst sample', () => {
    const judgement = judgeChaosMesh(WINDOW, [
      ok(availability, series([[1, 1]])),
      ok(
        latency,
        series(
          [
            [0, 0.1],
            [2, 0.7],
          ],
          { pod: 'a' },
        ),
        series(
          [
            [3, 0.9],
            [4, 0.3],
          ],
          { __name__: 'lat', pod: 'b' } as Record<string, string>,
        ),
      ),
    ]);
    expect(judgement.verdict).toBe('fail');
    expect(judgement.reasons[0]).toBe(
      'SLO "p99" (at most 0.5): broken, lat{pod="b"} was 0.9 at 2025-05-01T10:03:00.000Z (max 0.5); 2 of 4 samples out of bounds',
    );
    expect(judgement.reasons[1]).toMatch(/^SLO "availability" \(at least 0\.99\): held/);
  });

  it('fails when a value goes below min', () => {
    const judgement = judgeChaosMesh(WINDOW, [ok(availability, series([[1, 0.95]]))]);
    expect(judgement.verdict).toBe('fail');
    expect(judgement.reasons[0]).toMatch(/was 0\.95 .*\(min 0\.99\); 1 of 1 samples/);
  });

  it('judges both bounds of one SLO', () => {
    const band: ChaosSlo = { name: 'band', query: 'x', min: 1, max: 2 };
    expect(judgeChaosMesh(WINDOW, [ok(band, series([[1, 1.5]]))]).verdict).toBe('pass');
    expect(judgeChaosMesh(WINDOW, [ok(band, series([[1, 2.5]]))]).verdict).toBe('fail');
    expect(judgeChaosMesh(WINDOW, [ok(band, series([[1, 0.5]]))]).verdict).toBe('fail');
  });

  it('ignores breaches outside the window: before the chaos and after it, a pass stays a pass', () => {
    const judgement = judgeChaosMesh(WINDOW, [
      ok(
        latency,
        series([
          [-1, 9],
          [2, 0.2],
          [6, 9],
        ]),
      ),
    ]);
    expect(judgement.verdict).toBe('pass');
  });

  it('never passes without data: an empty result, no sample in the window, a failed query', () => {
    const empty = judgeChaosMesh(WINDOW, [ok(latency)]);
    expect(empty.verdict).toBe('unknown');
    expect(empty.reasons[0]).toMatch(/no verdict, the query returned no series/);
    const outside = judgeChaosMesh(WINDOW, [
      ok(
        latency,
        series([
          [-10, 0.1],
          [10, 0.1],
        ]),
      ),
    ]);
    expect(outside.verdict).toBe('unknown');
    expect(outside.reasons[0]).toMatch(/no sample inside the window/);
    const emptySeries = judgeChaosMesh(WINDOW, [ok(latency, series([]))]);
    expect(emptySeries.verdict).toBe('unknown');
    const failed = judgeChaosMesh(WINDOW, [
      ok(availability, series([[1, 1]])),
      { slo: latency, outcome: { ok: false, error: 'parse error at char 4' } },
    ]);
    expect(failed.verdict).toBe('unknown');
    expect(failed.reasons[0]).toBe(
      'SLO "p99" (at most 0.5): no verdict, the query failed: parse error at char 4',
    );
  });

  it('a failure wins over an unknown, but an unknown keeps a pass from being declared', () => {
    const broken = judgeChaosMesh(WINDOW, [
      { slo: availability, outcome: { ok: false, error: 'down' } },
      ok(latency, series([[1, 1]])),
    ]);
    expect(broken.verdict).toBe('fail');
    expect(broken.slos.map((s) => s.verdict)).toEqual(['unknown', 'fail']);
    expect(broken.reasons[0]).toMatch(/broken/);
  });

  it('takes no value that is not a number as data: NaN and infinities are no verdict, never a pass', () => {
    for (const value of [NaN, Infinity, -Infinity]) {
      const judgement = judgeChaosMesh(WINDOW, [
        ok(
          latency,
          series([
            [1, 0.1],
            [2, value],
          ]),
        ),
      ]);
      expect(judgement.verdict, String(value)).toBe('unknown');
      expect(judgement.reasons[0]).toContain(`was ${String(value)} at`);
    }
  });

  it('judges nothing without SLOs or with a window that is not one', () => {
    expect(judgeChaosMesh(WINDOW, []).verdict).toBe('unknown');
    expect(judgeChaosMesh(WINDOW, []).reasons).toEqual([
      'no SLO is configured, so nothing was judged',
    ]);
    for (const window of [
      { start: WINDOW.end, end: WINDOW.start },
      { start: NaN, end: WINDOW.end },
      { start: WINDOW.start, end: Infinity },
    ]) {
      const judgement = judgeChaosMesh(window, [ok(latency, series([[1, 0.1]]))]);
      expect(judgement.verdict).toBe('unknown');
      expect(judgement.reasons[0]).toMatch(/is not a window/);
    }
  });

  it('while the experiment runs, a breach is a failure and no breach is not yet a pass', () => {
    const ongoing = { ...WINDOW, ongoing: true };
    expect(judgeChaosMesh(ongoing, [ok(latency, series([[1, 0.9]]))]).verdict).toBe('fail');
    const held = judgeChaosMesh(ongoing, [ok(latency, series([[1, 0.1]]))]);
    expect(held.verdict).toBe('unknown');
    expect(held.reasons[0]).toMatch(/no breach so far .* has not recovered yet/);
  });
});

describe('experimentWindow', () => {
  it('runs from the first Apply to the last Recover, or to now while the chaos runs', () => {
    expect(experimentWindow({ startedAt: 1, endedAt: 5 }, 10)).toEqual({ start: 1, end: 5 });
    expect(experimentWindow({ startedAt: 1, endedAt: null }, 10)).toEqual({
      start: 1,
      end: 10,
      ongoing: true,
    });
    expect(experimentWindow({ startedAt: null, endedAt: null }, 10)).toEqual({
      reason: 'the experiment records no Apply event, so it has no window to judge',
    });
    expect(experimentWindow({ startedAt: 20, endedAt: null }, 10)).toHaveProperty('reason');
  });
});

describe('formatSeries', () => {
  it('writes a series as PromQL does, cut short', () => {
    expect(formatSeries({ __name__: 'up', job: 'api' })).toBe('up{job="api"}');
    expect(formatSeries({})).toBe('{}');
    const many = Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [`l${i}`, 'x'.repeat(100)]),
    );
    const text = formatSeries(many);
    expect(text).toMatch(/and 3 more\}$/);
    expect(text.length).toBeLessThan(500);
  });
});

describe('the summary with judgements', () => {
  const read = readChaosObjects(fixture('chaos-mesh.yaml').text, 'chaos-mesh.yaml');
  const mesh = read.objects.filter((o) => o.tool === 'chaos-mesh');

  it('keeps Chaos Mesh rows without a verdict when nothing was judged', () => {
    const plain = summariseChaos(read);
    expect(summariseChaos(read, { judgements: new Map() })).toEqual(plain);
    expect(
      plain.rows.filter((r) => r.tool === 'chaos-mesh').every((r) => r.verdict === 'unknown'),
    ).toBe(true);
  });

  it('gives a judged row its verdict, the broken SLO as its failure and every reason in the details', () => {
    const [first, second] = mesh as [(typeof mesh)[number], (typeof mesh)[number]];
    const failing = judgeChaosMesh(WINDOW, [ok(latency, series([[1, 0.9]]))]);
    const passing = judgeChaosMesh(WINDOW, [ok(latency, series([[1, 0.1]]))]);
    const summary = summariseChaos(read, {
      judgements: new Map([
        [chaosJudgementKey(first), failing],
        [chaosJudgementKey(second), passing],
      ]),
    });
    const failed = summary.rows.find((r) => r.experiment === first.meta.name)!;
    expect(failed.verdict).toBe('fail');
    expect(failed.judged).toBe(true);
    expect(failed.failure).toBe(failing.reasons[0]);
    expect(summary.rows.find((r) => r.experiment === second.meta.name)!.verdict).toBe('pass');
    expect(summary.verdict).toBe('fail');
    expect(summary.failed).toBe(1);
    expect(summary.markdown).toContain('❌');
    expect(summary.markdown).toContain('(SLO)');
    expect(summary.markdown).toContain('SLO judgement: SLO "p99" (at most 0.5): broken');
  });

  it('renders hostile label values without mentions or forged markers', () => {
    const [first] = mesh as [(typeof mesh)[number]];
    const hostile: ChaosJudgement = judgeChaosMesh(WINDOW, [
      ok(
        { name: '@alice <!-- steward:chaos -->', query: 'x', max: 1, min: null },
        series([[1, 5]], {
          pod: '@acme/security <!-- steward:incident key=x -->',
          x: '<img src=x>',
        }),
      ),
    ]);
    const { markdown } = summariseChaos(read, {
      judgements: new Map([[chaosJudgementKey(first), hostile]]),
    });
    expect(mentionsOutsideCode(markdown)).toEqual([]);
    expect(htmlNodes(markdown).every((node) => OURS.has(node))).toBe(true);
    expect(markdown.match(/<!--/g)).toHaveLength(1);
  });
});
