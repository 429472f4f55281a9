import { CONFIG_FILE, configOf, errorsOf, expectWellFormedErrors, lines } from './config-text.ts';
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defaultReviewConfig } from '../../src/review/settings.ts';
import { parseConfig } from '../../src/config/parse.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { knownKeysAt } from '../../src/settings/kit.ts';
import type { ReviewConfig } from '../../src/review/settings.ts';
import { DEFAULT_MODEL } from '../../src/llm/models.ts';
import { PACK_DEFAULTS } from '../../src/review/model/pack.ts';
import { FOCUS_AREAS } from '../../src/review/model/types.ts';
import { SEVERITIES } from '../../src/review/severity.ts';

function reviewOf(text: string): ReviewConfig {
  return configOf(text).review;
}

describe('review config: defaults', () => {
  it('has the documented defaults', () => {
    expect(defaultConfig().review).toEqual({
      model: 'claude-sonnet-5-5',
      maxCalls: 4,
      maxCostUsd: 1.5,
      perCallInputTokens: 48_000,
      focus: ['security', 'correctness', 'performance', 'maintainability', 'tests'],
      instructions: '',
      include: [],
      exclude: [],
      maxComments: 20,
      failOn: null,
      drafts: false,
    });
  });

  it('takes its defaults from the model and the packer', () => {
    const review = defaultConfig().review;
    expect(review.model).toBe(DEFAULT_MODEL);
    expect(review.maxCalls).toBe(PACK_DEFAULTS.maxCalls);
    expect(review.maxCostUsd).toBe(PACK_DEFAULTS.maxCostUsd);
    expect(review.perCallInputTokens).toBe(PACK_DEFAULTS.perCallInputTokens);
    expect(review.focus).toEqual([...FOCUS_AREAS]);
  });

  it('takes every default for an empty section or an empty map', () => {
    expect(reviewOf(lines('review:'))).toEqual(defaultConfig().review);
    expect(reviewOf(lines('review: {}'))).toEqual(defaultConfig().review);
  });

  it('gives a fresh copy each time', () => {
    defaultConfig().review.focus.pop();
    defaultConfig().review.exclude.push('x');
    expect(defaultConfig().review.focus).toHaveLength(FOCUS_AREAS.length);
    expect(defaultConfig().review.exclude).toEqual([]);
  });

  it('has the same defaults as the review capability declares', () => {
    expect(defaultReviewConfig()).toEqual(defaultConfig().review);
  });
});

describe('the README', () => {
  it('shows the review defaults, as a config that parses', () => {
    const block = /```yaml\n(review:\n[\s\S]*?)```/.exec(readFileSync('README.md', 'utf8'))?.[1];
    expect(block).toBeDefined();
    expect(reviewOf(block!)).toEqual(defaultConfig().review);
  });
});

describe('review config: kebab-case YAML to camelCase fields', () => {
  it('reads every setting', () => {
    const review = reviewOf(
      lines(
        'review:',
        '  model: claude-opus-5-5',
        '  max-calls: 2',
        '  max-cost-usd: 0.75',
        '  max-input-tokens-per-call: 32000',
        '  focus: [security, tests]',
        '  instructions: |',
        '    We use Result types, never exceptions.',
        '    Public functions need doc comments.',
        '  include: ["src/**"]',
        '  exclude: ["**/*.snap", "docs/**"]',
        '  max-comments: 5',
        '  fail-on: major',
        '  drafts: true',
      ),
    );
    expect(review).toEqual({
      model: 'claude-opus-5-5',
      maxCalls: 2,
      maxCostUsd: 0.75,
      perCallInputTokens: 32_000,
      focus: ['security', 'tests'],
      instructions: 'We use Result types, never exceptions.\nPublic functions need doc comments.',
      include: ['src/**'],
      exclude: ['**/*.snap', 'docs/**'],
      maxComments: 5,
      failOn: 'major',
      drafts: true,
    });
  });

  it('keeps the defaults of keys left out', () => {
    expect(reviewOf(lines('review:', '  drafts: true'))).toEqual({
      ...defaultConfig().review,
      drafts: true,
    });
  });

  it('removes repeated focus areas, keeping the first of each', () => {
    expect(reviewOf(lines('review:', '  focus: [tests, security, tests]')).focus).toEqual([
      'tests',
      'security',
    ]);
  });

  it('trims the model name and the instructions', () => {
    const review = reviewOf(
      lines('review:', '  model: " claude-haiku-5-5 "', '  instructions: "  Be brief.\\n  "'),
    );
    expect(review.model).toBe('claude-haiku-5-5');
    expect(review.instructions).toBe('Be brief.');
  });

  it('reads an empty instructions value as none', () => {
    expect(reviewOf(lines('review:', '  instructions:')).instructions).toBe('');
  });

  it.each(SEVERITIES)('reads fail-on: %s', (severity) => {
    expect(reviewOf(lines('review:', `  fail-on: ${severity}`)).failOn).toBe(severity);
  });

  it('reads an empty fail-on as never', () => {
    expect(reviewOf(lines('review:', '  fail-on:')).failOn).toBeNull();
  });

  it('takes 0 comments for a summary only, and the smallest per-call budget', () => {
    const review = reviewOf(
      lines('review:', '  max-comments: 0', '  max-input-tokens-per-call: 4000'),
    );
    expect(review.maxComments).toBe(0);
    expect(review.perCallInputTokens).toBe(4000);
  });
});

describe('review config: errors a user can act on', () => {
  it('suggests the key a typo meant', () => {
    expect(errorsOf(lines('review:', '  max-comment: 5'))).toEqual([
      {
        path: 'review.max-comment',
        line: 2,
        column: 3,
        message: 'unknown key',
        suggestion: 'max-comments',
      },
    ]);
  });

  it('says where a review setting belongs when it is written at the top level', () => {
    const [error] = errorsOf(lines('drafts: true'));
    expect(error).toMatchObject({ path: 'drafts', line: 1, column: 1 });
    expect(error!.message).toBe(
      'unknown key at the top level; drafts is a setting of review, so indent it under "review:"',
    );
  });

  it('suggests the focus area a typo meant', () => {
    expect(errorsOf(lines('review:', '  focus: [security, performence]'))).toEqual([
      {
        path: 'review.focus[1]',
        line: 2,
        column: 21,
        message:
          'expected one of security, correctness, performance, maintainability, tests, got "performence"',
        suggestion: 'performance',
      },
    ]);
  });

  it('lists the severities for an unknown fail-on, and suggests none that is not close', () => {
    expect(errorsOf(lines('review:', '  fail-on: blocker'))).toEqual([
      {
        path: 'review.fail-on',
        line: 2,
        column: 12,
        message: 'expected one of critical, major, minor, info, got "blocker"',
      },
    ]);
  });

  it('suggests the severity a typo meant', () => {
    const [error] = errorsOf(lines('review:', '  fail-on: majr'));
    expect(error).toMatchObject({ path: 'review.fail-on', suggestion: 'major' });
  });

  it.each([
    ['$2', '2'],
    ['2 USD', '2'],
    ['$0.50', '0.5'],
    ['3 dollars', '3'],
    ['1.5', '1.5'],
  ])('answers max-cost-usd: %j with the bare number', (written, bare) => {
    expect(errorsOf(lines('review:', `  max-cost-usd: "${written}"`))).toEqual([
      {
        path: 'review.max-cost-usd',
        line: 2,
        column: 17,
        message: `expected a number of US dollars greater than 0, such as 1.5, got the string ${JSON.stringify(written)}; write the bare number ${bare}`,
        suggestion: bare,
      },
    ]);
  });

  it('reads $2 unquoted too, since YAML takes it for a string', () => {
    const [error] = errorsOf(lines('review:', '  max-cost-usd: $2'));
    expect(error).toMatchObject({ path: 'review.max-cost-usd', line: 2, suggestion: '2' });
  });

  it.each([
    [
      '  max-cost-usd: -1',
      'review.max-cost-usd',
      'expected a number of US dollars greater than 0, such as 1.5, got -1',
    ],
    [
      '  max-cost-usd: 0',
      'review.max-cost-usd',
      'expected a number of US dollars greater than 0, such as 1.5, got 0',
    ],
    [
      '  max-cost-usd: "$0"',
      'review.max-cost-usd',
      'expected a number of US dollars greater than 0, such as 1.5, got the string "$0"',
    ],
    [
      '  max-cost-usd: cheap',
      'review.max-cost-usd',
      'expected a number of US dollars greater than 0, such as 1.5, got the string "cheap"',
    ],
    ['  model: 5', 'review.model', 'expected a model name such as claude-sonnet-5-5, got a number'],
    [
      '  model:',
      'review.model',
      'expected a model name such as claude-sonnet-5-5, got an empty value',
    ],
    ['  model: "  "', 'review.model', 'must not be empty; remove the key to use claude-sonnet-5-5'],
    ['  max-calls: 0', 'review.max-calls', 'expected a whole number of 1 or more, got 0'],
    ['  max-calls: 1.5', 'review.max-calls', 'expected a whole number of 1 or more, got 1.5'],
    [
      '  max-calls: "4"',
      'review.max-calls',
      'expected a whole number of 1 or more, got the string "4"',
    ],
    [
      '  max-input-tokens-per-call: 1000',
      'review.max-input-tokens-per-call',
      'expected a whole number of 4000 or more, got 1000',
    ],
    ['  max-comments: -1', 'review.max-comments', 'expected a whole number of 0 or more, got -1'],
    [
      '  max-comments: [5]',
      'review.max-comments',
      'expected a whole number of 0 or more, got a list',
    ],
    [
      '  focus: security',
      'review.focus',
      'expected a list of focus areas (security, correctness, performance, maintainability, tests), got the string "security"',
    ],
    [
      '  focus: []',
      'review.focus',
      'list at least one focus area (security, correctness, performance, maintainability, tests), or remove the key for all of them',
    ],
    [
      '  instructions: [be brief]',
      'review.instructions',
      'expected text, or an empty value for none, got a list',
    ],
    ['  include: src/**', 'review.include', 'expected a list of strings, got the string "src/**"'],
    ['  exclude: [""]', 'review.exclude[0]', 'must not be empty; remove the empty item'],
    [
      '  fail-on: 2',
      'review.fail-on',
      'expected one of critical, major, minor, info, got a number',
    ],
    ['  drafts: yes', 'review.drafts', 'expected true or false, got the string "yes"'],
    ['  drafts: 1', 'review.drafts', 'expected true or false, got a number'],
  ])('rejects %j', (line, path, message) => {
    expect(errorsOf(lines('review:', line))).toEqual([
      { path, line: 2, column: expect.any(Number), message },
    ]);
  });

  it('rejects a review section that is not a map', () => {
    expect(errorsOf(lines('review: true'))).toEqual([
      {
        path: 'review',
        line: 1,
        column: 9,
        message: 'expected a map of settings, got a boolean',
      },
    ]);
  });

  it('reports every problem in the section at once, in file order', () => {
    const errors = errorsOf(
      lines('review:', '  max-calls: 0', '  focus: [speed]', '  max-comment: 3', '  drafts: no'),
    );
    expect(errors.map((error) => [error.path, error.line])).toEqual([
      ['review.max-calls', 2],
      ['review.focus[0]', 3],
      ['review.max-comment', 4],
      ['review.drafts', 5],
    ]);
  });
});

const reviewKeys = knownKeysAt('review')!;
const scalar = fc.oneof(
  fc.constantFrom('$2', '2 USD', 'security', 'tests', 'major', 'blocker', '', 'src/**', 0, -1),
  fc.constantFrom(1.5, 4000, 48_000, 2.5),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
);

test.prop(
  [
    fc.dictionary(
      fc.oneof(fc.constantFrom(...reviewKeys), fc.string({ maxLength: 10 })),
      fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
      { maxKeys: 6 },
    ),
  ],
  { numRuns: 300 },
)('every review config parses or fails with located, worded errors', (section) => {
  const text = stringify({ review: section });
  const result = parseConfig(text, CONFIG_FILE);
  if (result.ok) {
    const { maxCalls, maxCostUsd, perCallInputTokens, focus, maxComments, failOn } =
      result.config.review;
    expect(Number.isInteger(maxCalls) && maxCalls >= 1).toBe(true);
    expect(Number.isFinite(maxCostUsd) && maxCostUsd > 0).toBe(true);
    expect(Number.isInteger(perCallInputTokens) && perCallInputTokens >= 4000).toBe(true);
    expect(Number.isInteger(maxComments) && maxComments >= 0).toBe(true);
    expect(focus.length).toBeGreaterThan(0);
    expect(new Set(focus).size).toBe(focus.length);
    expect(failOn === null || SEVERITIES.includes(failOn)).toBe(true);
    return;
  }
  expectWellFormedErrors(text, result.errors);
});
