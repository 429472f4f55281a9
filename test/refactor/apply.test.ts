import { describe, expect, it } from 'vitest';
import { applyProposal, checkRefactoredText } from '../../src/refactor/apply.ts';
import { FILE, FLAT_PARSE_OPTIONS, READ_ARG, proposal, target } from './apply-fixtures.ts';

/** The file's text with `from` replaced by `to`, once; fails the test when `from` is not there. */
function edit(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

const SIMPLE_ADD = `add(line: string): void {
  const trimmed = line.trim();
  if (trimmed !== '' && line.length < 200) this.lines.push(trimmed);
}`;

const FLAT_FORMAT_SIZE = `export const formatSize = (size: number): string => {
  if (size === 0) return 'none';
  if (size === 1) return 'one';
  return String(size);
};`;

function applied(name: string, code: string, helpers: string[] = []) {
  const result = applyProposal(FILE, target(name), proposal(name, code, helpers));
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result;
}

function refusal(name: string, code: string, helpers: string[] = [], text = FILE): string {
  const result = applyProposal(text, target(name), proposal(name, code, helpers));
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.reason;
}

describe('applyProposal puts the new function in place', () => {
  it('replaces a function declaration, keeps its comment and adds the helper after it', () => {
    const result = applied('parseOptions', FLAT_PARSE_OPTIONS, [READ_ARG]);
    expect(result.helperNames).toEqual(['readArg']);
    const start = FILE.indexOf('export function parseOptions');
    const end = FILE.indexOf('\n\n/** How many lines');
    expect(result.text).toBe(
      `${FILE.slice(0, start)}${FLAT_PARSE_OPTIONS}\n\n${READ_ARG}${FILE.slice(end)}`,
    );
    expect(result.text).toContain(
      ' * Keeps the order of the files.\n */\nexport function parseOptions',
    );
  });

  it('replaces a method in its class, indented like its neighbours, the rest of the class unchanged', () => {
    const result = applied('Report.add', SIMPLE_ADD);
    expect(result.helperNames).toEqual([]);
    expect(result.text).toBe(
      edit(
        FILE,
        `add(line: string): void {
    if (line.trim() !== '') {
      if (line.length < 200) {
        this.lines.push(line.trim());
      }
    }
  }`,
        `add(line: string): void {
    const trimmed = line.trim();
    if (trimmed !== '' && line.length < 200) this.lines.push(trimmed);
  }`,
      ),
    );
    expect(result.text).toContain('  /** Adds a line, trimmed. */\n  add(line: string)');
  });

  it("puts a method's helpers after its class as top-level functions", () => {
    const result = applied(
      'Report.add',
      `add(line: string): void {\n  if (keeps(line)) this.lines.push(line.trim());\n}`,
      [
        `function keeps(line: string): boolean {\n  return line.trim() !== '' && line.length < 200;\n}`,
      ],
    );
    expect(result.helperNames).toEqual(['keeps']);
    expect(result.text).toContain(
      `    return this.lines.length;\n  }\n}\n\nfunction keeps(line: string): boolean {\n  return line.trim() !== '' && line.length < 200;\n}\n\n// Formats a size`,
    );
  });

  it('replaces an arrow function held by a const, keeping the line comment above it', () => {
    const result = applied('formatSize', FLAT_FORMAT_SIZE);
    expect(result.text).toBe(
      FILE.slice(0, FILE.indexOf('export const formatSize')) + FLAT_FORMAT_SIZE + '\n',
    );
    expect(result.text).toContain('// Formats a size for the summary.\nexport const formatSize');
  });

  it("takes the model's own leading comment in place of the old one, and only that one", () => {
    const code = `/** Reads flags (-v) and files from the command line. */\n${FLAT_PARSE_OPTIONS}`;
    const result = applied('parseOptions', code, [READ_ARG]);
    expect(result.text).not.toContain('Keeps the order of the files.');
    expect(result.text).toContain(`}\n\n${code}\n\nfunction readArg`);
    expect(result.text.startsWith('// Copyright the authors.\n')).toBe(true);
  });

  it('keeps a comment on the closing line with its statement, the helpers after it', () => {
    const text = edit(
      edit(FILE, '  return options;\n}\n', '  return options;\n} // parseOptions\n'),
      "import { readFileSync } from 'node:fs';",
      "import { readFileSync } from 'node:fs'; // sync on purpose",
    );
    const result = applyProposal(
      text,
      target('parseOptions'),
      proposal('parseOptions', FLAT_PARSE_OPTIONS, [READ_ARG]),
    );
    expect(result.ok && result.text).toContain(
      `${FLAT_PARSE_OPTIONS} // parseOptions\n\n${READ_ARG}\n`,
    );
    const after = result.ok ? result.text : '';
    expect(checkRefactoredText(text, after, target('parseOptions')).ok).toBe(true);
    expect(
      checkRefactoredText(
        text,
        edit(after, '// sync on purpose', '// async'),
        target('parseOptions'),
      ),
    ).toEqual({ ok: false, reason: 'it changes a comment outside "parseOptions" (line 3)' });
    expect(
      checkRefactoredText(
        text,
        edit(after, '} // parseOptions', '} // gone'),
        target('parseOptions'),
      ),
    ).toEqual({ ok: false, reason: 'it changes the comment after "parseOptions"' });
  });

  it('drops a stray semicolon after a function declaration or a helper', () => {
    const result = applied('parseOptions', `${FLAT_PARSE_OPTIONS};`, [`${READ_ARG};;`]);
    expect(result.text).toContain(`${FLAT_PARSE_OPTIONS}\n\n${READ_ARG}\n\n/** How many lines`);
  });

  it('keeps every comment the model put above the function attached to it', () => {
    const code = `  // Flags first.\n\n  /** Reads the command line. */\n\n  ${FLAT_PARSE_OPTIONS.replace(/\n/g, '\n  ')}`;
    const result = applied('parseOptions', code, [READ_ARG]);
    expect(result.text).toContain(
      `}\n\n// Flags first.\n/** Reads the command line. */\n${FLAT_PARSE_OPTIONS}\n\nfunction readArg`,
    );
    const method = applied('Report.add', `/** One. */\n\n// Two.\n${SIMPLE_ADD}`);
    expect(method.text).toContain(
      '\n\n  /** One. */\n  // Two.\n  add(line: string): void {\n    const trimmed',
    );
  });

  it('dedents code sent indented, but leaves the lines of a template literal as they are', () => {
    const code = `    export function parseOptions(args: string[]): Options {
      const usage = \`usage:
  options [-v] FILE…
\`;
      if (args.length === 0) throw new Error(usage);
      const options: Options = { verbose: false, files: [] };
      for (const arg of args) readArg(arg, options);
      return options;
    }`;
    const result = applied('parseOptions', code, [READ_ARG]);
    expect(result.text).toContain(`export function parseOptions(args: string[]): Options {
  const usage = \`usage:
  options [-v] FILE…
\`;
  if (args.length === 0) throw new Error(usage);`);
  });

  it('keeps CRLF line endings', () => {
    const crlf = FILE.replace(/\n/g, '\r\n');
    const result = applyProposal(
      crlf,
      target('formatSize'),
      proposal('formatSize', FLAT_FORMAT_SIZE),
    );
    expect(result.ok && result.text).toBe(
      crlf.slice(0, crlf.indexOf('export const formatSize')) +
        FLAT_FORMAT_SIZE.replace(/\n/g, '\r\n') +
        '\r\n',
    );
  });

  it('picks the function at the target line when a class and a function share a method name', () => {
    const text = `${FILE}\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n`;
    const result = applyProposal(text, target('Report.add'), proposal('Report.add', SIMPLE_ADD));
    expect(result.ok).toBe(true);
    expect(result.ok && result.text.endsWith('return a + b;\n}\n')).toBe(true);
  });
  it('accepts helpers that are a const arrow, a type alias and an interface', () => {
    const code = `export function parseOptions(args: string[]): Options {
  const state: ParseState = { options: { verbose: false, files: [] } };
  for (const arg of args) readArgInto(state, arg);
  return state.options;
}`;
    const result = applied('parseOptions', code, [
      'interface ParseState {\n  options: Options;\n}',
      'type Flag = `-${string}`;',
      "const isFlag = (arg: string): arg is Flag => arg.startsWith('-');",
      `function readArgInto(state: ParseState, arg: string): void {
  if (!isFlag(arg)) state.options.files.push(arg);
  else if (arg === '-v') state.options.verbose = true;
}`,
    ]);
    expect(result.helperNames).toEqual(['ParseState', 'Flag', 'isFlag', 'readArgInto']);
  });

  it('drops a comment the model put after the function or a helper, which would land outside it', () => {
    const result = applied('parseOptions', `${FLAT_PARSE_OPTIONS} // flat now`, [
      `${READ_ARG}\n// end of helpers`,
    ]);
    expect(result.text).toContain(`${FLAT_PARSE_OPTIONS}\n\n${READ_ARG}\n\n/** How many lines`);
    const method = applied('Report.add', `${SIMPLE_ADD}\n/* trailing */`);
    expect(method.text).not.toContain('trailing');
  });

  it('replaces the implementation of an overloaded function, its signatures unchanged', () => {
    const text = `export function twice(a: string): string;\nexport function twice(a: number): number;\nexport function twice(a: string | number): string | number {\n  if (typeof a === 'string') {\n    return a + a;\n  } else {\n    return a * 2;\n  }\n}\n`;
    const code = `export function twice(a: string | number): string | number {\n  return typeof a === 'string' ? a + a : a * 2;\n}`;
    const result = applyProposal(text, target('twice', 3), proposal('twice', code));
    expect(result).toEqual({
      ok: true,
      text: `export function twice(a: string): string;\nexport function twice(a: number): number;\n${code}\n`,
      helperNames: [],
    });
  });
});

describe('applyProposal refuses what would change more than the function', () => {
  it('refuses a proposal for another function or another file', () => {
    const other = applyProposal(
      FILE,
      target('parseOptions'),
      proposal('countLines', 'export function countLines(path: string): number {\n  return 1;\n}'),
    );
    expect(other).toEqual({
      ok: false,
      reason: 'the proposal names another function, "countLines", not the target "parseOptions"',
    });
    const elsewhere = applyProposal(
      FILE,
      target('parseOptions'),
      proposal('parseOptions', FLAT_PARSE_OPTIONS, [READ_ARG], 'src/other.ts'),
    );
    expect(elsewhere.ok === false && elsewhere.reason).toMatch(/is for "src\/other.ts"/);
  });

  it('refuses code that does not parse, naming the line', () => {
    expect(
      refusal(
        'parseOptions',
        'export function parseOptions(args: string[]): Options {\n  return {;\n}',
      ),
    ).toMatch(/^the function's code does not parse: line 2:/);
    expect(refusal('Report.add', 'add(line: string): void {\n  this.lines.push(\n}')).toMatch(
      /^the method's code does not parse: line 3:/,
    );
    expect(refusal('parseOptions', FLAT_PARSE_OPTIONS, ['function readArg( {'])).toMatch(
      /^helper 1 does not parse/,
    );
  });

  it('refuses code that smuggles a second statement in with the function', () => {
    expect(
      refusal('parseOptions', `${FLAT_PARSE_OPTIONS}\n${READ_ARG}\nexport const leaked = 1;`),
    ).toMatch(/must hold exactly that one function \(it has 3 statements\)/);
    expect(
      refusal('Report.add', `${SIMPLE_ADD}\n}\nexport function escape() {\n  return 1;`),
    ).toMatch(/must hold exactly that one method/);
    expect(refusal('Report.add', `${SIMPLE_ADD}\nsize(): number {\n  return 0;\n}`)).toMatch(
      /must hold exactly that one method/,
    );
  });

  it('refuses a renamed function, method or const', () => {
    expect(
      refusal('parseOptions', FLAT_PARSE_OPTIONS.replace('parseOptions', 'parseArgs'), [READ_ARG]),
    ).toBe('the function was renamed from "parseOptions" to "parseArgs"');
    expect(refusal('Report.add', SIMPLE_ADD.replace('add(', 'append('))).toBe(
      'the method was renamed from "add" to "append"',
    );
    expect(refusal('formatSize', FLAT_FORMAT_SIZE.replace('formatSize', 'sizeText'))).toBe(
      'the function was renamed from "formatSize" to "sizeText"',
    );
  });

  it('refuses a change of export, async, generator, static, visibility or kind', () => {
    expect(
      refusal('parseOptions', FLAT_PARSE_OPTIONS.replace('export function', 'function'), [
        READ_ARG,
      ]),
    ).toMatch(/modifiers of "parseOptions" changed from "export" to ""/);
    expect(
      refusal(
        'parseOptions',
        FLAT_PARSE_OPTIONS.replace('export function', 'export async function'),
        [READ_ARG],
      ),
    ).toMatch(/modifiers of "parseOptions" changed/);
    expect(
      refusal(
        'parseOptions',
        FLAT_PARSE_OPTIONS.replace('function parseOptions', 'function* parseOptions'),
        [READ_ARG],
      ),
    ).toBe('"parseOptions" changed whether it is a generator');
    expect(refusal('Report.add', `static ${SIMPLE_ADD}`)).toMatch(/modifiers of "add" changed/);
    expect(refusal('Report.add', `private ${SIMPLE_ADD}`)).toMatch(/modifiers of "add" changed/);
    expect(refusal('formatSize', FLAT_FORMAT_SIZE.replace('export const', 'export let'))).toBe(
      '"formatSize" changed between const, let and var',
    );
    expect(
      refusal(
        'formatSize',
        FLAT_FORMAT_SIZE.replace('(size: number): string =>', 'function (size: number): string'),
      ),
    ).toBe('"formatSize" must stay an arrow function');
    expect(
      refusal(
        'parseOptions',
        `export const parseOptions = (args: string[]): Options => ({ verbose: false, files: args });`,
      ),
    ).toBe('the new code of "parseOptions" is not a function declaration with a body');
  });

  it('refuses an exported helper, a default export and a helper that is not a function', () => {
    expect(refusal('parseOptions', FLAT_PARSE_OPTIONS, [`export ${READ_ARG}`])).toMatch(
      /^helper 1: a helper must not be exported/,
    );
    expect(
      refusal('parseOptions', FLAT_PARSE_OPTIONS, [
        READ_ARG.replace('function readArg', 'export default function readArg'),
      ]),
    ).toMatch(/must not be exported/);
    expect(refusal('parseOptions', FLAT_PARSE_OPTIONS, [READ_ARG, 'export { readArg };'])).toMatch(
      /must not be exported/,
    );
    expect(refusal('parseOptions', FLAT_PARSE_OPTIONS, [READ_ARG, 'let counter = 0;'])).toMatch(
      /a helper variable must be one const holding a function/,
    );
    expect(
      refusal('parseOptions', FLAT_PARSE_OPTIONS, [READ_ARG, "console.log('loaded');"]),
    ).toMatch(
      /a helper must be a function, a const holding a function, a type alias or an interface/,
    );
  });

  it('refuses a helper whose name clashes with a name the file uses, or with another helper', () => {
    const clash = (name: string) =>
      refusal('parseOptions', FLAT_PARSE_OPTIONS.replace('readArg', name), [
        READ_ARG.replace('readArg', name),
      ]);
    expect(clash('countLines')).toBe(
      'the helper "countLines" clashes with a name the file already uses; pick a new name',
    );
    // An import, a class and a global the rest of the file calls are shadowed just the same.
    expect(clash('readFileSync')).toMatch(/clashes/);
    expect(clash('Report')).toMatch(/clashes/);
    expect(clash('String')).toMatch(/clashes/);
    expect(refusal('parseOptions', FLAT_PARSE_OPTIONS, [READ_ARG, READ_ARG])).toMatch(
      /the helper "readArg" clashes/,
    );
  });

  it('refuses targets that are not a function, a method or a const function', () => {
    const getter = `${FILE}\nexport class Box {\n  get size(): number {\n    return 1;\n  }\n}\n`;
    expect(refusal('Box.size', 'get size(): number {\n  return 2;\n}', [], getter)).toMatch(
      /is a getter or setter/,
    );
    const object = `${FILE}\nexport const api = {\n  run(a: number): number {\n    return a;\n  },\n};\n`;
    expect(refusal('api.run', 'run(a: number): number {\n  return a;\n}', [], object)).toMatch(
      /is not a function declaration, a method of a top-level class/,
    );
    expect(refusal('missing', 'function missing() {}')).toMatch(/"missing" is not a function/);
  });

  it('refuses a file that does not parse', () => {
    expect(refusal('parseOptions', FLAT_PARSE_OPTIONS, [READ_ARG], `${FILE}\nfunction (`)).toMatch(
      /^the file does not parse: line \d+:/,
    );
  });
});

describe('checkRefactoredText: what the deliver job re-checks in an artifact', () => {
  const good = applied('parseOptions', FLAT_PARSE_OPTIONS, [READ_ARG]).text;
  const check = (after: string, name = 'parseOptions') =>
    checkRefactoredText(FILE, after, target(name));

  it("accepts applyProposal's own output and names its helpers", () => {
    expect(check(good)).toEqual({ ok: true, helperNames: ['readArg'] });
  });

  it('accepts whitespace between top-level statements that a formatter changed', () => {
    expect(check(good.replace('\n\nfunction readArg', '\n\n\nfunction readArg'))).toEqual({
      ok: true,
      helperNames: ['readArg'],
    });
  });

  it("refuses a change to another function's text, however small", () => {
    expect(check(edit(good, "split('\\n').length", "split('\\n').length + 1"))).toEqual({
      ok: false,
      reason: 'it changes code outside "parseOptions" (line 31)',
    });
    expect(check(edit(good, 'return this.lines.length;', 'return  this.lines.length;')).ok).toBe(
      false,
    );
  });

  it('refuses a changed comment outside the function', () => {
    const result = check(edit(good, '/** How many lines a file has. */', '/** How many lines. */'));
    expect(result).toEqual({
      ok: false,
      reason: 'it changes a comment outside "parseOptions" (line 31)',
    });
    expect(check(edit(good, '// Copyright the authors.', '// Copyright nobody.')).ok).toBe(false);
    expect(check(`${good}// trailing\n`)).toEqual({
      ok: false,
      reason: 'it changes a comment at the end of the file',
    });
  });

  it('refuses a removed statement and a statement added anywhere but after the function', () => {
    expect(check(edit(good, "import { readFileSync } from 'node:fs';\n", '')).ok).toBe(false);
    expect(check(`export const extra = 1;\n${good}`).ok).toBe(false);
    expect(check(`${good}\nfunction laterHelper(): void {}\n`).ok).toBe(false);
  });

  it('refuses an exported helper or a clashing one slipped into the artifact', () => {
    expect(check(edit(good, 'function readArg', 'export function readArg')).ok).toBe(false);
    const clashing = edit(good, 'function readArg(', 'function countLines2(').replace(
      'countLines2',
      'parseOptions',
    );
    expect(check(clashing).ok).toBe(false);
  });

  it('refuses a changed class around a method target', () => {
    const method = applied('Report.add', SIMPLE_ADD).text;
    expect(checkRefactoredText(FILE, method, target('Report.add'))).toEqual({
      ok: true,
      helperNames: [],
    });
    expect(
      checkRefactoredText(
        FILE,
        edit(method, 'private readonly lines', 'public lines'),
        target('Report.add'),
      ),
    ).toEqual({ ok: false, reason: 'it changes its class outside "add"' });
    expect(
      checkRefactoredText(
        FILE,
        edit(method, 'export class Report', 'export class Report2'),
        target('Report.add'),
      ).ok,
    ).toBe(false);
  });

  it("refuses an artifact that changes the function's modifiers or a detached comment above it", () => {
    expect(check(edit(good, 'export function parseOptions', 'function parseOptions'))).toEqual({
      ok: false,
      reason:
        'the modifiers of "parseOptions" changed from "export" to "" (export, default, async, static, visibility and decorators must stay)',
    });
    const header = `// Section: options.\n\n`;
    const withHeader = edit(
      FILE,
      '/**\n * Reads the command line.',
      `${header}/**\n * Reads the command line.`,
    );
    const after = applyProposal(
      withHeader,
      target('parseOptions', 16),
      proposal('parseOptions', FLAT_PARSE_OPTIONS, [READ_ARG]),
    );
    expect(after.ok).toBe(true);
    const text = after.ok ? after.text : '';
    expect(text).toContain(`${header}/**\n * Reads the command line.`);
    expect(
      checkRefactoredText(
        withHeader,
        edit(text, 'Section: options.', 'Section: gone.'),
        target('parseOptions', 16),
      ),
    ).toEqual({
      ok: false,
      reason: 'it changes a comment above "parseOptions"',
    });
  });

  it('refuses an artifact that does not parse', () => {
    const result = check(`${good}\n}`);
    expect(result.ok === false && result.reason).toMatch(
      /^the refactored file does not parse: line/,
    );
  });
});
