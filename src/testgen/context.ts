import { posix } from 'node:path';
import { declarationsFor } from './declarations.ts';
import { detectFramework } from './framework.ts';
import {
  extensionOf,
  type ImportStyle,
  importPathFor,
  importStyleOf,
  listedOnly,
  newTestPath,
  type ProjectView,
  relativeSpecifiers,
  resolveSpecifier,
  stemOf,
  testFilesOf,
  testLayoutOf,
} from './project.ts';
import type { SourceText, TargetContext, TestTarget } from './types.ts';

/**
 * The context a candidate is written against (see TargetContext): the target's source, the
 * declarations it uses, the module's test file (or a nearby one, for style), where new tests go,
 * the framework and the specifier to import the module by. Everything the model sees is capped
 * in characters, and a capped text says so where it was cut.
 */

export interface ContextLimits {
  /** The target's own source. */
  sourceChars: number;
  /** All the declarations together. */
  declarationChars: number;
  /** The existing (or nearby) test file. */
  testChars: number;
}

export const CONTEXT_LIMITS: ContextLimits = {
  sourceChars: 16_000,
  declarationChars: 8_000,
  testChars: 16_000,
};

/** `text` cut to `max` characters, with a note of what was cut; unchanged when it fits. */
export function capText(text: string, max: number, what: string): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair: the model would see a broken character.
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}\n/* [Steward: ${what} capped at ${max} characters; ${text.length - cut} more left out] */`;
}

/** Lines `startLine..endLine` (1-based, inclusive) of a text. */
function linesOf(text: string, startLine: number, endLine: number): string {
  return text
    .split(/\r?\n/)
    .slice(Math.max(0, startLine - 1), Math.max(0, endLine))
    .join('\n');
}

/** Whether `test` is where the module's test would be under some layout (beside, `__tests__`, a mirror). */
function conventionalPlace(modulePath: string, test: string): boolean {
  const dir = posix.dirname(test);
  const moduleDir = posix.dirname(modulePath);
  if (dir === moduleDir) return true;
  if (dir === (moduleDir === '.' ? '__tests__' : `${moduleDir}/__tests__`)) return true;
  const [root = ''] = test.split('/');
  return [false, true].some(
    (keepsSourceRoot) =>
      posix.dirname(newTestPath(modulePath, { kind: 'mirror', root, keepsSourceRoot }, '.test')) ===
      dir,
  );
}

/**
 * The module's own test file: one named after it that imports it, else one named after it where
 * a layout would put it. Null when there is none.
 */
export function existingTestFor(
  modulePath: string,
  tests: readonly string[],
  project: ProjectView,
): string | null {
  const stem = stemOf(modulePath);
  const known = new Set(project.paths);
  const ranked: { path: string; rank: number }[] = [];
  for (const test of tests) {
    if (stemOf(test) !== stem) continue;
    const text = project.read(test);
    const imports =
      text !== null &&
      relativeSpecifiers(text).some(
        (specifier) => resolveSpecifier(test, specifier, (p) => known.has(p)) === modulePath,
      );
    if (imports) ranked.push({ path: test, rank: 0 });
    else if (conventionalPlace(modulePath, test)) ranked.push({ path: test, rank: 1 });
  }
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.path.length - b.path.length ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  return ranked[0]?.path ?? null;
}

function sharedFolders(a: string, b: string): number {
  const left = posix.dirname(a).split('/');
  const right = posix.dirname(b).split('/');
  let n = 0;
  while (n < left.length && n < right.length && left[n] === right[n]) n++;
  return n;
}

/** The test file nearest to `testPath` (most folders in common; same extension first). */
export function nearbyTest(testPath: string, tests: readonly string[]): string | null {
  const ext = extensionOf(testPath);
  let best: string | null = null;
  let bestScore = -1;
  for (const test of tests) {
    const score = sharedFolders(testPath, test) * 2 + (extensionOf(test) === ext ? 1 : 0);
    if (score > bestScore || (score === bestScore && best !== null && test < best)) {
      best = test;
      bestScore = score;
    }
  }
  return best;
}

/** Most test files read to learn how the project writes relative imports. */
const MAX_STYLE_SAMPLES = 20;

/**
 * How tests import modules when no test shows it: `.ts` when tsconfig lets imports name them,
 * `.js` in an ES module package (Node's ESM resolution needs an extension), else none.
 */
function defaultImportStyle(project: ProjectView): ImportStyle {
  const tsconfig = project.read('tsconfig.json') ?? '';
  if (/"(?:allowImportingTsExtensions|rewriteRelativeImportExtensions)"\s*:\s*true/.test(tsconfig))
    return 'source';
  const pkg = project.read('package.json') ?? '';
  return /"type"\s*:\s*"module"/.test(pkg) ? 'js' : 'none';
}

export function contextOf(
  target: TestTarget,
  view: ProjectView,
  limits: ContextLimits = CONTEXT_LIMITS,
): TargetContext {
  const project = listedOnly(view);
  const tests = testFilesOf(project);
  const existing = existingTestFor(target.path, tests, project);
  const { layout, suffix } = testLayoutOf(tests);
  const testPath = existing ?? newTestPath(target.path, layout, suffix);
  const stylePath = existing ?? nearbyTest(testPath, tests);
  const styleText = stylePath === null ? null : project.read(stylePath);
  // The test the model sees shows the style; other tests are read only when it shows none.
  const sampled = () =>
    tests
      .filter((test) => test !== stylePath)
      .slice(0, MAX_STYLE_SAMPLES)
      .map((test) => project.read(test) ?? '');
  const importStyle =
    importStyleOf(styleText === null ? [] : [styleText]) ??
    importStyleOf(sampled()) ??
    defaultImportStyle(project);
  const moduleText = project.read(target.path);
  const source =
    moduleText === null
      ? `/* [Steward: ${target.path} could not be read] */`
      : capText(
          linesOf(moduleText, target.startLine, target.endLine),
          limits.sourceChars,
          `${target.name} (${target.path} lines ${target.startLine}-${target.endLine})`,
        );
  const existingTest: SourceText | null =
    stylePath === null || styleText === null
      ? null
      : { path: stylePath, text: capText(styleText, limits.testChars, stylePath) };
  return {
    target,
    framework: detectFramework(target.path, styleText, tests, project),
    source,
    declarations: declarationsFor(target, project, { maxChars: limits.declarationChars }),
    existingTest,
    testPath,
    importPath: importPathFor(testPath, target.path, importStyle),
  };
}
