import {
  aliasTarget,
  describeSource,
  isObject,
  parseDocument,
  namesOf,
  stringOr,
  type LockEntry,
  type ParsedLockfile,
} from './entry.ts';

const SUPPORTED = [1, 2, 3];

/**
 * package-lock.json and npm-shrinkwrap.json, lockfileVersion 1 (the nested `dependencies` tree),
 * 2 (both `packages` and the tree, which older npm reads: both are judged) and 3 (`packages`).
 * The root entry and workspace folders are the project itself: package.json's diff judges those.
 */
export function parseNpmLockfile(text: string): ParsedLockfile {
  const read = parseDocument(text, 'JSON');
  if (!read.ok) return read;
  const json = read.doc;
  if (!isObject(json)) return { ok: false, reason: 'not a JSON object' };
  const version = json.lockfileVersion;
  if (typeof version !== 'number' || !SUPPORTED.includes(version)) {
    return {
      ok: false,
      reason: `lockfileVersion ${JSON.stringify(version)} is not one Steward reads (npm lockfileVersion 1, 2 or 3)`,
    };
  }
  const entries = new Map<string, LockEntry>();
  if (version >= 2) {
    if (!isObject(json.packages))
      return { ok: false, reason: `lockfileVersion ${version} without "packages"` };
    for (const [path, raw] of Object.entries(json.packages)) {
      if (!path.includes('node_modules/') || !isObject(raw) || raw.inBundle === true) continue;
      entries.set(path, packagesEntry(path, raw));
    }
  }
  if (version <= 2 && json.dependencies !== undefined) {
    if (!isObject(json.dependencies))
      return { ok: false, reason: '"dependencies" is not an object' };
    const problem = walkTree(json.dependencies, 'dependencies:', entries);
    if (problem) return { ok: false, reason: problem };
  }
  return { ok: true, format: `npm lockfileVersion ${version}`, entries };
}

function packagesEntry(path: string, raw: Record<string, unknown>): LockEntry {
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const version = stringOr(raw.version, '');
  const resolved = typeof raw.resolved === 'string' ? raw.resolved : null;
  const entry: LockEntry = {
    key: path,
    name,
    // An alias installs "real" under "name" and records the real name.
    packageName: stringOr(raw.name, name),
    version,
    source: { kind: 'registry', url: resolved },
    integrity: typeof raw.integrity === 'string' ? raw.integrity : null,
    hasInstallScript: raw.hasInstallScript === true,
    dependencies: namesOf(raw.dependencies, raw.optionalDependencies, raw.peerDependencies),
  };
  if (raw.link === true)
    entry.source = { kind: 'other', what: `a link to ${resolved ?? 'a local folder'}` };
  else if (resolved !== null && !/^https?:\/\//.test(resolved))
    entry.source = { kind: 'other', what: describeSource(resolved) };
  return entry;
}

function walkTree(
  tree: Record<string, unknown>,
  prefix: string,
  entries: Map<string, LockEntry>,
): string | null {
  for (const [name, raw] of Object.entries(tree)) {
    if (!isObject(raw)) return `dependencies entry "${name}" is not an object`;
    const key = `${prefix}node_modules/${name}`;
    if (raw.bundled !== true) {
      const spec = stringOr(raw.version, '');
      const alias = aliasTarget(spec);
      // v1 writes an alias's version as "npm:real@1.2.3", and git or file sources as the version.
      const version = alias ? spec.slice(spec.lastIndexOf('@') + 1) : spec;
      const resolved = typeof raw.resolved === 'string' ? raw.resolved : null;
      const entry: LockEntry = {
        key,
        name,
        packageName: alias ?? name,
        version,
        source: { kind: 'registry', url: resolved },
        integrity: typeof raw.integrity === 'string' ? raw.integrity : null,
        hasInstallScript: false,
        dependencies: namesOf(raw.requires),
      };
      if (!alias && /[:/#]/.test(spec))
        entry.source = { kind: 'other', what: describeSource(spec) };
      else if (resolved !== null && !/^https?:\/\//.test(resolved))
        entry.source = { kind: 'other', what: describeSource(resolved) };
      entries.set(key, entry);
    }
    if (raw.dependencies !== undefined) {
      if (!isObject(raw.dependencies)) return `dependencies of "${name}" is not an object`;
      const problem = walkTree(raw.dependencies, `${key}/`, entries);
      if (problem) return problem;
    }
  }
  return null;
}
