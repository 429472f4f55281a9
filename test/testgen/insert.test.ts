import { describe, expect, it } from 'vitest';
import { insertTests, locateTests, removeTests } from '../../src/testgen/insert.ts';
import type { TestFramework } from '../../src/testgen/types.ts';
import { VITEST_FILE, candidate, request } from './insert-fixtures.ts';

const SIMPLE = candidate(
  'reads -v as verbose',
  `it('reads -v as verbose', () => {\n  expect(parseOptions(['-v'])).toEqual({ verbose: true });\n});`,
);

/** Where a test goes in VITEST_FILE: the start of the line holding the describe's `});`. */
const END_OF_FIRST_DESCRIBE = VITEST_FILE.indexOf('});\n\ndescribe(');

describe('insertTests into an existing vitest file', () => {
  it('puts the test at the end of the describe for the target, the rest byte for byte', () => {
    const result = insertTests(request(VITEST_FILE, [SIMPLE]));
    expect(result.rejected).toEqual([]);
    const text = result.file.text;
    expect(text.startsWith(VITEST_FILE.slice(0, END_OF_FIRST_DESCRIBE))).toBe(true);
    expect(text.endsWith(VITEST_FILE.slice(END_OF_FIRST_DESCRIBE))).toBe(true);
    expect(
      text.slice(END_OF_FIRST_DESCRIBE, text.length - (VITEST_FILE.length - END_OF_FIRST_DESCRIBE)),
    ).toBe(
      `\n  it('reads -v as verbose', () => {\n    expect(parseOptions(['-v'])).toEqual({ verbose: true });\n  });\n`,
    );
    expect(result.placed).toEqual([
      { name: 'reads -v as verbose', line: 19, candidate: 0, describe: ['parseOptions'] },
    ]);
    expect(text.split('\n')[18]).toBe("  it('reads -v as verbose', () => {");
    expect(result.file.path).toBe('test/args.test.ts');
  });

  it('is deterministic', () => {
    const candidates = [
      SIMPLE,
      candidate('b', `it('b', () => { expect(formatOptions({})).toBe('') })`, [
        "import { formatOptions } from '../src/args.ts';",
      ]),
    ];
    expect(insertTests(request(VITEST_FILE, candidates))).toEqual(
      insertTests(request(VITEST_FILE, candidates)),
    );
  });

  it('makes names unique within the describe with a suffix', () => {
    const same = (n: number) =>
      candidate(
        'reads nothing',
        `it('whatever the model titled it ${n}', () => { expect(parseOptions([])).toEqual({}) })`,
      );
    const result = insertTests(request(VITEST_FILE, [same(1), same(2)]));
    expect(result.placed.map((p) => p.name)).toEqual(['reads nothing (2)', 'reads nothing (3)']);
    expect(result.file.text).toContain("it('reads nothing (2)', () => {");
    expect(result.file.text).toContain("it('reads nothing (3)', () => {");
    expect(result.file.text).not.toContain('whatever the model titled it');
  });

  it('keeps unicode names as they are and escapes quotes', () => {
    const name = "gère l'option « -é » ✓ 🚀";
    const result = insertTests(
      request(VITEST_FILE, [
        candidate(name, `it("x", () => { expect(parseOptions(['-é'])).toEqual({}) })`),
      ]),
    );
    expect(result.rejected).toEqual([]);
    expect(result.placed[0]!.name).toBe(name);
    expect(result.file.text).toContain("it('gère l\\'option « -é » ✓ 🚀', () => {");
  });

  it('leaves a multi-line template literal in the test exactly as written', () => {
    const code =
      "it('t', () => {\n        const input = `--a\n  --b\n\t--c`;\n        expect(parseOptions(input.split('\\n'))).toBeDefined();\n})";
    const text = insertTests(request(VITEST_FILE, [candidate('t', code)])).file.text;
    expect(text).toContain('    const input = `--a\n  --b\n\t--c`;\n    expect(');
  });

  it('follows the file’s quotes, semicolons, indentation and line endings', () => {
    const file = [
      'import { describe, it, expect } from "vitest"',
      'import { parseOptions } from "../src/args.ts"',
      '',
      'describe("parseOptions", () => {',
      '    it("works", () => {',
      '        expect(parseOptions([])).toEqual({})',
      '    })',
      '})',
      '',
    ].join('\r\n');
    const result = insertTests(
      request(file, [
        candidate(
          'new one',
          "it('new one', () => {\n  expect(parseOptions(['-v'])).toEqual({ verbose: true });\n});",
        ),
      ]),
    );
    expect(result.file.text).toBe(
      file.replace(
        '    })\r\n})',
        '    })\r\n\r\n    it("new one", () => {\r\n        expect(parseOptions([\'-v\'])).toEqual({ verbose: true })\r\n    })\r\n})',
      ),
    );
  });

  it('uses tabs in a file indented with tabs', () => {
    const file =
      "import { describe, it, expect } from 'vitest';\n\ndescribe('parseOptions', () => {\n\tit('a', () => {\n\t\texpect(1).toBe(1);\n\t});\n});\n";
    const text = insertTests(request(file, [SIMPLE])).file.text;
    expect(text).toContain("\n\n\tit('reads -v as verbose', () => {\n\t\texpect(parseOptions");
  });
});

describe('the describe a test goes in', () => {
  it('is made at the end of the file when none is for the target, after its last comment', () => {
    const file =
      "import { it, expect } from 'vitest';\n\nit('top', () => {\n  expect(1).toBe(1);\n});\n// end\n";
    const result = insertTests(request(file, [SIMPLE]));
    expect(result.file.text).toBe(
      "import { it, expect, describe } from 'vitest';\nimport { parseOptions } from '../src/args.ts';\n\nit('top', () => {\n  expect(1).toBe(1);\n});\n// end\n\n" +
        "describe('parseOptions', () => {\n  it('reads -v as verbose', () => {\n    expect(parseOptions(['-v'])).toEqual({ verbose: true });\n  });\n});\n",
    );
  });

  it('is the module’s when no describe has the target’s name, the deepest named one otherwise', () => {
    const byModule =
      "import { describe, it } from 'vitest';\n\ndescribe('args', () => {\n  it('a', () => {});\n});\n\ndescribe('zzz', () => {});\n";
    const a = insertTests(request(byModule, [SIMPLE])).file.text;
    expect(a.indexOf('reads -v')).toBeLessThan(a.indexOf("describe('zzz'"));
    const nested =
      "import { describe, it } from 'vitest';\n\ndescribe('args', () => {\n  describe('parseOptions', () => {\n    it('a', () => {});\n  });\n\n  it('b', () => {});\n});\n";
    const placedNested = insertTests(request(nested, [SIMPLE]));
    expect(placedNested.placed[0]!.describe).toEqual(['args', 'parseOptions']);
    const b = placedNested.file.text;
    expect(b).toContain("    it('a', () => {});\n\n    it('reads -v as verbose', () => {\n");
  });

  it('fills an empty describe on one line', () => {
    const file =
      "import { describe, it, expect } from 'vitest';\nimport { parseOptions } from '../src/args.ts';\n\ndescribe('parseOptions', () => {});\n";
    expect(insertTests(request(file, [SIMPLE])).file.text).toBe(
      "import { describe, it, expect } from 'vitest';\nimport { parseOptions } from '../src/args.ts';\n\ndescribe('parseOptions', () => {\n  it('reads -v as verbose', () => {\n    expect(parseOptions(['-v'])).toEqual({ verbose: true });\n  });\n});\n",
    );
  });
});

describe('a new test file', () => {
  const test = candidate('a', "test('a', () => {\n  expect(parseOptions([])).toEqual({});\n});");

  it('vitest: imports from vitest, the target from its module', () => {
    const result = insertTests(request(null, [test]));
    expect(result.file.text).toBe(
      "import { describe, test, expect } from 'vitest';\nimport { parseOptions } from '../src/args.ts';\n\ndescribe('parseOptions', () => {\n  test('a', () => {\n    expect(parseOptions([])).toEqual({});\n  });\n});\n",
    );
    expect(result.placed).toEqual([
      { name: 'a', line: 5, candidate: 0, describe: ['parseOptions'] },
    ]);
  });

  it('jest: its globals, no framework import', () => {
    const result = insertTests(request(null, [test], 'jest'));
    expect(result.file.text).toBe(
      "import { parseOptions } from '../src/args.ts';\n\ndescribe('parseOptions', () => {\n  test('a', () => {\n    expect(parseOptions([])).toEqual({});\n  });\n});\n",
    );
  });

  it('jest with @jest/globals in the file: merged there', () => {
    const file =
      "import { describe, expect } from '@jest/globals';\n\ndescribe('parseOptions', () => {\n});\n";
    expect(insertTests(request(file, [test], 'jest')).file.text).toContain(
      "import { describe, expect, test } from '@jest/globals';",
    );
  });

  it('node:test: node:test and node:assert/strict', () => {
    const result = insertTests(
      request(
        null,
        [candidate('a', "it('a', () => {\n  assert.deepEqual(parseOptions([]), {});\n});")],
        'node:test',
        'test/args.test.mjs',
      ),
    );
    expect(result.file.text).toBe(
      "import { describe, it } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { parseOptions } from '../src/args.ts';\n\ndescribe('parseOptions', () => {\n  it('a', () => {\n    assert.deepEqual(parseOptions([]), {});\n  });\n});\n",
    );
    expect(result.file.path).toBe('test/args.test.mjs');
  });

  it('no test placed: an empty text', () => {
    const result = insertTests(request(null, [candidate('x', 'process.exit(1)')]));
    expect(result.file.text).toBe('');
    expect(result.placed).toEqual([]);
  });
});

describe('imports merged without duplicates', () => {
  const withImports = (
    imports: string[],
    code = "it('x', () => { expect(formatOptions).toBeDefined() })",
  ) => insertTests(request(VITEST_FILE, [candidate('x', code, imports)]));

  it('unites named imports of one module, whatever its spelling', () => {
    for (const spelling of [
      '../src/args.ts',
      '../src/args.js',
      '../src/args',
      './../src/args.ts',
    ]) {
      const result = withImports([`import { formatOptions, parseOptions } from '${spelling}';`]);
      expect(result.rejected).toEqual([]);
      expect(result.file.text).toContain(
        "import { parseOptions, formatOptions } from '../src/args.ts';\n",
      );
      expect(result.file.text.match(/from '\.\.\/src\/args/g)).toHaveLength(1);
    }
  });

  it('adds nothing already imported, and no framework name twice', () => {
    const result = withImports(
      ["import { parseOptions } from '../src/args.ts';", "import { it, expect } from 'vitest';"],
      "it('x', () => { expect(parseOptions([])).toEqual({}) })",
    );
    expect(result.file.text.slice(0, VITEST_FILE.indexOf('\nconst argv'))).toBe(
      VITEST_FILE.slice(0, VITEST_FILE.indexOf('\nconst argv')),
    );
  });

  it('keeps type-only imports type-only', () => {
    const result = withImports(
      ["import type { Options } from '../src/args.ts';"],
      "it('x', () => { const o: Options = parseOptions([]); expect(o).toEqual({}) })",
    );
    expect(result.file.text).toContain(
      "import { parseOptions, type Options } from '../src/args.ts';",
    );
    const typeFile =
      "import type { Flags } from '../src/flags.ts';\nimport { describe, it } from 'vitest';\n\ndescribe('parseOptions', () => {});\n";
    const merged = insertTests(
      request(typeFile, [
        candidate('x', "it('x', () => {})", ["import type { Flag } from '../src/flags.ts';"]),
      ]),
    ).file.text;
    expect(merged).toContain("import type { Flags, Flag } from '../src/flags.ts';");
  });

  it('makes a type-only import a value import when the test needs the value', () => {
    const file =
      "import { describe, it } from 'vitest';\nimport { type Flags, parseOptions } from '../src/args.ts';\n\ndescribe('parseOptions', () => {});\n";
    const text = insertTests(
      request(file, [
        candidate('x', "it('x', () => { Flags.parse() })", [
          "import { Flags } from '../src/args.ts';",
        ]),
      ]),
    ).file.text;
    expect(text).toContain("import { Flags, parseOptions } from '../src/args.ts';");
  });

  it('keeps default and namespace imports, beside named ones', () => {
    const result = withImports([
      "import fc from 'fast-check';",
      "import * as path from 'node:path';",
      "import args from '../src/args.ts';",
    ]);
    expect(result.rejected).toEqual([]);
    expect(result.file.text).toContain("import args, { parseOptions } from '../src/args.ts';");
    expect(result.file.text).toContain(
      "import fc from 'fast-check';\nimport * as path from 'node:path';\n",
    );
  });

  it('adds named imports beside a default one, never beside a type-only default', () => {
    const file =
      "import { describe, it } from 'vitest';\nimport yargs from 'yargs';\nimport type Flags from '../src/flags.ts';\n\ndescribe('parseOptions', () => {});\n";
    const text = insertTests(
      request(file, [
        candidate('x', "it('x', () => { const f: Flag = hideBin([]) as Flag })", [
          "import { hideBin } from 'yargs';",
          "import type { Flag } from '../src/flags.ts';",
        ]),
      ]),
    ).file.text;
    expect(text).toContain("import yargs, { hideBin } from 'yargs';\n");
    expect(text).toContain(
      "import type Flags from '../src/flags.ts';\nimport type { Flag } from '../src/flags.ts';\n",
    );
  });

  it('rejects an import whose local name is bound to something else, with the reason', () => {
    const alias = withImports(["import { formatOptions as parseOptions } from '../src/args.ts';"]);
    expect(alias.placed).toEqual([]);
    expect(alias.rejected[0]!.reason).toBe(
      "import { formatOptions as parseOptions } from '../src/args.ts' clashes with import { parseOptions } from '../src/args.ts' in the test file",
    );
    expect(alias.file.text).toBe(VITEST_FILE);
    const local = withImports(["import { argv } from 'node:process';"]);
    expect(local.rejected[0]!.reason).toMatch(/clashes with argv, declared in the test file/);
    const other = withImports(["import { expect } from 'chai';"]);
    expect(other.rejected[0]!.reason).toMatch(/clashes with import \{ expect \} from 'vitest'/);
  });

  it('an alias of a name already imported is a new binding, not a clash', () => {
    const result = withImports(
      ["import { parseOptions as parse } from '../src/args.ts';"],
      "it('x', () => { expect(parse([])).toEqual({}) })",
    );
    expect(result.file.text).toContain(
      "import { parseOptions, parseOptions as parse } from '../src/args.ts';",
    );
  });

  it('rejects a name a describe around the test declares (it would shadow the import)', () => {
    const file =
      "import { describe, it } from 'vitest';\n\ndescribe('parseOptions', () => {\n  const fixture = 1;\n  it('a', () => {});\n});\n";
    const result = insertTests(
      request(file, [
        candidate('x', "it('x', () => { fixture() })", ["import { fixture } from './fixture.ts';"]),
      ]),
    );
    expect(result.rejected[0]!.reason).toMatch(/clashes with fixture, declared in the test file/);
  });

  it('merges into a multi-line import with a trailing comma', () => {
    const file =
      "import {\n  describe,\n  it,\n} from 'vitest';\n\ndescribe('parseOptions', () => {});\n";
    const text = insertTests(
      request(file, [candidate('x', "it('x', () => { expect(1).toBe(1) })")]),
    ).file.text;
    expect(text.startsWith("import {\n  describe,\n  it,\n  expect,\n} from 'vitest';\n")).toBe(
      true,
    );
  });

  it('property tests get it/test from @fast-check/vitest', () => {
    const file =
      "import { describe, expect } from 'vitest';\n\ndescribe('parseOptions', () => {});\n";
    const code =
      "test.prop([fc.string()])('never throws', (s) => { expect(() => parseOptions([s])).not.toThrow() })";
    const result = insertTests(
      request(file, [
        candidate('never throws', code, ["import { fc } from '@fast-check/vitest';"], 'property'),
      ]),
    );
    expect(result.rejected).toEqual([]);
    expect(result.file.text).toContain("import { test, fc } from '@fast-check/vitest';");
    const bound = insertTests(
      request(VITEST_FILE.replace('{ describe, it, expect }', '{ describe, it, test, expect }'), [
        candidate('p', code, ["import { fc } from '@fast-check/vitest';"]),
      ]),
    );
    expect(bound.rejected[0]!.reason).toMatch(/test in the test file is not fast-check's/);
  });
});

describe('hostile candidates', () => {
  const rejectedFor = (
    code: string,
    imports: string[] = [],
    framework: TestFramework = 'vitest',
  ) => {
    const result = insertTests(request(VITEST_FILE, [candidate('evil', code, imports)], framework));
    expect(result.placed).toEqual([]);
    expect(result.file.text).toBe(VITEST_FILE);
    return result.rejected[0]!.reason;
  };

  it('rejects a second statement', () => {
    expect(rejectedFor("it('a', () => {});\nprocess.exit(1);")).toMatch(/holds 2 statements/);
    expect(rejectedFor("import { x } from 'y';\nit('a', () => {});")).toMatch(
      /put import declarations in imports/,
    );
  });

  it('rejects code that closes the describe and opens code at the top level', () => {
    expect(rejectedFor("it('a', () => {});\n});\nprocess.exit(1);\ndescribe('b', () => {")).toMatch(
      /does not parse/,
    );
    expect(rejectedFor("it('a', () => {\n})})\nprocess.exit(1)\n;((() => {")).toMatch(
      /does not parse/,
    );
  });

  it('rejects anything but a test call', () => {
    expect(rejectedFor('process.exit(1)')).toMatch(/calls process\.exit/);
    expect(rejectedFor("describe('x', () => { it('a', () => {}) })")).toMatch(/calls describe/);
    expect(rejectedFor("it.skip('a', () => {})")).toMatch(/calls it\.skip/);
    expect(rejectedFor('const x = 1')).toMatch(/not an it\(\.\.\.\) or test/);
    expect(rejectedFor("it('a')")).toMatch(/must be \(title, function\)/);
    expect(rejectedFor("it('a', () => {}, () => {})")).toMatch(/must be \(title, function\)/);
  });

  it('rejects code that runs when the file loads, outside the test’s body', () => {
    expect(rejectedFor("it('a', () => {}, (import('node:child_process'), 5))")).toMatch(/must be/);
    expect(rejectedFor('it(String(process.exit(1)), () => {})')).toMatch(
      /title is not a string literal/,
    );
    expect(rejectedFor("test.prop([import('x')])('a', () => {})")).toMatch(
      /import\(\) outside the test's body/,
    );
    expect(rejectedFor("test.prop([fc.constant(process.exit(1))])('a', () => {})")).toMatch(
      /process used outside/,
    );
    expect(rejectedFor("it('a', { timeout: process.exitCode }, () => {})")).toMatch(/must be/);
  });

  it('accepts import() inside the test’s body', () => {
    const result = insertTests(
      request(VITEST_FILE, [
        candidate(
          'dyn',
          "it('dyn', async () => { const m = await import('../src/args.ts'); expect(m).toBeDefined() })",
        ),
      ]),
    );
    expect(result.rejected).toEqual([]);
  });

  it('rejects module mocks the runner hoists, and .only', () => {
    expect(rejectedFor("it('a', () => { vi.mock('../src/args.ts') })")).toMatch(
      /vi\.mock, which the runner hoists/,
    );
    expect(rejectedFor("it('a', () => { jest.mock('fs') })", [], 'jest')).toMatch(/jest\.mock/);
    expect(rejectedFor("it('a', () => { it.only('b', () => {}) })")).toMatch(/it\.only/);
  });

  it('rejects imports that are not only binding import declarations', () => {
    expect(rejectedFor("it('a', () => {})", ["import './setup.ts';"])).toMatch(
      /side-effect import/,
    );
    expect(rejectedFor("it('a', () => {})", ["import { a } from 'a'; process.exit(1);"])).toMatch(
      /not only import declarations/,
    );
    expect(rejectedFor("it('a', () => {})", ["import { a } from 'a'; });"])).toMatch(
      /does not parse/,
    );
    expect(
      rejectedFor("it('a', () => {})", ["import { a } from 'a'", "import { b as a } from 'a'"]),
    ).toMatch(/bind a twice/);
  });

  it('rejects names with line breaks or control characters', () => {
    const result = insertTests(
      request(VITEST_FILE, [
        candidate('a\nb', "it('a', () => {})"),
        candidate('', "it('a', () => {})"),
        candidate('a\u2028b', "it('a', () => {})"),
        candidate('half \ud83d', "it('a', () => {})"),
      ]),
    );
    expect(result.rejected.map((r) => r.reason)).toEqual([
      'its name holds a control character or line break',
      'its name is empty',
      'its name holds a control character or line break',
      'its name holds a lone UTF-16 surrogate',
    ]);
  });

  it('a test file that does not parse is not edited', () => {
    const broken = `${VITEST_FILE}\n}}}`;
    const result = insertTests(request(broken, [SIMPLE]));
    expect(result.file.text).toBe(broken);
    expect(result.rejected[0]!.reason).toMatch(
      /does not parse \(line 27: .*\): Steward does not edit a file/,
    );
  });

  it('a shebang in the code is not carried into the describe', () => {
    const result = insertTests(
      request(VITEST_FILE, [candidate('s', "#!/usr/bin/env node\nit('s', () => {})")]),
    );
    expect(result.rejected).toEqual([]);
    expect(result.file.text).not.toContain('#!');
  });
});

describe('removeTests', () => {
  const three = [
    candidate('one', "it('one', () => { expect(formatOptions({})).toBe('') })", [
      "import { formatOptions } from '../src/args.ts';",
    ]),
    candidate('two', "it('two', () => { assertShape(parseOptions([])) })", [
      "import { assertShape } from './support/shape.ts';",
    ]),
    candidate('three', "it('three', () => { expect(path.sep).toBe('/') })", [
      "import * as path from 'node:path';",
    ]),
  ];

  it('insert three, remove two: the file is what inserting the kept one alone makes', () => {
    const all = insertTests(request(VITEST_FILE, three));
    expect(all.placed).toHaveLength(3);
    const kept = removeTests(all, ['one', 'three']);
    expect(kept.file).toEqual(insertTests(request(VITEST_FILE, [three[1]!])).file);
    expect(kept.file.text).not.toContain('formatOptions');
    expect(kept.file.text).not.toContain('node:path');
    expect(kept.file.text).toContain("import { assertShape } from './support/shape.ts';");
  });

  it('remove all: the original file, and an empty text for a new one', () => {
    const all = insertTests(request(VITEST_FILE, three));
    expect(removeTests(all, ['one', 'two', 'three']).file.text).toBe(VITEST_FILE);
    const fresh = insertTests(request(null, three));
    expect(removeTests(fresh, ['one', 'two', 'three']).file.text).toBe('');
  });

  it('keeps the name a test was placed under', () => {
    const all = insertTests(
      request(VITEST_FILE, [candidate('reads nothing', "it('x', () => {})"), SIMPLE]),
    );
    const kept = removeTests(all, ['reads -v as verbose']);
    expect(kept.placed.map((p) => p.name)).toEqual(['reads nothing (2)']);
  });
});

describe('jest files', () => {
  const JEST_FILE = [
    "'use strict';",
    '',
    "const { parseOptions } = require('../src/args');",
    '',
    '// jest globals: no import of describe or test',
    "describe('parseOptions', () => {",
    "  test('reads flags', () => {",
    "    expect(parseOptions(['-v'])).toEqual({ verbose: true });",
    '  });',
    '});',
    '',
  ].join('\n');
  const jest = (c: ReturnType<typeof candidate>) =>
    insertTests(request(JEST_FILE, [c], 'jest', 'test/args.test.js'));

  it('puts a test needing no import into a CommonJS file, on jest’s globals', () => {
    const result = jest(
      candidate('empty', "test('empty', () => {\n  expect(parseOptions([])).toEqual({});\n});"),
    );
    expect(result.rejected).toEqual([]);
    expect(result.file.text).toBe(
      JEST_FILE.replace(
        '  });\n});',
        "  });\n\n  test('empty', () => {\n    expect(parseOptions([])).toEqual({});\n  });\n});",
      ),
    );
  });

  it('rejects a test that needs an import in a CommonJS file, saying why', () => {
    const result = jest(
      candidate('fmt', "test('fmt', () => { expect(formatOptions({})).toBe('') })", [
        "import { formatOptions } from '../src/args';",
      ]),
    );
    expect(result.file.text).toBe(JEST_FILE);
    expect(result.rejected[0]!.reason).toMatch(
      /the test file is CommonJS \(it loads modules with require\(\)\)/,
    );
  });
});

describe('what a candidate may not hold', () => {
  it('rejects comments that silence the type-check', () => {
    for (const silencer of ['// @ts-ignore', '// @ts-expect-error', '/* @ts-nocheck */']) {
      const result = insertTests(
        request(VITEST_FILE, [
          candidate('s', `it('s', () => {\n  ${silencer}\n  parseOptions(1);\n})`),
        ]),
      );
      expect(result.rejected[0]!.reason).toMatch(
        /would hide from the type-check what does not compile/,
      );
    }
  });
});

describe('locateTests', () => {
  it('finds the tests by name after the file moved them', () => {
    const result = insertTests(request(VITEST_FILE, [SIMPLE]));
    const moved = { ...result.file, text: `// a line more\n${result.file.text}` };
    expect(locateTests(moved, ['reads -v as verbose', 'reads nothing', 'absent'])).toEqual([
      { name: 'reads -v as verbose', line: result.placed[0]!.line + 1 },
      { name: 'reads nothing', line: 16 },
    ]);
  });
});
