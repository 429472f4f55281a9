import { describe, expect, it } from 'vitest';
import { chartNumber, chartTitle, mermaidChart } from '../../src/anomaly/chart.ts';
import type { ForecastResult } from '../../src/anomaly/forecast.ts';
import type { Point } from '../../src/anomaly/types.ts';

const T0 = Date.UTC(2026, 11, 1);
const STEP = 300_000;

function series(n: number, value: (i: number) => number): Point[] {
  return Array.from({ length: n }, (_, i) => ({ t: T0 + i * STEP, v: value(i) }));
}

/** The numbers of the block's `kind` series (`line` or `bar`), in order of appearance. */
function seriesOf(block: string, kind: 'line' | 'bar'): number[][] {
  return block
    .split('\n')
    .filter((l) => l.trim().startsWith(`${kind} [`))
    .map((l) =>
      l
        .slice(l.indexOf('[') + 1, l.lastIndexOf(']'))
        .split(', ')
        .map(Number),
    );
}

function forecastAt(crossingAt: number | null): ForecastResult {
  return {
    method: 'linear',
    crossingAt,
    interval: null,
    withinHorizon: crossingAt !== null,
    reason: 'test',
    fit: { linear: 0, holt: 0 },
  };
}

/** What Mermaid's xychart grammar accepts on each line of the block, and nothing else. */
const GRAMMAR_LINE =
  /^ {2}(?:title "[A-Za-z0-9 _.:-]+"|x-axis "[A-Za-z0-9 _.:,-]+" -?[\d.]+ --> -?[\d.]+|y-axis -?[\d.]+ --> -?[\d.]+|(?:line|bar) \[-?[\d.]+(?:, -?[\d.]+)*\])$/;

function expectWellFormed(block: string): void {
  const lines = block.split('\n');
  expect(lines[0]).toBe('```mermaid');
  expect(lines[1]).toBe('xychart-beta');
  expect(lines[lines.length - 1]).toBe('```');
  for (const line of lines.slice(2, -1)) expect(line).toMatch(GRAMMAR_LINE);
}

describe('mermaidChart', () => {
  it('draws the series as one line, downsampled to maxPoints, and keeps a one-point spike', () => {
    const points = series(5000, (i) => (i === 2345 ? 900 : 10 + (i % 7)));
    const block = mermaidChart(points, { title: 'api latency' });
    expectWellFormed(block);
    const [line] = seriesOf(block, 'line');
    expect(line!.length).toBeGreaterThan(50);
    expect(line!.length).toBeLessThanOrEqual(60);
    expect(Math.max(...line!)).toBe(900);
    expect(block).toContain('title "api latency"');
    expect(block).toContain('x-axis "days from 12-18 08:35 UTC"');
  });

  it('keeps a dip as well as a spike, and every series has one value per slot', () => {
    const points = series(1000, (i) => (i === 100 ? -50 : i === 900 ? 300 : 20));
    const block = mermaidChart(points, {
      title: 'x',
      maxPoints: 30,
      limit: 250,
      windows: [{ start: points[900]!.t, end: points[900]!.t, peakScore: 1 }],
    });
    expectWellFormed(block);
    const [line, limit] = seriesOf(block, 'line');
    const [bar] = seriesOf(block, 'bar');
    expect(line!.length).toBeGreaterThan(25);
    expect(line!.length).toBeLessThanOrEqual(30);
    expect(Math.min(...line!)).toBe(-50);
    expect(Math.max(...line!)).toBe(300);
    expect(limit!.every((v) => v === 250)).toBe(true);
    // The bar is the value inside the window and the axis minimum elsewhere.
    const yMin = Number(/y-axis (-?[\d.]+) -->/.exec(block)![1]);
    expect(bar).toHaveLength(line!.length);
    expect(bar!.filter((v) => v !== yMin)).toEqual([300]);
    expect(yMin).toBeLessThan(-50);
  });

  it('has no bar without windows and pads the y axis around a flat series', () => {
    const block = mermaidChart(
      series(10, () => 5),
      { title: 't' },
    );
    expectWellFormed(block);
    expect(seriesOf(block, 'bar')).toEqual([]);
    expect(block).toContain('y-axis 4.75 --> 5.25');
  });

  it('continues the line to the limit at the crossing, within maxPoints in all', () => {
    const points = series(288, (i) => 40 + i * 0.1);
    const last = points[points.length - 1]!;
    const block = mermaidChart(points, {
      title: 'disk',
      limit: 100,
      forecast: forecastAt(last.t + 12 * 3_600_000),
    });
    expectWellFormed(block);
    const [line, limit] = seriesOf(block, 'line');
    expect(line!.length).toBeLessThanOrEqual(60);
    expect(line!.at(-1)).toBe(100);
    expect(limit).toHaveLength(line!.length);
    expect(block).toMatch(
      /x-axis "hours from 12-01 23:55 UTC, forecast after 0" -\d+(?:\.\d+)? --> 12(?:\.\d+)?$/m,
    );
  });

  it('stops a far crossing at the horizon, and draws none without a crossing', () => {
    const points = series(100, (i) => i);
    const last = points[points.length - 1]!;
    const far = mermaidChart(points, {
      title: 'disk',
      limit: 10_000,
      forecast: forecastAt(last.t + 1000 * 3_600_000),
      horizonMs: 10 * 3_600_000,
    });
    expectWellFormed(far);
    // The last slot is the first at or past the horizon: less than one slot (under a tenth) beyond.
    const xMax = Number(/--> (-?[\d.]+)\n/.exec(far)![1]);
    expect(xMax).toBeGreaterThanOrEqual(10);
    expect(xMax).toBeLessThan(11);
    expect(seriesOf(far, 'line')[0]!.at(-1)).toBeLessThan(10_000);
    const none = mermaidChart(points, { title: 'disk', limit: 10_000, forecast: forecastAt(null) });
    expect(none).not.toContain('forecast');
    expect(seriesOf(none, 'line')[0]!.at(-1)).toBe(99);
  });

  it("gives Mermaid's numeric axis exactly one position per value, whatever the span", () => {
    // xychartDb places a numeric axis' values at min, min + step, … while ≤ max, step = (max − min)/(n − 1).
    for (const stepMs of [1000, 60_000, 300_000, 3_600_000, 86_400_000 / 7]) {
      for (const n of [2, 7, 61, 333, 5000]) {
        for (const maxPoints of [3, 17, 60, 200]) {
          const points = series(n, (i) => i % 11).map((p, i) => ({ ...p, t: T0 + i * stepMs }));
          const last = points[points.length - 1]!.t;
          for (const forecast of [null, forecastAt(last + n * stepMs * 0.37)]) {
            const block = mermaidChart(points, { title: 't', limit: 50, forecast, maxPoints });
            const [, min, max] = /x-axis "[^"]*" (-?[\d.]+) --> (-?[\d.]+)/.exec(block)!;
            for (const values of [...seriesOf(block, 'line'), ...seriesOf(block, 'bar')]) {
              expect(values.length).toBeLessThanOrEqual(maxPoints);
              const step = (Number(max) - Number(min)) / (values.length - 1);
              let positions = 0;
              for (let x = Number(min); x <= Number(max); x += step) positions++;
              expect(positions).toBe(values.length);
            }
          }
        }
      }
    }
  });

  it('labels in days when the span is over two days', () => {
    const points = Array.from({ length: 100 }, (_, i) => ({ t: T0 + i * 3_600_000, v: i }));
    expect(mermaidChart(points, { title: 't' })).toContain('x-axis "days from 12-05 03:00 UTC"');
  });

  it('drops non-finite values and still draws a chart for one point or none', () => {
    const block = mermaidChart(
      [
        { t: T0, v: Number.NaN },
        { t: T0 + STEP, v: Number.POSITIVE_INFINITY },
        { t: T0 + 2 * STEP, v: 7 },
      ],
      { title: 't', limit: Number.NaN, maxPoints: Number.POSITIVE_INFINITY },
    );
    expectWellFormed(block);
    expect(seriesOf(block, 'line')).toEqual([[7, 7]]);
    expect(mermaidChart([], { title: 't' })).toContain('title "t: no data"');
  });

  it('caps the block at 200 slots whatever maxPoints asks', () => {
    const block = mermaidChart(
      series(10_000, (i) => i % 13),
      { title: 't', maxPoints: 1e9 },
    );
    expect(seriesOf(block, 'line')[0]!.length).toBeGreaterThan(180);
    expect(seriesOf(block, 'line')[0]!.length).toBeLessThanOrEqual(200);
    expect(block.length).toBeLessThan(4000);
  });

  it('cannot be closed or injected through a hostile title', () => {
    const hostile =
      'x"\n```\n<script>alert(1)</script>\n[link](https://evil) `code` ${{ secrets }} \u0000\u202e|' +
      'y'.repeat(500);
    const block = mermaidChart(
      series(5, (i) => i),
      { title: hostile },
    );
    expectWellFormed(block);
    expect(block.match(/```/g)).toHaveLength(2);
    expect(block.replaceAll(' --> ', ' ')).not.toMatch(/[<>{}()|$\\\u202e]/);
    expect(block.includes(String.fromCharCode(0))).toBe(false);
    const title = /title "([^"\n]*)"/.exec(block)![1]!;
    expect(title).toMatch(/^[A-Za-z0-9 _.:-]{1,80}$/);
    expect(chartTitle('```')).toBe('series');
  });
});

describe('chartNumber', () => {
  it('writes finite numbers compactly, without exponent or -0', () => {
    expect(chartNumber(1e21)).toBe('1000000000000000000000');
    expect(chartNumber(1.23456789e-7)).toBe('0.000000123457');
    expect(chartNumber(-0)).toBe('0');
    expect(chartNumber(2.5)).toBe('2.5');
    expect(() => chartNumber(Number.NaN)).toThrow(/not a finite number/);
  });
});
