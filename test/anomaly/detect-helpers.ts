/** Seeded series for the detector tests (deterministic: a mulberry32 PRNG). */
import type { Point } from '../../src/anomaly/types.ts';

export const STEP = 300_000;
export const T0 = Date.UTC(2026, 0, 1);
export const DAY_POINTS = 288;

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** `n` points every STEP from T0, value f(i, random). */
export function series(n: number, f: (i: number, r: () => number) => number, seed = 1): Point[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => ({ t: T0 + i * STEP, v: f(i, r) }));
}

/** A daily sine of amplitude 10 around 100. */
export function daily(i: number): number {
  return 100 + 10 * Math.sin((2 * Math.PI * i) / DAY_POINTS);
}
