import { describe, expect, it } from 'vitest';
import { renderHealthMarkdown, renderHealthTable } from '../../../src/hotspots/report/health.ts';

const [BASE, FORK, HEAD] = ['a'.repeat(40), 'f'.repeat(40), 'e'.repeat(40)];
const firstLine = (text: string) => text.split('\n')[0];

describe('health reports name what head is compared with', () => {
  it('names the merge base, and the base it is the merge base with, when they differ', () => {
    const report = { base: BASE, mergeBase: FORK, head: HEAD, files: [] };
    expect(firstLine(renderHealthTable(report))).toBe(
      'Code health of eeeeeee compared with fffffff, its merge base with aaaaaaa: 0 changed file(s) analysed',
    );
    expect(firstLine(renderHealthMarkdown(report))).toBe(
      '### Code health of `eeeeeee` compared with `fffffff`, its merge base with `aaaaaaa`',
    );
  });

  it('names the base alone when it is the merge base', () => {
    const report = { base: BASE, mergeBase: BASE, head: HEAD, files: [] };
    expect(firstLine(renderHealthTable(report))).toBe(
      'Code health of eeeeeee compared with aaaaaaa: 0 changed file(s) analysed',
    );
  });

  it('never calls the base tip what was compared with when the merge base is not known', () => {
    // A pull request's files are diffed against the merge base; only the base tip is known.
    const report = { base: BASE, head: HEAD, files: [] };
    expect(firstLine(renderHealthMarkdown(report))).toBe(
      '### Code health of `eeeeeee` compared with its merge base with `aaaaaaa`',
    );
  });
});
