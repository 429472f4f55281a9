import picomatch from 'picomatch';
import type { AutoMergeConfig } from './settings.ts';
import type { DependencyChange } from './manifest-diff.ts';

/**
 * Whether each changed dependency's update type is allowed for its kind (with `@types/*` under
 * their own list), by the allow and deny name patterns, and for security updates by the wider
 * security list.
 */
export function checkPolicy(
  changes: readonly DependencyChange[],
  config: Pick<AutoMergeConfig, 'updateTypes' | 'allow' | 'deny' | 'security'>,
  isSecurityUpdate: boolean,
): string[] {
  const denied = config.deny.length > 0 ? picomatch(config.deny) : () => false;
  const allowed = config.allow.length > 0 ? picomatch(config.allow) : () => true;
  const problems: string[] = [];
  for (const change of changes) {
    const name = change.name.split(' > ').at(-1)!;
    if (denied(name)) {
      problems.push(`${name} matches the deny list`);
      continue;
    }
    if (!allowed(name)) {
      problems.push(`${name} is not on the allow list`);
      continue;
    }
    const isTypes = name.startsWith('@types/');
    const listName = isTypes ? 'types' : change.kind;
    const types: readonly string[] = isTypes
      ? config.updateTypes.types
      : config.updateTypes[change.kind];
    if (types.includes(change.updateType)) continue;
    if (isSecurityUpdate && config.security.updateTypes.includes(change.updateType)) continue;
    problems.push(
      `${name} ${change.from} → ${change.to} is a ${change.updateType} update; ${listName} allow ${types.join(', ') || 'none'}${isSecurityUpdate ? ` (security updates also allow ${config.security.updateTypes.join(', ')})` : ''}`,
    );
  }
  return problems;
}

/** Renovate labels vulnerability fixes and suffixes their titles; Dependabot's security PRs say so. */
export function isSecurityUpdate(title: string, labels: readonly string[]): boolean {
  return labels.some((label) => label.toLowerCase() === 'security') || /\[security\]/i.test(title);
}
