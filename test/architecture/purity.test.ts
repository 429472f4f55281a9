import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE_FOLDERS } from './core-folders.ts';

// The core is data in, data out (ARCHITECTURE.md): I/O belongs to the edges passed in.
const FORBIDDEN = [
  /from '@octokit\//,
  /from '@actions\//,
  /from 'node:child_process'/,
  /process\.env/,
  /\bfetch\(/,
];

const src = join(import.meta.dirname, '../../src');

describe.each(CORE_FOLDERS)('src/%s purity', (folder) => {
  const files = readdirSync(join(src, folder), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s does no I/O of its own', (file) => {
    const text = readFileSync(join(src, folder, file), 'utf8');
    for (const pattern of FORBIDDEN)
      expect(text, `src/${folder}/${file} matches ${pattern}`).not.toMatch(pattern);
  });
});

describe('the core folders', () => {
  it('are every folder of src/ but the edges and the faces', () => {
    const edgesAndFaces = [
      'cli',
      'config',
      'git',
      'github',
      'llm',
      'prometheus',
      'prettier',
      'registry',
      'stryker',
      'testrun',
    ];
    const folders = readdirSync(src, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !edgesAndFaces.includes(entry.name))
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual([...CORE_FOLDERS]);
  });
});
