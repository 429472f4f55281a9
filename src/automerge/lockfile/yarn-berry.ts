import {
  aliasTarget,
  describeSource,
  isObject,
  parseDocument,
  namesOf,
  splitDescriptor,
  stringOr,
  type LockEntry,
  type ParsedLockfile,
} from './entry.ts';

/** `__metadata.version` of Yarn 2 (4), Yarn 3 (6) and Yarn 4 (8), and those between. */
const SUPPORTED = [4, 5, 6, 7, 8];

/**
 * yarn.lock of Yarn 2 and later (YAML with `__metadata`): entries keyed by their descriptors
 * (`"lodash@npm:^4.17.20, lodash@npm:^4.17.21"`), with a `resolution` locator
 * (`lodash@npm:4.17.21`) and a `checksum` instead of a URL and an integrity.
 */
export function parseYarnBerryLockfile(text: string): ParsedLockfile {
  const read = parseDocument(text, 'YAML');
  if (!read.ok) return read;
  const doc = read.doc;
  if (!isObject(doc) || !isObject(doc.__metadata)) {
    return { ok: false, reason: 'no __metadata: not a Yarn 2+ lockfile' };
  }
  const version = Number(doc.__metadata.version);
  if (!SUPPORTED.includes(version)) {
    return {
      ok: false,
      reason: `__metadata.version ${JSON.stringify(doc.__metadata.version)} is not one Steward reads (Yarn lockfile versions 4 to 8)`,
    };
  }
  const entries = new Map<string, LockEntry>();
  for (const [key, raw] of Object.entries(doc)) {
    if (key === '__metadata') continue;
    if (!isObject(raw)) return { ok: false, reason: `entry "${key}" is not a mapping` };
    const descriptors = key.split(/,\s*/).map((d) => d.trim());
    // The project's own workspaces: package.json's diff judges what they ask for.
    if (descriptors.every((d) => splitDescriptor(d)[1].startsWith('workspace:'))) continue;
    const [name, range] = splitDescriptor(descriptors[0]!);
    const alias = aliasTarget(range);
    const resolution = stringOr(raw.resolution, '');
    const [resolvedName, resolvedReference] = splitDescriptor(resolution);
    const builtin = builtinPatch(resolvedName, resolvedReference);
    const reference = builtin?.reference ?? resolvedReference;
    const entry: LockEntry = {
      key: [...descriptors].sort().join(', '),
      name,
      packageName: alias ?? name,
      version: stringOr(raw.version, ''),
      source: { kind: 'registry', url: null },
      integrity: typeof raw.checksum === 'string' ? raw.checksum : null,
      hasInstallScript: false,
      dependencies: namesOf(raw.dependencies, raw.peerDependencies),
      ...(builtin ? { variant: builtin.patch } : {}),
    };
    if (!reference.startsWith('npm:')) {
      entry.source = { kind: 'other', what: describeSource(reference || 'no resolution') };
    } else if (resolvedName !== entry.packageName || reference.slice(4) !== entry.version) {
      entry.source = {
        kind: 'other',
        what: `resolution "${resolution}", which is not ${entry.packageName}@npm:${entry.version}`,
      };
    }
    entries.set(entry.key, entry);
  }
  return { ok: true, format: `Yarn lockfile version ${version}`, entries };
}

/** Yarn's own compatibility patches: `patch:typescript@npm%3A5.3.3#~builtin<compat/typescript>::…` (Yarn 4 writes `optional!builtin<…>`). */
const BUILTIN_PATCH = /^patch:([^#]+)#((?:~|optional!)builtin<compat\/[a-z-]+>)(?:::.*)?$/;

/**
 * The registry reference a builtin compatibility patch wraps, when it wraps the same package:
 * Yarn applies those patches itself (to typescript, fsevents, resolve), so the package still comes
 * from the registry. Any other patch is a non-registry source.
 */
function builtinPatch(
  name: string,
  reference: string,
): { reference: string; patch: string } | null {
  const match = BUILTIN_PATCH.exec(reference);
  if (!match) return null;
  let inner: string;
  try {
    inner = decodeURIComponent(match[1]!);
  } catch (error: unknown) {
    if (error instanceof URIError) return null;
    throw error;
  }
  const [innerName, innerReference] = splitDescriptor(inner);
  return innerName === name ? { reference: innerReference, patch: match[2]! } : null;
}
