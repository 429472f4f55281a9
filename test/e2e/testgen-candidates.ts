import { ENCODING_PATH } from './testgen-fixture.ts';

/**
 * What the Anthropic fake answers `propose_tests` with for {@link SLASH_PR}'s encodeQueryValue:
 * one candidate of each kind the issue names, as the model sends them (name, code, imports,
 * target, kind), each written to land at one stage of the filter chain.
 */

export interface ProposedTest {
  name: string;
  code: string;
  imports: string[];
  target: string;
  kind: 'example' | 'property';
}

const TARGET = 'encodeQueryValue';
const IMPORT_PATH = `../${ENCODING_PATH}`;
const IMPORT_TARGET = `import { encodeQueryValue } from '${IMPORT_PATH}';`;
const IMPORT_VITEST = "import { expect, test } from 'vitest';";

function example(name: string, body: string, imports: string[] = []): ProposedTest {
  return {
    name,
    code: `test('${name}', () => {\n${body}\n});`,
    imports: [IMPORT_VITEST, IMPORT_TARGET, ...imports],
    target: TARGET,
    kind: 'example',
  };
}

/** Does not compile: a string has no `size`. */
export const DOES_NOT_COMPILE = example(
  'counts the encoded characters',
  "  expect(encodeQueryValue('a b').size).toBe(3);",
);

/** Compiles, and fails on something other than an assertion (JSON.parse throws a SyntaxError). */
export const FAILS = example(
  'encodes a JSON value',
  "  expect(encodeQueryValue(JSON.parse('{a: 1}'))).toBe('%7Ba:1%7D');",
);

/**
 * Flaky, by a count kept outside the project: passes on the 1st, 3rd, … process that runs it and
 * fails on the 2nd, 4th, …. The chain's first run passes it and its first rerun fails it, on
 * every generation, so the funnel is exact. `counter` is a fresh file per scenario.
 */
export function flaky(counter: string): ProposedTest {
  return example(
    'encodes the same value every time',
    [
      `  const counter = ${JSON.stringify(counter)};`,
      "  const runs = existsSync(counter) ? Number(readFileSync(counter, 'utf8')) + 1 : 1;",
      '  writeFileSync(counter, String(runs));',
      '  expect(runs % 2).toBe(1);',
      "  expect(encodeQueryValue('a b')).toBe('a+b');",
    ].join('\n'),
    ["import { existsSync, readFileSync, writeFileSync } from 'node:fs';"],
  );
}

/** Passes, and asserts nothing: it kills no mutant. */
export const ASSERTS_NOTHING = example('encodes a query value', "  encodeQueryValue('a/b c');");

/** Kills the surviving `"%2F"` → `""` and `"/"` → `""` mutants of the new line. */
export const KILLS_THE_SURVIVOR = example(
  'encodes a slash as %2F',
  "  expect(encodeQueryValue('a/b')).toBe('a%2Fb');",
);

/** Exposes the pull request's bug: a string pattern replaces the first slash only. */
export const EXPOSES_THE_BUG = example(
  'encodes every slash',
  "  expect(encodeQueryValue('a/b/c')).toBe('a%2Fb%2Fc');",
);

/** The failing assertion the bug's test reports. */
export const BUG_ASSERTION = "AssertionError: expected 'a%2Fb/c' to be 'a%2Fb%2Fc'";

export function sixCandidates(counter: string): ProposedTest[] {
  return [
    DOES_NOT_COMPILE,
    FAILS,
    flaky(counter),
    ASSERTS_NOTHING,
    KILLS_THE_SURVIVOR,
    EXPOSES_THE_BUG,
  ];
}
