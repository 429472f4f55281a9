import { pathToFileURL } from 'node:url';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTypeCheckProcess } from '../../src/testrun/typecheck.ts';
import { createChainFixture, TEST_PATH } from '../testrun/fixture.ts';
import { createFixture } from '../stryker/fixture.ts';
import {
  APP_BUNDLE,
  CLI_DIR,
  STRYKER_ACTIONS,
  TYPECHECK_ACTIONS,
  HOTSPOTS_ACTIONS,
  actionNames,
  buildActions,
  buildApp,
  buildCli,
} from '../../build.ts';

const out = mkdtempSync(join(tmpdir(), 'steward-bundles-'));
beforeAll(async () => {
  await buildActions('.', out);
  await buildApp('.', out);
  await buildCli('.', out);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

function expectSameAsFresh(path: string): void {
  const fresh = readFileSync(join(out, path), 'utf8');
  const committed = readFileSync(path, 'utf8');
  // Comparing lengths first keeps a stale bundle's failure message short.
  expect(committed.length).toBe(fresh.length);
  expect(committed === fresh).toBe(true);
}

/** The Stryker child and Steward's plugin module, standalone in `dir`. */
async function expectStrykerFiles(dir: string): Promise<void> {
  const child = readFileSync(join(dir, 'stryker-child.mjs'), 'utf8');
  expect(child).toMatch(/runMutationTest/);
  const plugins = (await import(pathToFileURL(join(dir, 'stryker-plugins.mjs')).href)) as {
    strykerPlugins: { name: string }[];
  };
  expect(plugins.strykerPlugins.map((p) => p.name).sort()).toEqual([
    'steward-arid',
    'steward-progress',
  ]);
}

/**
 * The type-check process standalone in `dir`, as src/testrun/typecheck.ts starts it: it answers a
 * check of a candidate test file in a real project, its type error given to the test it is in.
 */
async function expectTypeCheckChild(dir: string): Promise<void> {
  const fixture = createChainFixture();
  const checker = createTypeCheckProcess({
    root: fixture.root,
    env: {},
    timeoutMs: 120_000,
    childScript: join(dir, 'typecheck-child.mjs'),
  });
  try {
    const result = await checker.check({
      path: TEST_PATH,
      text: "import { it } from 'vitest';\nit('bad', () => {\n  const n: number = 'text';\n  void n;\n});\n",
    });
    expect([...result.byTest.keys()]).toEqual(['bad']);
    expect(result.byTest.get('bad')![0]!.message).toMatch(/^TS2322/);
  } finally {
    checker.close();
    fixture.cleanup();
  }
  // A repository with no TypeScript of its own (no node_modules at all): the bundle brings Steward's.
  const bare = createFixture({ linkNodeModules: false });
  const stewards = createTypeCheckProcess({
    root: bare.root,
    env: {},
    timeoutMs: 120_000,
    childScript: join(dir, 'typecheck-child.mjs'),
  });
  try {
    const result = await stewards.check({
      path: 'test/plain.test.ts',
      text: "const n: number = 'text';\nexport { n };\n",
    });
    expect(result.fileErrors.map((e) => e.message)).toEqual([
      "TS2322: Type 'string' is not assignable to type 'number'.",
    ]);
  } finally {
    stewards.close();
    bare.cleanup();
  }
}

describe('committed action bundles', () => {
  it.each(actionNames())(
    'actions/%s/dist/index.mjs matches a fresh build (run `npm run build`)',
    (name) => expectSameAsFresh(join('actions', name, 'dist', 'index.mjs')),
  );

  it.each(STRYKER_ACTIONS)(
    'actions/%s/dist holds the Stryker child and plugin module matching a fresh build, where the Stryker runner looks for them',
    async (name) => {
      for (const file of ['stryker-child.mjs', 'stryker-plugins.mjs'])
        expectSameAsFresh(join('actions', name, 'dist', file));
      await expectStrykerFiles(join(out, 'actions', name, 'dist'));
      // The runner inside index.mjs finds them beside its own module.
      const index = readFileSync(join(out, 'actions', name, 'dist', 'index.mjs'), 'utf8');
      expect(index).toContain('./stryker-child.mjs');
      expect(index).toContain('./stryker-plugins.mjs');
    },
  );

  it.each(TYPECHECK_ACTIONS)(
    'actions/%s/dist holds the type-check process matching a fresh build, where src/testrun looks for it',
    async (name) => {
      expectSameAsFresh(join('actions', name, 'dist', 'typecheck-child.mjs'));
      const index = readFileSync(join(out, 'actions', name, 'dist', 'index.mjs'), 'utf8');
      expect(index).toContain('./typecheck-child.mjs');
      await expectTypeCheckChild(join(out, 'actions', name, 'dist'));
    },
  );

  it.each(HOTSPOTS_ACTIONS)(
    'actions/%s/dist holds the hotspots parse worker matching a fresh build, where the parse pool starts it',
    (name) => {
      expectSameAsFresh(join('actions', name, 'dist', 'parse-worker.mjs'));
      const index = readFileSync(join(out, 'actions', name, 'dist', 'index.mjs'), 'utf8');
      expect(index).toContain('./parse-worker.mjs');
    },
  );

  it.each(actionNames())('actions/%s/action.yml runs the bundle on node24', (name) => {
    const manifest = readFileSync(join('actions', name, 'action.yml'), 'utf8');
    expect(manifest).toMatch(/using: node24/);
    expect(manifest).toMatch(/main: dist\/index\.mjs/);
  });
});

describe('the app bundle', () => {
  it(`${APP_BUNDLE} matches a fresh build (run \`npm run build\`)`, () => {
    expectSameAsFresh(APP_BUNDLE);
  });

  it('is what `npm run app` runs, with no dependency left to install', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
      dependencies?: Record<string, string>;
    };
    expect(manifest.scripts['app']).toBe(`node ${APP_BUNDLE}`);
    expect(manifest.dependencies ?? {}).toEqual({});
  });
});

describe('the CLI bundle', () => {
  /** The modules Node loads before main.mjs runs: its static imports, transitively. */
  function staticGraph(file: string, seen = new Map<string, string>()): Map<string, string> {
    if (seen.has(file)) return seen;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const [, spec] of text.matchAll(/^import\s+(?:[^'"]*?from\s+)?["'](\.[^"']+)["'];?$/gm))
      staticGraph(join(dirname(file), spec!), seen);
    return seen;
  }

  it('loads only the router and the list of commands up front; each command is its own chunk', () => {
    const main = join(out, CLI_DIR, 'main.mjs');
    const graph = staticGraph(main);
    const size = [...graph.values()].reduce((sum, text) => sum + text.length, 0);
    // The TypeScript parser, zod and the YAML parser are megabytes: none may load for --version.
    expect(size).toBeLessThan(64 * 1024);
    for (const text of graph.values()) {
      expect(text).not.toMatch(/^\/\/ (node_modules\/|src\/(hotspots|review|config\/load))/m);
    }
    // review, hotspots, health, mutate, tests, refactor, incidents, anomalies, chaos report, config.
    expect(readFileSync(main, 'utf8').match(/await import\("\.\/chunk-\w+\.mjs"\)/g)).toHaveLength(
      10,
    );
  });

  it('loads neither the TypeScript parser nor the Anthropic SDK for any command up front', () => {
    // Commands import them when there is something to parse or a key: `steward review --help`
    // and a review with no change stay fast.
    const main = readFileSync(join(out, CLI_DIR, 'main.mjs'), 'utf8');
    const chunks = [...main.matchAll(/await import\("\.\/(chunk-\w+\.mjs)"\)/g)].map((m) => m[1]!);
    expect(chunks).toHaveLength(10);
    for (const chunk of chunks) {
      for (const text of staticGraph(join(out, CLI_DIR, chunk)).values())
        expect(text).not.toMatch(/^\/\/ node_modules\/(ts-morph|@anthropic-ai)\//m);
    }
  });

  it('puts the parse worker beside the chunks, where parse-pool looks for it', () => {
    const worker = readFileSync(join(out, CLI_DIR, 'parse-worker.mjs'), 'utf8');
    expect(worker).toMatch(/parentPort/);
  });

  it('puts the Stryker child and plugin module beside the chunks, where the Stryker runner looks for them', async () => {
    await expectStrykerFiles(join(out, CLI_DIR));
  });

  it('puts the type-check process beside the chunks, where src/testrun looks for it', async () => {
    await expectTypeCheckChild(join(out, CLI_DIR));
  });
});
