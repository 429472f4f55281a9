import { CONFIG_FILE, configOf, errorsOf, expectWellFormedErrors, lines } from './config-text.ts';
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/config/parse.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { knownKeysAt } from '../../src/settings/kit.ts';
import type { HotspotsConfig } from '../../src/hotspots/settings.ts';
import { DEFAULT_THRESHOLDS } from '../../src/health/thresholds.ts';
import { DEFAULT_BUG_FIX_RULE } from '../../src/hotspots/history/bug-fix.ts';

function hotspotsOf(text: string): HotspotsConfig {
  return configOf(text).hotspots;
}

describe('hotspots config: defaults', () => {
  it('has the documented defaults', () => {
    expect(defaultConfig().hotspots).toEqual({
      since: { months: 36, hours: 0 },
      top: 20,
      exclude: [],
      maxChangesetSize: 30,
      coupling: { minRevisions: 5, minShared: 5, minDegree: 0.3 },
      // Their values are pinned by the README test below and by the smells test's "default thresholds".
      thresholds: DEFAULT_THRESHOLDS,
      healthFloor: 4,
      bugFix: DEFAULT_BUG_FIX_RULE,
    });
  });

  it('takes every default for an empty section and empty sub-maps', () => {
    expect(hotspotsOf(lines('hotspots:'))).toEqual(defaultConfig().hotspots);
    expect(hotspotsOf(lines('hotspots:', '  coupling:', '  thresholds:'))).toEqual(
      defaultConfig().hotspots,
    );
  });

  it('gives a fresh copy each time', () => {
    defaultConfig().hotspots.thresholds.complexMethod = 1;
    defaultConfig().hotspots.exclude.push('x');
    expect(defaultConfig().hotspots.thresholds.complexMethod).toBe(9);
    expect(defaultConfig().hotspots.exclude).toEqual([]);
  });
});

describe('hotspots config: the bug-fix rule', () => {
  it('reads a rule of its own, each pattern defaulting on its own', () => {
    expect(hotspotsOf(lines('hotspots:', '  bug-fix:', "    match: '^\\[bug\\]'")).bugFix).toEqual({
      match: String.raw`^\[bug\]`,
      ignore: DEFAULT_BUG_FIX_RULE.ignore,
    });
  });

  it('names the key and the line of a pattern that is not a regular expression', () => {
    const [error] = errorsOf(lines('hotspots:', '  bug-fix:', "    ignore: '(wip'"));
    expect(error).toMatchObject({ path: 'hotspots.bug-fix.ignore', line: 3 });
    expect(error!.message).toMatch(/Unterminated group/);
  });

  it('refuses a pattern that could backtrack catastrophically, saying how to rewrite it', () => {
    const [error] = errorsOf(lines('hotspots:', '  bug-fix:', "    match: '^(\\w+\\s?)*$'"));
    expect(error).toMatchObject({ path: 'hotspots.bug-fix.match', line: 3 });
    expect(error!.message).toMatch(/exponential .*repeated group.*Rewrite it without/);
  });
});

describe('the README', () => {
  it('shows the hotspots defaults, as a config that parses', () => {
    const block = /```yaml\n(hotspots:\n[\s\S]*?)```/.exec(readFileSync('README.md', 'utf8'))?.[1];
    expect(block).toBeDefined();
    expect(hotspotsOf(block!)).toEqual(defaultConfig().hotspots);
  });
});

describe('hotspots config: kebab-case YAML to camelCase fields', () => {
  it('reads every setting', () => {
    const hotspots = hotspotsOf(
      lines(
        'hotspots:',
        '  since: 2 years',
        '  top: 50',
        '  exclude: ["vendor/**", "**/*.generated.ts"]',
        '  max-changeset-size: 100',
        '  coupling:',
        '    min-revisions: 10',
        '    min-shared: 3',
        '    min-degree: 0.5',
        '  thresholds:',
        '    complex-method: 12',
        '    large-method: 100',
        '    deep-nesting: 5',
        '    bumpy-road: 3',
        '    complex-conditional: 3',
        '    many-arguments: 5',
        '    constructor-arguments: 8',
        '    large-file: 800',
        '    overall-complexity: 4.5',
        '    code-duplication: 15',
        '  health-floor: 6.5',
        '  bug-fix:',
        "    match: '^fix'",
        "    ignore: '^docs'",
      ),
    );
    expect(hotspots).toEqual({
      since: { months: 24, hours: 0 },
      top: 50,
      exclude: ['vendor/**', '**/*.generated.ts'],
      maxChangesetSize: 100,
      coupling: { minRevisions: 10, minShared: 3, minDegree: 0.5 },
      thresholds: {
        complexMethod: 12,
        largeMethod: 100,
        deepNesting: 5,
        bumpyRoad: 3,
        complexConditional: 3,
        manyArguments: 5,
        constructorArguments: 8,
        largeFile: 800,
        overallComplexity: 4.5,
        codeDuplication: 15,
      },
      healthFloor: 6.5,
      bugFix: { match: '^fix', ignore: '^docs' },
    });
  });

  it('merges a partial thresholds map with the defaults key by key', () => {
    const { thresholds } = hotspotsOf(
      lines('hotspots:', '  thresholds:', '    complex-method: 15'),
    );
    expect(thresholds).toEqual({ ...DEFAULT_THRESHOLDS, complexMethod: 15 });
  });

  it.each([
    ['12 months', { months: 12, hours: 0 }],
    ['1 year 6 months', { months: 18, hours: 0 }],
    ['6 mo', { months: 6, hours: 0 }],
    ['90 days', { months: 0, hours: 2160 }],
    ['1 year, 2 weeks', { months: 12, hours: 336 }],
  ])('reads since %j', (written, since) => {
    expect(hotspotsOf(lines('hotspots:', `  since: ${written}`)).since).toEqual(since);
  });
});

describe('hotspots config: errors a user can act on', () => {
  it('suggests the key a typo inside hotspots.thresholds meant', () => {
    expect(errorsOf(lines('hotspots:', '  thresholds:', '    complex-mehtod: 12'))).toEqual([
      {
        path: 'hotspots.thresholds.complex-mehtod',
        line: 3,
        column: 5,
        message: 'unknown key',
        suggestion: 'complex-method',
      },
    ]);
  });

  it('says where a threshold belongs when it is written one level too high', () => {
    const [error] = errorsOf(lines('hotspots:', '  large-file: 2000'));
    expect(error!.message).toBe(
      'unknown key in hotspots; large-file is a setting of hotspots.thresholds, so indent it under "thresholds:"',
    );
  });

  it.each([
    ['  top: many', 'hotspots.top', 'expected a whole number of 1 or more, got the string "many"'],
    ['  top: 2.5', 'hotspots.top', 'expected a whole number of 1 or more, got 2.5'],
    [
      '  max-changeset-size: 0',
      'hotspots.max-changeset-size',
      'expected a whole number of 1 or more, got 0',
    ],
    [
      '  exclude: vendor',
      'hotspots.exclude',
      'expected a list of strings, got the string "vendor"',
    ],
    ['  health-floor: 11', 'hotspots.health-floor', 'expected a code health from 1 to 10, got 11'],
    ['  thresholds: 9', 'hotspots.thresholds', 'expected a map of settings, got a number'],
    [
      '  thresholds: {deep-nesting: "4"}',
      'hotspots.thresholds.deep-nesting',
      'expected a whole number of 1 or more, got the string "4"',
    ],
    [
      '  thresholds: {many-arguments: -1}',
      'hotspots.thresholds.many-arguments',
      'expected a whole number of 0 or more, got -1',
    ],
    [
      '  thresholds: {overall-complexity: 0.5}',
      'hotspots.thresholds.overall-complexity',
      'expected a number of 1 or more, got 0.5',
    ],
    [
      '  coupling: {min-degree: true}',
      'hotspots.coupling.min-degree',
      'expected a fraction from 0 to 1 such as 0.3, got a boolean',
    ],
    [
      '  since: [12 months]',
      'hotspots.since',
      'expected a duration such as "12 months" or "1 year", got a list',
    ],
    [
      '  since: 0 days',
      'hotspots.since',
      'expected a duration longer than 0, such as "12 months", got "0 days"',
    ],
  ])('rejects %j', (line, path, message) => {
    expect(errorsOf(lines('hotspots:', line))).toEqual([
      { path, line: 2, column: expect.any(Number), message },
    ]);
  });

  it('reads a degree above 1 as a percentage and suggests the fraction', () => {
    expect(errorsOf(lines('hotspots:', '  coupling:', '    min-degree: 30'))).toEqual([
      {
        path: 'hotspots.coupling.min-degree',
        line: 3,
        column: 17,
        message: 'expected a fraction from 0 to 1 such as 0.3, got 30; write 0.3 for 30%',
        suggestion: '0.3',
      },
    ]);
  });

  it('asks for a unit on a bare number of months', () => {
    expect(errorsOf(lines('hotspots:', '  since: 6'))).toEqual([
      {
        path: 'hotspots.since',
        line: 2,
        column: 10,
        message: 'expected a duration such as "12 months" or "1 year", got 6 with no unit',
        suggestion: '6 months',
      },
    ]);
  });

  it('suggests the unit a misspelt since meant', () => {
    const [error] = errorsOf(lines('hotspots:', '  since: 2 yaers'));
    expect(error).toMatchObject({ path: 'hotspots.since', suggestion: '2 years' });
    expect(error!.message).toBe(
      'cannot read "2 yaers" as a duration: unknown unit "yaers"; use days, weeks, months or years',
    );
  });
});

const sectionKeys = knownKeysAt('hotspots')!;
const thresholdKeys = knownKeysAt('hotspots.thresholds')!;
const couplingKeys = knownKeysAt('hotspots.coupling')!;
const scalar = fc.oneof(
  fc.constantFrom('12 months', '1 yr', '3 dayz', '', 'vendor/**', 0.3, 30, -1, 0, 2.5),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
);
const keyOf = (known: readonly string[]) =>
  fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 10 }));

test.prop(
  [
    fc.dictionary(
      keyOf(sectionKeys),
      fc.oneof(
        scalar,
        fc.array(scalar, { maxLength: 3 }),
        fc.dictionary(keyOf([...thresholdKeys, ...couplingKeys]), scalar, { maxKeys: 4 }),
      ),
      { maxKeys: 6 },
    ),
  ],
  { numRuns: 300 },
)('every hotspots config parses or fails with located, worded errors', (section) => {
  const text = stringify({ hotspots: section });
  const result = parseConfig(text, CONFIG_FILE);
  if (result.ok) {
    const { thresholds, top, healthFloor } = result.config.hotspots;
    expect(Number.isInteger(top) && top >= 1).toBe(true);
    expect(healthFloor).toBeGreaterThanOrEqual(1);
    expect(Object.values(thresholds).every((value) => Number.isFinite(value))).toBe(true);
    return;
  }
  expectWellFormedErrors(text, result.errors);
});
