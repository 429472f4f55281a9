import { ts } from 'ts-morph';
import { parseSource } from '../health/complexity/parse.ts';
import { hasModifier, propertyNameText, skipValueWrappers } from '../health/complexity/syntax.ts';
import type { RefactorProposal, RefactorTarget } from './types.ts';

/**
 * A proposed refactoring put into the file by syntax tree, and the check that a file's new text
 * changed nothing but the target function and added nothing but private helpers.
 *
 * What can be a target: a function declaration at the top level of the file (`parseOptions`), a
 * method of a top-level class (`Parser.parse`), or a function or arrow assigned to a top-level
 * `const`/`let` with one declaration (`const parse = (…) => …`). Getters, setters, constructors,
 * methods of object literals and nested functions are refused with a reason.
 *
 * How the text is put together (the rest of the file stays byte for byte what it was):
 * - The function's node is replaced: the declaration, the method, or the whole variable statement.
 *   The model's code is dedented and indented like the node it replaces; lines inside template
 *   literals and strings are left as they are (their text is the program's data).
 * - The leading comment is kept: when the model's code starts with a comment of its own, that
 *   comment replaces the one attached to the function (the comment run directly above it, no blank
 *   line between); otherwise the original comment stays above the new code.
 * - Helpers go after the statement that holds the function (and a comment on its closing line),
 *   each after a blank line, as top-level declarations: for a method too, after its class (not as
 *   private methods), so a helper never sees `this` and the class's shape, and with it the file's
 *   API, stays the same.
 * - Line endings follow the file's (CRLF when it has any).
 *
 * The parse is TypeScript's own parser through ts-morph's bundled compiler (as code health parses),
 * on raw nodes and text offsets rather than ts-morph's manipulation API: the latter reprints code it
 * touches, and the rule here is that nothing outside the function changes. Formatting with the
 * project's prettier is the face's concern; this returns plain text.
 *
 * {@link checkRefactoredText} is the one judge of the result: `applyProposal` runs it on its own
 * output, and the deliver job runs it again on an artifact it did not make.
 */

const SK = ts.SyntaxKind;

/** A proposal in place, or why it cannot be. */
export type ApplyResult =
  { ok: true; text: string; helperNames: string[] } | { ok: false; reason: string };

export type RefactorCheck = { ok: true; helperNames: string[] } | { ok: false; reason: string };

/** The target's fields the placement needs. */
export type TargetRef = Pick<RefactorTarget, 'path' | 'function' | 'line'>;

type Located =
  | { kind: 'function'; index: number; statement: ts.FunctionDeclaration }
  | {
      kind: 'variable';
      index: number;
      statement: ts.VariableStatement;
      declaration: ts.VariableDeclaration;
    }
  | {
      kind: 'method';
      index: number;
      statement: ts.ClassDeclaration;
      member: ts.MethodDeclaration;
    };

interface Parsed {
  text: string;
  sourceFile: ts.SourceFile;
}

const WRAPPER = '__StewardRefactorClass__';

export function applyProposal(
  fileText: string,
  target: TargetRef,
  proposal: RefactorProposal,
): ApplyResult {
  if (proposal.path !== target.path)
    return refuse(
      `the proposal is for ${quote(proposal.path)}, not the target's file ${quote(target.path)}`,
    );
  if (proposal.function !== target.function)
    return refuse(
      `the proposal names another function, ${quote(proposal.function)}, not the target ${quote(target.function)}`,
    );
  const before = parse(target.path, fileText);
  if (!before.ok) return refuse(`the file does not parse: ${before.reason}`);
  const located = locate(before.value, target);
  if (!located.ok) return located;

  const code = parseCode(target.path, proposal.code, located.value);
  if (!code.ok) return code;
  const same = sameDeclaration(located.value, code.node, before.value, code.parsed);
  if (same !== null) return refuse(same);
  const helpers: string[] = [];
  for (const [index, helper] of proposal.helpers.entries()) {
    const parsed = parseHelper(target.path, helper, index);
    if (!parsed.ok) return parsed;
    helpers.push(parsed.text);
  }

  const { text } = before.value;
  const node = nodeOf(located.value);
  const sourceFile = before.value.sourceFile;
  const start = hasLeadingComment(code.normalised)
    ? attachedCommentStart(text, node, sourceFile)
    : node.getStart(sourceFile);
  const indentation = indentationAt(text, node.getStart(sourceFile));
  const newCode = reindent(code.normalised, code.literals, indentation);
  // After a comment on the statement's closing line (`} // end`), which stays with it.
  const statementEnd = endOfLineComments(text, located.value.statement.end);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const after =
    text.slice(0, start) +
    toEol(newCode, eol) +
    text.slice(node.end, statementEnd) +
    helpers.map((helper) => toEol(`\n\n${helper}`, eol)).join('') +
    text.slice(statementEnd);

  const check = checkRefactoredText(fileText, after, target);
  if (!check.ok) return check;
  return { ok: true, text: after, helperNames: check.helperNames };
}

/**
 * Whether `after` is `before` with only the target function changed and only new private
 * top-level helpers added after the statement holding it. Every other statement (and the comments
 * before it) must be the same text; whitespace between top-level statements may differ. The
 * function keeps its name, kind and modifiers (export, default, async, generator, static,
 * visibility, decorators). Each helper is a non-exported function declaration, a `const` holding a
 * function or arrow, a type alias or an interface, under a name the file did not use anywhere
 * before (so it shadows nothing the rest of the file refers to). `after` is hostile input.
 */
export function checkRefactoredText(
  before: string,
  after: string,
  target: TargetRef,
): RefactorCheck {
  const old = parse(target.path, before);
  if (!old.ok) return refuse(`the file did not parse before the change: ${old.reason}`);
  const located = locate(old.value, target);
  if (!located.ok) return located;
  const now = parse(target.path, after);
  if (!now.ok) return refuse(`the refactored file does not parse: ${now.reason}`);
  const fn = quote(target.function);

  const oldStatements = old.value.sourceFile.statements;
  const newStatements = now.value.sourceFile.statements;
  const added = newStatements.length - oldStatements.length;
  if (added < 0) return refuse(`a statement outside ${fn} was removed`);
  const index = located.value.index;
  for (let j = 0; j < oldStatements.length; j++) {
    if (j === index) continue;
    const was = oldStatements[j]!;
    const is = newStatements[j < index ? j : j + added]!;
    if (statementText(old.value, was) !== statementText(now.value, is))
      return refuse(`it changes code outside ${fn} (line ${lineOf(old.value, was)})`);
    if (
      !sameList(comments(old.value, was.pos), comments(now.value, is.pos)) ||
      !sameList(trailingComments(old.value, was), trailingComments(now.value, is))
    )
      return refuse(`it changes a comment outside ${fn} (line ${lineOf(old.value, was)})`);
  }
  const oldEnd = old.value.sourceFile.endOfFileToken;
  const newEnd = now.value.sourceFile.endOfFileToken;
  if (!sameList(comments(old.value, oldEnd.pos), comments(now.value, newEnd.pos)))
    return refuse('it changes a comment at the end of the file');

  const oldTarget = oldStatements[index]!;
  if (
    !sameList(
      trailingComments(old.value, oldTarget),
      trailingComments(now.value, newStatements[index]!),
    )
  )
    return refuse(`it changes the comment after ${fn}`);
  const changed = checkTarget(located.value, newStatements[index]!, old.value, now.value);
  if (changed !== null) return refuse(changed);

  const used = identifiersOf(old.value.sourceFile);
  const helperNames: string[] = [];
  for (let j = index + 1; j <= index + added; j++) {
    const helper = helperOf(newStatements[j]!, now.value);
    if (!helper.ok) return helper;
    if (used.has(helper.name) || helperNames.includes(helper.name))
      return refuse(
        `the helper ${quote(helper.name)} clashes with a name the file already uses; pick a new name`,
      );
    helperNames.push(helper.name);
  }
  return { ok: true, helperNames };
}

// ── finding the target ──────────────────────────────────────────────────────────────────────

function locate(
  file: Parsed,
  target: TargetRef,
): { ok: true; value: Located } | { ok: false; reason: string } {
  const { sourceFile } = file;
  const name = target.function;
  const dot = name.indexOf('.');
  const found: Located[] = [];
  let refusal: string | null = null;
  sourceFile.statements.forEach((statement, index) => {
    if (dot < 0 && ts.isFunctionDeclaration(statement)) {
      if (statement.body !== undefined && statement.name?.text === name)
        found.push({ kind: 'function', index, statement });
    } else if (dot < 0 && ts.isVariableStatement(statement)) {
      const declarations = statement.declarationList.declarations;
      for (const declaration of declarations) {
        if (!ts.isIdentifier(declaration.name) || declaration.name.text !== name) continue;
        if (!isFunctionValue(declaration.initializer)) continue;
        if (declarations.length > 1)
          refusal = `${quote(name)} is declared together with other variables in one statement`;
        else found.push({ kind: 'variable', index, statement, declaration });
      }
    } else if (dot > 0 && ts.isClassDeclaration(statement)) {
      if (statement.name?.text !== name.slice(0, dot)) return;
      const memberName = name.slice(dot + 1);
      for (const member of statement.members) {
        if (member.name === undefined || propertyNameText(member.name, sourceFile) !== memberName)
          continue;
        if (ts.isMethodDeclaration(member) && member.body !== undefined)
          found.push({ kind: 'method', index, statement, member });
        else if (ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member))
          refusal = `${quote(name)} is a getter or setter: only functions and methods are refactored`;
      }
    }
  });
  if (found.length === 0) {
    if (name === 'constructor' || name.endsWith('.constructor'))
      return refuse(`${quote(name)} is a constructor: only functions and methods are refactored`);
    return refuse(
      refusal ??
        `${quote(name)} is not a function declaration, a method of a top-level class or a function assigned to a top-level const in ${target.path}`,
    );
  }
  if (found.length === 1) return { ok: true, value: found[0]! };
  const atLine = found.filter((f) => {
    const node = nodeOf(f);
    return lineOf(file, node) <= target.line && target.line <= endLineOf(file, node);
  });
  if (atLine.length === 1) return { ok: true, value: atLine[0]! };
  return refuse(`${target.path} has several functions named ${quote(name)}`);
}

function nodeOf(located: Located): ts.Node {
  return located.kind === 'method' ? located.member : located.statement;
}

function isFunctionValue(node: ts.Node | undefined): boolean {
  if (node === undefined) return false;
  const value = skipValueWrappers(node);
  return value.kind === SK.ArrowFunction || value.kind === SK.FunctionExpression;
}

// ── the model's code ────────────────────────────────────────────────────────────────────────

interface ParsedCode {
  ok: true;
  node: ts.Node;
  parsed: Parsed;
  /** The code with leading blank lines and trailing whitespace removed, before reindenting. */
  normalised: string;
  /** [start, end) offsets in `normalised` of template literal and string pieces. */
  literals: [number, number][];
}

function parseCode(
  path: string,
  code: string,
  located: Located,
): ParsedCode | { ok: false; reason: string } {
  const normalised = normalise(code);
  if (normalised === '') return refuse("the function's code is empty");
  if (located.kind === 'method') {
    const prefix = `class ${WRAPPER} {\n`;
    const wrapped = parse(path, `${prefix}${normalised}\n}`, -1);
    if (!wrapped.ok) return refuse(`the method's code does not parse: ${wrapped.reason}`);
    const statements = wrapped.value.sourceFile.statements;
    const cls = statements[0];
    if (
      statements.length !== 1 ||
      cls === undefined ||
      !ts.isClassDeclaration(cls) ||
      cls.name?.text !== WRAPPER ||
      cls.members.length !== 1
    )
      return refuse("the method's code must hold exactly that one method, nothing around it");
    const literals = literalRanges(wrapped.value.sourceFile)
      .map(([s, e]): [number, number] => [s - prefix.length, e - prefix.length])
      .filter(([s]) => s >= 0);
    const member = cls.members[0]!;
    return {
      ok: true,
      node: member,
      parsed: wrapped.value,
      // A comment after the method would land in its class, outside the method: dropped.
      ...tightened(
        normalised.slice(0, member.end - prefix.length),
        member.getStart(wrapped.value.sourceFile) - prefix.length,
        literals,
      ),
    };
  }
  const parsed = parse(path, normalised);
  if (!parsed.ok) return refuse(`the function's code does not parse: ${parsed.reason}`);
  const statements = withoutStraySemicolons(parsed.value.sourceFile.statements);
  if (statements.length !== 1)
    return refuse(
      `the function's code must hold exactly that one function (it has ${statements.length} statements); helpers go in helpers`,
    );
  const node = statements[0]!;
  return {
    ok: true,
    node,
    parsed: parsed.value,
    // A comment after the function would land above the next statement: dropped.
    ...tightened(
      normalised.slice(0, node.end),
      node.getStart(parsed.value.sourceFile),
      literalRanges(parsed.value.sourceFile),
    ),
  };
}

/**
 * The code with blank lines between its leading comments and the function taken out, so that
 * every comment the model put above the function stays attached to it (a detached one would read
 * as a change above the function). Each comment keeps its own line's indentation.
 */
function tightened(
  code: string,
  nodeStart: number,
  literals: [number, number][],
): { normalised: string; literals: [number, number][] } {
  const ranges = ts.getLeadingCommentRanges(code, 0) ?? [];
  const gaps = ranges.map((r, i) => code.slice(r.end, ranges[i + 1]?.pos ?? nodeStart));
  if (!gaps.some((gap) => (gap.match(/\n/g)?.length ?? 0) > 1))
    return { normalised: code, literals };
  const indentBefore = (pos: number) => {
    const before = code.slice(code.lastIndexOf('\n', pos - 1) + 1, pos);
    return before.trim() === '' ? before : '';
  };
  const lead =
    ranges.map((r) => indentBefore(r.pos) + code.slice(r.pos, r.end)).join('\n') +
    '\n' +
    indentBefore(nodeStart);
  const shift = lead.length - nodeStart;
  return {
    normalised: lead + code.slice(nodeStart),
    literals: literals.map(([s, e]): [number, number] => [s + shift, e + shift]),
  };
}

/** `function f() {};`: the `;` after a declaration is an empty statement the model did not mean. */
function withoutStraySemicolons(statements: readonly ts.Statement[]): readonly ts.Statement[] {
  const first = statements[0];
  return first !== undefined &&
    !ts.isEmptyStatement(first) &&
    statements.slice(1).every((statement) => ts.isEmptyStatement(statement))
    ? [first]
    : statements;
}

function parseHelper(
  path: string,
  helper: string,
  index: number,
): { ok: true; text: string } | { ok: false; reason: string } {
  const normalised = normalise(helper);
  const which = `helper ${index + 1}`;
  if (normalised === '') return refuse(`${which} is empty`);
  const parsed = parse(path, normalised);
  if (!parsed.ok) return refuse(`${which} does not parse: ${parsed.reason}`);
  const statements = withoutStraySemicolons(parsed.value.sourceFile.statements);
  if (statements.length !== 1)
    return refuse(`${which} must be exactly one declaration (it has ${statements.length})`);
  const checked = helperOf(statements[0]!, parsed.value);
  if (!checked.ok) return refuse(`${which}: ${checked.reason}`);
  // A comment after the helper would land above the next statement: dropped.
  const text = normalised.slice(0, statements[0]!.end);
  return { ok: true, text: reindent(text, literalRanges(parsed.value.sourceFile), '') };
}

/** A helper's name, when it is one of the declarations a helper may be. */
function helperOf(
  statement: ts.Statement,
  file: Parsed,
): { ok: true; name: string } | { ok: false; reason: string } {
  const at = `line ${lineOf(file, statement)}`;
  if (
    hasModifier(statement, SK.ExportKeyword) ||
    hasModifier(statement, SK.DefaultKeyword) ||
    ts.isExportAssignment(statement) ||
    ts.isExportDeclaration(statement)
  )
    return refuse(`a helper must not be exported (${at}): the file's API stays the same`);
  if (hasModifier(statement, SK.DeclareKeyword))
    return refuse(`a helper must be real code, not a declare (${at})`);
  if (ts.isFunctionDeclaration(statement)) {
    if (statement.name === undefined || statement.body === undefined)
      return refuse(`a helper function needs a name and a body (${at})`);
    return { ok: true, name: statement.name.text };
  }
  if (ts.isVariableStatement(statement)) {
    const list = statement.declarationList;
    const declaration = list.declarations[0];
    if (
      (list.flags & ts.NodeFlags.Const) === 0 ||
      list.declarations.length !== 1 ||
      declaration === undefined ||
      !ts.isIdentifier(declaration.name) ||
      !isFunctionValue(declaration.initializer)
    )
      return refuse(`a helper variable must be one const holding a function or arrow (${at})`);
    return { ok: true, name: declaration.name.text };
  }
  if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement))
    return { ok: true, name: statement.name.text };
  return refuse(
    `a helper must be a function, a const holding a function, a type alias or an interface (${at})`,
  );
}

// ── the same declaration, changed only inside ──────────────────────────────────────────────

function checkTarget(
  located: Located,
  statement: ts.Statement,
  old: Parsed,
  now: Parsed,
): string | null {
  const fn = quote(located.kind === 'method' ? memberName(located.member, old) : nameOf(located));
  if (located.kind !== 'method') {
    const was = splitComments(old, located.statement);
    const is = splitComments(now, statement);
    if (!sameList(was.detached, is.detached)) return `it changes a comment above ${fn}`;
    return sameDeclaration(located, statement, old, now);
  }
  if (!ts.isClassDeclaration(statement) || statement.name?.text !== located.statement.name?.text)
    return `the class holding ${fn} was changed`;
  if (!sameList(comments(old, located.statement.pos), comments(now, statement.pos)))
    return `it changes a comment above the class holding ${fn}`;
  const name = memberName(located.member, old);
  const members = statement.members.filter(
    (m) => m.name !== undefined && propertyNameText(m.name, now.sourceFile) === name,
  );
  const member = members.find((m) => ts.isMethodDeclaration(m) && m.body !== undefined);
  if (members.length !== 1 || member === undefined)
    return `${fn} is no longer one method of its class (renamed, or a member of that name added)`;
  const outside = (file: Parsed, cls: ts.ClassDeclaration, m: ts.Node) =>
    file.text.slice(cls.getStart(file.sourceFile), m.pos) + file.text.slice(m.end, cls.end);
  if (outside(old, located.statement, located.member) !== outside(now, statement, member))
    return `it changes its class outside ${fn}`;
  return sameDeclaration(located, member, old, now);
}

/** Null when `node` declares the same function as the target (name, kind, modifiers); else why not. */
function sameDeclaration(located: Located, node: ts.Node, old: Parsed, now: Parsed): string | null {
  switch (located.kind) {
    case 'function': {
      const was = located.statement;
      const name = quote(nameOf(located));
      if (!ts.isFunctionDeclaration(node) || node.body === undefined)
        return `the new code of ${name} is not a function declaration with a body`;
      if (node.name?.text !== was.name?.text)
        return `the function was renamed from ${name} to ${quote(node.name?.text ?? '(anonymous)')}`;
      return sameModifiers(was, node, name, old, now) ?? sameStar(was, node, name);
    }
    case 'variable': {
      const was = located.statement;
      const name = quote(nameOf(located));
      if (!ts.isVariableStatement(node))
        return `the new code of ${name} is not a variable statement like the original`;
      const declarations = node.declarationList.declarations;
      const declaration = declarations[0];
      if (declarations.length !== 1 || declaration === undefined)
        return `the new code of ${name} must declare that one variable`;
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== nameOf(located))
        return `the function was renamed from ${name} to ${quote(declaration.name.getText(now.sourceFile))}`;
      const kind = (flags: ts.NodeFlags) => flags & ts.NodeFlags.BlockScoped;
      if (kind(node.declarationList.flags) !== kind(was.declarationList.flags))
        return `${name} changed between const, let and var`;
      const typeText = (d: ts.VariableDeclaration, file: Parsed) =>
        d.type === undefined ? '' : d.type.getText(file.sourceFile);
      if (typeText(located.declaration, old) !== typeText(declaration, now))
        return `the declared type of ${name} changed`;
      const wasValue = skipValueWrappers(located.declaration.initializer!);
      const isValue = declaration.initializer && skipValueWrappers(declaration.initializer);
      if (isValue === undefined || isValue.kind !== wasValue.kind)
        return `${name} must stay ${wasValue.kind === SK.ArrowFunction ? 'an arrow function' : 'a function expression'}`;
      return (
        sameModifiers(was, node, name, old, now) ??
        sameModifiers(wasValue, isValue, name, old, now) ??
        sameStar(wasValue, isValue, name)
      );
    }
    case 'method': {
      const was = located.member;
      const name = quote(memberName(was, old));
      if (!ts.isMethodDeclaration(node) || node.body === undefined)
        return `the new code of ${name} is not a method with a body`;
      if (memberName(node, now) !== memberName(was, old))
        return `the method was renamed from ${name} to ${quote(memberName(node, now))}`;
      if ((node.questionToken === undefined) !== (was.questionToken === undefined))
        return `${name} changed whether it is optional`;
      return sameModifiers(was, node, name, old, now) ?? sameStar(was, node, name);
    }
  }
}

function sameModifiers(
  was: ts.Node,
  is: ts.Node,
  name: string,
  old: Parsed,
  now: Parsed,
): string | null {
  const list = (node: ts.Node, file: Parsed) => {
    const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers ?? [];
    return modifiers.map((m) =>
      m.kind === SK.Decorator ? m.getText(file.sourceFile) : (ts.tokenToString(m.kind) ?? ''),
    );
  };
  const before = list(was, old);
  const after = list(is, now);
  if (sameList([...before].sort(), [...after].sort())) return null;
  return `the modifiers of ${name} changed from "${before.join(' ')}" to "${after.join(' ')}" (export, default, async, static, visibility and decorators must stay)`;
}

function sameStar(was: ts.Node, is: ts.Node, name: string): string | null {
  const star = (node: ts.Node) => (node as { asteriskToken?: ts.Node }).asteriskToken !== undefined;
  return star(was) === star(is) ? null : `${name} changed whether it is a generator`;
}

/** The name of a function or const target (a method's is {@link memberName}). */
function nameOf(located: Exclude<Located, { kind: 'method' }>): string {
  return located.kind === 'function'
    ? (located.statement.name?.text ?? 'default')
    : (located.declaration.name as ts.Identifier).text;
}

function memberName(member: ts.ClassElement, file: Parsed): string {
  return member.name === undefined ? '' : propertyNameText(member.name, file.sourceFile);
}

// ── text ──────────────────────────────────────────────────────────────────────────────────

function parse(
  path: string,
  text: string,
  lineOffset = 0,
): { ok: true; value: Parsed } | { ok: false; reason: string } {
  let parsed;
  try {
    parsed = parseSource(path, text);
  } catch (error: unknown) {
    return refuse(error instanceof Error ? error.message : String(error));
  }
  const first = parsed.syntaxErrors[0];
  if (first !== undefined)
    return refuse(`line ${first.line + lineOffset}: ${oneLine(first.message)}`);
  return { ok: true, value: { text, sourceFile: parsed.sourceFile } };
}

function statementText(file: Parsed, node: ts.Node): string {
  return file.text.slice(node.getStart(file.sourceFile), node.end);
}

/** The comments in the trivia before `pos`, as text, but for one on the line before `pos`. */
function comments(file: Parsed, pos: number): string[] {
  return ownLeadingRanges(file.text, pos).map((r) => file.text.slice(r.pos, r.end));
}

/**
 * The comments in the trivia before `pos` that start on a line of their own: one on the line of the
 * token before `pos` (`foo(); // why`) belongs to that statement (see {@link trailingComments}).
 */
function ownLeadingRanges(text: string, pos: number): ts.CommentRange[] {
  // At the start of the file there is no token before: a comment on line 1 is its own.
  const before = pos === 0 ? [] : (ts.getTrailingCommentRanges(text, pos) ?? []);
  const trailing = new Set(before.map((r) => r.pos));
  return (ts.getLeadingCommentRanges(text, pos) ?? []).filter((r) => !trailing.has(r.pos));
}

/** The comments on the closing line of a statement, after it. */
function trailingComments(file: Parsed, node: ts.Node): string[] {
  return (ts.getTrailingCommentRanges(file.text, node.end) ?? []).map((r) =>
    file.text.slice(r.pos, r.end),
  );
}

function endOfLineComments(text: string, end: number): number {
  const ranges = ts.getTrailingCommentRanges(text, end) ?? [];
  return ranges.length === 0 ? end : ranges[ranges.length - 1]!.end;
}

/**
 * A statement's leading comments split into the run attached to it (no blank line between them
 * and it) and the detached ones above (a file header, a section comment).
 */
function splitComments(file: Parsed, node: ts.Node): { detached: string[]; attached: string[] } {
  const ranges = ownLeadingRanges(file.text, node.pos);
  const split = attachedFrom(file.text, ranges, node.getStart(file.sourceFile));
  const texts = ranges.map((r) => file.text.slice(r.pos, r.end));
  return { detached: texts.slice(0, split), attached: texts.slice(split) };
}

function attachedFrom(text: string, ranges: readonly ts.CommentRange[], start: number): number {
  let split = ranges.length;
  let next = start;
  while (split > 0) {
    const range = ranges[split - 1]!;
    if ((text.slice(range.end, next).match(/\n/g)?.length ?? 0) > 1) break;
    split--;
    next = range.pos;
  }
  return split;
}

function attachedCommentStart(text: string, node: ts.Node, sourceFile: ts.SourceFile): number {
  const start = node.getStart(sourceFile);
  const ranges = ownLeadingRanges(text, node.pos);
  const split = attachedFrom(text, ranges, start);
  return split < ranges.length ? ranges[split]!.pos : start;
}

function hasLeadingComment(code: string): boolean {
  return (ts.getLeadingCommentRanges(code, 0) ?? []).length > 0;
}

/** Every identifier in the file, wherever it is: the names a helper must not take. */
function identifiersOf(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return names;
}

/** Offsets of template literal pieces and strings, whose lines reindenting must not touch. */
function literalRanges(sourceFile: ts.SourceFile): [number, number][] {
  const ranges: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case SK.NoSubstitutionTemplateLiteral:
      case SK.TemplateHead:
      case SK.TemplateMiddle:
      case SK.TemplateTail:
      case SK.StringLiteral:
        ranges.push([node.getStart(sourceFile), node.end]);
        return;
      default:
        ts.forEachChild(node, visit);
    }
  };
  visit(sourceFile);
  return ranges;
}

/** Leading blank lines and trailing whitespace off; line endings as `\n`. */
function normalise(code: string): string {
  return code
    .replace(/\r\n?/g, '\n')
    .replace(/^(?:[ \t]*\n)+/, '')
    .trimEnd();
}

/**
 * The code dedented by its common indentation and every line after the first indented by
 * `indentation` (the first goes where the replaced node started), except lines that start inside a
 * literal.
 */
function reindent(
  code: string,
  literals: readonly [number, number][],
  indentation: string,
): string {
  const lines = code.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const inLiteral = (i: number) =>
    i > 0 && literals.some(([s, e]) => s < starts[i]! && starts[i]! < e);
  const leading = (line: string) => line.length - line.trimStart().length;
  const shifted = lines.filter((line, i) => !inLiteral(i) && line.trim() !== '');
  const common = Math.min(...shifted.map(leading));
  return lines
    .map((line, i) => {
      if (inLiteral(i)) return line;
      if (line.trim() === '') return '';
      const body = line.slice(Math.min(common, leading(line)));
      return i === 0 ? body.trimStart() : indentation + body;
    })
    .join('\n');
}

function indentationAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const match = /^[ \t]*/.exec(text.slice(lineStart, pos));
  return match ? match[0] : '';
}

function toEol(text: string, eol: string): string {
  return eol === '\n' ? text : text.replace(/\n/g, eol);
}

function lineOf(file: Parsed, node: ts.Node): number {
  return file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile)).line + 1;
}

function endLineOf(file: Parsed, node: ts.Node): number {
  return file.sourceFile.getLineAndCharacterOfPosition(node.end).line + 1;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function quote(text: string): string {
  const flat = oneLine(text);
  return `"${flat.length > 80 ? `${flat.slice(0, 80)}…` : flat}"`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
