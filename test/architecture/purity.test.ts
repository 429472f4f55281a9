import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// src/review is core (ARCHITECTURE.md): data in, data out. I/O belongs to the edges passed in.
const FORBIDDEN = [
  /from '@octokit\//,
  /from '@actions\//,
  /from 'node:child_process'/,
  /process\.env/,
  /\bfetch\(/,
];

describe('src/review purity', () => {
  const root = join(import.meta.dirname, '../../src/review');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );

  it.each(files)('%s does no I/O of its own', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    for (const pattern of FORBIDDEN)
      expect(text, `${file} matches ${pattern}`).not.toMatch(pattern);
  });
});
