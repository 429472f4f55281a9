import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AnalysisCache } from '../../src/health/analysis-cache.ts';
import type { FileAnalysis } from '../../src/health/types.ts';

const analysis = (path: string, loc: number): FileAnalysis => ({
  path,
  loc,
  functions: [],
  syntaxErrors: [],
});
let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('AnalysisCache', () => {
  it('keeps analyses by blob SHA across runs, under the path a blob has now', async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-cache-'));
    const file = join(dir, 'steward', 'analysis-cache.jsonl');
    const first = await AnalysisCache.load(file, 1);
    first.set('aaa', analysis('a.ts', 3));
    await first.save();

    const second = await AnalysisCache.load(file, 1);
    expect(second.get('aaa', 'renamed.ts')).toEqual(analysis('renamed.ts', 3));
    expect(second.get('bbb', 'b.ts')).toBeUndefined();
    second.set('bbb', analysis('b.ts', 5));
    const before = readFileSync(file, 'utf8');
    await second.save();
    // Adding appends: what was there stays byte for byte.
    expect(readFileSync(file, 'utf8').startsWith(before)).toBe(true);

    const third = await AnalysisCache.load(file, 1);
    expect(third.get('bbb', 'b.ts')?.loc).toBe(5);
    expect([third.hits, third.misses]).toEqual([1, 0]);
  });

  it('ignores another version and a torn last line, and heals on the next save', async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-cache-'));
    const file = join(dir, 'analysis-cache.jsonl');
    const cache = await AnalysisCache.load(file, 1);
    cache.set('aaa', analysis('a.ts', 3));
    await cache.save();
    appendFileSync(file, 'bbb\t{"path":"b.ts","lo');
    const torn = await AnalysisCache.load(file, 1);
    expect(torn.get('aaa', 'a.ts')?.loc).toBe(3);
    torn.set('ddd', analysis('d.ts', 4));
    await torn.save();
    expect((await AnalysisCache.load(file, 1)).get('ddd', 'd.ts')?.loc).toBe(4);

    const newer = await AnalysisCache.load(file, 2);
    expect(newer.get('aaa', 'a.ts')).toBeUndefined();
    newer.set('ccc', analysis('c.ts', 1));
    await newer.save();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    writeFileSync(file, 'not a cache');
    expect((await AnalysisCache.load(file, 2)).get('ccc', 'c.ts')).toBeUndefined();
  });
});
