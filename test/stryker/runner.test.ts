import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { MutantResult } from 'mutation-testing-report-schema';
import { createStrykerRunner } from '../../src/stryker/runner.ts';
import type { MutationRunOutcome } from '../../src/mutation/runner.ts';
import { parseMutationReport } from '../../src/mutation/report.ts';
import { MATH_TS, createFixture, type Fixture } from './fixture.ts';

/** Real Stryker runs take seconds alone and minutes on a busy machine. */
const STRYKER = { timeout: 600_000 };

const fixtures: Fixture[] = [];
afterEach(() => fixtures.splice(0).forEach((f) => f.cleanup()));

function fixture(options?: Parameters<typeof createFixture>[0]): Fixture {
  const f = createFixture(options);
  fixtures.push(f);
  return f;
}

function mutants(outcome: MutationRunOutcome): MutantResult[] {
  if (outcome.kind !== 'report')
    throw new Error(`expected a report, got ${JSON.stringify(outcome)}`);
  return Object.values(outcome.report.files).flatMap((file) => file.mutants);
}

const onLine = (all: MutantResult[], line: number): MutantResult[] =>
  all.filter((m) => m.location.start.line === line);

/**
 * A test file whose test passes on its first `runs` runs and then blocks forever, counting its
 * runs in the file `counter`: Stryker is always busy when the test interrupts or times it out.
 */
function hangingTest(counter: string, runs: number): string {
  return `import { appendFileSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { add } from '../src/math.ts';
test('adds', () => {
  appendFileSync(${JSON.stringify(counter)}, 'x');
  if (readFileSync(${JSON.stringify(counter)}, 'utf8').length > ${String(runs)}) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
  expect(add(2, 3)).toBe(5);
});
`;
}

describe('Stryker runner on a real vitest project', () => {
  const runner = createStrykerRunner();

  test(
    'mutates only the ranges, kills the tested mutant, leaves the untested one surviving, never mutates console.log, and reuses results incrementally',
    STRYKER,
    async () => {
      const { root } = fixture();
      // Relative: the repository's path, as the CLI passes .git/steward/… (the mtime check must find it too).
      const incrementalFile = '.steward/incremental.json';
      const request = {
        root,
        ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 8 }],
        incrementalFile,
        concurrency: 1,
      };
      const first = await runner.run(request);
      const all = mutants(first);
      expect(first.kind === 'report' && first.partial).toBe(false);

      // Only the range: nothing in double() (lines 10-12).
      expect(all.length).toBeGreaterThan(0);
      expect(all.filter((m) => m.location.start.line > 8)).toEqual([]);

      // `a + b` → `a - b` is killed by the test.
      const arithmetic = onLine(all, 2).find((m) => m.mutatorName === 'ArithmeticOperator');
      expect(arithmetic?.status).toBe('Killed');

      // `age >= 18` → `age > 18` survives: no test at the boundary.
      const boundary = onLine(all, 7).find(
        (m) => m.mutatorName === 'EqualityOperator' && m.replacement === 'age > 18',
      );
      expect(boundary?.status).toBe('Survived');

      // The console.log call on line 6 holds a ternary, a string and a comparison: none is tested.
      const line6 = onLine(all, 6);
      expect(line6.filter((m) => m.status !== 'Ignored')).toEqual([]);
      line6.forEach((m) => expect(m.statusReason).toMatch(/arid call console\.log/));

      // Rerun with the same incremental file: nothing changed, nothing is tested again.
      const progress: number[] = [];
      const second = await runner.run({ ...request, onProgress: (p) => progress.push(p.tested) });
      if (second.kind !== 'report') throw new Error(JSON.stringify(second));
      expect(second.mutantsTested).toBe(0);
      expect(progress.filter((n) => n > 0)).toEqual([]);
      const again = mutants(second);
      expect(second.mutantsNotRun).toBe(again.length);
      expect(again.length).toBe(all.length);
      expect(onLine(again, 7).find((m) => m.replacement === 'age > 18')?.status).toBe('Survived');
      expect(onLine(again, 2).find((m) => m.mutatorName === 'ArithmeticOperator')?.status).toBe(
        'Killed',
      );
    },
  );

  test(
    'a module no test imports: by default Stryker finds no related test; with allTests it reports every mutant undetected',
    STRYKER,
    async () => {
      const { root } = fixture({
        files: {
          'src/untested.ts': 'export function triple(n: number): number {\n  return n * 3;\n}\n',
        },
      });
      const request = {
        root,
        ranges: [{ path: 'src/untested.ts', startLine: 1, endLine: 3 }],
        concurrency: 1,
      };
      const strict = await runner.run(request);
      expect(strict.kind).not.toBe('report');
      const allowed = await runner.run({ ...request, allTests: true });
      const all = mutants(allowed);
      expect(all.length).toBeGreaterThan(0);
      // No test detects them (Stryker calls them Survived or NoCoverage): each is a target for a new test.
      expect(all.filter((m) => m.status !== 'Survived' && m.status !== 'NoCoverage')).toEqual([]);
    },
  );

  test('the first run tests the mutants and reports progress', STRYKER, async () => {
    const { root } = fixture();
    const progress: number[] = [];
    const outcome = await runner.run({
      root,
      ranges: [{ path: 'src/math.ts', startLine: 2, endLine: 2 }],
      concurrency: 1,
      htmlReportFile: join(root, 'reports', 'mutation.html'),
      onProgress: (p) => progress.push(p.tested),
    });
    expect(readFileSync(join(root, 'reports', 'mutation.html'), 'utf8')).toContain('<html');
    if (outcome.kind !== 'report') throw new Error(JSON.stringify(outcome));
    expect(outcome.mutantsTested).toBeGreaterThan(0);
    expect(Math.max(...progress)).toBe(outcome.mutantsTested);
  });

  test('ignoreCalls adds arid patterns: a tracked call is not mutated', STRYKER, async () => {
    const { root } = fixture({
      files: {
        'src/math.ts': `export function add(a: number, b: number): number {\n  metrics.track('add', a > b);\n  return a + b;\n}\nconst metrics = { track: (_n: string, _v: boolean) => undefined };\n`,
        'test/math.test.ts': `import { expect, test } from 'vitest';\nimport { add } from '../src/math.ts';\ntest('adds', () => { expect(add(2, 3)).toBe(5); });\n`,
      },
    });
    const outcome = await runner.run({
      root,
      ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 4 }],
      ignoreCalls: ['metrics.track'],
      concurrency: 1,
    });
    const line2 = onLine(mutants(outcome), 2);
    expect(line2.length).toBeGreaterThan(0);
    expect(line2.filter((m) => m.status !== 'Ignored')).toEqual([]);
  });

  test('an interrupted run reports what was tested as partial', STRYKER, async () => {
    // The test blocks forever from its third run on (dry run, first mutant, then a hang), so the
    // interrupt always lands while Stryker is busy: no race with Stryker finishing first.
    const counter = join(tmpdir(), `steward-runs-${String(process.pid)}-${String(Date.now())}`);
    const { root } = fixture({
      files: {
        'stryker.conf.json': JSON.stringify({ timeoutMS: 600_000 }),
        'test/math.test.ts': hangingTest(counter, 2),
      },
    });
    const abort = new AbortController();
    const outcome = await runner.run({
      root,
      ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 3 }],
      concurrency: 1,
      incrementalFile: 'reports/incremental.json', // relative to the repository, where Stryker writes it
      signal: abort.signal,
      onProgress: ({ tested }) => {
        if (tested >= 1) abort.abort();
      },
    });
    rmSync(counter, { force: true });
    if (outcome.kind !== 'report') throw new Error(JSON.stringify(outcome));
    expect(outcome.partial).toBe(true);
    expect(outcome.reason).toMatch(/interrupted/);
    expect(mutants(outcome).length).toBeGreaterThanOrEqual(1);
  });

  test(
    'a Stryker that dies without saving (killed, not interrupted) still reports what it tested, as partial',
    STRYKER,
    async () => {
      // From its fourth run on (dry run, two mutants), the test SIGKILLs the Stryker process
      // (found up its parent chain by the options file Steward passes it): no handler runs, no
      // incremental file or report is written, only the results reported so far remain.
      const counter = join(tmpdir(), `steward-runs-${String(process.pid)}-${String(Date.now())}-k`);
      const { root } = fixture({
        files: {
          'stryker.conf.json': JSON.stringify({ timeoutMS: 600_000 }),
          'test/math.test.ts': `import { appendFileSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { add, isAdult } from '../src/math.ts';
function stryker(): number {
  let pid = process.pid;
  for (;;) {
    const stat = readFileSync(\`/proc/\${pid}/stat\`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent <= 1) throw new Error('no Stryker process above this test');
    if (readFileSync(\`/proc/\${parent}/cmdline\`, 'utf8').includes('options.json')) return parent;
    pid = parent;
  }
}
test('math', () => {
  appendFileSync(${JSON.stringify(counter)}, 'x');
  if (readFileSync(${JSON.stringify(counter)}, 'utf8').length > 3) process.kill(stryker(), 'SIGKILL');
  expect(add(2, 3)).toBe(5);
  expect(isAdult(30)).toBe(true);
  expect(isAdult(5)).toBe(false);
});
`,
        },
      });
      const outcome = await runner.run({
        root,
        ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 8 }],
        concurrency: 1,
      });
      rmSync(counter, { force: true });
      if (outcome.kind !== 'report') throw new Error(JSON.stringify(outcome));
      expect(outcome.partial).toBe(true);
      expect(outcome.reason).toMatch(/^Stryker stopped early/);
      // A report in the schema, with the sources of the repository's files.
      const report = parseMutationReport(JSON.parse(JSON.stringify(outcome.report)));
      expect(Object.keys(report.files)).toEqual(['src/math.ts']);
      expect(report.files['src/math.ts']?.source).toBe(MATH_TS);
      const decided = mutants(outcome).filter((m) => ['Killed', 'Survived'].includes(m.status));
      expect(decided.length).toBeGreaterThanOrEqual(1);
      expect(outcome.mutantsTested).toBe(decided.length);
    },
  );

  test('a timeout stops a Stryker that would never finish, and says so', STRYKER, async () => {
    // Every run after the dry run blocks forever: no mutant is ever tested, whenever the timeout lands.
    const counter = join(tmpdir(), `steward-runs-${String(process.pid)}-${String(Date.now())}-t`);
    const { root } = fixture({
      files: {
        'stryker.conf.json': JSON.stringify({ timeoutMS: 600_000 }),
        'test/math.test.ts': hangingTest(counter, 1),
      },
    });
    const outcome = await runner.run({
      root,
      ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 3 }],
      concurrency: 1,
      timeoutMs: 3000,
    });
    rmSync(counter, { force: true });
    expect(outcome).toMatchObject({
      kind: 'crashed',
      message: 'Stryker was stopped after 3000 ms before it tested any mutant',
    });
  });

  test(
    'the repository config is merged under Steward: its options hold, its mutate does not',
    STRYKER,
    async () => {
      const { root } = fixture({
        files: {
          'stryker.conf.mjs': `export default { mutate: ['src/**/*.ts'], mutator: { excludedMutations: ['ArithmeticOperator'] } };\n`,
        },
      });
      const all = mutants(
        await runner.run({
          root,
          ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 8 }],
          concurrency: 1,
        }),
      );
      expect(all.filter((m) => m.location.start.line > 8)).toEqual([]);
      const arithmetic = all.filter((m) => m.mutatorName === 'ArithmeticOperator');
      expect(arithmetic.every((m) => m.status === 'Ignored')).toBe(true);
    },
  );

  test(
    'with a tsconfig the TypeScript checker turns type-invalid mutants into CompileError',
    STRYKER,
    async () => {
      const { root } = fixture({
        files: {
          'tsconfig.json': JSON.stringify({
            compilerOptions: {
              strict: true,
              module: 'nodenext',
              target: 'es2022',
              noEmit: true,
              allowImportingTsExtensions: true,
              types: [],
              skipLibCheck: true,
            },
            include: ['src'],
          }),
          'src/math.ts': `export type Size = 'small' | 'large';\nexport function size(n: number): Size {\n  return n > 10 ? 'large' : 'small';\n}\n`,
          'test/math.test.ts': `import { expect, test } from 'vitest';\nimport { size } from '../src/math.ts';\ntest('sizes', () => { expect(size(20)).toBe('large'); });\n`,
        },
      });
      const all = mutants(
        await runner.run({
          root,
          ranges: [{ path: 'src/math.ts', startLine: 3, endLine: 3 }],
          concurrency: 1,
        }),
      );
      const emptied = all.filter((m) => m.mutatorName === 'StringLiteral');
      expect(emptied.length).toBeGreaterThan(0);
      expect(emptied.map((m) => m.status)).toEqual(emptied.map(() => 'CompileError'));
    },
  );

  test(
    'a project that does not type-check at head gives setup-failed saying how to run without the checker',
    STRYKER,
    async () => {
      const { root } = fixture({
        files: {
          'tsconfig.json': JSON.stringify({
            compilerOptions: {
              strict: true,
              module: 'nodenext',
              noEmit: true,
              types: [],
              skipLibCheck: true,
            },
            include: ['src'],
          }),
          'src/broken.ts': `export const n: number = 'not a number';\n`,
        },
      });
      const outcome = await runner.run({
        root,
        ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 3 }],
        concurrency: 1,
      });
      expect(outcome.kind).toBe('setup-failed');
      if (outcome.kind !== 'setup-failed') return;
      expect(outcome.message).toContain('src/broken.ts');
      expect(outcome.hint).toContain('"checkers": []');
    },
  );

  test(
    'the repository code (config and tests) runs without Steward’s secrets, with the env it is given',
    STRYKER,
    async () => {
      const saved = { token: process.env.GITHUB_TOKEN, key: process.env.ANTHROPIC_API_KEY };
      process.env.GITHUB_TOKEN = 'ghs_steward_secret';
      process.env.ANTHROPIC_API_KEY = 'sk-ant-steward-secret';
      try {
        const { root } = fixture({
          files: {
            // Evaluated by Steward to read testRunner, and by Stryker: neither may see the secrets.
            'stryker.conf.mjs': `if (process.env.GITHUB_TOKEN || process.env.ANTHROPIC_API_KEY) throw new Error('config saw a secret');
globalThis.stewardConfigRan = true;
export default { testRunner: 'vitest' };\n`,
            'test/math.test.ts': `import { expect, test } from 'vitest';
import { add } from '../src/math.ts';
test('sees no secret', () => {
  expect(process.env.GITHUB_TOKEN).toBeUndefined();
  expect(process.env.ANTHROPIC_API_KEY).toBeUndefined();
  expect(process.env.FIXTURE_DB).toBe('given');
  expect(add(2, 3)).toBe(5);
});
`,
          },
        });
        const outcome = await runner.run({
          root,
          ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 3 }],
          env: { FIXTURE_DB: 'given' },
          concurrency: 1,
        });
        expect(outcome.kind, JSON.stringify(outcome)).toBe('report');
        expect((globalThis as { stewardConfigRan?: boolean }).stewardConfigRan).toBeUndefined();
      } finally {
        if (saved.token === undefined) delete process.env.GITHUB_TOKEN;
        else process.env.GITHUB_TOKEN = saved.token;
        if (saved.key === undefined) delete process.env.ANTHROPIC_API_KEY;
        else process.env.ANTHROPIC_API_KEY = saved.key;
      }
    },
  );

  test(
    'a test file that cannot load at head gives dry-run-failed with the error',
    STRYKER,
    async () => {
      const { root } = fixture({
        files: {
          'test/math.test.ts': `import { test } from 'vitest';\nimport { missing } from '../src/nowhere.ts';\ntest('uses it', () => missing());\n`,
        },
      });
      const outcome = await runner.run({
        root,
        ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 3 }],
        concurrency: 1,
      });
      expect(outcome.kind, JSON.stringify(outcome)).toBe('dry-run-failed');
      if (outcome.kind !== 'dry-run-failed') return;
      expect(outcome.message).toMatch(/nowhere/);
    },
  );

  test('a failing test at head gives dry-run-failed naming the test', STRYKER, async () => {
    const { root } = fixture({
      files: {
        'test/math.test.ts': `import { expect, test } from 'vitest';\nimport { add } from '../src/math.ts';\ntest('adds badly', () => { expect(add(2, 2)).toBe(5); });\ntest('adds well', () => { expect(add(2, 3)).toBe(5); });\n`,
      },
    });
    const outcome = await runner.run({
      root,
      ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 3 }],
      concurrency: 1,
    });
    expect(outcome.kind).toBe('dry-run-failed');
    if (outcome.kind !== 'dry-run-failed') return;
    expect(outcome.failingTests).toHaveLength(1);
    expect(outcome.failingTests[0]).toMatch(/adds badly/);
    expect(outcome.message).toMatch(/adds badly/);
  });
});

describe('Stryker runner setup', () => {
  const runner = createStrykerRunner();

  test('without the vitest runner plugin it names the package to add', STRYKER, async () => {
    // A repository whose node_modules holds Stryker core but no vitest runner (a stand-in core:
    // linking the real one would resolve the runner beside it, as Stryker itself would).
    const { root } = fixture({ linkNodeModules: false });
    const core = join(root, 'node_modules', '@stryker-mutator', 'core');
    mkdirSync(core, { recursive: true });
    writeFileSync(
      join(core, 'package.json'),
      JSON.stringify({ name: '@stryker-mutator/core', type: 'module', exports: './index.js' }),
    );
    writeFileSync(join(core, 'index.js'), 'export class Stryker {}\n');
    const outcome = await runner.run({
      root,
      ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 3 }],
    });
    expect(outcome.kind).toBe('setup-failed');
    if (outcome.kind !== 'setup-failed') return;
    expect(outcome.message).toContain('@stryker-mutator/vitest-runner');
    expect(outcome.hint).toContain('npm install --save-dev @stryker-mutator/vitest-runner');
  });

  test('without Stryker it says so and what to install', async () => {
    const { root } = fixture({ linkNodeModules: false });
    const outcome = await runner.run({
      root,
      ranges: [{ path: 'src/math.ts', startLine: 1, endLine: 3 }],
    });
    expect(outcome).toMatchObject({
      kind: 'setup-failed',
      message: expect.stringContaining('@stryker-mutator/core'),
    });
  });

  test('a range path that escapes the repository or reads as a glob is refused', async () => {
    const { root } = fixture({ linkNodeModules: false });
    for (const path of ['../outside.ts', '/etc/passwd', 'src/*.ts', 'src/a:1-2.ts']) {
      const outcome = await runner.run({ root, ranges: [{ path, startLine: 1, endLine: 2 }] });
      expect(outcome).toMatchObject({
        kind: 'setup-failed',
        message: expect.stringContaining(path),
      });
    }
  });
});
