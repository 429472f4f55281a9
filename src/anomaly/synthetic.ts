/**
 * The labelled synthetic suite detectors are measured on (issue 19): ops-like series with the
 * anomalies operators meet, each labelled as an event window. Deterministic: one seeded PRNG
 * (mulberry32), no clock, no Math.random, so a seed always gives the same suite.
 *
 * Series: 5-minute sampling over 2–4 weeks (some 1-minute over 2 weeks, some irregular), daily
 * and weekly seasonality of varying strength, slow trends, heteroscedastic noise (louder when
 * busier), occasional gaps, and counters that reset. Anomalies are at most one a week, placed
 * after a 4-day warm-up and at least 3 days apart (public benchmarks' unrealistic density is one
 * of Wu & Keogh's criticisms); about one series in five has none, to count false alarms.
 *
 * Labels: spike and dip (1–3 points), level shift (the change persists; only the first hour
 * after the change is labelled), trend change (a ramp of 6–24 h, then a plateau; the ramp is
 * labelled), variance change (noise 3–5× for 2–12 h), seasonality break (one day's daily
 * pattern missing or shifted by 6 h), stuck (the sensor repeats its last value for 2–12 h).
 */
import type { DetectorOptions, Direction, LabelledEvent, LabelledSeries, Point } from './types.ts';
import { mulberry32 } from './random.ts';

export const ANOMALY_KINDS = [
  'spike',
  'dip',
  'level-shift',
  'trend-change',
  'variance-change',
  'seasonality-break',
  'stuck',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2026-01-05 00:00 UTC: the suite's first day. */
const EPOCH = Date.UTC(2026, 0, 5);

interface Rng {
  u: () => number;
  range: (lo: number, hi: number) => number;
  int: (lo: number, hi: number) => number;
  normal: () => number;
  pick: <T>(items: readonly T[]) => T;
}

function makeRng(seed: number): Rng {
  const u = mulberry32(seed);
  const range = (lo: number, hi: number): number => lo + (hi - lo) * u();
  return {
    u,
    range,
    int: (lo, hi) => Math.floor(range(lo, hi + 1)),
    normal: () => {
      const a = Math.max(u(), 1e-12);
      return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
    },
    pick: (items) => items[Math.floor(u() * items.length)] as never,
  };
}

type Sampling = '5m' | '1m' | 'irregular';

/** A family of ops series: its shape, its direction and the anomalies it can meet. */
interface Template {
  name: string;
  direction: Direction;
  kinds: readonly AnomalyKind[];
  counter?: boolean;
  /** Level, daily and weekly amplitude (fractions of level), noise (fraction of level), trend per day. */
  shape: (rng: Rng) => Shape;
  min?: number;
  max?: number;
}

interface Shape {
  level: number;
  daily: number;
  weekly: number;
  noise: number;
  /** Extra noise at the daily peak (heteroscedastic): sd × (1 + hetero × busy). */
  hetero: number;
  trendPerDay: number;
  /** Hour (UTC) of the daily peak. */
  peakHour: number;
  /** Right-skewed noise (latencies). */
  skewed: boolean;
}

const TEMPLATES: readonly Template[] = [
  {
    name: 'http-requests',
    direction: 'both',
    kinds: [
      'spike',
      'dip',
      'level-shift',
      'variance-change',
      'seasonality-break',
      'stuck',
      'trend-change',
    ],
    min: 0,
    shape: (r) => ({
      level: r.range(200, 2000),
      daily: r.range(0.3, 0.6),
      weekly: r.range(0.1, 0.35),
      noise: r.range(0.02, 0.05),
      hetero: r.range(0.3, 1),
      trendPerDay: r.range(-0.002, 0.01),
      peakHour: r.range(12, 18),
      skewed: false,
    }),
  },
  {
    name: 'latency-p99-ms',
    direction: 'up',
    kinds: ['spike', 'level-shift', 'variance-change', 'trend-change'],
    min: 1,
    shape: (r) => ({
      level: r.range(80, 400),
      daily: r.range(0.05, 0.25),
      weekly: r.range(0, 0.1),
      noise: r.range(0.04, 0.1),
      hetero: r.range(0.5, 1.5),
      trendPerDay: 0,
      peakHour: r.range(12, 18),
      skewed: true,
    }),
  },
  {
    name: 'cpu-percent',
    direction: 'up',
    kinds: [
      'spike',
      'level-shift',
      'trend-change',
      'variance-change',
      'stuck',
      'seasonality-break',
    ],
    min: 0,
    max: 100,
    shape: (r) => ({
      level: r.range(20, 45),
      daily: r.range(0.2, 0.5),
      weekly: r.range(0.05, 0.2),
      noise: r.range(0.03, 0.08),
      hetero: r.range(0.2, 0.8),
      trendPerDay: r.range(0, 0.004),
      peakHour: r.range(10, 20),
      skewed: false,
    }),
  },
  {
    name: 'temperature-celsius',
    direction: 'both',
    kinds: ['stuck', 'seasonality-break', 'spike', 'dip', 'level-shift'],
    shape: (r) => ({
      level: r.range(18, 30),
      daily: r.range(0.08, 0.2),
      weekly: 0,
      noise: r.range(0.004, 0.012),
      hetero: 0,
      trendPerDay: 0,
      peakHour: r.range(13, 16),
      skewed: false,
    }),
  },
  {
    name: 'disk-free-bytes',
    direction: 'down',
    kinds: ['dip', 'trend-change', 'level-shift', 'stuck'],
    min: 0,
    shape: (r) => ({
      level: r.range(2e11, 5e11),
      daily: r.range(0, 0.002),
      weekly: 0,
      noise: r.range(0.0005, 0.002),
      hetero: 0,
      trendPerDay: -r.range(0.002, 0.008),
      peakHour: 3,
      skewed: false,
    }),
  },
  {
    name: 'queue-depth',
    direction: 'up',
    kinds: ['spike', 'level-shift', 'variance-change'],
    min: 0,
    shape: (r) => ({
      level: r.range(20, 200),
      daily: r.range(0.2, 0.5),
      weekly: r.range(0, 0.2),
      noise: r.range(0.08, 0.15),
      hetero: r.range(0.5, 1.5),
      trendPerDay: 0,
      peakHour: r.range(9, 17),
      skewed: true,
    }),
  },
  {
    name: 'error-rate',
    direction: 'up',
    kinds: ['spike', 'level-shift', 'variance-change'],
    min: 0,
    shape: (r) => ({
      level: r.range(0.5, 5),
      daily: r.range(0.1, 0.4),
      weekly: r.range(0, 0.1),
      noise: r.range(0.1, 0.2),
      hetero: r.range(0, 0.5),
      trendPerDay: 0,
      peakHour: r.range(12, 18),
      skewed: true,
    }),
  },
  {
    name: 'requests-total',
    direction: 'both',
    counter: true,
    kinds: ['spike', 'dip', 'level-shift', 'seasonality-break'],
    min: 0,
    shape: (r) => ({
      level: r.range(50, 500),
      daily: r.range(0.3, 0.6),
      weekly: r.range(0.1, 0.3),
      noise: r.range(0.03, 0.06),
      hetero: r.range(0.2, 0.6),
      trendPerDay: 0,
      peakHour: r.range(12, 18),
      skewed: false,
    }),
  },
];

/** Daily shape in [-1, 1], peak at `peakHour`, a sharper working-day bump on top of a cosine. */
function dailyShape(t: number, peakHour: number): number {
  const hours = ((t - EPOCH) % DAY) / HOUR;
  const x = (2 * Math.PI * (hours - peakHour)) / 24;
  return 0.7 * Math.cos(x) + 0.3 * Math.cos(2 * x);
}

/** 0 on weekdays, -1 on weekends, easing in and out over the 6 hours around midnight. */
function weekendShape(t: number): number {
  const days = (t - EPOCH) / DAY; // 0 = Monday 00:00
  const week = ((days % 7) + 7) % 7;
  const ease = (x: number): number => {
    const c = Math.min(1, Math.max(0, x));
    return c * c * (3 - 2 * c);
  };
  // Saturday begins at day 5 and Monday at day 7 (or 0); each change ramps over ±3 h (1/8 day).
  let weekend: number;
  if (week >= 6) weekend = 1 - ease((week - 6.875) / 0.25);
  else if (week < 0.125) weekend = 1 - ease((week + 0.125) / 0.25);
  else weekend = ease((week - 4.875) / 0.25);
  return -weekend;
}

interface Injected {
  kind: AnomalyKind;
  /** Index of the first anomalous point. */
  at: number;
  /** Index of the last labelled point. */
  until: number;
  magnitude: number;
  sign: number;
  variant: number;
}

function signFor(direction: Direction, kind: AnomalyKind, rng: Rng): number {
  if (kind === 'spike') return 1;
  if (kind === 'dip') return -1;
  if (direction === 'up') return 1;
  if (direction === 'down') return -1;
  return rng.u() < 0.5 ? 1 : -1;
}

function timestamps(sampling: Sampling, days: number, rng: Rng, start: number): number[] {
  const out: number[] = [];
  const end = start + days * DAY;
  if (sampling === 'irregular') {
    let t = start;
    while (t < end) {
      out.push(t);
      t += Math.round(5 * MINUTE * rng.range(0.5, 1.5));
    }
    return out;
  }
  const step = sampling === '1m' ? MINUTE : 5 * MINUTE;
  for (let t = start; t < end; t += step) out.push(t);
  return out;
}

function indexAt(ts: readonly number[], t: number): number {
  let lo = 0;
  let hi = ts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ts[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Duration of an anomaly's labelled window (ms) and of its effect. */
function plan(kind: AnomalyKind, rng: Rng): { labelled: number; points?: number } {
  switch (kind) {
    case 'spike':
    case 'dip':
      return { labelled: 0, points: rng.int(1, 3) };
    case 'level-shift':
      return { labelled: HOUR };
    case 'trend-change':
      return { labelled: rng.range(6, 24) * HOUR };
    case 'variance-change':
    case 'stuck':
      return { labelled: rng.range(2, 12) * HOUR };
    case 'seasonality-break':
      return { labelled: DAY };
  }
}

interface SeriesSpec {
  template: Template;
  sampling: Sampling;
  days: number;
  kinds: AnomalyKind[];
  knowPeriod: boolean;
  gaps: boolean;
}

function buildSeries(spec: SeriesSpec, index: number, rng: Rng): LabelledSeries {
  const { template, sampling, days } = spec;
  const shape = template.shape(rng);
  const start = EPOCH + rng.int(0, 6) * DAY + rng.int(0, 23) * HOUR;
  const ts = timestamps(sampling, days, rng, start);
  const n = ts.length;

  // Anomaly placement: after a 4-day warm-up, at least 3 days apart, whole window inside.
  const injected: Injected[] = [];
  let earliest = start + 4 * DAY;
  const last = ts[n - 1] as number;
  for (const kind of spec.kinds) {
    const p = plan(kind, rng);
    const room = last - 6 * HOUR - p.labelled - earliest;
    if (room < 0) break;
    let begin = earliest + rng.u() * Math.min(room, 4 * DAY);
    if (kind === 'seasonality-break') begin = start + Math.ceil((begin - start) / DAY) * DAY;
    if (begin + p.labelled > last - 6 * HOUR) break;
    const at = indexAt(ts, begin);
    const until =
      p.points !== undefined
        ? Math.min(n - 1, at + p.points - 1)
        : Math.max(at, indexAt(ts, begin + p.labelled) - 1);
    injected.push({
      kind,
      at,
      until,
      magnitude: rng.u(),
      sign: signFor(template.direction, kind, rng),
      variant: rng.u(),
    });
    earliest = (ts[until] as number) + 3 * DAY;
  }

  // Clean signal, noise scale, then anomalies on top.
  const values = new Array<number>(n);
  const sds = new Array<number>(n);
  for (let i = 0; i < n; i += 1) {
    const t = ts[i] as number;
    const elapsedDays = (t - start) / DAY;
    let seasonalT = t;
    let dailyWeight = 1;
    for (const a of injected) {
      if (a.kind !== 'seasonality-break' || i < a.at || i > a.until) continue;
      if (a.variant < 0.5) dailyWeight = 0;
      else seasonalT = t + 6 * HOUR;
    }
    const daily = dailyShape(seasonalT, shape.peakHour);
    const busy = Math.max(0, daily);
    const level = shape.level * (1 + shape.trendPerDay * elapsedDays);
    const mean =
      level *
      (1 + dailyWeight * shape.daily * daily) *
      (1 + shape.weekly * weekendShape(t) * (1 + 0.5 * daily));
    sds[i] = Math.max(1e-9, shape.level * shape.noise * (1 + shape.hetero * busy));
    values[i] = mean;
  }
  for (let i = 0; i < n; i += 1) {
    let sd = sds[i] as number;
    for (const a of injected)
      if (a.kind === 'variance-change' && i >= a.at && i <= a.until) sd *= 3 + 2 * a.magnitude;
    const z = rng.normal();
    // Right-skewed: a log-normal (sigma 0.25) centred and scaled to the same standard deviation.
    const noise = shape.skewed ? ((Math.exp(0.25 * z) - Math.exp(0.03125)) / 0.262) * sd : sd * z;
    values[i] = (values[i] as number) + noise;
  }
  for (const a of injected) {
    const sdAt = sds[a.at] as number;
    const tAt = ts[a.at] as number;
    const tUntil = ts[a.until] as number;
    if (a.kind === 'spike' || a.kind === 'dip') {
      const size = a.sign * sdAt * (6 + 8 * a.magnitude);
      for (let i = a.at; i <= a.until; i += 1) values[i] = (values[i] as number) + size;
    } else if (a.kind === 'level-shift') {
      const size =
        a.sign * Math.max(sdAt * (4 + 6 * a.magnitude), shape.level * 0.15 * (0.5 + a.magnitude));
      for (let i = a.at; i < n; i += 1) values[i] = (values[i] as number) + size;
    } else if (a.kind === 'trend-change') {
      const total =
        a.sign * Math.max(sdAt * (6 + 6 * a.magnitude), shape.level * 0.2 * (0.5 + a.magnitude));
      const span = Math.max(1, tUntil - tAt);
      for (let i = a.at; i < n; i += 1) {
        const f = Math.min(1, ((ts[i] as number) - tAt) / span);
        values[i] = (values[i] as number) + total * f;
      }
    } else if (a.kind === 'stuck') {
      const held = values[Math.max(0, a.at - 1)] as number;
      for (let i = a.at; i <= a.until; i += 1) values[i] = held;
    }
  }
  if (template.min !== undefined || template.max !== undefined) {
    for (let i = 0; i < n; i += 1) {
      let v = values[i] as number;
      if (template.min !== undefined) v = Math.max(template.min, v);
      if (template.max !== undefined) v = Math.min(template.max, v);
      values[i] = v;
    }
  }

  let points: Point[] = ts.map((t, i) => ({ t, v: values[i] as number }));
  if (template.counter === true) points = toCounter(points, injected, rng);
  const events: LabelledEvent[] = injected.map((a) => ({
    start: ts[a.at] as number,
    end: ts[a.until] as number,
    kind: a.kind,
  }));
  if (spec.gaps) points = withGaps(points, events, rng);

  const options: DetectorOptions = { direction: template.direction };
  if (spec.knowPeriod && sampling !== 'irregular') options.period = sampling === '1m' ? 1440 : 288;
  if (template.counter === true) options.counter = true;
  const label = spec.kinds.length === 0 ? 'clean' : spec.kinds.join('+');
  return {
    name: `${String(index).padStart(2, '0')}-${template.name}-${sampling}-${label}`,
    points,
    events,
    options,
  };
}

/** Integrates a rate (per second) into a counter that resets to 0 on 1–3 restarts (never in an event). */
function toCounter(points: Point[], injected: readonly Injected[], rng: Rng): Point[] {
  const n = points.length;
  const resets = new Set<number>();
  const count = rng.int(1, 3);
  for (let k = 0; k < 50 && resets.size < count; k += 1) {
    const i = rng.int(1, n - 1);
    const near = injected.some((a) => i >= a.at - 24 && i <= a.until + 24);
    if (!near) resets.add(i);
  }
  const out: Point[] = [];
  let total = Math.round(rng.range(1e5, 1e7));
  for (let i = 0; i < n; i += 1) {
    const p = points[i] as Point;
    const prev = points[i - 1];
    if (resets.has(i)) total = 0;
    else if (prev !== undefined) total += Math.max(0, Math.round((p.v * (p.t - prev.t)) / 1000));
    out.push({ t: p.t, v: total });
  }
  return out;
}

/** Drops 1–3 runs of 30 min – 6 h, never within 12 h of an event. */
function withGaps(points: Point[], events: readonly LabelledEvent[], rng: Rng): Point[] {
  const first = (points[0] as Point).t;
  const last = (points[points.length - 1] as Point).t;
  const gaps: Array<[number, number]> = [];
  const count = rng.int(1, 3);
  for (let k = 0; k < 30 && gaps.length < count; k += 1) {
    const from = first + DAY + rng.u() * (last - first - 2 * DAY);
    const to = from + rng.range(0.5, 6) * HOUR;
    const clash = events.some((e) => from <= e.end + 12 * HOUR && to >= e.start - 12 * HOUR);
    if (!clash) gaps.push([from, to]);
  }
  return points.filter((p) => !gaps.some(([a, b]) => p.t >= a && p.t <= b));
}

/** The kind this family can meet that the suite has least of so far (not one the series has). */
function leastUsed(
  allowed: readonly AnomalyKind[],
  taken: readonly AnomalyKind[],
  used: ReadonlyMap<AnomalyKind, number>,
  rotation: number,
): AnomalyKind {
  let best: AnomalyKind | undefined;
  for (let j = 0; j < allowed.length; j += 1) {
    const kind = allowed[(rotation + j) % allowed.length] as AnomalyKind;
    if (taken.includes(kind) && taken.length < allowed.length) continue;
    if (best === undefined || (used.get(kind) ?? 0) < (used.get(best) ?? 0)) best = kind;
  }
  return best as AnomalyKind;
}

/**
 * The labelled suite: 64 series over 8 families; each family has clean series, series with one
 * anomaly and series with two or three, cycling through the kinds the family can meet
 * so that each kind is about equally common over the suite.
 */
export function labelledSuite(seed = 1): LabelledSeries[] {
  if (!Number.isSafeInteger(seed))
    throw new RangeError(`the suite's seed must be an integer, got ${seed}`);
  const rng = makeRng(seed);
  const suite: LabelledSeries[] = [];
  const used = new Map<AnomalyKind, number>();
  let index = 0;
  for (const template of TEMPLATES) {
    for (let k = 0; k < 8; k += 1) {
      const sampling: Sampling = k === 3 ? '1m' : k === 6 ? 'irregular' : '5m';
      const days = sampling === '1m' ? 14 : rng.int(14, 28);
      const kinds: AnomalyKind[] = [];
      if (k !== 0 && k !== 5) {
        const howMany = Math.max(
          1,
          Math.min(Math.floor(days / 7) - 1, k % 3 === 0 ? 3 : k % 2 === 0 ? 2 : 1),
        );
        for (let j = 0; j < howMany; j += 1)
          kinds.push(leastUsed(template.kinds, kinds, used, k + index));
      }
      const spec: SeriesSpec = {
        template,
        sampling,
        days,
        kinds,
        knowPeriod: k % 2 === 0,
        gaps: k === 2 || k === 4 || k === 7,
      };
      for (const kind of kinds) used.set(kind, (used.get(kind) ?? 0) + 1);
      suite.push(
        buildSeries(
          spec,
          index,
          makeRng((seed * 1_000_003 + index * 7919 + Math.floor(rng.u() * 1e9)) >>> 0),
        ),
      );
      index += 1;
    }
  }
  return suite;
}
