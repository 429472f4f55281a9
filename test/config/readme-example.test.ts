import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.ts';

/** The YAML block after each "### Configuration" heading of README.md: what people copy. */
const readmeBlocks = [
  ...readFileSync('README.md', 'utf8').matchAll(/### Configuration[\s\S]*?```yaml\n([\s\S]*?)```/g),
].map((m, i) => [`README.md configuration block ${i + 1}`, m[1]!] as const);

describe('the configuration people copy', () => {
  it('README.md shows one block per configurable capability', () => {
    const firstKey = (text: string) => text.replace(/^#.*\n/gm, '').split(':')[0];
    expect(readmeBlocks.map(([, text]) => firstKey(text))).toEqual([
      'auto-merge',
      'review',
      'hotspots',
      'mutation',
      'test-gen',
      'refactor',
      'incidents',
      'chaos',
      'anomaly',
      'app',
    ]);
  });

  it('shows editors where the JSON Schema is, at the path it is committed to', () => {
    const [, first] = readmeBlocks[0]!;
    const line = /^# yaml-language-server: \$schema=(\S+)$/m.exec(first)?.[1];
    expect(line).toMatch(/\/schema\/steward\.schema\.json$/);
    expect(readFileSync('schema/steward.schema.json', 'utf8')).toContain('"$schema"');
  });

  it.each([
    ...readmeBlocks,
    ['.github/steward.yml', readFileSync('.github/steward.yml', 'utf8')] as const,
  ])('%s is a valid config', (file, text) => {
    const result = parseConfig(text, file);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});
