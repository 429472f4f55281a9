import { describe, expect, it } from 'vitest';
import { priceFor } from '../../../src/llm/prices.ts';
import { isDeletionOnly, packReview } from '../../../src/review/model/pack.ts';
import type { PackOptions } from '../../../src/review/model/pack.ts';
import type { FileRisk, ModelFile, ReviewHunk } from '../../../src/review/model/types.ts';

const risk: FileRisk = { healthDrop: 0, languageRank: 0, changedLines: 10 };

function hunk(newStart: number, added: number, context?: string): ReviewHunk {
  return {
    oldStart: newStart,
    newStart,
    lines: [
      ' keep();',
      ...Array.from({ length: added }, (_, i) => `+const value${i} = compute(${i});`),
    ],
    ...(context ? { context: { name: 'function f', startLine: newStart - 1, text: context } } : {}),
  };
}

function file(path: string, hunks: ReviewHunk[], extra: Partial<ModelFile> = {}): ModelFile {
  return { path, status: 'modified', language: 'typescript', hunks, risk, ...extra };
}

const base: PackOptions = {
  perCallInputTokens: 4_000,
  maxCalls: 3,
  maxOutputTokens: 2_048,
  prompt: { focus: ['security', 'correctness'] },
};

describe('packReview', () => {
  it('puts a small review in one call', () => {
    const result = packReview([file('a.ts', [hunk(1, 3)]), file('b.ts', [hunk(5, 2)])], base);
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]!.files.map((f) => f.path)).toEqual(['a.ts', 'b.ts']);
    expect(result.notFitted).toEqual([]);
  });

  it('reduces deleted files and deletion-only changes to names, listed in a call', () => {
    const removal: ReviewHunk = { oldStart: 3, newStart: 2, lines: [' a', '-b', '-c'] };
    expect(isDeletionOnly(removal)).toBe(true);
    const result = packReview(
      [
        file('gone.ts', [removal], { status: 'deleted' }),
        file('trimmed.ts', [removal]),
        file('mixed.ts', [removal, hunk(20, 2)]),
        file('renamed.ts', [], { status: 'renamed', previousPath: 'old.ts' }),
      ],
      base,
    );
    expect(result.reducedToNames).toEqual([
      { path: 'gone.ts', reason: 'deleted' },
      { path: 'trimmed.ts', reason: 'deletions only' },
      { path: 'renamed.ts', reason: 'no text changes' },
    ]);
    const [call] = result.calls;
    expect(call!.files.map((f) => [f.path, f.hunks.map((h) => h.newStart)])).toEqual([
      ['mixed.ts', [20]],
    ]);
    expect(call!.namesOnly.map((n) => n.path)).toEqual(['gone.ts', 'trimmed.ts', 'renamed.ts']);
  });

  it('orders files by health drop, then language, then size', () => {
    const result = packReview(
      [
        file('docs.md', [hunk(1, 1)], {
          risk: { healthDrop: 0, languageRank: 2, changedLines: 900 },
        }),
        file('small.ts', [hunk(1, 1)], {
          risk: { healthDrop: 0, languageRank: 0, changedLines: 5 },
        }),
        file('big.ts', [hunk(1, 1)], {
          risk: { healthDrop: 0, languageRank: 0, changedLines: 500 },
        }),
        file('worse.ts', [hunk(1, 1)], {
          risk: { healthDrop: 12, languageRank: 0, changedLines: 1 },
        }),
      ],
      base,
    );
    expect(result.calls[0]!.files.map((f) => f.path)).toEqual([
      'worse.ts',
      'big.ts',
      'small.ts',
      'docs.md',
    ]);
  });

  it('splits across calls and names what the call cap leaves out', () => {
    const files = Array.from({ length: 8 }, (_, i) =>
      file(`f${i}.ts`, [hunk(1, 100)], {
        risk: { healthDrop: 8 - i, languageRank: 0, changedLines: 40 },
      }),
    );
    const result = packReview(files, { ...base, maxCalls: 2 });
    expect(result.calls).toHaveLength(2);
    const packed = result.calls.flatMap((c) => c.files.map((f) => f.path));
    // The riskiest files are the ones reviewed.
    expect(packed.slice(0, 2)).toEqual(['f0.ts', 'f1.ts']);
    expect(result.notFitted.length).toBe(8 - packed.length);
    expect(result.notFitted[0]).toEqual({
      path: `f${packed.length}.ts`,
      reason: 'the file did not fit: the call cap (max-calls 2) was reached',
    });
    for (const call of result.calls) expect(call.estimatedInputTokens).toBeLessThanOrEqual(4_000);
  });

  it('splits a file too big for one call into numbered parts', () => {
    const result = packReview(
      [file('huge.ts', [hunk(1, 100), hunk(200, 100), hunk(400, 100), hunk(600, 100)])],
      { ...base, maxCalls: 4 },
    );
    const parts = result.calls.flatMap((c) => c.files);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.part)).toEqual(
      parts.map((_, i) => ({ index: i + 1, of: parts.length })),
    );
    expect(parts.flatMap((p) => p.hunks.map((h) => h.newStart))).toEqual([1, 200, 400, 600]);
  });

  it("drops a hunk's enclosing function before dropping the hunk, and names a hunk that never fits", () => {
    const longContext = 'x'.repeat(8_000);
    const result = packReview(
      [file('ctx.ts', [hunk(1, 2, longContext), hunk(50, 2)]), file('monster.ts', [hunk(1, 400)])],
      base,
    );
    const ctx = result.calls.flatMap((c) => c.files).filter((f) => f.path === 'ctx.ts');
    expect(ctx.flatMap((f) => f.hunks).map((h) => [h.newStart, h.context === undefined])).toEqual([
      [1, true],
      [50, true],
    ]);
    expect(result.notFitted).toEqual([
      {
        path: 'monster.ts',
        reason: "the hunk at line 1 (401 lines) is larger than one call's budget",
      },
    ]);
  });

  it('stops at the cost cap with the reason', () => {
    const price = priceFor('claude-sonnet-5-5')!;
    const files = Array.from({ length: 6 }, (_, i) => file(`f${i}.ts`, [hunk(1, 40)]));
    // One call's worst case: ~4K input at $2 and 2,048 output at $10 a million, about $0.03.
    const result = packReview(files, { ...base, maxCalls: 10, price, maxCostUsd: 0.05 });
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]!.worstCaseCostUsd).toBeLessThanOrEqual(0.05);
    expect(result.notFitted.at(-1)!.reason).toBe(
      'the file did not fit: the cost cap (max-cost-usd 0.05) would be exceeded',
    );
  });

  it('refuses a cost cap it cannot price, naming every file', () => {
    const result = packReview([file('a.ts', [hunk(1, 1)])], { ...base, maxCostUsd: 1 });
    expect(result.calls).toEqual([]);
    expect(result.notFitted).toEqual([
      {
        path: 'a.ts',
        reason:
          'max-cost-usd is set but the model has no known price; set a price or remove the cap',
      },
    ]);
  });

  it('names every file when the budget cannot hold the fixed prompt', () => {
    const result = packReview([file('a.ts', [hunk(1, 1)])], { ...base, perCallInputTokens: 100 });
    expect(result.calls).toEqual([]);
    expect(result.notFitted[0]!.reason).toMatch(
      /^the per-call budget \(100 tokens\) does not cover the fixed prompt/,
    );
  });
});
