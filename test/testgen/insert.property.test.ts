import { fc, test } from '@fast-check/vitest';
import { ts } from 'ts-morph';
import { describe, expect } from 'vitest';
import { insertTests, removeTests } from '../../src/testgen/insert.ts';
import { candidate, request } from './insert-fixtures.ts';

/** Test files as people write them: any mix of header, imports, helpers, describes and comments. */
const testFile = fc
  .record({
    header: fc.constantFrom('', '// SPDX-License-Identifier: MIT\n', '/**\n * Tests.\n */\n'),
    vitest: fc.subarray(['describe', 'it', 'expect', 'test', 'vi']),
    target: fc.constantFrom('', 'parseOptions', 'parseOptions, formatOptions'),
    extra: fc.constantFrom(
      '',
      "import * as path from 'node:path';\n",
      "import type { Options } from '../src/args.ts';\n",
    ),
    helper: fc.constantFrom('', 'const argv = (s: string) => s.split(" "); // helper\n'),
    describeTitle: fc.constantFrom('parseOptions', 'args', 'other', null),
    body: fc.array(
      fc.constantFrom(
        "it('reads', () => {\n    expect(1).toBe(1);\n  });",
        '// a note about the cases below',
        "it('reads', () => {}); // same name on purpose",
        'const local = 3;',
        "test('with\\ttab', () => {\n    const s = `multi\n  line`;\n    expect(s).toBeTruthy();\n  });",
      ),
      { maxLength: 4 },
    ),
    after: fc.constantFrom(
      '',
      "\ndescribe('later', () => {\n  it('x', () => {});\n});\n",
      '\n// the end\n',
    ),
    crlf: fc.boolean(),
  })
  .map((o) => {
    const imports =
      (o.vitest.length > 0 ? `import { ${o.vitest.join(', ')} } from 'vitest';\n` : '') +
      (o.target === '' ? '' : `import { ${o.target} } from '../src/args.ts';\n`) +
      o.extra;
    const describeBlock =
      o.describeTitle === null
        ? ''
        : `describe('${o.describeTitle}', () => {\n${o.body.map((b) => `  ${b}\n`).join('')}});\n`;
    const text = `${o.header}${imports}\n${o.helper}\n${describeBlock}${o.after}`;
    return o.crlf ? text.replace(/\n/g, '\r\n') : text;
  });

const pool = [
  candidate('reads', "it('reads', () => { expect(parseOptions([])).toEqual({}) })"),
  candidate('formats', "test('f', () => { expect(formatOptions({})).toBe('') })", [
    "import { formatOptions } from '../src/args.js';",
  ]),
  candidate('joins', "it('j', () => { expect(path.join('a', 'b')).toBe('a/b') })", [
    "import * as path from 'node:path';",
  ]),
  candidate('typed', "it('t', () => { const o: Options = {}; expect(o).toEqual({}) })", [
    "import type { Options } from '../src/args.ts';",
  ]),
  candidate('local clash', "it('l', () => { expect(local).toBe(1) })", [
    "import { local } from './local.ts';",
  ]),
  candidate('escape', "it('e', () => {});\n});\nprocess.exit(1);\ndescribe('x', () => {"),
  candidate('two', "it('a', () => {}); it('b', () => {})"),
  candidate('alias clash', "it('c', () => {})", [
    "import { formatOptions as parseOptions } from '../src/args.ts';",
  ]),
  candidate(
    'property ✓',
    "it.prop([fc.string()])('p', (s) => { expect(parseOptions([s])).toBeDefined() })",
    ["import { fc } from '@fast-check/vitest';"],
  ),
];

const candidates = fc.subarray(pool.map((_, i) => i)).map((ids) => ids.map((i) => pool[i]!));

/** The text of the file before the first import, and from the end of the imports to the target describe's last line. */
function untouchedParts(text: string): { head: string; middle: string; tail: string } {
  const file = ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true);
  const imports = file.statements.filter(ts.isImportDeclaration);
  // Without imports, Steward's go before the first statement (after a header comment).
  const firstStatement = file.statements[0]?.getStart(file, true) ?? text.length;
  const headEnd = imports[0]?.getStart(file, true) ?? firstStatement;
  const importsEnd = imports.at(-1)?.end ?? firstStatement;
  const describe = file.statements.find(
    (s) =>
      ts.isExpressionStatement(s) &&
      ts.isCallExpression(s.expression) &&
      ['parseOptions', 'args'].includes(
        (s.expression.arguments[0] as ts.StringLiteral | undefined)?.text ?? '',
      ),
  );
  if (describe === undefined)
    return { head: text.slice(0, headEnd), middle: text.slice(importsEnd), tail: '' };
  const close = describe.getEnd() - 3; // `});`
  const lineStart = text.lastIndexOf('\n', close - 1) + 1;
  return {
    head: text.slice(0, headEnd),
    middle: text.slice(importsEnd, lineStart),
    tail: text.slice(lineStart),
  };
}

describe('insertTests, for any test file and any candidates', () => {
  test.prop([testFile, candidates])(
    'leaves the text outside the imports and the describe as it was',
    (text, chosen) => {
      const result = insertTests(request(text, chosen));
      const out = result.file.text;
      const { head, middle, tail } = untouchedParts(text);
      expect(out.startsWith(head)).toBe(true);
      expect(out.endsWith(tail)).toBe(true);
      expect(out.includes(middle)).toBe(true);
      expect(result.placed.length + result.rejected.length).toBe(chosen.length);
      if (result.placed.length === 0) expect(out).toBe(text);
    },
  );

  test.prop([testFile, candidates])('inserting then removing is the identity', (text, chosen) => {
    const result = insertTests(request(text, chosen));
    const removed = removeTests(
      result,
      result.placed.map((p) => p.name),
    );
    expect(removed.file.text).toBe(text);
  });

  test.prop([testFile, candidates, fc.nat()])(
    'removing some is inserting the rest alone, and the file parses with each test once',
    (text, chosen, pick) => {
      const result = insertTests(request(text, chosen));
      const out = ts.createSourceFile('a.ts', result.file.text, ts.ScriptTarget.Latest, true);
      expect((out as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
      const names = result.placed.map((p) => p.name);
      expect(new Set(names).size).toBe(names.length);
      const drop = names.filter((_, i) => (pick >> i) % 2 === 1);
      const kept = result.placed
        .filter((p) => !drop.includes(p.name))
        .map((p) => ({ ...chosen[p.candidate]!, name: p.name }));
      expect(removeTests(result, drop).file).toEqual(insertTests(request(text, kept)).file);
      expect(insertTests(request(text, chosen))).toEqual(result);
    },
  );
});
