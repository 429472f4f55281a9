/**
 * What Steward's own Stryker costs a repository that has none. Rerun: `npm run bench:stryker-install`.
 *
 * RUNS times, into a fresh temp tool directory: the first install of the vitest set (npm from this
 * machine's npm cache with --prefer-offline, as on CI after `npm ci` or a cached ~/.npm; packuments
 * npm has not cached come from the registry), then the reuse a later run pays (reading the marker).
 * Then one whole run of the test/stryker fixture without Stryker in its node_modules, installing
 * first, against the same run with the install already there. Medians.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStrykerTools, toolSetFor, type StrykerToolSet } from '../src/stryker/install.ts';
import { createStrykerRunner } from '../src/stryker/runner.ts';
import { createFixture } from '../test/stryker/fixture.ts';

const RUNS = Number(process.env['RUNS'] ?? 3);
const set = toolSetFor('vitest') as StrykerToolSet;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

const install: number[] = [];
const reuse: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  const toolRoot = mkdtempSync(join(tmpdir(), 'steward-bench-tools-'));
  try {
    const first = await timed(() => ensureStrykerTools(set, { toolRoot }));
    if (!first.value.ok) throw new Error(first.value.message);
    install.push(first.ms);
    const again = await timed(() => ensureStrykerTools(set, { toolRoot }));
    if (!again.value.ok || again.value.installedNow) throw new Error('the install was not reused');
    reuse.push(again.ms);
  } finally {
    rmSync(toolRoot, { recursive: true, force: true });
  }
}

const fixture = createFixture({
  withoutStryker: true,
  files: {
    'package.json': JSON.stringify({
      name: 'bench',
      type: 'module',
      devDependencies: { vitest: '*' },
    }),
  },
});
const toolRoot = mkdtempSync(join(tmpdir(), 'steward-bench-tools-'));
try {
  const runner = createStrykerRunner({ tools: { toolRoot } });
  const request = {
    root: fixture.root,
    ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 8 }],
    concurrency: 1,
  };
  const cold = await timed(() => runner.run(request));
  const warm = await timed(() => runner.run(request));
  if (cold.value.kind !== 'report' || warm.value.kind !== 'report')
    throw new Error(
      `Stryker did not report: ${JSON.stringify([cold.value.kind, warm.value.kind])}`,
    );
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  console.log(
    JSON.stringify(
      {
        runs: RUNS,
        packages: set.packages,
        installMs: round(median(install)),
        reuseMs: round(median(reuse)),
        runWithInstallMs: round(cold.ms),
        runWithInstalledMs: round(warm.ms),
        strykerMsWithInstalled: warm.value.strykerMs,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(toolRoot, { recursive: true, force: true });
  fixture.cleanup();
}
