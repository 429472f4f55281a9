import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  analyseInParallel,
  endPrewarmedParser,
  prewarmParser,
  type ParseJob,
} from '../../src/health/parse-pool.ts';

/** Real source files from an installed package, enough to spread over several workers. */
function corpus(dir: string, limit: number): ParseJob[] {
  const jobs: ParseJob[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      if (jobs.length >= limit) return;
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|js|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts')) {
        jobs.push({ path, text: readFileSync(path, 'utf8') });
      }
    }
  };
  walk(dir);
  return jobs;
}

describe('analyseInParallel', () => {
  it('gives exactly the serial results, in job order, on worker threads', async () => {
    const jobs = corpus('node_modules/zod', 240);
    expect(jobs.length).toBeGreaterThan(100);
    let progress = 0;
    const parallel = await analyseInParallel(jobs, {
      threads: 3,
      onProgress: (done) => (progress = done),
    });
    const serial = await analyseInParallel(jobs, { threads: 1 });
    expect(parallel.map((a) => a.path)).toEqual(jobs.map((j) => j.path));
    expect(parallel).toEqual(serial);
    expect(progress).toBe(jobs.length);
  });

  it('parses a small job on a prewarmed worker, and ends one no job took', async () => {
    const jobs = corpus('node_modules/zod', 3);
    const serial = await analyseInParallel(jobs, { threads: 1 });
    prewarmParser();
    const onWorker = await analyseInParallel(jobs, { threads: 1 });
    expect(onWorker).toEqual(serial);
    prewarmParser();
    expect(await analyseInParallel([], { threads: 1 })).toEqual([]);
    await endPrewarmedParser();
    // Ended: the next small job runs in this thread again, with the same answer.
    expect(await analyseInParallel(jobs, { threads: 1 })).toEqual(serial);
  });
});
