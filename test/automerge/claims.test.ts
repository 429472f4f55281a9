import { describe, expect, it } from 'vitest';
import { disagreeingClaims, readClaims } from '../../src/automerge/claims.ts';

describe('readClaims', () => {
  it('reads Dependabot titles and commit metadata', () => {
    expect(readClaims('chore(deps): bump lodash from 4.17.20 to 4.17.21', '', [])).toEqual([
      { updateType: 'patch', source: 'title "chore(deps): bump lodash from 4.17.20 to 4.17.21"' },
    ]);
    const message =
      'Bump x\n---\nupdated-dependencies:\n- dependency-name: x\n  update-type: version-update:semver-minor\n...';
    expect(readClaims('Bump x', '', [message])).toEqual([
      { updateType: 'minor', source: 'the commit message metadata' },
    ]);
  });

  it('reads Renovate titles and the Update column', () => {
    expect(readClaims('chore(deps): update dependency react to v19', '', [])[0]?.updateType).toBe(
      'major',
    );
    expect(readClaims('Update all non-major dependencies (minor)', '', [])[0]?.updateType).toBe(
      'minor',
    );
    const body =
      '| Package | Type | Update | Change |\n|---|---|---|---|\n| lodash | dependencies | patch | `4.17.20` -> `4.17.21` |';
    expect(readClaims('Update dependency lodash to v4.17.21', body, [])).toEqual([
      { updateType: 'patch', source: 'the Update column of the body' },
    ]);
  });

  it('names what disagrees with the diff', () => {
    const claims = readClaims('Bump react from 18.2.0 to 18.2.1', '', []);
    expect(disagreeingClaims(claims, 'major')).toEqual(claims);
    expect(disagreeingClaims(claims, 'patch')).toEqual([]);
  });
});
