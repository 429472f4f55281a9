import { describe, expect, it } from 'vitest';
import {
  DiffParseError,
  fromPullRequestFiles,
  hunkAt,
  rightText,
} from '../../src/diff/review-file.ts';
import type { PullRequestFile } from '../../src/github/client.ts';

const base: PullRequestFile = {
  path: 'a.ts',
  previousPath: null,
  status: 'modified',
  additions: 1,
  deletions: 1,
  patch: '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -10,2 +10,3 @@\n j\n+k\n l',
};

describe('fromPullRequestFiles', () => {
  it('gives commentable lines on each side from the patch', () => {
    const [file] = fromPullRequestFiles([base]);
    expect(file!.commentable.RIGHT).toEqual(new Set([1, 2, 3, 10, 11, 12]));
    expect(file!.commentable.LEFT).toEqual(new Set([1, 2, 3, 10, 11]));
    expect(file).toMatchObject({ binary: false, patchOmitted: false });
  });

  it('tells an omitted large patch from a binary file by the line counts', () => {
    const [large, binary, renamed] = fromPullRequestFiles([
      { ...base, patch: null, additions: 9000 },
      { ...base, path: 'x.png', patch: null, additions: 0, deletions: 0 },
      {
        ...base,
        status: 'renamed',
        previousPath: 'old.ts',
        patch: null,
        additions: 0,
        deletions: 0,
      },
    ]);
    expect(large).toMatchObject({ patchOmitted: true, binary: false });
    expect(binary).toMatchObject({ patchOmitted: false, binary: true });
    expect(renamed).toMatchObject({ patchOmitted: false, binary: false, previousPath: 'old.ts' });
  });

  it('refuses a malformed patch, naming the file', () => {
    expect(() => fromPullRequestFiles([{ ...base, patch: '@@ -1 +1 @@\n*x' }])).toThrow(
      new DiffParseError('a.ts: patch line 2: unexpected marker "*"'),
    );
  });
});

describe('hunkAt and rightText', () => {
  const [file] = fromPullRequestFiles([base]);
  it('finds the hunk holding a new-side line, and none between hunks', () => {
    expect(hunkAt(file!, 2)?.newStart).toBe(1);
    expect(hunkAt(file!, 12)?.newStart).toBe(10);
    expect(hunkAt(file!, 5)).toBeUndefined();
    expect(hunkAt(file!, 11, 'LEFT')).toBeDefined();
    expect(hunkAt(file!, 12, 'LEFT')).toBeUndefined();
  });

  it('returns the new text of a range, or null when part of it is outside the diff', () => {
    expect(rightText(file!, 1, 3)).toEqual(['a', 'B', 'c']);
    expect(rightText(file!, 3, 10)).toBeNull();
  });
});
