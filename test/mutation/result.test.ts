import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGitDiff } from '../../src/diff/git-diff.ts';
import { parseMutantMarker } from '../../src/mutation/markdown.ts';
import { parseMutationReportText } from '../../src/mutation/report.ts';
import { mutationResult } from '../../src/mutation/result.ts';
import { scopeFromDiff } from '../../src/mutation/scope.ts';
import { defaultMutationConfig } from '../../src/mutation/settings.ts';

const real = parseMutationReportText(
  readFileSync(new URL('fixtures/stryker-10-math.json', import.meta.url), 'utf8'),
);

/** The pull request that changed lines 3 and 9 of the fixture (and its test file). */
const DIFF = [
  'diff --git a/src/math.ts b/src/math.ts',
  'index 1111111..2222222 100644',
  '--- a/src/math.ts',
  '+++ b/src/math.ts',
  '@@ -2,2 +2,2 @@',
  '   if (value < low) return low;',
  '-  if (value > high) return low;',
  '+  if (value > high) return high;',
  '@@ -9 +9 @@',
  '-  return age > 17;',
  '+  return age >= 18;',
  'diff --git a/src/math.test.ts b/src/math.test.ts',
  'index 1111111..2222222 100644',
  '--- a/src/math.test.ts',
  '+++ b/src/math.test.ts',
  '@@ -1 +1 @@',
  "-import { expect, it } from 'vitest';",
  "+import { expect, it, test } from 'vitest';",
  '',
].join('\n');

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
