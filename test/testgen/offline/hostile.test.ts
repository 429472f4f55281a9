import { describe, expect, it } from 'vitest';
import {
  MAX_IMPORTED_FILES,
  MAX_MODULE_CHARS,
  offlineCandidates,
} from '../../../src/testgen/offline/index.ts';
import { runCandidates, target, typeCheck } from './support.ts';

const noFiles = async (): Promise<string | null> => null;

describe('offlineCandidates with hostile names', () => {
  const MODULE = `
export interface Weird { __proto__: string; constructor: number; 'a-b'?: boolean }
export function encodeWeird(value: Weird): string { return JSON.stringify(value); }
export function decodeWeird(text: string): Weird { return JSON.parse(text) as Weird; }
export function constructor(value: string): string { return value.trim(); }
export function __proto__(value: number): number { return value * 2; }
export function result(input: string): number { return input.length; }
export function trimInput(input: string): string { return input.trim(); }
export function fc(value: string): string { return value; }
export function expect(value: string): string { return value; }
`;

  it('generates properties that type-check and pass, with no binding shadowed and no prototype touched', async () => {
    const names = [
      'encodeWeird',
      'constructor',
      '__proto__',
      'result',
      'trimInput',
      'fc',
      'expect',
    ];
    const { candidates, skipped } = await offlineCandidates(
      { path: 'src/weird.ts', text: MODULE },
      names.map((name) => target(name, { path: 'src/weird.ts' })),
      { framework: 'vitest', importPath: './weird.ts', readFile: noFiles },
    );
    expect(skipped).toEqual([
      { name: 'fc', reason: "named like the generated test's own bindings (fc)" },
      { name: 'expect', reason: "named like the generated test's own bindings (expect)" },
    ]);
    expect(candidates.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'decodeWeird(encodeWeird(x)) deep-equals x',
        'constructor returns a value of its declared type (string)',
        '__proto__ returns a value of its declared type (number)',
        'result returns a value of its declared type (number)',
        'trimInput(trimInput(x)) equals trimInput(x)',
      ]),
    );
    const resultProperty = candidates.find((c) => c.target === 'result');
    expect(resultProperty?.code).toContain('let result_: unknown;');
    const files: Record<string, string> = { 'weird.ts': MODULE };
    candidates.forEach((c, i) => {
      files[`weird-${i}.test.ts`] = [...c.imports, c.code].join('\n');
    });
    expect(typeCheck(files)).toEqual([]);
    const results = await runCandidates(MODULE, './weird.ts', candidates);
    expect([...results].filter(([, error]) => error !== null)).toEqual([]);
    expect(({} as Record<string, unknown>)['constructor']).toBe(Object);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe('offlineCandidates reads what the module imports, and no more', () => {
  it('resolves types from project files through readFile (`.js` specifiers to `.ts`)', async () => {
    const reads: string[] = [];
    const files = new Map([
      ['src/options.ts', "export interface Options { depth: number; mode: 'fast' | 'safe' }"],
    ]);
    const { candidates } = await offlineCandidates(
      {
        path: 'src/run.ts',
        text: "import type { Options } from './options.js';\nexport function describeOptions(options: Options): string { return `${options.depth}`; }",
      },
      [target('describeOptions', { path: 'src/run.ts' })],
      {
        framework: 'jest',
        importPath: '../src/run.ts',
        readFile: async (path) => {
          reads.push(path);
          return files.get(path) ?? null;
        },
      },
    );
    expect(reads).toEqual(['src/options.ts']);
    expect(candidates[0]?.code).toContain(
      'fc.record({ ["depth"]: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0))), ["mode"]: fc.constantFrom("fast" as const, "safe" as const) }, { noNullPrototype: true })',
    );
  });

  it(`never asks for a path outside the repository, and reads at most ${MAX_IMPORTED_FILES} files`, async () => {
    const imports = Array.from(
      { length: 120 },
      (_, i) => `import type { T${i} } from './t${i}.ts';`,
    );
    const reads: string[] = [];
    const { skipped } = await offlineCandidates(
      {
        path: 'src/many.ts',
        text: [
          "import type { Secret } from '../../../../etc/passwd';",
          "import type { Abs } from '/etc/shadow';",
          ...imports,
          'export function normalizeName(name: string): string { return name.trim(); }',
        ].join('\n'),
      },
      [target('normalizeName', { path: 'src/many.ts' })],
      {
        framework: 'vitest',
        importPath: './many.ts',
        readFile: async (path) => {
          reads.push(path);
          return `export type ${path.replace(/\W/g, '_')} = string;`;
        },
      },
    );
    expect(skipped).toEqual([]);
    expect(reads.length).toBe(MAX_IMPORTED_FILES);
    for (const path of reads) expect(path).toMatch(/^src\/t\d+\.ts$/);
  });

  it('refuses a module whose own path leaves the repository, or that is too large, naming why', async () => {
    const outside = await offlineCandidates(
      { path: '../outside.ts', text: 'export function trim(s: string): string { return s; }' },
      [target('trim', { path: '../outside.ts' })],
      { framework: 'vitest', importPath: './x.ts', readFile: noFiles },
    );
    expect(outside.candidates).toEqual([]);
    expect(outside.skipped).toEqual([
      {
        name: 'trim',
        reason:
          "../outside.ts: the module's path is absolute or leaves the repository; give it relative to the repository root",
      },
    ]);
    const huge = await offlineCandidates(
      { path: 'src/huge.ts', text: ' '.repeat(MAX_MODULE_CHARS + 1) },
      [target('trim', { path: 'src/huge.ts' })],
      { framework: 'vitest', importPath: './x.ts', readFile: noFiles },
    );
    expect(huge.skipped[0]?.reason).toBe(
      `src/huge.ts: ${MAX_MODULE_CHARS + 1} characters, over the ${MAX_MODULE_CHARS} the offline generator reads`,
    );
  });

  it('does without an import whose read fails or is missing, and says which', async () => {
    const result = await offlineCandidates(
      {
        path: 'src/run.ts',
        text: [
          "import type { Options } from './options.ts';",
          "import type { Other } from './missing.ts';",
          'export function normalizeOptions(options: Options): Options { return options; }',
          'export function normalizeOther(other: Other): Other { return other; }',
        ].join('\n'),
      },
      [
        target('normalizeOptions', { path: 'src/run.ts' }),
        target('normalizeOther', { path: 'src/run.ts' }),
      ],
      {
        framework: 'vitest',
        importPath: './run.ts',
        readFile: async (path) => {
          if (path === 'src/options.ts') throw new Error('EACCES: permission denied');
          return null;
        },
      },
    );
    expect(result.candidates).toEqual([]);
    expect(result.unresolvedImports).toEqual([
      'src/options.ts: EACCES: permission denied',
      'src/run.ts: ./options.ts',
      'src/run.ts: ./missing.ts',
    ]);
    expect(result.skipped).toEqual([
      {
        name: 'normalizeOptions',
        reason: 'parameter options: any: there is nothing to generate from',
      },
      { name: 'normalizeOther', reason: 'parameter other: any: there is nothing to generate from' },
    ]);
  });
});

describe('offlineCandidates on async functions and pairs that do not line up', () => {
  const MODULE = `
export async function compressText(text: string): Promise<string> { return text.replace(/a+/g, (m) => \`a\${m.length}.\`); }
export async function decompressText(text: string): Promise<string> { return text.replace(/a(\\d+)\\./g, (_, n) => 'a'.repeat(Number(n))); }
export async function sortWords(words: readonly string[]): Promise<string[]> { return [...words].sort(); }
export function toCount(text: string): number { return text.length; }
export function fromCount(count: number): boolean { return count > 0; }
`;
  it('awaits inside the property, and says why a pair is not a round-trip', async () => {
    const { candidates, skipped } = await offlineCandidates(
      { path: 'src/a.ts', text: MODULE },
      ['compressText', 'sortWords', 'toCount'].map((name) => target(name, { path: 'src/a.ts' })),
      { framework: 'node:test', importPath: './a.ts', readFile: noFiles },
    );
    expect(skipped).toEqual([
      {
        name: 'toCount',
        reason: "round-trip toCount/fromCount: fromCount returns boolean, not toCount's string",
      },
    ]);
    const roundTrip = candidates.find(
      (c) => c.name === 'decompressText(compressText(x)) deep-equals x',
    );
    expect(roundTrip?.code).toContain('await fc.assert(');
    expect(roundTrip?.code).toContain('fc.asyncProperty(');
    expect(roundTrip?.code).toContain(
      'assert.deepStrictEqual(await decompressText(encoded), input);',
    );
    const files: Record<string, string> = { 'a.ts': MODULE };
    candidates.forEach((c, i) => {
      files[`a-${i}.test.ts`] = [...c.imports, c.code].join('\n');
    });
    expect(typeCheck(files)).toEqual([]);
    const results = await runCandidates(MODULE, './a.ts', candidates);
    expect(results.size).toBe(candidates.length);
    expect([...results].filter(([, error]) => error !== null).map(([name]) => name)).toEqual([]);
  });
});

describe('offlineCandidates on a 10,000-line module', () => {
  it('does bounded work: one pass over the targets, one property each', async () => {
    const lines: string[] = [];
    for (let i = 0; lines.length < 10_000; i += 1)
      lines.push(
        `/** Helper ${i}. */`,
        `export function scale${i}(value: number): number {`,
        `  const factor = ${i} + 1;`,
        '  return value * factor;',
        '}',
      );
    const text = lines.join('\n');
    const names = Array.from({ length: 200 }, (_, i) => `scale${i * 10}`);
    const { candidates, skipped } = await offlineCandidates(
      { path: 'src/big.ts', text },
      names.map((name) => target(name, { path: 'src/big.ts' })),
      { framework: 'vitest', importPath: './big.ts', readFile: noFiles },
    );
    expect(text.split('\n').length).toBe(10_000);
    expect(skipped).toEqual([]);
    expect(candidates.map((c) => c.target)).toEqual(names);
  });
});
