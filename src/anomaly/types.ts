/**
 * The contract of anomaly detection (issue 19): a series is points in time order, a detector is
 * online (each point's score uses only the points before it and itself), and a batch run is a
 * replay of the online one, so replaying history gives the scores a live run would have given.
 * Pure: no I/O, no clock, no randomness outside an explicit seed.
 */

/** One observation: epoch milliseconds and a finite value. */
export interface Point {
  t: number;
  v: number;
}

/** What a detector says about the point it was just given. */
export interface PointScore {
  /** 0 (ordinary) to 1 (as anomalous as it gets). */
  score: number;
  /** `score >= threshold`, once the detector has seen enough to judge (never during warm-up). */
  anomaly: boolean;
}

export interface ScoredPoint extends Point, PointScore {}

/** Which way a departure matters: a latency only up, free disk only down. */
export type Direction = 'up' | 'down' | 'both';

export interface DetectorOptions {
  /** Score at or above which a point is anomalous; each detector has its own default. */
  threshold?: number;
  direction?: Direction;
  /** Season length in points when known (288 for daily at 5 min); detected or none otherwise. */
  period?: number;
  /** The series is a counter (resets are not anomalies: it is scored on its rate). */
  counter?: boolean;
}

/**
 * An online detector holding bounded state (memory does not grow with the series' length).
 * Points must come in strictly increasing `t`; gaps and irregular spacing are allowed.
 */
export interface OnlineDetector {
  push(t: number, v: number): PointScore;
}

export const DETECTOR_NAMES = ['default', 'zscore', 'mad', 'holt-winters'] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** A run of anomalous points, merged when they are close together. */
export interface AnomalyWindow {
  start: number;
  end: number;
  peakScore: number;
}

/** A labelled event in an evaluation series: the anomaly's time span (epoch ms). */
export interface LabelledEvent {
  start: number;
  end: number;
  kind: string;
}

export interface LabelledSeries {
  name: string;
  points: Point[];
  events: LabelledEvent[];
  /** Options a user would give for this series (direction, period when known, counter). */
  options: DetectorOptions;
}
