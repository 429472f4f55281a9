/**
 * The test generation e2e's project: unjs/ufo's query encoding (src/encoding.ts and its tests from
 * ufo 1.6.3, MIT licence, Copyright (c) Pooya Parsa, https://github.com/unjs/ufo), trimmed to the
 * query helpers, as a vitest project with two pull requests on it:
 *
 * - {@link SLASH_PR}, ufo's #198 "encode the slash character" in query values, written with a real
 *   bug: a string pattern (`.replace("/", "%2F")`) replaces the first slash only. No existing test
 *   has a slash in a query value, so the mutants on the new line survive.
 * - {@link QUERY_KEY_PR}, ufo's #150 "decode space in query keys" (decodeQueryKey, whose tests leave
 *   the `+` case out, so its `" "` mutant survives) plus a `normalizeQueryKey` that encodes, so
 *   applying it twice encodes twice: the offline mode's encode/decode pair and a normalize that is
 *   not idempotent.
 */

const CREDIT = `/**
 * Query encoding from unjs/ufo 1.6.3 (src/encoding.ts), MIT licence,
 * Copyright (c) Pooya Parsa <pooya@pi0.io>, https://github.com/unjs/ufo
 * Trimmed to the query helpers; QueryValue is ufo's, from src/query.ts.
 */

// Utils used from https://github.com/vuejs/vue-router-next/blob/master/src/encoding.ts (Author @posva)
`;

const HEAD_OF_MODULE = `${CREDIT}
export type QueryValue =
  | string
  | number
  | undefined
  | null
  | boolean
  | Array<QueryValue>
  | Record<string, any>;

const HASH_RE = /#/g; // %23
const AMPERSAND_RE = /&/g; // %26
const EQUAL_RE = /=/g; // %3D
const PLUS_RE = /\\+/g; // %2B

const ENC_CARET_RE = /%5e/gi; // ^
const ENC_BACKTICK_RE = /%60/gi; // \`
const ENC_PIPE_RE = /%7c/gi; // |
const ENC_SPACE_RE = /%20/gi;

/**
 * Encodes characters that need to be encoded in the path, search and hash
 * sections of the URL.
 */
export function encode(text: string | number): string {
  return encodeURI("" + text).replace(ENC_PIPE_RE, "|");
}
`;

const ENCODE_QUERY_VALUE = (extra: string) => `
/**
 * Encodes characters that need to be encoded for query values in the query
 * section of the URL.
 */
export function encodeQueryValue(input: QueryValue): string {
  return (
    encode(typeof input === "string" ? input : JSON.stringify(input))
      // Encodes the space as +, encode the + to differentiate it from the space
      .replace(PLUS_RE, "%2B")
      .replace(ENC_SPACE_RE, "+")
      .replace(HASH_RE, "%23")
      .replace(AMPERSAND_RE, "%26")
      .replace(ENC_BACKTICK_RE, "\`")
      .replace(ENC_CARET_RE, "^")${extra}
  );
}
`;

const ENCODE_QUERY_KEY = `
/**
 * Encodes characters that need to be encoded for query values in the query
 * section of the URL and also encodes the \`=\` character.
 */
export function encodeQueryKey(text: string | number): string {
  return encodeQueryValue(text).replace(EQUAL_RE, "%3D");
}
`;

const DECODE = `
/**
 * Decodes text using \`decodeURIComponent\`. Returns the original text if it
 * fails.
 */
export function decode(text: string | number = ""): string {
  try {
    return decodeURIComponent("" + text);
  } catch {
    return "" + text;
  }
}
`;

const DECODE_QUERY_KEY = `
/**
 * Decodes query key (consistent with \`encodeQueryKey\` for plus encoding).
 */
export function decodeQueryKey(text: string): string {
  return decode(text.replace(PLUS_RE, " "));
}
`;

/** Not ufo's: a normalize written the way double encoding happens (it encodes what it is given). */
const NORMALIZE_QUERY_KEY = `
/**
 * A query key as it is sent: trimmed and encoded.
 */
export function normalizeQueryKey(key: string): string {
  return encodeQueryKey(key.trim());
}
`;

const DECODE_QUERY_VALUE = `
/**
 * Decodes query value (consistent with \`encodeQueryValue\` for plus encoding).
 */
export function decodeQueryValue(text: string): string {
  return decode(text.replace(PLUS_RE, " "));
}
`;

const TEST_CREDIT = `// Tests from unjs/ufo 1.6.3 (test/encoding.test.ts), MIT licence,
// Copyright (c) Pooya Parsa <pooya@pi0.io>, https://github.com/unjs/ufo
`;

const ENCODE_QUERY_VALUE_TESTS = `
describe("encodeQueryValue", () => {
  const tests = [
    { input: "hello world", out: "hello+world" },
    { input: "hello+world", out: "hello%2Bworld" },
    { input: "key=value", out: "key=value" },
    { input: true, out: "true" },
    { input: 42, out: "42" },
    { input: "a=1&b=2", out: "a=1%26b=2" },
    {
      input: ["apple", "banana", "cherry"],
      out: "apple,banana,cherry",
    },
  ];

  for (const t of tests) {
    test(t.input.toString(), () => {
      expect(encodeQueryValue(t.input.toString())).toStrictEqual(t.out);
    });
  }
});

describe("encodeQueryKey", () => {
  const tests = [
    { input: "key", out: "key" },
    { input: "key=value", out: "key%3Dvalue" },
    { input: "123", out: "123" },
    { input: "=value", out: "%3Dvalue" },
  ];

  for (const t of tests) {
    test(t.input, () => {
      expect(encodeQueryKey(t.input)).toStrictEqual(t.out);
    });
  }
});
`;

const DECODE_QUERY_KEY_TESTS = `
describe("decodeQueryKey", () => {
  const tests = [
    { input: "key", out: "key" },
    { input: "key%3Dvalue", out: "key=value" },
    { input: "123", out: "123" },
    { input: "%3Dvalue", out: "=value" },
  ];

  for (const t of tests) {
    test(t.input, () => {
      expect(decodeQueryKey(t.input)).toStrictEqual(t.out);
    });
  }
});

describe("normalizeQueryKey", () => {
  test("trims and encodes", () => {
    expect(normalizeQueryKey(" a=b ")).toStrictEqual("a%3Db");
  });
});
`;

function testFile(names: string[], body: string): string {
  return `${TEST_CREDIT}import { describe, expect, test } from "vitest";
import { ${names.join(', ')} } from "../src/encoding.ts";
${body}`;
}

export const ENCODING_PATH = 'src/encoding.ts';
export const ENCODING_TEST_PATH = 'test/encoding.test.ts';

/** One pull request on the fixture: the files at its base and at its head. */
export interface FixturePullRequest {
  title: string;
  base: Record<string, string>;
  head: Record<string, string>;
}

/** The project's files besides the code: tsconfig for the type-check, prettier as ufo has it. */
export const PROJECT_FILES: Record<string, string> = {
  'package.json': JSON.stringify(
    {
      name: 'ufo-query-fixture',
      private: true,
      type: 'module',
      devDependencies: {
        vitest: '*',
        'fast-check': '*',
        '@fast-check/vitest': '*',
        '@stryker-mutator/core': '*',
      },
    },
    null,
    2,
  ),
  'tsconfig.json': JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        allowImportingTsExtensions: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['src', 'test'],
    },
    null,
    2,
  ),
  '.prettierrc': '{}\n',
  '.gitignore': 'node_modules\n.stryker-tmp\nreports\n.steward\n',
};

const SLASH_BASE_MODULE = [
  HEAD_OF_MODULE,
  ENCODE_QUERY_VALUE(''),
  ENCODE_QUERY_KEY,
  DECODE,
  DECODE_QUERY_KEY,
  DECODE_QUERY_VALUE,
].join('');

/** The new line of {@link SLASH_PR}: the bug is the string pattern, which replaces once. */
export const SLASH_LINE = '      .replace("/", "%2F")';

export const SLASH_PR: FixturePullRequest = {
  title: 'fix(encodeQueryValue): encode the slash character',
  base: {
    [ENCODING_PATH]: SLASH_BASE_MODULE,
    [ENCODING_TEST_PATH]: testFile(
      ['encodeQueryKey', 'encodeQueryValue'],
      ENCODE_QUERY_VALUE_TESTS,
    ),
  },
  head: {
    [ENCODING_PATH]: SLASH_BASE_MODULE.replace(
      ENCODE_QUERY_VALUE(''),
      ENCODE_QUERY_VALUE(`\n${SLASH_LINE}`),
    ),
  },
};

export const QUERY_KEY_PR: FixturePullRequest = {
  title: 'fix(parseQuery): decode space in query keys',
  base: {
    [ENCODING_PATH]: [
      HEAD_OF_MODULE,
      ENCODE_QUERY_VALUE(''),
      ENCODE_QUERY_KEY,
      DECODE,
      DECODE_QUERY_VALUE,
    ].join(''),
    [ENCODING_TEST_PATH]: testFile(
      ['encodeQueryKey', 'encodeQueryValue'],
      ENCODE_QUERY_VALUE_TESTS,
    ),
  },
  head: {
    [ENCODING_PATH]: [
      HEAD_OF_MODULE,
      ENCODE_QUERY_VALUE(''),
      ENCODE_QUERY_KEY,
      DECODE,
      DECODE_QUERY_KEY,
      NORMALIZE_QUERY_KEY,
      DECODE_QUERY_VALUE,
    ].join(''),
    [ENCODING_TEST_PATH]: testFile(
      ['decodeQueryKey', 'encodeQueryKey', 'encodeQueryValue', 'normalizeQueryKey'],
      ENCODE_QUERY_VALUE_TESTS + DECODE_QUERY_KEY_TESTS,
    ),
  },
};

/** 1-based line of `needle` in `text`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`${JSON.stringify(needle)} is not in the text`);
  return index + 1;
}
