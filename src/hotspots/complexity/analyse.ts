import type { FileAnalysis } from '../types.ts';
import { scanLines } from './lines.ts';
import { parseSource } from './parse.ts';
import { walkFunctions } from './walk.ts';

export { isAnalysable } from './parse.ts';

/**
 * Version of what `analyseSource` computes. Bump it whenever a metric's definition changes, so
 * cached analyses (keyed by blob SHA) made by an older analyser are not reused.
 */
export const ANALYSIS_VERSION = 1;

/**
 * Per-file complexity analysis of one .ts .tsx .mts .cts .js .jsx .mjs .cjs file: pure and
 * synchronous, from the path (for the extension) and the text alone. A file with syntax errors is
 * analysed as far as it parses, and the errors are reported.
 */
export function analyseSource(path: string, text: string): FileAnalysis {
  const { sourceFile, syntaxErrors } = parseSource(path, text);
  const walk = walkFunctions(sourceFile);
  const lines = scanLines(sourceFile, walk.opaque);
  return {
    path,
    loc: lines.loc,
    functions: walk.functions.map((f) => f.metrics),
    syntaxErrors,
    duplicationFingerprints: lines.fingerprints,
  };
}
