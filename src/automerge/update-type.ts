import semver from 'semver';

/**
 * What kind of change a dependency update is, from the version specifiers on both sides; listed
 * riskiest first, since a pull request's update type is the riskiest of its dependencies.
 */
export const UPDATE_TYPES = ['major', 'minor', 'patch', 'digest', 'pin'] as const;
export type UpdateType = (typeof UPDATE_TYPES)[number];

export type Classification =
  { ok: true; type: UpdateType; note?: string } | { ok: false; reason: string };

const GIT_HASH = /#([0-9a-f]{7,40})$/i;

/**
 * Classifies the change from one npm version specifier to another. Ranges are compared by their
 * lowest admitted version (the highest one across `||` alternatives). Anything that cannot be
 * compared fails closed with a reason rather than guessing.
 */
export function classifyUpdate(from: string, to: string): Classification {
  if (from === to) return { ok: false, reason: `unchanged specifier "${from}"` };

  const fromHash = GIT_HASH.exec(from);
  const toHash = GIT_HASH.exec(to);
  if (fromHash && toHash) {
    const sameSource = from.slice(0, fromHash.index) === to.slice(0, toHash.index);
    return sameSource
      ? { ok: true, type: 'digest' }
      : { ok: false, reason: `source changed from "${from}" to "${to}"` };
  }

  const fromAlias = splitAlias(from);
  const toAlias = splitAlias(to);
  if (fromAlias.name !== toAlias.name) {
    return {
      ok: false,
      reason: `aliased package changed from "${fromAlias.name}" to "${toAlias.name}"`,
    };
  }

  const fromVersion = lowestVersion(fromAlias.range);
  const toVersion = lowestVersion(toAlias.range);
  if (!fromVersion) return { ok: false, reason: `"${from}" is not a version or range` };
  if (!toVersion) return { ok: false, reason: `"${to}" is not a version or range` };

  if (semver.eq(fromVersion, toVersion)) {
    // Same lowest version: ^1.2.3 → 1.2.3 narrows to an exact version (a pin); anything else
    // (1.2.3 → ^1.2.3, a widened upper bound) admits versions nobody reviewed.
    return semver.valid(toAlias.range) && !semver.valid(fromAlias.range)
      ? { ok: true, type: 'pin' }
      : { ok: true, type: 'major', note: `range changed from "${from}" to "${to}"` };
  }
  if (semver.lt(toVersion, fromVersion)) {
    return { ok: true, type: 'major', note: `downgrade from ${fromVersion} to ${toVersion}` };
  }
  if (semver.prerelease(toVersion)) {
    return { ok: true, type: 'major', note: `${toVersion} is a prerelease` };
  }
  const fromSpan = rangeSpan(fromAlias.range);
  const toSpan = rangeSpan(toAlias.range);
  if (fromSpan !== null && toSpan !== null && SPANS.indexOf(toSpan) > SPANS.indexOf(fromSpan)) {
    return {
      ok: true,
      type: 'major',
      note: `the range widened from "${from}" to "${to}": it now admits ${toSpan === 'unbounded' ? 'every future version' : `new ${toSpan} versions`}`,
    };
  }
  return { ok: true, type: bumpType(fromVersion, toVersion) };
}

/** Which next release an upper bound still admits above the lowest version. */
function reach(low: semver.SemVer, high: semver.SemVer): Span {
  const beyond = (a: number, b: number, rest: number) => a > b + 1 || (a === b + 1 && rest > 0);
  if (beyond(high.major, low.major, high.minor + high.patch)) return 'major';
  if (high.major > low.major) return 'minor';
  if (beyond(high.minor, low.minor, high.patch)) return 'minor';
  return 'patch';
}

/** How far above its lowest version a range reaches (which releases it admits), narrowest first. */
const SPANS = ['exact', 'patch', 'minor', 'major', 'unbounded'] as const;
type Span = (typeof SPANS)[number];

/**
 * The widest reach of a range's alternatives: `1.2.3` is exact, `~1.2.3` admits new patches,
 * `^1.2.3` new minors, `>=1.2.3 <3` new majors, `>=1.2.3` everything.
 */
function rangeSpan(spec: string): Span | null {
  let range: semver.Range;
  try {
    range = new semver.Range(spec.trim().replace(/^v(?=\d)/, ''), { loose: true });
  } catch (error: unknown) {
    if (error instanceof TypeError) return null;
    throw error;
  }
  let widest: Span = 'exact';
  for (const set of range.set) {
    const lower = set.find((c) => c.operator === '>=' || c.operator === '>' || c.operator === '');
    const upper = set.find((c) => c.operator === '<' || c.operator === '<=');
    let span: Span;
    if (set.length === 1 && set[0]!.operator === '' && set[0]!.value !== '') span = 'exact';
    else if (!upper) span = 'unbounded';
    else {
      const low = lower && lower.value !== '' ? lower.semver : new semver.SemVer('0.0.0');
      span = reach(low, upper.semver);
    }
    if (SPANS.indexOf(span) > SPANS.indexOf(widest)) widest = span;
  }
  return widest;
}

/** 0.x versions break on minor bumps (caret semantics), so each level counts one higher. */
function bumpType(from: string, to: string): UpdateType {
  const a = semver.parse(from)!;
  const b = semver.parse(to)!;
  if (a.major !== b.major) return 'major';
  if (a.major === 0) {
    if (a.minor !== b.minor) return 'major';
    if (a.minor === 0) return 'major';
    return 'minor';
  }
  if (a.minor !== b.minor) return 'minor';
  return 'patch';
}

function splitAlias(spec: string): { name: string | null; range: string } {
  if (!spec.startsWith('npm:')) return { name: null, range: spec };
  const body = spec.slice(4);
  const at = body.lastIndexOf('@');
  if (at <= 0) return { name: body, range: '' };
  return { name: body.slice(0, at), range: body.slice(at + 1) };
}

function lowestVersion(range: string): string | null {
  const trimmed = range.trim().replace(/^v(?=\d)/, '');
  if (trimmed === '' || trimmed === '*' || /^[a-z]/i.test(trimmed)) return null;
  let best: string | null = null;
  for (const alternative of trimmed.split('||')) {
    let min: semver.SemVer | null;
    try {
      min = semver.minVersion(alternative.trim(), { loose: true });
    } catch (error: unknown) {
      if (!(error instanceof TypeError)) throw error;
      return null;
    }
    if (!min) return null;
    if (!best || semver.gt(min, best)) best = min.version;
  }
  return best;
}

export function riskiest(types: readonly UpdateType[]): UpdateType | null {
  for (const type of UPDATE_TYPES) if (types.includes(type)) return type;
  return null;
}

export function isUpdateType(value: string): value is UpdateType {
  return (UPDATE_TYPES as readonly string[]).includes(value);
}
