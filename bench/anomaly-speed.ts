/**
 * Speed and memory of the anomaly detectors (issue 19): points per second per detector over a
 * 5M-point seasonal series (5-minute steps, daily and weekly seasons, noise, a few spikes), and
 * the heap after each million points (bounded state: the heap stays flat as the series grows).
 * Rerun: `npm run bench:anomaly-speed` (prints a markdown table). Options: `--points N`.
 */
import { createDetector } from '../src/anomaly/detect.ts';
import { DETECTOR_NAMES } from '../src/anomaly/types.ts';

const argIndex = process.argv.indexOf('--points');
const POINTS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 5_000_000;
const STEP = 300_000;
const T0 = Date.UTC(2026, 0, 1);
const CHECKPOINT = 1_000_000;
const gc = (globalThis as { gc?: () => void }).gc;

/** Deterministic seasonal series, generated on the fly (the bench must not hold 5M points). */
function valueAt(i: number, noise: number): number {
  const day = Math.sin((2 * Math.PI * i) / 288);
  const week = Math.sin((2 * Math.PI * i) / 2016);
  return 100 + 20 * day + 5 * week + noise + (i % 100_003 === 50_000 ? 60 : 0);
}

function heapMb(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

const rows: string[] = [];
for (const name of DETECTOR_NAMES) {
  let seed = 12345;
  const detector = createDetector(name);
  const heaps: string[] = [];
  let anomalies = 0;
  let busyMs = 0;
  const before = heapMb();
  for (let start = 0; start < POINTS; start += CHECKPOINT) {
    const end = Math.min(POINTS, start + CHECKPOINT);
    const began = performance.now();
    for (let i = start; i < end; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const noise = (seed / 4294967296 - 0.5) * 4;
      if (detector.push(T0 + i * STEP, valueAt(i, noise)).anomaly) anomalies++;
    }
    busyMs += performance.now() - began;
    heaps.push((heapMb() - before).toFixed(2));
  }
  const perSecond = (POINTS / busyMs) * 1000;
  rows.push(`| ${name} | ${(perSecond / 1e6).toFixed(2)}M | ${heaps.join(' / ')} | ${anomalies} |`);
}

console.log(
  `Anomaly detectors over ${POINTS.toLocaleString('en')} points (Node ${process.version}${gc ? '' : ', no --expose-gc: heap figures include garbage'})`,
);
console.log('');
console.log('| detector | points/s | heap growth MB after each 1M points | anomalies |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(row);
