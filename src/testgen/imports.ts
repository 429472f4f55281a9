import { posix } from 'node:path';
import { ts } from 'ts-morph';
import { quoted, type FileStyle } from './file-style.ts';

/** One name an import declaration binds. */
export type ImportBinding =
  | { kind: 'named'; module: string; imported: string; local: string; typeOnly: boolean }
  | { kind: 'default' | 'namespace'; module: string; local: string; typeOnly: boolean };

/** A text edit at positions read from the syntax tree. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * The key two specifiers of one module share: `../src/a`, `../src/a.ts` and `../src/a.js` name the
 * same file from a test, so a candidate's spelling merges into the file's.
 */
export function moduleKey(specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return posix
    .normalize(specifier)
    .replace(/\.(?:[cm]?[jt]sx?)$/, '')
    .replace(/\/index$/, '');
}

function bindingsOf(declaration: ts.ImportDeclaration): ImportBinding[] {
  const clause = declaration.importClause;
  if (clause === undefined || !ts.isStringLiteral(declaration.moduleSpecifier)) return [];
  const module = declaration.moduleSpecifier.text;
  const out: ImportBinding[] = [];
  if (clause.name !== undefined)
    out.push({ kind: 'default', module, local: clause.name.text, typeOnly: clause.isTypeOnly });
  const named = clause.namedBindings;
  if (named !== undefined && ts.isNamespaceImport(named))
    out.push({ kind: 'namespace', module, local: named.name.text, typeOnly: clause.isTypeOnly });
  if (named !== undefined && ts.isNamedImports(named)) {
    for (const element of named.elements) {
      const imported = element.propertyName ?? element.name;
      out.push({
        kind: 'named',
        module,
        imported: ts.isStringLiteral(imported) ? imported.text : imported.text,
        local: element.name.text,
        typeOnly: clause.isTypeOnly || element.isTypeOnly,
      });
    }
  }
  return out;
}

/** The most import entries one candidate may bring, and the longest one. */
const MAX_IMPORTS = 50;
const MAX_IMPORT_LENGTH = 2_000;

/**
 * The bindings of a candidate's `imports`: each entry one or more import declarations binding
 * names, and nothing else. A reason when an entry is anything more.
 */
export function parseCandidateImports(
  texts: readonly string[],
  javascript: boolean,
): { bindings: ImportBinding[] } | { problem: string } {
  if (texts.length > MAX_IMPORTS) return { problem: `it has more than ${MAX_IMPORTS} imports` };
  const bindings: ImportBinding[] = [];
  for (const [index, text] of texts.entries()) {
    if (text.length > MAX_IMPORT_LENGTH)
      return { problem: `imports[${index}] is longer than ${MAX_IMPORT_LENGTH} characters` };
    const file = ts.createSourceFile(
      javascript ? 'import.js' : 'import.ts',
      text,
      ts.ScriptTarget.Latest,
      true,
    );
    const syntax = parseProblem(file);
    if (syntax !== undefined) return { problem: `imports[${index}] does not parse: ${syntax}` };
    if (file.statements.length === 0) return { problem: `imports[${index}] is empty` };
    for (const statement of file.statements) {
      if (!ts.isImportDeclaration(statement))
        return {
          problem: `imports[${index}] holds a ${ts.SyntaxKind[statement.kind]}, not only import declarations`,
        };
      if (statement.importClause === undefined)
        return {
          problem: `imports[${index}] is a side-effect import (${statement.moduleSpecifier.getText(file)}): it would run for every test in the file`,
        };
      if (statement.attributes !== undefined)
        return { problem: `imports[${index}] has import attributes, which Steward does not merge` };
      const found = bindingsOf(statement);
      if (javascript && found.some((b) => b.typeOnly))
        return { problem: `imports[${index}] is type-only, in a JavaScript test file` };
      bindings.push(...found);
    }
  }
  return { bindings };
}

/** The first syntax error of a parsed file, as `line N: message`, or undefined. */
export function parseProblem(file: ts.SourceFile): string | undefined {
  const diagnostics = (file as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] })
    .parseDiagnostics;
  if (diagnostics === undefined)
    throw new Error('this TypeScript exposes no parse diagnostics: update src/testgen/imports.ts');
  const first = diagnostics[0];
  if (first === undefined) return undefined;
  const line =
    first.start === undefined ? 0 : file.getLineAndCharacterOfPosition(first.start).line + 1;
  return `line ${line}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`;
}

/** What a name is bound to where a test goes: an import, or a declaration of the file's own. */
export type FileBinding =
  { kind: 'import'; binding: ImportBinding; declaration: ts.ImportDeclaration } | { kind: 'local' };

function declaredNames(name: ts.BindingName, into: string[]): void {
  if (ts.isIdentifier(name)) into.push(name.text);
  else
    for (const element of name.elements)
      if (!ts.isOmittedExpression(element)) declaredNames(element.name, into);
}

/** The names the statements declare, imports apart (they are read by {@link fileBindings}). */
export function localNames(statements: readonly ts.Statement[]): string[] {
  const names: string[] = [];
  for (const statement of statements) {
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations) declaredNames(d.name, names);
    else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isModuleDeclaration(statement) ||
        ts.isImportEqualsDeclaration(statement)) &&
      statement.name !== undefined &&
      ts.isIdentifier(statement.name)
    )
      names.push(statement.name.text);
  }
  return names;
}

/** Every name bound at the file's top level, and in the describe blocks around the test. */
export function fileBindings(
  file: ts.SourceFile,
  scopes: readonly (readonly ts.Statement[])[],
): Map<string, FileBinding> {
  const map = new Map<string, FileBinding>();
  for (const statement of file.statements)
    if (ts.isImportDeclaration(statement))
      for (const binding of bindingsOf(statement))
        map.set(binding.local, { kind: 'import', binding, declaration: statement });
  for (const name of localNames(file.statements)) map.set(name, { kind: 'local' });
  // A declaration in an enclosing describe shadows the import the test would otherwise see.
  for (const scope of scopes)
    for (const name of localNames(scope)) map.set(name, { kind: 'local' });
  return map;
}

function sameImport(a: ImportBinding, b: ImportBinding): boolean {
  if (a.kind !== b.kind || moduleKey(a.module) !== moduleKey(b.module)) return false;
  return a.kind !== 'named' || b.kind !== 'named' || a.imported === b.imported;
}

function describeBinding(b: ImportBinding): string {
  const what =
    b.kind === 'named'
      ? b.imported === b.local
        ? `{ ${b.local} }`
        : `{ ${b.imported} as ${b.local} }`
      : b.kind === 'default'
        ? b.local
        : `* as ${b.local}`;
  return `${b.typeOnly ? 'import type' : 'import'} ${what} from '${b.module}'`;
}

/** What the file needs for a binding: nothing, an edit, or a reason it cannot have it. */
export type BindingPlan =
  { kind: 'present' } | { kind: 'edit'; edit: TextEdit } | { kind: 'clash'; reason: string };

function specifierText(b: ImportBinding & { kind: 'named' }, inline: boolean): string {
  const name = b.imported === b.local ? b.local : `${b.imported} as ${b.local}`;
  return inline && b.typeOnly ? `type ${name}` : name;
}

function newDeclaration(b: ImportBinding, style: FileStyle): string {
  const from = quoted(b.module, style.quote);
  const semi = style.semicolons ? ';' : '';
  const head = b.typeOnly ? 'import type' : 'import';
  if (b.kind === 'named') return `${head} { ${specifierText(b, false)} } from ${from}${semi}`;
  if (b.kind === 'default') return `${head} ${b.local} from ${from}${semi}`;
  return `${head} * as ${b.local} from ${from}${semi}`;
}

/** Where a new import declaration goes: after the last one, or before the first statement. */
function newDeclarationEdit(file: ts.SourceFile, text: string, style: FileStyle): TextEdit {
  const imports = file.statements.filter(ts.isImportDeclaration);
  const last = imports.at(-1);
  if (last !== undefined) return { start: last.end, end: last.end, text: `${style.eol}${text}` };
  const first = file.statements[0];
  if (first === undefined) {
    const at = file.text.length;
    const lead = at === 0 || file.text.endsWith('\n') ? '' : style.eol;
    return { start: at, end: at, text: `${lead}${text}${style.eol}` };
  }
  // After the file's leading comments (a licence header, a shebang), before its first statement.
  const at = first.getStart(file, true);
  return { start: at, end: at, text: `${text}${style.eol}${style.eol}` };
}

/** Adds a named binding to a declaration that already has `{ ... }` or only a default import. */
function addToDeclaration(
  file: ts.SourceFile,
  declaration: ts.ImportDeclaration,
  b: ImportBinding & { kind: 'named' },
): TextEdit {
  const clause = declaration.importClause;
  const named = clause?.namedBindings;
  const spec = specifierText(b, !(clause?.isTypeOnly ?? false));
  if (named === undefined || !ts.isNamedImports(named)) {
    const end = clause?.name?.end ?? declaration.getStart(file);
    return { start: end, end, text: `, { ${spec} }` };
  }
  const elements = named.elements;
  const last = elements.at(-1);
  if (last === undefined) {
    return { start: named.getStart(file), end: named.end, text: `{ ${spec} }` };
  }
  const text = file.text;
  const lineOf = (pos: number): number => file.getLineAndCharacterOfPosition(pos).line;
  const multiline = lineOf(named.getStart(file)) !== lineOf(elements[0]!.getStart(file));
  const comma = elements.hasTrailingComma ? text.indexOf(',', last.end) + 1 : last.end;
  if (multiline) {
    const lineStart = text.lastIndexOf('\n', last.getStart(file)) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return elements.hasTrailingComma
      ? { start: comma, end: comma, text: `${eol}${indent}${spec},` }
      : { start: last.end, end: last.end, text: `,${eol}${indent}${spec}` };
  }
  return elements.hasTrailingComma
    ? { start: comma, end: comma, text: ` ${spec},` }
    : { start: last.end, end: last.end, text: `, ${spec}` };
}

/** Makes a type-only import of the name a value import, when that touches nothing else. */
function upgradeEdit(
  file: ts.SourceFile,
  declaration: ts.ImportDeclaration,
  local: string,
): TextEdit | undefined {
  const clause = declaration.importClause;
  if (clause === undefined) return undefined;
  const named = clause.namedBindings;
  const element =
    named !== undefined && ts.isNamedImports(named)
      ? named.elements.find((e) => e.name.text === local)
      : undefined;
  if (element?.isTypeOnly === true) {
    const start = element.getStart(file);
    const nameStart = (element.propertyName ?? element.name).getStart(file);
    return { start, end: nameStart, text: '' };
  }
  const alone =
    clause.isTypeOnly &&
    (clause.name === undefined
      ? named !== undefined && (!ts.isNamedImports(named) || named.elements.length === 1)
      : named === undefined);
  if (!alone) return undefined;
  const start = clause.getStart(file);
  const next = clause.name ?? named!;
  return { start, end: next.getStart(file), text: '' };
}

/** How the file gets `wanted`: already there, an edit, or a clash with what the name is bound to. */
export function planBinding(
  file: ts.SourceFile,
  bindings: ReadonlyMap<string, FileBinding>,
  wanted: ImportBinding,
  style: FileStyle,
): BindingPlan {
  const existing = bindings.get(wanted.local);
  if (existing !== undefined) {
    if (existing.kind === 'local')
      return {
        kind: 'clash',
        reason: `${describeBinding(wanted)} clashes with ${wanted.local}, declared in the test file`,
      };
    if (!sameImport(existing.binding, wanted))
      return {
        kind: 'clash',
        reason: `${describeBinding(wanted)} clashes with ${describeBinding(existing.binding)} in the test file`,
      };
    if (wanted.typeOnly || !existing.binding.typeOnly) return { kind: 'present' };
    const edit = upgradeEdit(file, existing.declaration, wanted.local);
    return edit === undefined
      ? {
          kind: 'clash',
          reason: `${describeBinding(wanted)} needs a value, and the test file imports ${wanted.local} type-only with other names`,
        }
      : { kind: 'edit', edit };
  }
  const key = moduleKey(wanted.module);
  const sameModule = file.statements.filter(
    (s): s is ts.ImportDeclaration =>
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      moduleKey(s.moduleSpecifier.text) === key &&
      s.importClause !== undefined &&
      s.attributes === undefined,
  );
  // The file's spelling of the module wins over the candidate's.
  const module =
    sameModule[0] !== undefined
      ? (sameModule[0].moduleSpecifier as ts.StringLiteral).text
      : wanted.module;
  const spelled = { ...wanted, module };
  if (spelled.kind === 'named') {
    // A declaration takes named imports when it has `{ ... }` or a default import alone, except
    // `import type X from 'm'` (`import type X, { y }` is not TypeScript); a type-only one takes
    // type-only names only.
    const takes = (d: ts.ImportDeclaration): boolean => {
      const clause = d.importClause!;
      const named = clause.namedBindings;
      if (named !== undefined)
        return ts.isNamedImports(named) && (!clause.isTypeOnly || spelled.typeOnly);
      return !clause.isTypeOnly;
    };
    const target =
      sameModule.find((d) => takes(d) && d.importClause!.isTypeOnly === spelled.typeOnly) ??
      sameModule.find(takes);
    if (target !== undefined)
      return { kind: 'edit', edit: addToDeclaration(file, target, spelled) };
  }
  if (spelled.kind === 'default' && !spelled.typeOnly) {
    const target = sameModule.find(
      (d) =>
        !d.importClause!.isTypeOnly &&
        d.importClause!.name === undefined &&
        d.importClause!.namedBindings !== undefined &&
        ts.isNamedImports(d.importClause!.namedBindings),
    );
    if (target !== undefined) {
      const at = target.importClause!.getStart(file);
      return { kind: 'edit', edit: { start: at, end: at, text: `${spelled.local}, ` } };
    }
  }
  return { kind: 'edit', edit: newDeclarationEdit(file, newDeclaration(spelled, style), style) };
}
