import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The GitHub edge reads top-down: client.ts names the types, areas share transport.ts, none loops. */
const DIR = join(import.meta.dirname, '../../src/github');

function imports(file: string): string[] {
  const text = readFileSync(join(DIR, file), 'utf8');
  return [...text.matchAll(/from '\.\/([\w-]+\.ts)'/g)].map((m) => m[1]!);
}

describe('src/github imports', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
  const graph = new Map(files.map((f) => [f, imports(f)]));

  it('form no cycle, type imports included', () => {
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      for (const next of graph.get(file) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else visit(next, [...path, next]);
      }
    };
    for (const file of files) visit(file, [file]);
    expect(cycles).toEqual([]);
  });

  it('keep the interface file free of imports: it holds every type it names', () => {
    expect(graph.get('client.ts')).toEqual([]);
  });
});
