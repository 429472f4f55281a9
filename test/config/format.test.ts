import { describe, expect, it } from 'vitest';
import { formatConfigErrors, formatPath } from '../../src/config/format.ts';

describe('formatPath', () => {
  it('joins keys with dots and indexes with brackets', () => {
    expect(formatPath(['auto-merge', 'update-types', 'dependencies', 1])).toBe(
      'auto-merge.update-types.dependencies[1]',
    );
    expect(formatPath([])).toBe('');
  });

  it('quotes keys that would read as path syntax', () => {
    expect(formatPath(['auto-merge', 'a.b'])).toBe('auto-merge["a.b"]');
    expect(formatPath([''])).toBe('[""]');
  });
});

describe('formatConfigErrors', () => {
  it('puts each error on its own line with file, line, column, path and suggestion', () => {
    const text = formatConfigErrors(
      [
        {
          path: 'auto-merge.reveiw',
          line: 3,
          column: 3,
          message: 'unknown key',
          suggestion: 'review',
        },
        { path: '', line: 9, column: 1, message: 'YAML syntax error: Map keys must be unique' },
      ],
      '.github/steward.yml',
    );
    expect(text.split('\n')).toEqual([
      '.github/steward.yml:3:3  auto-merge.reveiw: unknown key. Did you mean "review"?',
      '.github/steward.yml:9:1  YAML syntax error: Map keys must be unique',
    ]);
  });

  it('applies a palette to the parts of a line', () => {
    const text = formatConfigErrors(
      [{ path: 'a', line: 1, column: 2, message: 'm', suggestion: 'b' }],
      'f',
      { location: (s) => `<${s}>`, path: (s) => `*${s}*`, suggestion: (s) => `_${s}_` },
    );
    expect(text).toBe('<f:1:2>  *a*: m. Did you mean _"b"_?');
  });
});
