import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { DEFAULT_MODEL } from '../../src/llm/models.ts';
import { defaultTestGenConfig } from '../../src/testgen/settings.ts';
import { configOf, errorsOf, lines } from './config-text.ts';

describe('test-gen config', () => {
  const defaults = {
    model: DEFAULT_MODEL,
    maxTargets: 5,
    runs: 5,
    maxCandidates: 4,
    maxCalls: 10,
    maxCostUsd: 2,
    include: [],
    exclude: [],
    testCommand: null,
    delivery: 'pull-request',
    offline: 'auto',
  };

  it('has the documented defaults, also for an empty section', () => {
    expect(defaultConfig().testGen).toEqual(defaults);
    expect(defaultTestGenConfig()).toEqual(defaults);
    expect(configOf(lines('test-gen:')).testGen).toEqual(defaults);
  });

  it('reads every key', () => {
    const config = configOf(
      lines(
        'test-gen:',
        '  model: claude-haiku-5-5',
        '  max-targets: 2',
        '  runs: 10',
        '  max-candidates: 6',
        '  max-calls: 3',
        '  max-cost-usd: 0.5',
        "  include: ['src/**/*.ts', 'src/**/*.ts']",
        '  exclude: [src/generated/**]',
        '  test-command: npx vitest run',
        '  delivery: push',
        '  offline: always',
      ),
    ).testGen;
    expect(config).toEqual({
      model: 'claude-haiku-5-5',
      maxTargets: 2,
      runs: 10,
      maxCandidates: 6,
      maxCalls: 3,
      maxCostUsd: 0.5,
      include: ['src/**/*.ts'],
      exclude: ['src/generated/**'],
      testCommand: 'npx vitest run',
      delivery: 'push',
      offline: 'always',
    });
  });

  it('reads the model and the cost cap the way the review does', () => {
    const [model] = errorsOf(lines('test-gen:', "  model: '  '"));
    expect(model).toMatchObject({ path: 'test-gen.model', line: 2 });
    expect(model!.message).toBe(`must not be empty; remove the key to use ${DEFAULT_MODEL}`);
    const [cost] = errorsOf(lines('test-gen:', "  max-cost-usd: '$3'"));
    expect(cost).toMatchObject({ path: 'test-gen.max-cost-usd', line: 2, suggestion: '3' });
    expect(cost!.message).toContain('write the bare number 3');
    const [review] = errorsOf(lines('review:', "  max-cost-usd: '$3'"));
    expect(review!.message).toBe(cost!.message);
  });

  it('wants at least two runs: one pass proves nothing about flakiness', () => {
    const [error] = errorsOf(lines('test-gen:', '  runs: 1'));
    expect(error).toMatchObject({ path: 'test-gen.runs', line: 2 });
    expect(error!.message).toBe('expected a whole number of 2 or more, got 1');
    expect(configOf(lines('test-gen:', '  runs: 2')).testGen.runs).toBe(2);
  });

  it('rejects a target cap of 0, a fraction and a string, naming key and line', () => {
    for (const value of ['0', '1.5', 'five']) {
      const [error] = errorsOf(lines('test-gen:', '  model: x', `  max-targets: ${value}`));
      expect(error).toMatchObject({ path: 'test-gen.max-targets', line: 3 });
      expect(error!.message).toMatch(/^expected a whole number of 1 or more, got /);
    }
    expect(errorsOf(lines('test-gen:', '  max-candidates: 0'))[0]).toMatchObject({
      path: 'test-gen.max-candidates',
      line: 2,
    });
  });

  it('lists the deliveries and offline modes it accepts', () => {
    const [delivery] = errorsOf(lines('test-gen:', '  delivery: commit'));
    expect(delivery).toMatchObject({ path: 'test-gen.delivery', line: 2 });
    expect(delivery!.message).toBe('expected one of pull-request, push, none, got "commit"');
    const [offline] = errorsOf(lines('test-gen:', '  offline: true'));
    expect(offline).toMatchObject({ path: 'test-gen.offline', line: 2 });
    expect(offline!.message).toBe('expected one of auto, always, never, got a boolean');
  });

  it('says how to get the detected test command back', () => {
    expect(configOf(lines('test-gen:', '  test-command: null')).testGen.testCommand).toBeNull();
    const [error] = errorsOf(lines('test-gen:', "  test-command: ''"));
    expect(error).toMatchObject({ path: 'test-gen.test-command', line: 2 });
    expect(error!.message).toContain('write null (or remove the key) to detect the command');
    const [list] = errorsOf(lines('test-gen:', '  test-command: [npm, test]'));
    expect(list!.message).toBe(
      'expected a command such as npx vitest run, or null to detect it, got a list',
    );
  });

  it('wants globs as a list of strings', () => {
    const [error] = errorsOf(lines('test-gen:', '  include: src/**/*.ts'));
    expect(error).toMatchObject({ path: 'test-gen.include', line: 2 });
    expect(error!.message).toBe(
      'expected a list of globs such as src/**/*.ts, got the string "src/**/*.ts"',
    );
    const [empty] = errorsOf(lines('test-gen:', "  exclude: ['']"));
    expect(empty).toMatchObject({ path: 'test-gen.exclude[0]', line: 2 });
  });

  it('suggests the section for the old spelling and the key for a typo', () => {
    const [section] = errorsOf(lines('testgen:', '  runs: 3'));
    expect(section).toMatchObject({ path: 'testgen', line: 1, suggestion: 'test-gen' });
    const [key] = errorsOf(lines('test-gen:', '  max-target: 3'));
    expect(key).toMatchObject({ path: 'test-gen.max-target', line: 2, suggestion: 'max-targets' });
  });
});
