import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { capText, contextOf } from '../../src/testgen/context.ts';
import { frameworkOfPackage, frameworkOfTest } from '../../src/testgen/framework.ts';
import {
  importPathFor,
  newTestPath,
  type ProjectView,
  resolveSpecifier,
  testLayoutOf,
} from '../../src/testgen/project.ts';
import { targetsForFileSpec } from '../../src/testgen/file-spec.ts';
import type { TestTarget } from '../../src/testgen/types.ts';

/** A project over texts whose `read` fails the test on any path it does not hold. */
function project(files: Record<string, string>): ProjectView & { reads: string[] } {
  const texts = new Map(Object.entries(files));
  const reads: string[] = [];
  return {
    paths: [...texts.keys()],
    reads,
    read(path) {
      reads.push(path);
      if (!texts.has(path)) throw new Error(`read outside the project: ${path}`);
      return texts.get(path)!;
    },
  };
}

function target(view: ProjectView, spec: string): TestTarget {
  const picked = targetsForFileSpec(spec, (p) => (view.paths.includes(p) ? view.read(p) : null), {
    maxTargets: 50,
  });
  if (!picked.ok) throw new Error(picked.message);
  return picked.targets[0]!;
}

const TYPES = [
  "import type { ZodType } from 'zod';",
  '',
  "export type Mode = 'fast' | 'safe';",
  '',
  'export interface Limits {',
  '  max: number;',
  '  schema?: ZodType;',
  '}',
  '',
  'export interface Options {',
  '  mode: Mode;',
  '  limits: Limits;',
  '}',
  '',
  'export enum Color {',
  '  Red,',
  '  Blue,',
  '}',
  '',
  'export class Store {',
  '  private secret = 42;',
  '  #hidden = 1;',
  '  readonly name: string;',
  '  constructor(name: string) {',
  '    this.name = name;',
  '  }',
  '  get(key: string): number {',
  '    return key.length + this.secret + this.#hidden; // BODY-OF-GET',
  '  }',
  '}',
  '',
  'export const DEFAULTS = { mode: "fast", limits: { max: 3 } } as const;',
  '',
].join('\n');

const ARGS = [
  "import { readFileSync } from 'node:fs';",
  "import { z } from 'zod';",
  "import { type Options, Store, DEFAULTS } from './types.ts';",
  "import { helper } from './helper.ts';",
  "import { secret } from '../../../etc/passwd';",
  '',
  'const unused = 1;',
  '',
  'export function parseArgs(argv: string[], options: Options = DEFAULTS): Store {',
  '  const store = new Store(argv[0] ?? z.string().parse(options.mode));',
  '  helper(store.name, secret);',
  '  return store;',
  '}',
  '',
  'export class Cli {',
  '  constructor(private readonly argv: string[]) {}',
  '  run(): number {',
  '    return parseArgs(this.argv).get("x");',
  '  }',
  '}',
  '',
].join('\n');

const HELPER = [
  "const INTERNAL_ONLY = 'used in the body, not the signature';",
  'export function helper(name: string, extra: unknown): void {',
  '  console.log(name, extra, INTERNAL_ONLY); // BODY-OF-HELPER',
  '}',
  '',
].join('\n');

const VITEST_PROJECT = {
  'package.json': JSON.stringify({ type: 'module', devDependencies: { vitest: '^3.0.0' } }),
  'tsconfig.json': '{ "compilerOptions": { "allowImportingTsExtensions": true } }',
  'src/args.ts': ARGS,
  'src/types.ts': TYPES,
  'src/helper.ts': HELPER,
  'src/lonely.ts': 'export const lonely = (a: number) => a;\n',
  'src/deep/nested.ts': 'export const nested = () => 1;\n',
  'test/args.test.ts': [
    "import { describe, expect, it } from 'vitest';",
    "import { parseArgs } from '../src/args.ts';",
    '',
    "describe('parseArgs', () => {",
    "  it('reads', () => expect(parseArgs([])).toBeDefined());",
    '});',
    '',
  ].join('\n'),
  'test/deep/other.test.ts': "import { it } from 'vitest';\nimport { x } from '../../src/x.ts';\n",
  'test/fixtures/sample.ts': 'export const sample = 1;\n',
  'test/support/helpers.ts': "import { vi } from 'vitest';\nexport const h = vi.fn();\n",
};

describe('context of a target', () => {
  it('gives the source, the module test, framework and import path of a vitest project', () => {
    const view = project(VITEST_PROJECT);
    const context = contextOf(target(view, 'src/args.ts:parseArgs'), view);
    expect(context.framework).toBe('vitest');
    expect(context.source).toBe(ARGS.split('\n').slice(8, 13).join('\n'));
    expect(context.existingTest?.path).toBe('test/args.test.ts');
    expect(context.existingTest?.text).toBe(VITEST_PROJECT['test/args.test.ts']);
    expect(context.testPath).toBe('test/args.test.ts');
    expect(context.importPath).toBe('../src/args.ts');
  });

  it('gives the declarations the target uses, shapes not bodies, resolved through imports', () => {
    const view = project(VITEST_PROJECT);
    const { declarations } = contextOf(target(view, 'src/args.ts:parseArgs'), view);
    const all = declarations.join('\n\n');
    expect(all).toContain("// src/args.ts\nimport { z } from 'zod';");
    expect(all).toContain(
      '// src/types.ts\nexport interface Options {\n  mode: Mode;\n  limits: Limits;\n}',
    );
    // Followed from Options: its field types, and the package type Limits uses.
    expect(all).toContain("export type Mode = 'fast' | 'safe';");
    expect(all).toContain('export interface Limits {');
    expect(all).toContain("// src/types.ts\nimport type { ZodType } from 'zod';");
    expect(all).toContain('export const DEFAULTS = { mode: "fast", limits: { max: 3 } } as const;');
    expect(all).toContain(
      [
        'export class Store {',
        '  readonly name: string;',
        '  constructor(name: string);',
        '  get(key: string): number;',
        '}',
      ].join('\n'),
    );
    expect(all).toContain(
      '// src/helper.ts\nexport function helper(name: string, extra: unknown): void;',
    );
    expect(all).not.toMatch(/BODY-OF|secret = 42|#hidden|Color|unused|readFileSync|INTERNAL_ONLY/);
    // The target itself is its source, not a declaration.
    expect(all).not.toContain('export function parseArgs');
  });

  it('never reads outside the project, whatever an import says', () => {
    const view = project(VITEST_PROJECT);
    contextOf(target(view, 'src/args.ts:parseArgs'), view);
    for (const path of view.reads) expect(Object.keys(VITEST_PROJECT)).toContain(path);
    expect(resolveSpecifier('src/args.ts', '../../../etc/passwd', () => true)).toBeNull();
  });

  it("gives a method's class shape first, and the functions it calls", () => {
    const view = project(VITEST_PROJECT);
    const { declarations, source } = contextOf(target(view, 'src/args.ts:Cli.run'), view);
    expect(source).toBe('  run(): number {\n    return parseArgs(this.argv).get("x");\n  }');
    expect(declarations[0]).toBe(
      '// src/args.ts\nexport class Cli {\n  constructor(private readonly argv: string[]);\n  run(): number;\n}',
    );
    expect(declarations.join('\n')).toContain(
      'export function parseArgs(argv: string[], options: Options = DEFAULTS): Store;',
    );
  });

  it('places a new test where the project keeps its tests, styled after a nearby one', () => {
    const view = project(VITEST_PROJECT);
    const lonely = contextOf(target(view, 'src/lonely.ts'), view);
    expect(lonely.testPath).toBe('test/lonely.test.ts');
    expect(lonely.importPath).toBe('../src/lonely.ts');
    expect(lonely.existingTest?.path).toBe('test/args.test.ts');
    const nested = contextOf(target(view, 'src/deep/nested.ts'), view);
    expect(nested.testPath).toBe('test/deep/nested.test.ts');
    expect(nested.importPath).toBe('../../src/deep/nested.ts');
    expect(nested.existingTest?.path).toBe('test/deep/other.test.ts');
  });

  it('follows a jest project with .spec files beside the code and bare imports', () => {
    const view = project({
      'package.json': JSON.stringify({ devDependencies: { jest: '29', 'ts-jest': '29' } }),
      'src/util/math.ts': 'export function add(a: number, b: number) {\n  return a + b;\n}\n',
      'src/util/math.spec.ts':
        "import { add } from './math';\n\ntest('adds', () => expect(add(1, 2)).toBe(3));\n",
      'src/util/str.ts': 'export const upper = (s: string) => s.toUpperCase();\n',
    });
    const math = contextOf(target(view, 'src/util/math.ts'), view);
    expect(math).toMatchObject({
      framework: 'jest',
      testPath: 'src/util/math.spec.ts',
      importPath: './math',
    });
    const str = contextOf(target(view, 'src/util/str.ts'), view);
    expect(str).toMatchObject({
      framework: 'jest',
      testPath: 'src/util/str.spec.ts',
      importPath: './str',
      existingTest: { path: 'src/util/math.spec.ts' },
    });
  });

  it('follows a node:test project with __tests__ folders and .js imports', () => {
    const view = project({
      'package.json': JSON.stringify({ type: 'module', scripts: { test: 'node --test' } }),
      'lib/a.ts': 'export const a = () => 1;\n',
      'lib/__tests__/a.test.ts':
        "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { a } from '../a.js';\ntest('a', () => assert.equal(a(), 1));\n",
      'lib/b.mts': 'export const b = () => 2;\n',
    });
    expect(contextOf(target(view, 'lib/a.ts'), view)).toMatchObject({
      framework: 'node:test',
      testPath: 'lib/__tests__/a.test.ts',
      importPath: '../a.js',
    });
    expect(contextOf(target(view, 'lib/b.mts'), view)).toMatchObject({
      framework: 'node:test',
      testPath: 'lib/__tests__/b.test.mts',
      importPath: '../b.mjs',
    });
  });

  it('has defaults for a project with no tests and no package.json', () => {
    const view = project({ 'x.ts': 'export function x() {\n  return 1;\n}\n' });
    expect(contextOf(target(view, 'x.ts'), view)).toMatchObject({
      framework: 'node:test',
      testPath: 'x.test.ts',
      importPath: './x',
      existingTest: null,
      declarations: [],
    });
  });

  it('does not take a same-named test elsewhere for the module’s own', () => {
    const view = project({
      'package.json': JSON.stringify({ devDependencies: { vitest: '3' } }),
      'src/a/index.ts': 'export const a = () => 1;\n',
      'src/b/index.ts': 'export const b = () => 2;\n',
      'src/b/index.test.ts': "import { it } from 'vitest';\nimport { b } from './index';\n",
    });
    const context = contextOf(target(view, 'src/a/index.ts'), view);
    expect(context.testPath).toBe('src/a/index.test.ts');
    expect(context.existingTest?.path).toBe('src/b/index.test.ts');
    expect(context.importPath).toBe('./index');
  });

  it('follows re-exports and default exports, and stops on export cycles', () => {
    const view = project({
      'src/use.ts': [
        "import Config, { Shape as Form } from './index.js';",
        "import { Loop } from './cycle-a.ts';",
        'export function use(c: Config, f: Form, l: Loop): number {',
        '  return c.size + f.sides + l.n;',
        '}',
      ].join('\n'),
      'src/index.ts': [
        "export * from './shapes.ts';",
        "export { Settings as default } from './settings.ts';",
      ].join('\n'),
      'src/shapes.ts': 'interface Polygon {\n  sides: number;\n}\nexport { Polygon as Shape };\n',
      'src/settings.ts': 'export interface Settings {\n  size: number;\n}\n',
      'src/cycle-a.ts': "export * from './cycle-b.ts';\n",
      'src/cycle-b.ts': "export * from './cycle-a.ts';\n",
    });
    const { declarations } = contextOf(target(view, 'src/use.ts:use'), view);
    expect(declarations).toEqual([
      '// src/settings.ts\nexport interface Settings {\n  size: number;\n}',
      '// src/shapes.ts\ninterface Polygon {\n  sides: number;\n}',
    ]);
  });

  it('reads a file with Windows line endings', () => {
    const text = 'export function f(a: number) {\r\n  return a;\r\n}\r\n';
    const view = project({ 'src/f.ts': text });
    const t = target(view, 'src/f.ts:f');
    expect([t.startLine, t.endLine]).toEqual([1, 3]);
    expect(contextOf(t, view).source).toBe('export function f(a: number) {\n  return a;\n}');
  });

  it('caps the source, the declarations and the test file, and says so', () => {
    const body = Array.from({ length: 400 }, (_, i) => `  total += ${i}; // step ${i}`).join('\n');
    const types = Array.from(
      { length: 60 },
      (_, i) => `export interface T${i} {\n  field${i}: string;\n  other${i}: number;\n}`,
    ).join('\n');
    const uses = Array.from({ length: 60 }, (_, i) => `T${i}`).join(' | ');
    const view = project({
      'package.json': JSON.stringify({ devDependencies: { vitest: '3' } }),
      'src/types.ts': types,
      'src/big.ts': `import type { ${uses.replaceAll(' |', ',')} } from './types.ts';\nexport function big(x: ${uses}) {\n  let total = 0;\n${body}\n  return total;\n}\n`,
      'src/big.test.ts': `import { it } from 'vitest';\nimport { big } from './big.ts';\n${'// filler line\n'.repeat(2000)}`,
    });
    const limits = { sourceChars: 2000, declarationChars: 1000, testChars: 500 };
    const context = contextOf(target(view, 'src/big.ts:big'), view, limits);
    expect(context.source).toMatch(
      /\n\/\* \[Steward: big \(src\/big\.ts lines 2-405\) capped at 2000 characters; \d+ more left out\] \*\/$/,
    );
    expect(context.source.length).toBeLessThan(2200);
    expect(context.existingTest!.text).toMatch(
      /\/\* \[Steward: src\/big\.test\.ts capped at 500 characters; \d+ more left out\] \*\/$/,
    );
    expect(context.declarations.join('').length).toBeLessThan(1200);
    expect(context.declarations.at(-1)).toMatch(
      /^\/\/ \[Steward: declarations capped at 1000 characters; \d+ more left out\]$/,
    );
  });
});

describe('detecting the framework', () => {
  it('reads the imports of a test file', () => {
    expect(frameworkOfTest("import { it } from 'vitest';")).toBe('vitest');
    expect(frameworkOfTest("import { test, fc } from '@fast-check/vitest';")).toBe('vitest');
    expect(frameworkOfTest("const { test } = require('node:test');")).toBe('node:test');
    expect(frameworkOfTest("import { jest } from '@jest/globals';")).toBe('jest');
    expect(frameworkOfTest("test('globals only', () => {});")).toBeNull();
  });

  it('reads package.json, and prefers what the test script runs when it has both', () => {
    const pkg = (value: object) => JSON.stringify(value);
    expect(frameworkOfPackage(pkg({ devDependencies: { vitest: '3' } }))).toBe('vitest');
    expect(frameworkOfPackage(pkg({ dependencies: { jest: '29' } }))).toBe('jest');
    expect(
      frameworkOfPackage(
        pkg({ devDependencies: { vitest: '3', jest: '29' }, scripts: { test: 'jest --ci' } }),
      ),
    ).toBe('jest');
    expect(
      frameworkOfPackage(pkg({ scripts: { test: 'node --experimental-strip-types --test' } })),
    ).toBe('node:test');
    expect(frameworkOfPackage('{ not json')).toBeNull();
    expect(frameworkOfPackage('[]')).toBeNull();
    expect(frameworkOfPackage(pkg({ devDependencies: { __proto__: { vitest: '3' } } }))).toBeNull();
  });
});

describe('test paths and imports', () => {
  it('learns the layout the tests follow', () => {
    expect(testLayoutOf(['test/a.test.ts', 'test/b/c.test.ts', 'src/d.test.ts'])).toEqual({
      layout: { kind: 'mirror', root: 'test', keepsSourceRoot: false },
      suffix: '.test',
    });
    expect(testLayoutOf(['tests/src/a.spec.ts'])).toEqual({
      layout: { kind: 'mirror', root: 'tests', keepsSourceRoot: true },
      suffix: '.spec',
    });
    expect(testLayoutOf([])).toEqual({ layout: { kind: 'beside' }, suffix: '.test' });
    expect(
      newTestPath('src/a/b.tsx', { kind: 'mirror', root: 'tests', keepsSourceRoot: true }, '.spec'),
    ).toBe('tests/src/a/b.spec.tsx');
  });

  test.prop([
    fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 }),
    fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('.ts', '.tsx', '.mts', '.js'),
    fc.constantFrom('source', 'js', 'none') as fc.Arbitrary<'source' | 'js' | 'none'>,
  ])('an import path always resolves back to the module', (from, to, ext, style) => {
    const testPath = `${from.join('/')}.test.ts`;
    const modulePath = `${to.join('/')}${ext}`;
    const specifier = importPathFor(testPath, modulePath, style);
    expect(specifier.startsWith('./') || specifier.startsWith('../')).toBe(true);
    expect(resolveSpecifier(testPath, specifier, (p) => p === modulePath)).toBe(modulePath);
  });

  it('cuts text on a character, never inside one', () => {
    const text = `${'a'.repeat(9)}😀 tail`;
    const capped = capText(text, 10, 'x');
    expect(capped.startsWith('a'.repeat(9) + '\n')).toBe(true);
    expect(capText('short', 10, 'x')).toBe('short');
  });
});
