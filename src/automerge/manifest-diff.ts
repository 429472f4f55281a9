import { isDeepStrictEqual } from 'node:util';
import { classifyUpdate, type UpdateType } from './update-type.ts';

/** The package.json sections whose values are dependency versions, and the policy kind of each. */
export const DEPENDENCY_SECTIONS = {
  dependencies: 'dependencies',
  devDependencies: 'devDependencies',
  optionalDependencies: 'optionalDependencies',
  peerDependencies: 'peerDependencies',
  // Version overrides pin what production code resolves to, so they get production policy.
  overrides: 'dependencies',
  resolutions: 'dependencies',
} as const;
export type DependencyKind = (typeof DEPENDENCY_SECTIONS)[keyof typeof DEPENDENCY_SECTIONS];

export interface DependencyChange {
  manifest: string;
  name: string;
  section: string;
  kind: DependencyKind;
  from: string;
  to: string;
  updateType: UpdateType;
  note?: string;
}

export interface ManifestDiff {
  changes: DependencyChange[];
  /** Why this manifest's change is outside what an update may touch; empty when in scope. */
  problems: string[];
}

/**
 * Compares two package.json texts. Only dependency version strings may change; a changed
 * `scripts`, `bin` or any other field, an added or removed dependency, or a version that cannot be
 * classified is a problem that refuses the merge.
 */
export function diffManifest(manifest: string, oldText: string, newText: string): ManifestDiff {
  const problems: string[] = [];
  const changes: DependencyChange[] = [];
  const oldJson = parseObject(oldText);
  const newJson = parseObject(newText);
  if (!oldJson.ok) return { changes, problems: [`${manifest} (before): ${oldJson.error}`] };
  if (!newJson.ok) return { changes, problems: [`${manifest} (after): ${newJson.error}`] };

  const keys = new Set([...Object.keys(oldJson.value), ...Object.keys(newJson.value)]);
  for (const key of keys) {
    const before = oldJson.value[key];
    const after = newJson.value[key];
    if (isDeepStrictEqual(before, after)) continue;
    if (key === 'packageManager') {
      changes.push(
        ...versionChange(manifest, key, 'devDependencies', key, before, after, problems),
      );
      continue;
    }
    if (!Object.hasOwn(DEPENDENCY_SECTIONS, key)) {
      problems.push(`${manifest}: field "${key}" changed; only dependency versions may change`);
      continue;
    }
    const kind = DEPENDENCY_SECTIONS[key as keyof typeof DEPENDENCY_SECTIONS];
    const beforeDeps = flatten(before);
    const afterDeps = flatten(after);
    if (!beforeDeps || !afterDeps) {
      problems.push(`${manifest}: "${key}" is not an object of version strings`);
      continue;
    }
    for (const name of new Set([...beforeDeps.keys(), ...afterDeps.keys()])) {
      const from = beforeDeps.get(name);
      const to = afterDeps.get(name);
      if (from === to) continue;
      if (from === undefined) problems.push(`${manifest}: ${key} adds "${name}"`);
      else if (to === undefined) problems.push(`${manifest}: ${key} removes "${name}"`);
      else changes.push(...versionChange(manifest, key, kind, name, from, to, problems));
    }
  }
  return { changes, problems };
}

function versionChange(
  manifest: string,
  section: string,
  kind: DependencyKind,
  name: string,
  before: unknown,
  after: unknown,
  problems: string[],
): DependencyChange[] {
  if (typeof before !== 'string' || typeof after !== 'string') {
    problems.push(`${manifest}: ${section} "${name}" is not a version string`);
    return [];
  }
  // packageManager reads "pnpm@9.1.0+sha512..."; the tool name must stay the same.
  const [from, to, label] =
    section === 'packageManager' ? splitPackageManager(before, after) : [before, after, name];
  if (from === null || to === null) {
    problems.push(`${manifest}: packageManager changed from "${before}" to "${after}"`);
    return [];
  }
  const result = classifyUpdate(from, to);
  if (!result.ok) {
    problems.push(`${manifest}: ${section} "${label}": ${result.reason}`);
    return [];
  }
  const change: DependencyChange = {
    manifest,
    name: label,
    section,
    kind,
    from,
    to,
    updateType: result.type,
  };
  if (result.note) change.note = result.note;
  return [change];
}

function splitPackageManager(
  before: string,
  after: string,
): [string | null, string | null, string] {
  const parse = (value: string) => /^([^@]+)@([^+]+)/.exec(value);
  const a = parse(before);
  const b = parse(after);
  if (!a || !b || a[1] !== b[1]) return [null, null, 'packageManager'];
  return [a[2]!, b[2]!, a[1]!];
}

/** Flattens nested overrides ({ "a": { "b": "1.0.0" } }) into "a > b" → version. */
function flatten(value: unknown, prefix = ''): Map<string, string> | null {
  if (value === undefined) return new Map();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const out = new Map<string, string>();
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix ? `${prefix} > ${key}` : key;
    if (typeof inner === 'string') out.set(name, inner);
    else {
      const nested = flatten(inner, name);
      if (!nested) return null;
      for (const [k, v] of nested) out.set(k, v);
    }
  }
  return out;
}

function parseObject(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, error: 'not a JSON object' };
    }
    return { ok: true, value: value as Record<string, unknown> };
  } catch (error: unknown) {
    return {
      ok: false,
      error: `invalid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
