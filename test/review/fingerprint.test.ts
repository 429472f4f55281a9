import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { anchorFindings } from '../../src/review/anchor.ts';
import type { Finding } from '../../src/review/anchor.ts';
import { fromPullRequestFiles } from '../../src/diff/review-file.ts';
import {
  fingerprint,
  formatReviewMarker,
  hiddenMarker,
  normaliseTitle,
  parseMarkers,
  parseReviewMarker,
  partitionPosted,
  reviewRange,
} from '../../src/review/fingerprint.ts';
import { githubPatch } from '../support/patch.ts';

describe('fingerprint', () => {
  const base = {
    path: 'src/a.ts',
    title: 'Possible null dereference',
    code: ['  if (user.name) {'],
  };

  it('ignores case, punctuation and whitespace in the title, and indentation in the code', () => {
    expect(
      fingerprint({
        path: 'src/a.ts',
        title: '  possible NULL dereference!',
        code: 'if (user.name)   {',
      }),
    ).toBe(fingerprint(base));
    expect(normaliseTitle('Don’t   call `eval()`, ever.')).toBe('dont call eval ever');
  });

  it('changes with the path, the meaning of the title or the code', () => {
    const fp = fingerprint(base);
    expect(fingerprint({ ...base, path: 'src/b.ts' })).not.toBe(fp);
    expect(fingerprint({ ...base, title: 'Possible undefined dereference' })).not.toBe(fp);
    expect(fingerprint({ ...base, code: 'if (user.email) {' })).not.toBe(fp);
  });
});

describe('markers', () => {
  test.prop([fc.stringMatching(/^[0-9a-f]{20}$/), fc.string(), fc.string()])(
    'a finding marker reads back from its first line only, whatever follows or precedes it',
    (fp, prefix, suffix) => {
      expect(parseMarkers(`${hiddenMarker(fp)}\n${suffix}`)).toEqual([fp]);
      expect(parseMarkers(`${prefix}\n${hiddenMarker(fp)}\n${suffix}`)).toEqual([]);
    },
  );

  it('reads the last reviewed SHA from the summary, and refuses a non-SHA', () => {
    const sha = 'a'.repeat(40);
    expect(parseReviewMarker(`## Steward review\n${formatReviewMarker(sha)}\n`)).toBe(sha);
    expect(parseReviewMarker('no marker')).toBeNull();
    expect(() => formatReviewMarker('main')).toThrow(/not a commit SHA/);
    expect(() => hiddenMarker('--> <script>')).toThrow(/not a finding fingerprint/);
  });
});

describe('reruns', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `const v${i} = compute(${i});`);
  const text = (rows: string[]) => rows.map((r) => r + '\n').join('');
  const changed = lines.map((l, i) => (i === 10 ? 'const v10 = compute(10) as any;' : l));
  const findings: Finding[] = [
    {
      path: 'a.ts',
      line: 11,
      severity: 'major',
      category: 'types',
      title: 'Avoid `any`',
      body: 'Use a type.',
    },
  ];
  const review = (before: string[], after: string[], found: Finding[]) => {
    const files = fromPullRequestFiles([
      {
        path: 'a.ts',
        previousPath: null,
        status: 'modified',
        additions: 1,
        deletions: 1,
        patch: githubPatch(text(before), text(after)),
      },
    ]);
    return anchorFindings(found, files, { contents: new Map([['a.ts', text(after)]]) });
  };

  it('skips a finding already posted when the rerun reports it again', () => {
    const first = review(lines, changed, findings);
    const bodies = first.inline.map((f) => `${hiddenMarker(f.fingerprint)}\n${f.body}`);
    const second = review(lines, changed, findings);
    expect(partitionPosted(second.inline, bodies)).toEqual({
      fresh: [],
      alreadyPosted: second.inline,
    });
  });

  it('recognises the finding after its line moved down', () => {
    const first = review(lines, changed, findings);
    const bodies = first.inline.map((f) => hiddenMarker(f.fingerprint));
    const moved = ['// header', '// more', '', ...changed];
    const second = review(lines, moved, [{ ...findings[0]!, line: 14 }]);
    expect(second.inline[0]!.line).toBe(14);
    expect(partitionPosted(second.inline, bodies).fresh).toEqual([]);
  });

  it('treats the same title on different code as new', () => {
    const first = review(lines, changed, findings);
    const bodies = first.inline.map((f) => hiddenMarker(f.fingerprint));
    const twice = changed.map((l, i) => (i === 20 ? 'const v20 = compute(20) as any;' : l));
    const second = review(lines, twice, [...findings, { ...findings[0]!, line: 21 }]);
    expect(partitionPosted(second.inline, bodies).fresh.map((f) => f.line)).toEqual([21]);
  });
});

describe('reviewRange', () => {
  it('reviews everything the first time or when asked, nothing when head is reviewed, else the new commits', () => {
    expect(reviewRange({ lastReviewedSha: null, headSha: 'b' })).toEqual({
      kind: 'full',
      reason: 'no earlier review',
    });
    expect(reviewRange({ lastReviewedSha: 'a', headSha: 'b', full: true }).kind).toBe('full');
    expect(reviewRange({ lastReviewedSha: 'b', headSha: 'b' })).toEqual({ kind: 'unchanged' });
    expect(reviewRange({ lastReviewedSha: 'a', headSha: 'b' })).toEqual({
      kind: 'since',
      base: 'a',
    });
  });
});
