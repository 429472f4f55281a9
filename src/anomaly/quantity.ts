/**
 * Kubernetes resource quantities ("10Gi", "500m", "1.5", "2k") as numbers in base units (bytes,
 * cores), and back in the unit they were written in. Exponent forms ("1e3") are not read: a
 * capacity rule is refused rather than guessing how to write them back. Pure.
 */

export interface Quantity {
  /** In base units: "10Gi" is 10737418240, "500m" is 0.5. */
  value: number;
  /** The unit it was written with ("" for a bare number in a string); null for a YAML number. */
  suffix: string | null;
}

const FACTORS: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

/** "10Gi" as 10 × 2³⁰ bytes; null when `text` is not a quantity. */
export function parseQuantity(text: string): Quantity | null {
  const m = QUANTITY.exec(text.trim());
  if (m === null) return null;
  const suffix = m[2] ?? '';
  const value = Number(m[1]) * FACTORS[suffix]!;
  return Number.isFinite(value) ? { value: roundValue(value), suffix } : null;
}

/** A number (a YAML number when `suffix` is null) or a quantity string, as `parseQuantity` reads it. */
export function parseQuantitySetting(value: number | string): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return parseQuantity(value)?.value ?? null;
}

const decimal = new Intl.NumberFormat('en-US', {
  useGrouping: false,
  maximumSignificantDigits: 15,
});

/** Sums like 0.1 + 0.2 as 0.3, not 0.30000000000000004; whole numbers (2⁶⁰ bytes) stay exact. */
export function roundValue(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(15));
}

/** `value` (base units) written with `suffix`: 5 × 2³⁰ with "Gi" is "5Gi"; null or "" a plain number. */
export function formatQuantity(value: number, suffix: string | null): string {
  const factor = FACTORS[suffix ?? ''] ?? 1;
  const text = decimal.format(roundValue(value / factor));
  return `${text === '-0' ? '0' : text}${suffix ?? ''}`;
}
