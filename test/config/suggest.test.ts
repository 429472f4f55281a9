import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/settings/suggest.ts';

describe('editDistance', () => {
  it('counts a swap of neighbouring characters as one edit', () => {
    expect(editDistance('reveiw', 'review')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('mergemethod', 'merge-method')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  test.prop([fc.string(), fc.string()])('is symmetric and bounded by the longer word', (a, b) => {
    const distance = editDistance(a, b);
    expect(distance).toBe(editDistance(b, a));
    expect(distance).toBeLessThanOrEqual(Math.max(a.length, b.length));
    expect(distance === 0).toBe(a === b);
  });
});

describe('suggest', () => {
  const sections = ['review', 'test-gen', 'mutation', 'auto-merge', 'hotspots'];

  it('finds the key a typo meant', () => {
    expect(suggest('reveiw', sections)).toBe('review');
    expect(suggest('automerge', sections)).toBe('auto-merge');
    expect(suggest('mergemethod', ['mode', 'merge-method', 'bots'])).toBe('merge-method');
    expect(suggest('mergeMethod', ['mode', 'merge-method', 'bots'])).toBe('merge-method');
  });

  it('stays silent when nothing is close', () => {
    expect(suggest('labels', sections)).toBeUndefined();
    expect(suggest('x', ['mode', 'bots'])).toBeUndefined();
    expect(suggest('anything', [])).toBeUndefined();
  });

  test.prop([fc.string(), fc.array(fc.string())])(
    'only ever suggests one of the candidates',
    (input, candidates) => {
      const found = suggest(input, candidates);
      if (found !== undefined) expect(candidates).toContain(found);
    },
  );
});
