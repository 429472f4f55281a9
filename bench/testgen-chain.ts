/**
 * The filter chain on the fixture project, a candidate of each kind. Rerun: `npm run bench:testgen-chain`.
 *
 * Builds test/testrun's fixture (the mutation fixture plus a module with a real bug; node_modules
 * linked to this checkout's) and runs the chain once per RUNS with the real TestRunPort: the
 * in-memory type-check (a child process), vitest on the one test file (first pass, then 5 shuffled
 * reruns with fresh fast-check seeds), one Stryker run on the targets' lines. It reports the wall
 * time of each port call kind, the chain's own time outside them (Steward's part), and the funnel
 * beside TestGen-LLM's published one (75% built, 57% passed reliably, 25% added coverage).
 */
import { runChain } from '../src/testgen/chain.ts';
import type { TestRunPort } from '../src/testgen/test-runner.ts';
import { createTestRunPort } from '../src/testrun/port.ts';
import {
  DOUBLE,
  FLAKY_SEEDS,
  IS_ADULT,
  ONE_OF_EACH,
  PERCENT_OFF,
  appendPlacement,
  createChainFixture,
} from '../test/testrun/fixture.ts';

const RUNS = Number(process.env['RUNS'] ?? 1);

const percent = (part: number, whole: number): string =>
  whole === 0 ? '-' : `${((100 * part) / whole).toFixed(0)}%`;

for (let i = 0; i < RUNS; i += 1) {
  const fixture = createChainFixture();
  try {
    const port = createTestRunPort({ root: fixture.root, framework: 'vitest', concurrency: 1 });
    const spent = { typeCheck: [] as number[], run: [] as number[], mutantsKilled: [] as number[] };
    const timed = <A extends unknown[], R>(
      list: number[],
      fn: (...args: A) => Promise<R>,
    ): ((...args: A) => Promise<R>) => {
      return async (...args: A) => {
        const started = performance.now();
        try {
          return await fn(...args);
        } finally {
          list.push(performance.now() - started);
        }
      };
    };
    const measured: TestRunPort = {
      typeCheck: timed(spent.typeCheck, port.typeCheck.bind(port)),
      run: timed(spent.run, port.run.bind(port)),
      mutantsKilled: timed(spent.mutantsKilled, port.mutantsKilled.bind(port)),
    };
    const seeds = [...FLAKY_SEEDS];
    const started = performance.now();
    const { funnel } = await runChain(ONE_OF_EACH, appendPlacement, measured, {
      targets: [IS_ADULT, DOUBLE, PERCENT_OFF],
      nextSeed: () => seeds.shift() ?? 99,
    });
    const wall = performance.now() - started;
    const sum = (list: number[]): number => list.reduce((a, b) => a + b, 0);
    const inPort = sum(spent.typeCheck) + sum(spent.run) + sum(spent.mutantsKilled);
    const ms = (n: number): string => `${n.toFixed(0)} ms`;
    console.log(
      `run ${String(i + 1)} of ${String(RUNS)}: ${String(ONE_OF_EACH.length)} candidates, 2 targets measured`,
    );
    console.log(`  wall ${ms(wall)}; chain outside the port (Steward's part) ${ms(wall - inPort)}`);
    console.log(
      `  type-check: ${String(spent.typeCheck.length)} calls, ${ms(sum(spent.typeCheck))}`,
    );
    console.log(`  vitest: ${String(spent.run.length)} runs, ${ms(sum(spent.run))}`);
    console.log(
      `  Stryker: ${String(spent.mutantsKilled.length)} run, ${ms(sum(spent.mutantsKilled))}`,
    );
    const c = funnel.candidates;
    console.log(
      `  funnel: ${String(c)} candidates → ${String(funnel.typeChecks)} type-check (${percent(funnel.typeChecks, c)}; TestGen-LLM 75% built)` +
        ` → ${String(funnel.passes)} pass → ${String(funnel.stable)} stable (${percent(funnel.stable, c)}; TestGen-LLM 57%)` +
        ` → ${String(funnel.addsValue)} add value (${percent(funnel.addsValue, c)}; TestGen-LLM 25%) → ${String(funnel.kept)} kept;` +
        ` ${String(funnel.possibleBugs)} possible bug`,
    );
  } finally {
    fixture.cleanup();
  }
}
