import { describe, expect, it } from 'vitest';
import { rankingQuality, spearman } from '../../../src/hotspots/backtest/metrics.ts';

/** Ten files of 100 lines; `fixes[i]` later fixes for file i. */
const tenFiles = (fixes: number[], loc: number[] = fixes.map(() => 100)) =>
  fixes.map((n, i) => ({ fixes: n, loc: loc[i]! }));

describe('rankingQuality', () => {
  it('gives the top 20 % of files their share of the later fixes', () => {
    const files = tenFiles([5, 3, 1, 1, 0, 0, 0, 0, 0, 0]);
    const perfect = rankingQuality(files, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(perfect.recall).toBeCloseTo(8 / 10, 10);
    // All files the same size: 20 % of the code is the same two files.
    expect(perfect.effortRecall).toBeCloseTo(8 / 10, 10);
    const backwards = rankingQuality(files, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(backwards.recall).toBe(0);
    expect(backwards.spearman).toBeLessThan(0);
  });

  it('gives a ranking that says nothing (all ties) exactly the random 20 %', () => {
    const files = tenFiles(
      [5, 3, 1, 1, 0, 0, 0, 0, 0, 0],
      [10, 500, 20, 30, 40, 50, 60, 70, 80, 90],
    );
    const q = rankingQuality(
      files,
      files.map(() => 0),
    );
    expect(q.recall).toBeCloseTo(0.2, 10);
    expect(q.effortRecall).toBeCloseTo(0.2, 10);
    expect(q.spearman).toBe(0);
  });

  it('counts a tie group that straddles the budget in proportion, whatever the input order', () => {
    // Top file has 4 fixes; then three tied files share 6 fixes, one slot left of them: 4 + 6/3.
    const files = tenFiles([0, 0, 0, 2, 2, 2, 4, 0, 0, 0]);
    const scores = [0, 0, 0, 5, 5, 5, 9, 0, 0, 0];
    expect(rankingQuality(files, scores).recall).toBeCloseTo(6 / 10, 10);
    const reversed = rankingQuality([...files].reverse(), [...scores].reverse());
    expect(reversed.recall).toBeCloseTo(6 / 10, 10);
  });

  it('makes effort-aware recall pay for large files', () => {
    // The file with the most fixes is 80 % of the code: ranking it first spends the whole budget
    // on a quarter of it.
    const files = [
      { loc: 800, fixes: 4 },
      { loc: 50, fixes: 3 },
      { loc: 50, fixes: 3 },
      { loc: 100, fixes: 0 },
    ];
    const bigFirst = rankingQuality(files, [4, 3, 2, 1]);
    expect(bigFirst.effortRecall).toBeCloseTo((4 * (200 / 800)) / 10, 10);
    const smallFirst = rankingQuality(files, [1, 3, 2, 0]);
    // 50 + 50 lines take both small files (6 fixes); 100 more lines are 1/8 of the big file.
    expect(smallFirst.effortRecall).toBeCloseTo((6 + 4 / 8) / 10, 10);
  });

  it('is 0, not NaN, when no file received a fix', () => {
    expect(
      rankingQuality(tenFiles([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    ).toEqual({
      recall: 0,
      effortRecall: 0,
      spearman: 0,
    });
  });

  it('refuses scores that do not match the files one to one', () => {
    expect(() => rankingQuality(tenFiles([1]), [1, 2])).toThrow(/one score per file/);
  });
});

describe('spearman', () => {
  it('is 1 for the same order, -1 for the opposite, with ties at their mean rank', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 10);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 10);
    // Ranks of y with a tie: 1, 2.5, 2.5, 4 against 1, 2, 3, 4.
    const expected = 4.5 / Math.sqrt(5 * 4.5);
    expect(spearman([1, 2, 3, 4], [0, 5, 5, 9])).toBeCloseTo(expected, 10);
  });
});
