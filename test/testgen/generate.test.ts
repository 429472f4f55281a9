import { describe, expect } from 'vitest';
import { createAnthropicModelClient, type ModelClient } from '../../src/llm/client.ts';
import type { Clock } from '../../src/llm/retry.ts';
import type { TestFileFormatter } from '../../src/testgen/formatter.ts';
import { generateTests, usesOffline } from '../../src/testgen/generate.ts';
import { projectOfTexts } from '../../src/testgen/project.ts';
import { defaultTestGenConfig, type TestGenConfig } from '../../src/testgen/settings.ts';
import type {
  MutantTarget,
  TestOutcome,
  TestRunPort,
  TypeDiagnostic,
} from '../../src/testgen/test-runner.ts';
import type { TestTarget } from '../../src/testgen/types.ts';
import type { AnthropicFake, MessagesRequestBody } from '../support/anthropic-fake.ts';
import { anthropicTest } from '../support/anthropic-world.ts';

/**
 * The use case over ports: the Anthropic fake on loopback for the model, an in-memory test runner
 * that reads the test titles out of the file it is given, and the project as a map of texts.
 * The real runner (vitest, Stryker) is exercised end to end in test/e2e.
 */

const it = anthropicTest({ apiKey: 'sk-ant-test' });
const MODEL = 'claude-haiku-5-5';
const clock: Clock = { sleep: async () => {}, random: () => 0.5, now: () => 0 };

function client(fake: AnthropicFake, maxRetries = 0): ModelClient {
  return createAnthropicModelClient({
    apiKey: 'sk-ant-test',
    baseURL: fake.url,
    model: MODEL,
    timeoutMs: 30_000,
    maxRetries,
    clock,
  });
}

const SOURCE = [
  'export function parseCount(text: string): number {',
  '  const n = Number.parseInt(text, 10);',
  "  if (n < 0) throw new RangeError('count must not be negative');",
  '  if (Number.isNaN(n)) return 0;',
  '  return n;',
  '}',
  '',
  'export function encodeName(name: string): string {',
  '  return encodeURIComponent(name);',
  '}',
  '',
  'export function decodeName(text: string): string {',
  '  return decodeURIComponent(text);',
  '}',
  '',
].join('\n');

const EXISTING_TEST = [
  "import { describe, expect, it } from 'vitest';",
  "import { parseCount } from '../src/args.ts';",
  '',
  "describe('parseCount', () => {",
  "  it('reads a number', () => {",
  "    expect(parseCount('3')).toBe(3);",
  '  });',
  '});',
  '',
].join('\n');

function project(extra: Record<string, string> = {}) {
  return projectOfTexts(
    new Map(
      Object.entries({
        'package.json': '{ "type": "module", "devDependencies": { "vitest": "^4.0.0" } }',
        'tsconfig.json': '{ "compilerOptions": { "allowImportingTsExtensions": true } }',
        'src/args.ts': SOURCE,
        'test/args.test.ts': EXISTING_TEST,
        ...extra,
      }),
    ),
  );
}

const PARSE_COUNT: TestTarget = {
  path: 'src/args.ts',
  name: 'parseCount',
  startLine: 1,
  endLine: 6,
  exported: true,
  changedLines: [3, 4],
  uncoveredLines: [4],
  survivingMutants: [
    {
      id: '12',
      mutator: 'ConditionalExpression',
      line: 3,
      original: 'n < 0',
      replacement: 'false',
      status: 'Survived',
    },
    {
      id: '13',
      mutator: 'BlockStatement',
      line: 4,
      original: 'return 0;',
      replacement: '{}',
      status: 'NoCoverage',
    },
  ],
};

const ENCODE: TestTarget = {
  path: 'src/args.ts',
  name: 'encodeName',
  startLine: 8,
  endLine: 10,
  exported: true,
  changedLines: [9],
  uncoveredLines: [],
  survivingMutants: [
    {
      id: '20',
      mutator: 'StringLiteral',
      line: 9,
      original: 'encodeURIComponent(name)',
      replacement: 'name',
      status: 'Survived',
    },
  ],
};

function example(name: string, body: string) {
  return {
    name,
    code: `it(${JSON.stringify(name)}, () => {\n  ${body}\n});`,
    imports: [
      "import { parseCount } from '../src/args.ts';",
      "import { expect, it } from 'vitest';",
    ],
    target: 'parseCount',
    kind: 'example' as const,
  };
}

/** How a test behaves in the in-memory runner, by its title. */
interface Behaviour {
  typeError?: string;
  /** Outcome of the n-th run (0: the first pass). */
  run?: (n: number) => TestOutcome;
  kills?: string[];
  covers?: string[];
}

const PASS: TestOutcome = { status: 'passed' };
const fails = (message: string): TestOutcome => ({
  status: 'failed',
  failure: 'assertion',
  message,
});

/** Titles of the tests in a file, in order (it/test and fast-check's test.prop). */
function titles(text: string): string[] {
  return [...text.matchAll(/(?:^|\n)\s*(?:it|test)\((["'])(.*?)\1/g)].map((m) => m[2]!);
}

function memoryRunner(behaviours: (name: string) => Behaviour) {
  const runs = new Map<string, number>();
  const seen = {
    mutantTargets: [] as MutantTarget[][],
    files: [] as string[],
    runs: [] as string[],
  };
  const port: TestRunPort = {
    typeCheck(file) {
      seen.files.push(file.text);
      const byTest = new Map<string, TypeDiagnostic[]>();
      for (const name of titles(file.text)) {
        const error = behaviours(name).typeError;
        if (error !== undefined) byTest.set(name, [{ line: 1, message: error }]);
      }
      return Promise.resolve({ byTest, fileErrors: [] });
    },
    run(file, options) {
      seen.runs.push(file.text);
      const tests = new Map<string, TestOutcome>();
      for (const name of options.names) {
        if (!titles(file.text).includes(name)) continue;
        const n = runs.get(name) ?? 0;
        runs.set(name, n + 1);
        tests.set(name, behaviours(name).run?.(n) ?? PASS);
      }
      return Promise.resolve({ kind: 'ran', tests });
    },
    mutantsKilled(_file, targets, names) {
      seen.mutantTargets.push([...targets]);
      return Promise.resolve({
        kind: 'measured',
        byTest: new Map(
          names.map((n) => [
            n,
            { kills: behaviours(n).kills ?? [], covers: behaviours(n).covers ?? [] },
          ]),
        ),
      });
    },
  };
  return { port, seen };
}

const identity: TestFileFormatter = {
  format: (file) => Promise.resolve({ kind: 'no-formatter', text: file.text, reason: 'none' }),
};

function config(overrides: Partial<TestGenConfig> = {}): TestGenConfig {
  return { ...defaultTestGenConfig(), model: MODEL, runs: 2, ...overrides };
}

function userText(body: MessagesRequestBody): string {
  const content = body.messages[0]!.content;
  return typeof content === 'string' ? content : JSON.stringify(content);
}

const BEHAVIOURS: Record<string, Behaviour> = {
  'adds strings': { typeError: "TS2345: Argument of type 'string' is not assignable" },
  'parses hex': { run: () => fails('AssertionError: expected 0 to be 255') },
  'is flaky': { run: (n) => (n === 1 ? fails('AssertionError: expected 1 to be 2') : PASS) },
  'reads another number': {},
  'rejects a negative count': { kills: ['12'] },
  'reads garbage as zero': { covers: ['13'] },
};

describe('generateTests', () => {
  it('takes each candidate through the chain, retries once with the failures, and keeps only the tests that add value', async ({
    anthropic: fake,
  }) => {
    fake.enqueue({
      toolUse: {
        name: 'propose_tests',
        input: {
          tests: [
            example('adds strings', 'expect(parseCount(3 as never)).toBe(3);'),
            example('parses hex', "expect(parseCount('ff')).toBe(255);"),
            example('is flaky', 'expect(1).toBe(1);'),
            example('reads another number', "expect(parseCount('4')).toBe(4);"),
            example(
              'rejects a negative count',
              "expect(() => parseCount('-1')).toThrow(RangeError);",
            ),
          ],
        },
      },
    });
    fake.enqueue({
      toolUse: {
        name: 'propose_tests',
        input: { tests: [example('reads garbage as zero', "expect(parseCount('x')).toBe(0);")] },
      },
    });
    const { port, seen } = memoryRunner((name) => BEHAVIOURS[name] ?? {});
    const progress: string[] = [];
    const result = await generateTests(
      { targets: [PARSE_COUNT], config: config({ maxCandidates: 5 }), offline: false },
      {
        project: project(),
        testRunner: () => port,
        formatter: identity,
        model: client(fake),
        progress: (e) => progress.push(`${e.index}/${e.total} ${e.step}`),
      },
    );

    // 'parses hex' fails on an assertion every run: a possible bug, never kept.
    expect(result.funnel).toEqual({
      candidates: 6,
      typeChecks: 5,
      passes: 4,
      stable: 3,
      addsValue: 2,
      kept: 2,
      possibleBugs: 1,
    });
    expect(result.report.possibleBugs).toEqual([
      {
        name: 'parses hex',
        target: 'parseCount',
        sourcePath: 'src/args.ts',
        assertion: 'AssertionError: expected 0 to be 255',
      },
    ]);
    expect(result.report.kept).toEqual([
      {
        name: 'rejects a negative count',
        target: 'parseCount',
        sourcePath: 'src/args.ts',
        testPath: 'test/args.test.ts',
        kills: [
          {
            id: '12',
            mutator: 'ConditionalExpression',
            line: 3,
            original: 'n < 0',
            replacement: 'false',
          },
        ],
        covers: [],
      },
      {
        name: 'reads garbage as zero',
        target: 'parseCount',
        sourcePath: 'src/args.ts',
        testPath: 'test/args.test.ts',
        kills: [],
        covers: [4],
      },
    ]);

    // One file: the existing tests untouched, the two kept tests in the describe block, nothing else.
    expect(result.files).toHaveLength(1);
    const file = result.files[0]!;
    expect(file.path).toBe('test/args.test.ts');
    expect(titles(file.text)).toEqual([
      'reads a number',
      'rejects a negative count',
      'reads garbage as zero',
    ]);
    expect(file.text.startsWith(EXISTING_TEST.split('\n').slice(0, 6).join('\n'))).toBe(true);

    // The retry saw the failures and the kept test, and only the mutants still alive.
    expect(fake.requests).toHaveLength(2);
    const retry = userText(fake.requests[1]!.body);
    expect(retry).toContain('"adds strings"');
    expect(retry).toContain("TS2345: Argument of type 'string' is not assignable");
    expect(retry).toContain('"is flaky"');
    expect(retry).toContain('"reads another number"');
    expect(retry).toContain('kept, already in the test file');
    expect(retry).not.toContain('"parses hex" ');
    expect(seen.mutantTargets[1]).toEqual([
      {
        path: 'src/args.ts',
        startLine: 1,
        endLine: 6,
        mutants: [{ ...PARSE_COUNT.survivingMutants[1], status: 'NoCoverage' }],
      },
    ]);
    // The retry's file already holds the first round's kept test.
    expect(titles(seen.files.at(-1)!)).toContain('rejects a negative count');

    const target = result.targets[0]!;
    expect(target.candidates.map((c) => [c.name, c.round, c.verdict.kind])).toEqual([
      ['adds strings', 1, 'dropped'],
      ['parses hex', 1, 'possible-bug'],
      ['is flaky', 1, 'dropped'],
      ['reads another number', 1, 'dropped'],
      ['rejects a negative count', 1, 'kept'],
      ['reads garbage as zero', 2, 'kept'],
    ]);
    expect(result.usage).toMatchObject({ requests: 2 });
    expect(progress).toEqual(['1/1 proposing', '1/1 checking', '1/1 retrying', '1/1 done']);
  });

  it('counts a test the model wrote against the rules as a candidate that did not build, and feeds the refusal back', async ({
    anthropic: fake,
  }) => {
    fake.enqueue({
      toolUse: {
        name: 'propose_tests',
        input: {
          tests: [
            {
              ...example('only this', 'expect(1).toBe(1);'),
              code: "it.only('only this', () => {});",
            },
            example(
              'rejects a negative count',
              "expect(() => parseCount('-1')).toThrow(RangeError);",
            ),
          ],
        },
      },
    });
    fake.enqueue({ toolUse: { name: 'propose_tests', input: { tests: [] } } });
    const { port } = memoryRunner((name) => BEHAVIOURS[name] ?? {});
    const result = await generateTests(
      { targets: [PARSE_COUNT], config: config(), offline: false },
      { project: project(), testRunner: () => port, formatter: identity, model: client(fake) },
    );
    expect(fake.requests).toHaveLength(2);
    expect(userText(fake.requests[1]!.body)).toContain('it.only');
    expect(result.targets[0]!.notes).toEqual([
      'retry of tests for parseCount: the model proposed no tests',
    ]);
    expect(result.funnel).toMatchObject({ candidates: 2, typeChecks: 1, kept: 1 });
    expect(result.targets[0]!.candidates[0]).toMatchObject({
      name: 'only this',
      verdict: { kind: 'dropped', stage: 'type-check' },
    });
  });

  it('stops calling the model at max-calls and says so, leaving later targets without candidates', async ({
    anthropic: fake,
  }) => {
    fake.enqueue({
      toolUse: {
        name: 'propose_tests',
        input: {
          tests: [
            example(
              'rejects a negative count',
              "expect(() => parseCount('-1')).toThrow(RangeError);",
            ),
          ],
        },
      },
    });
    const { port } = memoryRunner((name) => BEHAVIOURS[name] ?? {});
    const result = await generateTests(
      {
        targets: [PARSE_COUNT, ENCODE],
        config: config({ maxCalls: 1, offline: 'never' }),
        offline: false,
      },
      { project: project(), testRunner: () => port, formatter: identity, model: client(fake) },
    );
    expect(fake.requests).toHaveLength(1);
    expect(result.notices).toEqual([
      'test-gen.max-calls (1) is reached: the remaining targets get no model call.',
    ]);
    expect(result.targets[1]!.candidates).toEqual([]);
    expect(result.report.kept.map((k) => k.name)).toEqual(['rejects a negative count']);
  });

  it('falls back to property tests from the types when the model is unavailable', async ({
    anthropic: fake,
  }) => {
    fake.enqueue({ status: 500, message: 'overloaded' });
    const { port, seen } = memoryRunner((name) =>
      name.includes('deep-equals') ? { kills: ['20'] } : {},
    );
    let seed = 1000;
    const result = await generateTests(
      {
        targets: [ENCODE],
        config: config(),
        offline: usesOffline('auto', true),
        nextSeed: () => (seed += 1),
      },
      { project: project(), testRunner: () => port, formatter: identity, model: client(fake) },
    );
    expect(result.notices[0]).toMatch(/^the model is unavailable: /);
    const offline = result.targets[0]!.candidates.filter((c) => c.origin === 'offline');
    expect(offline.length).toBeGreaterThan(0);
    expect(result.report.kept.map((k) => [k.name, k.kills.map((m) => m.id)])).toEqual([
      ['decodeName(encodeName(x)) deep-equals x', ['20']],
    ]);
    expect(result.files[0]!.text).toContain('decodeName(encoded)');
    // The first pass and the committed file pin the generated seed; each rerun tries a fresh one.
    const pinned = /seed: (-?\d+)/.exec(result.files[0]!.text)![1]!;
    const seedsRun = seen.runs.map((text) => /seed: (-?\d+)/.exec(text)![1]);
    expect(seedsRun).toEqual([pinned, '1002', '1003']);
  });

  it('writes new tests into a new file where the project keeps them, formatted by the project formatter', async ({
    anthropic: fake,
  }) => {
    fake.enqueue({
      toolUse: {
        name: 'propose_tests',
        input: {
          tests: [
            example(
              'rejects a negative count',
              "expect(() => parseCount('-1')).toThrow(RangeError);",
            ),
          ],
        },
      },
    });
    const { port } = memoryRunner((name) => BEHAVIOURS[name] ?? {});
    const upper: TestFileFormatter = {
      format: (file) =>
        Promise.resolve({
          kind: 'formatted',
          text: `// formatted\n${file.text}`,
          formatter: 'prettier 3',
        }),
    };
    const view = project({ 'test/args.test.ts': '', 'test/other.test.ts': EXISTING_TEST });
    const result = await generateTests(
      { targets: [PARSE_COUNT], config: config(), offline: false },
      {
        project: projectOfTexts(
          new Map(
            view.paths.filter((p) => p !== 'test/args.test.ts').map((p) => [p, view.read(p)!]),
          ),
        ),
        testRunner: () => port,
        formatter: upper,
        model: client(fake),
      },
    );
    expect(result.files.map((f) => f.path)).toEqual(['test/args.test.ts']);
    expect(result.files[0]!.text.startsWith('// formatted\n')).toBe(true);
    expect(result.files[0]!.text).toContain("from '../src/args.ts'");
  });

  it('writes for the framework test-gen.test-command runs when the test file names none', async () => {
    const { port } = memoryRunner(() => ({}));
    const frameworks: string[] = [];
    await generateTests(
      {
        targets: [ENCODE],
        config: config({ testCommand: 'npx jest --ci' }),
        offline: true,
      },
      {
        project: project({ 'test/args.test.ts': "test('reads', () => {});\n" }),
        testRunner: (framework) => {
          frameworks.push(framework);
          return port;
        },
        formatter: identity,
        model: null,
      },
    );
    expect(frameworks).toEqual(['jest']);
    // The test file's own imports win over the command.
    frameworks.length = 0;
    await generateTests(
      { targets: [ENCODE], config: config({ testCommand: 'npx jest --ci' }), offline: true },
      {
        project: project(),
        testRunner: (framework) => {
          frameworks.push(framework);
          return port;
        },
        formatter: identity,
        model: null,
      },
    );
    expect(frameworks).toEqual(['vitest']);
  });

  it('drops an offline property that fails every run, with its counterexample, instead of calling it a bug', async () => {
    const { port } = memoryRunner((name) =>
      name.includes('deep-equals')
        ? { run: () => fails('AssertionError: expected "a b" to deeply equal "a+b"') }
        : {},
    );
    const result = await generateTests(
      { targets: [ENCODE], config: config(), offline: true },
      { project: project(), testRunner: () => port, formatter: identity, model: null },
    );
    expect(result.funnel.possibleBugs).toBe(0);
    expect(result.report.possibleBugs).toEqual([]);
    const roundTrip = result.targets[0]!.candidates.find((c) => c.name.includes('deep-equals'));
    expect(roundTrip?.verdict).toEqual({
      kind: 'dropped',
      stage: 'pass',
      reason: 'fails on every run: AssertionError: expected "a b" to deeply equal "a+b"',
    });
  });

  it('checks an encode/decode round-trip once, though both functions of the pair are targets', async () => {
    const DECODE: TestTarget = {
      ...ENCODE,
      name: 'decodeName',
      startLine: 12,
      endLine: 14,
      changedLines: [13],
    };
    const { port } = memoryRunner((name) =>
      name.includes('deep-equals') ? { kills: ['20'] } : {},
    );
    const result = await generateTests(
      { targets: [ENCODE, DECODE], config: config(), offline: true },
      { project: project(), testRunner: () => port, formatter: identity, model: null },
    );
    const roundTrips = result.targets.flatMap((t) =>
      t.candidates.filter((c) => c.name === 'decodeName(encodeName(x)) deep-equals x'),
    );
    expect(roundTrips).toHaveLength(1);
    expect(titles(result.files[0]!.text).filter((t) => t.includes('deep-equals'))).toHaveLength(1);
  });

  it('reports no files and no usage when there is nothing to test', async () => {
    const { port } = memoryRunner(() => ({}));
    const result = await generateTests(
      { targets: [], config: config(), offline: false },
      { project: project(), testRunner: () => port, formatter: identity, model: null },
    );
    expect(result).toMatchObject({ files: [], usage: null, notices: [], targets: [] });
    expect(result.funnel.candidates).toBe(0);
  });
});

describe('usesOffline', () => {
  it.each([
    ['auto', false, false, true],
    ['auto', true, false, false],
    ['always', true, false, true],
    ['never', false, false, false],
    ['never', true, true, true],
  ] as const)('%s with a model %s, forced %s: %s', (mode, hasModel, forced, expected) => {
    expect(usesOffline(mode, hasModel, forced)).toBe(expected);
  });
});
