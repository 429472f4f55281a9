import { describe, expect, it } from 'vitest';
import { checkScope } from '../../src/automerge/scope.ts';
import type { PullRequestFile } from '../../src/github/client.ts';

const file = (
  path: string,
  patch: string | null = '',
  status: PullRequestFile['status'] = 'modified',
): PullRequestFile => ({
  path,
  previousPath: null,
  status,
  additions: 1,
  deletions: 1,
  patch,
});

describe('checkScope', () => {
  it('sorts manifests and lockfiles of npm, yarn and pnpm, in any folder', () => {
    const result = checkScope(
      [
        file('package.json'),
        file('packages/a/package.json'),
        file('yarn.lock'),
        file('pnpm-lock.yaml'),
        file('package-lock.json'),
      ],
      [],
    );
    expect(result.problems).toEqual([]);
    expect(result.manifests.map((f) => f.path)).toEqual([
      'package.json',
      'packages/a/package.json',
    ]);
    expect(result.lockfiles).toHaveLength(3);
  });

  it('refuses any other file, and workflows even when allowlisted', () => {
    const result = checkScope(
      [file('src/index.ts'), file('.github/workflows/ci.yml')],
      ['.github/**'],
    );
    expect(result.problems).toEqual([
      'src/index.ts: not a dependency manifest or lockfile',
      '.github/workflows/ci.yml: workflow and action files are never merged automatically',
    ]);
  });

  it('admits other ecosystems through extra-files', () => {
    const result = checkScope([file('go.mod'), file('go.sum')], ['go.mod', 'go.sum']);
    expect(result.problems).toEqual([]);
    expect(result.extra).toHaveLength(2);
  });

  it('refuses added, removed and renamed manifests', () => {
    const result = checkScope(
      [file('package.json', '', 'added'), file('b/package.json', '', 'renamed')],
      [],
    );
    expect(result.problems).toHaveLength(2);
  });
});
