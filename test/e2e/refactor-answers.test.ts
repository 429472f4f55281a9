import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyseSource } from '../../src/health/complexity/analyse.ts';
import { assessFile } from '../../src/health/score.ts';
import { DEFAULT_THRESHOLDS } from '../../src/health/thresholds.ts';
import type { FileHealth } from '../../src/health/types.ts';
import { ANSWERS, applyByHand, type AnswerKind } from './refactor-answers.ts';
import {
  FORMAT_PRICE,
  PRICING,
  PRICING_PATH,
  TARGET_FUNCTION,
  createRefactorFixture,
  mainFiles,
  type RefactorFixture,
} from './refactor-fixture.ts';

/**
 * The e2e's premise, checked without the pieces under test: each of the seven answers, applied by
 * hand to the fixture, fails exactly the proof it is named for (and the good one passes them all),
 * with the real TypeScript (one program per check, the project's tsconfig), the real vitest run in
 * the fixture, and src/health's analysis. When a refactoring proof disagrees with this file, the
 * proof is wrong, not the answer.
 */
const LONG = { timeout: 120_000 };

let fixture: RefactorFixture;

beforeAll(() => {
  fixture = createRefactorFixture();
});
afterAll(() => fixture.cleanup());

function health(text: string): FileHealth {
  return assessFile(analyseSource(PRICING_PATH, text), { ...DEFAULT_THRESHOLDS });
}

function cognitiveOf(text: string): number {
  const fn = analyseSource(PRICING_PATH, text).functions.find((f) => f.name === TARGET_FUNCTION);
  if (fn === undefined) throw new Error(`${TARGET_FUNCTION} is not in the text`);
  return fn.cognitive;
}

/** The project's diagnostics and src/pricing.ts's declaration emit with `text` in its place. */
function compile(text: string): { diagnostics: string[]; declaration: string } {
  const root = fixture.repo.dir;
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (parsed === undefined) throw new Error('no tsconfig');
  const target = join(root, PRICING_PATH);
  const host = ts.createCompilerHost(parsed.options);
  const read = host.readFile.bind(host);
  host.readFile = (file) => (file === target ? text : read(file));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language) =>
    file === target ? ts.createSourceFile(file, text, language) : getSourceFile(file, language);
  const program = ts.createProgram(parsed.fileNames, parsed.options, host);
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  let declaration = '';
  const emitter = ts.createProgram(
    [target],
    {
      ...parsed.options,
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
    },
    host,
  );
  emitter.emit(emitter.getSourceFile(target), (_name, output) => (declaration = output));
  return { diagnostics, declaration };
}

/** The fixture's vitest run with `text` written in place of src/pricing.ts (restored after). */
function vitest(text: string): Promise<{ ok: boolean; output: string }> {
  const root = fixture.repo.dir;
  const path = join(root, PRICING_PATH);
  const original = readFileSync(path, 'utf8');
  writeFileSync(path, text);
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run'],
      { cwd: root, env: { ...env, CI: '1', NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        writeFileSync(path, original);
        resolve({ ok: error === null, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

const applied = (kind: AnswerKind) => applyByHand(PRICING, ANSWERS[kind]);
const before = () => compile(PRICING);

describe('the refactoring fixture', () => {
  test(
    'is the committed main: it type-checks, its tests pass, priceOrder is its one smelly function',
    LONG,
    async () => {
      expect(fixture.repo.git('show', `HEAD:${PRICING_PATH}`)).toBe(PRICING);
      expect(mainFiles()[PRICING_PATH]).toBe(PRICING);
      expect(fixture.repo.git('status', '--porcelain')).toBe('');
      expect(before().diagnostics).toEqual([]);
      const run = await vitest(PRICING);
      expect(run.ok, run.output).toBe(true);
      const file = health(PRICING);
      // Function-level smells only in the target; the file-level one (Overall Complexity) is its doing.
      const functions = file.smells.flatMap((s) => (s.function === null ? [] : [s.function]));
      expect(new Set(functions)).toEqual(new Set([TARGET_FUNCTION]));
      expect(file.smells.map((s) => s.kind)).toEqual(
        expect.arrayContaining(['Complex Method', 'Deep Nesting', 'Complex Conditional']),
      );
      expect(file.health).toBeLessThan(9);
    },
  );

  test('src/pricing.ts changes in most commits: the hot file', () => {
    const log = fixture.repo.git('log', '--format=%H', '--', PRICING_PATH).trim().split('\n');
    const cart = fixture.repo.git('log', '--format=%H', '--', 'src/cart.ts').trim().split('\n');
    expect(log.length).toBeGreaterThanOrEqual(5);
    expect(cart.length).toBeLessThan(log.length);
  });
});

describe('the seven answers, applied by hand', () => {
  test(
    'good: parses, type-checks, same API, tests pass, health rises by ≥ 0.5 with no new smell',
    LONG,
    async () => {
      const text = applied('good');
      expect(analyseSource(PRICING_PATH, text).syntaxErrors).toEqual([]);
      const after = compile(text);
      expect(after.diagnostics).toEqual([]);
      expect(after.declaration).toBe(before().declaration);
      const run = await vitest(text);
      expect(run.ok, run.output).toBe(true);
      const [was, now] = [health(PRICING), health(text)];
      expect(now.health - was.health).toBeGreaterThanOrEqual(0.5);
      expect(now.smells).toEqual([]);
      expect(cognitiveOf(text)).toBeLessThan(cognitiveOf(PRICING));
    },
  );

  test('breaks the types: TS2551 on order.county, health and API otherwise fine', () => {
    const text = applied('breaks-types');
    const after = compile(text);
    expect(after.diagnostics).toEqual([expect.stringContaining("TS2551: Property 'county'")]);
    expect(health(text).health - health(PRICING).health).toBeGreaterThanOrEqual(0.5);
  });

  test(
    'breaks a test: type-checks, same API, health rises, the BOOKS coupon test fails',
    LONG,
    async () => {
      const text = applied('breaks-a-test');
      const after = compile(text);
      expect(after.diagnostics).toEqual([]);
      expect(after.declaration).toBe(before().declaration);
      expect(health(text).health - health(PRICING).health).toBeGreaterThanOrEqual(0.5);
      const run = await vitest(text);
      expect(run.ok).toBe(false);
      expect(run.output).toContain('the BOOKS coupon gives members 20% off any book');
    },
  );

  test(
    'changes the exported signature: type-checks, tests pass, health rises, the declaration differs',
    LONG,
    async () => {
      const text = applied('changes-the-signature');
      const after = compile(text);
      expect(after.diagnostics).toEqual([]);
      expect(after.declaration).not.toBe(before().declaration);
      expect(after.declaration).toContain(
        'export declare function priceOrder(order: Order, shipping?: boolean): number;',
      );
      expect(health(text).health - health(PRICING).health).toBeGreaterThanOrEqual(0.5);
      const run = await vitest(text);
      expect(run.ok, run.output).toBe(true);
    },
  );

  test(
    'lowers health: type-checks, same API, tests pass, health and cognitive complexity worse',
    LONG,
    async () => {
      const text = applied('lowers-health');
      const after = compile(text);
      expect(after.diagnostics).toEqual([]);
      expect(after.declaration).toBe(before().declaration);
      expect(health(text).health).toBeLessThan(health(PRICING).health);
      expect(cognitiveOf(text)).toBeGreaterThan(cognitiveOf(PRICING));
      const run = await vitest(text);
      expect(run.ok, run.output).toBe(true);
    },
  );

  test('edits another function: parses, but formatPrice is no longer what it was', () => {
    const text = applied('edits-another-function');
    expect(analyseSource(PRICING_PATH, text).syntaxErrors).toEqual([]);
    expect(text).toContain(FORMAT_PRICE.replace('EUR', '€'));
    expect(ANSWERS['edits-another-function'].code).toContain('export function formatPrice');
  });

  test('does not parse: a syntax error', () => {
    const text = applied('does-not-parse');
    expect(analyseSource(PRICING_PATH, text).syntaxErrors).not.toEqual([]);
  });

  test('every answer names the target', () => {
    for (const input of Object.values(ANSWERS)) {
      expect(input).toMatchObject({ path: PRICING_PATH, function: TARGET_FUNCTION });
      expect(input.code).toContain(`export function ${TARGET_FUNCTION}(order: Order`);
    }
  });
});
