import { parse } from 'yaml';
import type { DependencyChange, DependencyKind } from './manifest-diff.ts';
import { classifyUpdate, type UpdateType } from './update-type.ts';

/**
 * Dependabot writes what it updated into its commit message, a YAML block between `---` and `...`,
 * and "Bumps [x](…) from A to B" / "Updates `x` from A to B" lines above it. Unlike the title and
 * body, a commit message cannot be edited without breaking the signature identity already
 * verified, so it can stand in for a diff Steward cannot read: lockfile-only (transitive) updates
 * and other ecosystems' manifests.
 */
export function changesFromCommitMetadata(messages: readonly string[]): DependencyChange[] {
  const changes = new Map<string, DependencyChange>();
  for (const message of messages) {
    for (const entry of metadataEntries(message)) {
      const name = entry['dependency-name'];
      if (typeof name !== 'string') continue;
      const change = toChange(name, entry, message);
      if (change) changes.set(name, change);
    }
  }
  return [...changes.values()];
}

/** Stands where a manifest path would, for changes read from commit metadata. */
export const METADATA_MANIFEST = '(signed commit metadata)';

const KINDS: Record<string, DependencyKind> = {
  'direct:production': 'dependencies',
  'direct:development': 'devDependencies',
  indirect: 'dependencies',
};

function toChange(
  name: string,
  entry: Record<string, unknown>,
  message: string,
): DependencyChange | null {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const fromTo = new RegExp(
    `(?:Bumps \\[${escaped}\\]\\([^)]*\\)|Updates \`${escaped}\`) from (\\S+?) to (\\S+?)\\.?(?:\\s|$)`,
  ).exec(message);
  const to = String(entry['dependency-version'] ?? fromTo?.[2] ?? '');
  let updateType: UpdateType | null = null;
  let note: string | undefined;
  if (fromTo) {
    const result = classifyUpdate(fromTo[1]!, fromTo[2]!);
    if (result.ok) {
      updateType = result.type;
      note = result.note;
    }
  }
  if (!updateType) {
    const claimed = /semver-(major|minor|patch)$/.exec(String(entry['update-type'] ?? ''))?.[1] as
      UpdateType | undefined;
    if (!claimed) return null;
    // Without the old version the 0.x rule cannot be applied: fail towards the riskier type.
    updateType = claimed !== 'patch' && /^v?0\./.test(to) ? 'major' : claimed;
  }
  const change: DependencyChange = {
    manifest: METADATA_MANIFEST,
    name,
    section: String(entry['dependency-type'] ?? 'indirect'),
    kind: KINDS[String(entry['dependency-type'])] ?? 'dependencies',
    from: fromTo?.[1] ?? '?',
    to,
    updateType,
  };
  if (note) change.note = note;
  return change;
}

function metadataEntries(message: string): Record<string, unknown>[] {
  const block = /^---\s*\n([\s\S]*?)^\.\.\.\s*$/m.exec(message)?.[1];
  if (!block) return [];
  try {
    const parsed: unknown = parse(block);
    const list = (parsed as { 'updated-dependencies'?: unknown } | null)?.['updated-dependencies'];
    return Array.isArray(list)
      ? list.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
      : [];
  } catch (error: unknown) {
    if (error instanceof Error && error.name.startsWith('YAML')) return [];
    throw error;
  }
}
