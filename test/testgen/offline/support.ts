import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import * as fc from 'fast-check';
import ts from 'typescript';
import { expect } from 'vitest';
import type { TestCandidate, TestTarget } from '../../../src/testgen/types.ts';

/**
 * Helpers the offline generator's tests share: a target, a type-checker for generated source
 * against the real fast-check, vitest and node types (virtual files, nothing written), and a tiny
 * evaluator that runs generated properties in-process against a fixture module.
 */

export function target(name: string, overrides: Partial<TestTarget> = {}): TestTarget {
  return {
    path: 'src/text.ts',
    name,
    startLine: 1,
    endLine: 1,
    exported: true,
    changedLines: [],
    uncoveredLines: [],
    survivingMutants: [],
    ...overrides,
  };
}

/** Virtual files live inside the repository, so `fast-check` resolves from its node_modules. */
const VIRTUAL_ROOT = join(import.meta.dirname, '__virtual__');

/** Globals a jest project's tests see (`it`, `expect`), typed from vitest's. */
const JEST_GLOBALS = `declare const it: (name: string, fn: () => unknown) => void;
declare const expect: typeof import('vitest').expect;
`;

/**
 * Type-checks virtual files (name → text) under strict settings like a careful project's, and
 * returns the errors as `file:line: message`.
 */
export function typeCheck(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noImplicitReturns: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    lib: ['lib.es2023.d.ts'],
  };
  const virtual = new Map<string, string>(
    Object.entries({ ...files, 'jest-globals.d.ts': JEST_GLOBALS }).map(([name, text]) => [
      join(VIRTUAL_ROOT, name),
      text,
    ]),
  );
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.directoryExists = (name) =>
    name === VIRTUAL_ROOT || (directoryExists?.call(host, name) ?? true);
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, version, onError) => {
    const text = virtual.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, version, onError)
      : ts.createSourceFile(name, text, version);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${d.file.fileName.slice(VIRTUAL_ROOT.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : 'program';
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

const toCommonJs = (text: string): string =>
  ts.transpileModule(text, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  }).outputText;

type Registered = { name: string; run: () => unknown };

function evaluate(
  text: string,
  modules: Record<string, unknown>,
  register: (name: string, fn: () => unknown) => void,
): Record<string, unknown> {
  const exports: Record<string, unknown> = {};
  const require = (specifier: string): unknown => {
    if (!(specifier in modules)) throw new Error(`the evaluator has no module ${specifier}`);
    return modules[specifier];
  };
  const wrapper = runInThisContext(
    `(function (exports, require, it, expect) {${toCommonJs(text)}\n})`,
  ) as (...args: unknown[]) => void;
  wrapper(exports, require, register, expect);
  return exports;
}

const isAsync = (fn: unknown): boolean =>
  typeof fn === 'function' && fn.constructor.name === 'AsyncFunction';

/**
 * Runs candidates in-process against a fixture module (TypeScript source): each candidate's
 * imports and code are transpiled and evaluated with real fast-check, vitest's `expect` and
 * node's assert; `@fast-check/vitest`'s `test.prop` is its documented meaning, `fc.assert` of a
 * property over the arbitraries with the given parameters. Resolves to title → error or null.
 */
export async function runCandidates(
  fixture: string,
  importPath: string,
  candidates: readonly TestCandidate[],
): Promise<Map<string, Error | null>> {
  const registered: Registered[] = [];
  const register = (name: string, run: () => unknown): void => {
    registered.push({ name, run });
  };
  const prop =
    (arbitraries: fc.Arbitrary<unknown>[], parameters: fc.Parameters<unknown[]>) =>
    (name: string, body: (...args: unknown[]) => unknown) =>
      register(name, () =>
        isAsync(body)
          ? fc.assert(
              fc.asyncProperty(fc.tuple(...arbitraries), async (args) => {
                await body(...args);
              }),
              parameters,
            )
          : fc.assert(
              fc.property(fc.tuple(...arbitraries), (args) => {
                body(...args);
              }),
              parameters,
            ),
      );
  const modules: Record<string, unknown> = {
    'fast-check': fc,
    '@fast-check/vitest': { fc, test: { prop } },
    vitest: { expect, it: register },
    'node:test': { it: register },
    'node:assert/strict': assert,
  };
  modules[importPath] = evaluate(fixture, modules, register);
  for (const candidate of candidates)
    evaluate([...candidate.imports, candidate.code].join('\n'), modules, register);
  const results = new Map<string, Error | null>();
  for (const test of registered) {
    try {
      await test.run();
      results.set(test.name, null);
    } catch (error: unknown) {
      results.set(test.name, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return results;
}
