import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStrykerRunner } from '../../src/stryker/runner.ts';
import type { MutantTarget } from '../../src/testgen/test-runner.ts';
import { findJest } from '../../src/testrun/jest-config.ts';
import { outcomeOfJestErrors } from '../../src/testrun/jest-report.ts';
import { jestTestNamePattern, runJest } from '../../src/testrun/jest.ts';
import { candidateOf } from '../../src/testrun/mutants.ts';
import { createTestRunPort } from '../../src/testrun/port.ts';
import { createFixture, type Fixture } from '../stryker/fixture.ts';
import {
  DOUBLE,
  IS_ADULT,
  JEST_MATH_TEST_TS,
  TEST_PATH,
  createJestChainFixture,
  snapshot,
} from './fixture.ts';

/** Real jest (babel-jest, TypeScript) on a temp project; real Stryker with its jest runner. */

const LONG = 600_000;
let fixture: Fixture | undefined;
afterEach(() => fixture?.cleanup());
const work = mkdtempSync(join(tmpdir(), 'steward-jest-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HEADER = `import { afterAll, describe, expect, jest, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { add, isAdult } from '../src/math.ts';
`;

const CHILD_PROPERTY = `test('is a child below 41', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 40 }), (age) => {
      expect(isAdult(age)).toBe(false);
    }),
    { numRuns: 1 },
  );
});
`;

describe('run under jest', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.GITHUB_TOKEN = 'ghs_secret';
    process.env.ANTHROPIC_API_KEY = 'sk-ant-secret';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it(
    'runs only the named tests of the file, tells an assertion from an exception, keeps the config setup files, without Steward secrets, and leaves the checkout as it was',
    async () => {
      fixture = createJestChainFixture();
      const before = snapshot(fixture.root);
      const port = createTestRunPort({
        root: fixture.root,
        framework: 'jest',
        env: { FIXTURE_DB: 'memory' },
      });
      const text = `${HEADER}
describe('env', () => {
  test('sees no token', () => {
    expect(process.env.GITHUB_TOKEN).toBeUndefined();
    expect(process.env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(process.env.FIXTURE_DB).toBe('memory');
    expect((globalThis as { fixtureSetup?: boolean }).fixtureSetup).toBe(true);
  });
  test('not named', () => {
    throw new Error('must not run');
  });
  test('fails (with [regex] chars?)', () => {
    expect(add(1, 1)).toBe(3);
  });
});
test('throws', () => {
  JSON.parse('not json');
});
test('Throws', () => {
  throw new Error('same name but for case: jest matches names ignoring case; Steward does not');
});
`;
      const result = await port.run(
        { path: TEST_PATH, text },
        {
          names: ['sees no token', 'fails (with [regex] chars?)', 'throws'],
          shuffle: false,
          seed: 3,
        },
      );
      expect(result).toEqual({
        kind: 'ran',
        tests: new Map([
          ['sees no token', { status: 'passed' }],
          [
            'fails (with [regex] chars?)',
            {
              status: 'failed',
              failure: 'assertion',
              message:
                'expect(received).toBe(expected) // Object.is equality\n\nExpected: 3\nReceived: 2',
            },
          ],
          [
            'throws',
            {
              status: 'failed',
              failure: 'exception',
              message: `SyntaxError: Unexpected token 'o', "not json" is not valid JSON`,
            },
          ],
        ]),
      });
      expect(snapshot(fixture.root)).toEqual(before);
      expect(readFileSync(join(fixture.root, TEST_PATH), 'utf8')).toBe(JEST_MATH_TEST_TS);
    },
    LONG,
  );

  it(
    "shuffles by the run's seed and seeds fast-check with it",
    async () => {
      fixture = createJestChainFixture();
      const before = snapshot(fixture.root);
      const orderFile = join(work, 'order.txt');
      const port = createTestRunPort({
        root: fixture.root,
        framework: 'jest',
        env: { ORDER_FILE: orderFile },
      });
      const titles = ['t1', 't2', 't3', 't4', 't5', 't6'];
      const text = `${HEADER}
const order: string[] = [];
afterAll(() => writeFileSync(process.env.ORDER_FILE as string, \`\${order.join(',')} seed \${jest.getSeed()}\`));
${titles.map((t) => `test('${t}', () => {\n  order.push('${t}');\n});`).join('\n')}
${CHILD_PROPERTY}`;
      const names = [...titles, 'is a child below 41'];
      const orderOf = async (shuffle: boolean, seed: number): Promise<string> => {
        const result = await port.run({ path: TEST_PATH, text }, { names, shuffle, seed });
        expect(result.kind).toBe('ran');
        return readFileSync(orderFile, 'utf8');
      };
      expect(await orderOf(false, 1)).toMatch(new RegExp(`^${titles.join(',')} seed -?\\d+$`));
      const shuffled = await orderOf(true, 7);
      expect(shuffled).toMatch(/ seed 7$/);
      const order = shuffled.replace(/ seed 7$/, '');
      expect(order).not.toBe(titles.join(','));
      expect(order.split(',').sort()).toEqual(titles);
      expect(await orderOf(true, 7)).toBe(shuffled);

      // fast-check draws a child's age with seeds 2, 3 and 4 and an adult's with 5, every time.
      const property = async (seed: number) => {
        const result = await port.run(
          { path: TEST_PATH, text },
          { names: ['is a child below 41'], shuffle: true, seed },
        );
        return result.kind === 'ran' ? result.tests.get('is a child below 41') : result;
      };
      for (const seed of [2, 3, 4, 2]) expect(await property(seed)).toEqual({ status: 'passed' });
      const adult = await property(5);
      expect(adult).toMatchObject({ status: 'failed', failure: 'assertion' });
      expect(adult).toHaveProperty(
        'message',
        expect.stringMatching(
          /^expect\(received\)\.toBe\(expected\) \/\/ Object\.is equality\n\nExpected: false\nReceived: true\nProperty failed after 1 tests\n\{ seed: 5,/,
        ),
      );
      expect(await property(5)).toEqual(adult);
      expect(snapshot(fixture.root)).toEqual(before);
    },
    LONG,
  );

  it(
    'runs an ES module project as its scripts do (--experimental-vm-modules), fast-check seeded there too',
    async () => {
      fixture = createFixture({
        files: {
          'package.json': JSON.stringify({
            name: 'jest-esm',
            private: true,
            type: 'module',
            scripts: { test: 'node --experimental-vm-modules node_modules/jest/bin/jest.js' },
            jest: { extensionsToTreatAsEsm: ['.ts'] },
            devDependencies: { jest: '*' },
          }),
          'babel.config.js': "export default { presets: ['@babel/preset-typescript'] };\n",
          'test/math.test.ts': JEST_MATH_TEST_TS,
        },
      });
      const before = snapshot(fixture.root);
      const port = createTestRunPort({ root: fixture.root, framework: 'jest' });
      const text = `${HEADER}${CHILD_PROPERTY}test('is ESM', () => {\n  expect(typeof require).toBe('undefined');\n});\n`;
      const run = (seed: number) =>
        port.run(
          { path: TEST_PATH, text },
          { names: ['is a child below 41', 'is ESM'], shuffle: true, seed },
        );
      for (const seed of [2, 3, 4]) {
        expect(await run(seed)).toEqual({
          kind: 'ran',
          tests: new Map([
            ['is a child below 41', { status: 'passed' }],
            ['is ESM', { status: 'passed' }],
          ]),
        });
      }
      expect(await run(5)).toMatchObject({
        kind: 'ran',
        tests: new Map([
          [
            'is a child below 41',
            expect.objectContaining({ status: 'failed', failure: 'assertion' }),
          ],
          ['is ESM', { status: 'passed' }],
        ]),
      });
      expect(snapshot(fixture.root)).toEqual(before);
    },
    LONG,
  );

  it(
    'reports a file that cannot load, a file jest does not take as a test, and kills a run at its timeout',
    async () => {
      fixture = createJestChainFixture();
      const before = snapshot(fixture.root);
      const port = createTestRunPort({ root: fixture.root, framework: 'jest' });
      const broken = await port.run(
        {
          path: 'test/broken.test.ts',
          text: `${HEADER}import '../src/missing.ts';\ntest('x', () => {});\n`,
        },
        { names: ['x'], shuffle: false, seed: 1 },
      );
      expect(broken.kind).toBe('failed');
      expect(broken).toHaveProperty(
        'message',
        expect.stringContaining('test/broken.test.ts could not run'),
      );
      expect(broken).toHaveProperty('message', expect.stringContaining('missing.ts'));

      const outside = await port.run(
        { path: 'test/fixtures/data.test.ts', text: "test('x', () => {});\n" },
        { names: ['x'], shuffle: false, seed: 1 },
      );
      expect(outside).toEqual({
        kind: 'failed',
        message:
          "jest did not run test/fixtures/data.test.ts: it does not match the project's testMatch, testRegex, roots or testPathIgnorePatterns",
      });

      const jest = findJest(fixture.root);
      if ('problem' in jest) throw new Error(jest.problem);
      const hang = await runJest({
        root: fixture.root,
        path: TEST_PATH, // the fixture's own file: its tests end; the timeout is what is tested
        names: ['adds'],
        shuffle: false,
        seed: 1,
        timeoutMs: 1,
        env: {},
        jest,
        projectSetupFiles: () =>
          Promise.resolve({ kind: 'one-project', setupFiles: [], rootDir: fixture!.root }),
      });
      expect(hang).toEqual({
        kind: 'failed',
        message: 'the test run was stopped after 1 ms (a test that never ends?)',
      });
      expect(snapshot(fixture.root)).toEqual(before);
    },
    LONG,
  );

  it('says when the repository has no jest installed, and that node:test is not supported yet', async () => {
    const empty = mkdtempSync(join(work, 'empty-'));
    const port = createTestRunPort({ root: empty, framework: 'jest' });
    expect(
      await port.run({ path: 'a.test.ts', text: '' }, { names: ['x'], shuffle: false, seed: 1 }),
    ).toEqual({
      kind: 'failed',
      message:
        'jest is not installed in the repository: install its dependencies (npm ci) before generating tests',
    });
    const nodeTest = createTestRunPort({ root: empty, framework: 'node:test' });
    expect(
      await nodeTest.run(
        { path: 'a.test.ts', text: '' },
        { names: ['x'], shuffle: false, seed: 1 },
      ),
    ).toEqual({
      kind: 'failed',
      message: expect.stringContaining(
        'node:test is not supported yet: Steward runs candidate tests with vitest or jest only',
      ) as unknown,
    });
  });
});

describe("the repository's jest as Steward starts it", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  /** A project whose "jest" only writes down how it was started. */
  function fakeJest(
    version: string,
    scripts: Record<string, string> = {},
    results?: string,
  ): Fixture {
    const seen = join(work, `seen-${version}.json`);
    const report =
      results === undefined
        ? ''
        : `const reporter = process.argv.find((a) => a.startsWith('--reporters=')).slice('--reporters='.length);
require('node:fs').writeFileSync(reporter.replace(/reporter\\.cjs$/, 'results.json'), ${JSON.stringify(results)});
`;
    return createFixture({
      linkNodeModules: false,
      files: {
        'package.json': JSON.stringify({ name: 'fake', private: true, scripts }),
        'node_modules/jest/package.json': JSON.stringify({ name: 'jest', version }),
        'node_modules/jest/bin/jest.js': `require('node:fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify({ argv: process.argv.slice(2), execArgv: process.execArgv, token: process.env.GITHUB_TOKEN ?? null, key: process.env.ANTHROPIC_API_KEY ?? null }));
${report}console.error('fake jest has no results');
process.exit(1);
`,
      },
    });
  }

  it(
    "runs it on the one file by absolute path, named tests, shuffled by the seed, with ESM when its scripts say so, and none of Steward's secrets",
    async () => {
      process.env.GITHUB_TOKEN = 'ghs_secret';
      process.env.ANTHROPIC_API_KEY = 'sk-ant-secret';
      fixture = fakeJest('30.0.0', {
        test: 'node --experimental-vm-modules node_modules/jest/bin/jest.js',
      });
      const port = createTestRunPort({ root: fixture.root, framework: 'jest' });
      const result = await port.run(
        { path: 'test/-x.test.ts', text: '' },
        { names: ['a.b', 'c'], shuffle: true, seed: 12 },
      );
      expect(result).toEqual({
        kind: 'failed',
        message: 'jest stopped before reporting: fake jest has no results',
      });
      const seen = JSON.parse(readFileSync(join(work, 'seen-30.0.0.json'), 'utf8')) as {
        argv: string[];
        execArgv: string[];
      };
      expect(seen).toMatchObject({ token: null, key: null });
      expect(seen.execArgv).toEqual(['--experimental-vm-modules']);
      expect(seen.argv).toEqual([
        '--ci',
        '--watchman=false',
        '--coverage=false',
        '--runInBand',
        '--forceExit',
        '--passWithNoTests',
        expect.stringMatching(/^--reporters=.+reporter\.cjs$/) as unknown,
        '--testNamePattern=^(?:.* )?(?:a\\.b|c)(?: \\(with seed=-?\\d+\\))?$',
        '--randomize',
        '--seed=12',
        '--runTestsByPath',
        join(fixture.root, 'test/-x.test.ts'),
      ]);
    },
    LONG,
  );

  it('takes no results that are not what its reporter writes (the tests run where it writes them)', async () => {
    for (const results of [
      'not json',
      '{"files": [{"path": 5}]}',
      '{"files": [{"path": "a", "tests": [{"title": "x", "status": "failed", "errors": [{"message": 1}]}]}]}',
    ]) {
      fixture?.cleanup();
      fixture = fakeJest('30.0.1', {}, results);
      const port = createTestRunPort({ root: fixture.root, framework: 'jest' });
      expect(
        await port.run({ path: 'a.test.ts', text: '' }, { names: ['x'], shuffle: false, seed: 1 }),
      ).toEqual({
        kind: 'failed',
        message: "jest's results could not be read: the report was changed",
      });
    }
  });

  it('refuses to shuffle with a jest older than 29.2, which cannot', async () => {
    fixture = fakeJest('29.1.0');
    const port = createTestRunPort({ root: fixture.root, framework: 'jest' });
    expect(
      await port.run({ path: 'a.test.ts', text: '' }, { names: ['x'], shuffle: true, seed: 1 }),
    ).toEqual({
      kind: 'failed',
      message:
        "the repository's jest 29.1.0 cannot run tests in random order (--randomize came with jest 29.2.0): upgrade jest to check that candidate tests are stable",
    });
  });

  it(
    'reads the config past what it logs while loading',
    async () => {
      fixture = createJestChainFixture();
      const { root } = fixture;
      writeFileSync(
        join(root, 'jest.config.cjs'),
        `console.log('loading the config');\n${readFileSync(join(root, 'jest.config.cjs'), 'utf8')}`,
      );
      const before = snapshot(root);
      const port = createTestRunPort({ root, framework: 'jest' });
      const seeded = await port.run(
        { path: TEST_PATH, text: `${HEADER}${CHILD_PROPERTY}` },
        { names: ['is a child below 41'], shuffle: false, seed: 5 },
      );
      expect(seeded).toMatchObject({
        kind: 'ran',
        tests: new Map([['is a child below 41', expect.objectContaining({ status: 'failed' })]]),
      });
      expect(snapshot(root)).toEqual(before);
    },
    LONG,
  );
});

describe('mutantsKilled under jest', () => {
  it(
    "credits a kill to the named test that makes it, through Stryker's jest runner with fast-check seeded and the config's setup files, and leaves the checkout as it was",
    async () => {
      fixture = createJestChainFixture();
      const before = snapshot(fixture.root);
      const port = createTestRunPort({
        root: fixture.root,
        framework: 'jest',
        concurrency: 1,
        mutationRunner: createStrykerRunner({ tools: { toolRoot: join(work, 'tools') } }),
      });
      // The test checks that fast-check is seeded and the config's setup file ran in Stryker's
      // sandbox: without either, the initial run fails and nothing is measured.
      const text = `${JEST_MATH_TEST_TS}
import fc from 'fast-check';
import { double } from '../src/math.ts';
describe('isAdult', () => {
  test('is adult at 18', () => {
    expect(fc.readConfigureGlobal().seed).toBe(42);
    expect((globalThis as { fixtureSetup?: boolean }).fixtureSetup).toBe(true);
    expect(isAdult(18)).toBe(true);
  });
  test('adult', () => {
    expect(isAdult(40)).toBe(true);
  });
});
test('doubles', () => {
  expect(double(4)).toBe(8);
});
`;
      const targets: MutantTarget[] = [IS_ADULT, DOUBLE].map((t) => ({
        path: t.path,
        startLine: t.startLine,
        endLine: t.endLine,
        mutants: t.survivingMutants,
      }));
      const result = await port.mutantsKilled({ path: TEST_PATH, text }, targets, [
        'is adult at 18',
        'adult',
        'doubles',
      ]);
      expect(result).toEqual({
        kind: 'measured',
        byTest: new Map([
          ['is adult at 18', { kills: ['7'], covers: [] }],
          ['adult', { kills: [], covers: [] }],
          ['doubles', { kills: ['11'], covers: ['11'] }],
        ]),
      });
      expect(snapshot(fixture.root)).toEqual(before);
    },
    LONG,
  );
});

describe("Stryker's jest runner missing beside the repository's Stryker", () => {
  it('fails the measure, naming the pair of versions to install', async () => {
    fixture = createJestChainFixture({ worktreeStryker: true });
    const port = createTestRunPort({ root: fixture.root, framework: 'jest' });
    const targets: MutantTarget[] = [
      { path: 'src/math.ts', startLine: 5, endLine: 8, mutants: IS_ADULT.survivingMutants },
    ];
    const result = await port.mutantsKilled({ path: TEST_PATH, text: JEST_MATH_TEST_TS }, targets, [
      'adds',
    ]);
    expect(result).toEqual({
      kind: 'failed',
      message: `Stryker's jest test runner plugin @stryker-mutator/jest-runner is not installed in ${fixture.root} (add it with \`npm install --save-dev --save-exact @stryker-mutator/jest-runner@10.0.0 @stryker-mutator/core@10.0.0\` (the jest runner has no release past 10.0.0 and needs core at its own version), or remove @stryker-mutator/core so Steward installs that pair itself)`,
    });
  });
});

describe('jest names', () => {
  it('matches a title alone or after describe titles joined by spaces, escaped, with a fast-check seed suffix', () => {
    const pattern = new RegExp(jestTestNamePattern(['a.b', 'is (x)']), 'i');
    expect(pattern.test('a.b')).toBe(true);
    expect(pattern.test('outer inner is (x)')).toBe(true);
    expect(pattern.test('is (x) (with seed=-12)')).toBe(true);
    expect(pattern.test('axb')).toBe(false);
    expect(pattern.test('is (x) and more')).toBe(false);
    expect(pattern.test('thisis (x)')).toBe(false);
  });

  it("gives Stryker's jest test names (full names) to the longest candidate title they end with", () => {
    const names = new Set(['adult', 'is adult', 'doubles']);
    expect(candidateOf('isAdult is adult', names, ' ')).toBe('is adult');
    expect(candidateOf('adult', names, ' ')).toBe('adult');
    expect(candidateOf('outer doubles (with seed=4)', names, ' ')).toBe('doubles');
    expect(candidateOf('isadult', names, ' ')).toBeUndefined();
    expect(candidateOf('isAdult > is adult', names, ' ')).toBe('is adult');
    expect(candidateOf('doubles twice', names, ' ')).toBeUndefined();
  });

  it('takes an expect failure or an AssertionError as an assertion, anything else thrown as an exception, named as jest wrote it', () => {
    const expectFailure = 'expect(x).toBe(y)';
    expect(
      outcomeOfJestErrors([
        {
          message: expectFailure,
          stacked: true,
          matcher: true,
          text: `Error: ${expectFailure}\n    at t`,
        },
      ]),
    ).toEqual({ status: 'failed', failure: 'assertion', message: expectFailure });
    // node:assert and chai: jest turns their AssertionError into a message without a stack.
    expect(
      outcomeOfJestErrors([
        {
          message: 'assert.strictEqual(received, expected)\n    at Object.<anonymous> (a.ts:1:1)',
          stacked: false,
          matcher: false,
        },
      ]),
    ).toEqual({
      status: 'failed',
      failure: 'assertion',
      message: 'assert.strictEqual(received, expected)',
    });
    expect(
      outcomeOfJestErrors([
        {
          message: 'bad 0',
          stacked: true,
          matcher: false,
          text: 'TypeError: bad 0\n    at x (a.ts:1:1)',
        },
      ]),
    ).toEqual({ status: 'failed', failure: 'exception', message: 'TypeError: bad 0' });
    // A property: what its cause was decides; its name is on jest's "[cause]:" line.
    const property = 'Property failed after 1 tests\n{ seed: 1 }';
    expect(
      outcomeOfJestErrors([
        {
          message: property,
          stacked: true,
          matcher: false,
          cause: { message: 'bad 0', stacked: true, matcher: false },
          text: `Error: ${property}\n    at y\n\n[cause]: TypeError: bad 0\n    at x`,
        },
      ]),
    ).toEqual({ status: 'failed', failure: 'exception', message: `TypeError: bad 0\n${property}` });
    expect(
      outcomeOfJestErrors([
        {
          message: property,
          stacked: true,
          matcher: false,
          cause: { message: expectFailure, stacked: true, matcher: true },
          text: `Error: ${property}\n\n[cause]: Error: ${expectFailure}`,
        },
      ]),
    ).toEqual({ status: 'failed', failure: 'assertion', message: `${expectFailure}\n${property}` });
    // A name the text does not show (or a hostile one) is "Error"; a chai AssertionError by name is an assertion.
    expect(
      outcomeOfJestErrors([
        { message: 'boom', stacked: true, matcher: false, text: 'Not a name!: boom' },
      ]),
    ).toMatchObject({ failure: 'exception', message: 'Error: boom' });
    expect(
      outcomeOfJestErrors([
        {
          message: 'expected 1 to equal 2',
          stacked: true,
          matcher: false,
          text: 'AssertionError: expected 1 to equal 2',
        },
      ]),
    ).toMatchObject({ failure: 'assertion', message: 'expected 1 to equal 2' });
  });
});
