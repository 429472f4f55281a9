/**
 * Detector quality on the labelled synthetic suite (issue 19).
 * Rerun: `npm run bench:anomaly` (`-- --seed N` for another suite; default 1).
 *
 * Every named detector runs over every series of `labelledSuite(seed)` with the options a user
 * would give that series (direction, period when known, counter), and is scored event by event
 * (src/anomaly/evaluate.ts): precision, recall, F1, median detection delay, false positives per
 * week, and recall per anomaly kind, micro-averaged over the suite. It also checks, on a few
 * series (a counter, an irregular one, a 1-minute one), that pushing the points one by one into
 * an online detector gives exactly the scores of one batch `scoreSeries` call; a mismatch exits 1.
 */
import { createDetector, scoreSeries } from '../src/anomaly/detect.ts';
import { evaluateDetector } from '../src/anomaly/evaluate.ts';
import type { Evaluation } from '../src/anomaly/evaluate.ts';
import { ANOMALY_KINDS, labelledSuite } from '../src/anomaly/synthetic.ts';
import { DETECTOR_NAMES } from '../src/anomaly/types.ts';
import type { LabelledSeries } from '../src/anomaly/types.ts';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = Number(argument('--seed') ?? 1);
if (!Number.isInteger(seed))
  throw new Error(`--seed wants an integer, not ${String(argument('--seed'))}`);

const suite = labelledSuite(seed);
const points = suite.reduce((sum, s) => sum + s.points.length, 0);
const events = suite.reduce((sum, s) => sum + s.events.length, 0);
console.log(
  `Labelled suite, seed ${seed}: ${suite.length} series, ${points.toLocaleString('en-US')} points, ${events} events ` +
    `(${suite.filter((s) => s.events.length === 0).length} clean series)\n`,
);

const results: Array<{ evaluation: Evaluation; seconds: number }> = [];
for (const name of DETECTOR_NAMES) {
  const started = performance.now();
  const evaluation = evaluateDetector(name, suite);
  results.push({ evaluation, seconds: (performance.now() - started) / 1000 });
}

const minutes = (ms: number | null): string =>
  ms === null ? '–' : `${(ms / 60_000).toFixed(0)} min`;
const header = [
  'detector',
  'precision',
  'recall',
  'F1',
  'median delay',
  'FP/week',
  'TP/FP/FN',
  'time',
];
const rows = results.map(({ evaluation: e, seconds }) => [
  e.detector,
  e.precision.toFixed(3),
  e.recall.toFixed(3),
  e.f1.toFixed(3),
  minutes(e.medianDelayMs),
  e.falsePositivesPerWeek.toFixed(2),
  `${e.truePositives}/${e.falsePositives}/${e.falseNegatives}`,
  `${seconds.toFixed(2)} s`,
]);
console.log(table(header, rows));

const kinds = ANOMALY_KINDS.filter((k) =>
  results.some((r) => r.evaluation.perKind[k] !== undefined),
);
const kindRows = results.map(({ evaluation: e }) => [
  e.detector,
  ...kinds.map((k) => {
    const s = e.perKind[k];
    return s === undefined ? '–' : `${s.detected}/${s.events}`;
  }),
]);
console.log('\nRecall per kind (detected/events):\n');
console.log(table(['detector', ...kinds], kindRows));

// Replay == batch on a counter, an irregular and a 1-minute series.
const probes: LabelledSeries[] = [
  suite.find((s) => s.options.counter === true),
  suite.find((s) => s.name.includes('-irregular-')),
  suite.find((s) => s.name.includes('-1m-')),
].filter((s): s is LabelledSeries => s !== undefined);
let mismatches = 0;
for (const name of DETECTOR_NAMES) {
  for (const series of probes) {
    const batch = scoreSeries(name, series.points, series.options);
    const online = createDetector(name, series.options);
    series.points.forEach((p, i) => {
      const r = online.push(p.t, p.v);
      const b = batch[i];
      if (b === undefined || !Object.is(b.score, r.score) || b.anomaly !== r.anomaly)
        mismatches += 1;
    });
    if (batch.length !== series.points.length) mismatches += 1;
  }
}
console.log(
  `\nReplay == batch on ${probes.map((s) => s.name).join(', ')} for every detector: ` +
    (mismatches === 0 ? 'identical' : `${mismatches} points differ`),
);
if (mismatches > 0) process.exitCode = 1;

function table(head: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}
