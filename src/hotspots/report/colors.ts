/**
 * Sequential colour scales of the HTML report. Both run from a calm paper tone to a deep red, so
 * in either view the eye lands on what needs attention: hot files by score, sick files by health.
 * Lightness falls monotonically along each scale, so it also reads in greyscale.
 */

export interface Stop {
  /** Position on the scale's own axis (0–1 for score, 1–10 for health). */
  at: number;
  color: string;
}

/** Score as a fraction of the report's highest score: 0 → paper, 1 → deep red. */
export const scoreStops: readonly Stop[] = [
  { at: 0, color: '#f1ede4' },
  { at: 0.2, color: '#f8dca8' },
  { at: 0.45, color: '#f5a55a' },
  { at: 0.7, color: '#df5a33' },
  { at: 1, color: '#8e1b1f' },
];

/** Health 1.0–10.0: red for low health, pale green for healthy code. */
export const healthStops: readonly Stop[] = [
  { at: 1, color: '#8e1b1f' },
  { at: 3, color: '#d5472f' },
  { at: 4.5, color: '#ef8c45' },
  { at: 7, color: '#f3d27f' },
  { at: 9, color: '#cde0bd' },
  { at: 10, color: '#e3ecdc' },
];

/** The colour at `value` on a scale, interpolated between its stops; clamped at both ends. */
export function colorAt(stops: readonly Stop[], value: number): string {
  const first = stops[0]!;
  const last = stops[stops.length - 1]!;
  if (!Number.isFinite(value) || value <= first.at) return first.color;
  if (value >= last.at) return last.color;
  let i = 1;
  while (stops[i]!.at < value) i++;
  const lo = stops[i - 1]!;
  const hi = stops[i]!;
  const t = (value - lo.at) / (hi.at - lo.at);
  const a = rgb(lo.color);
  const b = rgb(hi.color);
  return hex(a.map((c, k) => c + (b[k]! - c) * t) as [number, number, number]);
}

/** Ink that stays readable on `background`: near-black on light fills, white on dark ones. */
export function inkOn(background: string): string {
  const [r, g, b] = rgb(background).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.28 ? '#1d2330' : '#ffffff';
}

/** A CSS linear-gradient over a scale, for its legend. */
export function gradient(stops: readonly Stop[]): string {
  const from = stops[0]!.at;
  const span = stops[stops.length - 1]!.at - from;
  const parts = stops.map((s) => `${s.color} ${(((s.at - from) / span) * 100).toFixed(1)}%`);
  return `linear-gradient(to right, ${parts.join(', ')})`;
}

function rgb(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function hex(channels: [number, number, number]): string {
  return (
    '#' +
    channels
      .map((c) =>
        Math.round(Math.min(255, Math.max(0, c)))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}
