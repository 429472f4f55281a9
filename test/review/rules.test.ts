import { describe, expect, it } from 'vitest';
import { skipsDraft } from '../../src/review/draft-rule.ts';
import { failOnGate } from '../../src/review/fail-on.ts';
import type { Severity } from '../../src/review/severity.ts';

/** The two rules every face applies around a review, from src/review alone. */

describe('skipsDraft', () => {
  it.for([
    { draft: false, requested: false, drafts: false, skips: false },
    { draft: true, requested: false, drafts: false, skips: true },
    { draft: true, requested: false, drafts: true, skips: false },
    { draft: true, requested: true, drafts: false, skips: false },
  ])(
    'draft $draft, asked for by name $requested, review.drafts $drafts: skips $skips',
    ({ draft, requested, drafts, skips }) => {
      expect(skipsDraft({ draft, requested }, { drafts })).toBe(skips);
    },
  );
});

describe('failOnGate', () => {
  const finding = (severity: Severity) => ({ severity });
  const result = (inline: Severity[], offDiff: Severity[] = []) => ({
    findings: inline.map(finding),
    offDiff: offDiff.map(finding),
  });

  it('passes when neither the face nor review.fail-on sets a threshold', () => {
    expect(failOnGate(result(['critical']), undefined, { failOn: null })).toBeNull();
  });

  it('counts findings inline and outside the diff at or above review.fail-on', () => {
    expect(
      failOnGate(result(['major', 'info'], ['critical']), undefined, { failOn: 'major' }),
    ).toEqual({
      threshold: 'major',
      failing: 2,
    });
  });

  it("applies the face's threshold over review.fail-on, stricter or looser", () => {
    const review = result(['minor'], ['critical']);
    expect(failOnGate(review, 'info', { failOn: 'critical' })).toEqual({
      threshold: 'info',
      failing: 2,
    });
    expect(failOnGate(result(['minor']), 'critical', { failOn: 'info' })).toBeNull();
  });
});
