import { describe, expect, it } from 'vitest';
import type { MutationRunner, MutationRunRequest } from '../../src/mutation/runner.ts';
import { baselineRanges, measureBaseline } from '../../src/testgen/baseline.ts';
import { targetsInText } from '../../src/testgen/targets.ts';
import type { TestTarget } from '../../src/testgen/types.ts';
import { MATH_SOURCE, mathReport } from '../mutation/report-fixtures.ts';

/** The targets of src/math.ts before any report: every changed line, no survivors known. */
function unranked(): TestTarget[] {
  const found = targetsInText('src/math.ts', MATH_SOURCE, [2, 3, 9]);
  if (!('targets' in found)) throw new Error('fixture does not parse');
  return found.targets;
}

const headText = (path: string) => (path === 'src/math.ts' ? MATH_SOURCE : null);

function runnerAnswering(answer: Awaited<ReturnType<MutationRunner['run']>>) {
  const requests: MutationRunRequest[] = [];
  const runner: MutationRunner = {
    run: (request) => {
      requests.push(request);
      return Promise.resolve(answer);
    },
  };
  return { runner, requests };
}

describe('measureBaseline', () => {
  it('runs Stryker once on the targets’ lines and ranks them by the survivors it found', async () => {
    const targets = unranked();
    expect(targets.map((t) => t.name)).toEqual(['clamp', 'isAdult']);
    const { runner, requests } = runnerAnswering({
      kind: 'report',
      report: mathReport(),
      partial: false,
      strykerMs: 10,
      mutantsTested: 9,
      mutantsNotRun: 0,
    });
    const baseline = await measureBaseline({
      targets,
      maxTargets: 1,
      runner,
      request: { root: '/repo', timeoutMs: 1000 },
      headText,
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      root: '/repo',
      timeoutMs: 1000,
      // New code no test imports yet must still get mutants, not "no tests found".
      allTests: true,
      ranges: [
        { path: 'src/math.ts', startLine: 1, endLine: 6 },
        { path: 'src/math.ts', startLine: 8, endLine: 10 },
      ],
    });
    expect(baseline.kind).toBe('measured');
    if (baseline.kind !== 'measured') return;
    // clamp has three survivors (ids 1, 3, 4), isAdult one (5) and a NoCoverage (7): clamp first.
    expect(baseline.targets.map((t) => [t.name, t.survivingMutants.map((m) => m.id)])).toEqual([
      ['clamp', ['1', '3', '4']],
    ]);
    expect(baseline.capped.map((t) => [t.name, t.survivingMutants.map((m) => m.id)])).toEqual([
      ['isAdult', ['5', '7']],
    ]);
    expect(baseline.capped[0]!.uncoveredLines).toEqual([9]);
  });

  it('ignores a report of another revision: its mutants would sit on the wrong lines', async () => {
    const report = mathReport();
    report.files['src/math.ts']!.source = `// moved\n${MATH_SOURCE}`;
    const { runner } = runnerAnswering({
      kind: 'report',
      report,
      partial: true,
      strykerMs: 10,
      mutantsTested: 9,
      mutantsNotRun: 0,
    });
    const baseline = await measureBaseline({
      targets: unranked(),
      maxTargets: 5,
      runner,
      request: { root: '/repo' },
      headText,
    });
    expect(baseline).toMatchObject({ kind: 'measured', partial: true });
    if (baseline.kind !== 'measured') return;
    expect(baseline.targets.every((t) => t.survivingMutants.length === 0)).toBe(true);
  });

  it.each([
    [
      { kind: 'dry-run-failed' as const, failingTests: ['a'], message: '1 test failed' },
      'the tests fail before any change, so no mutant can be measured: 1 test failed',
    ],
    [
      { kind: 'setup-failed' as const, message: 'no vitest runner', hint: 'add it' },
      'Stryker could not start: no vitest runner (add it)',
    ],
    [
      { kind: 'crashed' as const, message: 'out of memory', log: '' },
      'Stryker stopped without a result: out of memory',
    ],
  ])(
    'says why when Stryker gives no survivors (%o), keeping the targets',
    async (answer, message) => {
      const { runner } = runnerAnswering(answer);
      const baseline = await measureBaseline({
        targets: unranked(),
        maxTargets: 5,
        runner,
        request: { root: '/repo' },
        headText,
      });
      expect(baseline).toMatchObject({ kind: 'failed', message });
      expect(baseline.targets.map((t) => t.name)).toEqual(['clamp', 'isAdult']);
    },
  );

  it('reports a runner that throws as a failure, not a crash', async () => {
    const runner: MutationRunner = { run: () => Promise.reject(new Error('spawn ENOENT')) };
    const baseline = await measureBaseline({
      targets: unranked(),
      maxTargets: 5,
      runner,
      request: { root: '/repo' },
      headText,
    });
    expect(baseline).toMatchObject({ kind: 'failed', message: 'Stryker failed: spawn ENOENT' });
  });

  it('runs nothing when there are no targets', async () => {
    const { runner, requests } = runnerAnswering({ kind: 'crashed', message: '', log: '' });
    const baseline = await measureBaseline({
      targets: [],
      maxTargets: 5,
      runner,
      request: { root: '/repo' },
      headText,
    });
    expect(requests).toHaveLength(0);
    expect(baseline).toMatchObject({ kind: 'failed', targets: [] });
    expect(baselineRanges([])).toEqual([]);
  });
});
