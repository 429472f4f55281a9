import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { offlineCandidates } from '../../../src/testgen/offline/index.ts';
import type { TestCandidate, TestFramework } from '../../../src/testgen/types.ts';
import { runCandidates, target, typeCheck } from './support.ts';

const FIXTURE = readFileSync(join(import.meta.dirname, 'fixtures/text.ts'), 'utf8');
const MODULE = { path: 'src/text.ts', text: FIXTURE };
const IMPORT_PATH = './text.ts';
const noFiles = async (): Promise<string | null> => null;

const NAMES = [
  'encodeBase64Url',
  'decodeBase64Url',
  'normalizePath',
  'slugify',
  'formatEntry',
  'wordCounts',
];

async function generate(framework: TestFramework, names = NAMES) {
  return offlineCandidates(
    MODULE,
    names.map((name) => target(name)),
    { framework, importPath: IMPORT_PATH, readFile: noFiles },
  );
}

const titles = (candidates: readonly TestCandidate[]): string[] => candidates.map((c) => c.name);

describe('offlineCandidates on real text helpers', () => {
  it('derives a round-trip for the encode/decode pair, once, and idempotence for normalizePath and slugify', async () => {
    const { candidates } = await generate('vitest');
    expect(titles(candidates)).toEqual(
      expect.arrayContaining([
        'decodeBase64Url(encodeBase64Url(x)) deep-equals x',
        'normalizePath(normalizePath(x)) equals normalizePath(x)',
        'slugify(slugify(x)) equals slugify(x)',
        'formatEntry returns a value of its declared type (string)',
        'wordCounts returns a value of its declared type (Record<string, number>)',
      ]),
    );
    expect(titles(candidates).filter((t) => t.includes('deep-equals'))).toHaveLength(1);
    for (const candidate of candidates) {
      expect(candidate).toMatchObject({ kind: 'property', origin: 'offline' });
      expect(candidate.imports).toContain("import { fc } from '@fast-check/vitest';");
      expect(candidate.code).toMatch(/^it\("/);
      expect(candidate.code).toContain('fc.assert(');
      expect(candidate.code).toMatch(/\{ seed: -?\d+, numRuns: 100 \}/);
    }
    const roundTrip = candidates.find((c) => c.name.includes('deep-equals'));
    expect(roundTrip?.target).toBe('encodeBase64Url');
    expect(roundTrip?.imports).toContain(
      "import { encodeBase64Url, decodeBase64Url } from './text.ts';",
    );
  });

  it('pins the same seeds on every run, different per property', async () => {
    const seeds = (cs: TestCandidate[]) => cs.map((c) => /seed: (-?\d+)/.exec(c.code)?.[1]);
    const first = seeds((await generate('jest')).candidates);
    const second = seeds((await generate('jest')).candidates);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });

  it.each(['vitest', 'jest', 'node:test'] as const)(
    'under %s: the round-trip and normalizePath pass, slugify fails idempotence with a counterexample',
    async (framework) => {
      const { candidates } = await generate(framework);
      const results = await runCandidates(FIXTURE, IMPORT_PATH, candidates);
      expect(results.size).toBe(candidates.length);
      const failing = [...results].filter(([, error]) => error !== null).map(([name]) => name);
      expect(failing).toEqual(['slugify(slugify(x)) equals slugify(x)']);
      expect(results.get('slugify(slugify(x)) equals slugify(x)')?.message).toMatch(
        /Property failed after \d+ tests[\s\S]*Counterexample/,
      );
    },
  );

  it('generates code that type-checks against fast-check, @fast-check/vitest, vitest and node under every framework', async () => {
    const files: Record<string, string> = { 'text.ts': FIXTURE };
    for (const framework of ['vitest', 'jest', 'node:test'] as const) {
      const { candidates } = await generate(framework);
      candidates.forEach((c, i) => {
        files[`${framework.replace(':', '-')}-${i}.test.ts`] = [...c.imports, c.code].join('\n');
      });
    }
    expect(typeCheck(files)).toEqual([]);
  });

  it('says why each target got no property', async () => {
    const { skipped } = await generate('vitest', ['formatEntry', 'Level', 'missing']);
    expect(skipped).toEqual([
      {
        name: 'formatEntry',
        reason: 'idempotence: it returns string, which it does not take back',
      },
      { name: 'Level', reason: 'not a function declaration or a const bound to a function' },
      { name: 'missing', reason: 'not found among the module\u2019s exports' },
    ]);
  });
});

describe('offlineCandidates skips what does not look pure or cannot be generated', () => {
  const SOURCE = `
export function saveUser(name: string): string { return name; }
export function mapAll(xs: number[], f: (x: number) => number): number[] { return xs.map(f); }
export function identity<T>(x: T): T { return x; }
export function logLine(line: string): void {}
export function nothing(): number { return 1; }
export function sum(...xs: number[]): number { return xs.reduce((a, b) => a + b, 0); }
export function anyInput(x: any): string { return String(x); }
export function overload(x: string): string;
export function overload(x: number): number;
export function overload(x: string | number): string | number { return x; }
export class Box { open(): void {} }
export function unbox(box: Box): string { return 'x'; }
export function stats(x: number): Map<string, number> { return new Map([['x', x]]); }
function hidden(x: string): string { return x; }
export { hidden as visible };
`;
  it('gives each skipped target its reason', async () => {
    const names = [
      'saveUser',
      'mapAll',
      'identity',
      'logLine',
      'nothing',
      'sum',
      'anyInput',
      'overload',
      'unbox',
      'stats',
      'Box.open',
    ];
    const result = await offlineCandidates(
      { path: 'src/m.ts', text: SOURCE },
      [
        ...names.map((name) => target(name, { path: 'src/m.ts' })),
        target('hidden', { path: 'src/m.ts', exported: false }),
      ],
      { framework: 'vitest', importPath: '../src/m.ts', readFile: noFiles },
    );
    expect(result.candidates).toEqual([]);
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.name, s.reason]));
    expect(reasons).toEqual({
      saveUser: 'its name suggests a side effect or nondeterminism ("save")',
      mapAll: 'parameter f is a function (a callback): it does not look pure',
      identity: 'generic: its type parameters have no arbitrary',
      logLine: 'its name suggests a side effect or nondeterminism ("log")',
      nothing: 'it takes no parameters: there is nothing to generate',
      sum: 'parameter xs is a rest parameter',
      anyInput: 'parameter x: any: there is nothing to generate from',
      overload: 'overloaded (2 signatures)',
      unbox: 'parameter box: a class instance (Box) needs its constructor',
      stats: 'no property applies',
      'Box.open': 'a method: its property would need an instance of the class',
      hidden: 'not exported: a test cannot import it',
    });
    expect(result.skipped).toContainEqual({
      name: 'stats',
      reason:
        'declared shape: its return type cannot be checked at runtime: Map from the standard library is not checked',
    });
  });

  it('skips a function that returns nothing', async () => {
    const result = await offlineCandidates(
      {
        path: 'src/m.ts',
        text: 'export function check(x: string): void { if (!x) throw new Error(); }',
      },
      [target('check', { path: 'src/m.ts' })],
      { framework: 'vitest', importPath: '../src/m.ts', readFile: noFiles },
    );
    expect(result.skipped).toEqual([
      { name: 'check', reason: 'it returns void: a pure function returns a value' },
    ]);
  });
});

describe('offlineCandidates on optional parameters', () => {
  const SOURCE = `
export function encodeLabel(label?: string, prefix = ''): string { return prefix + (label ?? '').split('').reverse().join(''); }
export function decodeLabel(text: string): string { return text.split('').reverse().join(''); }
`;
  it('round-trips defined inputs only (undefined is "none", not a value to get back), and passes', async () => {
    const { candidates } = await offlineCandidates(
      { path: 'src/label.ts', text: SOURCE },
      [target('encodeLabel', { path: 'src/label.ts' })],
      { framework: 'vitest', importPath: './label.ts', readFile: noFiles },
    );
    const roundTrip = candidates.find(
      (c) => c.name === 'decodeLabel(encodeLabel(x)) deep-equals x',
    );
    expect(roundTrip?.code).toContain('fc.property(fc.string(), (input) => {');
    const shape = candidates.find((c) => c.name.startsWith('encodeLabel returns'));
    expect(shape?.code).toContain(
      'fc.option(fc.string(), { nil: undefined }), fc.option(fc.string(), { nil: undefined })',
    );
    const files: Record<string, string> = { 'label.ts': SOURCE };
    candidates.forEach((c, i) => {
      files[`label-${i}.test.ts`] = [...c.imports, c.code].join('\n');
    });
    expect(typeCheck(files)).toEqual([]);
    const results = await runCandidates(SOURCE, './label.ts', candidates);
    expect([...results.values()]).toEqual([null, null]);
  });
});

describe('offlineCandidates on an encoder that takes more than its decoder returns', () => {
  // ufo's encodeQueryKey takes `string | number`; decodeQueryKey gives back strings only.
  const SOURCE = `
export function encodeQueryKey(text: string | number): string { return encodeURIComponent(String(text)).replace(/%20/g, '+'); }
export function decodeQueryKey(text: string): string { return decodeURIComponent(text.replace(/\\+/g, ' ')); }
`;
  it('draws the round-trip’s inputs from what the decoder returns, and the property passes', async () => {
    const { candidates } = await offlineCandidates(
      { path: 'src/query.ts', text: SOURCE },
      [target('encodeQueryKey', { path: 'src/query.ts' })],
      { framework: 'vitest', importPath: './query.ts', readFile: noFiles },
    );
    const roundTrip = candidates.find(
      (c) => c.name === 'decodeQueryKey(encodeQueryKey(x)) deep-equals x',
    );
    expect(roundTrip?.code).toContain('fc.property(fc.string(), (input) => {');
    const files: Record<string, string> = { 'query.ts': SOURCE };
    candidates.forEach((c, i) => {
      files[`query-${i}.test.ts`] = [...c.imports, c.code].join('\n');
    });
    expect(typeCheck(files)).toEqual([]);
    const results = await runCandidates(SOURCE, './query.ts', [roundTrip!]);
    expect([...results.values()]).toEqual([null]);
  });
});
