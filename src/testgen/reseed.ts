import { ts } from 'ts-morph';
import type { TestCandidate } from './types.ts';

/**
 * A property test pins its fast-check seed so a failure replays; the chain's stability reruns
 * need other inputs each time, or "passes every run" would mean "passes for one seed". This gives
 * the candidate's code with every pinned seed (a `seed: <integer>` property of an object literal,
 * as in `{ seed: 42, numRuns: 100 }`) set to `seed`, found by syntax tree in the candidate's own
 * code. Example tests, and code with no pinned seed (fast-check then takes the run's global seed),
 * come back as they are.
 */
export function reseeded(candidate: TestCandidate, seed: number): TestCandidate {
  if (candidate.kind !== 'property' || !candidate.code.includes('seed')) return candidate;
  const file = ts.createSourceFile('candidate.ts', candidate.code, ts.ScriptTarget.Latest, true);
  const spans: { start: number; end: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      node.name.text === 'seed' &&
      ts.isObjectLiteralExpression(node.parent) &&
      isIntegerLiteral(node.initializer)
    ) {
      spans.push({ start: node.initializer.getStart(file), end: node.initializer.end });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (spans.length === 0) return candidate;
  let code = candidate.code;
  for (const span of spans.sort((a, b) => b.start - a.start)) {
    code = `${code.slice(0, span.start)}${String(seed | 0)}${code.slice(span.end)}`;
  }
  return { ...candidate, code };
}

function isIntegerLiteral(node: ts.Expression): boolean {
  if (ts.isNumericLiteral(node)) return true;
  return (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(node.operand)
  );
}
