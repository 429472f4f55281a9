/**
 * Detector quality on real labelled operations data: the Numenta Anomaly Benchmark (NAB, MIT
 * licence, https://github.com/numenta/NAB). Nothing of NAB is in this repository; get it with
 *
 *   git clone --depth 1 https://github.com/numenta/NAB /tmp/NAB
 *   (or download https://github.com/numenta/NAB/archive/refs/heads/master.zip and unzip it)
 *
 * and rerun with `npm run bench:anomaly-real -- --nab /tmp/NAB` (the folder holding `data/` and
 * `labels/combined_windows.json`). Options: `--detector NAME` (one detector; default all four),
 * `--series` (also print each series' TP/FP/FN for those detectors, to study failures).
 *
 * Every named detector runs over every NAB series with what a user would know of it: no period,
 * direction both, not a counter. NAB's labelled windows are the events, scored event by event
 * with src/anomaly/evaluate.ts (matchEvents and summarise). NAB's windows are already wide (10% of
 * the series split among its anomalies, centred on each), so no tolerance is added after them;
 * false positives at most 6 median steps apart count once, as in the synthetic bench. As in
 * NAB, the first 15% of each series is probation: detections that start there are ignored.
 * Reported per detector and NAB category: event precision, recall, F1, median delay (from the
 * window's start) and NAB-style early detection (the share of detected events whose first alert
 * falls in the first half of the window). artificialNoAnomaly only has false positives to give.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anomalyWindows, isDetectorName, scoreSeries } from '../src/anomaly/detect.ts';
import { matchEvents, medianStep, summarise } from '../src/anomaly/evaluate.ts';
import type { Evaluation, SeriesOutcome } from '../src/anomaly/evaluate.ts';
import { DETECTOR_NAMES } from '../src/anomaly/types.ts';
import type { DetectorName, LabelledSeries, Point } from '../src/anomaly/types.ts';

/** NAB's probationary period: the share of each series a detector learns from unjudged. */
const PROBATION = 0.15;
/** False positives at most this many median steps apart count once. */
const FP_MERGE_STEPS = 6;
const NO_TOLERANCE = { toleranceFraction: 0, tolerancePoints: 0 };

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** NAB timestamps ("2014-07-01 00:00:00", labels with ".000000") are UTC wall times. */
function nabTime(text: string, where: string): number {
  const t = Date.parse(`${text.trim().slice(0, 19).replace(' ', 'T')}Z`);
  if (!Number.isFinite(t))
    throw new Error(`${where}: timestamp ${JSON.stringify(text)} is not a date`);
  return t;
}

interface NabSeries extends LabelledSeries {
  category: string;
  /** Detections starting before this time are ignored (probation). */
  judgedFrom: number;
  /** Rows dropped because their timestamp did not move forward. */
  dropped: number;
}

function readPoints(file: string): { points: Point[]; dropped: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read ${file} (${(error as Error).message}): the labels name it, so the NAB folder is incomplete`,
      { cause: error },
    );
  }
  const lines = text.split(/\r?\n/);
  const points: Point[] = [];
  let dropped = 0;
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const [time, value] = line.split(',');
    const where = `${file} line ${i + 2}`;
    const t = nabTime(time ?? '', where);
    const v = Number(value);
    if (!Number.isFinite(v))
      throw new Error(`${where}: value ${JSON.stringify(value)} is not a number`);
    const last = points[points.length - 1];
    if (last !== undefined && t <= last.t) dropped += 1;
    else points.push({ t, v });
  });
  return { points, dropped };
}

function loadNab(dir: string): NabSeries[] {
  const labelsFile = join(dir, 'labels', 'combined_windows.json');
  let windows: Record<string, [string, string][]>;
  try {
    windows = JSON.parse(readFileSync(labelsFile, 'utf8')) as Record<string, [string, string][]>;
  } catch (error) {
    throw new Error(
      `cannot read ${labelsFile} (${(error as Error).message}): --nab wants a NAB checkout, see this file's header`,
      { cause: error },
    );
  }
  return Object.keys(windows)
    .sort()
    .map((key) => {
      const { points, dropped } = readPoints(join(dir, 'data', key));
      const events = (windows[key] ?? []).map(([start, end]) => ({
        start: nabTime(start, `${labelsFile} ${key}`),
        end: nabTime(end, `${labelsFile} ${key}`),
        kind: 'nab-window',
      }));
      const judged = points[Math.floor(points.length * PROBATION)] ?? points[0];
      return {
        name: key,
        category: key.split('/')[0] ?? key,
        points,
        events,
        options: {},
        judgedFrom: judged?.t ?? 0,
        dropped,
      };
    });
}

interface Outcome {
  outcome: SeriesOutcome;
  early: number;
}

function run(name: DetectorName, series: NabSeries): Outcome {
  const scored = scoreSeries(name, series.points, series.options);
  const step = medianStep(series.points);
  const windows = anomalyWindows(scored).filter((w) => w.start >= series.judgedFrom);
  const outcome = matchEvents(series, windows, {
    ...NO_TOLERANCE,
    falsePositiveMergeMs: FP_MERGE_STEPS * step,
  });
  // delaysMs holds the detected events' delays in event order.
  const events = [...series.events].sort((a, b) => a.start - b.start);
  const detected = events.filter((_, i) => outcome.detected[i] === true);
  const early = detected.filter(
    (e, i) => (outcome.delaysMs[i] ?? Infinity) < (e.end - e.start) / 2,
  ).length;
  return { outcome, early };
}

interface Row {
  detector: string;
  category: string;
  evaluation: Evaluation;
  early: number;
}

function row(detector: string, category: string, outcomes: readonly Outcome[]): Row {
  return {
    detector,
    category,
    evaluation: summarise(
      detector,
      outcomes.map((o) => o.outcome),
    ),
    early: outcomes.reduce((sum, o) => sum + o.early, 0),
  };
}

function table(head: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}

function minutes(ms: number | null): string {
  return ms === null ? '–' : `${Math.round(ms / 60_000)} min`;
}

const dir = argument('--nab');
if (dir === undefined) {
  console.error(
    'usage: npm run bench:anomaly-real -- --nab DIR   (DIR: a NAB checkout; see bench/anomaly-real.ts)',
  );
  process.exit(2);
}
const only = argument('--detector');
if (only !== undefined && !isDetectorName(only)) {
  throw new Error(`--detector ${only}: one of ${DETECTOR_NAMES.join(', ')}`);
}
const names: readonly DetectorName[] = only === undefined ? DETECTOR_NAMES : [only];
const nab = loadNab(dir);
const categories = [...new Set(nab.map((s) => s.category))];
const points = nab.reduce((sum, s) => sum + s.points.length, 0);
const dropped = nab.filter((s) => s.dropped > 0);
console.log(
  `NAB: ${nab.length} series, ${points.toLocaleString('en-US')} points, ` +
    `${nab.reduce((sum, s) => sum + s.events.length, 0)} labelled windows` +
    (dropped.length === 0
      ? ''
      : `; rows not after the previous timestamp dropped: ${dropped.map((s) => `${s.name} ${s.dropped}`).join(', ')}`) +
    '\n',
);

const rows: Row[] = [];
for (const name of names) {
  const outcomes = nab.map((series) => ({ series, result: run(name, series) }));
  for (const category of categories) {
    rows.push(
      row(
        name,
        category,
        outcomes.filter((o) => o.series.category === category).map((o) => o.result),
      ),
    );
  }
  rows.push(
    row(
      name,
      'all real*',
      outcomes.filter((o) => o.series.category.startsWith('real')).map((o) => o.result),
    ),
  );
  if (process.argv.includes('--series')) {
    for (const { series, result } of outcomes) {
      const o = result.outcome;
      console.log(
        `${name} ${series.name}: TP ${o.truePositives} FP ${o.falsePositives} FN ${o.falseNegatives} early ${result.early}`,
      );
    }
  }
}

console.log(
  table(
    ['detector', 'category', 'precision', 'recall', 'F1', 'median delay', 'early', 'TP/FP/FN'],
    rows.map(({ detector, category, evaluation: e, early }) => [
      detector,
      category,
      e.precision.toFixed(3),
      e.recall.toFixed(3),
      e.f1.toFixed(3),
      minutes(e.medianDelayMs),
      e.truePositives === 0 ? '–' : `${early}/${e.truePositives}`,
      `${e.truePositives}/${e.falsePositives}/${e.falseNegatives}`,
    ]),
  ),
);
