import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { DEFAULT_MODEL } from '../../src/llm/models.ts';
import { defaultRefactorConfig, REFACTOR_DEFAULTS } from '../../src/refactor/settings.ts';
import { configOf, errorsOf, lines } from './config-text.ts';

describe('refactor config', () => {
  const defaults = {
    model: DEFAULT_MODEL,
    maxOpen: 1,
    minHealthGain: 0.5,
    maxTargets: 3,
    topFiles: 10,
    maxCalls: 6,
    maxCostUsd: 2,
    include: [],
    exclude: [],
    testCommand: null,
    mutation: false,
  };

  it('has the documented defaults, also for an empty section', () => {
    expect(defaultConfig().refactor).toEqual(defaults);
    expect(defaultRefactorConfig()).toEqual(defaults);
    expect(configOf(lines('refactor:')).refactor).toEqual(defaults);
    expect(configOf(lines('refactor: {}')).refactor).toEqual(defaults);
    expect({ ...defaults, ...REFACTOR_DEFAULTS }).toEqual(defaults);
  });

  it('gives each call a fresh copy: changing one leaves the defaults alone', () => {
    const first = defaultRefactorConfig();
    first.exclude.push('src/**');
    expect(defaultRefactorConfig().exclude).toEqual([]);
  });

  it('reads every key', () => {
    const config = configOf(
      lines(
        'refactor:',
        '  model: claude-haiku-5-5',
        '  max-open: 2',
        '  min-health-gain: 1.5',
        '  max-targets: 5',
        '  top-files: 20',
        '  max-calls: 4',
        '  max-cost-usd: 0.75',
        "  include: ['src/**/*.ts', 'src/**/*.ts']",
        '  exclude: [src/generated/**]',
        '  test-command: npx vitest run',
        '  mutation: true',
      ),
    ).refactor;
    expect(config).toEqual({
      model: 'claude-haiku-5-5',
      maxOpen: 2,
      minHealthGain: 1.5,
      maxTargets: 5,
      topFiles: 20,
      maxCalls: 4,
      maxCostUsd: 0.75,
      include: ['src/**/*.ts'],
      exclude: ['src/generated/**'],
      testCommand: 'npx vitest run',
      mutation: true,
    });
  });

  it('rejects counts of 0, fractions and strings, naming the key and its line', () => {
    for (const key of ['max-open', 'max-targets', 'top-files', 'max-calls'])
      for (const value of ['0', '1.5', 'three', '-1']) {
        const [error] = errorsOf(lines('refactor:', '  model: x', `  ${key}: ${value}`));
        expect(error).toMatchObject({
          path: `refactor.${key}`,
          line: 3,
          column: 3 + key.length + 2,
        });
        expect(error!.message).toMatch(/^expected a whole number of 1 or more, got /);
      }
    const [string] = errorsOf(lines('refactor:', '  max-open: three'));
    expect(string!.message).toBe('expected a whole number of 1 or more, got the string "three"');
  });

  it('wants a health gain above 0 and reachable on a 1–10 scale', () => {
    for (const value of ['0', '-0.5', '9.5', '10', "'0.5'", 'null']) {
      const [error] = errorsOf(lines('refactor:', `  min-health-gain: ${value}`));
      expect(error).toMatchObject({ path: 'refactor.min-health-gain', line: 2 });
      expect(error!.message).toMatch(
        /^expected a health gain above 0 and at most 9, such as 0\.5, got /,
      );
    }
    expect(errorsOf(lines('refactor:', '  min-health-gain: 0'))[0]!.message).toBe(
      'expected a health gain above 0 and at most 9, such as 0.5, got 0',
    );
    expect(configOf(lines('refactor:', '  min-health-gain: 9')).refactor.minHealthGain).toBe(9);
    expect(configOf(lines('refactor:', '  min-health-gain: 0.1')).refactor.minHealthGain).toBe(0.1);
  });

  it('reads the model and the cost cap the way the review and test generation do', () => {
    const [model] = errorsOf(lines('refactor:', "  model: '  '"));
    expect(model).toMatchObject({ path: 'refactor.model', line: 2 });
    expect(model!.message).toBe(`must not be empty; remove the key to use ${DEFAULT_MODEL}`);
    const [cost] = errorsOf(lines('refactor:', "  max-cost-usd: '$3'"));
    expect(cost).toMatchObject({ path: 'refactor.max-cost-usd', line: 2, suggestion: '3' });
    const [testGen] = errorsOf(lines('test-gen:', "  max-cost-usd: '$3'"));
    expect(cost!.message).toBe(testGen!.message);
    const [zero] = errorsOf(lines('refactor:', '  max-cost-usd: 0'));
    expect(zero).toMatchObject({ path: 'refactor.max-cost-usd', line: 2 });
    expect(zero!.message).toBe(
      'expected a number of US dollars greater than 0, such as 1.5, got 0',
    );
  });

  it('says how to get the detected test command back, as test generation does', () => {
    expect(configOf(lines('refactor:', '  test-command: null')).refactor.testCommand).toBeNull();
    expect(
      configOf(lines('refactor:', "  test-command: '  npm test  '")).refactor.testCommand,
    ).toBe('npm test');
    const [error] = errorsOf(lines('refactor:', "  test-command: ''"));
    expect(error).toMatchObject({ path: 'refactor.test-command', line: 2 });
    expect(error!.message).toBe(
      'must not be empty; write null (or remove the key) to detect the command',
    );
    const [list] = errorsOf(lines('refactor:', '  test-command: [npm, test]'));
    expect(list!.message).toBe(
      'expected a command such as npx vitest run, or null to detect it, got a list',
    );
  });

  it('wants globs as a list of non-empty strings', () => {
    const [error] = errorsOf(lines('refactor:', '  include: src/**/*.ts'));
    expect(error).toMatchObject({ path: 'refactor.include', line: 2 });
    expect(error!.message).toBe(
      'expected a list of globs such as src/**/*.ts, got the string "src/**/*.ts"',
    );
    const [empty] = errorsOf(lines('refactor:', '  exclude:', '    - src/a.ts', "    - ''"));
    expect(empty).toMatchObject({ path: 'refactor.exclude[1]', line: 4 });
  });

  it('wants mutation as true or false', () => {
    const [error] = errorsOf(lines('refactor:', '  mutation: yes'));
    expect(error).toMatchObject({ path: 'refactor.mutation', line: 2 });
    expect(error!.message).toBe('expected true or false, got the string "yes"');
  });

  it('suggests the key for a typo and names the section when a key is at the wrong level', () => {
    const [key] = errorsOf(lines('refactor:', '  min-health: 1'));
    expect(key).toMatchObject({ path: 'refactor.min-health', line: 2 });
    const [plural] = errorsOf(lines('refactor:', '  top-file: 3'));
    expect(plural).toMatchObject({ path: 'refactor.top-file', line: 2, suggestion: 'top-files' });
    const [stray] = errorsOf(lines('min-health-gain: 1'));
    expect(stray).toMatchObject({ path: 'min-health-gain', line: 1 });
    expect(stray!.message).toContain('min-health-gain is a setting of refactor');
  });

  it('reports every wrong key of the section at once, in file order', () => {
    const errors = errorsOf(
      lines('refactor:', '  max-open: 0', '  mutation: 1', '  top-files: 2', '  max-calls: x'),
    );
    expect(errors.map((error) => [error.path, error.line])).toEqual([
      ['refactor.max-open', 2],
      ['refactor.mutation', 3],
      ['refactor.max-calls', 5],
    ]);
  });
});
