import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MutationTestResult } from 'mutation-testing-report-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MutationRunner } from '../../src/mutation/runner.ts';
import type { RefactorProofPort } from '../../src/refactor/proof-port.ts';
import { withFilesInPlace } from '../../src/testrun/placement.ts';
import {
  createRefactorProofPort,
  failureLines,
  splitCommand,
  testFilesImporting,
} from '../../src/testrun/refactor-proofs.ts';
import { createFixture, type Fixture } from '../stryker/fixture.ts';
import { JEST_BABEL_CONFIG, snapshot } from './fixture.ts';

const LONG = 600_000;

/** The module a refactoring targets: an exported function with a nested loop, and a private one. */
const PRICE_TS = `/** What a line of an order costs. */
export interface Line {
  price: number;
  quantity: number;
}

/** The order's total after the discount (percent off when over the threshold). */
export function total(lines: Line[], threshold: number, percent: number): number {
  let sum = 0;
  for (const line of lines) {
    if (line.quantity > 0) {
      if (line.price > 0) {
        sum += line.price * line.quantity;
      }
    }
  }
  return over(sum, threshold) ? sum - (sum * percent) / 100 : sum;
}

function over(sum: number, threshold: number): boolean {
  return sum > threshold;
}
`;

/** The same behaviour, the loop flattened into a helper: nothing exported changes. */
const PRICE_REFACTORED = `/** What a line of an order costs. */
export interface Line {
  price: number;
  quantity: number;
}

/** The total of an order, the discount taken off when it is over the threshold. */
export function total(lines: Line[], threshold: number, percent: number): number {
  const sum = lines.reduce((acc, line) => acc + lineCost(line), 0);
  return over(sum, threshold) ? sum - (sum * percent) / 100 : sum;
}

function lineCost(line: Line): number {
  return line.quantity > 0 && line.price > 0 ? line.price * line.quantity : 0;
}

function over(sum: number, threshold: number): boolean {
  return sum > threshold;
}
`;

const PRICE_TEST_TS = `import { expect, test } from 'vitest';
import { total } from '../src/price.js';

test('adds the lines', () => {
  expect(total([{ price: 2, quantity: 3 }, { price: 1, quantity: 1 }], 100, 10)).toBe(7);
});

test('takes the discount off a large order', () => {
  expect(total([{ price: 50, quantity: 4 }], 100, 10)).toBe(180);
});
`;

/** A module that uses `total`'s return type: a refactoring that changes it breaks this file. */
const INVOICE_TS = `import { total, type Line } from './price.ts';

export function invoice(lines: Line[]): string {
  return total(lines, 100, 10).toFixed(2);
}
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  },
  include: ['src/**/*.ts', 'test/**/*.ts'],
});

let fixture: Fixture;
let port: RefactorProofPort;
let pristine: Map<string, string>;

beforeAll(() => {
  fixture = createFixture({
    files: {
      'tsconfig.json': TSCONFIG,
      'src/price.ts': PRICE_TS,
      'src/invoice.ts': INVOICE_TS,
      'test/price.test.ts': PRICE_TEST_TS,
    },
  });
  pristine = snapshot(fixture.root);
  port = createRefactorProofPort({
    root: fixture.root,
    testCommand: null,
    mutation: false,
    timeoutMs: 120_000,
  });
});

afterAll(() => {
  port.close();
  fixture.cleanup();
});

const PRICE = 'src/price.ts';

/**
 * Pids of the processes whose working directory is `dir` and whose command line names `what`
 * (Linux's /proc; none elsewhere). The port's TypeScript process lives there too, by design.
 */
function processesIn(dir: string, what: string): number[] {
  if (!existsSync('/proc/self/cwd')) return [];
  const real = realpathSync(dir);
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return (
          readlinkSync(`/proc/${pid}/cwd`) === real &&
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(what)
        );
      } catch {
        // Gone, or another user's: not one of ours.
        return false;
      }
    })
    .map(Number);
}
const priceBytes = (): Buffer => readFileSync(join(fixture.root, PRICE));

describe('typecheck', () => {
  it(
    'finds every diagnostic of the project with the overlay served from memory, none on disk',
    async () => {
      const baseline = await port.typecheck(new Map());
      expect(baseline).toEqual({ kind: 'checked', diagnostics: [] });

      const broken = PRICE_REFACTORED.replace(
        'export function total(lines: Line[], threshold: number, percent: number): number {',
        'export function total(lines: Line[], threshold: number, percent: number): string {',
      ).replace(
        'return over(sum, threshold) ? sum - (sum * percent) / 100 : sum;',
        'return String(over(sum, threshold) ? sum - (sum * percent) / 100 : sum);',
      );
      const verdict = await port.typecheck(new Map([[PRICE, broken]]));
      expect(verdict.kind).toBe('checked');
      const found = verdict.kind === 'checked' ? verdict.diagnostics : [];
      // invoice.ts calls toFixed on what is now a string: the project's other file breaks.
      expect(found).toEqual([
        expect.objectContaining({ path: 'src/invoice.ts', line: 4, code: 2551 }),
      ]);
      expect(found[0]?.message).toContain("Property 'toFixed' does not exist on type 'string'");

      // A diagnostic in the refactored file itself, repository-relative.
      const wrong = PRICE_TS.replace('let sum = 0;', "let sum: number = 'zero';");
      const own = await port.typecheck(new Map([[PRICE, wrong]]));
      expect(own.kind === 'checked' ? own.diagnostics : []).toEqual([
        {
          path: PRICE,
          line: 9,
          code: 2322,
          message: "Type 'string' is not assignable to type 'number'.",
        },
      ]);

      // The overlay is not kept: the next call checks the project as it is.
      expect(await port.typecheck(new Map())).toEqual({ kind: 'checked', diagnostics: [] });
      expect(snapshot(fixture.root)).toEqual(pristine);
    },
    LONG,
  );

  it(
    'says there is no project to check when the repository has no tsconfig at its root',
    async () => {
      const bare = createFixture({ files: { 'src/price.ts': PRICE_TS } });
      const barePort = createRefactorProofPort({
        root: bare.root,
        testCommand: null,
        mutation: false,
      });
      try {
        const verdict = await barePort.typecheck(new Map());
        expect(verdict).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/tsconfig/) });
      } finally {
        barePort.close();
        bare.cleanup();
      }
    },
    LONG,
  );
});

describe('typecheck of a solution-style tsconfig', () => {
  it(
    'checks the projects a root tsconfig with "files": [] references, not nothing',
    async () => {
      const solution = createFixture({
        files: {
          'tsconfig.json': JSON.stringify({
            files: [],
            references: [{ path: './tsconfig.build.json' }, { path: './tsconfig.spec.json' }],
          }),
          'tsconfig.build.json': JSON.stringify({
            compilerOptions: { strict: true, composite: true, types: [] },
            include: ['src'],
          }),
          'tsconfig.spec.json': JSON.stringify({
            compilerOptions: { strict: true, types: [] },
            include: ['src', 'checks'],
            references: [{ path: './tsconfig.build.json' }],
          }),
          'src/price.ts': 'export function price(n: number): number {\n  return n * 2;\n}\n',
          'checks/use.ts':
            "import { price } from '../src/price';\nexport const p: number = price(2);\n",
        },
      });
      const solutionPort = createRefactorProofPort({
        root: solution.root,
        testCommand: null,
        mutation: false,
      });
      try {
        expect(await solutionPort.typecheck(new Map())).toEqual({
          kind: 'checked',
          diagnostics: [],
        });
        const broken = 'export function price(n: number): string {\n  return String(n * 2);\n}\n';
        const verdict = await solutionPort.typecheck(new Map([['src/price.ts', broken]]));
        // The spec project's file breaks, and reports once though src/ is in both projects.
        expect(verdict).toEqual({
          kind: 'checked',
          diagnostics: [expect.objectContaining({ path: 'checks/use.ts', line: 2, code: 2322 })],
        });
      } finally {
        solutionPort.close();
        solution.cleanup();
      }
    },
    LONG,
  );
});

describe('compareApi', () => {
  it(
    "tells an exported signature's change from an internal one, from the declaration emit",
    async () => {
      // The body rewritten, a private helper added, the doc comment reworded: the same API.
      expect(await port.compareApi(PRICE, PRICE_TS, PRICE_REFACTORED)).toEqual({ kind: 'same' });
      // A private function's signature is not the API either.
      const privateChange = PRICE_TS.replace(
        'function over(sum: number, threshold: number): boolean {',
        'function over(sum: number, threshold = 0): boolean {',
      );
      expect(await port.compareApi(PRICE, PRICE_TS, privateChange)).toEqual({ kind: 'same' });

      // A parameter made optional changes what callers may write.
      const optional = PRICE_TS.replace('percent: number): number {', 'percent = 10): number {');
      expect(await port.compareApi(PRICE, PRICE_TS, optional)).toEqual({
        kind: 'changed',
        before:
          'export declare function total(lines: Line[], threshold: number, percent: number): number;',
        after:
          'export declare function total(lines: Line[], threshold: number, percent?: number): number;',
      });
      // An inferred return type is part of the API too.
      const inferred = PRICE_TS.replace('percent: number): number {', 'percent: number) {').replace(
        'return over(sum, threshold) ? sum - (sum * percent) / 100 : sum;',
        'return over(sum, threshold) ? `${sum - (sum * percent) / 100}` : sum;',
      );
      const verdict = await port.compareApi(PRICE, PRICE_TS, inferred);
      expect(verdict).toMatchObject({
        kind: 'changed',
        after: expect.stringContaining('string | number'),
      });
      // An exported interface's field.
      const field = PRICE_TS.replace('  quantity: number;', '  quantity?: number;');
      expect((await port.compareApi(PRICE, PRICE_TS, field)).kind).toBe('changed');
      expect(snapshot(fixture.root)).toEqual(pristine);
    },
    LONG,
  );
});

describe('runTests', () => {
  it(
    'runs the test files that import the module with the overlay in place, then restores it',
    async () => {
      const passed = await port.runTests(new Map([[PRICE, PRICE_REFACTORED]]), PRICE);
      expect(passed).toEqual({
        kind: 'passed',
        detail: '2 tests passed in test/price.test.ts',
      });

      // The discount forgotten: a test fails, and says how.
      const wrong = PRICE_REFACTORED.replace(
        'return over(sum, threshold) ? sum - (sum * percent) / 100 : sum;',
        'return sum;',
      );
      const failed = await port.runTests(new Map([[PRICE, wrong]]), PRICE);
      expect(failed.kind).toBe('failed');
      const detail = failed.kind === 'failed' ? failed.detail : '';
      expect(detail).toContain('test/price.test.ts > takes the discount off a large order');
      expect(detail).toContain('expected 200 to be 180');
      expect(detail).not.toContain('adds the lines');
      expect(detail).not.toMatch(/^\s+at /m);
      expect(snapshot(fixture.root)).toEqual(pristine);
    },
    LONG,
  );

  it(
    'kills a run that never ends at the timeout and puts the file back byte for byte',
    async () => {
      const original = priceBytes();
      const quick = createRefactorProofPort({
        root: fixture.root,
        testCommand: null,
        mutation: false,
        timeoutMs: 4_000,
      });
      try {
        const hangs = `${PRICE_TS}\nwhile (Date.now() > 0) {}\n`;
        const verdict = await quick.runTests(new Map([[PRICE, hangs]]), PRICE);
        expect(verdict).toEqual({
          kind: 'failed',
          detail: expect.stringMatching(/stopped after 4000 ms/),
        });
      } finally {
        quick.close();
      }
      expect(priceBytes().equals(original)).toBe(true);
      expect(snapshot(fixture.root)).toEqual(pristine);
      // vitest and its workers were killed with their process group: none still runs there.
      expect(processesIn(fixture.root, 'vitest')).toEqual([]);
    },
    LONG,
  );

  it(
    'runs the configured command without a shell, and refuses shell syntax',
    async () => {
      const configured = (testCommand: string): RefactorProofPort =>
        createRefactorProofPort({ root: fixture.root, testCommand, mutation: false });
      const vitest = configured('vitest run --reporter=dot');
      try {
        expect(await vitest.runTests(new Map(), PRICE)).toEqual({
          kind: 'passed',
          detail: '`vitest run --reporter=dot` passed',
        });
        const wrong = PRICE_TS.replace('return over(', 'return 1 + (over(').replace(
          ': sum;',
          ': sum);',
        );
        const failed = await vitest.runTests(new Map([[PRICE, wrong]]), PRICE);
        expect(failed).toEqual({
          kind: 'failed',
          detail: expect.stringMatching(/^`vitest run --reporter=dot` exited with 1:\n/),
        });
      } finally {
        vitest.close();
      }
      const piped = configured('vitest run | tee out.txt; touch pwned');
      expect(await piped.runTests(new Map(), PRICE)).toEqual({
        kind: 'unavailable',
        reason: expect.stringMatching(/shell syntax \(\|\)/),
      });
      piped.close();
      const missing = configured('no-such-test-runner --all');
      expect(await missing.runTests(new Map(), PRICE)).toEqual({
        kind: 'unavailable',
        reason: "the test command's program no-such-test-runner was not found",
      });
      missing.close();
      expect(existsSync(join(fixture.root, 'pwned'))).toBe(false);
      expect(snapshot(fixture.root)).toEqual(pristine);
    },
    LONG,
  );

  it(
    "gives the tests only the allow-listed environment and the port's variables, none of Steward's secrets",
    async () => {
      process.env['ANTHROPIC_API_KEY'] = 'sk-ant-secret';
      process.env['GITHUB_TOKEN'] = 'ghs_secret';
      const probe = createRefactorProofPort({
        root: fixture.root,
        testCommand: `node -e 'process.exit(process.env.ANTHROPIC_API_KEY === undefined && process.env.GITHUB_TOKEN === undefined && process.env.NEEDED === "yes" ? 0 : 3)'`,
        env: { NEEDED: 'yes' },
        mutation: false,
      });
      try {
        expect((await probe.runTests(new Map(), PRICE)).kind).toBe('passed');
      } finally {
        probe.close();
        delete process.env['ANTHROPIC_API_KEY'];
        delete process.env['GITHUB_TOKEN'];
      }
    },
    LONG,
  );

  it('says when no test imports the module, and never runs an overlay outside the checkout', async () => {
    expect(await port.runTests(new Map(), 'src/invoice.ts')).toEqual({
      kind: 'unavailable',
      reason: 'no test file imports src/invoice.ts',
    });
    for (const path of ['../escape.ts', 'node_modules/vitest/index.js', '/etc/passwd']) {
      await expect(port.runTests(new Map([[path, 'x']]), PRICE)).rejects.toThrow(
        /stay inside it|node_modules/,
      );
    }
    expect(snapshot(fixture.root)).toEqual(pristine);
  });
});

describe('runTests under jest', () => {
  it(
    "runs the related tests with the repository's jest when its tests import it",
    async () => {
      const jestFixture = createFixture({
        withoutStryker: true,
        files: {
          'package.json': JSON.stringify({
            name: 'jest-fixture',
            private: true,
            devDependencies: { jest: '*' },
          }),
          'babel.config.cjs': JEST_BABEL_CONFIG,
          'src/price.ts': PRICE_TS,
          'test/price.test.ts': PRICE_TEST_TS.replace(
            "import { expect, test } from 'vitest';",
            "import { expect, test } from '@jest/globals';",
          ).replace("'../src/price.js'", "'../src/price.ts'"),
        },
      });
      const before = snapshot(jestFixture.root);
      const jestPort = createRefactorProofPort({
        root: jestFixture.root,
        testCommand: null,
        mutation: false,
      });
      try {
        expect(await jestPort.runTests(new Map([[PRICE, PRICE_REFACTORED]]), PRICE)).toEqual({
          kind: 'passed',
          detail: '2 tests passed in test/price.test.ts',
        });
        const wrong = PRICE_REFACTORED.replace('sum - (sum * percent) / 100', 'sum - percent');
        const failed = await jestPort.runTests(new Map([[PRICE, wrong]]), PRICE);
        expect(failed).toEqual({
          kind: 'failed',
          detail: expect.stringContaining(
            'test/price.test.ts > takes the discount off a large order',
          ),
        });
        expect(snapshot(jestFixture.root)).toEqual(before);
      } finally {
        jestPort.close();
        jestFixture.cleanup();
      }
    },
    LONG,
  );
});

describe('paths', () => {
  it('holds the type-check and the API comparison to paths inside the checkout too', async () => {
    await expect(port.typecheck(new Map([['../escape.ts', 'x']]))).rejects.toThrow(
      /stay inside it/,
    );
    await expect(port.compareApi('/etc/passwd', 'a', 'b')).rejects.toThrow(/stay inside it/);
  });
});

describe('mutationScore', () => {
  it(
    "runs the repository's Stryker on the lines with the overlay in place",
    async () => {
      const mutating = createRefactorProofPort({
        root: fixture.root,
        testCommand: null,
        mutation: true,
      });
      try {
        // over(), lines 17-19 of the refactored file: `sum > threshold` → `sum >= threshold`
        // survives (no test at the threshold), the rest are killed.
        const score = await mutating.mutationScore(new Map([[PRICE, PRICE_REFACTORED]]), PRICE, {
          start: 17,
          end: 19,
        });
        expect(score).toBeGreaterThan(0);
        expect(score).toBeLessThan(100);
      } finally {
        mutating.close();
      }
      expect(snapshot(fixture.root)).toEqual(pristine);
    },
    LONG,
  );

  it('is null unless mutation testing is configured', async () => {
    expect(await port.mutationScore(new Map(), PRICE, { start: 8, end: 18 })).toBeNull();
  });

  const report = (statuses: string[]): MutationTestResult =>
    ({
      schemaVersion: '2',
      thresholds: { high: 80, low: 60 },
      files: {
        [PRICE]: {
          language: 'typescript',
          source: PRICE_TS,
          mutants: statuses.map((status, i) => ({
            id: String(i),
            mutatorName: 'ConditionalExpression',
            replacement: 'true',
            status,
            // Two mutants on line 12 (in range), the last on line 21 (outside it).
            location: {
              start: { line: i < 2 ? 12 : 21, column: 1 },
              end: { line: i < 2 ? 12 : 21, column: 5 },
            },
          })),
        },
      },
    }) as unknown as MutationTestResult;

  it('scores the lines from a Stryker run with the overlay in place, and restores it on a throw', async () => {
    const seen: string[] = [];
    const runner: MutationRunner = {
      run: async (request) => {
        seen.push(readFileSync(join(fixture.root, PRICE), 'utf8'));
        expect(request.ranges).toEqual([{ path: PRICE, startLine: 8, endLine: 18 }]);
        return {
          kind: 'report',
          report: report(['Killed', 'Survived', 'Survived']),
          partial: false,
          strykerMs: 1,
          mutantsTested: 3,
          mutantsNotRun: 0,
        };
      },
    };
    const mutating = createRefactorProofPort({
      root: fixture.root,
      testCommand: null,
      mutation: true,
      mutationRunner: runner,
    });
    const score = await mutating.mutationScore(new Map([[PRICE, PRICE_REFACTORED]]), PRICE, {
      start: 8,
      end: 18,
    });
    expect(score).toBe(50);
    expect(seen).toEqual([PRICE_REFACTORED]);

    const throwing = createRefactorProofPort({
      root: fixture.root,
      testCommand: null,
      mutation: true,
      mutationRunner: {
        run: () => Promise.reject(new Error('Stryker blew up')),
      },
    });
    await expect(
      throwing.mutationScore(new Map([[PRICE, PRICE_REFACTORED]]), PRICE, { start: 8, end: 18 }),
    ).rejects.toThrow('Stryker blew up');
    mutating.close();
    throwing.close();
    expect(snapshot(fixture.root)).toEqual(pristine);
  });
});

describe('withFilesInPlace', () => {
  it('restores every file byte for byte when the run throws, and removes a new one', async () => {
    const before = snapshot(fixture.root);
    await expect(
      withFilesInPlace(
        fixture.root,
        [
          { path: PRICE, text: 'changed' },
          { path: 'src/new/helper.ts', text: 'export {};' },
        ],
        () => {
          expect(readFileSync(join(fixture.root, PRICE), 'utf8')).toBe('changed');
          expect(existsSync(join(fixture.root, 'src/new/helper.ts'))).toBe(true);
          return Promise.reject(new Error('the run broke'));
        },
      ),
    ).rejects.toThrow('the run broke');
    expect(snapshot(fixture.root)).toEqual(before);
    expect(existsSync(join(fixture.root, 'src/new'))).toBe(false);
  });
});

describe('testFilesImporting', () => {
  it('finds the tests that import a module by its .js, .ts or bare specifier', () => {
    const root = fixture.root;
    expect(testFilesImporting(root, PRICE)).toEqual(['test/price.test.ts']);
    const overlay = new Map([
      ['test/invoice.test.ts', "import { invoice } from '../src/invoice';\n"],
    ]);
    // A test in the overlay only is not on disk, so not a file of the checkout.
    expect(testFilesImporting(root, 'src/invoice.ts', overlay)).toEqual([]);
  });
});

describe('testFilesImporting through the modules a test loads', () => {
  it('runs the tests that reach a module through a barrel, not those that only import its types', () => {
    const root = mkdtempSync(join(tmpdir(), 'steward-reach-'));
    try {
      const files: Record<string, string> = {
        'src/index.ts': "export * from './url';\n",
        'src/url.ts': 'export const join = (a: string, b: string) => a + b;\n',
        'test/index.test.ts': "import { join } from '../src';\n",
        'test/types.test.ts': "import type { join } from '../src/url';\n",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(root, path, '..'), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      expect(testFilesImporting(root, 'src/url.ts')).toEqual(['test/index.test.ts']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('splitCommand', () => {
  it('splits words as a shell would without expanding anything', () => {
    expect(splitCommand(`npx vitest run --dir 'src dir' "a \\"b\\"" c\\ d`)).toEqual({
      argv: ['npx', 'vitest', 'run', '--dir', 'src dir', 'a "b"', 'c d'],
      env: {},
    });
    expect(splitCommand('CI=1 TZ=UTC npm test')).toEqual({
      argv: ['npm', 'test'],
      env: { CI: '1', TZ: 'UTC' },
    });
    expect(splitCommand("npm test -- '--grep=a|b'")).toEqual({
      argv: ['npm', 'test', '--', '--grep=a|b'],
      env: {},
    });
  });

  it('refuses what only a shell could do', () => {
    for (const command of [
      'npm test && curl evil',
      'npm test; rm -rf /',
      'npm test > out',
      'echo $(cat ~/.npmrc)',
      'echo `id`',
      'echo "$HOME"',
      "echo 'open",
      'A=1',
      '   ',
    ]) {
      expect(splitCommand(command)).toHaveProperty('problem');
    }
  });
});

describe('failureLines', () => {
  it('starts at the first line that reads like a failure, without colours or stack frames', () => {
    const log = `\u001b[32mRUN\u001b[0m v3\n ok 1\n FAIL  test/a.test.ts > adds\nAssertionError: expected 1 to be 2\n    at Object.<anonymous> (test/a.test.ts:3:4)\n`;
    expect(failureLines(log)).toBe(
      'FAIL  test/a.test.ts > adds\nAssertionError: expected 1 to be 2',
    );
  });
});
