import { describe, expect, it } from 'vitest';
import { parseGitDiff } from '../../src/diff/git-diff.ts';
import { parseMutantMarker } from '../../src/mutation/markdown.ts';
import { mutationResult } from '../../src/mutation/result.ts';
import { scopeFromDiff } from '../../src/mutation/scope.ts';
import { defaultMutationConfig } from '../../src/mutation/settings.ts';
import { realMathReport, MATH_PR_DIFF } from './report-fixtures.ts';

const real = realMathReport;

const DIFF = MATH_PR_DIFF;

describe('the mutation result of a pull request', () => {
  it('scopes the diff, scores and comments only the changed lines', () => {
    const scope = scopeFromDiff(parseGitDiff(DIFF), null);
    if (scope.kind !== 'ranges') throw new Error('expected ranges');
    const result = mutationResult({
      ranges: scope.ranges,
      head: real,
      config: defaultMutationConfig(),
    });
    expect(result.analysis.counts).toMatchObject({
      killed: 4,
      survived: 4,
      noCoverage: 0,
      score: 50,
    });
    expect(result.comments.map((c) => `${c.path}:${c.line}`)).toEqual([
      'src/math.ts:3',
      'src/math.ts:9',
    ]);
    // Line 2 has a survivor too, but the pull request did not change it.
    expect(result.summary).not.toContain('src/math.ts:2');
    expect(result.gate).toEqual({ fail: false });
    for (const c of result.comments)
      expect(parseMutantMarker(c.body)?.fingerprint).toBe(c.fingerprint);
  });

  it('fails the gate by the config, and a rerun gives the same comments', () => {
    const scope = scopeFromDiff(parseGitDiff(DIFF), null);
    if (scope.kind !== 'ranges') throw new Error('expected ranges');
    const config = { ...defaultMutationConfig(), failUnder: 80, failOnSurvivors: true };
    const first = mutationResult({ ranges: scope.ranges, head: real, config });
    expect(first.gate).toMatchObject({ fail: true });
    const again = mutationResult({ ranges: scope.ranges, head: real, config });
    expect(again.comments).toEqual(first.comments);
    expect(again.summary).toBe(first.summary);
  });

  it('drops suppressed survivors from comments and the survivor gate', () => {
    const scope = scopeFromDiff(parseGitDiff(DIFF), null);
    if (scope.kind !== 'ranges') throw new Error('expected ranges');
    const config = { ...defaultMutationConfig(), maxCommentsPerLine: 5, failOnSurvivors: true };
    const all = mutationResult({ ranges: scope.ranges, head: real, config });
    const suppressed = {
      fingerprints: new Set(all.selection.survivors.map((s) => s.fingerprint)),
      shapeKeys: new Set<string>(),
    };
    const quiet = mutationResult({ ranges: scope.ranges, head: real, config, suppressed });
    expect(quiet.comments).toEqual([]);
    expect(quiet.selection.suppressed).toBe(4);
    expect(quiet.gate).toEqual({ fail: false });
    expect(quiet.summary).toContain('4 mutants suppressed by 👎');
  });
});
