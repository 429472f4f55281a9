/**
 * Anomaly detection over one series (issue 19): a detector by name, the batch replay of the online
 * detector, and the anomalous windows of a scored series. Input is checked here, once, for every
 * detector: finite values and strictly increasing timestamps, or an AnomalyInputError naming the
 * point's index and the offending value.
 */
import { createDefaultDetector } from './detectors/default.ts';
import { createHoltWintersDetector } from './detectors/holt-winters.ts';
import { createMadDetector } from './detectors/mad.ts';
import { createZScoreDetector } from './detectors/zscore.ts';
import { rateDetector } from './rate.ts';
import {
  DETECTOR_NAMES,
  type AnomalyWindow,
  type DetectorName,
  type DetectorOptions,
  type OnlineDetector,
  type Point,
  type PointScore,
  type ScoredPoint,
} from './types.ts';

/** Bad input at point `index` (0-based, in the order pushed): what is wrong and the value. */
export class AnomalyInputError extends Error {
  readonly index: number;
  readonly field: 't' | 'v';
  readonly value: number;

  constructor(index: number, field: 't' | 'v', value: number, message: string) {
    super(message);
    this.name = 'AnomalyInputError';
    this.index = index;
    this.field = field;
    this.value = value;
  }
}

const FACTORIES: Record<DetectorName, (options: DetectorOptions) => OnlineDetector> = {
  default: createDefaultDetector,
  zscore: createZScoreDetector,
  mad: createMadDetector,
  'holt-winters': createHoltWintersDetector,
};

export function isDetectorName(name: string): name is DetectorName {
  return (DETECTOR_NAMES as readonly string[]).includes(name);
}

function checkOptions(options: DetectorOptions): void {
  const { threshold, period, direction } = options;
  if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`threshold must be in (0, 1], got ${String(threshold)}`);
  }
  if (period !== undefined && !(Number.isInteger(period) && period >= 2)) {
    throw new RangeError(`period must be an integer number of points >= 2, got ${String(period)}`);
  }
  if (
    direction !== undefined &&
    direction !== 'up' &&
    direction !== 'down' &&
    direction !== 'both'
  ) {
    throw new RangeError(`direction must be up, down or both, got ${String(direction)}`);
  }
}

/**
 * An online detector: push points in strictly increasing time, get each one's score. Throws
 * AnomalyInputError on a non-finite value or timestamp, or a timestamp not after the previous one
 * (the detector's state is unchanged by the rejected point).
 */
export function createDetector(name: DetectorName, options: DetectorOptions = {}): OnlineDetector {
  const factory = isDetectorName(name) ? FACTORIES[name] : undefined;
  if (!factory)
    throw new RangeError(`unknown detector ${String(name)}: one of ${DETECTOR_NAMES.join(', ')}`);
  checkOptions(options);
  const inner = options.counter ? rateDetector(factory(options)) : factory(options);
  let index = 0;
  let previousT = -Infinity;
  return {
    push(t: number, v: number): PointScore {
      if (typeof t !== 'number' || !Number.isFinite(t)) {
        throw new AnomalyInputError(
          index,
          't',
          t,
          `point ${index}: timestamp ${String(t)} is not a finite number`,
        );
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new AnomalyInputError(
          index,
          'v',
          v,
          `point ${index}: value ${String(v)} is not a finite number`,
        );
      }
      if (t <= previousT) {
        const how = t === previousT ? 'repeats' : 'goes back from';
        throw new AnomalyInputError(
          index,
          't',
          t,
          `point ${index}: timestamp ${t} ${how} the previous one (${previousT}); timestamps must strictly increase`,
        );
      }
      const result = inner.push(t, v);
      previousT = t;
      index++;
      return result;
    },
  };
}

/** The scores a live run would have given: the online detector replayed over `points`. */
export function scoreSeries(
  name: DetectorName,
  points: readonly Point[],
  options: DetectorOptions = {},
): ScoredPoint[] {
  const detector = createDetector(name, options);
  const out: ScoredPoint[] = new Array<ScoredPoint>(points.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const { score, anomaly } = detector.push(p.t, p.v);
    out[i] = { t: p.t, v: p.v, score, anomaly };
  }
  return out;
}

/**
 * Runs of anomalous points as windows [start, end] (timestamps of the first and last anomalous
 * point), merged when the next run starts at most `mergeGapMs` after the previous one ended.
 */
export function anomalyWindows(
  scored: readonly ScoredPoint[],
  options: { mergeGapMs?: number } = {},
): AnomalyWindow[] {
  const gap = options.mergeGapMs ?? 0;
  if (!(gap >= 0))
    throw new RangeError(`mergeGapMs must be >= 0, got ${String(options.mergeGapMs)}`);
  const windows: AnomalyWindow[] = [];
  let open: AnomalyWindow | null = null;
  for (const p of scored) {
    if (!p.anomaly) {
      if (open) open = null;
      continue;
    }
    if (open) {
      open.end = p.t;
      open.peakScore = Math.max(open.peakScore, p.score);
      continue;
    }
    const last = windows[windows.length - 1];
    if (last && p.t - last.end <= gap) {
      last.end = p.t;
      last.peakScore = Math.max(last.peakScore, p.score);
      open = last;
    } else {
      open = { start: p.t, end: p.t, peakScore: p.score };
      windows.push(open);
    }
  }
  return windows;
}
