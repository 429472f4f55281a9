/**
 * Event-level scoring of a detector on a labelled suite (issue 19), in the spirit of NAB but simple:
 *
 * - An event's window is its labelled span extended after its end by a tolerance: the longer of
 *   `toleranceFraction` of its length (10%) and `tolerancePoints` sampling steps (6; the series'
 *   median step). Nothing is added before the start: an online detector cannot see it coming.
 * - A detection (an anomaly window) that overlaps an event's extended window detects it: the event
 *   is a true positive, once however many detections overlap it, and one detection spanning two
 *   events detects both. The delay is the first such detection's start minus the event's start,
 *   never below 0 (a window that began before the event and runs into it has delay 0).
 * - A detection that overlaps no event's extended window is a false positive; false positives
 *   at most `falsePositiveMergeMs` apart (default: `tolerancePoints` steps, 30 min at 5 min) count
 *   once, as an operator sees one flapping alert.
 * - An event no detection overlaps is a false negative.
 *
 * precision = TP / (TP + FP), recall = TP / (TP + FN), F1 their harmonic mean (0 when undefined),
 * all micro-averaged over the suite (counts summed over the series, then the ratios). The median
 * delay is over all detected events; false positives per week are over the suite's total span.
 */
import { anomalyWindows, scoreSeries } from './detect.ts';
import { DETECTOR_NAMES } from './types.ts';
import type {
  AnomalyWindow,
  DetectorName,
  DetectorOptions,
  LabelledEvent,
  LabelledSeries,
  Point,
} from './types.ts';
import { median } from './median.ts';

export interface EvaluateOptions {
  /** Fraction of an event's length added after its end (default 0.1). */
  toleranceFraction?: number;
  /** Sampling steps added after an event's end, when longer than the fraction (default 6). */
  tolerancePoints?: number;
  /** False-positive windows at most this far apart count once (default: `tolerancePoints` steps). */
  falsePositiveMergeMs?: number;
}

export interface KindScore {
  events: number;
  detected: number;
  recall: number;
}

/** The outcome on one series. */
export interface SeriesOutcome {
  name: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Delay of each detected event (ms), in event order. */
  delaysMs: number[];
  /** Per event, in order: detected or not. */
  detected: boolean[];
  kinds: string[];
  durationMs: number;
}

export interface Evaluation {
  detector: string;
  series: number;
  events: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** Median detection delay over detected events; null when none was detected. */
  medianDelayMs: number | null;
  falsePositivesPerWeek: number;
  perKind: Record<string, KindScore>;
  perSeries: SeriesOutcome[];
}

const WEEK = 7 * 24 * 3_600_000;

/** The median spacing of a series' points (0 for fewer than 2 points). */
export function medianStep(points: readonly Point[]): number {
  const steps: number[] = [];
  for (let i = 1; i < points.length; i += 1)
    steps.push((points[i] as Point).t - (points[i - 1] as Point).t);
  return median(steps) ?? 0;
}

/** The end of an event's window once the tolerance is added. */
export function toleratedEnd(
  event: LabelledEvent,
  stepMs: number,
  options: EvaluateOptions = {},
): number {
  const fraction = options.toleranceFraction ?? 0.1;
  const points = options.tolerancePoints ?? 6;
  if (!(fraction >= 0 && points >= 0 && Number.isFinite(fraction) && Number.isFinite(points))) {
    throw new RangeError(
      `tolerances must be finite and >= 0, got ${fraction} and ${points} points`,
    );
  }
  return event.end + Math.max(fraction * (event.end - event.start), points * stepMs);
}

function checkSpan(span: { start: number; end: number }): void {
  if (!Number.isFinite(span.start) || !Number.isFinite(span.end) || span.end < span.start) {
    throw new RangeError(
      `a window or event needs finite start <= end, got ${span.start}..${span.end}`,
    );
  }
}

/** Matches one series' detections against its labelled events. */
export function matchEvents(
  series: Pick<LabelledSeries, 'name' | 'points' | 'events'>,
  windows: readonly AnomalyWindow[],
  options: EvaluateOptions = {},
): SeriesOutcome {
  for (const span of [...windows, ...series.events]) checkSpan(span);
  const step = medianStep(series.points);
  const events = [...series.events].sort((a, b) => a.start - b.start);
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const ends = events.map((e) => toleratedEnd(e, step, options));
  const overlaps = (w: AnomalyWindow, i: number): boolean =>
    w.start <= (ends[i] as number) && w.end >= (events[i] as LabelledEvent).start;

  const delaysMs: number[] = [];
  const detected = events.map((event, i) => {
    const first = sorted.find((w) => overlaps(w, i));
    if (first === undefined) return false;
    delaysMs.push(Math.max(0, first.start - event.start));
    return true;
  });

  const mergeMs = options.falsePositiveMergeMs ?? (options.tolerancePoints ?? 6) * step;
  if (!(mergeMs >= 0 && Number.isFinite(mergeMs))) {
    throw new RangeError(`falsePositiveMergeMs must be finite and >= 0, got ${mergeMs}`);
  }
  let falsePositives = 0;
  let lastFalseEnd = -Infinity;
  for (const w of sorted) {
    if (events.some((_, i) => overlaps(w, i))) continue;
    if (w.start - lastFalseEnd > mergeMs) falsePositives += 1;
    lastFalseEnd = Math.max(lastFalseEnd, w.end);
  }

  const truePositives = detected.filter(Boolean).length;
  const first = series.points[0];
  const last = series.points[series.points.length - 1];
  return {
    name: series.name,
    truePositives,
    falsePositives,
    falseNegatives: events.length - truePositives,
    delaysMs,
    detected,
    kinds: events.map((e) => e.kind),
    durationMs: first !== undefined && last !== undefined ? last.t - first.t : 0,
  };
}

/** Micro-averages series outcomes into one evaluation. */
export function summarise(detector: string, outcomes: readonly SeriesOutcome[]): Evaluation {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let duration = 0;
  const delays: number[] = [];
  const perKind: Record<string, KindScore> = {};
  for (const o of outcomes) {
    tp += o.truePositives;
    fp += o.falsePositives;
    fn += o.falseNegatives;
    duration += o.durationMs;
    delays.push(...o.delaysMs);
    o.kinds.forEach((kind, i) => {
      const k = (perKind[kind] ??= { events: 0, detected: 0, recall: 0 });
      k.events += 1;
      if (o.detected[i] === true) k.detected += 1;
    });
  }
  for (const k of Object.values(perKind)) k.recall = k.events === 0 ? 0 : k.detected / k.events;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    detector,
    series: outcomes.length,
    events: tp + fn,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision,
    recall,
    f1,
    medianDelayMs: median(delays),
    falsePositivesPerWeek: duration === 0 ? 0 : fp / (duration / WEEK),
    perKind,
    perSeries: [...outcomes],
  };
}

/** Evaluates any detection function (series → anomaly windows) on a suite. */
export function evaluateWith(
  detector: string,
  suite: readonly LabelledSeries[],
  detect: (series: LabelledSeries) => readonly AnomalyWindow[],
  options: EvaluateOptions = {},
): Evaluation {
  return summarise(
    detector,
    suite.map((series) => matchEvents(series, detect(series), options)),
  );
}

export interface DetectorEvaluateOptions extends EvaluateOptions {
  /** Overrides every series' own options (a threshold, say). */
  detector?: DetectorOptions;
  /** Passed to `anomalyWindows`: runs of anomalous points this close are one window. */
  mergeGapMs?: number;
}

/** Runs a named detector over every series (with the series' options) and scores its windows. */
export function evaluateDetector(
  name: DetectorName,
  suite: readonly LabelledSeries[],
  options: DetectorEvaluateOptions = {},
): Evaluation {
  const merge = options.mergeGapMs === undefined ? {} : { mergeGapMs: options.mergeGapMs };
  return evaluateWith(
    name,
    suite,
    (series) =>
      anomalyWindows(
        scoreSeries(name, series.points, { ...series.options, ...options.detector }),
        merge,
      ),
    options,
  );
}

/** Every named detector on the suite, in DETECTOR_NAMES order. */
export function evaluateAll(
  suite: readonly LabelledSeries[],
  names: readonly DetectorName[] = DETECTOR_NAMES,
  options: DetectorEvaluateOptions = {},
): Evaluation[] {
  return names.map((name) => evaluateDetector(name, suite, options));
}
