import { parseFileSpec } from '../testgen/file-spec.ts';

/** `--target PATH[:FUNCTION]`, `/steward refactor PATH[:FUNCTION]`, the action's `target` input. */
export interface TargetSpec {
  /** Repository-relative, normalised. */
  path: string;
  /** `parse` or `Parser.parse` (or `parse` for it when only one method has that name). */
  function?: string;
}

/** Reads `PATH[:FUNCTION]`; the path must stay inside the repository. */
export function parseTargetSpec(
  text: string,
): { ok: true; target: TargetSpec } | { ok: false; message: string } {
  const parsed = parseFileSpec(text, '--target');
  if (!parsed.ok) return parsed;
  const { path, name } = parsed.spec;
  return { ok: true, target: name === null ? { path } : { path, function: name } };
}
