/**
 * What the analyser reads and which version of it made a cached result, without loading the
 * TypeScript parser: a warm `steward hotspots` run whose every file is cached never needs it, and
 * importing it costs about 0.2 s.
 */

/**
 * Version of what `analyseSource` computes. Bump it whenever a metric's definition changes, so
 * cached analyses (keyed by blob SHA) made by an older analyser are not reused.
 */
export const ANALYSIS_VERSION = 2;

/** The extensions `analyseSource` understands (lower case, with the dot). */
export const ANALYSABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.ts',
  '.mts',
  '.cts',
  '.tsx',
  '.js',
  '.mjs',
  '.cjs',
  '.jsx',
]);

/** The file's extension in lower case with its dot (`.tsx`), or '' when it has none. */
export function extensionOf(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return dot > slash + 1 ? path.slice(dot).toLowerCase() : '';
}

/** Whether `analyseSource` understands this file's extension. */
export function isAnalysable(path: string): boolean {
  return ANALYSABLE_EXTENSIONS.has(extensionOf(path));
}
