import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseGitDiff } from '../../src/diff/git-diff.ts';
import { commentableLines, parsePatch } from '../../src/diff/review-file.ts';
import type { ReviewFile } from '../../src/diff/review-file.ts';
import {
  changedLines,
  mergeLines,
  mutateMatcher,
  mutateRangeSpec,
  scopeFromDiff,
  shardRanges,
  STRYKER_DEFAULT_MUTATE,
} from '../../src/mutation/scope.ts';
import type { MutateRange } from '../../src/mutation/scope.ts';

function file(path: string, patch: string, status: ReviewFile['status'] = 'modified'): ReviewFile {
  const hunks = parsePatch(patch, path);
  return {
    path,
    previousPath: null,
    status,
    binary: false,
    patch,
    patchOmitted: false,
    commentable: commentableLines(hunks),
    hunks,
  };
}

/** A patch replacing line 2, adding lines 5-6 and 8 of a ten-line file. */
const PATCH = [
  '@@ -1,3 +1,3 @@',
  ' a',
  '-b',
  '+B',
  ' c',
  '@@ -4,4 +4,6 @@',
  ' d',
  '+e1',
  '+e2',
  ' f',
  '+g1',
  ' h',
  '-i',
].join('\n');

describe('scope from the diff', () => {
  it('turns added and changed lines into merged Stryker ranges', () => {
    const scope = scopeFromDiff([file('src/app.ts', PATCH)], null);
    expect(scope.kind).toBe('ranges');
    if (scope.kind !== 'ranges') return;
    expect(scope.ranges.map(mutateRangeSpec)).toEqual([
      'src/app.ts:2-2',
      'src/app.ts:5-6',
      'src/app.ts:8-8',
    ]);
  });

  it('reads a real git diff', () => {
    const diff = [
      'diff --git a/src/math.ts b/src/math.ts',
      'index 1111111..2222222 100644',
      '--- a/src/math.ts',
      '+++ b/src/math.ts',
      '@@ -1,2 +1,3 @@',
      ' export function add(a: number, b: number) {',
      '-  return a - b;',
      '+  if (a > 10) return a;',
      '+  return a + b;',
      'diff --git a/src/gone.ts b/src/gone.ts',
      'deleted file mode 100644',
      'index 1111111..0000000',
      '--- a/src/gone.ts',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-export const x = 1;',
      'diff --git a/src/math.test.ts b/src/math.test.ts',
      'index 1111111..2222222 100644',
      '--- a/src/math.test.ts',
      '+++ b/src/math.test.ts',
      '@@ -1 +1 @@',
      '-old',
      '+new',
      '',
    ].join('\n');
    const scope = scopeFromDiff(parseGitDiff(diff), null);
    expect(scope).toEqual({
      kind: 'ranges',
      ranges: [{ path: 'src/math.ts', startLine: 2, endLine: 3 }],
      skipped: [
        { path: 'src/gone.ts', reason: 'deleted' },
        { path: 'src/math.test.ts', reason: 'a test file' },
      ],
    });
  });

  it('never mutates tests, declarations, generated, minified, vendored or non-source files', () => {
    const add = '@@ -0,0 +1 @@\n+x';
    const paths = [
      'src/a.spec.ts',
      'src/__tests__/a.ts',
      'src/test/helpers.ts',
      'src/types.d.ts',
      'src/api.generated.ts',
      'src/__generated__/schema.ts',
      'src/vendor/lib.js',
      'src/app.min.js',
      'src/README.md',
      'src/data.json',
      'test/a.ts',
      'src/.hidden/a.ts',
      'src/[id].ts',
      '../outside/src/a.ts',
    ];
    const scope = scopeFromDiff(
      paths.map((p) => file(p, add, 'added')),
      null,
    );
    expect(scope.kind).toBe('nothing-to-mutate');
    expect(scope.skipped.map((s) => s.path).sort()).toEqual([...paths].sort());
    expect(scope).toMatchObject({
      message: 'nothing to mutate: no changed file is source code Stryker mutates',
    });
  });

  it('says nothing to mutate for an empty diff and for deletions only', () => {
    expect(scopeFromDiff([], null)).toEqual({
      kind: 'nothing-to-mutate',
      message: 'nothing to mutate: the pull request changes no files',
      skipped: [],
    });
    const deletion = file('src/a.ts', '@@ -1,2 +1 @@\n a\n-b');
    expect(scopeFromDiff([deletion], null)).toMatchObject({
      kind: 'nothing-to-mutate',
      message: 'nothing to mutate: the changed source files add or change no lines',
    });
  });

  it("follows the project's mutate patterns in order, excludes taking files back", () => {
    const add = '@@ -0,0 +1 @@\n+x';
    const files = ['app/a.ts', 'app/cli/b.ts', 'src/c.ts'].map((p) => file(p, add, 'added'));
    const scope = scopeFromDiff(files, ['app/**/*.ts', '!app/cli/**']);
    expect(scope.kind === 'ranges' && scope.ranges.map((r) => r.path)).toEqual(['app/a.ts']);
    expect(scope.skipped).toEqual([
      { path: 'app/cli/b.ts', reason: 'not matched by the Stryker mutate patterns' },
      { path: 'src/c.ts', reason: 'not matched by the Stryker mutate patterns' },
    ]);
  });

  it("reads Stryker's default mutate patterns as Stryker does", () => {
    const matches = mutateMatcher(STRYKER_DEFAULT_MUTATE);
    expect(matches('src/a.ts')).toBe(true);
    expect(matches('lib/deep/b.mjs')).toBe(true);
    expect(matches('src/a.spec.ts')).toBe(false);
    expect(matches('src/a.Test.js')).toBe(false);
    expect(matches('src/__tests__/a.ts')).toBe(false);
    expect(matches('app/a.ts')).toBe(false);
    // A project pattern with a range counts for its file.
    expect(mutateMatcher(['src/a.ts:1-5'])('src/a.ts')).toBe(true);
  });

  it('skips a file whose patch GitHub omitted, saying why', () => {
    const omitted = {
      ...file('src/a.ts', '@@ -0,0 +1 @@\n+x'),
      patch: null,
      hunks: [],
      patchOmitted: true,
    };
    expect(scopeFromDiff([omitted], null).skipped).toEqual([
      { path: 'src/a.ts', reason: 'the diff is too large for GitHub to show its lines' },
    ]);
  });
});

/** A hunk list built from a set of lines the new side adds, in a file of `length` lines. */
const addedLines = fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { maxLength: 60 });

function patchAdding(lines: readonly number[], length = 200): string {
  const added = new Set(lines);
  const rows = [];
  let oldCount = 0;
  for (let n = 1; n <= length; n++) {
    if (added.has(n)) rows.push(`+new ${n}`);
    else {
      rows.push(` old ${n}`);
      oldCount++;
    }
  }
  return [`@@ -1,${oldCount} +1,${length} @@`, ...rows].join('\n');
}

describe('scope properties', () => {
  test.prop([addedLines])(
    'ranges cover exactly the changed lines, sorted, never overlapping',
    (lines) => {
      const scope = scopeFromDiff([file('src/a.ts', patchAdding(lines))], null);
      if (lines.length === 0) {
        expect(scope.kind).toBe('nothing-to-mutate');
        return;
      }
      expect(scope.kind).toBe('ranges');
      if (scope.kind !== 'ranges') return;
      const covered = scope.ranges.flatMap((r) =>
        Array.from({ length: r.endLine - r.startLine + 1 }, (_, i) => r.startLine + i),
      );
      expect(covered).toEqual([...lines].sort((a, b) => a - b));
      scope.ranges.forEach((r, i) => {
        expect(r.startLine).toBeLessThanOrEqual(r.endLine);
        const next = scope.ranges[i + 1];
        // Sorted, and a gap of at least one line between ranges (adjacent lines merged).
        if (next !== undefined) expect(next.startLine).toBeGreaterThan(r.endLine + 1);
      });
    },
  );

  test.prop([addedLines])('changedLines reads the added lines of the patch', (lines) => {
    expect(changedLines(file('src/a.ts', patchAdding(lines)))).toEqual(
      [...lines].sort((a, b) => a - b),
    );
  });

  test.prop([fc.array(fc.integer({ min: 1, max: 1000 }))])(
    'mergeLines is idempotent over its lines',
    (lines) => {
      const merged = mergeLines(lines);
      const back = merged.flatMap((r) =>
        Array.from({ length: r.endLine - r.startLine + 1 }, (_, i) => r.startLine + i),
      );
      expect(mergeLines(back)).toEqual(merged);
    },
  );

  const rangesArb = fc
    .array(
      fc.record({
        path: fc.constantFrom('src/a.ts', 'src/b.ts', 'lib/c.js'),
        startLine: fc.integer({ min: 1, max: 100 }),
        length: fc.integer({ min: 0, max: 20 }),
      }),
      { maxLength: 30 },
    )
    .map((rows): MutateRange[] =>
      rows.map((r) => ({ path: r.path, startLine: r.startLine, endLine: r.startLine + r.length })),
    );

  test.prop([rangesArb, fc.integer({ min: 1, max: 6 })])(
    'shards partition the ranges: every range in exactly one shard',
    (ranges, count) => {
      const shards = Array.from({ length: count }, (_, i) => shardRanges(ranges, i + 1, count));
      const all = shards.flat().map(mutateRangeSpec).sort();
      expect(all).toEqual(ranges.map(mutateRangeSpec).sort());
      expect(shardRanges(ranges, 1, count)).toEqual(shards[0]);
    },
  );

  it('rejects a shard outside 1..N', () => {
    expect(() => shardRanges([], 0, 2)).toThrow(/1 ≤ I ≤ N, got 0\/2/);
    expect(() => shardRanges([], 3, 2)).toThrow(RangeError);
  });
});

describe('paths Stryker would read as globs', () => {
  const add = '@@ -0,0 +1 @@\n+x';
  it.each([
    ['src/[id].ts', true],
    ['src/a?.ts', true],
    ['src/@(x).ts', true],
    ['src/{a,b}.ts', true],
    ['src/a\\b.ts', true],
    ['src/@core/a.ts', false],
    ['src/c++.ts', false],
    ['src/a(1).ts', false],
    ['src/$x.ts', false],
    ['src/a b.ts', false],
  ])('%s skipped: %s', (path, skipped) => {
    const scope = scopeFromDiff([file(path, add, 'added')], ['src/**']);
    expect(scope.kind === 'nothing-to-mutate').toBe(skipped);
    if (skipped) expect(scope.skipped[0]!.reason).toMatch(/glob characters/);
  });
});
