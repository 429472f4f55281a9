import { describe, expect } from 'vitest';
import { createAnthropicModelClient } from '../../../src/llm/client.ts';
import { runModelReview } from '../../../src/review/model/run.ts';
import type { ModelReviewSettings } from '../../../src/review/model/run.ts';
import type { ModelFile } from '../../../src/review/model/types.ts';
import type { AnthropicFake } from '../../support/anthropic-fake.ts';
import { anthropicTest } from '../../support/anthropic-world.ts';

/** The model stage over the wire: packed calls, several at once, against the Anthropic fake. */

const it = anthropicTest({ apiKey: 'sk-test' });

/** A file big enough that each call holds only one. */
function file(path: string): ModelFile {
  return {
    path,
    status: 'modified',
    language: 'typescript',
    hunks: [
      {
        oldStart: 1,
        newStart: 1,
        lines: Array.from({ length: 90 }, (_, i) => `+export const v${i} = compute(${i}, 'x');`),
      },
    ],
    risk: { healthDrop: 0, languageRank: 0, changedLines: 90 },
  };
}

const settings: ModelReviewSettings = {
  prompt: { focus: ['correctness'] },
  maxCalls: 4,
  maxCostUsd: 1,
  perCallInputTokens: 4_000,
  maxOutputTokens: 1_024,
};

function client(fake: AnthropicFake) {
  return createAnthropicModelClient({
    apiKey: 'sk-test',
    baseURL: fake.url,
    model: 'claude-sonnet-5-5',
    timeoutMs: 10_000,
    maxRetries: 1,
  });
}

/** Answers each call with a finding on the file it was shown, and overloads calls showing c.ts. */
function answerByFile(fake: AnthropicFake) {
  const answer = (request: { body: { messages: unknown } }) => {
    const text = JSON.stringify(request.body.messages);
    const path = /path=\\"([a-z]\.ts)\\"/.exec(text)?.[1] ?? 'none';
    if (path === 'c.ts')
      return { status: 529, headers: { 'retry-after': '0' }, message: 'Overloaded' };
    return {
      toolUse: {
        name: 'report_findings',
        input: {
          findings: [
            {
              path,
              line: 1,
              severity: 'minor',
              category: 'correctness',
              title: `in ${path}`,
              body: 'x',
            },
          ],
          summary: `reviewed ${path}`,
        },
      },
      usage: { input_tokens: 2_000, output_tokens: 100 },
    };
  };
  for (let i = 0; i < 10; i++) fake.enqueue(answer);
}

describe('runModelReview', () => {
  it('runs the calls, keeps every answer in call order, and stays within the cost cap', async ({
    anthropic: fake,
  }) => {
    answerByFile(fake);
    const outcome = await runModelReview(
      [file('a.ts'), file('b.ts'), file('d.ts')],
      client(fake),
      settings,
    );
    expect(fake.requests).toHaveLength(3);
    expect(outcome.summaries).toEqual(['reviewed a.ts', 'reviewed b.ts', 'reviewed d.ts']);
    expect(outcome.findings.map((f) => f.path)).toEqual(['a.ts', 'b.ts', 'd.ts']);
    expect(outcome.notReviewed).toEqual([]);
    expect(outcome.usage).toMatchObject({ calls: 3, inputTokens: 6_000, outputTokens: 300 });
    expect(outcome.usage.costUsd!).toBeLessThanOrEqual(settings.maxCostUsd);
  });

  it('names every file of a call the API would not take, keeps the others, and drops nothing silently', async ({
    anthropic: fake,
  }) => {
    answerByFile(fake);
    const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts'].map(file);
    const outcome = await runModelReview(files, client(fake), settings);
    expect(outcome.unavailable).toMatch(/overloaded \(529\)/);
    expect(outcome.notReviewed).toContainEqual({
      path: 'c.ts',
      reason: expect.stringMatching(/^not reviewed: .*overloaded \(529\)/),
    });
    const reviewed = outcome.findings.map((f) => f.path);
    expect(reviewed).toEqual(expect.arrayContaining(['a.ts', 'b.ts']));
    // The fourth call may have started before the failure or not: either way it is accounted for.
    for (const path of ['a.ts', 'b.ts', 'd.ts'])
      expect(reviewed.includes(path) || outcome.notReviewed.some((n) => n.path === path)).toBe(
        true,
      );
  });

  it('never makes more calls than max-calls, naming the files that did not fit', async ({
    anthropic: fake,
  }) => {
    answerByFile(fake);
    const files = ['a.ts', 'b.ts', 'd.ts', 'e.ts'].map(file);
    const outcome = await runModelReview(files, client(fake), { ...settings, maxCalls: 2 });
    expect(fake.requests).toHaveLength(2);
    expect(outcome.notReviewed.map((n) => n.path).sort()).toEqual(['d.ts', 'e.ts']);
    expect(outcome.notReviewed[0]!.reason).toContain('max-calls 2');
  });
});
