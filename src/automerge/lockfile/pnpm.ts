import {
  isObject,
  parseDocument,
  namesOf,
  stringOr,
  type LockEntry,
  type ParsedLockfile,
} from './entry.ts';

/** lockfileVersion of pnpm 6 (5.3), 7 (5.4), 8 (6.0, 6.1) and 9 and 10 (9.0). */
const SUPPORTED = ['5.3', '5.4', '6.0', '6.1', '9.0'];
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * pnpm-lock.yaml. Keys name the package and version (`/lodash/4.17.21` in 5.x, `/lodash@4.17.21`
 * in 6.x, `lodash@4.17.21` in 9.0, with peer suffixes `_peer@1` or `(peer@1)`); `resolution` is
 * `{integrity}` for the configured registry, `{tarball}` for a URL, `{type: git}` or
 * `{type: directory}` for the rest. In 9.0 dependencies live in `snapshots`.
 */
export function parsePnpmLockfile(text: string): ParsedLockfile {
  const read = parseDocument(text, 'YAML');
  if (!read.ok) return read;
  const doc = read.doc;
  if (!isObject(doc)) return { ok: false, reason: 'not a YAML mapping' };
  const raw = doc.lockfileVersion;
  const version = typeof raw === 'number' ? raw.toFixed(1) : String(raw);
  if (!SUPPORTED.includes(version)) {
    return {
      ok: false,
      reason: `lockfileVersion ${JSON.stringify(raw)} is not one Steward reads (pnpm lockfileVersion ${SUPPORTED.join(', ')})`,
    };
  }
  const packages = doc.packages ?? {};
  if (!isObject(packages)) return { ok: false, reason: '"packages" is not a mapping' };
  // 9.0 keeps each package's dependencies in `snapshots`, once per peer combination.
  const snapshots = new Map<string, unknown[]>();
  for (const [snapshotKey, snapshot] of Object.entries(
    isObject(doc.snapshots) ? doc.snapshots : {},
  )) {
    if (!isObject(snapshot)) continue;
    const key = stripPeers(snapshotKey);
    snapshots.set(key, [
      ...(snapshots.get(key) ?? []),
      snapshot.dependencies,
      snapshot.optionalDependencies,
    ]);
  }
  const entries = new Map<string, LockEntry>();
  for (const [key, value] of Object.entries(packages)) {
    if (!isObject(value)) return { ok: false, reason: `package "${key}" is not a mapping` };
    const [keyName, keyVersion] = splitKey(key, version);
    const name = stringOr(value.name, keyName);
    const entryVersion = stringOr(value.version, keyVersion);
    const resolution = isObject(value.resolution) ? value.resolution : {};
    const deps = [value.dependencies, value.optionalDependencies, ...(snapshots.get(key) ?? [])];
    const entry: LockEntry = {
      key,
      name,
      packageName: name,
      version: entryVersion,
      source: {
        kind: 'registry',
        url: typeof resolution.tarball === 'string' ? resolution.tarball : null,
      },
      integrity: typeof resolution.integrity === 'string' ? resolution.integrity : null,
      hasInstallScript: value.requiresBuild === true,
      dependencies: namesOf(...deps),
    };
    if (typeof resolution.type === 'string') {
      const where = stringOr(resolution.repo, stringOr(resolution.directory, ''));
      entry.source = { kind: 'other', what: `${resolution.type}${where ? ` (${where})` : ''}` };
    } else if (!SEMVER.test(keyVersion) || keyName !== name) {
      entry.source = { kind: 'other', what: `"${key}", not a registry package and version` };
    } else if (entryVersion !== keyVersion) {
      entry.source = { kind: 'other', what: `"${key}" with version ${entryVersion}` };
    }
    entries.set(key, entry);
  }
  return { ok: true, format: `pnpm lockfileVersion ${version}`, entries };
}

function stripPeers(key: string): string {
  const paren = key.indexOf('(');
  return paren < 0 ? key : key.slice(0, paren);
}

/** The package name and version a key names; a version that is not semver is a non-registry source. */
function splitKey(key: string, version: string): [string, string] {
  const bare = stripPeers(key).replace(/^\//, '');
  if (version.startsWith('5.')) {
    const slash = bare.lastIndexOf('/');
    if (slash <= 0) return [bare, ''];
    return [bare.slice(0, slash), bare.slice(slash + 1).replace(/_.*$/, '')];
  }
  const at = bare.indexOf('@', 1);
  return at < 0 ? [bare, ''] : [bare.slice(0, at), bare.slice(at + 1)];
}
