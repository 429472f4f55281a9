import type { SourceText } from './types.ts';

/**
 * What formatting a test file came to. The text is always usable: when the project's formatter is
 * missing or fails, it is the file as Steward printed it, never lost work.
 */
export type FormatOutcome =
  /** Formatted by the project's prettier (its version, its config for the file's path). */
  | { kind: 'formatted'; text: string; formatter: string }
  /** The project has no prettier: the text as Steward printed it, in the file's own style. */
  | { kind: 'no-formatter'; text: string; reason: string }
  /** Prettier is there but did not format it (it failed, timed out, ignores the file, or did more than format). */
  | { kind: 'unformatted'; text: string; reason: string };

/** The port test generation formats files through; the edge in src/prettier implements it. */
export interface TestFileFormatter {
  format(file: SourceText): Promise<FormatOutcome>;
}
