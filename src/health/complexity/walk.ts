import { ts } from 'ts-morph';
import type { FunctionMetrics } from '../types.ts';
import { Frame } from './frame.ts';
import {
  assignedName,
  functionKind,
  type FunctionLike,
  hasModifier,
  isEstreeFunction,
  isLogical,
  isLogicalAssignment,
  isLogicalOperator,
  isTypeOnly,
  propertyNameText,
  skipParens,
  skipValueWrappers,
  startAfterDecorators,
} from './syntax.ts';

const SK = ts.SyntaxKind;

/** Between the names of a function's enclosing functions and its own in its qualified name. */
export const SCOPE_SEPARATOR = ' > ';

export interface WalkedFunction {
  metrics: FunctionMetrics;
  /**
   * Offset of the function's body, parentheses skipped: where ESTree's `body` starts. It names a
   * function uniquely (two functions never share a body start), which the tests use to pair our
   * functions with the ones ESLint reports.
   */
  bodyStart: number;
}

export interface WalkResult {
  /** In source order of the functions' starts. */
  functions: WalkedFunction[];
  /**
   * Text a context-free scanner would misread, as flat [start, end) pairs in source order:
   * regular expressions, JSX text, and JSX attribute strings (which have no escapes).
   */
  opaque: number[];
}

/**
 * One pass over a parsed file computing every function's metrics. Written against the raw
 * compiler nodes: ts-morph's wrapper objects cost more than the parse itself.
 *
 * Whose numbers code counts toward follows the two rules compared with:
 * - ESLint `complexity` counts per code path: functions, and also class field initialisers and
 *   static blocks, which are implicit functions to it (it reports them as "class field
 *   initializer" / "class static block"). They are not function-like nodes of `FunctionMetrics`,
 *   so their counts go to a frame that is dropped; they never add to the enclosing function.
 *   `accessor` fields get no code path of their own in ESLint, so they count toward the enclosing
 *   function. Module top-level code is dropped, as ESLint does.
 * - sonarjs `cognitive-complexity` counts per ESTree function only, so field initialisers and
 *   static blocks count toward the enclosing function (`cog` frame), unlike cyclomatic (`cyc`).
 *   The number is what sonarjs reports for each function: its own increments, with nesting
 *   counted from its own control flow. (sonarjs's file-level total, which folds some nested
 *   functions into their top-level function, is not computed.)
 *
 * The CodeScene-style metrics, which no tool here defines exactly:
 * - nesting: the deepest chain of if, loop, switch and catch; an else-if chain is one level;
 *   ternaries and try/finally blocks do not nest; a nested function starts again from 0.
 * - bumps: top-level statements of the body whose nesting reaches 2.
 * - complexConditional: the most `&&` `||` `??` in one if, while, do-while, for or ternary
 *   condition (operators inside a function within the condition are that function's).
 */
export function walkFunctions(sourceFile: ts.SourceFile): WalkResult {
  return new Walker(sourceFile).run();
}

class Walker {
  private readonly sourceFile: ts.SourceFile;
  private readonly functions: (WalkedFunction | null)[] = [];
  private readonly opaque: number[] = [];
  /** The innermost ESLint code path's frame. */
  private cyc = new Frame();
  /** The innermost sonarjs function's frame. */
  private cog = this.cyc;
  /** A function or class expression about to be visited, and the name its context gives it. */
  private hintNode: ts.Node | undefined;
  private hintName = '';
  /** Whether the logical chain being counted is a JSX short-circuit, which sonarjs does not count. */
  private jsxShortCircuit = false;
  /** Qualified name of the function being walked; '' at the top level. */
  private scope = '';

  constructor(sourceFile: ts.SourceFile) {
    this.sourceFile = sourceFile;
  }

  run(): WalkResult {
    for (const statement of this.sourceFile.statements) this.visit(statement);
    return { functions: this.functions as WalkedFunction[], opaque: this.opaque };
  }

  private readonly visit = (node: ts.Node): undefined => {
    switch (node.kind) {
      case SK.FunctionDeclaration:
      case SK.FunctionExpression:
      case SK.ArrowFunction:
      case SK.MethodDeclaration:
      case SK.GetAccessor:
      case SK.SetAccessor:
      case SK.Constructor:
        this.visitFunction(node as FunctionLike, undefined);
        return;
      case SK.ClassDeclaration:
      case SK.ClassExpression:
        this.visitClass(node as ts.ClassLikeDeclaration);
        return;
      case SK.IfStatement:
        this.visitIf(node as ts.IfStatement, this.cyc.depth + 1, false);
        return;
      case SK.ForStatement:
        this.visitFor(node as ts.ForStatement);
        return;
      case SK.ForInStatement:
      case SK.ForOfStatement:
        this.visitForInOf(node as ts.ForInOrOfStatement);
        return;
      case SK.WhileStatement:
        this.visitWhile(node as ts.WhileStatement);
        return;
      case SK.DoStatement:
        this.visitDo(node as ts.DoStatement);
        return;
      case SK.SwitchStatement:
        this.visitSwitch(node as ts.SwitchStatement);
        return;
      case SK.CatchClause:
        this.visitCatch(node as ts.CatchClause);
        return;
      case SK.ConditionalExpression:
        this.visitConditional(node as ts.ConditionalExpression);
        return;
      case SK.BinaryExpression:
        this.visitBinary(node as ts.BinaryExpression);
        return;
      case SK.PropertyAccessExpression:
      case SK.ElementAccessExpression:
      case SK.CallExpression:
        // `?.`: ESLint counts optional member expressions and optional calls.
        if ((node as ts.PropertyAccessExpression).questionDotToken) this.cyc.cyclomatic++;
        break;
      case SK.Parameter:
      case SK.BindingElement: {
        // A default value is an AssignmentPattern in ESTree.
        const declaration = node as ts.ParameterDeclaration;
        if (declaration.initializer) {
          this.cyc.cyclomatic++;
          this.hintFromBinding(declaration.name, declaration.initializer);
        }
        break;
      }
      case SK.ShorthandPropertyAssignment: {
        // `({ a = 1 } = o)`: only valid as a destructuring target, an AssignmentPattern in ESTree.
        const property = node as ts.ShorthandPropertyAssignment;
        if (property.objectAssignmentInitializer) {
          this.cyc.cyclomatic++;
          this.hint(property.objectAssignmentInitializer, property.name.text);
        }
        break;
      }
      case SK.VariableDeclaration: {
        const declaration = node as ts.VariableDeclaration;
        if (declaration.initializer)
          this.hintFromBinding(declaration.name, declaration.initializer);
        break;
      }
      case SK.PropertyAssignment: {
        const property = node as ts.PropertyAssignment;
        this.hint(property.initializer, propertyNameText(property.name, this.sourceFile));
        break;
      }
      case SK.ExportAssignment: {
        const assignment = node as ts.ExportAssignment;
        this.hint(assignment.expression, assignment.isExportEquals ? 'exports' : 'default');
        break;
      }
      case SK.BreakStatement:
      case SK.ContinueStatement:
        if ((node as ts.BreakStatement).label) this.cog.cognitive++;
        return;
      case SK.JsxExpression: {
        const expression = (node as ts.JsxExpression).expression;
        if (expression && !(node as ts.JsxExpression).dotDotDotToken) {
          const inner = skipParens(expression);
          if (isLogical(inner)) {
            this.visitLogical(inner, true);
            return;
          }
        }
        break;
      }
      case SK.JsxAttribute: {
        const initializer = (node as ts.JsxAttribute).initializer;
        if (initializer?.kind === SK.StringLiteral) {
          this.opaque.push(initializer.getStart(this.sourceFile), initializer.end);
        }
        break;
      }
      case SK.RegularExpressionLiteral:
        this.opaque.push(node.getStart(this.sourceFile), node.end);
        return;
      case SK.JsxText:
        this.opaque.push(node.pos, node.end);
        return;
      default:
        if (isTypeOnly(node)) return;
    }
    ts.forEachChild(node, this.visit);
    return undefined;
  };

  // ---- functions and classes -------------------------------------------------------------

  private visitFunction(node: FunctionLike, owner: string | undefined): void {
    const hinted = this.takeHint(node);
    const body = node.body;
    if (body === undefined) {
      // Overload signatures, abstract and `declare` members: no code, no code path in ESLint.
      ts.forEachChild(node, this.visit);
      return;
    }
    // Decorators and a computed name are evaluated by the enclosing code, not by the function.
    this.visitDecorators(node);
    if (node.name?.kind === SK.ComputedPropertyName) this.visit(node.name);

    const index = this.functions.length;
    this.functions.push(null);
    const name = functionName(node, owner, hinted, this.sourceFile);
    const outerScope = this.scope;
    this.scope = outerScope === '' ? name : `${outerScope}${SCOPE_SEPARATOR}${name}`;
    const outerCyc = this.cyc;
    const outerCog = this.cog;
    const frame = new Frame();
    this.cyc = frame;
    this.cog = frame;
    for (const parameter of node.parameters) this.visit(parameter);
    if (body.kind === SK.Block) {
      for (const statement of (body as ts.Block).statements) {
        frame.statementNesting = 0;
        this.visit(statement);
        if (frame.statementNesting >= 2) frame.bumps++;
      }
    } else {
      this.visit(body);
    }
    this.cyc = outerCyc;
    this.cog = outerCog;
    this.functions[index] = this.record(node, frame, name, this.scope);
    this.scope = outerScope;
  }

  private record(
    node: FunctionLike,
    frame: Frame,
    name: string,
    qualifiedName: string,
  ): WalkedFunction {
    const sourceFile = this.sourceFile;
    const line = this.lineOf(startAfterDecorators(node, sourceFile));
    const endLine = this.lineOf(node.end);
    const parameters = node.parameters;
    const first = parameters[0];
    const thisParameter =
      first !== undefined && first.name.kind === SK.Identifier && first.name.text === 'this';
    return {
      metrics: {
        name,
        qualifiedName,
        kind: functionKind(node) ?? 'function',
        line,
        endLine,
        cyclomatic: frame.cyclomatic,
        cognitive: frame.cognitive,
        nesting: frame.maxNesting,
        length: endLine - line + 1,
        params: parameters.length - (thisParameter ? 1 : 0),
        bumps: frame.bumps,
        complexConditional:
          frame.conditionOperators > 0
            ? { operators: frame.conditionOperators, line: frame.conditionLine }
            : null,
      },
      bodyStart: skipParens(node.body as ts.Node).getStart(sourceFile),
    };
  }

  private visitClass(node: ts.ClassLikeDeclaration): void {
    const hinted = this.takeHint(node);
    const className =
      node.name?.text ??
      hinted ??
      (hasModifier(node, SK.DefaultKeyword) ? 'default' : '<anonymous>');
    this.visitDecorators(node);
    if (node.heritageClauses) for (const clause of node.heritageClauses) this.visit(clause);
    for (const member of node.members) this.visitMember(member, className);
  }

  private visitMember(member: ts.ClassElement, className: string): void {
    switch (member.kind) {
      case SK.MethodDeclaration:
      case SK.GetAccessor:
      case SK.SetAccessor:
      case SK.Constructor:
        this.visitFunction(member as FunctionLike, className);
        return;
      case SK.PropertyDeclaration: {
        const property = member as ts.PropertyDeclaration;
        this.visitDecorators(property);
        if (property.name.kind === SK.ComputedPropertyName) this.visit(property.name);
        if (property.initializer === undefined) return;
        this.hint(
          property.initializer,
          `${className}.${propertyNameText(property.name, this.sourceFile)}`,
        );
        if (hasModifier(property, SK.AccessorKeyword)) this.visit(property.initializer);
        else this.visitImplicitFunction(property.initializer);
        return;
      }
      case SK.ClassStaticBlockDeclaration:
        this.visitImplicitFunction((member as ts.ClassStaticBlockDeclaration).body);
        return;
      case SK.IndexSignature:
      case SK.SemicolonClassElement:
        return;
      default:
        this.visit(member);
    }
  }

  /** Decorators run in the code around what they decorate. */
  private visitDecorators(node: ts.HasModifiers): void {
    const modifiers = node.modifiers;
    if (modifiers === undefined) return;
    for (const modifier of modifiers) if (modifier.kind === SK.Decorator) this.visit(modifier);
  }

  /** A field initialiser or static block: its own code path to ESLint, part of the function to sonarjs. */
  private visitImplicitFunction(node: ts.Node): void {
    const outer = this.cyc;
    this.cyc = new Frame();
    this.visit(node);
    this.cyc = outer;
  }

  // ---- control flow ----------------------------------------------------------------------

  private visitIf(node: ts.IfStatement, level: number, elseIf: boolean): void {
    const cyc = this.cyc;
    const cog = this.cog;
    cyc.cyclomatic++;
    // sonarjs: `else if` is a flat +1, as is `else`; a first `if` is structural.
    if (elseIf) cog.cognitive++;
    else cog.addStructural();
    cyc.enterStructure(level);
    this.visitCondition(node.expression);
    this.visitBody(node.thenStatement, level);
    const alternate = node.elseStatement;
    if (alternate === undefined) return;
    if (alternate.kind === SK.IfStatement) {
      this.visitIf(alternate as ts.IfStatement, level, true);
    } else {
      cog.cognitive++;
      this.visitBody(alternate, level);
    }
  }

  private visitFor(node: ts.ForStatement): void {
    const level = this.enterLoop();
    if (node.initializer) this.visit(node.initializer);
    if (node.condition) this.visitCondition(node.condition);
    if (node.incrementor) this.visit(node.incrementor);
    this.visitBody(node.statement, level);
  }

  private visitForInOf(node: ts.ForInOrOfStatement): void {
    const level = this.enterLoop();
    const initializer = node.initializer;
    if (initializer.kind === SK.VariableDeclarationList) this.visit(initializer);
    else this.visitAssignmentTarget(initializer);
    this.visit(node.expression);
    this.visitBody(node.statement, level);
  }

  private visitWhile(node: ts.WhileStatement): void {
    const level = this.enterLoop();
    this.visitCondition(node.expression);
    this.visitBody(node.statement, level);
  }

  private visitDo(node: ts.DoStatement): void {
    const level = this.enterLoop();
    this.visitBody(node.statement, level);
    this.visitCondition(node.expression);
  }

  private enterLoop(): number {
    const cyc = this.cyc;
    cyc.cyclomatic++;
    this.cog.addStructural();
    const level = cyc.depth + 1;
    cyc.enterStructure(level);
    return level;
  }

  private visitSwitch(node: ts.SwitchStatement): void {
    const cyc = this.cyc;
    // Classic variant: the switch itself adds nothing, each non-default case adds 1.
    this.cog.addStructural();
    const level = cyc.depth + 1;
    cyc.enterStructure(level);
    this.visit(node.expression);
    for (const clause of node.caseBlock.clauses) {
      if (clause.kind === SK.CaseClause) cyc.cyclomatic++;
      this.visitBody(clause, level);
    }
  }

  private visitCatch(node: ts.CatchClause): void {
    const cyc = this.cyc;
    cyc.cyclomatic++;
    this.cog.addStructural();
    const level = cyc.depth + 1;
    cyc.enterStructure(level);
    if (node.variableDeclaration) this.visit(node.variableDeclaration);
    this.visitBody(node.block, level);
  }

  private visitConditional(node: ts.ConditionalExpression): void {
    this.cyc.cyclomatic++;
    this.cog.addStructural();
    this.visitCondition(node.condition);
    this.visitNested(node.whenTrue);
    this.visitNested(node.whenFalse);
  }

  /** A structure's body: one level deeper for nesting, and nested for sonarjs. */
  private visitBody(node: ts.Node, level: number): void {
    const cyc = this.cyc;
    const outerDepth = cyc.depth;
    cyc.depth = level;
    this.visitNested(node);
    cyc.depth = outerDepth;
  }

  /**
   * A node sonarjs marks as nesting. Its counter rises when the node is entered and falls when it
   * is left; but when the node is itself a function (`c ? () => a : b`), sonarjs's exit handler
   * lowers the counter of the function being left instead of the enclosing one, so the enclosing
   * function's nesting stays one higher for the rest of its body. Reproduced to report what
   * sonarjs reports.
   */
  private visitNested(node: ts.Node): void {
    const cog = this.cog;
    cog.cognitiveNesting++;
    this.visit(node);
    if (!isEstreeFunction(skipParens(node))) cog.cognitiveNesting--;
  }

  private visitCondition(node: ts.Expression): void {
    const cyc = this.cyc;
    const before = cyc.logicalOperators;
    this.visit(node);
    const operators = cyc.logicalOperators - before;
    if (operators > cyc.conditionOperators) {
      cyc.conditionOperators = operators;
      cyc.conditionLine = this.lineOf(node.getStart(this.sourceFile));
    }
  }

  // ---- expressions -----------------------------------------------------------------------

  private visitBinary(node: ts.BinaryExpression): void {
    const operator = node.operatorToken.kind;
    if (isLogicalOperator(operator)) {
      this.visitLogical(node, false);
      return;
    }
    if (isLogicalAssignment(operator)) {
      this.cyc.cyclomatic++;
    } else if (operator === SK.EqualsToken) {
      const left = node.left;
      if (left.kind === SK.ObjectLiteralExpression || left.kind === SK.ArrayLiteralExpression) {
        this.visitAssignmentTarget(left);
      } else {
        this.visit(left);
      }
      const name = assignedName(left);
      if (name !== undefined) this.hint(node.right, name);
      this.visit(node.right);
      return;
    }
    this.visit(node.left);
    this.visit(node.right);
  }

  /**
   * A chain of `&&` `||` `??` (through parentheses, which ESTree does not have). ESLint adds 1 per
   * operator. sonarjs walks the chain's operators in order and adds 1 for each `&&` that does not
   * follow another `&&` (eslint-plugin-sonarjs 4.x counts no `||` or `??`), and nothing for a
   * chain of one operator directly in a JSX expression container (`{a && <b/>}`).
   */
  private visitLogical(root: ts.BinaryExpression, inJsxContainer: boolean): void {
    this.jsxShortCircuit = inJsxContainer && isJsxShortCircuit(root, root.operatorToken.kind);
    this.countChain(root, SK.Unknown);
    this.visitChainOperands(root);
  }

  private countChain(node: ts.Node, previous: ts.SyntaxKind): ts.SyntaxKind {
    const expression = skipParens(node);
    if (!isLogical(expression)) return previous;
    const before = this.countChain(expression.left, previous);
    const operator = expression.operatorToken.kind;
    const cyc = this.cyc;
    cyc.cyclomatic++;
    cyc.logicalOperators++;
    if (
      !this.jsxShortCircuit &&
      operator === SK.AmpersandAmpersandToken &&
      before !== SK.AmpersandAmpersandToken
    ) {
      this.cog.cognitive++;
    }
    return this.countChain(expression.right, operator);
  }

  private visitChainOperands(node: ts.Node): void {
    const expression = skipParens(node);
    if (isLogical(expression)) {
      this.visitChainOperands(expression.left);
      this.visitChainOperands(expression.right);
    } else {
      this.visit(expression);
    }
  }

  /** A destructuring assignment's target, where `x = 1` is a default value (AssignmentPattern). */
  private visitAssignmentTarget(node: ts.Node): void {
    if (node.kind === SK.ArrayLiteralExpression) {
      for (const element of (node as ts.ArrayLiteralExpression).elements) {
        this.visitTargetElement(element);
      }
    } else if (node.kind === SK.ObjectLiteralExpression) {
      for (const property of (node as ts.ObjectLiteralExpression).properties) {
        this.visitTargetProperty(property);
      }
    } else {
      this.visit(node);
    }
  }

  private visitTargetProperty(property: ts.ObjectLiteralElementLike): void {
    if (property.kind === SK.PropertyAssignment) {
      if (property.name.kind === SK.ComputedPropertyName) this.visit(property.name);
      this.visitTargetElement(property.initializer);
    } else if (property.kind === SK.SpreadAssignment) {
      this.visitAssignmentTarget(property.expression);
    } else {
      // A shorthand `{ a = 1 }` counts its default where shorthand properties are visited.
      this.visit(property);
    }
  }

  private visitTargetElement(node: ts.Node): void {
    if (
      node.kind === SK.BinaryExpression &&
      (node as ts.BinaryExpression).operatorToken.kind === SK.EqualsToken
    ) {
      const { left, right } = node as ts.BinaryExpression;
      this.cyc.cyclomatic++;
      this.visitAssignmentTarget(left);
      const name = assignedName(left);
      if (name !== undefined) this.hint(right, name);
      this.visit(right);
    } else if (node.kind === SK.SpreadElement) {
      this.visitAssignmentTarget((node as ts.SpreadElement).expression);
    } else {
      this.visitAssignmentTarget(node);
    }
  }

  // ---- names -----------------------------------------------------------------------------

  /** Remembers the name a function or class expression gets from where it is assigned. */
  private hint(initializer: ts.Node, name: string): void {
    const target = skipValueWrappers(initializer);
    const kind = target.kind;
    if (
      kind === SK.ArrowFunction ||
      kind === SK.FunctionExpression ||
      kind === SK.ClassExpression
    ) {
      this.hintNode = target;
      this.hintName = name;
    }
  }

  private hintFromBinding(name: ts.BindingName, initializer: ts.Node): void {
    if (name.kind === SK.Identifier) this.hint(initializer, name.text);
  }

  private takeHint(node: ts.Node): string | undefined {
    if (this.hintNode !== node) return undefined;
    this.hintNode = undefined;
    return this.hintName;
  }

  private lineOf(position: number): number {
    return this.sourceFile.getLineAndCharacterOfPosition(position).line + 1;
  }
}

/**
 * sonarjs's JSX short-circuit: every operator in the chain is the root's, and no operand is a
 * conditional expression.
 */
function isJsxShortCircuit(node: ts.Node, operator: ts.SyntaxKind): boolean {
  const expression = skipParens(node);
  if (expression.kind === SK.ConditionalExpression) return false;
  if (!isLogical(expression)) return true;
  return (
    expression.operatorToken.kind === operator &&
    isJsxShortCircuit(expression.left, operator) &&
    isJsxShortCircuit(expression.right, operator)
  );
}

function functionName(
  node: FunctionLike,
  owner: string | undefined,
  hinted: string | undefined,
  sourceFile: ts.SourceFile,
): string {
  switch (node.kind) {
    case SK.FunctionDeclaration:
      return node.name?.text ?? (hasModifier(node, SK.DefaultKeyword) ? 'default' : '<anonymous>');
    case SK.FunctionExpression:
      return node.name?.text ?? hinted ?? '<anonymous>';
    case SK.ArrowFunction:
      return hinted ?? '<anonymous>';
    case SK.Constructor:
      return `${owner ?? '<anonymous>'}.constructor`;
    default: {
      const member = propertyNameText(node.name, sourceFile);
      return owner === undefined ? member : `${owner}.${member}`;
    }
  }
}
