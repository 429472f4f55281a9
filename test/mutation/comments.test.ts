import { describe, expect, it } from 'vitest';
import { planComments, suppressionsFrom } from '../../src/mutation/comments.ts';
import type { PostedComment } from '../../src/mutation/comments.ts';
import { mutationResult } from '../../src/mutation/result.ts';
import { survivorsOf } from '../../src/mutation/survivors.ts';
import { defaultMutationConfig } from '../../src/mutation/settings.ts';
import type { MutateRange } from '../../src/mutation/scope.ts';
import { realMathReport } from './report-fixtures.ts';

const real = realMathReport;
const RANGES: MutateRange[] = [{ path: 'src/math.ts', startLine: 2, endLine: 9 }];

function run(head = real, suppressed = suppressionsFrom([])) {
  return mutationResult({ ranges: RANGES, head, config: defaultMutationConfig(), suppressed });
}

function asPosted(bodies: readonly string[], extra: Partial<PostedComment> = {}): PostedComment[] {
  return bodies.map((body, i) => ({
    id: 100 + i,
    body,
    bySteward: true,
    thumbsDown: 0,
    thumbsUp: 0,
    ...extra,
  }));
}

function allPrints(report = real): Set<string> {
  const prints = new Set(survivorsOf(report).map((s) => s.fingerprint));
  // What the result hands the face is the same set, for the changed lines.
  expect(run(report).surviving).toEqual(prints);
  return prints;
}

describe('a rerun', () => {
  it('posts nothing twice', () => {
    const first = run();
    const posted = asPosted(first.comments.map((c) => c.body));
    const plan = planComments(run().comments, posted, allPrints());
    expect(plan).toEqual({ post: [], kept: [100, 101, 102], resolve: [] });
  });

  it('resolves the comment of a mutant a new test kills, and keeps the others', () => {
    const posted = asPosted(run().comments.map((c) => c.body));
    const fixed = structuredClone(real);
    for (const m of fixed.files['src/math.ts']!.mutants)
      if (m.location.start.line === 9 && m.status === 'Survived') m.status = 'Killed';
    const plan = planComments(run(fixed).comments, posted, allPrints(fixed));
    expect(plan).toEqual({ post: [], kept: [100, 101], resolve: [102] });
  });

  it('does not resolve a comment only because a cap now leaves its survivor out', () => {
    const posted = asPosted(run().comments.map((c) => c.body));
    const none = mutationResult({
      ranges: RANGES,
      head: real,
      config: { ...defaultMutationConfig(), maxComments: 0 },
    });
    expect(planComments(none.comments, posted, allPrints())).toEqual({
      post: [],
      kept: [100, 101, 102],
      resolve: [],
    });
  });

  it('ignores markers in comments Steward did not write', () => {
    const forged = asPosted(
      run().comments.map((c) => c.body),
      { bySteward: false },
    );
    const plan = planComments(run().comments, forged, allPrints());
    expect(plan.post).toHaveLength(3);
    expect(plan.kept).toEqual([]);
  });
});

describe('👎 feedback', () => {
  it('suppresses a turned-down survivor on the next run, and counts it', () => {
    const first = run();
    const posted = asPosted(first.comments.map((c) => c.body));
    posted[0]!.thumbsDown = 1;
    const next = run(real, suppressionsFrom(posted));
    expect(next.comments.map((c) => c.fingerprint)).not.toContain(first.comments[0]!.fingerprint);
    expect(next.selection.suppressed).toBeGreaterThanOrEqual(1);
    expect(next.summary).toMatch(/suppressed by 👎/);
  });

  it('counts only Steward’s comments, and only more 👎 than 👍', () => {
    const bodies = run().comments.map((c) => c.body);
    expect(
      suppressionsFrom(asPosted(bodies, { bySteward: false, thumbsDown: 5 })).fingerprints.size,
    ).toBe(0);
    expect(
      suppressionsFrom(asPosted(bodies, { thumbsDown: 1, thumbsUp: 1 })).fingerprints.size,
    ).toBe(0);
    expect(
      suppressionsFrom(asPosted(bodies, { thumbsDown: 2, thumbsUp: 1 })).fingerprints.size,
    ).toBe(3);
  });
});
