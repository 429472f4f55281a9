import { maxCostUsd } from '../../llm/prices.ts';
import type { ModelPrice } from '../../llm/prices.ts';
import { fixedPromptText, renderFile, renderNamesOnly } from './prompt.ts';
import type { NameOnly, PromptFile, PromptOptions } from './prompt.ts';
import { estimateTokens } from '../../llm/tokens.ts';
import type { TokenEstimator } from '../../llm/tokens.ts';
import type { ModelFile, ReviewHunk } from './types.ts';

/**
 * Packs the review input into model calls under a per-call input budget, a cap on calls and a cap
 * on worst-case cost. Order of sacrifice follows PR-Agent's compression (research/review.md §2):
 * deleted files and deletion-only hunks become names first, then files in risk order fill calls,
 * and whatever is left is named in notFitted with the reason — never dropped silently.
 */

/**
 * Starting points for config. 48K input tokens a call keeps each review focused (SWE-PRBench found
 * more context made every model worse; PR-Agent caps at 32K) while fitting a few large files;
 * 16K output leaves room for adaptive thinking, which counts towards max_tokens. On Sonnet 5.5 a
 * call's worst case is about $0.26, so four calls stay under $1.50.
 */
export const PACK_DEFAULTS = {
  perCallInputTokens: 48_000,
  maxCalls: 4,
  maxOutputTokens: 16_000,
  maxCostUsd: 1.5,
} as const;

export interface PackOptions {
  /** Estimated input tokens one call may carry: system prompt, tool schema and diff. */
  readonly perCallInputTokens: number;
  readonly maxCalls: number;
  readonly maxOutputTokens: number;
  /** Cap on the summed worst case (every input token uncached, max output used) of all calls. */
  readonly maxCostUsd?: number;
  /** The model's price (src/llm/prices.ts); required with maxCostUsd. */
  readonly price?: ModelPrice;
  readonly prompt: PromptOptions;
  readonly estimateTokens?: TokenEstimator;
}

export interface Chunk {
  readonly files: PromptFile[];
  readonly namesOnly: NameOnly[];
  /** Fixed prompt plus the diff blocks, by the estimator. */
  estimatedInputTokens: number;
  /** Worst case for one attempt of this call; null without a price. */
  worstCaseCostUsd: number | null;
}

export interface NotFitted {
  readonly path: string;
  readonly reason: string;
}

export interface PackResult {
  readonly calls: Chunk[];
  readonly notFitted: NotFitted[];
  /** Every file reduced to its name (deleted, deletion-only, no hunks), whether or not a call lists it. */
  readonly reducedToNames: NameOnly[];
}

/** A hunk with no added line gives the model nothing to anchor to: it shrinks to a name first. */
export function isDeletionOnly(hunk: ReviewHunk): boolean {
  return !hunk.lines.some((line) => line.startsWith('+'));
}

export function byRisk(a: ModelFile, b: ModelFile): number {
  return (
    b.risk.healthDrop - a.risk.healthDrop ||
    a.risk.languageRank - b.risk.languageRank ||
    b.risk.changedLines - a.risk.changedLines ||
    a.path.localeCompare(b.path)
  );
}

interface Piece {
  readonly file: PromptFile;
  readonly tokens: number;
  readonly describe: string;
}

export function packReview(files: readonly ModelFile[], options: PackOptions): PackResult {
  const estimate = options.estimateTokens ?? estimateTokens;
  const fixed = estimate(fixedPromptText(options.prompt));
  const room = options.perCallInputTokens - fixed;
  const calls: Chunk[] = [];
  const used: number[] = [];
  const notFitted: NotFitted[] = [];
  const reducedToNames: NameOnly[] = [];
  const reviewable: { file: ModelFile; hunks: ReviewHunk[] }[] = [];

  for (const file of files) {
    const hunks = file.hunks.filter((h) => !isDeletionOnly(h));
    if (file.status === 'deleted') reducedToNames.push({ path: file.path, reason: 'deleted' });
    else if (file.hunks.length === 0)
      reducedToNames.push({ path: file.path, reason: 'no text changes' });
    else if (hunks.length === 0) reducedToNames.push({ path: file.path, reason: 'deletions only' });
    else reviewable.push({ file, hunks });
  }

  if (options.maxCostUsd !== undefined && !options.price) {
    const reason =
      'max-cost-usd is set but the model has no known price; set a price or remove the cap';
    return { calls, notFitted: files.map((f) => ({ path: f.path, reason })), reducedToNames };
  }
  if (room <= 0) {
    const reason = `the per-call budget (${options.perCallInputTokens} tokens) does not cover the fixed prompt (${fixed} tokens)`;
    return { calls, notFitted: files.map((f) => ({ path: f.path, reason })), reducedToNames };
  }

  const costOf = (inputTokens: number): number | null =>
    options.price ? maxCostUsd(options.price, inputTokens, options.maxOutputTokens) : null;
  const totalCostWith = (index: number, tokens: number): number => {
    let total = 0;
    for (let i = 0; i < Math.max(calls.length, index + 1); i++) {
      const input = fixed + (used[i] ?? 0) + (i === index ? tokens : 0);
      total += costOf(input) ?? 0;
    }
    return total;
  };
  const withinCost = (index: number, tokens: number): boolean =>
    options.maxCostUsd === undefined || totalCostWith(index, tokens) <= options.maxCostUsd;

  /** First fit: riskier files land in earlier calls, and later small pieces fill the gaps. */
  const place = (piece: Piece): string | undefined => {
    for (let i = 0; i < calls.length; i++) {
      if ((used[i] ?? 0) + piece.tokens <= room && withinCost(i, piece.tokens)) {
        calls[i]!.files.push(piece.file);
        used[i] = (used[i] ?? 0) + piece.tokens;
        return undefined;
      }
    }
    if (calls.length >= options.maxCalls)
      return `the call cap (max-calls ${options.maxCalls}) was reached`;
    if (!withinCost(calls.length, piece.tokens)) {
      return `the cost cap (max-cost-usd ${options.maxCostUsd}) would be exceeded`;
    }
    calls.push({
      files: [piece.file],
      namesOnly: [],
      estimatedInputTokens: 0,
      worstCaseCostUsd: null,
    });
    used.push(piece.tokens);
    return undefined;
  };

  for (const { file, hunks } of reviewable.sort((a, b) => byRisk(a.file, b.file))) {
    for (const piece of piecesOf(file, hunks, room, estimate, notFitted)) {
      const refused = place(piece);
      if (refused)
        notFitted.push({ path: file.path, reason: `${piece.describe} did not fit: ${refused}` });
    }
  }

  placeNames(reducedToNames, calls, used, room, estimate, withinCost);
  calls.forEach((call, i) => {
    call.estimatedInputTokens = fixed + (used[i] ?? 0);
    call.worstCaseCostUsd = costOf(call.estimatedInputTokens);
  });
  return { calls, notFitted, reducedToNames };
}

/** The whole file when it fits one call; otherwise runs of hunks, each within the budget. */
function piecesOf(
  file: ModelFile,
  hunks: readonly ReviewHunk[],
  room: number,
  estimate: TokenEstimator,
  notFitted: NotFitted[],
): Piece[] {
  const base: PromptFile = {
    path: file.path,
    status: file.status,
    hunks,
    ...(file.previousPath ? { previousPath: file.previousPath } : {}),
    ...(file.language ? { language: file.language } : {}),
  };
  const cost = (f: PromptFile) => estimate(`\n\n${renderFile(f)}`);
  const whole = cost(base);
  if (whole <= room) return [{ file: base, tokens: whole, describe: 'the file' }];

  // The placeholder is at least as long as any real "part i of n", so a run that fits with it fits.
  const placeholder = { index: 9999, of: 9999 };
  const groups: ReviewHunk[][] = [];
  let current: ReviewHunk[] = [];
  for (const original of hunks) {
    let hunk = original;
    if (cost({ ...base, hunks: [hunk], part: placeholder }) > room && hunk.context) {
      // A hunk too big with its enclosing function may still fit without it.
      hunk = { oldStart: hunk.oldStart, newStart: hunk.newStart, lines: hunk.lines };
    }
    if (cost({ ...base, hunks: [hunk], part: placeholder }) > room) {
      notFitted.push({
        path: file.path,
        reason: `the hunk at line ${hunk.newStart} (${hunk.lines.length} lines) is larger than one call's budget`,
      });
      continue;
    }
    if (
      current.length > 0 &&
      cost({ ...base, hunks: [...current, hunk], part: placeholder }) > room
    ) {
      groups.push(current);
      current = [];
    }
    current.push(hunk);
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group, i) => {
    const part = { index: i + 1, of: groups.length };
    const file = { ...base, hunks: group, part };
    const lines = group.map((h) => h.newStart).join(', ');
    return {
      file,
      tokens: cost(file),
      describe: `part ${part.index} of ${part.of} (hunks at lines ${lines})`,
    };
  });
}

/** Names ride along in calls that have room; the summary lists them from reducedToNames anyway. */
function placeNames(
  names: readonly NameOnly[],
  calls: Chunk[],
  used: number[],
  room: number,
  estimate: TokenEstimator,
  withinCost: (index: number, tokens: number) => boolean,
): void {
  const blockCost = (list: readonly NameOnly[]) =>
    list.length === 0 ? 0 : estimate(`\n\n${renderNamesOnly(list)}`);
  for (const name of names) {
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i]!;
      const growth = blockCost([...call.namesOnly, name]) - blockCost(call.namesOnly);
      if ((used[i] ?? 0) + growth <= room && withinCost(i, growth)) {
        call.namesOnly.push(name);
        used[i] = (used[i] ?? 0) + growth;
        break;
      }
    }
  }
}
