import { parse as parseYaml } from 'yaml';
/**
 * One resolved package of a lockfile, in the same shape whatever the format, so one set of rules
 * (lockfile-rules.ts) judges npm, yarn and pnpm alike.
 */
export interface LockEntry {
  /** The entry's identity in its lockfile: an install path (npm), descriptors (yarn) or a key (pnpm). */
  key: string;
  /** The name it is installed under (an alias's own name). */
  name: string;
  /** The registry package it resolves to; differs from `name` only for `npm:` aliases. */
  packageName: string;
  version: string;
  /**
   * Where it comes from: the registry (with the tarball URL the lockfile names, or null when the
   * format names none and the configured registry is implied), or anything else, described.
   */
  source: { kind: 'registry'; url: string | null } | { kind: 'other'; what: string };
  /** Integrity hash or checksum; null when the lockfile records none. */
  integrity: string | null;
  hasInstallScript: boolean;
  /** Names of the packages this one depends on, as the lockfile records them. */
  dependencies: string[];
  /**
   * A second build of the same package version with its own hash (Yarn's builtin compatibility
   * patches); hashes are compared within one variant.
   */
  variant?: string;
}

export type ParsedLockfile =
  { ok: true; format: string; entries: Map<string, LockEntry> } | { ok: false; reason: string };

/**
 * A lockfile's text as a JSON or YAML document (YAML with duplicate keys refused), or the reason
 * it is not one: what every format's parser reads first.
 */
export function parseDocument(
  text: string,
  language: 'JSON' | 'YAML',
): { ok: true; doc: unknown } | { ok: false; reason: string } {
  try {
    return {
      ok: true,
      doc: language === 'JSON' ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true }),
    };
  } catch (error: unknown) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not valid ${language} (${why})` };
  }
}

/** "name@range" or "@scope/name@range" → [name, range]; the range may itself hold an `@`. */
export function splitDescriptor(descriptor: string): [string, string] {
  const at = descriptor.indexOf('@', 1);
  return at < 0 ? [descriptor, ''] : [descriptor.slice(0, at), descriptor.slice(at + 1)];
}

/** The package an `npm:` alias range points at ("npm:real@^1" → "real"), or null for plain ranges. */
export function aliasTarget(range: string): string | null {
  if (!range.startsWith('npm:')) return null;
  const [name, rest] = splitDescriptor(range.slice(4));
  return rest === '' && /^\d|^[~^<>=*]/.test(name) ? null : name;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

export function namesOf(...maps: unknown[]): string[] {
  return [...new Set(maps.flatMap((m) => (isObject(m) ? Object.keys(m) : [])))].sort();
}

/** What a resolved URL or version spec that is not a registry tarball is, for the refusal. */
export function describeSource(spec: string): string {
  if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(spec) || /\.git(#|$)/.test(spec))
    return `git (${spec})`;
  if (/^(file|link|portal|workspace|patch|exec):/.test(spec))
    return `${spec.split(':')[0]} (${spec})`;
  return spec;
}
