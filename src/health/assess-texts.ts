import type { HealthSettings } from './settings.ts';
import { contentSkipReason, excludeMatcher, skipReason } from './skip.ts';
import { analyseSource } from './complexity/analyse.ts';
import { isAnalysable } from './complexity/languages.ts';
import type { FileHealthDelta } from './delta.ts';
import { assessAll, deltaOfChanges, syntaxErrorsOf } from './assess.ts';
import type { FileAnalysis } from './types.ts';

/** One changed file as a pull request's API describes it, with its text on either side. */
export interface ChangedText {
  /** The path after the change (for a deleted file, the path it had). */
  path: string;
  /** The path before the change when the file was renamed; null otherwise. */
  previousPath: string | null;
  /** The text before the change; null when the file is new. */
  before: string | null;
  /** The text after the change; null when the file was deleted. */
  after: string | null;
}

/**
 * Code health before and after a change, from the changed files' texts alone: what a review
 * without a git checkout (the GitHub Action, the GitHub App) can compute from the texts the API
 * gives it. Each side is analysed in process, skipped and assessed exactly as `runHealthDelta`
 * does with a checkout (analysable languages only; `exclude` globs, type declarations, vendored,
 * minified, binary and over-large files left out), and a renamed file is compared with its old
 * self.
 *
 * One difference: `runHealthDelta` analyses the whole tree, so a copy of unchanged code is a Code
 * Duplication smell there; here only the given files are known, so duplication is found only
 * among them (within a file, or between two changed files on the same side).
 */
export function healthDeltaOfTexts(
  changes: readonly ChangedText[],
  config: Pick<HealthSettings, 'thresholds' | 'exclude'>,
): { files: FileHealthDelta[]; syntaxErrors: { path: string; line: number; message: string }[] } {
  const excluded = excludeMatcher(config.exclude);
  const analyse = (sides: { path: string; text: string | null }[]): FileAnalysis[] => {
    const analyses = new Map<string, FileAnalysis>();
    for (const { path, text } of sides) {
      if (text === null || analyses.has(path) || !isAnalysable(path)) continue;
      const content = Buffer.from(text, 'utf8');
      if (skipReason({ path, size: content.length }, excluded) ?? contentSkipReason(content))
        continue;
      analyses.set(path, analyseSource(path, text));
    }
    return [...analyses.values()];
  };
  const before = analyse(
    changes.map((change) => ({ path: change.previousPath ?? change.path, text: change.before })),
  );
  const after = analyse(changes.map((change) => ({ path: change.path, text: change.after })));
  const delta = deltaOfChanges(
    assessAll(before, config),
    assessAll(after, config),
    changes.map((change) => ({ path: change.path, oldPath: change.previousPath })),
  );
  return { files: delta.files, syntaxErrors: syntaxErrorsOf(after) };
}
