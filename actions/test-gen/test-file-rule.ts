import picomatch from 'picomatch';
import { isTestFile } from '../../src/testgen/project.ts';
import type { TestGenConfig } from '../../src/testgen/settings.ts';

/**
 * The project's own test-file rule for the deliver job, beside the names checkPatch accepts by
 * itself (`*.test.*`, `*.spec.*`, `__tests__/`): a code file under a test folder (`test/`, `tests/`,
 * `spec/`) that imports a test framework, as test generation found the project's tests, and never
 * a file `test-gen.include` names as a source. The deliver job has no checkout, so the text read is
 * the one the patch would write.
 */
export function testFileRule(config: TestGenConfig, artifact: string): (path: string) => boolean {
  const texts = patchTexts(artifact);
  const source =
    config.include.length > 0 ? picomatch([...config.include], { dot: true }) : () => false;
  return (path) => !source(path) && isTestFile(path, (p) => texts.get(p) ?? null);
}

/** path → text of the patch's files, read leniently: checkPatchText judges the artifact itself. */
function patchTexts(artifact: string): Map<string, string> {
  const texts = new Map<string, string>();
  let value: unknown;
  try {
    value = JSON.parse(artifact);
  } catch {
    // Not JSON: checkPatchText refuses it, naming why.
    return texts;
  }
  const files = (value as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) return texts;
  for (const file of files as unknown[]) {
    const { path, text } = (file ?? {}) as { path?: unknown; text?: unknown };
    if (typeof path === 'string' && typeof text === 'string') texts.set(path, text);
  }
  return texts;
}
