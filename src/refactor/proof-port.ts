/**
 * What proving a refactoring needs from the checkout, behind a port the faces hand in (the
 * implementation runs TypeScript and the repository's tests in src/testrun). Every call takes an
 * overlay: the texts of changed files by repository-relative path, served or written in place of
 * what is on disk and restored byte for byte after. An empty overlay is the baseline.
 */

export interface ProjectDiagnostic {
  /** Repository-relative path; '' for a diagnostic with no file (an option error). */
  path: string;
  /** 1-based; 0 when the diagnostic has no file. */
  line: number;
  code: number;
  message: string;
}

export type TypeCheckVerdict =
  | { kind: 'checked'; diagnostics: ProjectDiagnostic[] }
  /** No TypeScript project to check (no tsconfig, no TypeScript): said in the proof log. */
  | { kind: 'unavailable'; reason: string };

export type ApiVerdict =
  | { kind: 'same' }
  /** The declaration emit differs: `before` and `after` are the first differing lines. */
  | { kind: 'changed'; before: string; after: string }
  | { kind: 'unavailable'; reason: string };

export type TestVerdict =
  | { kind: 'passed'; detail: string }
  /** `detail` holds the first lines of the failure, what the model is told on the retry. */
  | { kind: 'failed'; detail: string }
  | { kind: 'unavailable'; reason: string };

export interface RefactorProofPort {
  /** Every diagnostic of the project with the overlay in place. */
  typecheck(overlay: ReadonlyMap<string, string>): Promise<TypeCheckVerdict>;
  /**
   * The exported declarations of `path` as the compiler prints them (a declaration emit) with its
   * text `before` and `after`, from one compiler program reused for both.
   */
  compareApi(path: string, before: string, after: string): Promise<ApiVerdict>;
  /** One run of the tests that reach `path` (or the configured command) with the overlay in place. */
  runTests(overlay: ReadonlyMap<string, string>, path: string): Promise<TestVerdict>;
  /**
   * The mutation score (0–100) of `path`'s lines `start`–`end` with the overlay in place; null when
   * mutation testing is not configured for the repository.
   */
  mutationScore(
    overlay: ReadonlyMap<string, string>,
    path: string,
    lines: { start: number; end: number },
  ): Promise<number | null>;
  /** Stops what the port keeps running (a type-check process); idempotent. */
  close(): void;
}
