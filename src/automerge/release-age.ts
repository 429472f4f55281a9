import type { DependencyChange } from './manifest-diff.ts';

/** When each version was published, as the registry answered, or why it could not answer. */
export type PublishTimes = Map<string, { ok: true; time: Date } | { ok: false; reason: string }>;

export function publishKey(name: string, version: string): string {
  return `${name}@${version}`;
}

/**
 * A new version must have been public for the minimum age, so a compromised release has time to
 * be found and yanked before it lands. A registry that cannot be asked blocks the merge.
 */
export function checkReleaseAge(
  changes: readonly DependencyChange[],
  times: PublishTimes,
  minimumHours: number,
  now: Date,
  locked: readonly { name: string; version: string }[] = [],
): { problems: string[]; young: string[] } {
  const problems: string[] = [];
  const young: string[] = [];
  if (minimumHours <= 0) return { problems, young };
  // The manifest's floors and the lockfile's installed versions (transitive ones included), once each.
  const wanted = new Map<string, { name: string; version: string | null; spec: string }>();
  for (const change of changes) {
    if (change.updateType === 'digest') continue;
    const name = change.name.split(' > ').at(-1)!;
    const version = exactVersion(change.to);
    wanted.set(version ? publishKey(name, version) : `${name} ${change.to}`, {
      name,
      version,
      spec: change.to,
    });
  }
  for (const { name, version } of locked)
    wanted.set(publishKey(name, version), { name, version, spec: version });
  for (const { name, version, spec } of wanted.values()) {
    const entry = version ? times.get(publishKey(name, version)) : undefined;
    if (!entry) {
      problems.push(`${name}: no publish time for "${spec}"`);
      continue;
    }
    if (!entry.ok) {
      problems.push(`${name}@${version}: ${entry.reason}`);
      continue;
    }
    const ageHours = (now.getTime() - entry.time.getTime()) / 3_600_000;
    if (ageHours < minimumHours) {
      young.push(
        `${name}@${version} was published ${formatHours(ageHours)} ago; the minimum release age is ${formatHours(minimumHours)}`,
      );
    }
  }
  return { problems, young };
}

/** The version a specifier admits first: "^1.2.3" → "1.2.3". */
export function exactVersion(spec: string): string | null {
  const match = /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(spec);
  return match ? match[1]! : null;
}

function formatHours(hours: number): string {
  if (hours >= 48) return `${Math.floor(hours / 24)} days`;
  if (hours >= 2) return `${Math.floor(hours)} hours`;
  if (hours >= 1) return '1 hour';
  return `${Math.max(0, Math.floor(hours * 60))} minutes`;
}
