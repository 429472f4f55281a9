import { describe, expect, it } from 'vitest';
import { checkPolicy, isSecurityUpdate } from '../../src/automerge/policy.ts';
import type { DependencyChange } from '../../src/automerge/manifest-diff.ts';
import type { UpdateType } from '../../src/automerge/update-type.ts';

const config = {
  updateTypes: {
    dependencies: ['patch', 'minor'] as UpdateType[],
    devDependencies: ['patch', 'minor', 'major'] as UpdateType[],
    optionalDependencies: ['patch'] as UpdateType[],
    peerDependencies: [] as UpdateType[],
    types: ['patch', 'minor', 'major'] as UpdateType[],
  },
  allow: [] as string[],
  deny: ['react*'],
  security: { updateTypes: ['patch', 'minor', 'major'] as UpdateType[] },
};
const change = (
  name: string,
  updateType: UpdateType,
  kind: DependencyChange['kind'] = 'dependencies',
): DependencyChange => ({
  manifest: 'package.json',
  name,
  section: kind,
  kind,
  from: '1.0.0',
  to: '2.0.0',
  updateType,
});

describe('checkPolicy', () => {
  it('allows update types per dependency kind', () => {
    expect(
      checkPolicy([change('a', 'minor'), change('b', 'major', 'devDependencies')], config, false),
    ).toEqual([]);
    expect(checkPolicy([change('a', 'major')], config, false)).toEqual([
      'a 1.0.0 → 2.0.0 is a major update; dependencies allow patch, minor',
    ]);
    expect(checkPolicy([change('p', 'patch', 'peerDependencies')], config, false)[0]).toMatch(
      /peerDependencies allow none/,
    );
  });

  it('gives @types/* their own list', () => {
    expect(checkPolicy([change('@types/node', 'major')], config, false)).toEqual([]);
  });

  it('applies deny and allow patterns by package name', () => {
    expect(checkPolicy([change('react-dom', 'patch')], config, false)).toEqual([
      'react-dom matches the deny list',
    ]);
    expect(
      checkPolicy([change('lodash', 'patch')], { ...config, allow: ['@myorg/*'] }, false),
    ).toEqual(['lodash is not on the allow list']);
  });

  it('widens the types for security updates', () => {
    expect(checkPolicy([change('a', 'major')], config, true)).toEqual([]);
  });
});

describe('isSecurityUpdate', () => {
  it('reads the security label and Renovate’s [SECURITY] suffix', () => {
    expect(isSecurityUpdate('Update dependency x to v1.2.3 [SECURITY]', [])).toBe(true);
    expect(isSecurityUpdate('Bump x from 1 to 2', ['dependencies', 'Security'])).toBe(true);
    expect(isSecurityUpdate('Bump x from 1 to 2', ['dependencies'])).toBe(false);
  });
});
