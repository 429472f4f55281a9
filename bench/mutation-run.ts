/**
 * Steward's overhead around Stryker on a tiny fixture. Rerun: `npm run bench:mutation`.
 *
 * Builds the vitest fixture of test/stryker (one module, one test file, node_modules linked to this
 * checkout's) in a temp dir, then RUNS times: a first run of the changed-lines ranges with a fresh
 * incremental file, and a rerun with the same file (nothing changed, every result reused). For each
 * it reports the wall time of `runner.run`, Stryker's own time (its process, start to exit), and the
 * difference: Steward's overhead (finding Stryker and its config, writing options, starting the
 * process, reading the report back). Median of the runs.
 *
 * This is a start: the figures (10× faster than a full run, 3× on an incremental rerun,
 * overhead under 2 s including diffing and posting) need a real repository with a real suite.
 */
import { rmSync } from 'node:fs';
import { findStrykerSetup } from '../src/stryker/setup.ts';
import { createStrykerRunner } from '../src/stryker/runner.ts';
import { createFixture } from '../test/stryker/fixture.ts';

const RUNS = Number(process.env['RUNS'] ?? 3);
const CONCURRENCY = Number(process.env['CONCURRENCY'] ?? 1);

interface Sample {
  wallMs: number;
  strykerMs: number;
  tested: number;
  reused: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const fixture = createFixture();
const runner = createStrykerRunner();
const ranges = [{ path: 'src/math.ts', startLine: 1, endLine: 8 }];
const first: Sample[] = [];
const rerun: Sample[] = [];
const setupMs: number[] = [];

async function sample(incrementalFile: string): Promise<Sample> {
  const started = performance.now();
  const outcome = await runner.run({
    root: fixture.root,
    ranges,
    incrementalFile,
    concurrency: CONCURRENCY,
  });
  const wallMs = performance.now() - started;
  if (outcome.kind !== 'report')
    throw new Error(`Stryker did not report: ${JSON.stringify(outcome)}`);
  return {
    wallMs,
    strykerMs: outcome.strykerMs,
    tested: outcome.mutantsTested,
    reused: outcome.mutantsNotRun,
  };
}

try {
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await findStrykerSetup(fixture.root);
    setupMs.push(performance.now() - t);
    const incrementalFile = `${fixture.root}/.steward/incremental-${String(i)}.json`;
    first.push(await sample(incrementalFile));
    rerun.push(await sample(incrementalFile));
    rmSync(incrementalFile, { force: true });
  }
  const row = (name: string, samples: Sample[]): string => {
    const wall = median(samples.map((s) => s.wallMs));
    const stryker = median(samples.map((s) => s.strykerMs));
    return `${name.padEnd(22)} wall ${wall.toFixed(0).padStart(6)} ms  stryker ${stryker.toFixed(0).padStart(6)} ms  steward overhead ${(wall - stryker).toFixed(0).padStart(4)} ms  tested ${String(samples[0]?.tested)}  not run (reused, ignored, no coverage) ${String(samples[0]?.reused)}`;
  };
  console.log(
    `mutation runner on the fixture, median of ${String(RUNS)}, concurrency ${String(CONCURRENCY)}`,
  );
  console.log(row('first run', first));
  console.log(row('incremental rerun', rerun));
  console.log(`finding Stryker, config and runner: median ${median(setupMs).toFixed(1)} ms`);
  const firstWall = median(first.map((s) => s.wallMs));
  const rerunWall = median(rerun.map((s) => s.wallMs));
  console.log(
    `rerun speed-up: ${(firstWall / rerunWall).toFixed(2)}x (fixture: Stryker's start and dry run dominate)`,
  );
} finally {
  fixture.cleanup();
}
