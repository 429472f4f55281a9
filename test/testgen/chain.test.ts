import { describe, expect, it } from 'vitest';
import { runChain, type FilePlacement } from '../../src/testgen/chain.ts';
import type {
  MutantTarget,
  RunOptions,
  TestOutcome,
  TestRunPort,
  TypeDiagnostic,
} from '../../src/testgen/test-runner.ts';
import type { TestCandidate, TestTarget } from '../../src/testgen/types.ts';

/** How one candidate behaves in the in-memory port. */
interface Behaviour {
  typeErrors?: string[];
  /** A type error outside the test (its import), seen only when the file holds it. */
  importError?: string;
  /** Outcome of the n-th run (0 = the first pass). */
  run?: (n: number, seed: number) => TestOutcome;
  kills?: string[];
  covers?: string[];
}

const PASS: TestOutcome = { status: 'passed' };
const assertion = (message: string): TestOutcome => ({
  status: 'failed',
  failure: 'assertion',
  message,
});
const exception = (message: string): TestOutcome => ({
  status: 'failed',
  failure: 'exception',
  message,
});

const TARGET: TestTarget = {
  path: 'src/math.ts',
  name: 'isAdult',
  startLine: 5,
  endLine: 8,
  exported: true,
  changedLines: [7],
  uncoveredLines: [10],
  survivingMutants: [
    {
      id: 'm1',
      mutator: 'EqualityOperator',
      line: 7,
      original: 'age >= 18',
      replacement: 'age > 18',
      status: 'Survived',
    },
    {
      id: 'm2',
      mutator: 'BooleanLiteral',
      line: 10,
      original: 'true',
      replacement: 'false',
      status: 'NoCoverage',
    },
  ],
};

function candidate(name: string, kind: 'example' | 'property' = 'example'): TestCandidate {
  return {
    name,
    code: `it('${name}', () => {})`,
    imports: [],
    target: 'isAdult',
    kind,
    origin: 'model',
  };
}

/** The file is the JSON list of the names it holds; the port reads it back. */
const placement: FilePlacement = {
  path: 'test/math.test.ts',
  build: (list) => JSON.stringify(list.map((c) => c.name)),
};

function fakePort(behaviours: Record<string, Behaviour>, baselineErrors: string[] = []) {
  const calls = { typeCheck: 0, run: [] as RunOptions[], mutants: [] as MutantTarget[][] };
  const runsOf = new Map<string, number>();
  const port: TestRunPort = {
    typeCheck(file) {
      calls.typeCheck += 1;
      const names = JSON.parse(file.text) as string[];
      const byTest = new Map<string, TypeDiagnostic[]>();
      const fileErrors: TypeDiagnostic[] = baselineErrors.map((message) => ({ line: 1, message }));
      for (const name of names) {
        const b = behaviours[name] ?? {};
        if (b.typeErrors !== undefined)
          byTest.set(
            name,
            b.typeErrors.map((message) => ({ line: 3, message })),
          );
        if (b.importError !== undefined) fileErrors.push({ line: 1, message: b.importError });
      }
      return Promise.resolve({ byTest, fileErrors });
    },
    run(file, options) {
      calls.run.push(options);
      const names = JSON.parse(file.text) as string[];
      expect([...options.names].sort()).toEqual([...names].sort());
      const tests = new Map<string, TestOutcome>();
      for (const name of names) {
        const n = runsOf.get(name) ?? 0;
        runsOf.set(name, n + 1);
        tests.set(name, behaviours[name]?.run?.(n, options.seed) ?? PASS);
      }
      return Promise.resolve({ kind: 'ran', tests });
    },
    mutantsKilled(file, targets, names) {
      calls.mutants.push([...targets]);
      expect(JSON.parse(file.text)).toEqual(names);
      return Promise.resolve({
        kind: 'measured',
        byTest: new Map(
          names.map((name) => [
            name,
            { kills: behaviours[name]?.kills ?? [], covers: behaviours[name]?.covers ?? [] },
          ]),
        ),
      });
    },
  };
  return { port, calls };
}

let seedCounter = 0;
const nextSeed = (): number => (seedCounter += 1);

describe('runChain', () => {
  it('sends each candidate down its own path and counts every stage exactly', async () => {
    const behaviours: Record<string, Behaviour> = {
      'does not compile': { typeErrors: ["TS2345: Argument of type 'string' is not assignable"] },
      fails: { run: () => exception('TypeError: x is not a function') },
      flaky: { run: (n) => (n === 3 ? assertion('expected true to be false') : PASS) },
      'asserts nothing': {},
      'kills the survivor': { kills: ['m1'] },
      'covers a line': { covers: ['m2'] },
      'finds a bug': { run: () => assertion('AssertionError: expected 4 to be 5') },
    };
    const candidates = Object.keys(behaviours).map((name) => candidate(name));
    const { port, calls } = fakePort(behaviours);
    const { verdicts, funnel } = await runChain(candidates, placement, port, {
      targets: [TARGET],
      nextSeed,
    });

    expect(funnel).toEqual({
      candidates: 7,
      typeChecks: 6,
      passes: 4,
      stable: 3,
      addsValue: 2,
      kept: 2,
      possibleBugs: 1,
    });
    expect(verdicts.get('does not compile')).toEqual({
      kind: 'dropped',
      stage: 'type-check',
      reason: "does not type-check: line 3: TS2345: Argument of type 'string' is not assignable",
    });
    expect(verdicts.get('fails')).toEqual({
      kind: 'dropped',
      stage: 'pass',
      reason: 'fails: TypeError: x is not a function',
    });
    expect(verdicts.get('flaky')).toMatchObject({ kind: 'dropped', stage: 'stable' });
    expect(verdicts.get('flaky')).toHaveProperty(
      'reason',
      'flaky: passed once, then failed on run 3 of 5: expected true to be false',
    );
    expect(verdicts.get('asserts nothing')).toMatchObject({ kind: 'dropped', stage: 'adds-value' });
    expect(verdicts.get('kills the survivor')).toEqual({ kind: 'kept', kills: ['m1'], covers: [] });
    expect(verdicts.get('covers a line')).toEqual({ kind: 'kept', kills: [], covers: [10] });
    expect(verdicts.get('finds a bug')).toEqual({
      kind: 'possible-bug',
      assertion: 'AssertionError: expected 4 to be 5',
    });

    // One first pass, five shuffled reruns with fresh seeds, one mutation run.
    expect(calls.run).toHaveLength(6);
    expect(calls.run.map((r) => r.shuffle)).toEqual([false, true, true, true, true, true]);
    expect(new Set(calls.run.map((r) => r.seed)).size).toBe(6);
    expect(calls.mutants).toHaveLength(1);
    expect(calls.mutants[0]?.[0]).toMatchObject({ path: 'src/math.ts', startLine: 5, endLine: 8 });
    // The flaky test left after its failure; the bug stayed to the end.
    expect(calls.run[5]?.names).not.toContain('flaky');
    expect(calls.run[5]?.names).toContain('finds a bug');
  });

  it('drops an assertion failure that does not repeat the same way, as flaky and not a bug', async () => {
    const { port } = fakePort({
      'sometimes passes': { run: (n) => (n === 2 ? PASS : assertion('expected 1 to be 2')) },
      'changes its message': { run: (n) => assertion(`expected ${String(n)} to be 0`) },
      'throws later': {
        run: (n) => (n === 0 ? assertion('expected 1 to be 2') : exception('boom')),
      },
      'property with new counterexamples': {
        run: (n) => assertion(`Property failed: ${String(n)}`),
      },
    });
    const { verdicts, funnel } = await runChain(
      [
        candidate('sometimes passes'),
        candidate('changes its message'),
        candidate('throws later'),
        candidate('property with new counterexamples', 'property'),
      ],
      placement,
      port,
      { targets: [TARGET], nextSeed },
    );
    expect(verdicts.get('sometimes passes')).toMatchObject({ kind: 'dropped', stage: 'stable' });
    expect(verdicts.get('changes its message')).toMatchObject({ kind: 'dropped', stage: 'stable' });
    expect(verdicts.get('throws later')).toMatchObject({ kind: 'dropped', stage: 'stable' });
    // A property's counterexample changes with the seed; failing on an assertion every time is enough.
    expect(verdicts.get('property with new counterexamples')).toMatchObject({
      kind: 'possible-bug',
    });
    expect(funnel).toMatchObject({ typeChecks: 4, passes: 0, stable: 0, kept: 0, possibleBugs: 1 });
  });

  it('checks candidates one by one when an error outside the tests appears, so one bad import does not sink the rest', async () => {
    const { port, calls } = fakePort(
      {
        'bad import': {
          importError: "TS2305: Module '../src/math.ts' has no exported member 'nope'.",
        },
        good: { kills: ['m1'] },
      },
      ['TS6133: an error the file already had'],
    );
    const { verdicts, funnel } = await runChain(
      [candidate('bad import'), candidate('good')],
      placement,
      port,
      { targets: [TARGET], nextSeed },
    );
    expect(verdicts.get('bad import')).toMatchObject({ kind: 'dropped', stage: 'type-check' });
    expect(verdicts.get('good')).toEqual({ kind: 'kept', kills: ['m1'], covers: [] });
    expect(funnel).toMatchObject({ candidates: 2, typeChecks: 1, kept: 1 });
    // baseline, together, then each alone
    expect(calls.typeCheck).toBe(4);
  });

  it('runs no mutation when no target has a surviving mutant, and drops every candidate as adding nothing', async () => {
    const { port, calls } = fakePort({ a: {} });
    const { verdicts, funnel } = await runChain([candidate('a')], placement, port, {
      targets: [{ ...TARGET, survivingMutants: [] }],
      runs: 2,
      nextSeed,
    });
    expect(calls.mutants).toHaveLength(0);
    expect(calls.run).toHaveLength(3);
    expect(verdicts.get('a')).toMatchObject({ kind: 'dropped', stage: 'adds-value' });
    expect(funnel).toEqual({
      candidates: 1,
      typeChecks: 1,
      passes: 1,
      stable: 1,
      addsValue: 0,
      kept: 0,
      possibleBugs: 0,
    });
  });

  it('keeps nothing it could not measure, and ignores kills of mutants that are not the targets', async () => {
    const { port } = fakePort({ a: { kills: ['not-a-target-mutant'] } });
    const { verdicts } = await runChain([candidate('a')], placement, port, {
      targets: [TARGET],
      runs: 1,
      nextSeed,
    });
    expect(verdicts.get('a')).toMatchObject({ kind: 'dropped', stage: 'adds-value' });

    const failing: TestRunPort = {
      ...port,
      mutantsKilled: () => Promise.resolve({ kind: 'failed', message: 'Stryker crashed' }),
    };
    const second = await runChain([candidate('b')], placement, failing, {
      targets: [TARGET],
      runs: 1,
      nextSeed,
    });
    expect(second.verdicts.get('b')).toEqual({
      kind: 'dropped',
      stage: 'adds-value',
      reason: 'could not be measured: Stryker crashed',
    });
  });

  it('runs each candidate alone when the file as a whole fails, so one leaked error does not sink the others', async () => {
    const { port, calls } = fakePort({ good: { kills: ['m1'] } });
    const leaking: TestRunPort = {
      ...port,
      run: (file, options) =>
        (JSON.parse(file.text) as string[]).includes('leaks an error')
          ? Promise.resolve({ kind: 'failed', message: 'an error escaped the tests: Error: late' })
          : port.run(file, options),
    };
    const { verdicts, funnel } = await runChain(
      [candidate('leaks an error'), candidate('good')],
      placement,
      leaking,
      { targets: [TARGET], runs: 2, nextSeed },
    );
    expect(verdicts.get('leaks an error')).toEqual({
      kind: 'dropped',
      stage: 'pass',
      reason: 'fails: an error escaped the tests: Error: late',
    });
    expect(verdicts.get('good')).toEqual({ kind: 'kept', kills: ['m1'], covers: [] });
    expect(funnel).toMatchObject({ candidates: 2, typeChecks: 2, passes: 1, stable: 1, kept: 1 });
    // The alone-runs of the first pass reuse its seed.
    expect(calls.run.map((r) => r.names)).toEqual([['good'], ['good'], ['good']]);
  });

  it('drops every candidate at "pass" with the reason when the file cannot run, and refuses a bad run count', async () => {
    const { port } = fakePort({});
    const broken: TestRunPort = {
      ...port,
      run: () => Promise.resolve({ kind: 'failed', message: 'SyntaxError: Unexpected token' }),
    };
    const { verdicts, funnel } = await runChain(
      [candidate('a'), candidate('b')],
      placement,
      broken,
      {
        targets: [TARGET],
        nextSeed,
      },
    );
    expect(verdicts.get('a')).toEqual({
      kind: 'dropped',
      stage: 'pass',
      reason: 'fails: SyntaxError: Unexpected token',
    });
    expect(funnel).toMatchObject({ candidates: 2, typeChecks: 2, passes: 0 });
    await expect(
      runChain([candidate('a')], placement, port, { targets: [TARGET], runs: 0 }),
    ).rejects.toThrow('test-gen runs must be a whole number of at least 1, got 0');
  });

  it('counts duplicate and empty names as candidates but judges each name once', async () => {
    const { port } = fakePort({ a: { kills: ['m1'] } });
    const { verdicts, funnel } = await runChain(
      [candidate('a'), candidate('a'), candidate('  ')],
      placement,
      port,
      { targets: [TARGET], runs: 1, nextSeed },
    );
    expect(funnel).toMatchObject({ candidates: 3, typeChecks: 1, kept: 1 });
    expect([...verdicts.keys()]).toEqual(['a']);
  });
});
