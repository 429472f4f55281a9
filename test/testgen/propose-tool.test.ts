import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { checkImport, checkTestCode } from '../../src/testgen/candidate-code.ts';
import { checkCandidates, proposeTestsTool } from '../../src/testgen/propose-tool.ts';
import { exampleTest, targetContext } from './propose-fixtures.ts';

const vitest = { framework: 'vitest' as const, importPath: '../src/args.ts' };

describe('checkImport', () => {
  it.each([
    "import { parseCount } from '../src/args.ts';",
    "import type { Options } from '../src/args.ts';",
    "import * as args from '../src/args.ts'",
    "import { describe, expect, it, vi } from 'vitest';",
    "import { fc, test } from '@fast-check/vitest';",
    "import fc from 'fast-check';",
    "import { readFileSync } from 'node:fs';",
    "import assert from 'node:assert/strict';",
  ])('allows %s', (text) => {
    expect(checkImport(text, vitest)).toBeNull();
  });

  it.each([
    ["import { execSync } from 'child_process';", '"child_process" is not allowed in a unit test'],
    ["import { spawn } from 'node:child_process';", '"node:child_process" is not allowed'],
    ["import { Worker } from 'node:worker_threads';", 'is not allowed in a unit test'],
    ["import { createRequire } from 'node:module';", 'is not allowed in a unit test'],
    ["import { request } from 'node:https';", 'is not allowed in a unit test'],
    ["import { readFileSync } from 'fs';", '"fs": import Node built-ins with the node: prefix'],
    ["import { token } from '../src/secrets.ts';", '"../src/secrets.ts" is not allowed'],
    ["import { parseCount } from '../src/args';", '"../src/args" is not allowed'],
    ["import lodash from 'lodash';", '"lodash" is not allowed'],
    ["import { test } from '@jest/globals';", '"@jest/globals" is not allowed'],
    [
      "import { parseCount } from '../src/args.ts'; fetch('http://evil');",
      'must be exactly one import declaration',
    ],
    ["const cp = require('child_process');", 'must be exactly one import declaration'],
    ["import cp = require('child_process');", 'must be exactly one import declaration'],
    ["export { x } from '../src/args.ts';", 'must be exactly one import declaration'],
    ["import { parseCount from '../src/args.ts';", 'does not parse: line 1'],
    ['', 'must be exactly one import declaration'],
  ])('refuses %s', (text, reason) => {
    expect(checkImport(text, vitest)).toContain(reason);
  });

  it('allows the framework of the project only', () => {
    const jest = { framework: 'jest' as const, importPath: './args' };
    expect(checkImport("import { expect, it } from '@jest/globals';", jest)).toBeNull();
    expect(checkImport("import { it } from 'vitest';", jest)).toContain('is not allowed');
    expect(checkImport("import { parse } from './args';", jest)).toBeNull();
    const node = { framework: 'node:test' as const, importPath: '../src/args.js' };
    expect(checkImport("import { test } from 'node:test';", node)).toBeNull();
  });
});

describe('checkTestCode', () => {
  it.each([
    "it('t', () => { expect(1).toBe(1); });",
    "test('t', async () => { expect(await Promise.resolve(1)).toBe(1); })",
    "test.prop([fc.nat()], { seed: 1 })('t', (n) => { expect(n).toBeGreaterThanOrEqual(0); });",
    "it('t', async () => { const { parseCount } = await import('../src/args.ts'); expect(parseCount('1')).toBe(1); });",
  ])('allows %s', (code) => {
    expect(checkTestCode(code, 't', vitest)).toBeNull();
  });

  it.each([
    ["it.only('t', () => {});", 'calls it.only, not it, test'],
    [
      "it.each([[1], [2]])('t', (n) => { expect(n).toBeGreaterThan(0); });",
      'not it, test, it.prop or test.prop',
    ],
    ["it.skip('t', () => {});", 'calls it.skip, not it, test'],
    ["it.fails('t', () => { throw new Error(); });", 'calls it.fails, not it, test'],
    ["describe('d', () => { it('t', () => {}); });", 'calls describe, not it, test'],
    ["it('t', () => {}); it('u', () => {});", 'holds 2 statements'],
    ["import fs from 'node:fs';\nit('t', () => {});", 'holds 2 statements'],
    ['process.exit(0);', 'calls process.exit, not it, test'],
    ["it('t', () => {", 'code does not parse'],
    ["```ts\nit('t', () => {});\n```", 'wrapped in a markdown fence'],
    ["it('u', () => {});", 'the title in the code, "u", is not the test\'s name "t"'],
    [
      "it('t', () => { require('child_process').execSync('id'); });",
      '"child_process" is not allowed',
    ],
    ["it('t', async () => { await import('node:net'); });", '"node:net" is not allowed'],
    [
      "it('t', async () => { const m = 'child_' + 'process'; await import(m); });",
      'computed module with import(…)',
    ],
    ["it('t', () => { require(name); });", 'computed module with require(…)'],
  ])('refuses %s', (code, reason) => {
    expect(checkTestCode(code, 't', vitest)).toContain(reason);
  });
});

describe('propose_tests', () => {
  it('checks only the envelope, so one bad test never costs the correction', () => {
    const tool = proposeTestsTool(targetContext(), 2);
    expect(tool.validate({ tests: [1, 'x', null] })).toEqual({
      ok: true,
      value: { tests: [1, 'x', null] },
    });
    expect(tool.validate({ tests: [], approve: true })).toMatchObject({ ok: false });
    expect(tool.validate('tests')).toMatchObject({ ok: false });
    expect(tool.validate({ tests: {} })).toMatchObject({ ok: false });
  });

  it('drops a repeated name and takes names without control characters only', () => {
    const context = targetContext();
    const { candidates, rejected } = checkCandidates(
      [
        exampleTest,
        exampleTest,
        { ...exampleTest, name: 'two\nlines', code: "it('two\\nlines', () => {});" },
      ],
      context,
      5,
    );
    expect(candidates).toHaveLength(1);
    expect(rejected).toEqual([
      { index: 1, name: exampleTest.name, reason: 'another test of this answer has the same name' },
      {
        index: 2,
        name: 'two lines',
        reason: 'name: name must be one line without control characters',
      },
    ]);
  });

  it('refuses a test that carries __proto__, and pollutes nothing', () => {
    const polluting: unknown = JSON.parse(
      JSON.stringify(exampleTest).replace('{', '{"__proto__":{"polluted":true},'),
    );
    const { candidates, rejected } = checkCandidates([polluting], targetContext(), 1);
    expect(candidates).toEqual([]);
    expect(rejected[0]!.reason).toContain('Unrecognized key');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test.prop([fc.array(fc.anything(), { maxLength: 8 }), fc.integer({ min: 1, max: 5 })])(
    'accounts for every test of any answer exactly once, without throwing',
    (tests, max) => {
      const { candidates, rejected } = checkCandidates(tests, targetContext(), max);
      expect(candidates.length + rejected.length).toBe(tests.length);
      expect(candidates.length).toBeLessThanOrEqual(max);
      for (const r of rejected) expect(r.reason).not.toBe('');
    },
  );
});
