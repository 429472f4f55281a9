import { describe, expect, it } from 'vitest';
import { formatConfigErrors } from '../../src/config/format.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { CONFIG_FILE as FILE, configOf, errorsOf, lines } from './config-text.ts';

describe('parseConfig: defaults', () => {
  it.each([
    ['an empty file', ''],
    ['a file of comments', '# nothing configured yet\n'],
    ['an explicit null document', '~\n'],
  ])('treats %s as all defaults', (_, text) => {
    expect(configOf(text)).toEqual(defaultConfig());
  });

  it('has the documented auto-merge defaults', () => {
    expect(defaultConfig().autoMerge).toEqual({
      bots: ['renovate[bot]', 'dependabot[bot]'],
      mode: 'merge',
      mergeMethod: 'squash',
      extraFiles: [],
      updateTypes: {
        dependencies: ['patch', 'minor', 'pin', 'digest'],
        devDependencies: ['patch', 'minor', 'pin', 'digest'],
        optionalDependencies: ['patch', 'minor', 'pin', 'digest'],
        peerDependencies: ['patch', 'pin'],
        types: ['patch', 'minor', 'pin', 'digest'],
      },
      allow: [],
      deny: [],
      security: { updateTypes: ['patch', 'minor'] },
      minimumReleaseAgeHours: 72,
      registry: 'https://registry.npmjs.org',
      allowWithoutRequiredChecks: false,
      allowSkippedChecks: false,
      allowNeutralChecks: false,
      refusalLabel: 'steward:not-merged',
      commentOnRefusal: true,
      baseBranches: [],
    });
  });

  it('gives a fresh copy each time, so callers cannot change the defaults', () => {
    defaultConfig().autoMerge.bots.push('someone[bot]');
    expect(defaultConfig().autoMerge.bots).toEqual(['renovate[bot]', 'dependabot[bot]']);
  });

  it('merges a partial update-types map with the defaults key by key', () => {
    const config = configOf(
      lines('auto-merge:', '  update-types:', '    dependencies: [patch]', '    types: []'),
    );
    expect(config.autoMerge.updateTypes).toEqual({
      dependencies: ['patch'],
      devDependencies: ['patch', 'minor', 'pin', 'digest'],
      optionalDependencies: ['patch', 'minor', 'pin', 'digest'],
      peerDependencies: ['patch', 'pin'],
      types: [],
    });
    expect(config.autoMerge.mergeMethod).toBe('squash');
  });

  it('takes the defaults for a section left empty', () => {
    expect(configOf(lines('auto-merge:', 'review:'))).toEqual(defaultConfig());
  });
});

describe('parseConfig: kebab-case YAML to camelCase fields', () => {
  it('reads every auto-merge setting', () => {
    const config = configOf(
      lines(
        'auto-merge:',
        '  bots: ["renovate[bot]"]',
        '  mode: native',
        '  merge-method: rebase',
        '  extra-files: ["**/Cargo.lock", "go.sum"]',
        '  update-types:',
        '    dev-dependencies: [major, minor]',
        '    optional-dependencies: [patch]',
        '    peer-dependencies: []',
        '  allow: ["@types/*", eslint*]',
        '  deny: [typescript]',
        '  security:',
        '    update-types: [patch, minor, major]',
        '  minimum-release-age: 12 hours',
        '  registry: https://npm.example.com/',
        '  allow-without-required-checks: true',
        '  allow-skipped-checks: true',
        '  allow-neutral-checks: true',
        '  refusal-label: ""',
        '  comment-on-refusal: false',
        "  base-branches: ['release/*']",
      ),
    );
    expect(config.autoMerge).toEqual({
      bots: ['renovate[bot]'],
      mode: 'native',
      mergeMethod: 'rebase',
      extraFiles: ['**/Cargo.lock', 'go.sum'],
      updateTypes: {
        dependencies: ['patch', 'minor', 'pin', 'digest'],
        devDependencies: ['major', 'minor'],
        optionalDependencies: ['patch'],
        peerDependencies: [],
        types: ['patch', 'minor', 'pin', 'digest'],
      },
      allow: ['@types/*', 'eslint*'],
      deny: ['typescript'],
      security: { updateTypes: ['patch', 'minor', 'major'] },
      minimumReleaseAgeHours: 12,
      registry: 'https://npm.example.com/',
      allowWithoutRequiredChecks: true,
      allowSkippedChecks: true,
      allowNeutralChecks: true,
      refusalLabel: null,
      commentOnRefusal: false,
      baseBranches: ['release/*'],
    });
  });

  it.each([
    ['"3 days"', 72],
    ['1 week', 168],
    ['"0"', 0],
    ['0', 0],
    ['48', 48],
    ['1.5', 1.5],
  ])('reads minimum-release-age %s as %d hours', (written, hours) => {
    const config = configOf(lines('auto-merge:', `  minimum-release-age: ${written}`));
    expect(config.autoMerge.minimumReleaseAgeHours).toBe(hours);
  });

  it('turns a null refusal label into no label', () => {
    expect(configOf(lines('auto-merge:', '  refusal-label: null')).autoMerge.refusalLabel).toBe(
      null,
    );
  });
});

describe('parseConfig: errors a user can act on', () => {
  it('names a misspelt section, its line, and the section it meant', () => {
    const errors = errorsOf(lines('# Steward', 'auto-merge:', '  mode: merge', 'reveiw: {}'));
    expect(errors).toEqual([
      { path: 'reveiw', line: 4, column: 1, message: 'unknown key', suggestion: 'review' },
    ]);
    expect(formatConfigErrors(errors, FILE)).toBe(
      '.github/steward.yml:4:1  reveiw: unknown key. Did you mean "review"?',
    );
  });

  it('names a misspelt key inside auto-merge with the key it meant', () => {
    const errors = errorsOf(
      lines('auto-merge:', '  bots:', '    - renovate[bot]', '  merge-mehtod: rebase'),
    );
    expect(errors).toEqual([
      {
        path: 'auto-merge.merge-mehtod',
        line: 4,
        column: 3,
        message: 'unknown key',
        suggestion: 'merge-method',
      },
    ]);
  });

  it('suggests the kebab-case key for a camelCase one', () => {
    const [error] = errorsOf(
      lines('auto-merge:', '  update-types:', '    devDependencies: [major]'),
    );
    expect(error).toMatchObject({
      path: 'auto-merge.update-types.devDependencies',
      line: 3,
      suggestion: 'dev-dependencies',
    });
  });

  it('names the path, the expected type and the line of a wrong type', () => {
    const errors = errorsOf(lines('auto-merge:', '  mode: merge', '  bots: 3'));
    expect(errors).toEqual([
      {
        path: 'auto-merge.bots',
        line: 3,
        column: 9,
        message: 'expected a list of strings, got a number',
      },
    ]);
    expect(formatConfigErrors(errors, FILE)).toBe(
      '.github/steward.yml:3:9  auto-merge.bots: expected a list of strings, got a number',
    );
  });

  it('points at the offending item of a list', () => {
    const errors = errorsOf(
      lines('auto-merge:', '  bots:', '    - renovate[bot]', '    - 42', '    - ""'),
    );
    expect(errors).toEqual([
      {
        path: 'auto-merge.bots[1]',
        line: 4,
        column: 7,
        message: 'expected a string, got a number',
      },
      {
        path: 'auto-merge.bots[2]',
        line: 5,
        column: 7,
        message: 'must not be empty; remove the empty item',
      },
    ]);
  });

  it('lists the allowed values of a misspelt enum and suggests the nearest', () => {
    const errors = errorsOf(lines('auto-merge:', '  merge-method: sqash'));
    expect(errors).toEqual([
      {
        path: 'auto-merge.merge-method',
        line: 2,
        column: 17,
        message: 'expected one of squash, merge, rebase, got "sqash"',
        suggestion: 'squash',
      },
    ]);
  });

  it('names the item of an update-type list that is wrong', () => {
    const [error] = errorsOf(
      lines('auto-merge:', '  update-types:', '    dependencies: [patch, minr]'),
    );
    expect(error).toEqual({
      path: 'auto-merge.update-types.dependencies[1]',
      line: 3,
      column: 27,
      message: 'expected one of major, minor, patch, digest, pin, got "minr"',
      suggestion: 'minor',
    });
  });

  it('explains a duration it cannot read', () => {
    const [error] = errorsOf(lines('auto-merge:', '  minimum-release-age: 3 dayz'));
    expect(error).toMatchObject({
      path: 'auto-merge.minimum-release-age',
      line: 2,
      column: 24,
      suggestion: '3 days',
    });
    expect(error!.message).toContain('cannot read "3 dayz" as a duration');
    expect(error!.message).toContain('unknown unit "dayz"');
  });

  it.each([
    ['-5', 'expected a number of hours of 0 or more, got -5'],
    ['[3 days]', 'expected a duration such as "3 days" or a number of hours, got a list'],
  ])('rejects minimum-release-age %s', (written, message) => {
    const [error] = errorsOf(lines('auto-merge:', `  minimum-release-age: ${written}`));
    expect(error).toMatchObject({ path: 'auto-merge.minimum-release-age', message });
  });

  it('rejects a registry that is not an http(s) URL', () => {
    const [error] = errorsOf(lines('auto-merge:', '  registry: ftp://example.com'));
    expect(error?.message).toBe(
      'expected an http(s) URL such as https://registry.npmjs.org, got "ftp://example.com"',
    );
  });

  it('says YAML 1.2 has no "yes" for a boolean', () => {
    const [error] = errorsOf(lines('auto-merge:', '  allow-skipped-checks: yes'));
    expect(error).toMatchObject({
      path: 'auto-merge.allow-skipped-checks',
      message: 'expected true or false, got the string "yes"',
    });
  });

  it('reports an unknown key in the anomaly section with the keys it has', () => {
    const [error] = errorsOf(lines('anomaly:', '  framework: vitest'));
    expect(error).toEqual({
      path: 'anomaly.framework',
      line: 2,
      column: 3,
      message:
        'unknown key; expected one of prometheus, range, horizon, detector, incident, series, capacity',
    });
  });

  it('says where a setting belongs when it is at the wrong level', () => {
    const [error] = errorsOf(lines('bots: ["renovate[bot]"]'));
    expect(error).toMatchObject({ path: 'bots', line: 1, column: 1 });
    expect(error!.message).toContain('bots is a setting of auto-merge');
  });

  it('lists the known keys when nothing is close', () => {
    const [error] = errorsOf(lines('auto-merge:', '  labels: [x]'));
    expect(error!.suggestion).toBeUndefined();
    expect(error!.message).toMatch(/^unknown key; expected one of bots, mode, merge-method, /);
  });

  it('reports every problem at once, in file order', () => {
    const errors = errorsOf(
      lines('reveiw: {}', 'auto-merge:', '  bots: 3', '  mode: natve', 'chaos:', '  x: 1'),
    );
    expect(errors.map((error) => [error.path, error.line])).toEqual([
      ['reveiw', 1],
      ['auto-merge.bots', 3],
      ['auto-merge.mode', 4],
      ['chaos.x', 6],
    ]);
  });

  it('reports a YAML syntax error with its line', () => {
    const errors = errorsOf(lines('auto-merge:', '  bots: [renovate[bot]', '  mode: merge'));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.path).toBe('');
    expect(errors[0]!.message).toMatch(/^YAML syntax error: /);
    expect(errors[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('tells how to write a bot name inside a [ ] list', () => {
    const [error] = errorsOf(lines('auto-merge:', '  bots: [renovate[bot], dependabot[bot]]'));
    expect(error).toMatchObject({ path: '', line: 2 });
    expect(error!.message).toContain(
      'inside a [ ] list, quote names that contain brackets: "renovate[bot]"',
    );
  });

  it('reports a duplicated key where it repeats', () => {
    const errors = errorsOf(lines('auto-merge:', '  mode: merge', '  mode: native'));
    expect(errors).toEqual([
      {
        path: '',
        line: 3,
        column: 3,
        message:
          'YAML syntax error: Map keys must be unique; the key appears twice in the same map, keep one',
      },
    ]);
  });

  it('rejects a top level that is not a map', () => {
    const [error] = errorsOf(lines('- review', '- auto-merge'));
    expect(error!.message).toMatch(/^expected a map of sections \(review, .*\) at the top of/);
    expect(error!.message).toMatch(/got a list$/);
  });

  it('refuses a document that expands aliases without bound', () => {
    const errors = errorsOf(
      lines(
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      ),
    );
    expect(errors[0]!.message).toContain('aliases');
  });

  it('does not let __proto__ through as a setting', () => {
    const [error] = errorsOf(lines('"__proto__":', '  polluted: true'));
    expect(error).toMatchObject({ path: '__proto__', line: 1 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
