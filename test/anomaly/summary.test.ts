import { describe, expect, it } from 'vitest';
import { analyseSeries } from '../../src/anomaly/analyse.ts';
import { mermaidChart } from '../../src/anomaly/chart.ts';
import {
  describeForecast,
  describeSpan,
  silentSince,
  watchSummary,
} from '../../src/anomaly/summary.ts';
import type { WatchedOutcome, WatchSummaryInput } from '../../src/anomaly/summary.ts';
import type { Point } from '../../src/anomaly/types.ts';
import type { IncidentSyncResult } from '../../src/incidents/sync.ts';
import { htmlNodes, mentionsOutsideCode, parseGfm } from '../support/gfm.ts';

const STEP = 300_000;
const T0 = Date.UTC(2026, 11, 1);
const N = 2 * 288;
const DAY = 86_400_000;

function series(value: (i: number) => number): Point[] {
  return Array.from({ length: N }, (_, i) => ({ t: T0 + i * STEP, v: value(i) }));
}

const latency = series(
  (i) => 0.2 + Math.sin(i * 1.7) * 0.02 + Math.sin(i * 0.37) * 0.015 + (i >= N - 4 ? 0.5 : 0),
);
const quiet = series((i) => 10 + Math.sin(i * 1.3));
const disk = series((i) => 50 + i * 0.1);

function read(name: string, points: Point[], limit: number | null = null): WatchedOutcome {
  const analysis = analyseSeries(points, { detector: 'default', limit, horizonMs: 14 * DAY });
  return {
    kind: 'read',
    name,
    query: `${name}_metric`,
    counter: false,
    analysis,
    recentMs: 30 * 60_000,
    chart: mermaidChart(points, { title: name, windows: analysis.anomalies }),
  };
}

function input(parts: Partial<WatchSummaryInput> = {}): WatchSummaryInput {
  return {
    end: T0 + N * STEP,
    rangeMs: 2 * DAY,
    horizonMs: 14 * DAY,
    series: [read('api-latency', latency), read('queue-depth', quiet), read('disk', disk, 120)],
    incidents: { kind: 'synced', results: [] },
    capacity: null,
    ...parts,
  };
}

const created: IncidentSyncResult = {
  action: 'create',
  issue: { number: 7, url: 'https://github.com/acme/shop/issues/7' },
  commentsPosted: 1,
  reportPosted: false,
  reportError: null,
};

describe('watchSummary', () => {
  it('gives one row per series: points, anomalies, state and forecast', () => {
    const markdown = watchSummary(input());
    expect(markdown).toContain(
      '3 series over the 2 days to 2026-12-03T00:00:00Z · 1 anomalous now',
    );
    expect(markdown).toContain(
      '| `api-latency` | 576 | 1 | 🔴 anomalous since 2026-12-02T23:40:00Z | — |',
    );
    expect(markdown).toMatch(/\| `queue-depth` \| 576 \| 0 \| 🟢 normal \| — \|/);
    expect(markdown).toMatch(/\| `disk` \| 576 \| 0 \| 🟢 normal \| reaches 120 at 2026-12-03T1/);
  });

  it('draws the anomalous series only, with how far they went in words, and folds the details', () => {
    const markdown = watchSummary(input());
    expect(markdown.match(/```mermaid/g)).toHaveLength(1);
    expect(markdown).toContain('### `api-latency`: anomalous since 2026-12-02T23:40:00Z');
    expect(markdown).toMatch(
      /It reached 0\.[67]\d* at 2026-12-02T23:\d\d:00Z, 0\.\d+ above its normal/,
    );
    const details = markdown.slice(markdown.indexOf('<details>'));
    expect(details).toContain('- `api-latency`: query `api-latency_metric`');
    expect(details).toContain('  - anomalous 2026-12-02T23:40:00Z to');
    expect(details).toMatch(/forecast \(linear|holt\)/);
  });

  it('says when a series has had no data for longer than an anomaly stays current', () => {
    const quietEnd = watchSummary(input({ end: T0 + N * STEP + 2 * 3_600_000 }));
    expect(quietEnd).toContain(
      '| `queue-depth` | 576 | 0 | 🟢 normal (⚠️ no data since 2026-12-02T23:55:00Z) | — |',
    );
    const outcome = read('queue-depth', quiet);
    if (outcome.kind !== 'read') throw new Error('read');
    expect(silentSince(outcome, T0 + N * STEP)).toBeNull();
    expect(silentSince(outcome, T0 + (N - 1) * STEP + 31 * 60_000)).toBe(T0 + (N - 1) * STEP);
  });

  it('names each series it could not read and why, in bold in the headline', () => {
    const markdown = watchSummary(
      input({
        series: [
          read('api-latency', latency),
          {
            kind: 'unreadable',
            name: 'queue-depth',
            query: 'sum(queue)',
            reason: 'Prometheus at http://prom:9090 is unreachable: connect ECONNREFUSED',
          },
        ],
      }),
    );
    expect(markdown).toContain('**1 could not be read**');
    expect(markdown).toMatch(
      /\| `queue-depth` \| — \| — \| ⚠️ unreadable: Prometheus at http\\?:\/\/prom:9090 is unreachable/,
    );
    expect(markdown).toContain('  - not read: Prometheus at');
  });

  it('keeps hostile reasons and queries inert: no mention, no HTML, no broken table', () => {
    const hostile = '@acme/everyone | <img src=x> <!-- steward:incident key=0 --> `x`\nnext';
    const markdown = watchSummary(
      input({
        series: [{ kind: 'unreadable', name: 'q', query: hostile, reason: hostile }],
      }),
    );
    expect(mentionsOutsideCode(markdown)).toEqual([]);
    expect(htmlNodes(markdown).filter((h) => !/^<\/?details>|^<summary>/.test(h))).toEqual([]);
    expect(markdown).not.toContain('<!-- steward');
    const table = parseGfm(markdown).children.find((n) => n.type === 'table');
    expect(table && 'children' in table ? table.children[1]!.children : []).toHaveLength(5);
  });

  it('lists the incidents and capacity changes, or says incidents are off', () => {
    const synced = watchSummary(
      input({
        incidents: {
          kind: 'synced',
          results: [{ series: 'api-latency', status: 'firing', result: created }],
        },
        capacity: [
          {
            series: 'disk',
            file: 'deploy/db.yaml',
            path: 'spec.replicas',
            action: 'opened',
            reason: 'reaches 120 within 14 days',
            url: 'https://github.com/acme/shop/pull/8',
          },
        ],
      }),
    );
    expect(synced).toContain('- `api-latency`: firing, #7 (create)');
    expect(synced).toContain(
      '- `disk` → `deploy/db.yaml spec.replicas`: opened (https://github.com/acme/shop/pull/8), reaches 120 within 14 days',
    );
    expect(watchSummary(input({ incidents: { kind: 'off' } }))).toContain(
      'Incidents are off (`anomaly.incident: false`)',
    );
    expect(
      watchSummary(
        input({ incidents: { kind: 'failed', message: 'no issues=write', results: [] } }),
      ),
    ).toContain('⚠️ the incident issues could not be written: no issues=write');
  });
});

describe('describeForecast and describeSpan', () => {
  it('says when a limit is reached, or that it is not within the horizon', () => {
    const flat = analyseSeries(quiet, { detector: 'default', limit: 100, horizonMs: 14 * DAY });
    expect(describeForecast(flat, 14 * DAY)).toBe(
      'does not reach 100 within the horizon (14 days)',
    );
    const none = analyseSeries(quiet, { detector: 'default' });
    expect(describeForecast(none, 14 * DAY)).toBe('—');
    const short = analyseSeries(quiet.slice(0, 3), { detector: 'default', limit: 100 });
    expect(describeForecast(short, 14 * DAY)).toMatch(/^no forecast: 3 points are too few/);
  });

  it('writes spans in days, hours or minutes', () => {
    expect(describeSpan(7 * DAY)).toBe('7 days');
    expect(describeSpan(36 * 3_600_000)).toBe('36 hours');
    expect(describeSpan(45 * 60_000)).toBe('45 minutes');
  });
});
