/**
 * How well a ranking of files predicted where later bug fixes went. Pure arithmetic, no git.
 *
 * - recall: the share of all later bug-fix touches that fell on the top `share` (20 %) of files;
 * - effort-aware recall: the same for the top files that together hold `share` of the lines of
 *   code, so a ranking cannot win by putting the largest files first (reading 20 % of the code is
 *   the effort a reviewer spends);
 * - Spearman's rank correlation between score and later fixes, over every file.
 *
 * Files with equal scores are in no order: where a budget ends inside a group of ties, the group
 * counts in proportion to the part of it that fits, which is what a random order among the ties
 * gives on average. So a ranking that says nothing (every score equal) gets exactly `share` on
 * both recalls, the random baseline.
 */
export interface RankingQuality {
  recall: number;
  effortRecall: number;
  spearman: number;
}

export interface OutcomeOfFile {
  /** Lines of code at the cut-off. */
  loc: number;
  /** Bug-fix commits that touched the file in the horizon. */
  fixes: number;
}

export const DEFAULT_SHARE = 0.2;

/** The quality of `scores` (one per file, higher is hotter) against what happened to `files`. */
export function rankingQuality(
  files: readonly OutcomeOfFile[],
  scores: readonly number[],
  share = DEFAULT_SHARE,
): RankingQuality {
  if (files.length !== scores.length) throw new Error('rankingQuality: one score per file');
  const total = files.reduce((sum, file) => sum + file.fixes, 0);
  const groups = tieGroups(files, scores);
  return {
    recall: total === 0 ? 0 : fluidTake(groups, (g) => g.count, share * files.length) / total,
    effortRecall:
      total === 0
        ? 0
        : fluidTake(groups, (g) => g.loc, share * files.reduce((sum, f) => sum + f.loc, 0)) / total,
    spearman: spearman(
      scores,
      files.map((file) => file.fixes),
    ),
  };
}

/** What a ranking that knows nothing scores on average. */
export const RANDOM_QUALITY: Readonly<RankingQuality> = {
  recall: DEFAULT_SHARE,
  effortRecall: DEFAULT_SHARE,
  spearman: 0,
};

interface TieGroup {
  count: number;
  loc: number;
  fixes: number;
}

/** Files grouped by equal score, highest score first. */
function tieGroups(files: readonly OutcomeOfFile[], scores: readonly number[]): TieGroup[] {
  const order = files.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const groups: TieGroup[] = [];
  let previous = Number.NaN;
  for (const i of order) {
    if (groups.length === 0 || scores[i] !== previous) {
      groups.push({ count: 0, loc: 0, fixes: 0 });
      previous = scores[i]!;
    }
    const group = groups[groups.length - 1]!;
    group.count++;
    group.loc += files[i]!.loc;
    group.fixes += files[i]!.fixes;
  }
  return groups;
}

/** Fixes in the groups taken from the top until `budget` (files or lines) is spent. */
function fluidTake(groups: readonly TieGroup[], cost: (g: TieGroup) => number, budget: number) {
  let left = budget;
  let fixes = 0;
  for (const group of groups) {
    if (left <= 0) break;
    const size = cost(group);
    if (size <= left) {
      fixes += group.fixes;
      left -= size;
    } else {
      fixes += (group.fixes * left) / size;
      left = 0;
    }
  }
  return fixes;
}

/** Ranks from 1, ties sharing the mean of the ranks they span. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const result = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    const mean = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) result[order[k]!] = mean;
    start = end + 1;
  }
  return result;
}

/** Spearman's rho: Pearson's correlation of the ranks; 0 when either side is constant. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n < 2) return 0;
  const rx = ranks(x);
  const ry = ranks(y);
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i]! - mean;
    const dy = ry[i]! - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}
