import { describe, expect, it } from 'vitest';
import { analyseSource } from '../../src/health/complexity/analyse.ts';
import { defaultThresholds } from '../../src/health/thresholds.ts';
import type { HotspotsReport } from '../../src/hotspots/types.ts';
import {
  chooseTargets,
  filesToRead,
  type ChooseInput,
  type TargetChoice,
} from '../../src/refactor/choose.ts';
import { functionFingerprint } from '../../src/refactor/fingerprint.ts';
import { parseTargetSpec } from '../../src/refactor/target-spec.ts';
import { runtimeImports, testsReaching } from '../../src/refactor/test-reach.ts';
import { defaultRefactorConfig, type RefactorConfig } from '../../src/refactor/settings.ts';
import {
  fussyFunction,
  lineOf,
  reportOf,
  source,
  tangled,
  tangledFunction,
  type FixtureFile,
} from './choose-fixtures.ts';

const SIMPLE = [
  'export function one(): number {\n  return 1;\n}',
  'export function two(): number {\n  return 2;\n}',
  'export function three(): number {\n  return 3;\n}',
];

const ARGS = source(
  "import { readFileSync } from 'node:fs';",
  tangledFunction('parseOptions'),
  "export function readList(path: string): string[] {\n  return readFileSync(path, 'utf8').split('\\n');\n}",
);

const BOX = source(
  [
    'export class Box {',
    '  n = 0;',
    '  constructor(items: number[]) {',
    tangled('    ').replace('return out;', 'this.n = out;'),
    '  }',
    '  get total(): number {',
    '    const items = [this.n];',
    tangled('    '),
    '  }',
    '  run(items: number[]): number {',
    tangled('    '),
    '  }',
    '}',
  ].join('\n'),
);

const RULES = source(fussyFunction('differ'), ...SIMPLE);

const SHAPES = source(
  `export function outer(items: number[]): number {\n  function inner(): number {\n${tangled('    ')}\n  }\n  return inner();\n}`,
  `export const api = {\n  run(items: number[]): number {\n${tangled('    ')}\n  },\n};`,
  `export const results = [[1]].map((items) => {\n${tangled('  ')}\n});`,
  `export default function (items: number[]): number {\n${tangled('  ')}\n}`,
  ...SIMPLE,
);

/** A small repository: hot source files, a hot test, generated and vendored code, a cold file. */
const FILES: Record<string, FixtureFile> = {
  'src/generated/parser.ts': { text: source(tangledFunction('parse')), revisions: 20 },
  'test/args.test.ts': {
    text: [
      "import { expect, it } from 'vitest';",
      "import { parseOptions } from '../src/args.js';",
      "it('reads', () => expect(parseOptions(['--verbose'])).toBe(0));",
      '',
    ].join('\n'),
    revisions: 15,
  },
  'vendor/lib.ts': { text: source(tangledFunction('vendored')), revisions: 12 },
  'src/args.ts': { text: ARGS, revisions: 9 },
  'src/untested.ts': { text: source(tangledFunction('lonely')), revisions: 8 },
  'src/box.ts': { text: BOX, revisions: 7 },
  'src/rules.ts': { text: RULES, revisions: 5 },
  'src/shapes/index.ts': { text: SHAPES, revisions: 4 },
  'src/types.d.ts': { text: 'export declare function f(): void;\n', revisions: 4 },
  'src/cold.ts': { text: source(tangledFunction('cold')), revisions: 0 },
};

const TESTS: Record<string, string> = {
  'test/args.test.ts': FILES['test/args.test.ts']!.text,
  'test/box.test.ts': "import { Box } from '../src/box';\n",
  'test/rules.test.cjs': "const { differ } = require('../src/rules.ts');\n",
  'test/shapes.test.ts': "const shapes = await import('../src/shapes/index.js');\n",
  // Reaches for src/untested.ts in every way that loads nothing.
  'test/untested.test.ts': [
    "// import { lonely } from '../src/untested';",
    'const text = "import { lonely } from \'../src/untested\'";',
    "import type { Lonely } from '../src/untested';",
    "import { type Other } from '../src/untested.js';",
    '/* require("../src/untested") */',
    '',
  ].join('\n'),
};

interface Options {
  files?: Record<string, FixtureFile>;
  tests?: Record<string, string>;
  config?: Partial<RefactorConfig>;
  input?: Partial<Omit<ChooseInput, 'report' | 'texts' | 'testFiles' | 'config'>>;
}

/**
 * Chooses as a face would: the report from the files, then the texts of the files `filesToRead`
 * names and no others.
 */
function choose(options: Options = {}): TargetChoice & { report: HotspotsReport } {
  const files = options.files ?? FILES;
  const report = reportOf(files);
  const config = { ...defaultRefactorConfig(), ...options.config };
  const only = options.input?.only;
  const texts = new Map(
    filesToRead(report, config, only).flatMap((path) => {
      const file = files[path];
      return file === undefined ? [] : [[path, file.text] as const];
    }),
  );
  const choice = chooseTargets({
    report,
    texts,
    testFiles: new Map(Object.entries(options.tests ?? TESTS)),
    config,
    openPullRequestPaths: new Set(),
    rejectedFingerprints: new Set(),
    ...options.input,
  });
  return { ...choice, report };
}

function reasonFor(choice: TargetChoice, path: string, fn: string | null = null): string {
  const found = choice.skipped.filter((s) => s.path === path && s.function === fn);
  expect(found, `${path} ${fn ?? ''} skipped once`).toHaveLength(1);
  return found[0]!.reason;
}

describe('choosing refactoring targets from the hotspots', () => {
  it('takes the worst functions of the hot source files, the most health to win first', () => {
    const { targets, report } = choose();
    expect(targets.map((t) => [t.path, t.function])).toEqual([
      ['src/args.ts', 'parseOptions'],
      ['src/box.ts', 'Box.run'],
      ['src/rules.ts', 'differ'],
    ]);
    const [args] = targets;
    const entry = report.files.find((file) => file.path === 'src/args.ts')!;
    const analysed = analyseSource('src/args.ts', ARGS).functions.find(
      (fn) => fn.name === 'parseOptions',
    )!;
    const line = lineOf(ARGS, 'function parseOptions');
    expect(args).toMatchObject({
      line,
      endLine: analysed.endLine,
      hotspotRank: report.files.indexOf(entry) + 1,
      revisions: 9,
      fileHealth: entry.health,
      metrics: analysed,
    });
    expect(args!.smells.map((smell) => smell.kind)).toEqual([
      'Complex Method',
      'Deep Nesting',
      'Complex Conditional',
    ]);
    expect(args!.smells.every((smell) => smell.function === 'parseOptions')).toBe(true);
    // The target carries the smells as the report shows them, not the numbers behind them.
    expect(Object.keys(args!.smells[0]!).sort()).toEqual(['detail', 'function', 'kind', 'line']);
    const text = ARGS.split('\n')
      .slice(line - 1, analysed.endLine)
      .join('\n');
    expect(args!.fingerprint).toBe(functionFingerprint('src/args.ts', 'parseOptions', text));
  });

  it('says why each hot file was passed over, and does not count those against top-files', () => {
    const choice = choose({ config: { topFiles: 5 } });
    expect(reasonFor(choice, 'src/generated/parser.ts')).toBe('generated code');
    expect(reasonFor(choice, 'test/args.test.ts')).toBe('a test file');
    expect(reasonFor(choice, 'vendor/lib.ts')).toBe('build output or vendored code');
    expect(reasonFor(choice, 'src/untested.ts')).toBe(
      'no test reaches it (no test file loads it, directly or through the modules it loads): nothing would prove a refactoring keeps its behaviour',
    );
    // Five source files looked at, by rank: args, untested, box, rules, shapes. The cold file is no hotspot.
    expect(filesToRead(choice.report, { ...defaultRefactorConfig(), topFiles: 5 })).toEqual([
      'src/args.ts',
      'src/untested.ts',
      'src/box.ts',
      'src/rules.ts',
      'src/shapes/index.ts',
    ]);
    expect(choice.skipped.some((s) => s.path === 'src/cold.ts')).toBe(false);
    // Ranked below the fifth source file: not reached.
    expect(choice.skipped.some((s) => s.path === 'src/types.d.ts')).toBe(false);
    expect(reasonFor(choose(), 'src/types.d.ts')).toBe('type declarations, no code');
  });

  it('passes over a file whose header says a tool wrote it, whatever its path', () => {
    for (const header of [
      '// Code generated by protoc-gen-ts. DO NOT EDIT.',
      '/**\n * Licensed under MIT.\n * @generated\n */',
      '// This file was automatically generated by openapi-typescript.',
    ]) {
      const choice = choose({
        files: { ...FILES, 'src/args.ts': { text: `${header}\n${ARGS}`, revisions: 9 } },
      });
      expect(reasonFor(choice, 'src/args.ts'), header).toBe('generated code (its header says so)');
    }
    // Words about generating below the first line of code are no such header.
    const text = ARGS.replace(
      "from 'node:fs';",
      "from 'node:fs';\n// the ids are generated by the server; do not edit them by hand",
    );
    const choice = choose({ files: { ...FILES, 'src/args.ts': { text, revisions: 9 } } });
    expect(choice.targets[0]!.function).toBe('parseOptions');
  });

  it('looks only at the top-files highest ranked source files', () => {
    const { targets, skipped } = choose({ config: { topFiles: 2 } });
    expect(targets.map((t) => t.function)).toEqual(['parseOptions']);
    expect(skipped.some((s) => s.path === 'src/box.ts' || s.path === 'src/rules.ts')).toBe(false);
  });

  it('passes over getters, setters, constructors, nested, anonymous and unnamed functions', () => {
    const choice = choose();
    expect(reasonFor(choice, 'src/box.ts', 'Box.constructor')).toBe(
      'a constructor: Steward refactors functions and methods only',
    );
    expect(reasonFor(choice, 'src/box.ts', 'Box.total')).toBe(
      'a getter: Steward refactors functions and methods only',
    );
    const shapes = 'src/shapes/index.ts';
    expect(reasonFor(choice, shapes, 'inner')).toBe(
      'nested in outer: the enclosing function is the one to refactor',
    );
    expect(reasonFor(choice, shapes, 'run')).toMatch(/^a method of an object literal: Steward /);
    expect(reasonFor(choice, shapes, '<anonymous>')).toBe(
      'an anonymous function: it has no name to be replaced by',
    );
    expect(reasonFor(choice, shapes, 'default')).toMatch(/^a default export without a name: /);
    expect(choice.targets.some((t) => t.path === shapes)).toBe(false);
  });

  it('takes functions assigned to a variable and methods as well as declarations', () => {
    const text = source(
      `export const score = (items: number[]): number => {\n${tangled('  ')}\n};`,
      `export class Sheet {\n  static total(items: number[]): number {\n${tangled('    ')}\n  }\n}`,
    );
    const { targets } = choose({
      files: { 'src/sheet.ts': { text, revisions: 3 } },
      tests: { 'src/sheet.test.ts': "import { score } from './sheet';\n" },
    });
    expect(targets.map((t) => [t.function, t.line])).toEqual([
      ['score', 1],
      ['Sheet.total', lineOf(text, 'static total')],
    ]);
  });

  it('passes over a file an open pull request changes', () => {
    const choice = choose({ input: { openPullRequestPaths: new Set(['src/args.ts']) } });
    expect(reasonFor(choice, 'src/args.ts')).toBe(
      'an open pull request changes it: a refactoring would conflict',
    );
    expect(choice.targets.map((t) => t.function)).toEqual(['Box.run', 'differ']);
  });

  it('passes over a function whose refactoring was closed unmerged, until its code changes', () => {
    const first = choose().targets[0]!;
    const rejected = new Set([first.fingerprint]);
    const choice = choose({ input: { rejectedFingerprints: rejected } });
    expect(reasonFor(choice, 'src/args.ts', 'parseOptions')).toBe(
      `its refactoring pull request was closed unmerged (fingerprint ${first.fingerprint}); it is proposed again only once its code changes`,
    );
    expect(choice.targets.map((t) => t.function)).toEqual(['Box.run', 'differ']);
    // Re-indented and moved down a line, it is the same function: still not wanted.
    const moved = `\n${ARGS.replace(/\n {2}/g, '\n    ')}`;
    const again = choose({
      files: { ...FILES, 'src/args.ts': { text: moved, revisions: 9 } },
      input: { rejectedFingerprints: rejected },
    });
    expect(again.targets.some((t) => t.function === 'parseOptions')).toBe(false);
    // One token changed: a new function, worth another look.
    const edited = ARGS.replace('out += 3;', 'out += 4;');
    const changed = choose({
      files: { ...FILES, 'src/args.ts': { text: edited, revisions: 9 } },
      input: { rejectedFingerprints: rejected },
    });
    expect(changed.targets[0]!.function).toBe('parseOptions');
    expect(changed.targets[0]!.fingerprint).not.toBe(first.fingerprint);
  });

  it('passes over a function whose refactoring could not win min-health-gain', () => {
    const choice = choose({ config: { minHealthGain: 1 } });
    expect(reasonFor(choice, 'src/rules.ts', 'differ')).toBe(
      "even without any of its smells the file's health would rise by at most 0.5 (9.5 → 10.0), less than refactor.min-health-gain 1",
    );
    expect(choice.targets.map((t) => t.function)).toEqual(['parseOptions', 'Box.run']);
  });

  it('keeps to refactor.include and refactor.exclude', () => {
    const excluded = choose({ config: { exclude: ['src/box.*'] } });
    expect(reasonFor(excluded, 'src/box.ts')).toBe('excluded by refactor.exclude');
    expect(excluded.targets.map((t) => t.function)).toEqual(['parseOptions', 'differ']);
    const included = choose({ config: { include: ['src/r*.ts'] } });
    expect(reasonFor(included, 'src/args.ts')).toBe('not matched by refactor.include');
    expect(included.targets.map((t) => t.function)).toEqual(['differ']);
  });

  it('tries max-targets a run and says which it left for later', () => {
    const { targets, capped } = choose({ config: { maxTargets: 1 } });
    expect(targets.map((t) => t.function)).toEqual(['parseOptions']);
    expect(capped.map((t) => t.function)).toEqual(['Box.run', 'differ']);
  });

  it('says so when a hot file does not parse, or its text was not given', () => {
    const broken = choose({
      files: { ...FILES, 'src/args.ts': { text: `${ARGS}\nexport function (\n`, revisions: 9 } },
    });
    expect(reasonFor(broken, 'src/args.ts')).toMatch(/^does not parse: line \d+: /);
    const report = reportOf(FILES);
    const config = defaultRefactorConfig();
    const choice = chooseTargets({
      report,
      texts: new Map(),
      testFiles: new Map(Object.entries(TESTS)),
      config,
      openPullRequestPaths: new Set(),
      rejectedFingerprints: new Set(),
    });
    expect(choice.targets).toEqual([]);
    expect(reasonFor(choice, 'src/args.ts')).toBe('its text was not read');
  });

  it('gives the same choice whatever order the maps come in', () => {
    const report = reportOf(FILES);
    const config = defaultRefactorConfig();
    const paths = filesToRead(report, config);
    const input = (reverse: boolean): ChooseInput => {
      const order = <T>(list: T[]) => (reverse ? [...list].reverse() : list);
      return {
        report,
        texts: new Map(order(paths.map((path) => [path, FILES[path]!.text] as const))),
        testFiles: new Map(order(Object.entries(TESTS))),
        config,
        openPullRequestPaths: new Set(),
        rejectedFingerprints: new Set(),
      };
    };
    expect(chooseTargets(input(true))).toEqual(chooseTargets(input(false)));
  });

  it('measures health with the thresholds it is given', () => {
    const thresholds = { ...defaultThresholds(), complexConditional: 4 };
    const { targets, skipped } = choose({ input: { thresholds } });
    expect(targets.map((t) => t.function)).toEqual(['parseOptions', 'Box.run']);
    expect(targets[0]!.smells.map((smell) => smell.kind)).toEqual([
      'Complex Method',
      'Deep Nesting',
    ]);
    // differ has no smell left at that threshold: the file has nothing to offer.
    expect(skipped.find((s) => s.path === 'src/rules.ts')?.reason).toBe(
      'no function has a Complex Method, Deep Nesting, Bumpy Road, Large Method, Complex Conditional smell',
    );
  });
});

describe('what tries to get past the checks', () => {
  it('finds tests, generated and vendored code wherever they sit', () => {
    const smelly = source(tangledFunction('parseOptions'));
    const paths = [
      'src/__tests__/args.ts',
      'src/args.spec.ts',
      'src/fixtures/args.ts',
      'src/__generated__/args.ts',
      'src/args.generated.ts',
      'node_modules/pkg/args.ts',
      'packages/a/dist/args.js',
      'src/args.min.js',
      'src/args.d.mts',
    ];
    const files = Object.fromEntries(paths.map((path) => [path, { text: smelly, revisions: 5 }]));
    const tests = Object.fromEntries(
      paths.map((path, i) => [`test/t${i}.test.ts`, `import '../${path}';\n`]),
    );
    const choice = choose({ files, tests });
    expect(choice.targets).toEqual([]);
    expect(choice.skipped.map((s) => s.path).sort()).toEqual([...paths].sort());
  });

  it('does not count a test of another module with the same name, nor one outside', () => {
    const choice = choose({
      files: { 'src/args.ts': { text: ARGS, revisions: 3 } },
      tests: {
        'test/args.test.ts': "import { parseOptions } from '../lib/args';\n",
        'lib/args.test.ts': "import { parseOptions } from './args.js';\n",
        'test/deep.test.ts': "import '../../src/args';\n",
      },
    });
    expect(reasonFor(choice, 'src/args.ts')).toMatch(/^no test reaches it/);
  });

  it('takes a path given to it directly only when it is inside the repository', () => {
    for (const path of ['../src/args.ts', '/src/args.ts', 'src/../../args.ts', 'src//args.ts']) {
      const choice = choose({ input: { only: { path } } });
      expect(choice.targets, path).toEqual([]);
      expect(reasonFor(choice, path)).toBe('not a path inside the repository');
    }
  });

  it('passes over a function whose lines a refactoring of another would change', () => {
    const text = source(
      `export function outer(items: number[]): number {\n  const inner = (): number => {\n${tangled('    ')}\n  };\n  return inner();\n}`,
    );
    const choice = choose({
      files: { 'src/outer.ts': { text, revisions: 3 } },
      tests: { 'src/outer.test.ts': "import './outer';\n" },
    });
    expect(choice.targets).toEqual([]);
    expect(reasonFor(choice, 'src/outer.ts', 'inner')).toMatch(/^nested in outer/);
  });

  it('passes over two functions of one name, which no name picks out', () => {
    // Sloppy JavaScript lets a function be declared twice; the second one wins at run time.
    const body = tangled('  ').replace(/: number/g, '');
    const text = source(
      `function run(items) {\n${body}\n}`,
      `function run(items) {\n${body.replace('out += 3', 'out += 4')}\n}`,
      `function other(items) {\n${body}\n}`,
      'module.exports = { run, other };',
    );
    const choice = choose({
      files: { 'lib/twice.js': { text, revisions: 3 } },
      tests: { 'test/twice.test.js': "const { run } = require('../lib/twice');\n" },
    });
    expect(choice.targets.map((t) => t.function)).toEqual(['other']);
    expect(choice.skipped.filter((s) => s.function === 'run').map((s) => s.reason)).toEqual([
      '2 functions of the file are named run: ambiguous',
      '2 functions of the file are named run: ambiguous',
    ]);
    const named = choose({
      files: { 'lib/twice.js': { text, revisions: 3 } },
      tests: { 'test/twice.test.js': "const { run } = require('../lib/twice');\n" },
      input: { only: { path: 'lib/twice.js', function: 'run' } },
    });
    expect(named.targets).toEqual([]);
    expect(reasonFor(named, 'lib/twice.js', 'run')).toBe(
      '2 functions of the file are named run: ambiguous',
    );
  });
});

describe('--target PATH[:FUNCTION]', () => {
  it('chooses the named function of any file the report has, hot or not', () => {
    const { targets, skipped } = choose({
      input: { only: { path: 'src/rules.ts', function: 'differ' } },
    });
    expect(targets.map((t) => [t.path, t.function])).toEqual([['src/rules.ts', 'differ']]);
    expect(skipped).toEqual([]);
    const files = { ...FILES, 'src/cold.ts': { ...FILES['src/cold.ts']!, revisions: 0 } };
    const cold = choose({
      files,
      tests: { ...TESTS, 'test/cold.test.ts': "import '../src/cold';\n" },
      input: { only: { path: 'src/cold.ts' } },
    });
    expect(cold.targets.map((t) => [t.function, t.revisions])).toEqual([['cold', 0]]);
  });

  it('takes every smelly function of a file named without a function, and a method by its own name', () => {
    const file = choose({ input: { only: { path: 'src/box.ts' } } });
    expect(file.targets.map((t) => t.function)).toEqual(['Box.run']);
    expect(file.skipped.map((s) => s.function)).toEqual(['Box.constructor', 'Box.total']);
    const method = choose({ input: { only: { path: 'src/box.ts', function: 'run' } } });
    expect(method.targets.map((t) => t.function)).toEqual(['Box.run']);
  });

  it('still refuses what no refactoring may touch', () => {
    const test = choose({ input: { only: { path: 'test/args.test.ts' } } });
    expect(test.targets).toEqual([]);
    expect(reasonFor(test, 'test/args.test.ts')).toBe('a test file');
    const getter = choose({ input: { only: { path: 'src/box.ts', function: 'Box.total' } } });
    expect(getter.targets).toEqual([]);
    expect(reasonFor(getter, 'src/box.ts', 'Box.total')).toMatch(/^a getter/);
    const untested = choose({ input: { only: { path: 'src/untested.ts', function: 'lonely' } } });
    expect(reasonFor(untested, 'src/untested.ts', 'lonely')).toMatch(/^no test reaches it/);
    const open = choose({
      input: { only: { path: 'src/args.ts' }, openPullRequestPaths: new Set(['src/args.ts']) },
    });
    expect(reasonFor(open, 'src/args.ts')).toMatch(/^an open pull request changes it/);
  });

  it('counts a test that reaches the module through a barrel, when the sources are given', () => {
    const only = { path: 'src/untested.ts', function: 'lonely' };
    const tests = { ...TESTS, 'test/api.test.ts': "import { lonely } from '../src/api';\n" };
    const sources = new Map([['src/api/index.ts', "export * from '../untested.js';\n"]]);
    const direct = choose({ tests, input: { only } });
    expect(reasonFor(direct, 'src/untested.ts', 'lonely')).toMatch(/^no test reaches it/);
    const through = choose({ tests, input: { only, sources } });
    expect(through.targets.map((t) => `${t.path}:${t.function}`)).toEqual([
      'src/untested.ts:lonely',
    ]);
  });

  it('names what it could not find', () => {
    const missing = choose({ input: { only: { path: 'src/args.ts', function: 'parse' } } });
    expect(reasonFor(missing, 'src/args.ts', 'parse')).toBe(
      'no function or method is named "parse"; the file has parseOptions, readList',
    );
    const healthy = choose({ input: { only: { path: 'src/args.ts', function: 'readList' } } });
    expect(reasonFor(healthy, 'src/args.ts', 'readList')).toMatch(
      /^it has none of the smells a refactoring removes \(Complex Method, /,
    );
    const nowhere = choose({ input: { only: { path: 'src/nowhere.ts', function: 'f' } } });
    expect(reasonFor(nowhere, 'src/nowhere.ts', 'f')).toMatch(/^not in the hotspots report: /);
    const json = choose({ input: { only: { path: 'package.json' } } });
    expect(reasonFor(json, 'package.json')).toBe('not a JavaScript or TypeScript source file');
  });

  it('reads PATH[:FUNCTION] and keeps the path inside the repository', () => {
    expect(parseTargetSpec('src/cli/args.ts:parseOptions')).toEqual({
      ok: true,
      target: { path: 'src/cli/args.ts', function: 'parseOptions' },
    });
    expect(parseTargetSpec(' ./src/x/../box.ts:Box.run ')).toEqual({
      ok: true,
      target: { path: 'src/box.ts', function: 'Box.run' },
    });
    expect(parseTargetSpec('src/box.ts')).toEqual({ ok: true, target: { path: 'src/box.ts' } });
    // A colon followed by what is no function name is part of the path.
    expect(parseTargetSpec('src/a:b/c.ts')).toEqual({ ok: true, target: { path: 'src/a:b/c.ts' } });
    for (const hostile of ['../secrets.ts:f', '/etc/passwd', 'C:\\x.ts', 'src/../../x.ts']) {
      const parsed = parseTargetSpec(hostile);
      expect(parsed.ok, hostile).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain('outside the repository');
    }
    expect(parseTargetSpec('')).toEqual({
      ok: false,
      message: 'expected --target PATH or PATH:FUNCTION, got ""',
    });
    expect(parseTargetSpec('src/a\0.ts').ok).toBe(false);
  });
});

describe('which tests reach a module', () => {
  it('counts what a test loads when it runs, never an import in a comment, a string or a type', () => {
    expect(runtimeImports('test/untested.test.ts', TESTS['test/untested.test.ts']!)).toEqual([]);
    const text = [
      "import { a } from '../src/a.js';",
      "import '../src/side';",
      "import * as b from '../src/b';",
      "import type { T } from '../src/t';",
      "import { type U, c } from '../src/c.ts';",
      "export { d } from './d';",
      "export type { V } from './v';",
      "import e = require('../src/e');",
      "const f = require('../src/f.cjs');",
      "const g = await import('../src/g/index.js');",
      "import { h } from 'vitest';",
      "vi.mock('../src/mocked');",
    ].join('\n');
    expect(runtimeImports('test/x.test.ts', text)).toEqual([
      '../src/a.js',
      '../src/side',
      '../src/b',
      '../src/c.ts',
      './d',
      '../src/e',
      '../src/f.cjs',
      '../src/g/index.js',
    ]);
  });

  it('resolves specifiers as TypeScript does, only to files it knows of', () => {
    const known = new Set(['src/a.ts', 'src/g/index.ts', 'src/f.cts', 'test/d.ts']);
    const tests = new Map([
      [
        'test/x.test.ts',
        "import '../src/a.js';\nimport '../src/g';\nimport './d';\nimport '../src/zz';\n",
      ],
      [
        'test/y.test.ts',
        "require('../src/f.cjs');\nimport '../src/a';\nimport '../../outside/a';\n",
      ],
    ]);
    const reach = testsReaching({
      tests: [...tests.keys()],
      read: (path) => tests.get(path) ?? null,
      exists: (path) => known.has(path) || tests.has(path),
    });
    expect(Object.fromEntries(reach)).toEqual({
      'src/a.ts': ['test/x.test.ts', 'test/y.test.ts'],
      'src/g/index.ts': ['test/x.test.ts'],
      'test/d.ts': ['test/x.test.ts'],
      'src/f.cts': ['test/y.test.ts'],
    });
  });

  it('follows a test through a barrel and an entry module, but not through type-only imports', () => {
    const files = new Map([
      ['test/api.test.ts', "import { parse } from '../src';\n"],
      ['src/index.ts', "export * from './parse';\nexport { fmt } from './format.js';\n"],
      ['src/parse.ts', "import { lex } from './lex';\nimport type { Shape } from './shape';\n"],
      ['src/lex.ts', 'export const lex = 1;\n'],
      ['src/shape.ts', 'export interface Shape {}\n'],
      ['src/format.ts', 'export const fmt = 1;\n'],
      ['src/alone.ts', "import { lex } from './lex';\n"],
    ]);
    const reach = testsReaching({
      tests: ['test/api.test.ts'],
      read: (path) => files.get(path) ?? null,
      exists: (path) => files.has(path),
    });
    expect([...reach.keys()].sort()).toEqual([
      'src/format.ts',
      'src/index.ts',
      'src/lex.ts',
      'src/parse.ts',
    ]);
    expect(reach.get('src/lex.ts')).toEqual(['test/api.test.ts']);
  });
});
