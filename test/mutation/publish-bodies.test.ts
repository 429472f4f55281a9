import { describe, expect, it } from 'vitest';
import {
  isResolvedSurvivorComment,
  parseMutantMarker,
  reopenedSurvivorComment,
  RESOLVED_MARKER,
  resolvedSurvivorComment,
} from '../../src/mutation/markdown.ts';
import { mutationResult } from '../../src/mutation/result.ts';
import { defaultMutationConfig } from '../../src/mutation/settings.ts';
import { realMathReport } from './report-fixtures.ts';

const [survivor] = mutationResult({
  ranges: [{ path: 'src/math.ts', startLine: 2, endLine: 9 }],
  head: realMathReport,
  config: defaultMutationConfig(),
}).comments;
const body = survivor!.body;

describe('a survivor comment marked resolved', () => {
  it('keeps its mutant marker first, so a rerun still knows it, and folds the survivor', () => {
    const resolved = resolvedSurvivorComment(body);
    expect(parseMutantMarker(resolved)).toEqual(parseMutantMarker(body));
    expect(resolved.split('\n')[1]).toBe(RESOLVED_MARKER);
    expect(resolved).toContain('<details><summary>The surviving mutant it was</summary>');
    expect(resolved).toContain(body.split('\n').slice(1).join('\n'));
    expect(isResolvedSurvivorComment(resolved)).toBe(true);
    expect(isResolvedSurvivorComment(body)).toBe(false);
  });

  it('is resolved once: resolving it again changes nothing', () => {
    const resolved = resolvedSurvivorComment(body);
    expect(resolvedSurvivorComment(resolved)).toBe(resolved);
  });

  it('reads as it did before when its mutant survives again', () => {
    expect(reopenedSurvivorComment(resolvedSurvivorComment(body))).toBe(body);
    expect(reopenedSurvivorComment(body)).toBe(body);
  });

  it('is told only by its second line: the resolved marker anywhere else does not count', () => {
    const [marker, ...rest] = body.split('\n');
    expect(
      isResolvedSurvivorComment(`${marker}\nfoo\n${RESOLVED_MARKER}\n${rest.join('\n')}`),
    ).toBe(false);
    expect(isResolvedSurvivorComment(`${RESOLVED_MARKER}\n${body}`)).toBe(false);
  });

  it('comes back with its marker when someone edited the folded part', () => {
    const tampered = resolvedSurvivorComment(body).replace('</details>', '');
    const reopened = reopenedSurvivorComment(tampered);
    expect(parseMutantMarker(reopened)).toEqual(parseMutantMarker(body));
    expect(isResolvedSurvivorComment(reopened)).toBe(false);
  });
});
