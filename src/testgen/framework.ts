import { posix } from 'node:path';
import type { ProjectView } from './project.ts';
import type { TestFramework } from './types.ts';

/**
 * Which test framework a module's tests are written in: what its test file imports, else what
 * the nearest package.json declares (its dependencies and its `test` script), else what most of
 * the project's tests import; node:test when nothing says (it needs no install).
 */

/** The framework a test file's imports name, or null when it imports none (jest's globals). */
export function frameworkOfTest(text: string): TestFramework | null {
  const imported = (name: string) =>
    new RegExp(String.raw`(?:from\s*|require\s*\(\s*|import\s*\(\s*)['"]${name}['"]`).test(text);
  if (imported('vitest') || imported('@fast-check/vitest')) return 'vitest';
  if (imported('@jest/globals') || imported('@fast-check/jest')) return 'jest';
  if (imported('node:test')) return 'node:test';
  return null;
}

interface PackageJson {
  dependencies?: unknown;
  devDependencies?: unknown;
  scripts?: unknown;
}

function readPackageJson(text: string | null): PackageJson | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as PackageJson)
      : null;
  } catch {
    // A package.json that does not parse declares nothing; the next one up may.
    return null;
  }
}

function hasKey(map: unknown, key: string): boolean {
  return typeof map === 'object' && map !== null && Object.prototype.hasOwnProperty.call(map, key);
}

/** The framework a package.json declares, or null when it names none. */
export function frameworkOfPackage(text: string | null): TestFramework | null {
  const pkg = readPackageJson(text);
  if (pkg === null) return null;
  const script =
    typeof pkg.scripts === 'object' && pkg.scripts !== null
      ? String((pkg.scripts as Record<string, unknown>)['test'] ?? '')
      : '';
  const depends = (name: string) =>
    hasKey(pkg.devDependencies, name) || hasKey(pkg.dependencies, name);
  const vitest = depends('vitest');
  const jest = depends('jest') || depends('@jest/globals') || depends('ts-jest');
  if (vitest && jest)
    return /\bjest\b/.test(script) && !/\bvitest\b/.test(script) ? 'jest' : 'vitest';
  if (vitest) return 'vitest';
  if (jest) return 'jest';
  if (/\bvitest\b/.test(script)) return 'vitest';
  if (/\bjest\b/.test(script)) return 'jest';
  if (/\bnode\b[^&|;]*--test\b/.test(script)) return 'node:test';
  return null;
}

/**
 * The framework `test-gen.test-command` runs (`npx vitest run`, `jest --ci`, `node --test`), or
 * null when it names none of them (`npm test`, `make check`).
 */
export function frameworkOfCommand(command: string | null): TestFramework | null {
  if (command === null) return null;
  if (/(?:^|[\s/])vitest(?:\s|$)/.test(command)) return 'vitest';
  if (/(?:^|[\s/])jest(?:\s|$)/.test(command)) return 'jest';
  if (/(?:^|[\s/])node\b[^&|;]*\s--test\b/.test(command)) return 'node:test';
  return null;
}

/** The package.json files from the module's folder up to the root, nearest first. */
export function packageJsonsAbove(modulePath: string): string[] {
  const out: string[] = [];
  let dir = posix.dirname(modulePath);
  for (;;) {
    out.push(dir === '.' ? 'package.json' : `${dir}/package.json`);
    if (dir === '.' || dir === '/' || dir === '') return out;
    dir = posix.dirname(dir);
  }
}

/** Most other test files read to count the frameworks they import. */
const MAX_SAMPLED_TESTS = 20;

export function detectFramework(
  modulePath: string,
  testText: string | null,
  tests: readonly string[],
  project: ProjectView,
): TestFramework {
  const own = testText === null ? null : frameworkOfTest(testText);
  if (own !== null) return own;
  for (const path of packageJsonsAbove(modulePath)) {
    const declared = frameworkOfPackage(project.read(path));
    if (declared !== null) return declared;
  }
  const counts = new Map<TestFramework, number>();
  for (const path of tests.slice(0, MAX_SAMPLED_TESTS)) {
    const text = project.read(path);
    const found = text === null ? null : frameworkOfTest(text);
    if (found !== null) counts.set(found, (counts.get(found) ?? 0) + 1);
  }
  let best: TestFramework = 'node:test';
  for (const framework of ['vitest', 'jest', 'node:test'] as const)
    if ((counts.get(framework) ?? 0) > (counts.get(best) ?? 0)) best = framework;
  return best;
}
