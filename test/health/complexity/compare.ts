import { parseSource } from '../../../src/health/complexity/parse.ts';
import { walkFunctions } from '../../../src/health/complexity/walk.ts';
import { reference } from './reference.ts';

export interface Comparison {
  /** Functions both sides found. */
  functions: number;
  /** Class field initialisers and static blocks ESLint reports, which are not functions to us. */
  implicitFunctions: number;
  /** One line per disagreement: a function only one side found, or a number that differs. */
  mismatches: string[];
}

/** Our cyclomatic and cognitive numbers against ESLint's and sonarjs's, function by function. */
export function compareWithReference(path: string, text: string): Comparison {
  const expected = reference(path, text);
  const ours = walkFunctions(parseSource(path, text).sourceFile).functions;
  const mismatches: string[] = [];
  const paired = new Set<number>();
  for (const { metrics, bodyStart } of ours) {
    const where = `${path}:${metrics.line} ${metrics.name}`;
    const theirs = expected.functions.get(bodyStart);
    if (theirs === undefined) {
      mismatches.push(`${where}: ESLint reports no such function`);
      continue;
    }
    paired.add(bodyStart);
    if (metrics.cyclomatic !== theirs.cyclomatic) {
      mismatches.push(`${where}: cyclomatic ${metrics.cyclomatic}, ESLint ${theirs.cyclomatic}`);
    }
    if (metrics.cognitive !== theirs.cognitive) {
      mismatches.push(`${where}: cognitive ${metrics.cognitive}, sonarjs ${theirs.cognitive}`);
    }
  }
  for (const [bodyStart, theirs] of expected.functions) {
    if (!paired.has(bodyStart)) {
      mismatches.push(`${path}:${theirs.line}:${theirs.column}: ${theirs.type} missed`);
    }
  }
  return {
    functions: paired.size,
    implicitFunctions: expected.implicitFunctions,
    mismatches,
  };
}
