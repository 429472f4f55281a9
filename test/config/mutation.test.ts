import { configOf, errorsOf, lines } from './config-text.ts';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { invalidCallPattern } from '../../src/mutation/settings.ts';

describe('mutation config', () => {
  it('has the documented defaults, also for an empty section', () => {
    const expected = {
      failUnder: null,
      failOnSurvivors: false,
      maxCommentsPerLine: 1,
      maxComments: 10,
      ignore: [],
      mutate: null,
    };
    expect(defaultConfig().mutation).toEqual(expected);
    expect(configOf(lines('mutation:')).mutation).toEqual(expected);
  });

  it('reads every key', () => {
    const config = configOf(
      lines(
        'mutation:',
        '  fail-under: 75.5',
        '  fail-on-survivors: true',
        '  max-comments-per-line: 2',
        '  max-comments: 0',
        '  ignore: [logger.*, metrics.increment, logger.*]',
        "  mutate: ['src/**/*.ts', '!src/**/*.spec.ts']",
      ),
    ).mutation;
    expect(config).toEqual({
      failUnder: 75.5,
      failOnSurvivors: true,
      maxCommentsPerLine: 2,
      maxComments: 0,
      ignore: ['logger.*', 'metrics.increment'],
      mutate: ['src/**/*.ts', '!src/**/*.spec.ts'],
    });
  });

  it('names key and line of a score out of range, with the bare number for "80%"', () => {
    const [error] = errorsOf(lines('mutation:', "  fail-under: '80%'"));
    expect(error).toMatchObject({ path: 'mutation.fail-under', line: 2 });
    expect(error!.message).toMatch(/from 0 to 100.*write the bare number 80/);
    const [high] = errorsOf(lines('mutation:', '  fail-under: 101'));
    expect(high).toMatchObject({ path: 'mutation.fail-under', line: 2 });
    expect(high!.message).toContain('got 101');
    expect(configOf(lines('mutation:', '  fail-under: 0')).mutation.failUnder).toBe(0);
  });

  it('rejects a per-line cap of 0 and a negative per-PR cap', () => {
    expect(errorsOf(lines('mutation:', '  max-comments-per-line: 0'))[0]).toMatchObject({
      path: 'mutation.max-comments-per-line',
      line: 2,
    });
    expect(errorsOf(lines('mutation:', '  max-comments: -1'))[0]).toMatchObject({
      path: 'mutation.max-comments',
      line: 2,
    });
  });

  it('names the item of an ignore pattern that is not a call', () => {
    const errors = errorsOf(lines('mutation:', '  ignore:', '    - logger.*', '    - "log(x)"'));
    expect(errors[0]).toMatchObject({ path: 'mutation.ignore[1]', line: 4 });
    expect(errors[0]!.message).toMatch(/expected a call such as logger\.\*/);
  });

  it('rejects ignoring every call', () => {
    expect(invalidCallPattern('*')).toMatch(/every call/);
    expect(invalidCallPattern('*.*')).toMatch(/every call/);
    expect(invalidCallPattern('console.*')).toBeNull();
    expect(invalidCallPattern('a..b')).toMatch(/expected a call/);
    expect(invalidCallPattern('logger.*; rm -rf /')).toMatch(/expected a call/);
  });

  it('rejects a line range and an empty list in mutate', () => {
    const [range] = errorsOf(lines('mutation:', '  mutate: [src/a.ts:1-9]'));
    expect(range).toMatchObject({ path: 'mutation.mutate[0]', line: 2 });
    expect(range!.message).toMatch(/line range/);
    expect(errorsOf(lines('mutation:', '  mutate: []'))[0]).toMatchObject({
      path: 'mutation.mutate',
    });
  });

  it('suggests the key for a misspelt one', () => {
    const [error] = errorsOf(lines('mutation:', '  fail_under: 80'));
    expect(error).toMatchObject({ line: 2, suggestion: 'fail-under' });
  });
});
