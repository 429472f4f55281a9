import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.ts';

describe('the configuration people copy', () => {
  it.each([
    [
      'README.md',
      () =>
        /### Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(
          readFileSync('README.md', 'utf8'),
        )?.[1],
    ],
    ['.github/steward.yml', () => readFileSync('.github/steward.yml', 'utf8')],
  ])('%s is a valid config', (file, read) => {
    const text = read();
    expect(text).toBeDefined();
    const result = parseConfig(text!, file);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});
