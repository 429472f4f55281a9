import { posix } from 'node:path';
import { Project, ts, type SourceFile } from 'ts-morph';
import type { SourceText, TestCandidate, TestFramework, TestTarget } from './types.ts';
import { checkCandidateCode, dottedName, type CheckedCode } from './candidate-code.ts';
import { detectStyle, isControl, quoted, type FileStyle } from './file-style.ts';
import {
  fileBindings,
  parseCandidateImports,
  parseProblem,
  planBinding,
  type ImportBinding,
  type TextEdit,
} from './imports.ts';

/** What {@link insertTests} puts candidates into. */
export interface InsertRequest {
  /** The existing test file, or null for a new one at `testPath`. */
  testFile: SourceText | null;
  testPath: string;
  framework: TestFramework;
  target: TestTarget;
  /** The specifier the test file imports the target's module by. */
  importPath: string;
  candidates: readonly TestCandidate[];
}

export interface PlacedTest {
  /** The test's title in the file: the candidate's name, with ` (2)` etc. when it was taken. */
  name: string;
  /** 1-based line of the test's call in `file`. */
  line: number;
  /** Index of the candidate in the request. */
  candidate: number;
  /** Titles of the describe blocks around it, outermost first (a runner's full name is these and `name`). */
  describe: string[];
}

export interface RejectedCandidate {
  name: string;
  reason: string;
  candidate: number;
}

export interface Insertion {
  file: SourceText;
  placed: PlacedTest[];
  rejected: RejectedCandidate[];
  /** The request this came from, so {@link removeTests} can take tests out again. */
  request: InsertRequest;
}

const MAX_NAME_LENGTH = 300;

/** Names each framework provides, and where an import of them comes from. */
const FRAMEWORK_NAMES: Record<TestFramework, { module: string; names: readonly string[] }> = {
  vitest: {
    module: 'vitest',
    names: [
      'describe',
      'it',
      'test',
      'expect',
      'vi',
      'beforeEach',
      'afterEach',
      'beforeAll',
      'afterAll',
      'expectTypeOf',
      'assertType',
    ],
  },
  jest: {
    module: '@jest/globals',
    names: [
      'describe',
      'it',
      'test',
      'expect',
      'jest',
      'beforeEach',
      'afterEach',
      'beforeAll',
      'afterAll',
    ],
  },
  'node:test': {
    module: 'node:test',
    names: ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach', 'mock'],
  },
};

/** A describe block in the file, in document order. */
interface DescribeBlock {
  /** Its title's value, when it is a literal (or `fn.name` → `fn`). */
  title: string | undefined;
  depth: number;
  /** The titles from the outermost describe to this one (`''` for a title that is not a literal). */
  path: string[];
  statement: ts.ExpressionStatement;
  body: ts.Block;
  /** The statements of this body and every enclosing describe's: names there shadow imports. */
  scopes: (readonly ts.Statement[])[];
}

function titleOf(node: ts.Expression | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'name')
    return dottedName(node.expression);
  return undefined;
}

function describeBlocks(file: ts.SourceFile): DescribeBlock[] {
  const out: DescribeBlock[] = [];
  const walk = (
    statements: readonly ts.Statement[],
    depth: number,
    scopes: (readonly ts.Statement[])[],
    path: string[],
  ): void => {
    for (const statement of statements) {
      if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression))
        continue;
      const call = statement.expression;
      const callee = dottedName(call.expression);
      if (callee !== 'describe' && callee !== 'suite') continue;
      const fn = call.arguments.at(-1);
      if (fn === undefined || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) continue;
      if (!ts.isBlock(fn.body)) continue;
      const inner = [...scopes, fn.body.statements];
      const title = titleOf(call.arguments[0]);
      const innerPath = [...path, title ?? ''];
      out.push({
        title,
        depth,
        path: innerPath,
        statement,
        body: fn.body,
        scopes: inner,
      });
      walk(fn.body.statements, depth + 1, inner, innerPath);
    }
  };
  walk(file.statements, 0, [], []);
  return out;
}

/** The title of a test call statement (`it('x', ...)`, `test.prop(...)('x', ...)`, `it.skip(...)`). */
function testTitle(statement: ts.Statement): string | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression))
    return undefined;
  const call = statement.expression;
  let callee: ts.Expression = call.expression;
  if (ts.isCallExpression(callee)) callee = callee.expression;
  const root = dottedName(callee)?.split('.')[0];
  if (root !== 'it' && root !== 'test') return undefined;
  return titleOf(call.arguments[0]);
}

function moduleTitles(target: TestTarget, importPath: string): Set<string> {
  const base = posix.basename(target.path);
  return new Set([base, base.replace(/\.[^.]+$/, ''), target.path, importPath]);
}

/**
 * The describe a target's tests go in: one titled with its name (the deepest, then the first),
 * else one titled with its module; undefined when there is none.
 */
function findDescribe(
  blocks: readonly DescribeBlock[],
  target: TestTarget,
  importPath: string,
): number | undefined {
  const names = new Set([target.name, `${target.name}()`]);
  const method = target.name.includes('.') ? target.name.split('.').at(-1) : undefined;
  let best: number | undefined;
  for (const [index, block] of blocks.entries()) {
    const title = block.title;
    if (title === undefined) continue;
    const byName =
      names.has(title) ||
      (method !== undefined &&
        (title === method || title === `${method}()` || title === `#${method}`) &&
        blocks.some(
          (outer) =>
            outer.depth < block.depth &&
            outer.title === target.name.split('.')[0] &&
            outer.body.pos <= block.statement.pos &&
            block.statement.end <= outer.body.end,
        ));
    if (byName && (best === undefined || block.depth > blocks[best]!.depth)) best = index;
  }
  if (best !== undefined) return best;
  const modules = moduleTitles(target, importPath);
  const index = blocks.findIndex((b) => b.title !== undefined && modules.has(b.title));
  return index < 0 ? undefined : index;
}

function lineIndent(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** The candidate's statement, titled `name`, formatted and indented like the file. */
function testText(
  project: Project,
  checked: CheckedCode,
  name: string,
  style: FileStyle,
  indent: string,
  extension: string,
): string {
  const code = checked.file.text;
  const title = checked.call.arguments[0]!;
  const start = checked.statement.getStart(checked.file);
  const titled =
    code.slice(start, title.getStart(checked.file)) +
    quoted(name, style.quote) +
    code.slice(title.end, checked.statement.end);
  const scratch = project.createSourceFile(`/__steward_candidate${extension}`, titled, {
    overwrite: true,
  });
  scratch.formatText({
    indentSize: style.indent === '\t' ? 4 : style.indent.length,
    tabSize: style.indent === '\t' ? 4 : style.indent.length,
    convertTabsToSpaces: style.indent !== '\t',
    semicolons: style.semicolons ? ts.SemicolonPreference.Insert : ts.SemicolonPreference.Remove,
  });
  const formatted = scratch.getFullText().replace(/\r\n/g, '\n').trim();
  project.removeSourceFile(scratch);
  // Lines that begin inside a template literal are its content: they keep their exact text.
  const reparsed = ts.createSourceFile(`x${extension}`, formatted, ts.ScriptTarget.Latest, true);
  const literalRanges: [number, number][] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n))
      literalRanges.push([n.getStart(reparsed), n.end]);
    else ts.forEachChild(n, visit);
  };
  visit(reparsed);
  const lines: string[] = [];
  let pos = 0;
  for (const line of formatted.split('\n')) {
    const inLiteral = literalRanges.some(([s, e]) => s < pos && pos < e);
    lines.push(inLiteral || line === '' ? line : `${indent}${line}`);
    pos += line.length + 1;
  }
  return lines.join(style.eol);
}

function applyEdit(file: SourceFile, edit: TextEdit): void {
  file.replaceText([edit.start, edit.end], edit.text);
}

function frameworkBinding(
  framework: TestFramework,
  name: string,
  file: ts.SourceFile,
): ImportBinding | undefined {
  if (framework === 'node:test' && name === 'assert')
    return { kind: 'default', module: 'node:assert/strict', local: 'assert', typeOnly: false };
  const { module, names } = FRAMEWORK_NAMES[framework];
  if (!names.includes(name)) return undefined;
  if (
    framework === 'jest' &&
    !file.statements.some(
      (s) =>
        ts.isImportDeclaration(s) &&
        ts.isStringLiteral(s.moduleSpecifier) &&
        s.moduleSpecifier.text === module,
    )
  )
    return undefined; // jest's globals, as the file already uses them
  return { kind: 'named', module, imported: name, local: name, typeOnly: false };
}

/** `it`/`test` with `.prop`: fast-check's wrapper of the framework's. */
function propertyBinding(framework: TestFramework, name: string): ImportBinding {
  const module = framework === 'jest' ? '@fast-check/jest' : '@fast-check/vitest';
  return { kind: 'named', module, imported: name, local: name, typeOnly: false };
}

function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'its name is empty';
  if (name.length > MAX_NAME_LENGTH) return `its name is longer than ${MAX_NAME_LENGTH} characters`;
  if ([...name].some(isControl)) return 'its name holds a control character or line break';
  // A lone surrogate would not survive being written as UTF-8: the test could not be found by name.
  if (!name.isWellFormed()) return 'its name holds a lone UTF-16 surrogate';
  return undefined;
}

function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) if (!taken.has(`${name} (${n})`)) return `${name} (${n})`;
}

function nonImportCount(file: ts.SourceFile): number {
  return file.statements.filter((s) => !ts.isImportDeclaration(s)).length;
}

/** Parses `file` and checks it is still sound after an edit. */
function fileProblem(file: SourceFile): string | undefined {
  return parseProblem(file.compilerNode);
}

/**
 * Puts candidate tests into the describe block for the target (made at the end of the file when
 * there is none; the file made when there is none), by syntax tree: each candidate must be one test
 * call, its imports merge into the file's without duplicates, names taken in the describe get a
 * suffix, and everything else in the file keeps its bytes. Pure and deterministic.
 */
export function insertTests(request: InsertRequest): Insertion {
  const { testFile, testPath, framework, candidates } = request;
  // ts-morph writes inserted line breaks as its setting says: the file's own.
  const newLineKind = testFile?.text.includes('\r\n')
    ? ts.NewLineKind.CarriageReturnLineFeed
    : ts.NewLineKind.LineFeed;
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { newLineKind },
  });
  const extension = /\.[cm]?[jt]sx?$/.exec(testPath)?.[0] ?? '.ts';
  const javascript = /\.[cm]?jsx?$/.test(extension);
  const file = project.createSourceFile(`/__steward_test${extension}`, testFile?.text ?? '');
  const placed: { name: string; candidate: number; describe: number }[] = [];
  const rejected: RejectedCandidate[] = [];
  const reject = (candidate: number, reason: string): void => {
    rejected.push({ name: candidates[candidate]!.name, reason, candidate });
  };

  const broken = testFile === null ? undefined : fileProblem(file);
  if (broken !== undefined) {
    candidates.forEach((_, index) =>
      reject(
        index,
        `the test file ${testPath} does not parse (${broken}): Steward does not edit a file it cannot read`,
      ),
    );
    return { file: { path: testPath, text: testFile!.text }, placed: [], rejected, request };
  }
  const style = detectStyle(file.compilerNode);
  const commonJs =
    /\.c[jt]s$/.test(extension) ||
    (javascript &&
      !file.compilerNode.statements.some(ts.isImportDeclaration) &&
      /\brequire\s*\(/.test(file.getFullText()));

  for (const [index, candidate] of candidates.entries()) {
    const problem = nameProblem(candidate.name);
    if (problem !== undefined) {
      reject(index, problem);
      continue;
    }
    const checked = checkCandidateCode(candidate.code, framework, `candidate${extension}`);
    if (!checked.ok) {
      reject(index, checked.reason);
      continue;
    }
    const parsedImports = parseCandidateImports(candidate.imports, javascript);
    if ('problem' in parsedImports) {
      reject(index, parsedImports.problem);
      continue;
    }
    const own = parsedImports.bindings;
    const ownLocals = new Map<string, ImportBinding>();
    const selfClash = own.find((b) => {
      const seen = ownLocals.get(b.local);
      ownLocals.set(b.local, b);
      return seen !== undefined && JSON.stringify(seen) !== JSON.stringify(b);
    });
    if (selfClash !== undefined) {
      reject(index, `its imports bind ${selfClash.local} twice, to different things`);
      continue;
    }

    const snapshot = file.getFullText();
    const outcome = placeOne(file, {
      checked: checked.checked,
      own,
      name: candidate.name,
      request,
      style,
      project,
      extension,
      commonJs,
    });
    if ('reason' in outcome) {
      file.replaceWithText(snapshot);
      reject(index, outcome.reason);
      continue;
    }
    placed.push({ name: outcome.name, candidate: index, describe: outcome.describe });
  }

  const blocks = describeBlocks(file.compilerNode);
  const placedTests = placed.map(({ name, candidate, describe }) => {
    const block = blocks[describe]!;
    const statement = block.body.statements.find((s) => testTitle(s) === name)!;
    const line =
      file.compilerNode.getLineAndCharacterOfPosition(statement.getStart(file.compilerNode)).line +
      1;
    return { name, line, candidate, describe: block.path };
  });
  return {
    file: {
      path: testPath,
      text: placed.length === 0 && testFile === null ? '' : file.getFullText(),
    },
    placed: placedTests,
    rejected,
    request,
  };
}

interface PlaceInput {
  checked: CheckedCode;
  own: ImportBinding[];
  name: string;
  request: InsertRequest;
  style: FileStyle;
  project: Project;
  extension: string;
  /** The file loads modules with require(): ES imports would break it. */
  commonJs: boolean;
}

/** Puts one checked candidate into the file; a reason (and the caller restores the file) if not. */
function placeOne(
  file: SourceFile,
  input: PlaceInput,
): { name: string; describe: number } | { reason: string } {
  const { checked, own, request, style } = input;
  const { framework, target, importPath } = request;
  const before = nonImportCount(file.compilerNode);
  let blocks = describeBlocks(file.compilerNode);
  let describe = findDescribe(blocks, target, importPath);
  const creating = describe === undefined;

  // What the file must bind for the test: its own imports, the framework's names it reads, the
  // target when it reads it and did not import it.
  const wanted: ImportBinding[] = [];
  const ownLocals = new Set(own.map((b) => b.local));
  const scopes = describe === undefined ? [] : blocks[describe]!.scopes;
  const bound = fileBindings(file.compilerNode, scopes);
  const reads = new Set(checked.freeNames);
  reads.add(checked.callee);
  if (creating) reads.add('describe');
  const leading = ['describe', checked.callee];
  const ordered = [
    ...leading.filter((n) => reads.has(n)),
    ...[...reads].filter((n) => !leading.includes(n)).sort(),
  ];
  for (const name of ordered) {
    if (ownLocals.has(name) || bound.has(name)) continue;
    const binding =
      name === checked.callee && checked.property
        ? propertyBinding(framework, name)
        : frameworkBinding(framework, name, file.compilerNode);
    if (binding !== undefined) wanted.push(binding);
  }
  if (checked.property) {
    const existing = ownLocals.has(checked.callee) ? undefined : bound.get(checked.callee);
    if (
      existing !== undefined &&
      (existing.kind === 'local' || !existing.binding.module.startsWith('@fast-check/'))
    )
      return {
        reason: `it calls ${checked.callee}.prop, and ${checked.callee} in the test file is not fast-check's (import it from @fast-check/${framework === 'jest' ? 'jest' : 'vitest'}, or use a plain test with fc.assert)`,
      };
  }
  const targetRoot = target.name.split('.')[0]!;
  if (
    target.exported &&
    target.name !== 'default' &&
    reads.has(targetRoot) &&
    !ownLocals.has(targetRoot) &&
    !bound.has(targetRoot)
  )
    wanted.push({
      kind: 'named',
      module: importPath,
      imported: targetRoot,
      local: targetRoot,
      typeOnly: false,
    });
  // Values first, so a type-only name can join a value declaration of its module.
  wanted.push(...own.filter((b) => !b.typeOnly), ...own.filter((b) => b.typeOnly));

  for (const binding of wanted) {
    if (input.commonJs && planBinding(file.compilerNode, bound, binding, style).kind === 'edit')
      return {
        reason: `it needs ${binding.local} imported, and the test file is CommonJS (it loads modules with require()): Steward adds import declarations only to ES modules`,
      };
  }
  for (const binding of wanted) {
    const current = describeBlocks(file.compilerNode);
    const currentScopes = describe === undefined ? [] : current[describe]!.scopes;
    const plan = planBinding(
      file.compilerNode,
      fileBindings(file.compilerNode, currentScopes),
      binding,
      style,
    );
    if (plan.kind === 'clash') return { reason: plan.reason };
    if (plan.kind === 'edit') applyEdit(file, plan.edit);
  }

  if (describe === undefined) {
    const text = file.getFullText();
    const eol = style.eol;
    const lead =
      text === '' || text.endsWith(`${eol}${eol}`) ? '' : text.endsWith(eol) ? eol : `${eol}${eol}`;
    const title = target.name === 'default' ? posix.basename(target.path) : target.name;
    const semi = style.semicolons ? ';' : '';
    applyEdit(file, {
      start: text.length,
      end: text.length,
      text: `${lead}describe(${quoted(title, style.quote)}, () => {${eol}})${semi}${eol}`,
    });
    blocks = describeBlocks(file.compilerNode);
    describe = blocks.length - 1;
  }

  const block = describeBlocks(file.compilerNode)[describe]!;
  const taken = new Set(
    block.body.statements.map(testTitle).filter((t): t is string => t !== undefined),
  );
  const name = uniqueName(input.name, taken);
  const text = file.getFullText();
  const sf = file.compilerNode;
  const first = block.body.statements[0];
  const indent =
    first !== undefined
      ? lineIndent(text, first.getStart(sf))
      : `${lineIndent(text, block.statement.getStart(sf))}${style.indent}`;
  const code = testText(input.project, checked, name, style, indent, input.extension);
  const close = block.body.end - 1;
  const open = block.body.getStart(sf) + 1;
  const lineStart = text.lastIndexOf('\n', close - 1) + 1;
  const hasContent = text.slice(open, close).trim() !== '';
  const eol = style.eol;
  if (lineStart > open && text.slice(lineStart, close).trim() === '') {
    const previousLine = text.slice(text.lastIndexOf('\n', lineStart - 2) + 1, lineStart);
    const blank = hasContent && previousLine.trim() !== '' ? eol : '';
    applyEdit(file, { start: lineStart, end: lineStart, text: `${blank}${code}${eol}` });
  } else {
    const outer = lineIndent(text, block.statement.getStart(sf));
    const blank = hasContent ? eol : '';
    applyEdit(file, { start: close, end: close, text: `${eol}${blank}${code}${eol}${outer}` });
  }

  // The tree must say what was meant: the file parses, the test sits once in its describe, and
  // nothing moved at the top level.
  const broken = fileProblem(file);
  if (broken !== undefined) return { reason: `inserted, the file no longer parses (${broken})` };
  const after = describeBlocks(file.compilerNode)[describe];
  const count = after?.body.statements.filter((s) => testTitle(s) === name).length ?? 0;
  if (count !== 1 || nonImportCount(file.compilerNode) !== before + (creating ? 1 : 0))
    return { reason: 'inserted, it changed the structure of the file beyond its describe block' };
  return { name, describe };
}

/**
 * The line each named test starts on, in a file as it is now (after formatting moved them): tests
 * are found by title in any describe block; a name not found is left out.
 */
export function locateTests(
  file: SourceText,
  names: readonly string[],
): { name: string; line: number }[] {
  const extension = /\.[cm]?[jt]sx?$/.exec(file.path)?.[0] ?? '.ts';
  const project = new Project({ useInMemoryFileSystem: true });
  const sf = project.createSourceFile(`/__steward_test${extension}`, file.text).compilerNode;
  const found: { name: string; line: number }[] = [];
  for (const name of names) {
    for (const block of describeBlocks(sf)) {
      const statement = block.body.statements.find((s) => testTitle(s) === name);
      if (statement === undefined) continue;
      found.push({ name, line: sf.getLineAndCharacterOfPosition(statement.getStart(sf)).line + 1 });
      break;
    }
  }
  return found;
}

/**
 * Takes placed tests out again (the chain dropped them): the file becomes what inserting only
 * the remaining tests would have made, so imports only they needed, and a describe Steward made
 * for them, go with them. Titles of the remaining tests stay as they were placed.
 */
export function removeTests(insertion: Insertion, names: readonly string[]): Insertion {
  const drop = new Set(names);
  const kept = insertion.placed
    .filter((p) => !drop.has(p.name))
    .sort((a, b) => a.candidate - b.candidate)
    .map((p) => ({ ...insertion.request.candidates[p.candidate]!, name: p.name }));
  return insertTests({ ...insertion.request, candidates: kept });
}
