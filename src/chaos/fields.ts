/**
 * Reading fields of a Kubernetes object that came from a file: every value is `unknown` until a
 * reader here has checked it, and a wrong type is a FieldError naming the field's path
 * (`status.probeStatuses[2].status.verdict`), so the message points at the line to look at.
 */

/** Steward's verdict on one experiment: only Litmus gives one; Chaos Mesh's waits for an SLO judge. */
export type ChaosVerdict = 'pass' | 'fail' | 'unknown';

/** Where an object was read: the file (as the caller names it), the YAML document and the List item. */
export interface ObjectOrigin {
  source: string;
  /** 1-based index of the YAML document (1 for JSON). */
  document: number;
  /** 0-based index in a List's `items`; null for an object that stands alone. */
  item: number | null;
}

/** The most entries Steward keeps of any one list in an object (probes, records, events, targets). */
export const MAX_ENTRIES = 500;

/** The most characters Steward keeps of any one text in an object (descriptions, messages). */
export const MAX_TEXT = 2000;

/** A field of the wrong type or missing: its path from the object's root, and what is wrong. */
export class FieldError extends Error {
  readonly field: string;
  readonly problem: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'FieldError';
    this.field = field;
    this.problem = problem;
  }
}

export type Fields = Record<string, unknown>;

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** A mapping at `path`, or null when absent (missing or null). */
export function optRecord(parent: Fields, key: string, path: string): Fields | null {
  const value = parent[key];
  if (value === undefined || value === null) return null;
  if (!isRecord(value))
    throw new FieldError(join(path, key), `expected a mapping, got ${typeName(value)}`);
  return value;
}

/** A string at `path`, or null when absent or empty. Numbers and booleans are read as their text. */
export function optString(parent: Fields, key: string, path: string): string | null {
  const value = parent[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string')
    throw new FieldError(join(path, key), `expected a string, got ${typeName(value)}`);
  return value === '' ? null : clip(value);
}

/** A non-negative integer at `path` (a count), or null when absent. A numeric string is accepted. */
export function optCount(parent: Fields, key: string, path: string): number | null {
  const value = parent[key];
  if (value === undefined || value === null) return null;
  const number =
    typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0)
    throw new FieldError(join(path, key), `expected a count, got ${describe(value)}`);
  return number;
}

function describe(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number'
    ? JSON.stringify(value).slice(0, 40)
    : typeName(value);
}

/**
 * A percentage at `path` (Litmus writes `probeSuccessPercentage` as a string: "100", "66.67",
 * "Awaited"): a number in [0, 100], or null when absent or not a number yet.
 */
export function optPercentage(parent: Fields, key: string, path: string): number | null {
  const value = parent[key];
  if (value === undefined || value === null || value === '') return null;
  let number = value;
  if (typeof value === 'string') {
    const trimmed = value.trim().replace(/%$/, '');
    if (!/^\d{1,3}(?:\.\d+)?$/.test(trimmed)) return null;
    number = Number(trimmed);
  }
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > 100)
    throw new FieldError(join(path, key), `expected a percentage, got ${describe(parent[key])}`);
  return number;
}

/** A timestamp at `path` as milliseconds since the epoch, or null when absent. */
export function optTime(parent: Fields, key: string, path: string): number | null {
  const text = optString(parent, key, path);
  if (text === null) return null;
  const ms = /^\d{4}-\d\d-\d\dT/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms))
    throw new FieldError(join(path, key), `expected a timestamp, got ${describe(text)}`);
  return ms;
}

/**
 * The mappings of a list at `path` (none when absent), each read by `read` with its own path; at
 * most MAX_ENTRIES are read, and `dropped` says how many more there were.
 */
export function optList<T>(
  parent: Fields,
  key: string,
  path: string,
  read: (entry: Fields, path: string) => T,
): { entries: T[]; dropped: number } {
  const value = parent[key];
  if (value === undefined || value === null) return { entries: [], dropped: 0 };
  const at = join(path, key);
  if (!Array.isArray(value)) throw new FieldError(at, `expected a list, got ${typeName(value)}`);
  const entries = value.slice(0, MAX_ENTRIES).map((entry: unknown, index) => {
    if (!isRecord(entry))
      throw new FieldError(`${at}[${index}]`, `expected a mapping, got ${typeName(entry)}`);
    return read(entry, `${at}[${index}]`);
  });
  return { entries, dropped: Math.max(0, value.length - MAX_ENTRIES) };
}

/** What every object carries: its name, namespace and when it was created. */
export interface ObjectMeta {
  name: string;
  namespace: string | null;
  createdAt: number | null;
}

export function readMeta(object: Fields): ObjectMeta {
  const metadata = optRecord(object, 'metadata', '');
  if (metadata === null) throw new FieldError('metadata', 'missing');
  const name = optString(metadata, 'name', 'metadata');
  if (name === null) throw new FieldError('metadata.name', 'missing');
  return {
    name,
    namespace: optString(metadata, 'namespace', 'metadata'),
    createdAt: optTime(metadata, 'creationTimestamp', 'metadata'),
  };
}
