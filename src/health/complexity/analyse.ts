import type { FileAnalysis } from '../types.ts';
import { bodyFingerprints } from './body-fingerprint.ts';
import { scanLines } from './lines.ts';
import { parseSource } from './parse.ts';
import { walkFunctions } from './walk.ts';

export { ANALYSIS_VERSION, isAnalysable } from './languages.ts';

/**
 * Per-file complexity analysis of one .ts .tsx .mts .cts .js .jsx .mjs .cjs file: pure and
 * synchronous, from the path (for the extension) and the text alone. A file with syntax errors is
 * analysed as far as it parses, and the errors are reported.
 */
export function analyseSource(path: string, text: string): FileAnalysis {
  const { sourceFile, syntaxErrors } = parseSource(path, text);
  const walk = walkFunctions(sourceFile);
  const lines = scanLines(sourceFile, walk.opaque);
  const functions = walk.functions.map((f) => f.metrics);
  const fingerprints = bodyFingerprints(text, functions);
  return {
    path,
    loc: lines.loc,
    functions: functions.map((fn, index) => ({ ...fn, fingerprint: fingerprints[index]! })),
    syntaxErrors,
    duplicationFingerprints: lines.fingerprints,
  };
}
