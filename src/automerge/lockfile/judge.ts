import semver from 'semver';
import type { LockEntry } from './entry.ts';

/** A registry package version a lockfile change brings in: its release age is checked. */
export interface LockedVersion {
  name: string;
  version: string;
}

export interface LockfileJudgement {
  problems: string[];
  /** Versions that are new in the lockfile (changed or added entries). */
  newVersions: LockedVersion[];
}

export interface JudgeContext {
  /** The configured registry and the two public ones its URLs may also name. */
  registries: readonly string[];
  /** Names of dependencies the pull request's changed manifests ask for. */
  manifestNames: ReadonlySet<string>;
}

/**
 * Every entry that a lockfile change adds or alters must come from the registry over https, from a
 * URL that names its own package and version; an integrity or checksum changes only with the
 * version; no entry gains an install script; and a package new to the lockfile must be asked for by
 * a changed manifest or by a package the change brings in.
 */
export function judgeLockfileChange(
  path: string,
  before: ReadonlyMap<string, LockEntry>,
  after: ReadonlyMap<string, LockEntry>,
  context: JudgeContext,
): LockfileJudgement {
  const problems: string[] = [];
  const newVersions: LockedVersion[] = [];
  const namesBefore = new Set([...before.values()].map((e) => e.name));
  // Which registry package each installed name stood for: an alias may not appear or switch silently.
  const targetsBefore = new Set([...before.values()].map((e) => `${e.name}→${e.packageName}`));
  const scriptsBefore = new Set(
    [...before.values()].filter((e) => e.hasInstallScript).map((e) => e.packageName),
  );
  const integrityBefore = new Map<string, string | null>();
  const dependenciesBefore = new Map<string, string>();
  for (const e of before.values()) {
    integrityBefore.set(buildId(e), e.integrity);
    dependenciesBefore.set(buildId(e), e.dependencies.join(', '));
  }
  const touched = [...after.values()].filter((entry) => !sameEntry(before.get(entry.key), entry));
  const askedFor = new Set(context.manifestNames);
  for (const entry of touched) for (const name of entry.dependencies) askedFor.add(name);

  for (const entry of touched) {
    const id = buildId(entry);
    const label = `${path}: ${entry.name}@${entry.version || '(no version)'}`;
    if (entry.source.kind === 'other') {
      problems.push(`${label} resolves from ${entry.source.what}, not the registry`);
      continue;
    }
    if (!semver.valid(entry.version)) {
      problems.push(`${label}: "${entry.version}" is not a registry version`);
      continue;
    }
    if (
      entry.packageName !== entry.name &&
      !targetsBefore.has(`${entry.name}→${entry.packageName}`)
    ) {
      problems.push(
        `${label} now installs the package ${entry.packageName} under the name ${entry.name}; an alias the lockfile did not have before`,
      );
      continue;
    }
    const previous = before.get(entry.key);
    if (previous && previous.packageName !== entry.packageName) {
      problems.push(
        `${label} now resolves to ${entry.packageName} instead of ${previous.packageName}`,
      );
      continue;
    }
    if (entry.source.url !== null) {
      const wrong = urlProblem(entry, entry.source.url, context.registries);
      if (wrong) problems.push(`${label}: ${wrong}`);
    }
    const known = integrityBefore.has(id);
    const oldIntegrity = integrityBefore.get(id) ?? null;
    if (known && oldIntegrity !== entry.integrity) {
      problems.push(
        `${label}: integrity changed from ${oldIntegrity ?? 'none'} to ${entry.integrity ?? 'none'} while the version stayed the same`,
      );
    }
    // A published version's dependencies never change: a new one here is injected, not updated.
    const oldDependencies = dependenciesBefore.get(id);
    if (oldDependencies !== undefined && oldDependencies !== entry.dependencies.join(', ')) {
      problems.push(
        `${label}: its dependencies changed from [${oldDependencies}] to [${entry.dependencies.join(', ')}] while the version stayed the same`,
      );
    }
    if (entry.hasInstallScript && !scriptsBefore.has(entry.packageName)) {
      problems.push(`${label} gains an install script (hasInstallScript)`);
    }
    if (!namesBefore.has(entry.name) && !askedFor.has(entry.name)) {
      problems.push(
        `${label} is new to the lockfile, and no changed manifest or updated package asks for it`,
      );
    }
    if (!known) newVersions.push({ name: entry.packageName, version: entry.version });
  }
  return { problems: bounded(path, problems), newVersions };
}

/** Lockfile text is the pull request's: keep what it can make Steward write short. */
const MAX_PROBLEMS = 20;
const MAX_PROBLEM_LENGTH = 400;

function bounded(path: string, problems: string[]): string[] {
  const shown = problems
    .slice(0, MAX_PROBLEMS)
    .map((p) => (p.length > MAX_PROBLEM_LENGTH ? `${p.slice(0, MAX_PROBLEM_LENGTH)}…` : p));
  if (problems.length > MAX_PROBLEMS)
    shown.push(`${path}: ${problems.length - MAX_PROBLEMS} more entries refused`);
  return shown;
}

/** One build of a package version: its hash and dependencies never change. */
function buildId(entry: LockEntry): string {
  return `${entry.packageName}@${entry.version}${entry.variant ? `#${entry.variant}` : ''}`;
}

function sameEntry(a: LockEntry | undefined, b: LockEntry): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** Why a tarball URL is not `<registry>/<package>/-/<unscoped name>-<version>.tgz`, or null. */
function urlProblem(entry: LockEntry, url: string, registries: readonly string[]): string | null {
  if (!url.startsWith('https://')) return `resolves over ${url.split(':')[0]}, not https (${url})`;
  const unscoped = entry.packageName.slice(entry.packageName.lastIndexOf('/') + 1);
  const tail = `${entry.packageName}/-/${unscoped}-${entry.version}.tgz`;
  const tails = [tail, tail.replace('/', '%2f'), tail.replace('/', '%2F')];
  const ok = registries.some((registry) =>
    tails.some((t) => url === `${registry.replace(/\/+$/, '')}/${t}`),
  );
  if (ok) return null;
  const onRegistry = registries.some((r) => url.startsWith(r.replace(/\/+$/, '') + '/'));
  return onRegistry
    ? `resolved ${url} is not the tarball of ${entry.packageName}@${entry.version}`
    : `resolved ${url} is outside the registry`;
}
