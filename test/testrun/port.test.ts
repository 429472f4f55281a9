import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestRunPort } from '../../src/testrun/port.ts';
import { placementProblem, withFileInPlace } from '../../src/testrun/placement.ts';
import { runVitest, testNamePattern } from '../../src/testrun/vitest.ts';
import { MATH_TEST_TS, createFixture, type Fixture } from '../stryker/fixture.ts';
import { TEST_PATH, createChainFixture, snapshot } from './fixture.ts';

const LONG = 600_000;
let fixture: Fixture | undefined;
afterEach(() => fixture?.cleanup());

const HEADER = `import { expect, test, describe } from 'vitest';
import { add, isAdult } from '../src/math.ts';
`;

describe('typeCheck', () => {
  it(
    "checks a repository that has no TypeScript of its own with Steward's",
    async () => {
      fixture = createFixture({ linkNodeModules: false });
      const port = createTestRunPort({ root: fixture.root, framework: 'vitest' });
      try {
        const result = await port.typeCheck({
          path: 'test/plain.test.ts',
          text: "const n: number = 'one';\nexport { n };\n",
        });
        expect(result.fileErrors.map((e) => e.message)).toEqual([
          "TS2322: Type 'string' is not assignable to type 'number'.",
        ]);
      } finally {
        port.close();
      }
    },
    LONG,
  );

  it(
    'gives each type error to the test it falls in, reads the project tsconfig and writes nothing',
    async () => {
      fixture = createChainFixture();
      const before = snapshot(fixture.root);
      const port = createTestRunPort({ root: fixture.root, framework: 'vitest' });
      const text = `${HEADER}import { nothing } from '../src/math.ts';
describe('isAdult', () => {
  test('good', () => {
    expect(isAdult(18)).toBe(true);
  });
  test('bad', () => {
    const n: number = add(1, 2) + '';
    expect(n).toBe(3);
  });
  test.each([1, 2])('each %i', (x) => {
    expect(add(x, 'y')).toBe(1);
  });
});
`;
      const result = await port.typeCheck({ path: 'test/other.test.ts', text });
      expect(result.byTest.get('good')).toBeUndefined();
      expect(result.byTest.get('bad')).toEqual([
        { line: 9, message: "TS2322: Type 'string' is not assignable to type 'number'." },
      ]);
      expect(result.byTest.get('each %i')?.[0]?.message).toMatch(/^TS2345: /);
      expect(result.fileErrors.map((e) => e.message)).toEqual([
        `TS2305: Module '"../src/math.ts"' has no exported member 'nothing'.`,
      ]);
      // The tsconfig beside the tests is strict: an implicit any is an error.
      const strict = await port.typeCheck({
        path: TEST_PATH,
        text: `${HEADER}test('loose', () => {\n  const f = (x) => x;\n  expect(f(1)).toBe(1);\n});\n`,
      });
      expect(strict.byTest.get('loose')?.[0]?.message).toMatch(/^TS7006: /);
      expect(snapshot(fixture.root)).toEqual(before);
      expect(existsSync(join(fixture.root, 'test/other.test.ts'))).toBe(false);
    },
    LONG,
  );
});

describe("typeCheck with the repository's TypeScript", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it(
    "loads it in a child process that has none of Steward's secrets",
    async () => {
      process.env.ANTHROPIC_API_KEY = 'sk-ant-secret';
      process.env.GITHUB_TOKEN = 'ghs_secret';
      const realTs = join(fileURLToPath(new URL('../../node_modules/typescript', import.meta.url)));
      fixture = createFixture({ linkNodeModules: false });
      const { root } = fixture;
      const seen = join(root, 'seen.txt');
      mkdirSync(join(root, 'node_modules/typescript'), { recursive: true });
      writeFileSync(
        join(root, 'node_modules/typescript/package.json'),
        JSON.stringify({ name: 'typescript', version: '5.0.0-fixture', main: 'index.js' }),
      );
      // A hostile lockfile can pick any "typescript": this one tells what it can see.
      writeFileSync(
        join(root, 'node_modules/typescript/index.js'),
        `require('node:fs').writeFileSync(${JSON.stringify(seen)}, String(process.env.ANTHROPIC_API_KEY) + ' ' + String(process.env.GITHUB_TOKEN));
module.exports = require(${JSON.stringify(realTs)});`,
      );
      const port = createTestRunPort({ root, framework: 'vitest' });
      const result = await port.typeCheck({
        path: 'test/plain.test.ts',
        text: "const n: number = 'one';\nexport { n };\n",
      });
      expect(result.fileErrors.map((e) => e.message)).toEqual([
        "TS2322: Type 'string' is not assignable to type 'number'.",
      ]);
      expect(readFileSync(seen, 'utf8')).toBe('undefined undefined');
    },
    LONG,
  );
});

describe('run', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.GITHUB_TOKEN = 'ghs_secret';
    process.env.ANTHROPIC_API_KEY = 'sk-ant-secret';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it(
    'runs only the named tests of the file, without Steward secrets, and leaves the checkout as it was',
    async () => {
      fixture = createChainFixture();
      const before = snapshot(fixture.root);
      const port = createTestRunPort({
        root: fixture.root,
        framework: 'vitest',
        env: { FIXTURE_DB: 'memory' },
      });
      const text = `${HEADER}
describe('env', () => {
  test('sees no token', () => {
    expect(process.env.GITHUB_TOKEN).toBeUndefined();
    expect(process.env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(process.env.FIXTURE_DB).toBe('memory');
  });
  test('not named', () => {
    throw new Error('must not run');
  });
  test('fails (with [regex] chars?)', () => {
    expect(add(1, 1)).toBe(3);
  });
});
`;
      const result = await port.run(
        { path: TEST_PATH, text },
        { names: ['sees no token', 'fails (with [regex] chars?)'], shuffle: true, seed: 3 },
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
              message: 'AssertionError: expected 2 to be 3 // Object.is equality',
            },
          ],
        ]),
      });
      expect(snapshot(fixture.root)).toEqual(before);
      expect(readFileSync(join(fixture.root, TEST_PATH), 'utf8')).toBe(MATH_TEST_TS);
    },
    LONG,
  );

  it(
    'reports a file that cannot load, and a run that never ends is killed at the timeout',
    async () => {
      fixture = createChainFixture();
      const before = snapshot(fixture.root);
      const port = createTestRunPort({ root: fixture.root, framework: 'vitest' });
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

      const hang = await runVitest({
        root: fixture.root,
        path: TEST_PATH, // the fixture's own file: its tests end; the timeout is what is tested
        names: ['adds'],
        shuffle: false,
        seed: 1,
        timeoutMs: 1,
        env: {},
      });
      expect(hang).toEqual({
        kind: 'failed',
        message: 'the test run was stopped after 1 ms (a test that never ends?)',
      });
      expect(snapshot(fixture.root)).toEqual(before);
    },
    LONG,
  );

  it('says node:test is not supported yet, without running anything', async () => {
    const port = createTestRunPort({ root: tmpdir(), framework: 'node:test' });
    const result = await port.run(
      { path: 'a.test.ts', text: '' },
      { names: ['x'], shuffle: false, seed: 1 },
    );
    expect(result).toEqual({
      kind: 'failed',
      message: expect.stringContaining(
        'node:test is not supported yet: Steward runs candidate tests with vitest or jest only',
      ) as unknown,
    });
    expect(await port.mutantsKilled({ path: 'a.test.ts', text: '' }, [], ['x'])).toMatchObject({
      kind: 'failed',
    });
  });

  it('matches names exactly, after a describe chain or with a fast-check seed suffix', () => {
    const pattern = new RegExp(testNamePattern(['a.b', 'is (x)']));
    expect(pattern.test('a.b')).toBe(true);
    expect(pattern.test('outer > inner > is (x)')).toBe(true);
    expect(pattern.test('is (x) (with seed=-12)')).toBe(true);
    expect(pattern.test('axb')).toBe(false);
    expect(pattern.test('is (x) and more')).toBe(false);
    expect(pattern.test('this is (x)')).toBe(false);
  });
});

describe('the file in place', () => {
  it('refuses paths that are not test files inside the repository', () => {
    fixture = createChainFixture();
    const { root } = fixture;
    expect(placementProblem(root, 'src/math.ts')).toMatch(/is not a test file/);
    expect(placementProblem(root, '../x.test.ts')).toMatch(/must be relative/);
    expect(placementProblem(root, '/etc/x.test.ts')).toMatch(/must be relative/);
    expect(placementProblem(root, 'node_modules/x/a.test.ts')).toMatch(/node_modules/);
    expect(placementProblem(root, 'test/math.test.ts')).toBeUndefined();
    expect(placementProblem(root, 'src/__tests__/math.ts')).toBeUndefined();
    const outside = join(tmpdir(), `steward-outside-${String(process.pid)}`);
    mkdirSync(outside, { recursive: true });
    symlinkSync(outside, join(root, 'linked'));
    expect(placementProblem(root, 'linked/a.test.ts')).toMatch(/outside the repository/);
    symlinkSync(join(root, 'src/math.ts'), join(root, 'test/alias.test.ts'));
    expect(placementProblem(root, 'test/alias.test.ts')).toMatch(/symbolic link/);
  });

  it('restores the original bytes when the run throws, and removes a new file and its folders', async () => {
    fixture = createChainFixture();
    const { root } = fixture;
    const original = Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a, 0xff]);
    writeFileSync(join(root, 'test/bytes.test.ts'), original);
    const before = snapshot(root);
    await expect(
      withFileInPlace(root, { path: 'test/bytes.test.ts', text: 'candidate' }, (file) => {
        expect(readFileSync(file, 'utf8')).toBe('candidate');
        return Promise.reject(new Error('crash'));
      }),
    ).rejects.toThrow('crash');
    await withFileInPlace(root, { path: 'test/deep/er/new.test.ts', text: 'x' }, (file) => {
      expect(existsSync(file)).toBe(true);
      return Promise.resolve();
    });
    expect(snapshot(root)).toEqual(before);
    expect(existsSync(join(root, 'test/deep'))).toBe(false);
  });

  it(
    'puts the original back when Steward is stopped by a signal mid-run',
    async () => {
      fixture = createChainFixture();
      const { root } = fixture;
      const before = snapshot(root);
      const placement = fileURLToPath(new URL('../../src/testrun/placement.ts', import.meta.url));
      const script = `import { withFileInPlace } from ${JSON.stringify(placement)};
await withFileInPlace(${JSON.stringify(root)}, { path: 'test/math.test.ts', text: 'candidate' }, () => {
  process.stdout.write('placed\\n');
  return new Promise(() => { setInterval(() => {}, 1000); });
});`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('placed')) resolve();
        });
      });
      expect(readFileSync(join(root, TEST_PATH), 'utf8')).toBe('candidate');
      const exit = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_c, s) => resolve(s)),
      );
      child.kill('SIGTERM');
      expect(await exit).toBe('SIGTERM');
      expect(snapshot(root)).toEqual(before);
    },
    LONG,
  );
});
