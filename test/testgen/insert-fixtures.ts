import type { InsertRequest } from '../../src/testgen/insert.ts';
import type { TestCandidate, TestFramework, TestTarget } from '../../src/testgen/types.ts';

export const TARGET: TestTarget = {
  path: 'src/args.ts',
  name: 'parseOptions',
  startLine: 3,
  endLine: 20,
  exported: true,
  changedLines: [5],
  uncoveredLines: [],
  survivingMutants: [],
};

export function candidate(
  name: string,
  code: string,
  imports: string[] = [],
  kind: TestCandidate['kind'] = 'example',
): TestCandidate {
  return { name, code, imports, target: TARGET.name, kind, origin: 'model' };
}

export function request(
  text: string | null,
  candidates: TestCandidate[],
  framework: TestFramework = 'vitest',
  testPath = 'test/args.test.ts',
): InsertRequest {
  return {
    testFile: text === null ? null : { path: testPath, text },
    testPath,
    framework,
    target: TARGET,
    importPath: '../src/args.ts',
    candidates,
  };
}

/** A vitest file as people write them: a licence header, comments everywhere, a helper. */
export const VITEST_FILE = `// SPDX-License-Identifier: MIT
/* Tests for the argument parser. */
import { describe, it, expect } from 'vitest';
import { parseOptions } from '../src/args.ts';

const argv = (line: string): string[] => line.split(' '); // split like a shell would, roughly

/** The flags. */
describe('parseOptions', () => {
  // the happy path
  it('reads --verbose', () => {
    expect(parseOptions(argv('--verbose'))).toEqual({ verbose: true }); // keep
  });

  it('reads nothing', () => {
    expect(parseOptions([])).toEqual({});
  });
});

describe('other things', () => {
  it('is here', () => {
    expect(1).toBe(1);
  });
});
// trailing comment
`;
