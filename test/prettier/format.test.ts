import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrettierFormatter } from '../../src/prettier/format.ts';

/** This worktree's prettier, linked into each fixture project. */
const PRETTIER = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'node_modules',
  'prettier',
);
const VERSION = (
  JSON.parse(readFileSync(join(PRETTIER, 'package.json'), 'utf8')) as { version: string }
).version;

const TEST_FILE = {
  path: 'test/args.test.ts',
  text: "import { describe, it, expect } from 'vitest'\n// keep me\ndescribe('args', () => {\n      it('a', () => { expect(1).toBe( 1 ) })\n})\n",
};

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(files: Record<string, string>, options: { prettier?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'steward-prettier-'));
  roots.push(root);
  const all: Record<string, string> = {
    'package.json': JSON.stringify({
      name: 'fixture',
      type: 'module',
      devDependencies: { prettier: '^3' },
    }),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  if (options.prettier !== false) {
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(PRETTIER, join(root, 'node_modules', 'prettier'), 'dir');
  }
  return root;
}

describe('createPrettierFormatter', () => {
  it('formats with the project’s prettier and its config for the file', async () => {
    const root = project({ '.prettierrc': JSON.stringify({ singleQuote: false, semi: true }) });
    const outcome = await createPrettierFormatter({ root }).format(TEST_FILE);
    expect(outcome).toEqual({
      kind: 'formatted',
      formatter: `prettier ${VERSION}`,
      text: 'import { describe, it, expect } from "vitest";\n// keep me\ndescribe("args", () => {\n  it("a", () => {\n    expect(1).toBe(1);\n  });\n});\n',
    });
  });

  it('applies the config nearest the file (overrides and nested configs)', async () => {
    const root = project({
      '.prettierrc': JSON.stringify({ singleQuote: false }),
      'test/.prettierrc.json': JSON.stringify({ singleQuote: true, semi: false }),
    });
    const outcome = await createPrettierFormatter({ root }).format(TEST_FILE);
    expect(outcome.kind).toBe('formatted');
    expect(outcome.text).toContain("import { describe, it, expect } from 'vitest'\n");
  });

  it('a package of a monorepo with its own prettier and config', async () => {
    const root = project(
      { 'package.json': JSON.stringify({ name: 'mono', private: true }) },
      { prettier: false },
    );
    const pkg = join(root, 'packages', 'cli');
    mkdirSync(join(pkg, 'node_modules'), { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'cli', devDependencies: { prettier: '^3' } }),
    );
    writeFileSync(join(pkg, '.prettierrc'), JSON.stringify({ singleQuote: false }));
    symlinkSync(PRETTIER, join(pkg, 'node_modules', 'prettier'), 'dir');
    const outcome = await createPrettierFormatter({ root }).format({
      ...TEST_FILE,
      path: 'packages/cli/test/args.test.ts',
    });
    expect(outcome.kind).toBe('formatted');
    expect(outcome.text).toContain('from "vitest";');
  });

  it('no prettier in the project: the text as it was, and why', async () => {
    const root = project(
      { 'package.json': JSON.stringify({ name: 'fixture' }) },
      { prettier: false },
    );
    expect(await createPrettierFormatter({ root }).format(TEST_FILE)).toEqual({
      kind: 'no-formatter',
      text: TEST_FILE.text,
      reason: 'the project does not use prettier (no config file, not in package.json)',
    });
  });

  it('prettier declared but not installed: the text as it was, naming the install step', async () => {
    const root = project({}, { prettier: false });
    const outcome = await createPrettierFormatter({ root }).format(TEST_FILE);
    expect(outcome.kind).toBe('no-formatter');
    expect(outcome.text).toBe(TEST_FILE.text);
    expect(outcome.kind === 'no-formatter' && outcome.reason).toMatch(
      /not installed \(no node_modules\/prettier\): run its install step first/,
    );
  });

  it('a config that throws: the text unformatted, with prettier’s error', async () => {
    const root = project({ 'prettier.config.mjs': "throw new Error('config exploded');\n" });
    const outcome = await createPrettierFormatter({ root }).format(TEST_FILE);
    expect(outcome.kind).toBe('unformatted');
    expect(outcome.text).toBe(TEST_FILE.text);
    expect(outcome.kind === 'unformatted' && outcome.reason).toMatch(
      /^prettier failed: .*config exploded/,
    );
  });

  it('runs the config without Steward’s secrets in its environment', async () => {
    const root = project({
      'prettier.config.mjs': [
        "import { writeFileSync } from 'node:fs';",
        "writeFileSync(new URL('./seen-env.json', import.meta.url), JSON.stringify(process.env));",
        'export default { singleQuote: process.env.GITHUB_TOKEN === undefined ? false : true };',
        '',
      ].join('\n'),
    });
    const env = {
      ...process.env,
      GITHUB_TOKEN: 'ghs_secret',
      ANTHROPIC_API_KEY: 'sk-ant-secret',
      INPUT_GITHUB_TOKEN: 'ghs_input',
      ACTIONS_RUNTIME_TOKEN: 'runtime',
    };
    const outcome = await createPrettierFormatter({ root, env }).format(TEST_FILE);
    expect(outcome.kind).toBe('formatted');
    // singleQuote: false is what the config picks when GITHUB_TOKEN is undefined in its process.
    expect(outcome.text).toContain('from "vitest"');
    const seen = JSON.parse(readFileSync(join(root, 'seen-env.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(Object.keys(seen)).not.toContain('GITHUB_TOKEN');
    expect(JSON.stringify(seen)).not.toMatch(/secret|ghs_|runtime/);
    expect(seen.PATH).toBe(process.env.PATH);
  });

  it('does not load the config in Steward’s own process', async () => {
    const root = project({
      'prettier.config.mjs': 'globalThis.__stewardLoadedConfig = true;\nexport default {};\n',
    });
    await createPrettierFormatter({ root }).format(TEST_FILE);
    expect('__stewardLoadedConfig' in globalThis).toBe(false);
  });

  it('a plugin that rewrites the code: its output is not used', async () => {
    const root = project({
      '.prettierrc.json': JSON.stringify({ plugins: ['./evil-plugin.mjs'] }),
      'evil-plugin.mjs': [
        "export const parsers = { typescript: { parse: (text) => ({ type: 'evil', text }), astFormat: 'evil', locStart: () => 0, locEnd: (node) => node.text.length } };",
        "export const printers = { evil: { print: () => 'process.exit(1);\\n' } };",
        '',
      ].join('\n'),
    });
    const outcome = await createPrettierFormatter({ root }).format(TEST_FILE);
    expect(outcome.kind).toBe('unformatted');
    expect(outcome.text).toBe(TEST_FILE.text);
    expect(outcome.kind === 'unformatted' && outcome.reason).toMatch(
      /changes code, not only its layout/,
    );
  });

  it('a file .prettierignore lists is left as it is', async () => {
    const root = project({ '.prettierrc': '{}', '.prettierignore': 'test/\n' });
    expect(await createPrettierFormatter({ root }).format(TEST_FILE)).toEqual({
      kind: 'unformatted',
      text: TEST_FILE.text,
      reason: '.prettierignore lists test/args.test.ts',
    });
  });

  it('a config that never finishes: stopped, the text unformatted', async () => {
    const root = project({ 'prettier.config.mjs': 'while (true) {}\n' });
    const outcome = await createPrettierFormatter({ root, timeoutMs: 3000 }).format(TEST_FILE);
    expect(outcome).toEqual({
      kind: 'unformatted',
      text: TEST_FILE.text,
      reason: 'prettier took longer than 3000 ms',
    });
  });

  it('a path outside the repository is not formatted', async () => {
    const root = project({ '.prettierrc': '{}' });
    const outcome = await createPrettierFormatter({ root }).format({
      path: '../x.test.ts',
      text: 'a',
    });
    expect(outcome).toEqual({
      kind: 'unformatted',
      text: 'a',
      reason: '../x.test.ts is not a path inside the repository',
    });
  });
});
