import { ts } from 'ts-morph';
import { isAnalysable } from '../health/complexity/languages.ts';
import { parseSource } from '../health/complexity/parse.ts';
import { hasModifier, skipValueWrappers } from '../health/complexity/syntax.ts';
import { type ProjectView, resolveSpecifier } from './project.ts';
import type { TestTarget } from './types.ts';

/**
 * The declarations a target uses, as short source text the model can write a test against: type
 * aliases, interfaces and enums whole; classes as their shape (public members' signatures, no
 * bodies); functions and function-valued constants as their signatures; imports from packages as
 * the import lines. Names are resolved through relative imports (and re-exports) within the
 * project, a few levels deep, without a type checker: one parse per file read.
 */

const SK = ts.SyntaxKind;

/** How far from the target a type is followed (its parameter's type's field's type …). */
const MAX_DEPTH = 3;
/** Most files parsed for one target. */
const MAX_FILES = 40;
/** A constant's initializer longer than this is shown cut. */
const MAX_INITIALIZER_CHARS = 400;

interface Scope {
  sourceFile: ts.SourceFile;
  /** Top-level declarations by name (several for overloads and merged declarations). */
  declarations: Map<string, ts.Statement[]>;
  /** Imported bindings by local name. */
  imports: Map<string, { specifier: string; imported: string; statement: ts.ImportDeclaration }>;
  /** `export { local as name }` (no `from`): name → local. */
  exportedAs: Map<string, string>;
  /** `export { a as b } from './x'`: b → { specifier, a }; `export * from` under '*'. */
  reexports: Map<string, { specifier: string; imported: string }[]>;
  defaultLocal: string | null;
}

function nameOfStatement(statement: ts.Statement): string[] {
  switch (statement.kind) {
    case SK.InterfaceDeclaration:
    case SK.TypeAliasDeclaration:
    case SK.EnumDeclaration:
    case SK.ClassDeclaration:
    case SK.FunctionDeclaration: {
      const name = (statement as ts.DeclarationStatement).name;
      const names = name !== undefined && ts.isIdentifier(name) ? [name.text] : [];
      return hasModifier(statement, SK.DefaultKeyword) ? [...names, 'default'] : names;
    }
    case SK.VariableStatement:
      return (statement as ts.VariableStatement).declarationList.declarations.flatMap((d) =>
        ts.isIdentifier(d.name) ? [d.name.text] : [],
      );
    default:
      return [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function scopeOf(sourceFile: ts.SourceFile): Scope {
  const scope: Scope = {
    sourceFile,
    declarations: new Map(),
    imports: new Map(),
    exportedAs: new Map(),
    reexports: new Map(),
    defaultLocal: null,
  };
  for (const statement of sourceFile.statements) {
    for (const name of nameOfStatement(statement)) push(scope.declarations, name, statement);
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause === undefined) continue;
      if (clause.name !== undefined)
        scope.imports.set(clause.name.text, { specifier, imported: 'default', statement });
      const bindings = clause.namedBindings;
      if (bindings !== undefined && ts.isNamedImports(bindings))
        for (const element of bindings.elements)
          scope.imports.set(element.name.text, {
            specifier,
            imported: (element.propertyName ?? element.name).text,
            statement,
          });
      else if (bindings !== undefined)
        scope.imports.set(bindings.name.text, { specifier, imported: '*', statement });
    } else if (ts.isExportDeclaration(statement)) {
      const specifier =
        statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier)
          ? statement.moduleSpecifier.text
          : null;
      const clause = statement.exportClause;
      if (clause === undefined) {
        if (specifier !== null) push(scope.reexports, '*', { specifier, imported: '*' });
      } else if (ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          const local = (element.propertyName ?? element.name).text;
          if (specifier === null) scope.exportedAs.set(element.name.text, local);
          else push(scope.reexports, element.name.text, { specifier, imported: local });
        }
      }
    } else if (ts.isExportAssignment(statement)) {
      const value = skipValueWrappers(statement.expression);
      if (ts.isIdentifier(value)) scope.defaultLocal = value.text;
    }
  }
  return scope;
}

/** The body of a function-like node, which a signature leaves out. */
function bodyOf(node: ts.Node): ts.Node | undefined {
  return ts.isFunctionLike(node) ? (node as ts.FunctionLikeDeclaration).body : undefined;
}

/**
 * The identifiers code between `start` and `end` refers to (not property names after a dot).
 * With `signaturesOnly`, what function bodies use is left out: a declaration shown as its
 * signature brings in the types of its signature, not its internals.
 */
export function namesUsed(
  node: ts.Node,
  start: number,
  end: number,
  signaturesOnly = false,
): Set<string> {
  const names = new Set<string>();
  const visit = (child: ts.Node, parent: ts.Node | undefined): void => {
    if (child.end <= start || child.pos >= end) return;
    if (signaturesOnly && parent !== undefined && bodyOf(parent) === child) return;
    if (child.kind === SK.Identifier) {
      const afterDot =
        parent !== undefined &&
        ((ts.isPropertyAccessExpression(parent) && parent.name === child) ||
          (ts.isQualifiedName(parent) && parent.right === child));
      if (!afterDot) names.add((child as ts.Identifier).text);
      return;
    }
    ts.forEachChild(child, (grandchild) => visit(grandchild, child));
  };
  visit(node, undefined);
  return names;
}

function textOf(sourceFile: ts.SourceFile, node: ts.Node, end = node.end): string {
  return sourceFile.text.slice(node.getStart(sourceFile), end).trim();
}

function isPrivate(member: ts.ClassElement): boolean {
  return (
    hasModifier(member, SK.PrivateKeyword) ||
    (member.name !== undefined && member.name.kind === SK.PrivateIdentifier)
  );
}

/** A class's public shape: its header and each member's signature, no bodies, no initializers. */
function classShape(sourceFile: ts.SourceFile, cls: ts.ClassLikeDeclaration): string {
  const open = sourceFile.text.indexOf('{', cls.members.pos - 1);
  const header = sourceFile.text.slice(cls.getStart(sourceFile), open < 0 ? cls.members.pos : open);
  const members: string[] = [];
  for (const member of cls.members) {
    if (isPrivate(member)) continue;
    const body = (member as ts.FunctionLikeDeclaration).body;
    if (body !== undefined)
      members.push(`${textOf(sourceFile, member, body.getStart(sourceFile))};`);
    else if (ts.isPropertyDeclaration(member)) {
      const end = member.type?.end ?? member.exclamationToken?.end ?? member.questionToken?.end;
      members.push(`${textOf(sourceFile, member, end ?? member.name.end)};`);
    } else if (
      member.kind !== SK.SemicolonClassElement &&
      member.kind !== SK.ClassStaticBlockDeclaration
    )
      members.push(textOf(sourceFile, member));
  }
  return `${header.trim()} {\n${members.map((m) => `  ${m}`).join('\n')}\n}`;
}

/** What a test needs to know of a top-level declaration (see the file's comment). */
export function renderDeclaration(
  sourceFile: ts.SourceFile,
  statement: ts.Statement,
  name: string,
): string {
  if (ts.isClassDeclaration(statement)) return classShape(sourceFile, statement);
  if (ts.isFunctionDeclaration(statement))
    return statement.body === undefined
      ? textOf(sourceFile, statement)
      : `${textOf(sourceFile, statement, statement.body.getStart(sourceFile))};`;
  if (ts.isVariableStatement(statement)) {
    const declaration =
      statement.declarationList.declarations.find(
        (d) => ts.isIdentifier(d.name) && d.name.text === name,
      ) ?? statement.declarationList.declarations[0];
    const initializer = declaration?.initializer;
    if (declaration === undefined || initializer === undefined)
      return textOf(sourceFile, statement);
    const value = skipValueWrappers(initializer);
    const keyword = sourceFile.text.slice(
      statement.getStart(sourceFile),
      statement.declarationList.declarations[0]!.getStart(sourceFile),
    );
    if ((ts.isArrowFunction(value) || ts.isFunctionExpression(value)) && value.body !== undefined)
      return `${keyword}${textOf(sourceFile, declaration, value.body.getStart(sourceFile))} …;`;
    const whole = `${keyword}${textOf(sourceFile, declaration)};`;
    if (whole.length <= MAX_INITIALIZER_CHARS + keyword.length) return whole;
    if (declaration.type !== undefined)
      return `${keyword}${textOf(sourceFile, declaration, declaration.type.end)};`;
    return `${whole.slice(0, MAX_INITIALIZER_CHARS + keyword.length)} …`;
  }
  return textOf(sourceFile, statement);
}

export interface DeclarationOptions {
  /** Total characters of the declarations; past it the rest are left out, and that is said. */
  maxChars: number;
}

/**
 * The declarations `target` uses, nearest first, each headed by its file (`// src/types.ts`).
 * When the cap cuts the list, the last entry says how many were left out and which.
 */
export function declarationsFor(
  target: TestTarget,
  project: ProjectView,
  options: DeclarationOptions,
): string[] {
  const known = new Set(project.paths);
  const exists = (path: string) => known.has(path);
  const scopes = new Map<string, Scope | null>();
  const scopeAt = (path: string): Scope | null => {
    if (scopes.has(path)) return scopes.get(path)!;
    if (scopes.size >= MAX_FILES || !isAnalysable(path)) return null;
    const text = project.read(path);
    const scope = text === null ? null : scopeOf(parseSource(path, text).sourceFile);
    scopes.set(path, scope);
    return scope;
  };
  const own = scopeAt(target.path);
  if (own === null) return [];

  const out: { key: string; text: string; name: string }[] = [];
  const seen = new Set<string>();
  const externalImports = new Map<
    ts.ImportDeclaration,
    { path: string; sourceFile: ts.SourceFile }
  >();
  const queue: { path: string; name: string; depth: number }[] = [];
  const lineOf = (sourceFile: ts.SourceFile, pos: number) =>
    sourceFile.getLineAndCharacterOfPosition(pos).line + 1;
  const isTargetItself = (path: string, sourceFile: ts.SourceFile, statement: ts.Statement) =>
    path === target.path &&
    !ts.isClassDeclaration(statement) &&
    lineOf(sourceFile, statement.getStart(sourceFile)) <= target.startLine &&
    lineOf(sourceFile, statement.end) >= target.endLine;

  const enqueueUses = (path: string, node: ts.Node, start: number, end: number, depth: number) => {
    if (depth > MAX_DEPTH) return;
    // The target's own body counts (what it calls); a declaration's only by its signature.
    for (const name of namesUsed(node, start, end, depth > 0)) queue.push({ path, name, depth });
  };

  /**
   * Finds what `name` is in `path` and records it. `local`: a name of the file's own scope (its
   * imports count); otherwise an exported name (its re-exports count).
   */
  const resolve = (
    path: string,
    name: string,
    depth: number,
    hops: number,
    local: boolean,
  ): void => {
    const scope = scopeAt(path);
    if (scope === null || hops > 8) return;
    const key = `${path}\n${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const sourceFile = scope.sourceFile;
    const declared = scope.declarations.get(name);
    if (declared !== undefined) {
      for (const statement of declared) {
        if (isTargetItself(path, sourceFile, statement)) continue;
        const text = renderDeclaration(sourceFile, statement, name);
        out.push({ key, text: `// ${path}\n${text}`, name });
        enqueueUses(path, statement, statement.getStart(sourceFile), statement.end, depth + 1);
      }
      return;
    }
    if (local) {
      const imported = scope.imports.get(name);
      if (imported !== undefined) {
        const from = resolveSpecifier(path, imported.specifier, exists);
        if (from !== null && imported.imported !== '*')
          resolve(from, imported.imported, depth, hops + 1, false);
        else if (from === null && !imported.specifier.startsWith('.'))
          externalImports.set(imported.statement, { path, sourceFile });
        return;
      }
    }
    const alias = name === 'default' ? scope.defaultLocal : scope.exportedAs.get(name);
    if (alias !== null && alias !== undefined && alias !== name) {
      resolve(path, alias, depth, hops + 1, true);
      return;
    }
    for (const re of [...(scope.reexports.get(name) ?? []), ...(scope.reexports.get('*') ?? [])]) {
      const from = resolveSpecifier(path, re.specifier, exists);
      if (from !== null)
        resolve(from, re.imported === '*' ? name : re.imported, depth, hops + 1, false);
    }
  };

  const sourceFile = own.sourceFile;
  // A method's class first: its shape is how a test constructs the object.
  const dot = target.name.indexOf('.');
  if (dot > 0) queue.push({ path: target.path, name: target.name.slice(0, dot), depth: 0 });
  const start = sourceFile.getPositionOfLineAndCharacter(
    Math.min(target.startLine, sourceFile.getLineStarts().length) - 1,
    0,
  );
  const lastLine = Math.min(target.endLine, sourceFile.getLineStarts().length);
  const end =
    lastLine >= sourceFile.getLineStarts().length
      ? sourceFile.text.length
      : sourceFile.getLineStarts()[lastLine]!;
  enqueueUses(target.path, sourceFile, start, end, 0);
  while (queue.length > 0) {
    const next = queue.shift()!;
    resolve(next.path, next.name, next.depth, 0, true);
  }

  // The project's own declarations first (a method's class leads), then the package imports.
  const entries = [
    ...out.map((entry) => entry.text),
    ...dedupe(
      [...externalImports].map(([statement, at]) => ({
        key: textOf(at.sourceFile, statement),
        text: `// ${at.path}\n${textOf(at.sourceFile, statement)}`,
      })),
    ),
  ];
  return capEntries(entries, options.maxChars);
}

/** The texts of entries whose keys were not seen before (the same import in two files, once). */
function dedupe(entries: readonly { key: string; text: string }[]): string[] {
  const seen = new Set<string>();
  return entries.filter((entry) => !seen.has(entry.key) && seen.add(entry.key)).map((e) => e.text);
}

/** The entries that fit in `maxChars`, then one that says what was left out. */
export function capEntries(entries: readonly string[], maxChars: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const [index, entry] of entries.entries()) {
    if (used + entry.length > maxChars) {
      const left = entries.length - index;
      kept.push(
        `// [Steward: declarations capped at ${maxChars} characters; ${left} more left out]`,
      );
      return kept;
    }
    kept.push(entry);
    used += entry.length;
  }
  return kept;
}
