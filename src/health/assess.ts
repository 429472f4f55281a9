import { findDuplicates, type DuplicateBlock } from './duplication.ts';
import { assessFile } from './score.ts';
import { healthDelta, type HealthDelta } from './delta.ts';
import type { HealthSettings } from './settings.ts';
import type { FileAnalysis, FileHealth } from './types.ts';

/**
 * Health of every file, with duplication found across the whole revision (or given: found before,
 * incrementally, by the caller).
 */
export function assessAll(
  analyses: readonly FileAnalysis[],
  config: Pick<HealthSettings, 'thresholds'>,
  duplicates: ReadonlyMap<string, DuplicateBlock[]> = findDuplicates(
    analyses,
    config.thresholds.codeDuplication,
  ),
): Map<string, FileHealth> {
  return new Map(
    analyses.map((analysis) => [
      analysis.path,
      assessFile(analysis, config.thresholds, duplicates.get(analysis.path) ?? []),
    ]),
  );
}

/** The syntax errors of the analysed files, by path and line. */
export function syntaxErrorsOf(
  analyses: Iterable<FileAnalysis>,
): { path: string; line: number; message: string }[] {
  const errors: { path: string; line: number; message: string }[] = [];
  for (const analysis of analyses) {
    for (const error of analysis.syntaxErrors) errors.push({ path: analysis.path, ...error });
  }
  return errors.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
}

/**
 * The health delta of the changed paths, from the health of both revisions. A renamed file is
 * compared with its old self: the old side is keyed by the new path.
 */
export function deltaOfChanges(
  beforeHealth: ReadonlyMap<string, FileHealth>,
  afterHealth: ReadonlyMap<string, FileHealth>,
  changes: readonly { path: string; oldPath: string | null }[],
): HealthDelta {
  const beforeByNewPath = new Map<string, FileHealth>();
  for (const change of changes) {
    const old = beforeHealth.get(change.oldPath ?? change.path);
    if (old) beforeByNewPath.set(change.path, { ...old, path: change.path });
  }
  return healthDelta(
    beforeByNewPath,
    afterHealth,
    changes.map((c) => c.path),
  );
}
